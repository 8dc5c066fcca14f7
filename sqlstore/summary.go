package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/peercircle/peercircle"
)

// summaryContext binds a sealed section to its summary and field.
func summaryContext(sessionID int64, field string) string {
	return fmt.Sprintf("summary:%d:%s", sessionID, field)
}

// Summary returns Sheet 2 of a session; withNotes opens the sealed
// sections and the confirmed words.
func (s *Store) Summary(ctx context.Context, sessionID int64, withNotes bool) (*peercircle.Summary, error) {
	var out *peercircle.Summary
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		out, err = s.summaryTx(tx, sessionID, withNotes)
		return err
	})
	return out, err
}

func (s *Store) summaryTx(tx *Tx, sessionID int64, withNotes bool) (*peercircle.Summary, error) {
	su := &peercircle.Summary{SessionID: sessionID, Support: map[string]int{}}
	sealed := make([][]byte, len(peercircle.NoteFields))
	var allowed []byte
	var clearComment string
	var sealedComment []byte
	dest := []any{&su.State, &su.AuthorID, &su.Topic, &su.CasesDiscussed, &clearComment, &sealedComment, &su.ReviewedBy,
		&su.SubmittedAt, &su.ReviewedAt, &su.CreatedAt, &su.UpdatedAt, &su.Version, &allowed}
	for i := range sealed {
		dest = append(dest, &sealed[i])
	}
	err := tx.QueryRow(`SELECT state, author_id, topic, cases_discussed, return_comment, return_comment_sealed, reviewed_by, submitted_at, reviewed_at,
		created_at, updated_at, version, allowed, `+strings.Join(peercircle.NoteFields, ", ")+` FROM summaries WHERE session_id = ?`, sessionID).Scan(dest...)
	if err != nil {
		return nil, notFound(err, "summary")
	}
	su.ReturnComment = clearComment // a row from before comments were sealed
	if sealedComment != nil {
		if su.ReturnComment, err = s.Keys.OpenString(sealedComment, summaryContext(sessionID, "return_comment")); err != nil {
			return nil, fmt.Errorf("summary %d return comment: %w", sessionID, err)
		}
	}
	if withNotes {
		su.Notes = map[string]string{}
		for i, f := range peercircle.NoteFields {
			if su.Notes[f], err = s.Keys.OpenString(sealed[i], summaryContext(sessionID, f)); err != nil {
				return nil, fmt.Errorf("summary %d %s: %w", sessionID, f, err)
			}
		}
		if err := s.openJSON(allowed, summaryContext(sessionID, "allowed"), &su.Allowed); err != nil {
			return nil, err
		}
	}
	rows, err := tx.Query("SELECT kind, n FROM summary_support WHERE session_id = ?", sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		su.Support[k] = n
	}
	return su, rows.Err()
}

// summarisableTx loads a session that can have a summary: not cancelled or
// postponed, and already begun.
func (s *Store) summarisableTx(tx *Tx, sessionID int64) (*peercircle.Session, error) {
	m, err := scanSession(tx.QueryRow("SELECT "+sessionCols+" FROM sessions WHERE id = ?", sessionID))
	if err != nil {
		return nil, notFound(err, "session")
	}
	switch m.Status {
	case peercircle.SessionCancelled, peercircle.SessionPostponed:
		return nil, peercircle.Errorf(peercircle.EINVALID, "summary.session_cancelled", "session %d is %s", sessionID, m.Status)
	}
	if m.Status != peercircle.SessionHeld && s.Now().Before(m.PlannedStart) {
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM live_sessions WHERE session_id = ?", sessionID).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, peercircle.Errorf(peercircle.EINVALID, "summary.not_held", "session %d has not happened", sessionID)
		}
	}
	return m, nil
}

// SaveSummary creates or updates Sheet 2 as a draft (a returned one stays
// returned until it is submitted again).
func (s *Store) SaveSummary(ctx context.Context, su *peercircle.Summary, actorID int64) error {
	if err := su.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if _, err := s.summarisableTx(tx, su.SessionID); err != nil {
			return err
		}
		old, err := s.summaryTx(tx, su.SessionID, true)
		exists := err == nil
		if err != nil && !isCode(err, peercircle.ENOTFOUND) {
			return err
		}
		if exists && !old.Editable() {
			return peercircle.Errorf(peercircle.ECONFLICT, "summary.locked", "summary %d is %s", su.SessionID, old.State)
		}
		if exists && su.Version != old.Version {
			return peercircle.Errorf(peercircle.ECONFLICT, "summary.stale", "summary %d changed (version %d, not %d)", su.SessionID, old.Version, su.Version)
		}
		texts := map[string]string{"topic": su.Topic}
		for _, f := range peercircle.NoteFields {
			texts[f] = su.Notes[f]
		}
		if err := guardTx(tx, su.SessionID, texts, su.Allowed); err != nil {
			return err
		}
		now := s.Now()
		allowed, err := s.sealJSON(su.Allowed, summaryContext(su.SessionID, "allowed"))
		if err != nil {
			return err
		}
		args := []any{su.Topic, su.CasesDiscussed, now, allowed}
		sets := []string{"topic = ?", "cases_discussed = ?", "updated_at = ?", "allowed = ?"}
		for _, f := range peercircle.NoteFields {
			var v any
			if t := su.Notes[f]; t != "" {
				v = s.Keys.SealString(t, summaryContext(su.SessionID, f))
			}
			args = append(args, v)
			sets = append(sets, f+" = ?")
		}
		if !exists {
			su.State, su.AuthorID, su.CreatedAt = peercircle.ReviewDraft, actorID, now
			if _, err := tx.Exec(`INSERT INTO summaries (session_id, state, author_id, created_at, updated_at, version)
				VALUES (?, ?, ?, ?, ?, 0)`, su.SessionID, su.State, nullID(actorID), now, now); err != nil {
				return err
			}
		} else {
			su.State, su.AuthorID, su.CreatedAt = old.State, old.AuthorID, old.CreatedAt
		}
		su.Version++
		su.UpdatedAt = now
		sets = append(sets, "version = ?")
		args = append(args, su.Version, su.SessionID)
		if _, err := tx.Exec("UPDATE summaries SET "+strings.Join(sets, ", ")+" WHERE session_id = ?", args...); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM summary_support WHERE session_id = ?", su.SessionID); err != nil {
			return err
		}
		for _, k := range peercircle.SupportKinds {
			if n := su.Support[k]; n > 0 {
				if _, err := tx.Exec("INSERT INTO summary_support (session_id, kind, n) VALUES (?, ?, ?)", su.SessionID, k, n); err != nil {
					return err
				}
			}
		}
		var before map[string][]string
		if exists {
			before = old.Allowed
		}
		if n := countNew(before, su.Allowed); n > 0 {
			if err := s.auditTx(tx, &peercircle.AuditEvent{ActorID: actorID, Action: "guard.confirm", TargetKind: "summary", TargetID: su.SessionID,
				Detail: "count=" + strconv.Itoa(n)}); err != nil {
				return err
			}
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: actorID, Action: "summary.save", TargetKind: "summary", TargetID: su.SessionID,
			Detail: "version=" + strconv.Itoa(su.Version)})
	})
}

// summaryEventTx appends to the review history.
// The comment, which can be confidential, is sealed.
func (s *Store) summaryEventTx(tx *Tx, sessionID, actorID int64, state, comment string, now time.Time) error {
	_, err := tx.Exec("INSERT INTO summary_events (session_id, at, actor_id, state, comment, comment_sealed) VALUES (?, ?, ?, ?, '', ?)",
		sessionID, now, nullID(actorID), state, s.sealComment(comment, summaryContext(sessionID, "event")))
	return err
}

// sealComment seals a review comment; an empty one is NULL.
func (s *Store) sealComment(comment, context string) []byte {
	if comment == "" {
		return nil
	}
	return s.Keys.SealString(comment, context)
}

// SealClearComments seals review comments written before they were sealed
// (migration 1200) and empties their clear columns. It runs at start; a
// second run finds nothing. It returns how many it sealed.
func (s *Store) SealClearComments(ctx context.Context) (int, error) {
	n := 0
	err := s.DB.Write(ctx, func(tx *Tx) error {
		type row struct {
			id, session int64
			text        string
		}
		collect := func(q string) ([]row, error) {
			rows, err := tx.Query(q)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var out []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.session, &r.text); err != nil {
					return nil, err
				}
				out = append(out, r)
			}
			return out, rows.Err()
		}
		sums, err := collect("SELECT session_id, session_id, return_comment FROM summaries WHERE return_comment <> ''")
		if err != nil {
			return err
		}
		for _, r := range sums {
			if _, err := tx.Exec("UPDATE summaries SET return_comment = '', return_comment_sealed = ? WHERE session_id = ?",
				s.sealComment(r.text, summaryContext(r.session, "return_comment")), r.session); err != nil {
				return err
			}
		}
		events, err := collect("SELECT id, session_id, comment FROM summary_events WHERE comment <> ''")
		if err != nil {
			return err
		}
		for _, r := range events {
			if _, err := tx.Exec("UPDATE summary_events SET comment = '', comment_sealed = ? WHERE id = ?",
				s.sealComment(r.text, summaryContext(r.session, "event")), r.id); err != nil {
				return err
			}
		}
		n = len(sums) + len(events)
		return nil
	})
	return n, err
}

// summaryNoticeTx tells people about a step of the review: the group's
// name and the meeting's date, and a link; never what was written.
func (s *Store) summaryNoticeTx(tx *Tx, sessionID int64, kind string, people []int64, except int64) error {
	var group, date string
	if err := tx.QueryRow("SELECT g.name, m.local_date FROM sessions m JOIN groups g ON g.id = m.group_id WHERE m.id = ?", sessionID).Scan(&group, &date); err != nil {
		return err
	}
	seen := map[int64]bool{except: true, 0: true}
	for _, p := range people {
		if seen[p] {
			continue
		}
		seen[p] = true
		n := &peercircle.Notification{PersonID: p, Kind: kind, Params: []string{group, date}, Link: fmt.Sprintf("/sessions/%d/summary", sessionID)}
		if err := s.notifyTx(tx, n); err != nil {
			return err
		}
	}
	return nil
}

// SubmitSummary sends a draft or returned summary for review.
func (s *Store) SubmitSummary(ctx context.Context, sessionID, actorID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, err := s.summarisableTx(tx, sessionID)
		if err != nil {
			return err
		}
		var state string
		if err := tx.QueryRow("SELECT state FROM summaries WHERE session_id = ?", sessionID).Scan(&state); err != nil {
			return notFound(err, "summary")
		}
		if state != peercircle.ReviewDraft && state != peercircle.ReviewReturned {
			return peercircle.Errorf(peercircle.ECONFLICT, "summary.locked", "summary %d is %s", sessionID, state)
		}
		now := s.Now()
		if _, err := tx.Exec("UPDATE summaries SET state = ?, submitted_at = ?, updated_at = ? WHERE session_id = ?",
			peercircle.ReviewSubmitted, now, now, sessionID); err != nil {
			return err
		}
		if err := markHeldTx(tx, sessionID, now); err != nil {
			return err
		}
		if err := s.summaryEventTx(tx, sessionID, actorID, peercircle.ReviewSubmitted, "", now); err != nil {
			return err
		}
		organisers, err := idsTx(tx, `SELECT gr.person_id FROM grants gr JOIN groups g ON gr.scope_id = g.site_id
			WHERE g.id = ? AND gr.role = ? AND gr.scope_kind = ? ORDER BY gr.person_id`, m.GroupID, peercircle.RoleOrganiser, peercircle.ScopeSite)
		if err != nil {
			return err
		}
		if err := s.summaryNoticeTx(tx, sessionID, "summary_submitted", organisers, actorID); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: actorID, Action: "summary.submit", TargetKind: "summary", TargetID: sessionID})
	})
}

// MaxComment bounds a reviewer's comment.
const MaxComment = 2000

// ReviewSummary accepts a submitted summary or returns it with a comment.
func (s *Store) ReviewSummary(ctx context.Context, sessionID, reviewerID int64, accept bool, comment string, allowed ...string) error {
	comment = strings.TrimSpace(comment)
	switch n := utf8.RuneCountInString(comment); {
	case !accept && n == 0:
		return peercircle.FieldErrors{"comment": "summary.comment_required"}.Err()
	case n > MaxComment:
		return peercircle.FieldErrors{"comment": "error.too_long"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		var state string
		var author, group, site, area, region, fac, co int64
		err := tx.QueryRow(`SELECT su.state, su.author_id, g.id, st.id, st.area_id, a.region_id, m.facilitator_id, m.co_facilitator_id
			FROM summaries su JOIN sessions m ON m.id = su.session_id JOIN groups g ON g.id = m.group_id
			JOIN sites st ON st.id = g.site_id JOIN areas a ON a.id = st.area_id WHERE su.session_id = ?`, sessionID).
			Scan(&state, &author, &group, &site, &area, &region, &fac, &co)
		if err != nil {
			return notFound(err, "summary")
		}
		if state != peercircle.ReviewSubmitted {
			return peercircle.Errorf(peercircle.ECONFLICT, "summary.not_submitted", "summary %d is %s", sessionID, state)
		}
		confirmed := 0
		if comment != "" {
			names, err := protectedNamesTx(tx, sessionID)
			if err != nil {
				return err
			}
			if confirmed, err = guardNamesTx(names, map[string]string{"comment": comment}, map[string][]string{"comment": allowed}); err != nil {
				return peercircle.FieldErrors{"comment": "summary.comment_guard"}.Err()
			}
		}
		now := s.Now()
		writers := []int64{author, fac, co}
		if accept {
			if _, err := tx.Exec("UPDATE summaries SET state = ?, reviewed_by = ?, reviewed_at = ?, return_comment = '', return_comment_sealed = ?, updated_at = ? WHERE session_id = ?",
				peercircle.ReviewAccepted, nullID(reviewerID), now, s.sealComment(comment, summaryContext(sessionID, "return_comment")), now, sessionID); err != nil {
				return err
			}
			coordinators, err := idsTx(tx, `SELECT person_id FROM grants WHERE role = ?
				AND ((scope_kind = ? AND scope_id = ?) OR (scope_kind = ? AND scope_id = ?)) ORDER BY person_id`,
				peercircle.RoleCoordinator, peercircle.ScopeArea, area, peercircle.ScopeRegion, region)
			if err != nil {
				return err
			}
			if err := s.summaryNoticeTx(tx, sessionID, "summary_accepted", writers, reviewerID); err != nil {
				return err
			}
			if err := s.summaryNoticeTx(tx, sessionID, "summary_to_read", coordinators, reviewerID); err != nil {
				return err
			}
		} else {
			if _, err := tx.Exec("UPDATE summaries SET state = ?, reviewed_by = ?, reviewed_at = ?, return_comment = '', return_comment_sealed = ?, updated_at = ? WHERE session_id = ?",
				peercircle.ReviewReturned, nullID(reviewerID), now, s.sealComment(comment, summaryContext(sessionID, "return_comment")), now, sessionID); err != nil {
				return err
			}
			if err := s.summaryNoticeTx(tx, sessionID, "summary_returned", writers, reviewerID); err != nil {
				return err
			}
		}
		state = map[bool]string{true: peercircle.ReviewAccepted, false: peercircle.ReviewReturned}[accept]
		if err := s.summaryEventTx(tx, sessionID, reviewerID, state, comment, now); err != nil {
			return err
		}
		if confirmed > 0 {
			if err := s.auditTx(tx, &peercircle.AuditEvent{ActorID: reviewerID, Action: "guard.confirm", TargetKind: "summary", TargetID: sessionID,
				Detail: "count=" + strconv.Itoa(confirmed)}); err != nil {
				return err
			}
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: reviewerID, Action: "summary." + state, TargetKind: "summary", TargetID: sessionID})
	})
}

// Summaries lists summaries with the figures coordinators may see.
func (s *Store) Summaries(ctx context.Context, f peercircle.SummaryFilter) ([]*peercircle.SummaryRow, error) {
	if len(f.SiteIDs) == 0 && len(f.GroupIDs) == 0 {
		return nil, nil
	}
	var where []string
	var args []any
	if len(f.SiteIDs) > 0 {
		where = append(where, "g.site_id IN ("+placeholders(len(f.SiteIDs))+")")
		for _, id := range f.SiteIDs {
			args = append(args, id)
		}
	}
	if len(f.GroupIDs) > 0 {
		where = append(where, "g.id IN ("+placeholders(len(f.GroupIDs))+")")
		for _, id := range f.GroupIDs {
			args = append(args, id)
		}
	}
	q := `SELECT su.session_id, g.id, g.name, st.id, st.name, m.local_date, m.planned_start, su.state, su.topic, su.cases_discussed,
			su.submitted_at, su.reviewed_at, (SELECT COALESCE(SUM(x.n), 0) FROM summary_support x WHERE x.session_id = su.session_id)
		FROM summaries su JOIN sessions m ON m.id = su.session_id JOIN groups g ON g.id = m.group_id JOIN sites st ON st.id = g.site_id
		WHERE (` + strings.Join(where, " OR ") + ")"
	if len(f.States) > 0 {
		q += " AND su.state IN (" + placeholders(len(f.States)) + ")"
		for _, st := range f.States {
			args = append(args, st)
		}
	}
	if f.Before != 0 {
		q += " AND (m.planned_start, su.session_id) < (SELECT planned_start, id FROM sessions WHERE id = ?)"
		args = append(args, f.Before)
	}
	q += " ORDER BY m.planned_start DESC, su.session_id DESC"
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	q += " LIMIT ?"
	args = append(args, limit)
	var out []*peercircle.SummaryRow
	err := s.DB.Read(ctx, func(tx *Tx) error {
		rows, err := tx.Query(q, args...)
		if err != nil {
			return err
		}
		byID := map[int64]*peercircle.SummaryRow{}
		for rows.Next() {
			var r peercircle.SummaryRow
			if err := rows.Scan(&r.SessionID, &r.GroupID, &r.GroupName, &r.SiteID, &r.SiteName, &r.LocalDate, &r.PlannedStart, &r.State,
				&r.Topic, &r.CasesDiscussed, &r.SubmittedAt, &r.ReviewedAt, &r.SupportGiven); err != nil {
				rows.Close()
				return err
			}
			out = append(out, &r)
			byID[r.SessionID] = &r
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(out) == 0 {
			return err
		}
		ids := make([]any, 0, len(out))
		for _, r := range out {
			ids = append(ids, r.SessionID)
		}
		rows, err = tx.Query(`SELECT session_id, kind, status, COUNT(*) FROM attendance WHERE session_id IN (`+placeholders(len(ids))+`)
			GROUP BY session_id, kind, status`, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var kind, status string
			var n int
			if err := rows.Scan(&id, &kind, &status, &n); err != nil {
				return err
			}
			e := &peercircle.AttendanceEntry{Attendance: peercircle.Attendance{Kind: kind, Status: status}}
			c := peercircle.CountAttendance([]*peercircle.AttendanceEntry{e})
			a := &byID[id].Attendance
			a.Members += c.Members * n
			a.Visitors += c.Visitors * n
			a.Guests += c.Guests * n
			a.Apologies += c.Apologies * n
			a.Absent += c.Absent * n
		}
		return rows.Err()
	})
	return out, err
}

// SegmentTimes returns the agenda of a session with the minutes actually
// spent: as run live, else the group's template with nothing recorded.
func (s *Store) SegmentTimes(ctx context.Context, sessionID int64) ([]peercircle.SegmentTime, error) {
	var out []peercircle.SegmentTime
	err := s.DB.Read(ctx, func(tx *Tx) error {
		segs, err := liveSegmentsTx(tx, sessionID)
		if err != nil {
			return err
		}
		var groupID int64
		if len(segs) == 0 {
			if err := tx.QueryRow("SELECT group_id FROM sessions WHERE id = ?", sessionID).Scan(&groupID); err != nil {
				return notFound(err, "session")
			}
		}
		out, err = segmentTimesTx(tx, groupID, segs)
		return err
	})
	return out, err
}

// segmentTimesTx turns a session's segments into the minutes spent in
// each; a session without segments has its group's template, with nothing
// recorded.
func segmentTimesTx(tx *Tx, groupID int64, segs []peercircle.LiveSegment) ([]peercircle.SegmentTime, error) {
	var tpl []peercircle.AgendaSegment
	if len(segs) == 0 {
		var err error
		if tpl, err = templateSegmentsTx(tx, groupID); err != nil {
			return nil, err
		}
	}
	return segmentTimes(segs, tpl), nil
}

// segmentTimes is the minutes spent in each of a session's segments or,
// when it has none, its template's segments with nothing recorded.
func segmentTimes(segs []peercircle.LiveSegment, tpl []peercircle.AgendaSegment) []peercircle.SegmentTime {
	var out []peercircle.SegmentTime
	if len(segs) == 0 {
		for i, sg := range tpl {
			out = append(out, peercircle.SegmentTime{Position: i, AgendaSegment: sg})
		}
		return out
	}
	for _, sg := range segs {
		out = append(out, peercircle.SegmentTime{Position: sg.Position, AgendaSegment: sg.AgendaSegment, ActualMinutes: (sg.ActualSeconds + 30) / 60})
	}
	return out
}

// SetSegmentMinutes records the minutes actually spent per segment, for a
// meeting run without the live page or to correct the clock.
func (s *Store) SetSegmentMinutes(ctx context.Context, sessionID int64, minutes map[int]int) error {
	f := peercircle.FieldErrors{}
	for pos, m := range minutes {
		if m < 0 || m > 12*60 {
			f.Add(fmt.Sprintf("segment_%d", pos), "error.range")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, err := s.summarisableTx(tx, sessionID)
		if err != nil {
			return err
		}
		var state string
		err = tx.QueryRow("SELECT state FROM summaries WHERE session_id = ?", sessionID).Scan(&state)
		if err == nil && state != peercircle.ReviewDraft && state != peercircle.ReviewReturned {
			return peercircle.Errorf(peercircle.ECONFLICT, "summary.locked", "summary %d is %s", sessionID, state)
		}
		if err := ensureSegmentsTx(tx, m); err != nil {
			return err
		}
		for pos, mins := range minutes {
			var current int
			err := tx.QueryRow("SELECT actual_seconds FROM session_segments WHERE session_id = ? AND position = ?", sessionID, pos).Scan(&current)
			if err != nil {
				return notFound(err, "segment")
			}
			if (current+30)/60 == mins {
				continue // unchanged: keep the seconds the clock measured
			}
			if _, err := tx.Exec("UPDATE session_segments SET actual_seconds = ? WHERE session_id = ? AND position = ?", mins*60, sessionID, pos); err != nil {
				return err
			}
		}
		return nil
	})
}
