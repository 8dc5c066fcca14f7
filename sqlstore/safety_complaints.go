package sqlstore

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/peercircle/peercircle"
)

// complaintContext binds a complaint's sealed text and notes to it.
func complaintContext(id int64, field string) string {
	return fmt.Sprintf("complaint:%d:%s", id, field)
}

const complaintCols = `id, about, group_id, site_id, about_organiser, route_kind, route_id, state, received_on, updated_at`

func scanComplaint(sc interface{ Scan(...any) error }, extra ...any) (*peercircle.Complaint, error) {
	var c peercircle.Complaint
	dest := append([]any{&c.ID, &c.About, &c.GroupID, &c.SiteID, &c.AboutOrganiser, &c.RouteKind, &c.RouteID, &c.State,
		&c.ReceivedOn, &c.UpdatedAt}, extra...)
	return &c, sc.Scan(dest...)
}

var errThrottledComplaint = &peercircle.Error{Code: peercircle.ETOOMANY, Key: "complaint.throttled", Message: "too many complaints from one address"}

// complaintThrottleTx counts a filing from addr and refuses one over the
// limit. Only a keyed hash of the address is kept, with the hour; the
// window is this hour and the one before, and older rows are removed, so
// nothing here outlives the window or points to a complaint.
func (s *Store) complaintThrottleTx(tx *Tx, addr string, now time.Time) error {
	hour := now.Truncate(time.Hour)
	if _, err := tx.Exec("DELETE FROM complaint_throttle WHERE hour < ?", hour.Add(-time.Hour)); err != nil {
		return err
	}
	mac := hex.EncodeToString(s.Keys.MAC([]byte(addr), "complaint:addr"))
	var n int
	if err := tx.QueryRow("SELECT COALESCE(SUM(n), 0) FROM complaint_throttle WHERE addr_mac = ? AND hour >= ?", mac, hour.Add(-time.Hour)).Scan(&n); err != nil {
		return err
	}
	if n >= peercircle.ComplaintThrottle {
		return errThrottledComplaint
	}
	_, err := tx.Exec(`INSERT INTO complaint_throttle (addr_mac, hour, n) VALUES (?, ?, 1)
		ON CONFLICT (addr_mac, hour) DO UPDATE SET n = complaint_throttle.n + 1`, mac, hour)
	return err
}

// routeComplaintTx decides who handles a complaint: never its subject.
func routeComplaintTx(tx *Tx, c *peercircle.Complaint) error {
	c.RouteKind, c.RouteID = peercircle.RouteOrganisation, 0
	if c.About == peercircle.ComplaintAboutProgramme {
		return nil
	}
	var area, region int64
	if err := tx.QueryRow("SELECT s.area_id, a.region_id FROM sites s JOIN areas a ON a.id = s.area_id WHERE s.id = ?", c.SiteID).Scan(&area, &region); err != nil {
		return notFound(err, "site")
	}
	count := func(q string, args ...any) (int, error) {
		var n int
		err := tx.QueryRow(q, args...).Scan(&n)
		return n, err
	}
	if !c.AboutOrganiser {
		// A complaint about a group is never read by its standing
		// facilitators, even when they also organise the site.
		n, err := count("SELECT COUNT(*) FROM grants g WHERE g.role = ? AND g.scope_kind = ? AND g.scope_id = ? AND "+notFacilitatorOf,
			peercircle.RoleOrganiser, peercircle.ScopeSite, c.SiteID, c.GroupID, peercircle.RoleFacilitator, peercircle.MemberActive, peercircle.MemberOnLeave)
		if err != nil {
			return err
		}
		if n > 0 {
			c.RouteKind, c.RouteID = peercircle.RouteSite, c.SiteID
			return nil
		}
	}
	n, err := count("SELECT COUNT(*) FROM grants WHERE role = ? AND ((scope_kind = ? AND scope_id = ?) OR (scope_kind = ? AND scope_id = ?))",
		peercircle.RoleCoordinator, peercircle.ScopeArea, area, peercircle.ScopeRegion, region)
	if err != nil {
		return err
	}
	if n > 0 {
		c.RouteKind, c.RouteID = peercircle.RouteArea, area
	}
	return nil
}

// notFacilitatorOf keeps the grants (g) of people who are not a current
// standing facilitator of a group; its arguments are the group id (0 for
// none), the facilitator role and the two current membership states.
const notFacilitatorOf = `NOT EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = ? AND m.person_id = g.person_id AND m.role = ? AND m.status IN (?, ?))`

// complaintHandlersTx lists the people a complaint is routed to.
func complaintHandlersTx(tx *Tx, c *peercircle.Complaint) ([]int64, error) {
	var rows *Rows
	var err error
	switch c.RouteKind {
	case peercircle.RouteSite:
		rows, err = tx.Query("SELECT g.person_id FROM grants g WHERE g.role = ? AND g.scope_kind = ? AND g.scope_id = ? AND "+notFacilitatorOf+" ORDER BY g.person_id",
			peercircle.RoleOrganiser, peercircle.ScopeSite, c.RouteID, c.GroupID, peercircle.RoleFacilitator, peercircle.MemberActive, peercircle.MemberOnLeave)
	case peercircle.RouteArea:
		rows, err = tx.Query(`SELECT DISTINCT g.person_id FROM grants g, areas a WHERE a.id = ? AND g.role = ?
			AND ((g.scope_kind = ? AND g.scope_id = a.id) OR (g.scope_kind = ? AND g.scope_id = a.region_id)) ORDER BY g.person_id`,
			c.RouteID, peercircle.RoleCoordinator, peercircle.ScopeArea, peercircle.ScopeRegion)
	default:
		rows, err = tx.Query("SELECT person_id FROM grants WHERE role = ? AND scope_kind = ? ORDER BY person_id", peercircle.RoleAdmin, peercircle.ScopeOrganisation)
	}
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// FileComplaint stores an anonymous complaint and returns its tracking
// code. Nothing of the filer is kept with it, nor the moment it was filed:
// the complaint holds the day, and this transaction writes nothing else
// that has a time or a place in a sequence shared with other records
// (no history row, no notification, no audit event). AnnounceComplaints
// tells the handlers the next day.
func (s *Store) FileComplaint(ctx context.Context, c *peercircle.Complaint, addr string) (string, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	code := peercircle.NewTrackingCode()
	err := s.DB.Write(ctx, func(tx *Tx) error {
		now := s.Now()
		if err := s.complaintThrottleTx(tx, addr, now); err != nil {
			return err
		}
		if c.About == peercircle.ComplaintAboutGroup {
			if err := tx.QueryRow("SELECT site_id FROM groups WHERE id = ?", c.GroupID).Scan(&c.SiteID); err != nil {
				return notFound(err, "group")
			}
		} else {
			c.GroupID = 0
		}
		if err := routeComplaintTx(tx, c); err != nil {
			return err
		}
		// The day only: the moment could be matched with other records.
		day := complaintDay(now)
		c.State, c.ReceivedOn, c.UpdatedAt = peercircle.ComplaintReceived, day.Format(time.DateOnly), day
		c.History = []peercircle.ComplaintEvent{{At: day, State: c.State}}
		var err error
		c.ID, err = tx.Insert(`INSERT INTO complaints (code_hash, about, group_id, site_id, about_organiser, route_kind, route_id, body, state, received_on, updated_at, announced)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, HashToken(code), c.About, nullID(c.GroupID), nullID(c.SiteID), c.AboutOrganiser,
			c.RouteKind, c.RouteID, []byte{}, c.State, c.ReceivedOn, day, false)
		if err != nil {
			return err
		}
		_, err = tx.Exec("UPDATE complaints SET body = ? WHERE id = ?", s.Keys.SealString(c.Text, complaintContext(c.ID, "body")), c.ID)
		return err
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// complaintDay is the day a complaint is received on, as the start of
// that day in UTC: all a complaint keeps of when it came.
func complaintDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// JobAnnounceComplaints is the periodic job that tells handlers about the
// complaints received on earlier days.
const JobAnnounceComplaints = "complaints.announce"

// AnnounceComplaints tells the handlers of each complaint received before
// today, and not yet announced, that one is waiting. It runs as a periodic
// job, so a notification's time and place among other notifications say
// when the job ran, not when anyone filed. Safe to run twice at once: a
// complaint is claimed by the update that marks it announced.
func (s *Store) AnnounceComplaints(ctx context.Context, _ string) error {
	today := complaintDay(s.Now()).Format(time.DateOnly)
	return s.DB.Write(ctx, func(tx *Tx) error {
		rows, err := tx.Query("SELECT "+complaintCols+" FROM complaints WHERE announced = ? AND received_on < ? ORDER BY id", false, today)
		if err != nil {
			return err
		}
		var waiting []*peercircle.Complaint
		for rows.Next() {
			c, err := scanComplaint(rows)
			if err != nil {
				rows.Close()
				return err
			}
			waiting = append(waiting, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, c := range waiting {
			res, err := tx.Exec("UPDATE complaints SET announced = ? WHERE id = ? AND announced = ?", true, c.ID, false)
			if n, err := rowsAffected(res, err); err != nil {
				return err
			} else if n == 0 {
				continue
			}
			handlers, err := complaintHandlersTx(tx, c)
			if err != nil {
				return err
			}
			link := "/complaints/" + strconv.FormatInt(c.ID, 10)
			for _, id := range handlers {
				if err := s.notifyTx(tx, &peercircle.Notification{PersonID: id, Kind: "complaint_waiting", Link: link}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

var errUnknownCode = peercircle.Errorf(peercircle.ENOTFOUND, "complaint.unknown_code", "no complaint with that code")

// TrackComplaint returns what the complainant may see with their code:
// the state and the history with the handlers' notes.
func (s *Store) TrackComplaint(ctx context.Context, code string) (*peercircle.Complaint, error) {
	canon, ok := peercircle.NormaliseTrackingCode(code)
	if !ok {
		return nil, errUnknownCode
	}
	var c *peercircle.Complaint
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		c, err = scanComplaint(tx.QueryRow("SELECT "+complaintCols+" FROM complaints WHERE code_hash = ?", HashToken(canon)))
		if err != nil {
			if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
				return errUnknownCode
			}
			return err
		}
		c.History, err = s.complaintHistoryTx(tx, c.ID, c.ReceivedOn)
		return err
	})
	return c, err
}

// complaintHistoryTx returns a complaint's history: its arrival, on the
// day it was received (no row is written when it is filed), then each
// answer.
func (s *Store) complaintHistoryTx(tx *Tx, id int64, receivedOn string) ([]peercircle.ComplaintEvent, error) {
	rows, err := tx.Query("SELECT at, state, note, by_id FROM complaint_events WHERE complaint_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	day, err := time.Parse(time.DateOnly, receivedOn)
	if err != nil {
		return nil, fmt.Errorf("complaint %d received on %q: %w", id, receivedOn, err)
	}
	out := []peercircle.ComplaintEvent{{At: day, State: peercircle.ComplaintReceived}}
	for rows.Next() {
		var e peercircle.ComplaintEvent
		var note []byte
		if err := rows.Scan(&e.At, &e.State, &note, &e.ByID); err != nil {
			return nil, err
		}
		if e.Note, err = s.Keys.OpenString(note, complaintContext(id, "note")); err != nil {
			return nil, fmt.Errorf("complaint %d note: %w", id, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Complaint returns one complaint for its handler; withText opens the
// complaint's text and the notes.
func (s *Store) Complaint(ctx context.Context, id int64, withText bool) (*peercircle.Complaint, error) {
	var c *peercircle.Complaint
	err := s.DB.Read(ctx, func(tx *Tx) error {
		var body []byte
		var err error
		c, err = scanComplaint(tx.QueryRow("SELECT "+complaintCols+", body FROM complaints WHERE id = ?", id), &body)
		if err != nil {
			return notFound(err, "complaint")
		}
		if !withText {
			return nil
		}
		if c.Text, err = s.Keys.OpenString(body, complaintContext(id, "body")); err != nil {
			return fmt.Errorf("complaint %d: %w", id, err)
		}
		c.History, err = s.complaintHistoryTx(tx, id, c.ReceivedOn)
		return err
	})
	return c, err
}

// ComplaintsRoutedTo lists complaints routed to the sites, the areas and,
// when org is true, the organisation: open ones first, newest first.
func (s *Store) ComplaintsRoutedTo(ctx context.Context, siteIDs, areaIDs []int64, org bool) ([]*peercircle.Complaint, error) {
	var conds []string
	var args []any
	for _, r := range []struct {
		kind string
		ids  []int64
	}{{peercircle.RouteSite, siteIDs}, {peercircle.RouteArea, areaIDs}} {
		if len(r.ids) == 0 {
			continue
		}
		conds = append(conds, "(route_kind = ? AND route_id IN ("+placeholders(len(r.ids))+"))")
		args = append(args, r.kind)
		for _, id := range r.ids {
			args = append(args, id)
		}
	}
	if org {
		conds = append(conds, "route_kind = ?")
		args = append(args, peercircle.RouteOrganisation)
	}
	if len(conds) == 0 {
		return nil, nil
	}
	rows, err := s.DB.Query(ctx, "SELECT "+complaintCols+" FROM complaints WHERE "+strings.Join(conds, " OR ")+
		" ORDER BY CASE state WHEN 'received' THEN 0 WHEN 'looking' THEN 1 ELSE 2 END, id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Complaint
	for rows.Next() {
		c, err := scanComplaint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AnswerComplaint records a handler's note and state.
func (s *Store) AnswerComplaint(ctx context.Context, id, by int64, state, note string) error {
	note = strings.TrimSpace(note)
	f := peercircle.FieldErrors{}
	if state != "" && state != peercircle.ComplaintLooking && state != peercircle.ComplaintResolved && state != peercircle.ComplaintClosed {
		f.Add("state", "error.choice")
	}
	if utf8.RuneCountInString(note) > peercircle.MaxComplaintNote {
		f.Add("note", "error.too_long")
	}
	if note == "" && state == "" {
		f.Add("note", "error.required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		var cur string
		if err := tx.QueryRow("SELECT state FROM complaints WHERE id = ?", id).Scan(&cur); err != nil {
			return notFound(err, "complaint")
		}
		if state == "" {
			state = cur
			if state == peercircle.ComplaintReceived {
				state = peercircle.ComplaintLooking // a first answer means someone is looking
			}
		}
		now := s.Now()
		if _, err := tx.Exec("UPDATE complaints SET state = ?, updated_at = ? WHERE id = ?", state, now, id); err != nil {
			return err
		}
		if _, err := tx.Exec("INSERT INTO complaint_events (complaint_id, at, state, note, by_id) VALUES (?, ?, ?, ?, ?)",
			id, now, state, s.Keys.SealString(note, complaintContext(id, "note")), by); err != nil {
			return err
		}
		detail := "state=" + state
		if note != "" {
			detail += " note"
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: "complaint.answered", TargetKind: "complaint", TargetID: id, Detail: detail})
	})
}
