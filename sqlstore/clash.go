package sqlstore

import (
	"context"
	"time"

	"github.com/peercircle/peercircle"
)

var _ peercircle.ClashService = (*Store)(nil)

// SiteClashes finds the clashes of a site's planned meetings in [from, to):
// its rooms double-booked, and the people facilitating its meetings who are
// due elsewhere at the same time (at any site).
func (s *Store) SiteClashes(ctx context.Context, siteID int64, from, to time.Time) ([]peercircle.Clash, error) {
	var sessions []*peercircle.Session
	groupVenue := map[int64]int64{}
	virtual := map[int64]bool{}
	ofSite := map[int64]bool{}
	err := s.DB.Read(ctx, func(tx *Tx) error {
		// The site's meetings, and any meeting of the people who
		// facilitate them, each part found by an index on the planned
		// start: a meeting lasts at most MaxSessionLength, so one that
		// overlaps [from, to) starts in [from - MaxSessionLength, to).
		early := from.Add(-peercircle.MaxSessionLength)
		rows, err := tx.Query(`WITH here AS (SELECT m.facilitator_id AS p FROM sessions m JOIN groups g ON g.id = m.group_id
				WHERE g.site_id = ? AND m.status = ? AND m.planned_start >= ? AND m.planned_start < ? AND m.planned_end > ?
				UNION SELECT m.co_facilitator_id FROM sessions m JOIN groups g ON g.id = m.group_id
				WHERE g.site_id = ? AND m.status = ? AND m.planned_start >= ? AND m.planned_start < ? AND m.planned_end > ?)
			SELECT `+sessionCols+` FROM sessions WHERE id IN (
				SELECT m.id FROM sessions m JOIN groups g ON g.id = m.group_id WHERE g.site_id = ? AND m.planned_start >= ? AND m.planned_start < ?
				UNION SELECT m.id FROM sessions m WHERE m.facilitator_id IN (SELECT p FROM here) AND m.planned_start >= ? AND m.planned_start < ?
				UNION SELECT m.id FROM sessions m WHERE m.co_facilitator_id IN (SELECT p FROM here) AND m.planned_start >= ? AND m.planned_start < ?)
			AND status = ? AND planned_start < ? AND planned_end > ?`,
			siteID, peercircle.SessionPlanned, early, to, from, siteID, peercircle.SessionPlanned, early, to, from,
			siteID, early, to, early, to, early, to,
			peercircle.SessionPlanned, to, from)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanSession(rows)
			if err != nil {
				return err
			}
			sessions = append(sessions, m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		grows, err := tx.Query("SELECT id, site_id, COALESCE(venue_id, 0) FROM groups")
		if err != nil {
			return err
		}
		defer grows.Close()
		for grows.Next() {
			var id, site, venue int64
			if err := grows.Scan(&id, &site, &venue); err != nil {
				return err
			}
			groupVenue[id] = venue
			ofSite[id] = site == siteID
		}
		if err := grows.Err(); err != nil {
			return err
		}
		grows.Close()
		vrows, err := tx.Query("SELECT id, virtual FROM venues")
		if err != nil {
			return err
		}
		defer vrows.Close()
		for vrows.Next() {
			var id int64
			var v bool
			if err := vrows.Scan(&id, &v); err != nil {
				return err
			}
			virtual[id] = v
		}
		return vrows.Err()
	})
	if err != nil {
		return nil, err
	}
	room := func(m *peercircle.Session) (int64, bool) {
		v := m.VenueID
		if v == 0 {
			v = groupVenue[m.GroupID]
		}
		return v, virtual[v]
	}
	var out []peercircle.Clash
	for _, c := range peercircle.FindClashes(sessions, room) {
		if ofSite[c.A.GroupID] || ofSite[c.B.GroupID] {
			out = append(out, c)
		}
	}
	return out, nil
}
