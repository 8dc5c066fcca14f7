package demo_test

import (
	"context"
	"testing"

	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func TestDemoGrowth(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	w, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	member, fac, sup := w.People["member"], w.People["facilitator"], w.People["supervisor"]
	ws, err := s.WorksheetsOf(ctx, member.ID)
	if err != nil || len(ws) != 2 {
		t.Fatalf("member's worksheets: %d, %v", len(ws), err)
	}
	shared, err := s.WorksheetsSharedWith(ctx, sup.ID)
	if err != nil || len(shared) != 1 {
		t.Fatalf("shared with the supervisor: %d, %v", len(shared), err)
	}
	sessions, err := s.SupervisionsOf(ctx, fac.ID, 10)
	if err != nil || len(sessions) != 3 || sessions[0].SupervisorID != sup.ID {
		t.Fatalf("supervision of the facilitator: %+v, %v", sessions, err)
	}
	hist, err := s.SelfAssessments(ctx, fac.ID, fac.ID)
	if err != nil || len(hist) != 2 || hist[0].ReviewedAt == nil || !hist[1].CreatedAt.Before(hist[0].CreatedAt) {
		t.Fatalf("facilitator's assessments: %+v, %v", hist, err)
	}
	pairs, err := s.PairingsOf(ctx, member.ID)
	if err != nil || len(pairs) != 1 || pairs[0].BuddyID != member.ID {
		t.Fatalf("the member's pairings: %+v, %v", pairs, err)
	}
	done, err := s.TrainingOf(ctx, w.Members["amal"][0].ID)
	if err != nil || len(done) != 1 {
		t.Fatalf("training at Al-Amal: %+v, %v", done, err)
	}
}
