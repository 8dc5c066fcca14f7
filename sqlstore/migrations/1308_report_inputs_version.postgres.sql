-- Issue 14: a version of what a roll-up reads besides the marks of
-- figure_marks, people's names and the organisation's tree: the groups (where
-- they are, their kind and status, when they began and ended), their
-- schedules and the sites' quarterly reports. Every change to one of them
-- moves it, in the transaction that makes it, so a roll-up kept whole
-- (sqlstore/report_views.go) is read again after it on every instance.
CREATE FUNCTION report_inputs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT);
    RETURN NULL;
END
$$;
-- Inserts and deletions move the version once per statement (a bulk load
-- of groups moves it once); updates only when a column read changed.
CREATE TRIGGER groups_inputs_insert AFTER INSERT ON groups FOR EACH STATEMENT EXECUTE FUNCTION report_inputs_changed();
CREATE TRIGGER groups_inputs_delete AFTER DELETE ON groups FOR EACH STATEMENT EXECUTE FUNCTION report_inputs_changed();
CREATE TRIGGER groups_inputs_update AFTER UPDATE ON groups FOR EACH ROW
    WHEN (OLD.site_id IS DISTINCT FROM NEW.site_id OR OLD.name IS DISTINCT FROM NEW.name OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.status IS DISTINCT FROM NEW.status OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.ended_at IS DISTINCT FROM NEW.ended_at)
    EXECUTE FUNCTION report_inputs_changed();
CREATE TRIGGER schedules_inputs_insert AFTER INSERT ON schedules FOR EACH STATEMENT EXECUTE FUNCTION report_inputs_changed();
CREATE TRIGGER schedules_inputs_delete AFTER DELETE ON schedules FOR EACH STATEMENT EXECUTE FUNCTION report_inputs_changed();
CREATE TRIGGER schedules_inputs_update AFTER UPDATE ON schedules FOR EACH ROW
    WHEN (OLD.group_id IS DISTINCT FROM NEW.group_id OR OLD.preset IS DISTINCT FROM NEW.preset OR OLD.rule IS DISTINCT FROM NEW.rule OR OLD.start_date IS DISTINCT FROM NEW.start_date OR OLD.start_time IS DISTINCT FROM NEW.start_time OR OLD.minutes IS DISTINCT FROM NEW.minutes OR OLD.time_zone IS DISTINCT FROM NEW.time_zone OR OLD.exceptions IS DISTINCT FROM NEW.exceptions OR OLD.extras IS DISTINCT FROM NEW.extras)
    EXECUTE FUNCTION report_inputs_changed();
CREATE TRIGGER reports_inputs_insert AFTER INSERT ON reports FOR EACH STATEMENT EXECUTE FUNCTION report_inputs_changed();
CREATE TRIGGER reports_inputs_delete AFTER DELETE ON reports FOR EACH STATEMENT EXECUTE FUNCTION report_inputs_changed();
CREATE TRIGGER reports_inputs_update AFTER UPDATE ON reports FOR EACH ROW
    WHEN (OLD.site_id IS DISTINCT FROM NEW.site_id OR OLD.quarter IS DISTINCT FROM NEW.quarter OR OLD.state IS DISTINCT FROM NEW.state OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at)
    EXECUTE FUNCTION report_inputs_changed();
