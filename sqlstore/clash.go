package sqlstore

import (
	"context"
	"slices"
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
		if len(sessions) == 0 {
			return nil
		}
		// The groups of those meetings, and the rooms they or their groups
		// name: what the clash rules need, read for these meetings only
		// (not every group of the organisation).
		var groupIDs, venueIDs []int64
		for _, m := range sessions {
			groupIDs = append(groupIDs, m.GroupID)
			if m.VenueID != 0 {
				venueIDs = append(venueIDs, m.VenueID)
			}
		}
		slices.Sort(groupIDs)
		groupIDs = slices.Compact(groupIDs)
		gin, args := inIDs(groupIDs)
		venues := "SELECT venue_id FROM groups WHERE id IN (" + gin + ")"
		args = append(args, args...)
		if len(venueIDs) > 0 {
			vin, vargs := inIDs(venueIDs)
			venues += " UNION SELECT id FROM venues WHERE id IN (" + vin + ")"
			args = append(args, vargs...)
		}
		rows, err = tx.Query(`SELECT 'g', id, site_id, COALESCE(venue_id, 0) FROM groups WHERE id IN (`+gin+`)
			UNION ALL SELECT 'v', id, 0, CASE WHEN virtual THEN 1 ELSE 0 END FROM venues WHERE id IN (`+venues+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var kind string
			var id, site, venue int64
			if err := rows.Scan(&kind, &id, &site, &venue); err != nil {
				return err
			}
			if kind == "v" {
				virtual[id] = venue == 1
				continue
			}
			groupVenue[id] = venue
			ofSite[id] = site == siteID
		}
		return rows.Err()
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
