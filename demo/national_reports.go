package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// genReports writes each site's quarterly reports (Sheet 3) over the five
// years: accepted for every quarter but the last, which is in every state
// (waiting for the coordinator, returned, accepted, not yet submitted).
// Each submitted report carries its frozen figures, computed by the store's
// own Sheet 3 from the meetings just written, as if at the submission.
func genReports(ctx context.Context, g *Gen) error {
	const startMonth = 1 // genOrganisation's quarter_start_month
	last := peercircle.QuarterOf(g.Opt.AsOf, startMonth).Prev()
	type job struct {
		site      *GenSite
		q         peercircle.Quarter
		state     string
		submitted time.Time
		reviewed  time.Time
		returned  bool // returned once before being resubmitted
		figures   string
		held      int
	}
	var jobs []*job
	for _, st := range g.Sites {
		if st.Joined == nil || len(st.Groups) == 0 {
			continue
		}
		first := peercircle.QuarterOf(g.Start, startMonth).Next()
		if j := peercircle.QuarterOf(*st.Joined, startMonth).Next(); first.Before(j) {
			first = j
		}
		for q := first; !last.Before(q); q = q.Next() {
			end := q.End(startMonth, g.Loc)
			jb := &job{site: st, q: q, state: peercircle.ReviewAccepted,
				submitted: end.Add(time.Duration(24+g.R.IntN(20*24)) * time.Hour)}
			jb.reviewed = jb.submitted.Add(time.Duration(24+g.R.IntN(10*24)) * time.Hour)
			jb.returned = g.chance(0.04)
			if q == last {
				switch x := g.R.Float64(); {
				case x < 0.3:
					jb.state = "" // not submitted yet
				case x < 0.7:
					jb.state = peercircle.ReviewSubmitted
				case x < 0.8:
					jb.state = peercircle.ReviewReturned
				}
			}
			if jb.submitted.After(g.Opt.AsOf) {
				jb.submitted = g.Opt.AsOf.Add(-time.Hour)
			}
			if jb.reviewed.After(g.Opt.AsOf) {
				jb.reviewed = g.Opt.AsOf.Add(-time.Minute)
			}
			if jb.state != "" {
				jobs = append(jobs, jb)
			}
		}
	}

	// The figures: Sheet 3 as the store computes it, on both cores.
	work := make(chan *job)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range max(2, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for jb := range work {
				s := *g.Store
				at := jb.submitted
				s.Now = func() time.Time { return at }
				sh, err := s.Sheet3(ctx, jb.site.ID, jb.q)
				if err == nil {
					var b []byte
					b, err = json.Marshal(sh)
					jb.figures, jb.held = string(b), sh.Total.Held
				}
				if err != nil {
					select {
					case errs <- fmt.Errorf("site %d %s: %w", jb.site.ID, jb.q, err):
					default:
					}
				}
			}
		}()
	}
	for _, jb := range jobs {
		work <- jb
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}

	return g.write(ctx, func(tx *sqlstore.Tx) error {
		reports := g.Insert(tx, "reports", "id", "site_id", "quarter", "state", "no_meetings", "no_meetings_reason", "comment",
			"review_comment", "version", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "created_at", "updated_at")
		snapshots := g.Insert(tx, "report_snapshots", "id", "report_id", "version", "figures", "created_at").After(reports)
		events := g.Insert(tx, "report_events", "id", "report_id", "at", "actor_id", "state", "comment").After(reports)
		for _, jb := range jobs {
			id := g.NextID("reports")
			area := g.Areas[0]
			for _, a := range g.Areas {
				if a.ID == jb.site.AreaID {
					area = a
				}
			}
			version := 1
			if jb.returned {
				version = 3
			}
			var reviewer, reviewedAt any
			reviewComment := ""
			switch jb.state {
			case peercircle.ReviewAccepted:
				reviewer, reviewedAt = nullID(area.Coordinator), jb.reviewed
				version++
			case peercircle.ReviewReturned:
				reviewer, reviewedAt, reviewComment = nullID(area.Coordinator), jb.reviewed, "Please explain the cancelled meetings."
				version++
			}
			noMeetings := jb.held == 0
			reason := ""
			if noMeetings {
				reason = "No meetings could be held this quarter."
			}
			updated := jb.submitted
			if reviewedAt != nil {
				updated = jb.reviewed
			}
			if err := reports.Add(id, jb.site.ID, jb.q.String(), jb.state, noMeetings, reason, "", reviewComment, version,
				nullID(jb.site.Organiser), jb.submitted, reviewer, reviewedAt, jb.submitted, updated); err != nil {
				return err
			}
			if jb.returned {
				first := jb.submitted.Add(-72 * time.Hour)
				if err := snapshots.Add(g.NextID("report_snapshots"), id, 1, jb.figures, first); err != nil {
					return err
				}
				if err := events.Add(g.NextID("report_events"), id, first, nullID(jb.site.Organiser), peercircle.ReviewSubmitted, ""); err != nil {
					return err
				}
				if err := events.Add(g.NextID("report_events"), id, first.Add(24*time.Hour), nullID(area.Coordinator), peercircle.ReviewReturned,
					"Please add the topics of the cancelled meetings."); err != nil {
					return err
				}
			}
			submittedVersion := 1
			if jb.returned {
				submittedVersion = 3
			}
			if err := snapshots.Add(g.NextID("report_snapshots"), id, submittedVersion, jb.figures, jb.submitted); err != nil {
				return err
			}
			if err := events.Add(g.NextID("report_events"), id, jb.submitted, nullID(jb.site.Organiser), peercircle.ReviewSubmitted, ""); err != nil {
				return err
			}
			if reviewedAt != nil {
				if err := events.Add(g.NextID("report_events"), id, jb.reviewed, nullID(area.Coordinator), jb.state, reviewComment); err != nil {
					return err
				}
			}
		}
		for _, w := range []*Writer{reports, snapshots, events} {
			if err := w.Close(); err != nil {
				return err
			}
		}
		return nil
	})
}
