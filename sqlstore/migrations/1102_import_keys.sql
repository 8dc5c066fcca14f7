-- Imports from a programme's spreadsheets (issue 15) match rows by a key
-- the file gives (a facility code, a staff number): the record each key
-- made, so running the same file again updates or leaves it, never
-- duplicates it.
CREATE TABLE import_keys (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    PRIMARY KEY (kind, key)
);
