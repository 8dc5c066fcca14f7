package schedule

import (
	"testing"
	"time"
)

// BenchmarkStaffPresetFiveYears expands the staff groups' rule (second and
// last Tuesday, 14:00 for two hours, in Amman) over five years: what the
// planning job does for a group whose schedule changed.
func BenchmarkStaffPresetFiveYears(b *testing.B) {
	rule, err := PresetRule(PresetStaff, time.Tuesday, 0)
	if err != nil {
		b.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Amman")
	if err != nil {
		loc = time.FixedZone("Asia/Amman", 3*3600)
	}
	s := &Schedule{Rule: rule, Start: Date{2021, time.January, 1}, Time: Clock{14, 0}, Duration: 2 * time.Hour, Location: loc}
	from := time.Date(2021, time.January, 1, 0, 0, 0, 0, loc)
	to := from.AddDate(5, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		if n := len(s.Between(from, to, 0)); n != 120 {
			b.Fatalf("%d meetings in five years, want 120", n)
		}
	}
}

// BenchmarkNextTwelveWeeks is the planning horizon of one group: what the
// periodic job computes for every group every six hours.
func BenchmarkNextTwelveWeeks(b *testing.B) {
	rule, err := PresetRule(PresetStaff, time.Wednesday, 0)
	if err != nil {
		b.Fatal(err)
	}
	s := &Schedule{Rule: rule, Start: Date{2024, time.March, 1}, Time: Clock{14, 0}, Duration: 2 * time.Hour, Location: time.UTC}
	from := time.Date(2026, time.June, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if len(s.Between(from, from.Add(12*7*24*time.Hour), 0)) == 0 {
			b.Fatal("no meetings in twelve weeks")
		}
	}
}
