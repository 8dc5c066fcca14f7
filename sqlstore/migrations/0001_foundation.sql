-- The foundation schema. Written once for both backends: {{id}}, {{time}}
-- and {{blob}} are replaced per dialect (see sqlstore/migrate.go). Times are
-- instants in UTC; wall-clock times of meetings live in schedules with their
-- zone.

CREATE TABLE organisation (
    id {{id}},
    name TEXT NOT NULL,
    quarter_start_month INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE regions (
    id {{id}},
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL
);

CREATE TABLE areas (
    id {{id}},
    region_id BIGINT NOT NULL REFERENCES regions(id),
    name TEXT NOT NULL
);
CREATE INDEX areas_region ON areas(region_id);

CREATE TABLE sites (
    id {{id}},
    area_id BIGINT NOT NULL REFERENCES areas(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    joined_programme {{time}}
);
CREATE INDEX sites_area ON sites(area_id);

CREATE TABLE people (
    id {{id}},
    username TEXT UNIQUE,
    email TEXT UNIQUE,
    full_name TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT '',
    home_site_id BIGINT REFERENCES sites(id),
    status TEXT NOT NULL,
    password_hash TEXT,
    created_at {{time}} NOT NULL
);
CREATE INDEX people_site ON people(home_site_id);

CREATE TABLE grants (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_id BIGINT NOT NULL DEFAULT 0,
    UNIQUE (person_id, role, scope_kind, scope_id)
);
CREATE INDEX grants_scope ON grants(scope_kind, scope_id, role);

-- Signed-in browsers. Only a SHA-256 of the token is stored.
CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    last_seen {{time}} NOT NULL
);
CREATE INDEX auth_sessions_person ON auth_sessions(person_id);

-- Single-use links: invitations and password resets (hashes only).
CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES people(id),
    created_at {{time}} NOT NULL,
    expires_at {{time}} NOT NULL,
    used_at {{time}}
);
CREATE INDEX auth_tokens_person ON auth_tokens(person_id, purpose);

CREATE TABLE login_failures (
    id {{id}},
    login TEXT NOT NULL,
    addr TEXT NOT NULL,
    at {{time}} NOT NULL
);
CREATE INDEX login_failures_login ON login_failures(login, at);
CREATE INDEX login_failures_addr ON login_failures(addr, at);

-- Browsers that signed in to an account before; throttling spares them.
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at {{time}} NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Who did what to which record, when. Never the confidential text.
CREATE TABLE audit_events (
    id {{id}},
    at {{time}} NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL DEFAULT '',
    target_id BIGINT NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_target ON audit_events(target_kind, target_id);
CREATE INDEX audit_events_at ON audit_events(at);

-- In-app notifications. Params are message arguments (JSON), never
-- confidential text.
CREATE TABLE notifications (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '[]',
    link TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    read_at {{time}}
);
CREATE INDEX notifications_person ON notifications(person_id, read_at);

-- Durable background work, safe with several instances: a worker claims a
-- row by moving locked_until forward inside a write transaction.
CREATE TABLE jobs (
    id {{id}},
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    unique_key TEXT UNIQUE,
    state TEXT NOT NULL DEFAULT 'queued',
    run_at {{time}} NOT NULL,
    locked_until {{time}},
    locked_by TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    finished_at {{time}}
);
CREATE INDEX jobs_due ON jobs(state, run_at);

-- Groups and their meetings. The groups/schedules issue extends these; the
-- session and reporting work reads them.
CREATE TABLE venues (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    virtual BOOLEAN NOT NULL DEFAULT FALSE,
    address TEXT NOT NULL DEFAULT '',
    meeting_link TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL DEFAULT 0,
    accessible BOOLEAN NOT NULL DEFAULT FALSE,
    quiet_private BOOLEAN NOT NULL DEFAULT FALSE,
    toilets BOOLEAN NOT NULL DEFAULT FALSE,
    cost TEXT NOT NULL DEFAULT '',
    refreshments BOOLEAN NOT NULL DEFAULT FALSE,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX venues_site ON venues(site_id);

CREATE TABLE agenda_templates (
    id {{id}},
    site_id BIGINT REFERENCES sites(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL DEFAULT ''
);

CREATE TABLE agenda_segments (
    id {{id}},
    template_id BIGINT NOT NULL REFERENCES agenda_templates(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    name_key TEXT NOT NULL DEFAULT '',
    minutes INTEGER NOT NULL
);
CREATE INDEX agenda_segments_template ON agenda_segments(template_id, position);

CREATE TABLE groups (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    membership TEXT NOT NULL,
    structure TEXT NOT NULL,
    lang TEXT NOT NULL,
    size_limit INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    venue_id BIGINT REFERENCES venues(id),
    agenda_template_id BIGINT REFERENCES agenda_templates(id),
    listed BOOLEAN NOT NULL DEFAULT FALSE,
    split_from_id BIGINT REFERENCES groups(id),
    created_at {{time}} NOT NULL,
    ended_at {{time}}
);
CREATE INDEX groups_site ON groups(site_id, status);

CREATE TABLE memberships (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES groups(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    visiting BOOLEAN NOT NULL DEFAULT FALSE,
    unlisted BOOLEAN NOT NULL DEFAULT FALSE,
    joined_at {{time}},
    left_at {{time}},
    UNIQUE (group_id, person_id)
);
CREATE INDEX memberships_person ON memberships(person_id, status);

-- One meeting. planned_start/end are instants; local_date is the date in
-- the site's zone, fixed when planned, so reports count it in the right
-- quarter. occurrence is the rule's original start (NULL for a one-off), so
-- re-expanding a changed rule finds the sessions it made.
CREATE TABLE sessions (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES groups(id),
    planned_start {{time}} NOT NULL,
    planned_end {{time}} NOT NULL,
    local_date TEXT NOT NULL,
    occurrence {{time}},
    status TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    edited BOOLEAN NOT NULL DEFAULT FALSE,
    venue_id BIGINT REFERENCES venues(id),
    facilitator_id BIGINT REFERENCES people(id),
    co_facilitator_id BIGINT REFERENCES people(id),
    topic TEXT NOT NULL DEFAULT '',
    speaker TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    UNIQUE (group_id, occurrence)
);
CREATE INDEX sessions_group_start ON sessions(group_id, planned_start);
CREATE INDEX sessions_date ON sessions(local_date);

-- Attendance: members, guests (coordinators, specialists; never counted as
-- peers) and visiting members from sites not yet in the programme. People
-- without an account are recorded by name only (guest_name).
CREATE TABLE attendance (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_id BIGINT REFERENCES people(id),
    guest_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at {{time}} NOT NULL,
    UNIQUE (session_id, person_id)
);
CREATE INDEX attendance_person ON attendance(person_id);

-- Session summary (Sheet 2): the review state and the figures coordinators
-- may see. The session work adds the confidential (encrypted) sections.
CREATE TABLE summaries (
    session_id BIGINT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    author_id BIGINT REFERENCES people(id),
    topic TEXT NOT NULL DEFAULT '',
    cases_discussed INTEGER NOT NULL DEFAULT 0,
    return_comment TEXT NOT NULL DEFAULT '',
    reviewed_by BIGINT REFERENCES people(id),
    submitted_at {{time}},
    reviewed_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX summaries_state ON summaries(state);
