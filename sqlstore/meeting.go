package sqlstore

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/peercircle/peercircle"
)

func validReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", peercircle.FieldErrors{"reason": "error.required"}.Err()
	}
	if utf8.RuneCountInString(reason) > 300 {
		return "", peercircle.FieldErrors{"reason": "error.too_long"}.Err()
	}
	return reason, nil
}

// upcomingTx loads a session that is still planned and has not started.
func (s *Store) upcomingTx(tx *Tx, id int64) (*peercircle.Session, *peercircle.Group, error) {
	m, err := scanSession(tx.QueryRow("SELECT "+sessionCols+" FROM sessions WHERE id = ?", id))
	if err != nil {
		return nil, nil, notFound(err, "session")
	}
	if m.Status != peercircle.SessionPlanned || !m.PlannedStart.After(s.Now()) {
		return nil, nil, peercircle.Errorf(peercircle.ECONFLICT, "session.not_upcoming", "session %d is not upcoming", id)
	}
	g, err := scanGroup(tx.QueryRow("SELECT "+groupCols+" FROM groups WHERE id = ?", m.GroupID))
	if err != nil {
		return nil, nil, notFound(err, "group")
	}
	return m, g, nil
}

// CancelSession cancels an upcoming meeting with a reason and tells the
// members (000: the group is told in advance).
func (s *Store) CancelSession(ctx context.Context, sessionID int64, reason string, by int64) error {
	reason, err := validReason(reason)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, g, err := s.upcomingTx(tx, sessionID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE sessions SET status = ?, status_reason = ?, edited = TRUE, sequence = sequence + 1, updated_at = ? WHERE id = ?`,
			peercircle.SessionCancelled, reason, s.Now(), m.ID); err != nil {
			return err
		}
		if err := s.auditGroupTx(tx, by, "session.cancel", "session", m.ID, ""); err != nil {
			return err
		}
		// Reminders not yet sent are about a meeting that will not be.
		if _, err := s.withdrawTx(tx, "meeting:"+strconv.FormatInt(m.ID, 10), ""); err != nil {
			return err
		}
		return s.notifyMembersTx(tx, g, by, "session_cancelled", m.LocalDate, "/groups/"+strconv.FormatInt(g.ID, 10))
	})
}

// PostponeSession marks an upcoming meeting postponed with a reason and,
// when a new time is given, plans the meeting then (same length, venue
// and facilitator) and links the two.
func (s *Store) PostponeSession(ctx context.Context, sessionID int64, reason string, to *time.Time, by int64) (*peercircle.Session, error) {
	reason, err := validReason(reason)
	if err != nil {
		return nil, err
	}
	if to != nil && !to.After(s.Now()) {
		return nil, peercircle.FieldErrors{"to": "session.new_time_past"}.Err()
	} else if to != nil && (to.Year() < peercircle.EarliestMeeting || to.Year() > peercircle.LatestMeeting) {
		return nil, peercircle.FieldErrors{"to": "session.date_out_of_range"}.Err()
	}
	var moved *peercircle.Session
	err = s.DB.Write(ctx, func(tx *Tx) error {
		m, g, err := s.upcomingTx(tx, sessionID)
		if err != nil {
			return err
		}
		if to != nil {
			var zone string
			if err := tx.QueryRow("SELECT time_zone FROM sites WHERE id = ?", g.SiteID).Scan(&zone); err != nil {
				return err
			}
			loc, err := time.LoadLocation(zone)
			if err != nil {
				loc = time.UTC
			}
			moved = &peercircle.Session{GroupID: g.ID, PlannedStart: *to, PlannedEnd: to.Add(m.PlannedEnd.Sub(m.PlannedStart)),
				LocalDate: to.In(loc).Format(time.DateOnly), Status: peercircle.SessionPlanned, Edited: true,
				VenueID: m.VenueID, FacilitatorID: m.FacilitatorID, CoFacilitatorID: m.CoFacilitatorID, Topic: m.Topic, Speaker: m.Speaker}
			if err := moved.Validate(); err != nil {
				return err
			}
			if err := s.addSessionTx(tx, moved); err != nil {
				return err
			}
			if _, err := tx.Exec("UPDATE sessions SET facilitator_manual = (SELECT facilitator_manual FROM sessions WHERE id = ?) WHERE id = ?", m.ID, moved.ID); err != nil {
				return err
			}
		}
		movedID := int64(0)
		if moved != nil {
			movedID = moved.ID
		}
		if _, err := tx.Exec(`UPDATE sessions SET status = ?, status_reason = ?, edited = TRUE, moved_to_id = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?`,
			peercircle.SessionPostponed, reason, nullID(movedID), s.Now(), m.ID); err != nil {
			return err
		}
		if _, err := s.withdrawTx(tx, "meeting:"+strconv.FormatInt(m.ID, 10), ""); err != nil {
			return err
		}
		if err := s.auditGroupTx(tx, by, "session.postpone", "session", m.ID, ""); err != nil {
			return err
		}
		return s.notifyMembersTx(tx, g, by, "session_postponed", m.LocalDate, "/groups/"+strconv.FormatInt(g.ID, 10))
	})
	return moved, err
}

// notifyMembersTx tells a group's active members (not the person who did
// it) with the group's name and a date: never what was said.
func (s *Store) notifyMembersTx(tx *Tx, g *peercircle.Group, except int64, kind, date, link string) error {
	rows, err := tx.Query("SELECT person_id FROM memberships WHERE group_id = ? AND status = ? AND person_id <> ?", g.ID, peercircle.MemberActive, except)
	if err != nil {
		return err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.notifyTx(tx, &peercircle.Notification{PersonID: id, Kind: kind, Params: []string{g.Name, date}, Link: link}); err != nil {
			return err
		}
	}
	return nil
}

// MovedTo returns the session a postponed session moved to, or 0.
func (s *Store) MovedTo(ctx context.Context, sessionID int64) (int64, error) {
	var id int64
	err := s.DB.QueryRow(ctx, "SELECT moved_to_id FROM sessions WHERE id = ?", sessionID).Scan(&id)
	return id, notFound(err, "session")
}

// RSVP records a member's answer ahead of a meeting: "I'll be there"
// (expected) or "Send apologies" (apologies), in the attendance table the
// live session reads. Apologies never move a planned turn by themselves:
// Apologise with a substitute does; without one, the turn stays and, for
// the facilitator, the site's organisers are told to decide.
func (s *Store) RSVP(ctx context.Context, sessionID, personID int64, status string) error {
	switch status {
	case peercircle.AttendApologies:
		return s.Apologise(ctx, sessionID, personID, 0)
	case peercircle.AttendExpected:
		return s.DB.Write(ctx, func(tx *Tx) error {
			_, _, err := s.rsvpTx(tx, sessionID, personID, status)
			return err
		})
	}
	return peercircle.FieldErrors{"status": "error.choice"}.Err()
}

// rsvpTx records an answer ahead of an upcoming meeting by a current
// member of its group.
func (s *Store) rsvpTx(tx *Tx, sessionID, personID int64, status string) (*peercircle.Session, *peercircle.Group, error) {
	m, g, err := s.upcomingTx(tx, sessionID)
	if err != nil {
		if peercircle.ErrorCode(err) == peercircle.ECONFLICT {
			return nil, nil, peercircle.Errorf(peercircle.ECONFLICT, "session.rsvp_closed", "session %d is not upcoming", sessionID)
		}
		return nil, nil, err
	}
	ms, err := membershipsTx(tx, "m.group_id = ? AND m.person_id = ?", g.ID, personID)
	if err != nil {
		return nil, nil, err
	}
	if len(ms) == 0 || !ms[0].Current() {
		return nil, nil, peercircle.Errorf(peercircle.EFORBIDDEN, "error.forbidden.body", "person %d is not in group %d", personID, g.ID)
	}
	kind := peercircle.AttendMember
	if ms[0].Visiting {
		kind = peercircle.AttendVisitor
	}
	if _, err := tx.Exec(`INSERT INTO attendance (session_id, person_id, guest_name, kind, status, updated_at) VALUES (?, ?, '', ?, ?, ?)
		ON CONFLICT (session_id, person_id) DO UPDATE SET status = excluded.status, kind = excluded.kind, updated_at = excluded.updated_at`,
		m.ID, personID, kind, status, s.Now()); err != nil {
		return nil, nil, err
	}
	return m, g, nil
}

// Attendances lists a session's attendance rows (answers ahead, then what
// the live session records).
func (s *Store) Attendances(ctx context.Context, sessionID int64) ([]*peercircle.Attendance, error) {
	rows, err := s.DB.Query(ctx, "SELECT id, session_id, person_id, guest_name, kind, status, updated_at FROM attendance WHERE session_id = ? ORDER BY id", sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Attendance
	for rows.Next() {
		var a peercircle.Attendance
		if err := rows.Scan(&a.ID, &a.SessionID, &a.PersonID, &a.GuestName, &a.Kind, &a.Status, &a.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}

// Answers returns a person's attendance status at each of the sessions
// that has one, in one query (the latest row wins, as in Attendances). It
// reads the sessions' rows through the covering index by session and keeps
// the person's: a condition on the person would have SQLite walk all of
// their attendance over the years instead.
func (s *Store) Answers(ctx context.Context, personID int64, sessionIDs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if personID == 0 || len(sessionIDs) == 0 {
		return out, nil
	}
	in, args := inIDs(sessionIDs)
	rows, err := s.DB.Query(ctx, "SELECT session_id, person_id, status FROM attendance WHERE session_id IN ("+in+") ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, person int64
		var status string
		if err := rows.Scan(&id, &person, &status); err != nil {
			return nil, err
		}
		if person == personID {
			out[id] = status
		}
	}
	return out, rows.Err()
}
