-- Buddy pairings (a newcomer and an experienced peer at a site for an
-- induction period) and training records (courses run by a trainer at a
-- site, and who completed them). Dates are YYYY-MM-DD.
CREATE TABLE buddy_pairings (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    newcomer_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    buddy_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
    ended_at {{time}},
    created_at {{time}} NOT NULL
);
CREATE INDEX buddy_pairings_site ON buddy_pairings(site_id, ends_on);
CREATE INDEX buddy_pairings_newcomer ON buddy_pairings(newcomer_id);
CREATE INDEX buddy_pairings_buddy ON buddy_pairings(buddy_id);

CREATE TABLE training_courses (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    trainer_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    modules TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL
);
CREATE INDEX training_courses_site ON training_courses(site_id, starts_on);

CREATE TABLE training_records (
    course_id BIGINT NOT NULL REFERENCES training_courses(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    completed_on TEXT NOT NULL,
    recorded_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
    PRIMARY KEY (course_id, person_id)
);
CREATE INDEX training_records_person ON training_records(person_id);
