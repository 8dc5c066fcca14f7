-- Issue 14, goal 2: a generated data set (millions of rows written into an
-- empty database) marks no figures while it loads; the loader then marks
-- every group's months at once (sqlstore.ResumeFigureMarks). The triggers
-- that mark rows inserted stand still while settings holds
-- 'figures.paused'; one indexed look-up per row costs the usual write
-- nothing it would notice. PostgreSQL turns its statement triggers off
-- instead (ALTER TABLE ... DISABLE TRIGGER), which needs no change here.

DROP TRIGGER figures_session_insert;
CREATE TRIGGER figures_session_insert AFTER INSERT ON sessions WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'figures.paused') BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (NEW.group_id, substr(NEW.local_date, 1, 7), 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

DROP TRIGGER figures_attendance_insert;
CREATE TRIGGER figures_attendance_insert AFTER INSERT ON attendance WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'figures.paused') BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

DROP TRIGGER figures_summary_insert;
CREATE TRIGGER figures_summary_insert AFTER INSERT ON summaries WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'figures.paused') BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

DROP TRIGGER figures_support_insert;
CREATE TRIGGER figures_support_insert AFTER INSERT ON summary_support WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'figures.paused') BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

DROP TRIGGER figures_round_insert;
CREATE TRIGGER figures_round_insert AFTER INSERT ON feedback_rounds WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'figures.paused') BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

DROP TRIGGER figures_counts_insert;
CREATE TRIGGER figures_counts_insert AFTER INSERT ON feedback_counts WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'figures.paused') BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

DROP TRIGGER figures_membership_insert;
CREATE TRIGGER figures_membership_insert AFTER INSERT ON memberships WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'figures.paused') BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (NEW.group_id, '', 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
