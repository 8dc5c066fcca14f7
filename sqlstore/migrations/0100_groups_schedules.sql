-- Groups, membership and schedules (issue 3). Written once for both
-- backends; see 0001_foundation.sql for the macros.

-- What a member chooses for a group, and the way into a closed group:
-- asked, oriented by a facilitator or member, accepted or declined.
ALTER TABLE memberships ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN requested_at {{time}};
ALTER TABLE memberships ADD COLUMN oriented_by BIGINT REFERENCES people(id);
ALTER TABLE memberships ADD COLUMN oriented_at {{time}};
ALTER TABLE memberships ADD COLUMN leave_until TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN contact_channel TEXT NOT NULL DEFAULT '';
-- The address is confidential: sealed with the key outside the database.
ALTER TABLE memberships ADD COLUMN contact_sealed {{blob}};

-- A facilitator set by hand (a substitute) is kept when the rotation runs;
-- a postponed meeting points to the meeting it moved to.
ALTER TABLE sessions ADD COLUMN facilitator_manual BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN moved_to_id BIGINT REFERENCES sessions(id);

CREATE TABLE schedules (
    group_id BIGINT PRIMARY KEY REFERENCES groups(id),
    preset TEXT NOT NULL DEFAULT '',
    rule TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    exceptions TEXT NOT NULL DEFAULT '',
    extras TEXT NOT NULL DEFAULT '',
    updated_at {{time}} NOT NULL,
    updated_by BIGINT REFERENCES people(id)
);

CREATE TABLE ethics_versions (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES groups(id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    author_id BIGINT REFERENCES people(id),
    created_at {{time}} NOT NULL,
    UNIQUE (group_id, version)
);

CREATE TABLE ethics_acks (
    version_id BIGINT NOT NULL REFERENCES ethics_versions(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    at {{time}} NOT NULL,
    PRIMARY KEY (version_id, person_id)
);

CREATE TABLE consents (
    id {{id}},
    membership_id BIGINT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    given_at {{time}} NOT NULL,
    withdrawn_at {{time}}
);
CREATE INDEX consents_membership ON consents(membership_id, kind);

CREATE TABLE volunteer_offers (
    group_id BIGINT NOT NULL REFERENCES groups(id),
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    offered_at {{time}} NOT NULL,
    base_turns INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, person_id, role)
);

-- Volunteer roles other than facilitating (sessions.facilitator_id holds
-- that one) at one session.
CREATE TABLE session_roles (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    manual BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (session_id, role)
);
CREATE INDEX session_roles_person ON session_roles(person_id);

-- Secret calendar links: a SHA-256 finds one; the sealed token lets the
-- person copy it again. renewed_at marks a link replaced by a new one.
CREATE TABLE calendar_feeds (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    group_id BIGINT REFERENCES groups(id),
    token_hash TEXT NOT NULL UNIQUE,
    token_sealed {{blob}} NOT NULL,
    created_at {{time}} NOT NULL,
    renewed_at {{time}}
);
CREATE INDEX calendar_feeds_person ON calendar_feeds(person_id, group_id);

-- The two agendas that ship with PeerCircle: the staff peer support group
-- of 000 (2 hours) and a community group from 001.
INSERT INTO agenda_templates (site_id, name, name_key) VALUES (NULL, 'Staff peer support group (2 hours)', 'agenda.template.staff');
INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes)
    SELECT id, 1, 'welcome', 'Welcome and Circle of Emotions', 'agenda.staff.welcome', 30 FROM agenda_templates WHERE name_key = 'agenda.template.staff';
INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes)
    SELECT id, 2, 'topic', 'Refreshing an assigned MHPSS topic', 'agenda.staff.topic', 20 FROM agenda_templates WHERE name_key = 'agenda.template.staff';
INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes)
    SELECT id, 3, 'cases', 'Case discussion', 'agenda.staff.cases', 60 FROM agenda_templates WHERE name_key = 'agenda.template.staff';
INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes)
    SELECT id, 4, 'closing', 'Closing reflections and feedback', 'agenda.staff.closing', 10 FROM agenda_templates WHERE name_key = 'agenda.template.staff';
INSERT INTO agenda_templates (site_id, name, name_key) VALUES (NULL, 'Community peer support group', 'agenda.template.community');
INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes)
    SELECT id, 1, 'welcome', 'Welcome, purpose and confidentiality', 'agenda.community.welcome', 15 FROM agenda_templates WHERE name_key = 'agenda.template.community';
INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes)
    SELECT id, 2, 'sharing', 'Sharing', 'agenda.community.sharing', 40 FROM agenda_templates WHERE name_key = 'agenda.template.community';
INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes)
    SELECT id, 3, 'break', 'Break with refreshments', 'agenda.community.break', 15 FROM agenda_templates WHERE name_key = 'agenda.template.community';
INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes)
    SELECT id, 4, 'topic', 'Topic or speaker', 'agenda.community.topic', 30 FROM agenda_templates WHERE name_key = 'agenda.template.community';
INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes)
    SELECT id, 5, 'closing', 'Closing round', 'agenda.community.closing', 20 FROM agenda_templates WHERE name_key = 'agenda.template.community';
