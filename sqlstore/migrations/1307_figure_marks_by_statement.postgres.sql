-- Issue 14: on PostgreSQL, rows inserted mark their groups' months once per
-- statement instead of once per row. A multi-row INSERT (the data
-- generator's, an import's) of 500 presences made 1 000 upserts of the
-- same few counters, the total and the month, one row at a time; now it
-- makes one per group and month, with the count of rows as the step.
-- Counters only need to grow, and the total still sums its months. The
-- row triggers stay for updates and deletes. Within a statement a group's
-- total is written before its months, the order figures_mark takes them
-- in (migration 1305), so writers to one group never deadlock.
DROP TRIGGER figures_sessions ON sessions;
CREATE TRIGGER figures_sessions AFTER DELETE OR UPDATE OF group_id, local_date, planned_start, status, topic, facilitator_id, co_facilitator_id
    ON sessions FOR EACH ROW EXECUTE FUNCTION figures_session_changed();
DROP TRIGGER figures_attendance ON attendance;
CREATE TRIGGER figures_attendance AFTER DELETE OR UPDATE OF session_id, person_id, guest_name, kind, status
    ON attendance FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
DROP TRIGGER figures_summaries ON summaries;
CREATE TRIGGER figures_summaries AFTER DELETE OR UPDATE OF session_id, state, topic, cases_discussed
    ON summaries FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
DROP TRIGGER figures_support ON summary_support;
CREATE TRIGGER figures_support AFTER DELETE OR UPDATE
    ON summary_support FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
DROP TRIGGER figures_rounds ON feedback_rounds;
CREATE TRIGGER figures_rounds AFTER DELETE OR UPDATE OF session_id, responses
    ON feedback_rounds FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
DROP TRIGGER figures_counts ON feedback_counts;
CREATE TRIGGER figures_counts AFTER DELETE OR UPDATE
    ON feedback_counts FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
DROP TRIGGER figures_memberships ON memberships;
CREATE TRIGGER figures_memberships AFTER DELETE OR UPDATE OF group_id, person_id, unlisted
    ON memberships FOR EACH ROW EXECUTE FUNCTION figures_membership_changed();

-- figures_add adds each count to its group and month, and their sum to
-- the group's total: totals before months, groups in order, the order
-- every marking function takes a group's row locks in.
CREATE FUNCTION figures_add(gids BIGINT[], months TEXT[], counts BIGINT[]) RETURNS void LANGUAGE sql AS $$
    WITH marks AS (SELECT * FROM unnest(gids, months, counts) AS m(group_id, month, n))
    INSERT INTO figure_marks (group_id, month, stamp)
        SELECT group_id, month, n FROM (
            SELECT group_id, month, n FROM marks
            UNION ALL SELECT group_id, '*', SUM(n) FROM marks GROUP BY group_id) x
        ORDER BY group_id, month <> '*', month
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + excluded.stamp;
$$;

CREATE FUNCTION figures_sessions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    g BIGINT[];
    m TEXT[];
    n BIGINT[];
BEGIN
    SELECT array_agg(group_id), array_agg(month), array_agg(c) INTO g, m, n FROM (
        SELECT group_id, substr(local_date, 1, 7) AS month, COUNT(*) AS c FROM new_rows GROUP BY 1, 2) x;
    PERFORM figures_add(g, m, n);
    RETURN NULL;
END
$$;

-- For the rows that hang from a meeting: attendance, Sheet 2, support
-- given, feedback.
CREATE FUNCTION figures_meeting_rows_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    g BIGINT[];
    m TEXT[];
    n BIGINT[];
BEGIN
    SELECT array_agg(group_id), array_agg(month), array_agg(c) INTO g, m, n FROM (
        SELECT s.group_id, substr(s.local_date, 1, 7) AS month, COUNT(*) AS c
        FROM new_rows r JOIN sessions s ON s.id = r.session_id GROUP BY 1, 2) x;
    PERFORM figures_add(g, m, n);
    RETURN NULL;
END
$$;

CREATE FUNCTION figures_memberships_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    g BIGINT[];
    m TEXT[];
    n BIGINT[];
BEGIN
    SELECT array_agg(group_id), array_agg(''::TEXT), array_agg(c) INTO g, m, n FROM (
        SELECT group_id, COUNT(*) AS c FROM new_rows GROUP BY 1) x;
    PERFORM figures_add(g, m, n);
    RETURN NULL;
END
$$;

CREATE TRIGGER figures_sessions_insert AFTER INSERT ON sessions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_sessions_inserted();
CREATE TRIGGER figures_attendance_insert AFTER INSERT ON attendance
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_meeting_rows_inserted();
CREATE TRIGGER figures_summaries_insert AFTER INSERT ON summaries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_meeting_rows_inserted();
CREATE TRIGGER figures_support_insert AFTER INSERT ON summary_support
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_meeting_rows_inserted();
CREATE TRIGGER figures_rounds_insert AFTER INSERT ON feedback_rounds
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_meeting_rows_inserted();
CREATE TRIGGER figures_counts_insert AFTER INSERT ON feedback_counts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_meeting_rows_inserted();
CREATE TRIGGER figures_memberships_insert AFTER INSERT ON memberships
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION figures_memberships_inserted();
