-- Issue 14: a version of people's names, moved by every change to a name
-- and every person deleted, in the transaction that makes it. Reports name
-- facilitators as they are named now; with the version they keep the
-- names they have read until one changes, on every instance.
CREATE FUNCTION people_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO settings (key, value) VALUES ('people.names_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT);
    RETURN NULL;
END
$$;
CREATE TRIGGER people_names_update AFTER UPDATE OF full_name, display_name ON people FOR EACH ROW
    WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name OR OLD.display_name IS DISTINCT FROM NEW.display_name)
    EXECUTE FUNCTION people_names_changed();
CREATE TRIGGER people_names_delete AFTER DELETE ON people FOR EACH ROW EXECUTE FUNCTION people_names_changed();
