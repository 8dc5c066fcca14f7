-- Issue 14: a log of whose name changed at each version of people's names
-- (migration 1306). A roll-up kept whole (sqlstore/report_views.go) or a
-- memo of names (sqlstore/names.go) reads the people changed since its
-- version and keeps what names none of them, instead of reading every name
-- again when anyone anywhere renames themselves. The triggers that move the
-- version also log the person; the log keeps the last 10 000 changes, and
-- a reader whose version is older than that reads everything again.
CREATE TABLE name_changes (
    version BIGINT PRIMARY KEY,
    person_id BIGINT NOT NULL
);
DROP TRIGGER people_names_update;
DROP TRIGGER people_names_delete;
CREATE TRIGGER people_names_update AFTER UPDATE OF full_name, display_name ON people
    WHEN OLD.full_name IS NOT NEW.full_name OR OLD.display_name IS NOT NEW.display_name BEGIN
    INSERT INTO settings (key, value) VALUES ('people.names_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
    INSERT INTO name_changes (version, person_id)
        SELECT CAST(value AS INTEGER), NEW.id FROM settings WHERE key = 'people.names_version';
    DELETE FROM name_changes WHERE version <= (SELECT CAST(value AS INTEGER) - 10000 FROM settings WHERE key = 'people.names_version');
END;
CREATE TRIGGER people_names_delete AFTER DELETE ON people BEGIN
    INSERT INTO settings (key, value) VALUES ('people.names_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
    INSERT INTO name_changes (version, person_id)
        SELECT CAST(value AS INTEGER), OLD.id FROM settings WHERE key = 'people.names_version';
    DELETE FROM name_changes WHERE version <= (SELECT CAST(value AS INTEGER) - 10000 FROM settings WHERE key = 'people.names_version');
END;
