-- Changes of a person's e-mail that are not yet final (issue 10, item 1):
-- a proposal by someone else, waiting for the owner to confirm it
-- (kind 'proposal'), or the owner's own change, which the old address can
-- undo with a single-use link (kind 'undo'; only the token's hash is kept).
CREATE TABLE email_changes (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    old_email TEXT NOT NULL DEFAULT '',
    new_email TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    proposed_by BIGINT REFERENCES people(id),
    created_at {{time}} NOT NULL,
    expires_at {{time}} NOT NULL,
    done_at {{time}}
);
CREATE INDEX email_changes_person ON email_changes(person_id, kind);
