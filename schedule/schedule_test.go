package schedule

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle/i18n"
	"github.com/teambition/rrule-go"
)

// zones are the programme's zones with daylight-saving changes.
var zones = []string{"Asia/Amman", "Asia/Beirut", "Asia/Gaza", "Asia/Hebron", "Europe/London"}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustRule(t testing.TB, s string) *Rule {
	t.Helper()
	r, err := ParseRule(s)
	if err != nil {
		t.Fatalf("ParseRule(%q): %v", s, err)
	}
	return r
}

func TestParseRule(t *testing.T) {
	for _, tc := range []struct {
		in, canonical, key string
	}{
		{"FREQ=MONTHLY;BYDAY=2TU,-1TU", "FREQ=MONTHLY;BYDAY=2TU,-1TU", ""},
		{"RRULE:freq=monthly;byday=-1tu,2tu", "FREQ=MONTHLY;BYDAY=2TU,-1TU", ""},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;WKST=SU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;WKST=SU", ""},
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", ""},
		{"FREQ=DAILY;COUNT=10", "FREQ=DAILY;COUNT=10", ""},
		{"FREQ=WEEKLY;UNTIL=20270630T235959Z;BYDAY=MO,TH", "FREQ=WEEKLY;UNTIL=20270630;BYDAY=MO,TH", ""},
		{"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", ""},
		{"", "", "schedule.error.syntax"},
		{"FREQ=HOURLY", "", "schedule.error.too_often"},
		{"FREQ=WEEKLY;BYHOUR=9", "", "schedule.error.unsupported"},
		{"FREQ=WEEKLY;BYDAY=2TU", "", "schedule.error.syntax"},
		{"FREQ=MONTHLY;BYDAY=6TU", "", "schedule.error.syntax"},
		{"FREQ=WEEKLY;BYMONTHDAY=3", "", "schedule.error.syntax"},
		{"FREQ=DAILY;COUNT=3;UNTIL=20270101", "", "schedule.error.syntax"},
		{"FREQ=DAILY;FREQ=WEEKLY", "", "schedule.error.syntax"},
		{"FREQ=MONTHLY;BYMONTHDAY=0", "", "schedule.error.syntax"},
		{"INTERVAL=2", "", "schedule.error.syntax"},
		{"FREQ=WEEKLY;INTERVAL=-1", "", "schedule.error.syntax"},
		{strings.Repeat("FREQ=DAILY;", 60), "", "schedule.error.syntax"},
	} {
		t.Run(fmt.Sprintf("%q", tc.in), func(t *testing.T) {
			r, err := ParseRule(tc.in)
			if tc.key != "" {
				var e *Error
				if !errors.As(err, &e) || e.Key != tc.key {
					t.Fatalf("err = %v, want key %s", err, tc.key)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := r.String(); got != tc.canonical {
				t.Errorf("String() = %q, want %q", got, tc.canonical)
			}
		})
	}
}

// TestTheStaffPresetOverTenYearsInEachZone checks the 000 rule in every
// zone with daylight-saving changes, 2020 to 2030: two meetings a month,
// on the second and the last Tuesday, always 14:00-16:00 on the local
// clock, while the UTC instant moves with the zone's offset.
func TestTheStaffPresetOverTenYearsInEachZone(t *testing.T) {
	for _, zone := range zones {
		t.Run(zone, func(t *testing.T) {
			loc := mustLoc(t, zone)
			r, err := PresetRule(PresetStaff, time.Tuesday, 0)
			if err != nil {
				t.Fatal(err)
			}
			s := &Schedule{Rule: r, Start: Date{2020, 1, 1}, Time: StaffTime, Duration: StaffDuration, Location: loc}
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			occ := s.Between(time.Date(2020, 1, 1, 0, 0, 0, 0, loc), time.Date(2031, 1, 1, 0, 0, 0, 0, loc), 0)
			if len(occ) != 11*12*2 {
				t.Fatalf("%d meetings in 11 years, want %d", len(occ), 11*12*2)
			}
			offsets := map[int]bool{}
			perMonth := map[string][]int{}
			for _, o := range occ {
				local := o.Start.In(loc)
				if local.Hour() != 14 || local.Minute() != 0 || local.Weekday() != time.Tuesday {
					t.Fatalf("meeting at %s local, want a Tuesday at 14:00", local)
				}
				if end := o.End.In(loc); end.Hour() != 16 || !o.End.Equal(o.Start.Add(2*time.Hour)) {
					t.Fatalf("meeting ends %s", end)
				}
				if DateOf(local) != o.Date {
					t.Fatalf("date %s, local %s", o.Date, local)
				}
				_, off := local.Zone()
				offsets[off] = true
				key := local.Format("2006-01")
				perMonth[key] = append(perMonth[key], local.Day())
			}
			for month, days := range perMonth {
				y, m := 0, 0
				fmt.Sscanf(month, "%d-%d", &y, &m)
				last := daysIn(y, time.Month(m))
				if len(days) != 2 || days[0] < 8 || days[0] > 14 || days[1] <= last-7 {
					t.Errorf("%s: days %v are not the second and last Tuesday", month, days)
				}
			}
			// Each of these zones changed its UTC offset at least once in
			// the decade (Jordan and Syria-style zones stopped DST in 2022),
			// and the meetings followed the wall clock through it.
			if len(offsets) < 2 {
				t.Errorf("all meetings at one UTC offset %v: the test did not cross a change", offsets)
			}
		})
	}
}

// TestAtResolvesGapsAndOverlapsAsRFC5545Says walks every offset change of
// each zone from 2015 to 2035 and checks the wall-clock times inside the
// gap (clocks forward) and the overlap (clocks back).
func TestAtResolvesGapsAndOverlapsAsRFC5545Says(t *testing.T) {
	for _, zone := range zones {
		t.Run(zone, func(t *testing.T) {
			loc := mustLoc(t, zone)
			changes := 0
			for ts := time.Date(2015, 1, 1, 0, 0, 0, 0, loc); ts.Year() < 2035; {
				_, end := ts.ZoneBounds()
				if end.IsZero() {
					break
				}
				_, before := end.Add(-time.Second).Zone()
				_, after := end.Zone()
				ts = end
				if before == after {
					continue
				}
				changes++
				shift := time.Duration(after-before) * time.Second
				// The wall-clock time at the change, read with the old
				// offset: a gap follows it, an overlap precedes it.
				wall := end.In(time.FixedZone("", before))
				mid := wall.Add(shift / 2)
				d, c := DateOf(mid), Clock{mid.Hour(), mid.Minute()}
				got := At(d, c, loc)
				want := time.Date(mid.Year(), mid.Month(), mid.Day(), mid.Hour(), mid.Minute(), 0, 0, time.FixedZone("", before))
				if !got.Equal(want) {
					kind := "gap"
					if shift < 0 {
						kind = "overlap"
					}
					t.Errorf("%s at %s %s: At = %s, want %s (offset before the change)", kind, d, c, got.UTC(), want.UTC())
				}
				// An hour outside the change is unambiguous.
				far := wall.Add(-3 * time.Hour)
				if got := At(DateOf(far), Clock{far.Hour(), far.Minute()}, loc); !got.Equal(far) {
					t.Errorf("before the change at %s: At = %s, want %s", far, got.UTC(), far.UTC())
				}
			}
			if changes < 5 {
				t.Errorf("only %d offset changes found in 20 years of %s", changes, zone)
			}
		})
	}
}

func TestBeirutMidnightMeetingOnTheDayClocksGoForward(t *testing.T) {
	loc := mustLoc(t, "Asia/Beirut")
	// Lebanon moves clocks from 00:00 to 01:00 on the last Sunday of March.
	s := &Schedule{Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=SU"), Start: Date{2026, 3, 1}, Time: Clock{0, 30}, Duration: time.Hour, Location: loc}
	occ := s.Between(time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC), 0)
	var got []string
	for _, o := range occ {
		got = append(got, o.Start.In(loc).Format("01-02 15:04 -0700"))
	}
	want := []string{"03-22 00:30 +0200", "03-29 01:30 +0300", "04-05 00:30 +0300"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v (00:30 does not exist on 29 March; it is read as +0200, so 01:30 +0300)", got, want)
	}
}

func TestLondonKeepsTheWallClockAcrossTheChange(t *testing.T) {
	loc := mustLoc(t, "Europe/London")
	s := &Schedule{Rule: mustRule(t, "FREQ=WEEKLY;BYDAY=TU"), Start: Date{2026, 3, 24}, Time: Clock{18, 0}, Duration: 90 * time.Minute, Location: loc}
	occ := s.Next(time.Date(2026, 3, 24, 0, 0, 0, 0, time.UTC), 2)
	if occ[0].Start.UTC().Hour() != 18 || occ[1].Start.UTC().Hour() != 17 {
		t.Errorf("UTC hours %d then %d, want 18 (GMT) then 17 (BST)", occ[0].Start.UTC().Hour(), occ[1].Start.UTC().Hour())
	}
}

func TestExceptionsSkipAndExtrasAdd(t *testing.T) {
	loc := mustLoc(t, "Asia/Amman")
	s := &Schedule{Rule: mustRule(t, "FREQ=MONTHLY;BYDAY=2TU,-1TU"), Start: Date{2026, 1, 1}, Time: StaffTime, Duration: StaffDuration, Location: loc,
		Exceptions: []Date{{2026, 1, 27}},
		Extras:     []DateTime{{Date{2026, 2, 4}, Clock{10, 0}}, {Date{2026, 1, 13}, Clock{14, 0}}}}
	occ := s.Between(time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 3, 1, 0, 0, 0, 0, loc), 0)
	var got []string
	for _, o := range occ {
		got = append(got, fmt.Sprintf("%s %s %v", o.Date, o.Start.In(loc).Format("15:04"), o.Extra))
	}
	want := []string{"2026-01-13 14:00 false", "2026-02-04 10:00 true", "2026-02-10 14:00 false", "2026-02-24 14:00 false"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestAChangedRuleGivesNewDatesFromTheChange(t *testing.T) {
	loc := mustLoc(t, "Asia/Hebron")
	before := &Schedule{Rule: mustRule(t, "FREQ=MONTHLY;BYDAY=2TU,-1TU"), Start: Date{2026, 1, 1}, Time: StaffTime, Duration: StaffDuration, Location: loc}
	after := *before
	after.Rule = mustRule(t, "FREQ=MONTHLY;BYDAY=2WE,-1WE")
	after.Start = Date{2026, 6, 1}
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, loc)
	for _, o := range after.Next(from, 24) {
		if o.Start.In(loc).Weekday() != time.Wednesday {
			t.Fatalf("%s is not a Wednesday", o.Start)
		}
	}
	if got := before.Next(from, 1)[0].Start.In(loc).Weekday(); got != time.Tuesday {
		t.Errorf("old rule gives %s", got)
	}
}

func TestValidateRefusesRulesNoGroupCanKeep(t *testing.T) {
	loc := mustLoc(t, "Asia/Gaza")
	base := func(rule string) *Schedule {
		return &Schedule{Rule: mustRule(t, rule), Start: Date{2026, 1, 1}, Time: StaffTime, Duration: StaffDuration, Location: loc}
	}
	for _, tc := range []struct {
		name string
		s    *Schedule
		key  string
	}{
		{"the 31st of February only never happens", base("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31"), "schedule.error.never"},
		{"the 30th of February on a Monday never happens", base("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;BYDAY=MO"), "schedule.error.never"},
		{"an end before the start never happens", base("FREQ=WEEKLY;UNTIL=20251231"), "schedule.error.never"},
		{"five thousand daily meetings are too many", base("FREQ=DAILY;COUNT=5000"), "schedule.error.too_many"},
		{"daily until 2040 is too many", base("FREQ=DAILY;UNTIL=20401231"), "schedule.error.too_many"},
		{"daily for ever is too often", base("FREQ=DAILY"), "schedule.error.too_often_year"},
		{"thirteen hours is too long", func() *Schedule { s := base("FREQ=WEEKLY"); s.Duration = 13 * time.Hour; return s }(), "schedule.error.too_long"},
		{"no duration is refused", func() *Schedule { s := base("FREQ=WEEKLY"); s.Duration = 0; return s }(), "schedule.error.duration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e *Error
			if err := tc.s.Validate(); !errors.As(err, &e) || e.Key != tc.key {
				t.Fatalf("Validate() = %v, want key %s", err, tc.key)
			}
		})
	}
	for _, ok := range []string{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=DAILY;COUNT=60", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=MONTHLY;BYMONTHDAY=31"} {
		t.Run(ok+" is accepted", func(t *testing.T) {
			if err := base(ok).Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestPresetsAreRecognisedAgain(t *testing.T) {
	for _, p := range []string{PresetStaff, PresetWeekly, PresetFortnightly, PresetMonthly} {
		for d := time.Sunday; d <= time.Saturday; d++ {
			r, err := PresetRule(p, d, -1)
			if err != nil {
				t.Fatal(err)
			}
			gp, gd, _ := PresetOf(r)
			if gp != p || gd != d {
				t.Errorf("PresetOf(%s) = %s %s, want %s %s", r, gp, gd, p, d)
			}
		}
	}
	if p, _, _ := PresetOf(mustRule(t, "FREQ=MONTHLY;BYMONTHDAY=15")); p != PresetCustom {
		t.Errorf("a day-of-month rule is %s", p)
	}
}

func TestDescribeInPlainWords(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc := mustLoc(t, "Asia/Amman")
	sched := func(rule string) *Schedule {
		return &Schedule{Rule: mustRule(t, rule), Start: Date{2026, 1, 13}, Time: StaffTime, Duration: StaffDuration, Location: loc}
	}
	for _, tc := range []struct{ rule, lang, want string }{
		{"FREQ=MONTHLY;BYDAY=2TU,-1TU", "en", "Second and last Tuesday of each month, 14:00–16:00"},
		{"FREQ=MONTHLY;BYDAY=2TU,-1TU", "ar", "يوم الثلاثاء الثاني والأخير من كل شهر، من ١٤:٠٠ إلى ١٦:٠٠"},
		{"FREQ=MONTHLY;BYDAY=2TU,-1TU", "fr", "Le deuxième et le dernier mardi de chaque mois, de 14:00 à 16:00"},
		{"FREQ=WEEKLY;BYDAY=TU", "en", "Every Tuesday, 14:00–16:00"},
		{"FREQ=WEEKLY;BYDAY=TU", "ar", "كل يوم ثلاثاء، من ١٤:٠٠ إلى ١٦:٠٠"},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "en", "Every other Tuesday, 14:00–16:00"},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "ar", "يوم الثلاثاء كل أسبوعين، من ١٤:٠٠ إلى ١٦:٠٠"},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "fr", "Un mardi sur deux, de 14:00 à 16:00"},
		{"FREQ=MONTHLY;BYMONTHDAY=15", "en", "Day 15 of each month, 14:00–16:00"},
		{"FREQ=MONTHLY;BYMONTHDAY=15", "ar", "يوم ١٥ من كل شهر، من ١٤:٠٠ إلى ١٦:٠٠"},
		{"FREQ=MONTHLY;BYDAY=1MO", "en", "First Monday of each month, 14:00–16:00"},
		{"FREQ=WEEKLY;BYDAY=MO,TH;COUNT=12", "en", "Every Monday and Thursday, 14:00–16:00 (12 meetings)"},
		{"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "en", "A custom pattern, 14:00–16:00"},
	} {
		t.Run(tc.lang+" "+tc.rule, func(t *testing.T) {
			if got := Describe(sched(tc.rule), b.Localizer(tc.lang)); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// oracle expands a rule with teambition/rrule-go, an independent
// implementation of RFC 5545 (a port of python-dateutil), in UTC. It
// declines rules mixing BYDAY entries with and without ordinals
// (MO,2WE): dateutil intersects the two kinds, RFC 5545 and PeerCircle
// take the union (every Monday and the second Wednesday).
func oracle(t testing.TB, r *Rule, start Date, last Date) ([]Date, bool) {
	plain, nth := false, false
	for _, d := range r.ByDay {
		plain = plain || d.N == 0
		nth = nth || d.N != 0
	}
	if plain && nth {
		return nil, false
	}
	opt, err := rrule.StrToROption(r.String())
	if err != nil {
		return nil, false
	}
	opt.Dtstart = time.Date(start.Year, start.Month, start.Day, 12, 0, 0, 0, time.UTC)
	if !r.Until.IsZero() {
		opt.Until = time.Date(r.Until.Year, r.Until.Month, r.Until.Day, 23, 0, 0, 0, time.UTC)
	}
	rr, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, false
	}
	var out []Date
	for _, ts := range rr.Between(opt.Dtstart.Add(-time.Hour), time.Date(last.Year, last.Month, last.Day, 23, 0, 0, 0, time.UTC), true) {
		out = append(out, DateOf(ts))
	}
	return out, true
}

func ours(r *Rule, start, last Date) []Date {
	var out []Date
	r.Dates(start, last, func(d Date) bool { out = append(out, d); return true })
	return out
}

// randomRule builds rules from the parts PeerCircle supports.
func randomRule(rng *rand.Rand) string {
	freq := []string{"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}[rng.IntN(4)]
	parts := []string{"FREQ=" + freq}
	if rng.IntN(3) == 0 {
		parts = append(parts, fmt.Sprintf("INTERVAL=%d", 1+rng.IntN(4)))
	}
	if rng.IntN(4) == 0 {
		parts = append(parts, fmt.Sprintf("COUNT=%d", 1+rng.IntN(30)))
	}
	if rng.IntN(3) == 0 {
		var ms []string
		for range 1 + rng.IntN(3) {
			ms = append(ms, fmt.Sprint(1+rng.IntN(12)))
		}
		parts = append(parts, "BYMONTH="+strings.Join(ms, ","))
	}
	if freq != "WEEKLY" && rng.IntN(3) == 0 {
		var ds []string
		for range 1 + rng.IntN(3) {
			d := 1 + rng.IntN(31)
			if rng.IntN(3) == 0 {
				d = -d
			}
			ds = append(ds, fmt.Sprint(d))
		}
		parts = append(parts, "BYMONTHDAY="+strings.Join(ds, ","))
	}
	if rng.IntN(2) == 0 {
		var ds []string
		for range 1 + rng.IntN(3) {
			code := dayCodes[rng.IntN(7)]
			if (freq == "MONTHLY" || freq == "YEARLY") && rng.IntN(2) == 0 {
				n := 1 + rng.IntN(4)
				if rng.IntN(2) == 0 {
					n = -n
				}
				code = fmt.Sprint(n) + code
			}
			ds = append(ds, code)
		}
		parts = append(parts, "BYDAY="+strings.Join(ds, ","))
	}
	if rng.IntN(5) == 0 {
		parts = append(parts, fmt.Sprintf("BYSETPOS=%d", []int{1, 2, -1, -2}[rng.IntN(4)]))
	}
	if rng.IntN(5) == 0 {
		parts = append(parts, "WKST="+dayCodes[rng.IntN(7)])
	}
	return strings.Join(parts, ";")
}

// TestRulesAgreeWithAnIndependentImplementation compares 300
// random rules over six years with rrule-go.
func TestRulesAgreeWithAnIndependentImplementation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	compared := 0
	for range 300 {
		text := randomRule(rng)
		r, err := ParseRule(text)
		if err != nil {
			continue
		}
		start := Date{2025, time.Month(1 + rng.IntN(12)), 1 + rng.IntN(28)}
		last := start.AddDays(6 * 365)
		want, ok := oracle(t, r, start, last)
		if !ok {
			continue
		}
		compared++
		if got := ours(r, start, last); !slices.Equal(got, want) {
			t.Errorf("%s from %s:\n ours   %v\n oracle %v", r, start, head(got), head(want))
		}
	}
	if compared < 150 {
		t.Errorf("only %d rules compared", compared)
	}
}

func head(ds []Date) []Date {
	if len(ds) > 8 {
		return ds[:8]
	}
	return ds
}

// FuzzRule feeds arbitrary text to the parser: it never panics, a parsed
// rule prints to a rule that parses back the same, expansion stays
// bounded, and it agrees with the independent implementation.
func FuzzRule(f *testing.F) {
	for _, s := range []string{"FREQ=MONTHLY;BYDAY=2TU,-1TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31",
		"FREQ=DAILY;COUNT=5000", "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1", "RRULE:FREQ=YEARLY;BYDAY=20MO", "FREQ=WEEKLY;UNTIL=20270101T000000Z"} {
		f.Add(s, uint16(100))
	}
	f.Fuzz(func(t *testing.T, text string, startDay uint16) {
		r, err := ParseRule(text)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Key == "" {
				t.Fatalf("error without a message key: %v", err)
			}
			return
		}
		again, err := ParseRule(r.String())
		if err != nil || again.String() != r.String() {
			t.Fatalf("%q printed as %q, which parses to %v (%v)", text, r.String(), again, err)
		}
		start := Date{2024, 1, 1}.AddDays(int(startDay % 2000))
		last := start.AddDays(3 * 365)
		got := ours(r, start, last)
		if len(got) > 3*366+1 {
			t.Fatalf("%d dates in three years", len(got))
		}
		for i := 1; i < len(got); i++ {
			if !got[i-1].Before(got[i]) {
				t.Fatalf("dates out of order: %v", got)
			}
		}
		s := &Schedule{Rule: r, Start: start, Time: StaffTime, Duration: StaffDuration, Location: time.UTC}
		_ = s.Validate()
		if want, ok := oracle(t, r, start, last); ok && !slices.Equal(got, want) {
			t.Fatalf("%s from %s:\n ours   %v\n oracle %v", r, start, head(got), head(want))
		}
	})
}

// BenchmarkStaffPresetYear expands a year of the staff-group rule in
// Amman from a start two years back, as the planner does for each group.
func BenchmarkStaffPresetYear(b *testing.B) {
	loc := mustLoc(b, "Asia/Amman")
	r, _ := PresetRule(PresetStaff, time.Tuesday, 0)
	s := &Schedule{Rule: r, Start: Date{2024, 1, 1}, Time: StaffTime, Duration: StaffDuration, Location: loc}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	for b.Loop() {
		if n := len(s.Between(from, from.AddDate(1, 0, 0), 0)); n != 24 {
			b.Fatal(n)
		}
	}
}
