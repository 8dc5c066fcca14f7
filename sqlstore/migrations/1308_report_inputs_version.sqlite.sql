-- Issue 14: a version of what a roll-up reads besides the marks of
-- figure_marks, people's names and the organisation's tree: the groups (where
-- they are, their kind and status, when they began and ended), their
-- schedules and the sites' quarterly reports. Every change to one of them
-- moves it, in the transaction that makes it, so a roll-up kept whole
-- (sqlstore/report_views.go) is read again after it on every instance.
CREATE TRIGGER groups_inputs_insert AFTER INSERT ON groups BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
CREATE TRIGGER groups_inputs_delete AFTER DELETE ON groups BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
CREATE TRIGGER groups_inputs_update AFTER UPDATE ON groups
    WHEN OLD.site_id IS NOT NEW.site_id OR OLD.name IS NOT NEW.name OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status OR OLD.created_at IS NOT NEW.created_at OR OLD.ended_at IS NOT NEW.ended_at BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
CREATE TRIGGER schedules_inputs_insert AFTER INSERT ON schedules BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
CREATE TRIGGER schedules_inputs_delete AFTER DELETE ON schedules BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
CREATE TRIGGER schedules_inputs_update AFTER UPDATE ON schedules
    WHEN OLD.group_id IS NOT NEW.group_id OR OLD.preset IS NOT NEW.preset OR OLD.rule IS NOT NEW.rule OR OLD.start_date IS NOT NEW.start_date OR OLD.start_time IS NOT NEW.start_time OR OLD.minutes IS NOT NEW.minutes OR OLD.time_zone IS NOT NEW.time_zone OR OLD.exceptions IS NOT NEW.exceptions OR OLD.extras IS NOT NEW.extras BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
CREATE TRIGGER reports_inputs_insert AFTER INSERT ON reports BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
CREATE TRIGGER reports_inputs_delete AFTER DELETE ON reports BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
CREATE TRIGGER reports_inputs_update AFTER UPDATE ON reports
    WHEN OLD.site_id IS NOT NEW.site_id OR OLD.quarter IS NOT NEW.quarter OR OLD.state IS NOT NEW.state OR OLD.submitted_at IS NOT NEW.submitted_at BEGIN
    INSERT INTO settings (key, value) VALUES ('reports.inputs_version', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT);
END;
