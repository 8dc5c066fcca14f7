package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// TestTheDemoStaffGroupMeetsOnTheGuidanceSchedule seeds the demo and reads
// the Nuzha staff group's next six meetings: second and last Tuesday of the
// month, 14:00-16:00 in Amman, each with a facilitator from the rota.
// Run with -v to see them (the closing note quotes them).
func TestTheDemoStaffGroupMeetsOnTheGuidanceSchedule(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	w, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	amman, _ := time.LoadLocation("Asia/Amman")
	g := w.Groups["nuzha-staff"]
	next, err := s.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, From: time.Now(), Statuses: []string{peercircle.SessionPlanned}, Limit: 6})
	if err != nil {
		t.Fatal(err)
	}
	if len(next) != 6 {
		t.Fatalf("%d meetings planned ahead, want at least 6", len(next))
	}
	seen := map[int64]bool{}
	for _, m := range next {
		st, en := m.PlannedStart.In(amman), m.PlannedEnd.In(amman)
		last := st.AddDate(0, 0, 7).Month() != st.Month()
		second := st.Day() >= 8 && st.Day() <= 14
		if st.Weekday() != time.Tuesday || st.Hour() != 14 || en.Hour() != 16 || !(second || last) {
			t.Errorf("meeting at %s", st)
		}
		if m.FacilitatorID == 0 {
			t.Errorf("no facilitator on %s", st.Format(time.DateOnly))
		}
		seen[m.FacilitatorID] = true
		p, _ := s.Person(ctx, m.FacilitatorID)
		t.Logf("%s %s–%s facilitator %s", st.Format("Mon 2 Jan 2006"), st.Format("15:04"), en.Format("15:04"), p.Name())
	}
	if len(seen) < 3 {
		t.Errorf("the rota uses only %d people over six meetings", len(seen))
	}
	missing, err := s.NotAcknowledged(ctx, g.ID)
	if err != nil || len(missing) != 2 {
		t.Errorf("%d members have not acknowledged the code (%v), want 2", len(missing), err)
	}
}

// TestTheDemoHasFilesOfExternalSupport checks that the demo shows what a
// file of external support looks like: the health centre's in English with
// the emergency number and the mental health team, the staff group's own
// in Arabic, and none for the site that has not joined yet.
func TestTheDemoHasFilesOfExternalSupport(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	w, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	site, err := s.SupportResources(ctx, []int64{w.Sites["nuzha"].ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, r := range site {
		kinds[r.Kind] = true
		if r.WhenToUse == "" {
			t.Errorf("%q does not say when to use it", r.Name)
		}
	}
	for _, k := range []string{"gp", "crisis", "mental_health"} {
		if !kinds[k] {
			t.Errorf("the health centre's file has no %s", k)
		}
	}
	group, _ := s.SupportResources(ctx, nil, []int64{w.Groups["nuzha-staff"].ID})
	if len(group) == 0 || !strings.ContainsRune(group[0].Name, 'ع') {
		t.Errorf("the staff group's file should be in Arabic: %v", group)
	}
	if zarqa, _ := s.SupportResources(ctx, []int64{w.Sites["zarqa"].ID}, nil); len(zarqa) != 0 {
		t.Errorf("Zarqa Camp has not joined and should have no file yet: %d entries", len(zarqa))
	}
}
