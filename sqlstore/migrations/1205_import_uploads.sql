-- A file uploaded on the admin's import page (issue 15), kept sealed for an
-- hour so a clean dry run can be imported with one button, by the person
-- who uploaded it; older ones are deleted when the next one arrives.
CREATE TABLE import_uploads (
    id {{id}},
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    data {{blob}} NOT NULL,
    created_at {{time}} NOT NULL
);
