package sqlstore_test

import (
	"testing"

	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// Issue 14, goal 2: the data generator pauses the figures' marks while it
// loads and resumes them after; rows inserted meanwhile must count in
// every figure kept before, during and after the pause, whether the load
// resumes the marks itself or dies and leaves it to the next start
// (Migrate).
func TestRowsLoadedWhileMarksArePausedCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		k := newKeptWorld(t, s, 2)
		k.same("kept", k.s)
		k.same("kept, the other instance", k.other)
		byName := map[string]func(){}
		for _, st := range k.steps() {
			byName[st.name] = st.do
		}
		load := func() {
			for range 3 {
				byName["a meeting recorded late in a closed quarter"]()
				byName["a guest recorded by name"]()
			}
		}
		for _, resume := range []struct {
			how string
			do  func() error
		}{
			{"the next start's Migrate", func() error { _, err := s.DB.Migrate(k.ctx); return err }},
			{"ResumeFigureMarks", func() error { return s.DB.ResumeFigureMarks(k.ctx) }},
		} {
			if err := s.DB.PauseFigureMarks(k.ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.DB.PauseFigureMarks(k.ctx); err != nil {
				t.Fatalf("pausing twice: %v", err)
			}
			before := k.marked()
			load()
			if after := k.marked(); after != before {
				t.Fatalf("rows inserted while paused moved the marks (%d → %d): the load is no faster", before, after)
			}
			if err := resume.do(); err != nil {
				t.Fatalf("%s: %v", resume.how, err)
			}
			if paused, err := s.DB.FigureMarksPaused(k.ctx); err != nil || paused {
				t.Fatalf("after %s: paused %v, %v", resume.how, paused, err)
			}
			k.same("resumed by "+resume.how, k.s)
			k.same("resumed by "+resume.how+", the other instance", k.other)
			k.totalsAddUp("resumed by " + resume.how)
			if err := s.DB.ResumeFigureMarks(k.ctx); err != nil {
				t.Fatalf("resuming when not paused: %v", err)
			}
			// The marks move again.
			before = k.marked()
			byName["a guest recorded by name"]()
			if k.marked() == before {
				t.Fatalf("after %s, a row inserted does not mark its figures", resume.how)
			}
			k.same("a row inserted after "+resume.how, k.s)
		}
	})
}

// marked is the sum of every group's total mark.
func (k *keptWorld) marked() int64 {
	k.t.Helper()
	var n int64
	if err := k.s.DB.QueryRow(k.ctx, "SELECT COALESCE(SUM(stamp), 0) FROM figure_marks WHERE month = '*'").Scan(&n); err != nil {
		k.t.Fatal(err)
	}
	return n
}
