-- Issue 14: a counter per group that sums all its marks, under the month
-- '*'. A kept row records the total it was last known current at
-- (verified): while the group's total is the same, none of its marks has
-- moved, so a dashboard reads one counter per group instead of summing the
-- months of every quarter it shows. The functions that mark a month add
-- to the total first, so every transaction takes a group's row locks in
-- one order (the total, then its months) and two writers to one group
-- wait for each other instead of deadlocking.
INSERT INTO figure_marks (group_id, month, stamp)
    SELECT group_id, '*', SUM(stamp) FROM figure_marks GROUP BY group_id;

CREATE OR REPLACE FUNCTION figures_mark(gid BIGINT, m TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (gid, '*', 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (gid, m, 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
$$;

CREATE OR REPLACE FUNCTION figures_mark_session_month(sid BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, '*', 1 FROM sessions WHERE id = sid
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = sid
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
$$;

ALTER TABLE group_figures ADD COLUMN verified BIGINT NOT NULL DEFAULT 0;
DROP INDEX group_figures_counts;
CREATE INDEX group_figures_counts ON group_figures (group_id, first_month, version, verified, planned, held, attendance);
