package sqlstore

import (
	"context"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

// listedWhere selects the groups the public may see: listed, forming or
// active. Paused and ended groups drop out of the finder at once.
const listedWhere = "listed = ? AND status IN (?, ?)"

func listedArgs() []any { return []any{true, peercircle.GroupForming, peercircle.GroupActive} }

// finderNextDays is how far ahead the finder reads planned meetings.
const finderNextDays = 35

// finderNextCount is how many next meetings a listing keeps.
const finderNextCount = 3

// Listings returns every listed group that is forming or active, by name.
func (s *Store) Listings(ctx context.Context) ([]*peercircle.Listing, error) {
	return s.listings(ctx, 0)
}

// Listing returns one listed group; ENOTFOUND for any group the public
// may not see.
func (s *Store) Listing(ctx context.Context, groupID int64) (*peercircle.Listing, error) {
	if groupID <= 0 {
		return nil, peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "group %d not listed", groupID)
	}
	ls, err := s.listings(ctx, groupID)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "group %d not listed", groupID)
	}
	return ls[0], nil
}

// listings reads the listed groups (one when only is set) with their
// place in the tree, venue, schedule and next meetings, in five queries
// whatever their number.
func (s *Store) listings(ctx context.Context, only int64) ([]*peercircle.Listing, error) {
	where, args := listedWhere, listedArgs()
	if only != 0 {
		where += " AND id = ?"
		args = append(args, only)
	}
	groups, err := s.groups(ctx, "SELECT "+groupCols+" FROM groups WHERE "+where+" ORDER BY name, id", args...)
	if err != nil || len(groups) == 0 {
		return nil, err
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	sites := map[int64]peercircle.Site{}
	for _, st := range tree.Sites {
		sites[st.ID] = st
	}
	areas := map[int64]peercircle.Area{}
	for _, a := range tree.Areas {
		areas[a.ID] = a
	}
	regions := map[int64]peercircle.Region{}
	for _, r := range tree.Regions {
		regions[r.ID] = r
	}
	byID := map[int64]*peercircle.Listing{}
	out := make([]*peercircle.Listing, 0, len(groups))
	for _, g := range groups {
		l := &peercircle.Listing{Group: g, Site: sites[g.SiteID]}
		l.Area = areas[l.Site.AreaID]
		l.Region = regions[l.Area.RegionID]
		byID[g.ID] = l
		out = append(out, l)
	}

	sub := "SELECT id FROM groups WHERE " + where
	rows, err := s.DB.Query(ctx, "SELECT "+venueCols+" FROM venues WHERE id IN (SELECT venue_id FROM groups WHERE "+where+")", args...)
	if err != nil {
		return nil, err
	}
	venues := map[int64]*peercircle.Venue{}
	for rows.Next() {
		v, err := scanVenue(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		venues[v.ID] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, l := range out {
		l.Venue = venues[l.Group.VenueID]
	}

	rows, err = s.DB.Query(ctx, `SELECT group_id, preset, rule, start_date, start_time, minutes, time_zone, exceptions, extras, updated_at
		FROM schedules WHERE group_id IN (`+sub+`)`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var g peercircle.GroupSchedule
		var exc, ext string
		if err := rows.Scan(&g.GroupID, &g.Preset, &g.Rule, &g.StartDate, &g.StartTime, &g.Minutes, &g.TimeZone, &exc, &ext, &g.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		g.Exceptions, g.Extras = splitList(exc), splitList(ext)
		if l := byID[g.GroupID]; l != nil {
			l.Schedule = &g
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	now := s.Now()
	rows, err = s.DB.Query(ctx, `SELECT group_id, planned_start FROM sessions WHERE status = ? AND planned_start >= ? AND planned_start < ?
		AND group_id IN (`+sub+`) ORDER BY planned_start, id`,
		append([]any{peercircle.SessionPlanned, now, now.AddDate(0, 0, finderNextDays)}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t time.Time
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		if l := byID[id]; l != nil && len(l.Next) < finderNextCount {
			l.Next = append(l.Next, t)
		}
	}
	return out, rows.Err()
}

var errThrottledPublic = &peercircle.Error{Code: peercircle.ETOOMANY, Key: "public.throttled", Message: "too many messages"}

// SendPublicMessage stores a message from the public for a listed group's
// contact and tells them in the app (the group's name only).
func (s *Store) SendPublicMessage(ctx context.Context, m *peercircle.PublicMessage, addr string) error {
	if err := m.Validate(); err != nil {
		return err
	}
	now := s.Now()
	m.CreatedAt = now
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		g, err := scanGroup(tx.QueryRow("SELECT "+groupCols+" FROM groups WHERE id = ? AND "+listedWhere, append([]any{m.GroupID}, listedArgs()...)...))
		if err != nil {
			return notFound(err, "group")
		}
		if err := s.publicThrottleTx(tx, addr, now); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM public_messages WHERE group_id = ? AND created_at >= ?", g.ID, now.Add(-24*time.Hour)).Scan(&n); err != nil {
			return err
		}
		if n >= peercircle.PublicMessagesPerGroupDay {
			return errThrottledPublic
		}
		c := publicMessageContext(g.ID)
		if m.ID, err = tx.Insert("INSERT INTO public_messages (group_id, body, reply, created_at) VALUES (?, ?, ?, ?)",
			g.ID, s.Keys.SealString(m.Text, c+"body"), s.Keys.SealString(m.Reply, c+"reply"), now); err != nil {
			return err
		}
		return s.notifyManagersTx(tx, g, "public_message", "/groups/"+strconv.FormatInt(g.ID, 10)+"/messages")
	})
}

func publicMessageContext(groupID int64) string {
	return "public_message:" + strconv.FormatInt(groupID, 10) + ":"
}

// publicThrottleTx counts a message from addr and refuses one over the
// hourly limit; only a keyed hash of the address is kept, for two hours.
func (s *Store) publicThrottleTx(tx *Tx, addr string, now time.Time) error {
	hour := now.Truncate(time.Hour)
	if _, err := tx.Exec("DELETE FROM public_throttle WHERE hour < ?", hour.Add(-time.Hour)); err != nil {
		return err
	}
	mac := hex.EncodeToString(s.Keys.MAC([]byte(addr), "public:addr"))
	var n int
	if err := tx.QueryRow("SELECT COALESCE(SUM(n), 0) FROM public_throttle WHERE addr_mac = ? AND hour >= ?", mac, hour).Scan(&n); err != nil {
		return err
	}
	if n >= peercircle.PublicMessagesPerHour {
		return errThrottledPublic
	}
	_, err := tx.Exec(`INSERT INTO public_throttle (addr_mac, hour, n) VALUES (?, ?, 1)
		ON CONFLICT (addr_mac, hour) DO UPDATE SET n = public_throttle.n + 1`, mac, hour)
	return err
}

// PublicMessages opens a group's messages from the public, newest first.
func (s *Store) PublicMessages(ctx context.Context, groupID int64, limit int) ([]*peercircle.PublicMessage, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.DB.Query(ctx, "SELECT id, group_id, body, reply, created_at FROM public_messages WHERE group_id = ? ORDER BY created_at DESC, id DESC LIMIT ?", groupID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.PublicMessage
	c := publicMessageContext(groupID)
	for rows.Next() {
		var m peercircle.PublicMessage
		var body, reply []byte
		if err := rows.Scan(&m.ID, &m.GroupID, &body, &reply, &m.CreatedAt); err != nil {
			return nil, err
		}
		if m.Text, err = s.Keys.OpenString(body, c+"body"); err != nil {
			return nil, err
		}
		if len(reply) > 0 {
			if m.Reply, err = s.Keys.OpenString(reply, c+"reply"); err != nil {
				return nil, err
			}
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}

// Stamp signs a value for a public form with the installation's key.
func (s *Store) Stamp(value string) string {
	return hex.EncodeToString(s.Keys.MAC([]byte(value), "public:stamp"))[:32]
}
