-- Reminders before each meeting (issue 12): one per person, meeting and
-- offset, and the one-tap answer links they carry (only hashes).
CREATE TABLE meeting_reminders (
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    offset_minutes INTEGER NOT NULL,
    sent_at {{time}} NOT NULL,
    PRIMARY KEY (session_id, person_id, offset_minutes)
);
CREATE TABLE answer_links (
    token_hash TEXT PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    expires_at {{time}} NOT NULL,
    used_at {{time}},
    answer TEXT NOT NULL DEFAULT ''
);
CREATE INDEX answer_links_person ON answer_links(person_id);
