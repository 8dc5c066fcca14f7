-- The triggers that mark a group's month changed (see 1300_group_figures).
-- Updates mark only when a column the figures are counted from changes.
CREATE FUNCTION figures_mark(gid BIGINT, m TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (gid, m, 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
$$;

CREATE FUNCTION figures_mark_session_month(sid BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = sid
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
$$;

CREATE FUNCTION figures_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM figures_mark(OLD.group_id, substr(OLD.local_date, 1, 7));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM figures_mark(NEW.group_id, substr(NEW.local_date, 1, 7));
    END IF;
    RETURN NULL;
END
$$;

-- For the rows that hang from a meeting: attendance, Sheet 2, support
-- given, feedback. A presence taken away (a correction, an erasure) also
-- drops the group's kept figures, so no digest of it outlives the row.
CREATE FUNCTION figures_meeting_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM figures_mark_session_month(OLD.session_id);
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'attendance' THEN
            DELETE FROM group_figures WHERE group_id IN (SELECT group_id FROM sessions WHERE id = OLD.session_id);
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM figures_mark_session_month(NEW.session_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION figures_membership_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM figures_mark(OLD.group_id, '');
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM figures_mark(NEW.group_id, '');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER figures_sessions AFTER INSERT OR DELETE OR UPDATE OF group_id, local_date, planned_start, status, topic, facilitator_id, co_facilitator_id
    ON sessions FOR EACH ROW EXECUTE FUNCTION figures_session_changed();
CREATE TRIGGER figures_attendance AFTER INSERT OR DELETE OR UPDATE OF session_id, person_id, guest_name, kind, status
    ON attendance FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
CREATE TRIGGER figures_summaries AFTER INSERT OR DELETE OR UPDATE OF session_id, state, topic, cases_discussed
    ON summaries FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
CREATE TRIGGER figures_support AFTER INSERT OR DELETE OR UPDATE
    ON summary_support FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
CREATE TRIGGER figures_rounds AFTER INSERT OR DELETE OR UPDATE OF session_id, responses
    ON feedback_rounds FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
CREATE TRIGGER figures_counts AFTER INSERT OR DELETE OR UPDATE
    ON feedback_counts FOR EACH ROW EXECUTE FUNCTION figures_meeting_row_changed();
CREATE TRIGGER figures_memberships AFTER INSERT OR DELETE OR UPDATE OF group_id, person_id, unlisted
    ON memberships FOR EACH ROW EXECUTE FUNCTION figures_membership_changed();
