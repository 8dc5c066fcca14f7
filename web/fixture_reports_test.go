package web_test

import (
	"context"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// Quarters the report tests use: both ended long ago, so they can be
// submitted whatever the date the tests run on.
var (
	fixtureReviewQuarter = peercircle.Quarter{Year: 2026, N: 1} // submitted, waiting for review
	fixtureDraftQuarter  = peercircle.Quarter{Year: 2026, N: 2} // a draft with meetings
)

// Each half of the fixture gets meetings in the draft quarter (held with
// attendance, cancelled, postponed) and a submitted report for the review
// quarter.
var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		for _, half := range []map[string]int64{f.In, f.Out} {
			loc, _ := time.LoadLocation("Asia/Amman")
			for i, status := range []string{peercircle.SessionHeld, peercircle.SessionHeld, peercircle.SessionCancelled, peercircle.SessionPostponed, peercircle.SessionHeld} {
				start := time.Date(2026, time.Month(4+i%3), 10+i, 14, 0, 0, 0, loc)
				m := &peercircle.Session{GroupID: half["group"], PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
					LocalDate: start.Format(time.DateOnly), Status: status, Topic: "Self-care", FacilitatorID: f.People["facilitator"].ID}
				if err := s.AddSession(ctx, m); err != nil {
					return err
				}
				if status != peercircle.SessionHeld {
					continue
				}
				err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
					for _, role := range []string{"facilitator", "member", "organiser", "trainer"} {
						if _, err := tx.Exec(`INSERT INTO attendance (session_id, person_id, kind, status, updated_at) VALUES (?, ?, 'member', 'present', ?)`,
							m.ID, f.People[role].ID, start); err != nil {
							return err
						}
					}
					_, err := tx.Exec(`INSERT INTO summaries (session_id, state, topic, cases_discussed, created_at, updated_at) VALUES (?, 'accepted', 'Self-care', 2, ?, ?)`,
						m.ID, start, start)
					return err
				})
				if err != nil {
					return err
				}
			}
			if _, err := s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: half["site"], Quarter: fixtureReviewQuarter,
				ActorID: f.People["organiser"].ID, Comment: "Fixture report."}); err != nil {
				return err
			}
		}
		return nil
	})
	return true
}()
