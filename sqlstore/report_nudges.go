package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

// JobReportNudges is the periodic job that reminds organisers about their
// quarterly reports.
const JobReportNudges = "report_nudges"

// Nudge kinds, each sent once per site and quarter.
const (
	nudgeSummariesMissing = "summaries_missing"
	nudgeDueSoon          = "due_soon"
	nudgeDueToday         = "due_today"
	nudgeLate             = "late"
)

// KindDigest is the coordinators' weekly digest: how many quarterly
// reports are late and how many wait for their review, in their scope.
const KindDigest = "digest"

// ReportNudges tells each site's organisers when the last quarter closed
// with session summaries missing, when its Sheet 3 is due within the
// configured number of days, due today, and late (not yet submitted);
// and once a week tells each coordinator what is late and what waits for
// their review in their area or region (the digest). Each
// nudge is recorded so it is sent once, however often the job runs and on
// however many instances. It is a jobs.Handler; the payload is unused.
func (s *Store) ReportNudges(ctx context.Context, _ string) error {
	_, _, nudgeDays, err := s.reportSettings(ctx)
	if err != nil {
		return err
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return err
	}
	start := normStartMonth(tree.Organisation.QuarterStartMonth)
	now := s.Now()
	// Sites in zones either side of a quarter's end may be in different
	// quarters: roll up each quarter that is "last quarter" somewhere.
	quarters := map[peercircle.Quarter]bool{}
	for _, st := range tree.Sites {
		quarters[peercircle.QuarterOf(now.In(siteLoc(&st)), start).Prev()] = true
	}
	late, waiting := map[int64]int{}, map[int64]int{} // coordinator → sites
	// Region by region: the organisation's roll-up at once held every
	// group's figures together (65 MB of heap on a country's 6 000 groups,
	// on the core that serves the pages).
	for q := range quarters {
		sent, err := s.sentNudges(ctx, q)
		if err != nil {
			return err
		}
		for _, region := range tree.Regions {
			ru, err := s.rollUp(ctx, peercircle.LevelRegion, region.ID, q, 0, false)
			if err != nil {
				return err
			}
			if err := s.nudgeSites(ctx, ru.Sites, q, start, now, nudgeDays, sent, late, waiting); err != nil {
				return err
			}
		}
	}
	return s.sendDigests(ctx, late, waiting)
}

// sentNudge is a nudge recorded for a site in a quarter.
type sentNudge struct {
	site int64
	kind string
}

// sentNudges reads the nudges already sent for quarter q. The job runs
// every hour and a late report stays late for weeks: without this, each
// run wrote (and on SQLite synced) once per late site to find it told.
func (s *Store) sentNudges(ctx context.Context, q peercircle.Quarter) (map[sentNudge]bool, error) {
	out := map[sentNudge]bool{}
	rows, err := s.DB.Query(ctx, "SELECT site_id, kind FROM report_nudges WHERE quarter = ?", q.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n sentNudge
		if err := rows.Scan(&n.site, &n.kind); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

// nudgeSites sends the nudges of the sites of one roll-up whose last
// quarter is q that are not among those sent, and counts what is late or
// waiting per coordinator.
func (s *Store) nudgeSites(ctx context.Context, sites []peercircle.SiteRow, q peercircle.Quarter, start int, now time.Time, nudgeDays int,
	sent map[sentNudge]bool, late, waiting map[int64]int) error {
	coordinators := map[int64][]int64{} // area → the coordinators above its sites
	for _, row := range sites {
		loc := siteLoc(&row.Site)
		if peercircle.QuarterOf(now.In(loc), start).Prev() != q {
			continue
		}
		f := &row.Figures
		if f.Planned+f.Postponed+f.Expected == 0 {
			continue // no groups meeting: nothing to remind about
		}
		today := now.In(loc).Format(time.DateOnly)
		due, _ := time.Parse(time.DateOnly, row.Due)
		open := row.ReportState == peercircle.ReviewDraft || row.ReportState == peercircle.ReviewReturned
		if f.SummariesMissing > 0 && !sent[sentNudge{row.Site.ID, nudgeSummariesMissing}] {
			if err := s.nudge(ctx, row.Site, q, nudgeSummariesMissing, []string{row.Site.Name, q.String()}); err != nil {
				return err
			}
		}
		var kind string
		switch {
		case open && today == row.Due:
			kind = nudgeDueToday
		case open && today > row.Due:
			kind = nudgeLate
		case open && today >= due.AddDate(0, 0, -nudgeDays).Format(time.DateOnly):
			kind = nudgeDueSoon
		}
		if kind != "" && !sent[sentNudge{row.Site.ID, kind}] {
			if err := s.nudge(ctx, row.Site, q, kind, []string{row.Site.Name, q.String(), row.Due}); err != nil {
				return err
			}
		}
		if (open && today > row.Due) || row.ReportState == peercircle.ReviewSubmitted {
			coords, ok := coordinators[row.Site.AreaID]
			if !ok {
				if err := s.DB.Read(ctx, func(tx *Tx) (err error) {
					coords, err = coordinatorsAbove(tx, &row.Site)
					return err
				}); err != nil {
					return err
				}
				coordinators[row.Site.AreaID] = coords
			}
			for _, c := range coords {
				if row.ReportState == peercircle.ReviewSubmitted {
					waiting[c]++
				} else {
					late[c]++
				}
			}
		}
	}
	return nil
}

// sendDigests sends each coordinator with something late or waiting
// their digest, once in an ISO week.
func (s *Store) sendDigests(ctx context.Context, late, waiting map[int64]int) error {
	year, wk := s.Now().ISOWeek()
	week := fmt.Sprintf("%d-W%02d", year, wk)
	people := map[int64]bool{}
	for p := range late {
		people[p] = true
	}
	for p := range waiting {
		people[p] = true
	}
	// Those told this week already are not written to again each hour.
	rows, err := s.DB.Query(ctx, "SELECT person_id FROM digests WHERE week = ?", week)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return err
		}
		delete(people, p)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for p := range people {
		err := s.DB.Write(ctx, func(tx *Tx) error {
			res, err := tx.Exec("INSERT INTO digests (person_id, week, sent_at) VALUES (?, ?, ?) ON CONFLICT (person_id, week) DO NOTHING", p, week, s.Now())
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			return s.notifyTx(tx, &peercircle.Notification{PersonID: p, Kind: KindDigest,
				Params: []string{strconv.Itoa(late[p]), strconv.Itoa(waiting[p])}, Link: "/reports"})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// nudge records a nudge and notifies the site's organisers, once.
func (s *Store) nudge(ctx context.Context, site peercircle.Site, q peercircle.Quarter, kind string, params []string) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`INSERT INTO report_nudges (site_id, quarter, kind, sent_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (site_id, quarter, kind) DO NOTHING`, site.ID, q.String(), kind, s.Now())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		people, err := organisersOf(tx, site.ID)
		if err != nil {
			return err
		}
		for _, p := range people {
			if err := s.notifyTx(tx, &peercircle.Notification{PersonID: p, Kind: "report_" + kind, Params: params, Link: reportLink(site.ID, q)}); err != nil {
				return err
			}
		}
		return nil
	})
}
