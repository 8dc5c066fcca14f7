package web_test

import (
	"context"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// The sessions fixture: in each half, a meeting that started an hour ago
// and is running live, with an agenda item, feedback open and an accepted
// summary; in the "in" half the facilitator and the member are present.
var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		start := time.Now().UTC().Add(-time.Hour).Truncate(time.Minute)
		for _, half := range []struct {
			ids    map[string]int64
			author int64
			in     bool
		}{{f.In, f.People["member"].ID, true}, {f.Out, f.Out["person"], false}} {
			ses := &peercircle.Session{GroupID: half.ids["group"], PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
				LocalDate: start.Format(time.DateOnly), Status: peercircle.SessionPlanned}
			if err := s.AddSession(ctx, ses); err != nil {
				return err
			}
			half.ids["session"] = ses.ID
			it := &peercircle.AgendaItem{SessionID: ses.ID, AuthorID: half.author, Kind: peercircle.ItemCase, Title: "Night shifts and sleep"}
			if err := s.ProposeItem(ctx, it); err != nil {
				return err
			}
			half.ids["item"] = it.ID
			if half.in {
				for _, role := range []string{"facilitator", "member"} {
					if err := s.MarkPresent(ctx, ses.ID, f.People[role].ID, true); err != nil {
						return err
					}
				}
			} else if _, err := s.AddGuest(ctx, ses.ID, "Visiting nurse", peercircle.AttendVisitor); err != nil {
				return err
			}
			if _, err := s.StartLive(ctx, ses.ID); err != nil {
				return err
			}
			if err := s.OpenFeedback(ctx, ses.ID); err != nil {
				return err
			}
			su := &peercircle.Summary{SessionID: ses.ID, Topic: "Self-care", CasesDiscussed: 1,
				Notes: map[string]string{peercircle.NoteKeyIssues: "Sleep after night shifts."}}
			if err := s.SaveSummary(ctx, su, half.author); err != nil {
				return err
			}
			if err := s.SubmitSummary(ctx, ses.ID, half.author); err != nil {
				return err
			}
			if err := s.ReviewSummary(ctx, ses.ID, f.People["organiser"].ID, true, ""); err != nil {
				return err
			}
		}
		return nil
	})
	return true
}()
