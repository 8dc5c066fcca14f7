package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func TestDemoMeetingsOfTheNuzhaGroup(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	w, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	g := w.Groups["nuzha-staff"]
	now := time.Now()

	t.Run("members have proposed items for the next meeting", func(t *testing.T) {
		next, err := s.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, From: now, Statuses: []string{peercircle.SessionPlanned}, Limit: 1})
		if err != nil || len(next) != 1 {
			t.Fatalf("next = %+v, %v", next, err)
		}
		items, err := s.AgendaItems(ctx, next[0].ID)
		if err != nil || len(items) != 3 {
			t.Fatalf("items = %v, %v", items, err)
		}
	})

	t.Run("past summaries have sealed notes, one returned, feedback with words", func(t *testing.T) {
		rows, err := s.Summaries(ctx, peercircle.SummaryFilter{GroupIDs: []int64{g.ID}, States: []string{peercircle.ReviewReturned}})
		if err != nil || len(rows) != 1 {
			t.Fatalf("returned = %+v, %v", rows, err)
		}
		su, err := s.Summary(ctx, rows[0].SessionID, true)
		if err != nil || su.Notes[peercircle.NoteKeyIssues] == "" || su.ReturnComment == "" {
			t.Fatalf("summary = %+v, %v", su, err)
		}
		held, _ := s.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, To: now, Statuses: []string{peercircle.SessionHeld}})
		withWords := 0
		for _, m := range held {
			res, err := s.FeedbackResults(ctx, m.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Notes) > 0 {
				withWords++
			}
		}
		if withWords != 1 {
			t.Fatalf("meetings with feedback words = %d", withWords)
		}
	})
}
