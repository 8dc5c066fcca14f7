-- Growing people: GROW worksheets, supervision of peer supporters and the
-- competency framework of the peer supporter training (004). Everything a
-- person writes here is sealed ({{blob}}, contexts in sqlstore/growth*.go).

-- A person's GROW worksheet. body is the sealed JSON of the whole
-- worksheet (title, goal, reality, options with scores, actions with
-- dates, commitment, what would raise it), "grow_worksheet:<id>:body".
-- shared_with is the supervisor it is shared with (NULL: private).
CREATE TABLE grow_worksheets (
    id {{id}},
    owner_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    body {{blob}},
    shared_with BIGINT REFERENCES people(id) ON DELETE SET NULL,
    shared_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX grow_worksheets_owner ON grow_worksheets(owner_id, updated_at);
CREATE INDEX grow_worksheets_shared ON grow_worksheets(shared_with);

-- A supervision session. held_on is the day (YYYY-MM-DD). The notes are
-- sealed with "supervision:<id>:task", ":process" and ":follow_ups".
CREATE TABLE supervision_sessions (
    id {{id}},
    supervisor_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    supervisee_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    task_notes {{blob}},
    process_notes {{blob}},
    follow_ups {{blob}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX supervision_sessions_supervisor ON supervision_sessions(supervisor_id, held_on);
CREATE INDEX supervision_sessions_supervisee ON supervision_sessions(supervisee_id, held_on);

-- The framework: reference data, in English and Arabic (French falls back
-- to English).
CREATE TABLE competency_clusters (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    name_en TEXT NOT NULL,
    name_ar TEXT NOT NULL
);
CREATE TABLE competencies (
    id {{id}},
    cluster_id BIGINT NOT NULL REFERENCES competency_clusters(id),
    code TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    name_en TEXT NOT NULL,
    name_ar TEXT NOT NULL
);

-- A self-assessment on one day; earlier ones are kept. review is the
-- supervisor's sealed comment, "assessment:<id>:review".
CREATE TABLE self_assessments (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at {{time}} NOT NULL,
    reviewed_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
    reviewed_at {{time}},
    review {{blob}}
);
CREATE INDEX self_assessments_person ON self_assessments(person_id, created_at);
CREATE TABLE assessment_levels (
    assessment_id BIGINT NOT NULL REFERENCES self_assessments(id) ON DELETE CASCADE,
    competency_id BIGINT NOT NULL REFERENCES competencies(id),
    level TEXT NOT NULL,
    PRIMARY KEY (assessment_id, competency_id)
);

-- The six clusters of core competencies (004, "Peer Support Competences").
INSERT INTO competency_clusters (code, position, name_en, name_ar) VALUES ('engage', 1, 'Engages peers in collaborative and caring relationships', 'يُشرك الأقران في علاقات تعاونية قائمة على الرعاية');
INSERT INTO competency_clusters (code, position, name_en, name_ar) VALUES ('support', 2, 'Provides support', 'يقدّم الدعم');
INSERT INTO competency_clusters (code, position, name_en, name_ar) VALUES ('share', 3, 'Shares lived experiences', 'يشارك تجاربه المعاشة');
INSERT INTO competency_clusters (code, position, name_en, name_ar) VALUES ('personalise', 4, 'Personalizes peer support', 'يجعل دعم الأقران شخصياً');
INSERT INTO competency_clusters (code, position, name_en, name_ar) VALUES ('plan', 5, 'Supports recovery planning', 'يدعم التخطيط للتعافي');
INSERT INTO competency_clusters (code, position, name_en, name_ar) VALUES ('link', 6, 'Links to resources, services, and supports', 'يربط بالموارد والخدمات وأشكال الدعم');
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'engage.1', 1, 'Initiates contact with peers', 'يبادر بالتواصل مع الأقران' FROM competency_clusters WHERE code = 'engage';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'engage.2', 2, 'Listens to peers with careful attention to the content and emotion being communicated', 'يُصغي إلى الأقران باهتمام دقيق لمضمون ما يُقال وللمشاعر التي ترافقه' FROM competency_clusters WHERE code = 'engage';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'engage.3', 3, 'Reaches out to engage peers across the whole continuum of the recovery process', 'يسعى إلى إشراك الأقران في جميع مراحل عملية التعافي' FROM competency_clusters WHERE code = 'engage';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'engage.4', 4, 'Demonstrates genuine acceptance and respect', 'يُظهر تقبّلاً واحتراماً صادقين' FROM competency_clusters WHERE code = 'engage';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'engage.5', 5, 'Demonstrates understanding of peers’ experiences and feelings', 'يُظهر فهماً لتجارب الأقران ومشاعرهم' FROM competency_clusters WHERE code = 'engage';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'support.1', 1, 'Validates peers’ experiences and feelings', 'يُقرّ بتجارب الأقران ومشاعرهم' FROM competency_clusters WHERE code = 'support';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'support.2', 2, 'Encourages the exploration and pursuit of community roles', 'يشجّع على استكشاف الأدوار المجتمعية والسعي إليها' FROM competency_clusters WHERE code = 'support';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'support.3', 3, 'Conveys hope to peers about their own recovery', 'يبثّ الأمل لدى الأقران في تعافيهم' FROM competency_clusters WHERE code = 'support';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'support.4', 4, 'Celebrates peers’ efforts and accomplishments', 'يحتفي بجهود الأقران وإنجازاتهم' FROM competency_clusters WHERE code = 'support';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'support.5', 5, 'Provides concrete assistance to help peers accomplish tasks and goals', 'يقدّم مساعدة عملية تعين الأقران على إنجاز مهامهم وتحقيق أهدافهم' FROM competency_clusters WHERE code = 'support';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'share.1', 1, 'Relates their own recovery stories, and with permission, the recovery stories of others', 'يروي قصص تعافيه، وقصص تعافي الآخرين بإذنهم' FROM competency_clusters WHERE code = 'share';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'share.2', 2, 'Discusses ongoing personal efforts to enhance health, wellness, and recovery', 'يتحدّث عن جهوده الشخصية المستمرة لتعزيز الصحة والعافية والتعافي' FROM competency_clusters WHERE code = 'share';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'share.3', 3, 'Recognizes when to share experiences and when to listen', 'يعرف متى يشارك تجاربه ومتى يُصغي' FROM competency_clusters WHERE code = 'share';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'share.4', 4, 'Describes personal recovery practices and helps peers discover recovery practices', 'يصف ممارساته الشخصية في التعافي ويساعد الأقران على اكتشاف ممارسات التعافي' FROM competency_clusters WHERE code = 'share';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'personalise.1', 1, 'Understands his/her own personal values', 'يفهم قيمه الشخصية' FROM competency_clusters WHERE code = 'personalise';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'personalise.2', 2, 'Appreciates and respects the personal beliefs of peers and their families', 'يقدّر المعتقدات الشخصية للأقران وأسرهم ويحترمها' FROM competency_clusters WHERE code = 'personalise';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'personalise.3', 3, 'Recognizes and responds to the uniqueness of each peer’s process of recovery', 'يدرك تفرّد مسار التعافي لدى كل قرين ويستجيب له' FROM competency_clusters WHERE code = 'personalise';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'personalise.4', 4, 'Tailors services and support to meet the preferences and unique needs of peers', 'يُكيّف الخدمات والدعم بما يلبّي تفضيلات الأقران واحتياجاتهم الخاصة' FROM competency_clusters WHERE code = 'personalise';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'plan.1', 1, 'Assists and supports peers to set goals', 'يساعد الأقران ويدعمهم في وضع أهدافهم' FROM competency_clusters WHERE code = 'plan';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'plan.2', 2, 'Proposes strategies', 'يقترح استراتيجيات' FROM competency_clusters WHERE code = 'plan';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'plan.3', 3, 'Supports peers to use decision-making strategies when choosing services and supports', 'يدعم الأقران في استخدام استراتيجيات اتخاذ القرار عند اختيار الخدمات وأشكال الدعم' FROM competency_clusters WHERE code = 'plan';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'plan.4', 4, 'Helps peers to function as a member of their treatment/recovery support team', 'يساعد الأقران على أداء دورهم عضواً في فريق العلاج أو دعم التعافي الخاص بهم' FROM competency_clusters WHERE code = 'plan';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'plan.5', 5, 'Researches and identifies credible information and options', 'يبحث عن المعلومات والخيارات الموثوقة ويحدّدها' FROM competency_clusters WHERE code = 'plan';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'link.1', 1, 'Develops and maintains up-to-date information about community resources and services', 'يجمع معلومات محدّثة عن موارد المجتمع وخدماته ويحافظ على تحديثها' FROM competency_clusters WHERE code = 'link';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'link.2', 2, 'Assists peers to investigate, select, and use needed and desired resources and services', 'يساعد الأقران على البحث عن الموارد والخدمات التي يحتاجونها ويرغبون فيها واختيارها واستخدامها' FROM competency_clusters WHERE code = 'link';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'link.3', 3, 'Helps peers to find and use health services and supports', 'يساعد الأقران على إيجاد الخدمات الصحية وأشكال الدعم واستخدامها' FROM competency_clusters WHERE code = 'link';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'link.4', 4, 'Accompanies peers to community activities and appointments when requested', 'يرافق الأقران إلى الأنشطة المجتمعية والمواعيد عند الطلب' FROM competency_clusters WHERE code = 'link';
INSERT INTO competencies (cluster_id, code, position, name_en, name_ar)
    SELECT id, 'link.5', 5, 'Participates in community activities with peers when requested', 'يشارك الأقران في الأنشطة المجتمعية عند الطلب' FROM competency_clusters WHERE code = 'link';
