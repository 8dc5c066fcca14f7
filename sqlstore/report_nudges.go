package sqlstore

import (
	"context"
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
)

// ReportNudges tells each site's organisers, in the app, when the last
// quarter closed with session summaries missing, and when its Sheet 3 is
// due within the configured number of days and not yet submitted. Each
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
	for q := range quarters {
		ru, err := s.RollUp(ctx, peercircle.LevelOrganisation, 0, q, 0)
		if err != nil {
			return err
		}
		for _, row := range ru.Sites {
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
			if f.SummariesMissing > 0 {
				if err := s.nudge(ctx, row.Site, q, nudgeSummariesMissing, []string{row.Site.Name, q.String()}); err != nil {
					return err
				}
			}
			if open && today <= row.Due && today >= due.AddDate(0, 0, -nudgeDays).Format(time.DateOnly) {
				if err := s.nudge(ctx, row.Site, q, nudgeDueSoon, []string{row.Site.Name, q.String(), row.Due}); err != nil {
					return err
				}
			}
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
