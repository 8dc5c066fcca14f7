package peercircle_test

import (
	"slices"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

func TestNextInRotaIsFair(t *testing.T) {
	jan := time.Date(2026, 1, 13, 11, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		cands []peercircle.RotaCandidate
		want  int64
		ok    bool
	}{
		{"fewest turns goes first", []peercircle.RotaCandidate{{PersonID: 1, Turns: 3}, {PersonID: 2, Turns: 1}, {PersonID: 3, Turns: 2}}, 2, true},
		{"with equal turns, the longest since the last turn goes first",
			[]peercircle.RotaCandidate{{PersonID: 1, Turns: 2, Last: jan.AddDate(0, 1, 0)}, {PersonID: 2, Turns: 2, Last: jan}}, 2, true},
		{"someone who never had a turn goes before someone who had one",
			[]peercircle.RotaCandidate{{PersonID: 1, Turns: 0, Last: jan}, {PersonID: 2, Turns: 0}}, 2, true},
		{"people away are skipped", []peercircle.RotaCandidate{{PersonID: 1, Turns: 0, Away: true}, {PersonID: 2, Turns: 5}}, 2, true},
		{"a full tie is broken the same way every time", []peercircle.RotaCandidate{{PersonID: 9}, {PersonID: 4}}, 4, true},
		{"nobody free means no turn", []peercircle.RotaCandidate{{PersonID: 1, Away: true}}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := peercircle.NextInRota(tc.cands)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("NextInRota = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestGroupScheduleRefusesWhatNoGroupCanKeep(t *testing.T) {
	base := func() peercircle.GroupSchedule {
		return peercircle.GroupSchedule{Rule: "FREQ=MONTHLY;BYDAY=2TU,-1TU", StartDate: "2026-01-01", StartTime: "14:00", Minutes: 120, TimeZone: "Asia/Amman"}
	}
	for _, tc := range []struct {
		name, field, key string
		edit             func(*peercircle.GroupSchedule)
	}{
		{"the 31st of February", "rule", "schedule.error.never", func(g *peercircle.GroupSchedule) { g.Rule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31" }},
		{"thousands of meetings", "rule", "schedule.error.too_many", func(g *peercircle.GroupSchedule) { g.Rule = "FREQ=DAILY;COUNT=4000" }},
		{"thirteen hours", "duration", "schedule.error.too_long", func(g *peercircle.GroupSchedule) { g.Minutes = 13 * 60 }},
		{"an unknown zone", "time_zone", "error.time_zone", func(g *peercircle.GroupSchedule) { g.TimeZone = "Mars/Olympus" }},
		{"a time that is not a time", "start_time", "schedule.error.time", func(g *peercircle.GroupSchedule) { g.StartTime = "25:00" }},
		{"an exception that is not a date", "exceptions", "error.date", func(g *peercircle.GroupSchedule) { g.Exceptions = []string{"2026-02-30"} }},
		{"a rule that cannot be read", "rule", "schedule.error.syntax", func(g *peercircle.GroupSchedule) { g.Rule = "every tuesday" }},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			g := base()
			tc.edit(&g)
			err := g.Validate()
			if got := peercircle.ErrorFields(err)[tc.field]; got != tc.key {
				t.Fatalf("fields %v, want %s=%s", peercircle.ErrorFields(err), tc.field, tc.key)
			}
		})
	}
	t.Run("lists of dates are cleaned and sorted", func(t *testing.T) {
		g := base()
		g.Exceptions = []string{"2026-04-21\n2026-02-10, 2026-04-21"}
		if err := g.Validate(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(g.Exceptions, []string{"2026-02-10", "2026-04-21"}) {
			t.Fatalf("exceptions %v", g.Exceptions)
		}
	})
}

// FuzzGroupSchedule feeds the schedule editor's fields, as typed, to the
// domain: it never panics, and what it accepts expands without error.
func FuzzGroupSchedule(f *testing.F) {
	f.Add("FREQ=MONTHLY;BYDAY=2TU,-1TU", "2026-01-01", "14:00", 120, "2026-04-21", "2026-03-18 14:00")
	f.Add("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", "2026-02-31", "24:00", -5, "x", "y")
	f.Fuzz(func(t *testing.T, rule, date, clock string, minutes int, exc, extra string) {
		g := peercircle.GroupSchedule{Rule: rule, StartDate: date, StartTime: clock, Minutes: minutes, TimeZone: "Asia/Beirut",
			Exceptions: []string{exc}, Extras: []string{extra}}
		s, err := g.Compile()
		if err != nil {
			if peercircle.ErrorCode(err) != peercircle.EINVALID || len(peercircle.ErrorFields(err)) == 0 {
				t.Fatalf("refusal without a field message: %v", err)
			}
			return
		}
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, o := range s.Between(from, from.AddDate(1, 0, 0), 400) {
			if !o.End.After(o.Start) || o.End.Sub(o.Start) > peercircle.MaxSessionLength {
				t.Fatalf("meeting %v–%v", o.Start, o.End)
			}
		}
	})
}

func TestVenueChecklist(t *testing.T) {
	v := peercircle.Venue{SiteID: 1, Name: "Hall", Virtual: true, MeetingLink: "https://meet.example.org/x"}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	v.MeetingLink = "javascript:alert(1)"
	if got := peercircle.ErrorFields(v.Validate())["meeting_link"]; got != "venue.error.link" {
		t.Fatalf("a script link was accepted: %q", got)
	}
	room := peercircle.Venue{SiteID: 1, Name: "Room", Accessible: true, Toilets: true, Capacity: 12}
	if met, total := room.Checklist(); met != 3 || total != 5 {
		t.Fatalf("checklist %d/%d", met, total)
	}
}
