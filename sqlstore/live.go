package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/peercircle/peercircle"
)

// bumpLive marks a change to a running meeting so polling pages catch up.
// It does nothing before the meeting starts.
func bumpLive(tx *Tx, sessionID int64, now time.Time) error {
	_, err := tx.Exec("UPDATE live_sessions SET version = version + 1, updated_at = ? WHERE session_id = ?", now, sessionID)
	return err
}

// Attendance lists the group's current members (with their record for the
// session if there is one) and everyone else recorded for the session.
func (s *Store) Attendance(ctx context.Context, sessionID int64) ([]*peercircle.AttendanceEntry, error) {
	var out []*peercircle.AttendanceEntry
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		out, err = attendanceTx(tx, sessionID)
		return err
	})
	return out, err
}

func attendanceTx(tx *Tx, sessionID int64) ([]*peercircle.AttendanceEntry, error) {
	var groupID int64
	if err := tx.QueryRow("SELECT group_id FROM sessions WHERE id = ?", sessionID).Scan(&groupID); err != nil {
		return nil, notFound(err, "session")
	}
	return groupAttendanceTx(tx, sessionID, groupID)
}

// groupAttendanceTx is attendanceTx for a session of a known group.
func groupAttendanceTx(tx *Tx, sessionID, groupID int64) ([]*peercircle.AttendanceEntry, error) {
	byPerson := map[int64]*peercircle.AttendanceEntry{}
	var out []*peercircle.AttendanceEntry
	rows, err := tx.Query(`SELECT m.person_id, m.status, m.visiting, p.full_name, p.display_name FROM memberships m
		JOIN people p ON p.id = m.person_id WHERE m.group_id = ? AND m.status IN (?, ?)`, groupID, peercircle.MemberActive, peercircle.MemberOnLeave)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var e peercircle.AttendanceEntry
		var status, full, display string
		var visiting bool
		if err := rows.Scan(&e.PersonID, &status, &visiting, &full, &display); err != nil {
			rows.Close()
			return nil, err
		}
		e.SessionID, e.Kind, e.OnLeave = sessionID, peercircle.AttendMember, status == peercircle.MemberOnLeave
		if visiting {
			e.Kind = peercircle.AttendVisitor
		}
		e.Name = (&peercircle.Person{FullName: full, DisplayName: display}).Name()
		byPerson[e.PersonID] = &e
		out = append(out, &e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(`SELECT a.id, a.person_id, a.guest_name, a.kind, a.status, a.updated_at, COALESCE(p.full_name, ''), COALESCE(p.display_name, '')
		FROM attendance a LEFT JOIN people p ON p.id = a.person_id WHERE a.session_id = ? ORDER BY a.id`, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a peercircle.Attendance
		var full, display string
		if err := rows.Scan(&a.ID, &a.PersonID, &a.GuestName, &a.Kind, &a.Status, &a.UpdatedAt, &full, &display); err != nil {
			return nil, err
		}
		a.SessionID = sessionID
		if e, ok := byPerson[a.PersonID]; ok && a.PersonID != 0 {
			e.Attendance = a
			continue
		}
		e := &peercircle.AttendanceEntry{Attendance: a, Name: a.GuestName}
		if a.PersonID != 0 {
			e.Name = (&peercircle.Person{FullName: full, DisplayName: display}).Name()
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}

// MarkPresent records a member of the session's group as present or absent
// and keeps the check-in round in step.
func (s *Store) MarkPresent(ctx context.Context, sessionID, personID int64, present bool) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, err := attendanceOpenTx(tx, sessionID)
		if err != nil {
			return err
		}
		return s.markPresentTx(tx, m, personID, present)
	})
}

// CheckIn is a member's own "I'm here", only while the meeting runs.
func (s *Store) CheckIn(ctx context.Context, sessionID, personID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, err := runnableSessionTx(tx, sessionID)
		if err != nil {
			return err
		}
		var l *peercircle.Live
		var state string
		switch err := tx.QueryRow("SELECT state FROM live_sessions WHERE session_id = ?", sessionID).Scan(&state); {
		case err == nil:
			l = &peercircle.Live{State: state}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if key := peercircle.CheckInProblem(m, l, s.Now()); key != "" {
			return peercircle.Errorf(peercircle.EINVALID, key, "session %d is not running", sessionID)
		}
		return s.markPresentTx(tx, m, personID, true)
	})
}

// attendanceOpenTx returns a session whose attendance the facilitator may
// still change: not cancelled or postponed, and its Sheet 2 not submitted
// or accepted.
func attendanceOpenTx(tx *Tx, sessionID int64) (*peercircle.Session, error) {
	m, err := runnableSessionTx(tx, sessionID)
	if err != nil {
		return nil, err
	}
	var state string
	err = tx.QueryRow("SELECT state FROM summaries WHERE session_id = ?", sessionID).Scan(&state)
	if err == nil && state != peercircle.ReviewDraft && state != peercircle.ReviewReturned {
		return nil, peercircle.Errorf(peercircle.ECONFLICT, "summary.locked", "summary %d is %s", sessionID, state)
	} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return m, nil
}

func (s *Store) markPresentTx(tx *Tx, m *peercircle.Session, personID int64, present bool) error {
	sessionID := m.ID
	var visiting bool
	err := tx.QueryRow("SELECT visiting FROM memberships WHERE group_id = ? AND person_id = ? AND status IN (?, ?)",
		m.GroupID, personID, peercircle.MemberActive, peercircle.MemberOnLeave).Scan(&visiting)
	if err != nil {
		return notFound(err, "member")
	}
	kind := peercircle.AttendMember
	if visiting {
		kind = peercircle.AttendVisitor
	}
	status := peercircle.AttendAbsent
	if present {
		status = peercircle.AttendPresent
	}
	now := s.Now()
	if _, err := tx.Exec(`INSERT INTO attendance (session_id, person_id, guest_name, kind, status, updated_at) VALUES (?, ?, '', ?, ?, ?)
		ON CONFLICT (session_id, person_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
		sessionID, personID, kind, status, now); err != nil {
		return err
	}
	var id int64
	if err := tx.QueryRow("SELECT id FROM attendance WHERE session_id = ? AND person_id = ?", sessionID, personID).Scan(&id); err != nil {
		return err
	}
	return s.attendanceChanged(tx, sessionID, id, present, now)
}

// attendanceChanged puts a person who arrived at the end of the check-in
// round, or takes out one who is not there, and tells polling pages.
func (s *Store) attendanceChanged(tx *Tx, sessionID, attendanceID int64, present bool, now time.Time) error {
	if present {
		if err := addTurnTx(tx, sessionID, attendanceID); err != nil {
			return err
		}
	} else if _, err := tx.Exec("DELETE FROM checkin_turns WHERE session_id = ? AND attendance_id = ?", sessionID, attendanceID); err != nil {
		return err
	}
	return bumpLive(tx, sessionID, now)
}

// addTurnTx puts a present person at the end of the check-in round, once.
func addTurnTx(tx *Tx, sessionID, attendanceID int64) error {
	var pos int
	if err := tx.QueryRow("SELECT COALESCE(MAX(position), 0) + 1 FROM checkin_turns WHERE session_id = ?", sessionID).Scan(&pos); err != nil {
		return err
	}
	_, err := tx.Exec(`INSERT INTO checkin_turns (session_id, attendance_id, position, state) VALUES (?, ?, ?, ?)
		ON CONFLICT (session_id, attendance_id) DO NOTHING`, sessionID, attendanceID, pos, peercircle.TurnWaiting)
	return err
}

// AddGuest records someone without an account as present: a guest
// (coordinator, specialist) or a visiting member from another site.
func (s *Store) AddGuest(ctx context.Context, sessionID int64, name, kind string) (int64, error) {
	name = strings.TrimSpace(name)
	f := peercircle.FieldErrors{}
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		f.Add("guest_name", "error.required")
	case n > 120:
		f.Add("guest_name", "error.too_long")
	}
	if kind != peercircle.AttendGuest && kind != peercircle.AttendVisitor && kind != peercircle.AttendMember {
		f.Add("guest_kind", "error.choice")
	}
	if err := f.Err(); err != nil {
		return 0, err
	}
	var id int64
	err := s.DB.Write(ctx, func(tx *Tx) (err error) {
		if _, err := attendanceOpenTx(tx, sessionID); err != nil {
			return err
		}
		now := s.Now()
		id, err = tx.Insert(`INSERT INTO attendance (session_id, person_id, guest_name, kind, status, updated_at) VALUES (?, NULL, ?, ?, ?, ?)`,
			sessionID, name, kind, peercircle.AttendPresent, now)
		if err != nil {
			return err
		}
		return s.attendanceChanged(tx, sessionID, id, true, now)
	})
	return id, err
}

// SetGuestPresent marks someone recorded without an account present or
// absent.
func (s *Store) SetGuestPresent(ctx context.Context, sessionID, attendanceID int64, present bool) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		if _, err := attendanceOpenTx(tx, sessionID); err != nil {
			return err
		}
		status := peercircle.AttendAbsent
		if present {
			status = peercircle.AttendPresent
		}
		now := s.Now()
		res, err := tx.Exec("UPDATE attendance SET status = ?, updated_at = ? WHERE id = ? AND session_id = ? AND person_id IS NULL",
			status, now, attendanceID, sessionID)
		if err := affectOne(res, err)("guest"); err != nil {
			return err
		}
		return s.attendanceChanged(tx, sessionID, attendanceID, present, now)
	})
}

// EarliestStart is peercircle.EarliestStart.
const EarliestStart = peercircle.EarliestStart

// StartLive starts running a meeting: it copies the agenda (the group's
// template, else the 000 staff agenda), starts the first segment's clock and
// puts everyone already present into the check-in round. Starting a meeting
// that runs returns it as it is.
func (s *Store) StartLive(ctx context.Context, sessionID int64) (*peercircle.Live, error) {
	return s.StartLiveAs(ctx, sessionID, 0, 0)
}

// StartLiveAs starts a meeting as StartLive does and, in the same
// transaction, records who facilitates it (facilitatorID 0 keeps the
// planned facilitator; see SetFacilitator for who may be recorded).
func (s *Store) StartLiveAs(ctx context.Context, sessionID, facilitatorID, by int64) (*peercircle.Live, error) {
	err := s.DB.Write(ctx, func(tx *Tx) error {
		m, err := runnableSessionTx(tx, sessionID)
		if err != nil {
			return err
		}
		var state string
		err = tx.QueryRow("SELECT state FROM live_sessions WHERE session_id = ?", sessionID).Scan(&state)
		switch {
		case err == nil && state == peercircle.LiveEnded:
			return peercircle.Errorf(peercircle.ECONFLICT, "live.ended", "session %d has ended", sessionID)
		case err == nil:
			return nil
		case !isCode(notFound(err, ""), peercircle.ENOTFOUND):
			return err
		}
		now := s.Now()
		if key := m.StartProblem(now); key == "live.too_early" {
			return peercircle.Errorf(peercircle.EINVALID, key, "session %d is not until %s", sessionID, m.PlannedStart)
		} else if key != "" {
			return peercircle.Errorf(peercircle.ECONFLICT, key, "session %d cannot be started: %s", sessionID, key)
		}
		if facilitatorID != 0 {
			if err := s.setFacilitatorTx(tx, m, facilitatorID, by); err != nil {
				return err
			}
		}
		if err := ensureSegmentsTx(tx, m); err != nil {
			return err
		}
		var first int
		if err := tx.QueryRow("SELECT COALESCE(MIN(position), 0) FROM session_segments WHERE session_id = ?", sessionID).Scan(&first); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO live_sessions (session_id, state, segment, segment_started, started_at, reminder_done, version, updated_at)
			VALUES (?, ?, ?, ?, ?, FALSE, 1, ?)`, sessionID, peercircle.LiveRunning, first, now, now, now); err != nil {
			return err
		}
		present, err := idsTx(tx, "SELECT id FROM attendance WHERE session_id = ? AND status = ? ORDER BY id", sessionID, peercircle.AttendPresent)
		if err != nil {
			return err
		}
		for _, id := range present {
			if err := addTurnTx(tx, sessionID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Live(ctx, sessionID)
}

// ensureSegmentsTx copies the session's agenda into session_segments once.
func ensureSegmentsTx(tx *Tx, m *peercircle.Session) error {
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM session_segments WHERE session_id = ?", m.ID).Scan(&n); err != nil || n > 0 {
		return err
	}
	segs, err := templateSegmentsTx(tx, m.GroupID)
	if err != nil {
		return err
	}
	for i, sg := range segs {
		if _, err := tx.Exec(`INSERT INTO session_segments (session_id, position, kind, name, name_key, planned_minutes, actual_seconds)
			VALUES (?, ?, ?, ?, ?, ?, 0)`, m.ID, i, sg.Kind, sg.Name, sg.NameKey, sg.Minutes); err != nil {
			return err
		}
	}
	return nil
}

// meetingSegmentsTx reads a session's segments as run live and, when it
// has none, its group's template (or the 000 staff agenda), in one
// statement: what the meeting page shows.
func meetingSegmentsTx(tx *Tx, sessionID, groupID int64) ([]peercircle.LiveSegment, []peercircle.AgendaSegment, error) {
	rows, err := tx.Query(`SELECT 'l' AS src, position, 0 AS id, kind, name, name_key, planned_minutes, actual_seconds
		FROM session_segments WHERE session_id = ?
		UNION ALL SELECT 't', sg.position, sg.id, sg.kind, sg.name, sg.name_key, sg.minutes, 0 FROM agenda_segments sg
		JOIN groups g ON g.agenda_template_id = sg.template_id
		WHERE g.id = ? AND NOT EXISTS (SELECT 1 FROM session_segments WHERE session_id = ?)
		ORDER BY 1, 2, 3`, sessionID, groupID, sessionID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var segs []peercircle.LiveSegment
	var tpl []peercircle.AgendaSegment
	for rows.Next() {
		var src string
		var id int64
		var sg peercircle.LiveSegment
		if err := rows.Scan(&src, &sg.Position, &id, &sg.Kind, &sg.Name, &sg.NameKey, &sg.Minutes, &sg.ActualSeconds); err != nil {
			return nil, nil, err
		}
		if src == "l" {
			segs = append(segs, sg)
		} else {
			tpl = append(tpl, sg.AgendaSegment)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(segs) == 0 && len(tpl) == 0 {
		tpl = append(tpl, peercircle.StaffAgenda...)
	}
	return segs, tpl, nil
}

// templateSegmentsTx returns the group's agenda template, or the 000 staff
// agenda when the group has none.
func templateSegmentsTx(tx *Tx, groupID int64) ([]peercircle.AgendaSegment, error) {
	rows, err := tx.Query(`SELECT sg.kind, sg.name, sg.name_key, sg.minutes FROM agenda_segments sg
		JOIN groups g ON g.agenda_template_id = sg.template_id WHERE g.id = ? ORDER BY sg.position, sg.id`, groupID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []peercircle.AgendaSegment
	for rows.Next() {
		var sg peercircle.AgendaSegment
		if err := rows.Scan(&sg.Kind, &sg.Name, &sg.NameKey, &sg.Minutes); err != nil {
			return nil, err
		}
		out = append(out, sg)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		out = append(out, peercircle.StaffAgenda...)
	}
	return out, nil
}

// Live returns the state of a running or ended meeting.
func (s *Store) Live(ctx context.Context, sessionID int64) (*peercircle.Live, error) {
	l := &peercircle.Live{SessionID: sessionID, Feelings: map[string]int{}}
	err := s.DB.Read(ctx, func(tx *Tx) error {
		var started *time.Time
		err := tx.QueryRow(`SELECT state, segment, segment_started, started_at, ended_at, reminder_done, version FROM live_sessions WHERE session_id = ?`,
			sessionID).Scan(&l.State, &l.Segment, &started, &l.StartedAt, &l.EndedAt, &l.ReminderDone, &l.Version)
		if err != nil {
			return notFound(err, "live session")
		}
		if started != nil {
			l.SegmentStarted = *started
		}
		if l.Segments, err = liveSegmentsTx(tx, sessionID); err != nil {
			return err
		}
		return checkinAndFeelingsTx(tx, l)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// checkinAndFeelingsTx reads a live meeting's check-in round and the
// counts of the feelings shared.
func checkinAndFeelingsTx(tx *Tx, l *peercircle.Live) error {
	rows, err := tx.Query(`SELECT t.attendance_id, t.position, t.state, a.guest_name, COALESCE(p.full_name, ''), COALESCE(p.display_name, '')
		FROM checkin_turns t JOIN attendance a ON a.id = t.attendance_id LEFT JOIN people p ON p.id = a.person_id
		WHERE t.session_id = ? ORDER BY t.position, t.attendance_id`, l.SessionID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c peercircle.CheckinTurn
		var guest, full, display string
		if err := rows.Scan(&c.AttendanceID, &c.Position, &c.State, &guest, &full, &display); err != nil {
			rows.Close()
			return err
		}
		c.Name = guest
		if full != "" {
			c.Name = (&peercircle.Person{FullName: full, DisplayName: display}).Name()
		}
		l.Checkin = append(l.Checkin, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query("SELECT feeling, n FROM feeling_counts WHERE session_id = ?", l.SessionID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f string
		var n int
		if err := rows.Scan(&f, &n); err != nil {
			return err
		}
		l.Feelings[f] = n
	}
	return rows.Err()
}

func liveSegmentsTx(tx *Tx, sessionID int64) ([]peercircle.LiveSegment, error) {
	rows, err := tx.Query(`SELECT position, kind, name, name_key, planned_minutes, actual_seconds FROM session_segments
		WHERE session_id = ? ORDER BY position`, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []peercircle.LiveSegment
	for rows.Next() {
		var sg peercircle.LiveSegment
		if err := rows.Scan(&sg.Position, &sg.Kind, &sg.Name, &sg.NameKey, &sg.Minutes, &sg.ActualSeconds); err != nil {
			return nil, err
		}
		out = append(out, sg)
	}
	return out, rows.Err()
}

// LiveVersion returns the change counter of a running meeting, cheaply,
// for pages that poll.
func (s *Store) LiveVersion(ctx context.Context, sessionID int64) (int, error) {
	var v int
	err := s.DB.QueryRow(ctx, "SELECT version FROM live_sessions WHERE session_id = ?", sessionID).Scan(&v)
	return v, notFound(err, "live session")
}

// runningTx loads the live row of a running meeting for a change.
func runningTx(tx *Tx, sessionID int64) (segment int, started *time.Time, err error) {
	var state string
	err = tx.QueryRow("SELECT state, segment, segment_started FROM live_sessions WHERE session_id = ?", sessionID).Scan(&state, &segment, &started)
	if err != nil {
		return 0, nil, notFound(err, "live session")
	}
	if state != peercircle.LiveRunning {
		return 0, nil, peercircle.Errorf(peercircle.ECONFLICT, "live.ended", "session %d has ended", sessionID)
	}
	return segment, started, nil
}

// stopClockTx adds the time since the current segment's clock started to
// the segment.
func stopClockTx(tx *Tx, sessionID int64, segment int, started *time.Time, now time.Time) error {
	if started == nil {
		return nil
	}
	secs := int(now.Sub(*started).Seconds())
	if secs < 0 {
		secs = 0
	}
	_, err := tx.Exec("UPDATE session_segments SET actual_seconds = actual_seconds + ? WHERE session_id = ? AND position = ?", secs, sessionID, segment)
	return err
}

// GoToSegment moves a running meeting to another segment of its agenda.
func (s *Store) GoToSegment(ctx context.Context, sessionID int64, position int) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		segment, started, err := runningTx(tx, sessionID)
		if err != nil {
			return err
		}
		if position == segment {
			return nil
		}
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM session_segments WHERE session_id = ? AND position = ?", sessionID, position).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "segment %d not found", position)
		}
		now := s.Now()
		if err := stopClockTx(tx, sessionID, segment, started, now); err != nil {
			return err
		}
		_, err = tx.Exec("UPDATE live_sessions SET segment = ?, segment_started = ?, version = version + 1, updated_at = ? WHERE session_id = ?",
			position, now, now, sessionID)
		return err
	})
}

// ReminderDone records that the confidentiality reminder was given.
func (s *Store) ReminderDone(ctx context.Context, sessionID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		if _, _, err := runningTx(tx, sessionID); err != nil {
			return err
		}
		now := s.Now()
		_, err := tx.Exec("UPDATE live_sessions SET reminder_done = TRUE, version = version + 1, updated_at = ? WHERE session_id = ?", now, sessionID)
		return err
	})
}

// EndLive ends a meeting: the clock stops, the session counts as held, and
// members who neither came nor sent apologies are recorded absent (members
// on leave are not).
func (s *Store) EndLive(ctx context.Context, sessionID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		segment, started, err := runningTx(tx, sessionID)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := stopClockTx(tx, sessionID, segment, started, now); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE live_sessions SET state = ?, ended_at = ?, segment_started = NULL, version = version + 1, updated_at = ?
			WHERE session_id = ?`, peercircle.LiveEnded, now, now, sessionID); err != nil {
			return err
		}
		if err := markHeldTx(tx, sessionID, now); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE attendance SET status = ?, updated_at = ? WHERE session_id = ? AND status = ?`,
			peercircle.AttendAbsent, now, sessionID, peercircle.AttendExpected); err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT m.person_id, m.visiting FROM memberships m
			WHERE m.group_id = (SELECT group_id FROM sessions WHERE id = ?) AND m.status = ?
			AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = ? AND a.person_id = m.person_id)`,
			sessionID, peercircle.MemberActive, sessionID)
		if err != nil {
			return err
		}
		type missing struct {
			person   int64
			visiting bool
		}
		var absent []missing
		for rows.Next() {
			var m missing
			if err := rows.Scan(&m.person, &m.visiting); err != nil {
				rows.Close()
				return err
			}
			absent = append(absent, m)
		}
		rows.Close()
		for _, m := range absent {
			kind := peercircle.AttendMember
			if m.visiting {
				kind = peercircle.AttendVisitor
			}
			if _, err := tx.Exec(`INSERT INTO attendance (session_id, person_id, guest_name, kind, status, updated_at) VALUES (?, ?, '', ?, ?, ?)`,
				sessionID, m.person, kind, peercircle.AttendAbsent, now); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// markHeldTx records that a planned meeting took place.
func markHeldTx(tx *Tx, sessionID int64, now time.Time) error {
	res, err := tx.Exec("UPDATE sessions SET status = ?, updated_at = ?, sequence = sequence + 1 WHERE id = ? AND status = ?",
		peercircle.SessionHeld, now, sessionID, peercircle.SessionPlanned)
	if err != nil {
		return err
	}
	_, err = res.RowsAffected()
	return err
}

// SetTurn sets one person's state in the check-in round. Starting someone's
// turn ends the turn of whoever was speaking.
func (s *Store) SetTurn(ctx context.Context, sessionID, attendanceID int64, state string) error {
	switch state {
	case peercircle.TurnWaiting, peercircle.TurnSpeaking, peercircle.TurnSpoke, peercircle.TurnPassed:
	default:
		return peercircle.FieldErrors{"state": "error.choice"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if _, _, err := runningTx(tx, sessionID); err != nil {
			return err
		}
		if state == peercircle.TurnSpeaking {
			if _, err := tx.Exec("UPDATE checkin_turns SET state = ? WHERE session_id = ? AND state = ? AND attendance_id <> ?",
				peercircle.TurnSpoke, sessionID, peercircle.TurnSpeaking, attendanceID); err != nil {
				return err
			}
		}
		res, err := tx.Exec("UPDATE checkin_turns SET state = ? WHERE session_id = ? AND attendance_id = ?", state, sessionID, attendanceID)
		if err := affectOne(res, err)("check-in turn"); err != nil {
			return err
		}
		return bumpLive(tx, sessionID, s.Now())
	})
}

// ShuffleCheckin puts the people still waiting in a new random order after
// those who have had their turn.
func (s *Store) ShuffleCheckin(ctx context.Context, sessionID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		if _, _, err := runningTx(tx, sessionID); err != nil {
			return err
		}
		var top int
		if err := tx.QueryRow("SELECT COALESCE(MAX(position), 0) FROM checkin_turns WHERE session_id = ?", sessionID).Scan(&top); err != nil {
			return err
		}
		rows, err := tx.Query("SELECT attendance_id FROM checkin_turns WHERE session_id = ? AND state = ?", sessionID, peercircle.TurnWaiting)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		for i, id := range ids {
			if _, err := tx.Exec("UPDATE checkin_turns SET position = ? WHERE session_id = ? AND attendance_id = ?", top+1+i, sessionID, id); err != nil {
				return err
			}
		}
		return bumpLive(tx, sessionID, s.Now())
	})
}

// PickFeeling adds one to a feeling's count. A person picks once; what they
// picked is not recorded anywhere.
func (s *Store) PickFeeling(ctx context.Context, sessionID, personID int64, feeling string) error {
	if !containsString(peercircle.Feelings, feeling) {
		return peercircle.FieldErrors{"feeling": "error.choice"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if _, _, err := runningTx(tx, sessionID); err != nil {
			return err
		}
		if personID != 0 {
			var n int
			if err := tx.QueryRow("SELECT COUNT(*) FROM feeling_picks WHERE session_id = ? AND person_id = ?", sessionID, personID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return peercircle.Errorf(peercircle.ECONFLICT, "feelings.already", "already picked")
			}
			if _, err := tx.Exec("INSERT INTO feeling_picks (session_id, person_id) VALUES (?, ?)", sessionID, personID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`INSERT INTO feeling_counts (session_id, feeling, n) VALUES (?, ?, 1)
			ON CONFLICT (session_id, feeling) DO UPDATE SET n = feeling_counts.n + 1`, sessionID, feeling); err != nil {
			return err
		}
		return bumpLive(tx, sessionID, s.Now())
	})
}

// HasPickedFeeling reports whether a person has shared a feeling.
func (s *Store) HasPickedFeeling(ctx context.Context, sessionID, personID int64) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM feeling_picks WHERE session_id = ? AND person_id = ?", sessionID, personID).Scan(&n)
	return n > 0, err
}

// idsTx runs a query that returns one id per row.
func idsTx(tx *Tx, q string, args ...any) ([]int64, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
