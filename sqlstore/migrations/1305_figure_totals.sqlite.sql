-- Issue 14: a counter per group that sums all its marks, under the month
-- '*'. A kept row records the total it was last known current at
-- (verified): while the group's total is the same, none of its marks has
-- moved, so a dashboard reads one counter per group instead of summing the
-- months of every quarter it shows. SQLite has one writer at a time, so
-- the total is kept by triggers on figure_marks itself.
INSERT INTO figure_marks (group_id, month, stamp)
    SELECT group_id, '*', SUM(stamp) FROM figure_marks GROUP BY group_id;

CREATE TRIGGER figures_total_insert AFTER INSERT ON figure_marks WHEN NEW.month <> '*' BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (NEW.group_id, '*', NEW.stamp)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + excluded.stamp;
END;
CREATE TRIGGER figures_total_update AFTER UPDATE OF stamp ON figure_marks WHEN NEW.month <> '*' BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (NEW.group_id, '*', NEW.stamp - OLD.stamp)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + excluded.stamp;
END;

ALTER TABLE group_figures ADD COLUMN verified BIGINT NOT NULL DEFAULT 0;
DROP INDEX group_figures_counts;
CREATE INDEX group_figures_counts ON group_figures (group_id, first_month, version, verified, planned, held, attendance);
