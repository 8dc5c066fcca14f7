package web_test

import (
	"context"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// The growth fixture: in each half, a GROW worksheet shared with the test
// supervisor, a supervision session the supervisor recorded and a
// self-assessment. In the "in" half they belong to people in the
// supervisor's region (the worksheet to the member, the session to the
// facilitator, the assessment to the site's peer); in the "out" half to
// the peer of the other region, which the supervisor does not cover.
var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		sup := f.People["supervisor"].ID
		fw, err := s.Competencies(ctx)
		if err != nil {
			return err
		}
		first := fw[0].Competencies[0].ID
		for _, half := range []struct {
			ids                  map[string]int64
			owner, supervisee, a int64
		}{{f.In, f.People["member"].ID, f.People["facilitator"].ID, f.In["person"]}, {f.Out, f.Out["person"], f.Out["person"], f.Out["person"]}} {
			w := &peercircle.GrowWorksheet{OwnerID: half.owner, Goal: "Leave work on time on meeting days",
				Options: []peercircle.GrowOption{{Text: "Ask for cover", Score: 7}}, Commitment: 6}
			if err := s.SaveWorksheet(ctx, w); err != nil {
				return err
			}
			// Written as the owner would if a supervisor covered them;
			// out of scope the share is there but gives nothing.
			if err := s.ShareWorksheet(ctx, w.ID, half.owner, sup); err != nil {
				return err
			}
			v := &peercircle.SupervisionSession{SupervisorID: sup, SuperviseeID: half.supervisee, HeldOn: "2026-01-15",
				TaskNotes: "Kept the agenda to time", ProcessNotes: "Worn out by the night shifts"}
			if err := s.SaveSupervision(ctx, v); err != nil {
				return err
			}
			a := &peercircle.SelfAssessment{PersonID: half.a, Levels: map[int64]string{first: peercircle.LevelEssential}}
			if err := s.SaveSelfAssessment(ctx, a); err != nil {
				return err
			}
			half.ids["worksheet"], half.ids["supervision"], half.ids["assessment"] = w.ID, v.ID, a.ID

			c := &peercircle.TrainingCourse{SiteID: half.ids["site"], TrainerID: f.People["trainer"].ID, Name: "Peer supporter training", StartsOn: "2026-01-10"}
			if err := s.CreateCourse(ctx, c); err != nil {
				return err
			}
			half.ids["course"] = c.ID
		}
		// A buddy pairing in each half: the member and the facilitator at
		// site 1; at site 2, whose only person is its peer, written directly.
		b := &peercircle.BuddyPairing{SiteID: f.In["site"], NewcomerID: f.People["member"].ID, BuddyID: f.People["facilitator"].ID,
			StartsOn: "2026-01-01", EndsOn: "2026-12-31"}
		if err := s.CreatePairing(ctx, b); err != nil {
			return err
		}
		f.In["buddy"] = b.ID
		return s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
			id, err := tx.Insert(`INSERT INTO buddy_pairings (site_id, newcomer_id, buddy_id, starts_on, ends_on, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				f.Out["site"], f.Out["person"], f.Out["person"], "2026-01-01", "2026-12-31", s.Now())
			f.Out["buddy"] = id
			return err
		})
	})
	return true
}()
