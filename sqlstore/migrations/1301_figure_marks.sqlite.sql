-- The triggers that mark a group's month changed (see 1300_group_figures).
-- Updates mark only when a column the figures are counted from changes.
CREATE TRIGGER figures_session_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (NEW.group_id, substr(NEW.local_date, 1, 7), 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_session_update AFTER UPDATE OF group_id, local_date, planned_start, status, topic, facilitator_id, co_facilitator_id ON sessions BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (OLD.group_id, substr(OLD.local_date, 1, 7), 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (NEW.group_id, substr(NEW.local_date, 1, 7), 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_session_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (OLD.group_id, substr(OLD.local_date, 1, 7), 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

CREATE TRIGGER figures_attendance_insert AFTER INSERT ON attendance BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_attendance_update AFTER UPDATE OF session_id, person_id, guest_name, kind, status ON attendance BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id IN (OLD.session_id, NEW.session_id)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
-- A presence taken away (a correction, an erasure) also drops the group's
-- kept figures, so no digest of it outlives the row.
CREATE TRIGGER figures_attendance_delete AFTER DELETE ON attendance BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = OLD.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
    DELETE FROM group_figures WHERE group_id IN (SELECT group_id FROM sessions WHERE id = OLD.session_id);
END;

CREATE TRIGGER figures_summary_insert AFTER INSERT ON summaries BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_summary_update AFTER UPDATE OF session_id, state, topic, cases_discussed ON summaries BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id IN (OLD.session_id, NEW.session_id)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_summary_delete AFTER DELETE ON summaries BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = OLD.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

CREATE TRIGGER figures_support_insert AFTER INSERT ON summary_support BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_support_update AFTER UPDATE ON summary_support BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id IN (OLD.session_id, NEW.session_id)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_support_delete AFTER DELETE ON summary_support BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = OLD.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

CREATE TRIGGER figures_round_insert AFTER INSERT ON feedback_rounds BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_round_update AFTER UPDATE OF session_id, responses ON feedback_rounds BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id IN (OLD.session_id, NEW.session_id)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_round_delete AFTER DELETE ON feedback_rounds BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = OLD.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

CREATE TRIGGER figures_counts_insert AFTER INSERT ON feedback_counts BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = NEW.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_counts_update AFTER UPDATE ON feedback_counts BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id IN (OLD.session_id, NEW.session_id)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_counts_delete AFTER DELETE ON feedback_counts BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, substr(local_date, 1, 7), 1 FROM sessions WHERE id = OLD.session_id
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;

CREATE TRIGGER figures_membership_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (NEW.group_id, '', 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_membership_update AFTER UPDATE OF group_id, person_id, unlisted ON memberships BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (OLD.group_id, '', 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (NEW.group_id, '', 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
CREATE TRIGGER figures_membership_delete AFTER DELETE ON memberships BEGIN
    INSERT INTO figure_marks (group_id, month, stamp) VALUES (OLD.group_id, '', 1)
        ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1;
END;
