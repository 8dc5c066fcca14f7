-- Issue 14: a log of whose name changed at each version of people's names
-- (migration 1306). A roll-up kept whole (sqlstore/report_views.go) or a
-- memo of names (sqlstore/names.go) reads the people changed since its
-- version and keeps what names none of them, instead of reading every name
-- again when anyone anywhere renames themselves. The function that moves
-- the version also logs the person; the log keeps the last 10 000 changes,
-- and a reader whose version is older than that reads everything again.
-- Versions are taken under the settings row's lock, so they are
-- consecutive and each is committed before the next is taken.
CREATE TABLE name_changes (
    version BIGINT PRIMARY KEY,
    person_id BIGINT NOT NULL
);
CREATE OR REPLACE FUNCTION people_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v BIGINT;
    who BIGINT;
BEGIN
    INSERT INTO settings (key, value) VALUES ('people.names_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT)
        RETURNING CAST(value AS BIGINT) INTO v;
    IF TG_OP = 'DELETE' THEN
        who := OLD.id;
    ELSE
        who := NEW.id;
    END IF;
    INSERT INTO name_changes (version, person_id) VALUES (v, who);
    DELETE FROM name_changes WHERE version <= v - 10000;
    RETURN NULL;
END
$$;
