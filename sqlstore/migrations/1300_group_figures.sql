-- Issue 14: the figures of Sheet 3 and the roll-ups, kept per group and
-- quarter so that a dashboard's cost does not grow with history.
--
-- figure_marks holds a counter per group and month of meetings (the local
-- date's YYYY-MM), and one per group with the month '' for what touches
-- every quarter (a membership asked to stay unlisted). Triggers (the next
-- migration, one per database) add one to the counter in the transaction of
-- every write to the rows the figures are counted from, so no code path,
-- cascade or bulk load can change a figure without it.
CREATE TABLE figure_marks (
    group_id BIGINT NOT NULL,
    month TEXT NOT NULL,
    stamp BIGINT NOT NULL,
    PRIMARY KEY (group_id, month)
) {{by_key}};

-- group_figures holds what the figures of one group over the three months
-- from first_month are, counted from the raw rows when the group's marks
-- for those months added up to version. A row whose version is not the
-- marks' sum now is counted again from the raw rows on the next read; a
-- missing row is counted. It holds no names: people are ids, and guests
-- without an account a digest of the name recorded.
CREATE TABLE group_figures (
    group_id BIGINT NOT NULL,
    first_month TEXT NOT NULL,
    version BIGINT NOT NULL,
    planned INTEGER NOT NULL,
    held INTEGER NOT NULL,
    attendance INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (group_id, first_month)
);
-- The trend lines read the versions and three counts of many quarters and
-- never the data: this index answers them without touching the rows.
CREATE INDEX group_figures_counts ON group_figures (group_id, first_month, version, planned, held, attendance);
