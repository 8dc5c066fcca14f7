-- Issue 14: a version of people's names, moved by every change to a name
-- and every person deleted, in the transaction that makes it. Reports name
-- facilitators as they are named now; with the version they keep the
-- names they have read until one changes, on every instance.
CREATE TRIGGER people_names_update AFTER UPDATE OF full_name, display_name ON people
    WHEN OLD.full_name IS NOT NEW.full_name OR OLD.display_name IS NOT NEW.display_name BEGIN
    INSERT INTO settings (key, value) VALUES ('people.names_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
CREATE TRIGGER people_names_delete AFTER DELETE ON people BEGIN
    INSERT INTO settings (key, value) VALUES ('people.names_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
