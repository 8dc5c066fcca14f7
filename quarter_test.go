package peercircle

import (
	"testing"
	"time"
)

func TestQuarters(t *testing.T) {
	amman, _ := time.LoadLocation("Asia/Amman")
	for _, tc := range []struct {
		name        string
		start       int
		q           Quarter
		first, last string
	}{
		{"calendar quarters start in January", 1, Quarter{2027, 1}, "2027-01-01", "2027-03-31"},
		{"the fourth calendar quarter ends on 31 December", 1, Quarter{2027, 4}, "2027-10-01", "2027-12-31"},
		{"a year starting in April has its first quarter in April", 4, Quarter{2027, 1}, "2027-04-01", "2027-06-30"},
		{"a year starting in April ends its fourth quarter in the next March", 4, Quarter{2027, 4}, "2028-01-01", "2028-03-31"},
		{"a year starting in November spans the new year in its first quarter", 11, Quarter{2027, 1}, "2027-11-01", "2028-01-31"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, last := tc.q.Dates(tc.start)
			if first != tc.first || last != tc.last {
				t.Fatalf("dates %s..%s, want %s..%s", first, last, tc.first, tc.last)
			}
			for _, d := range []string{first, last} {
				if got, _ := QuarterOfDate(d, tc.start); got != tc.q {
					t.Fatalf("QuarterOfDate(%s) = %v", d, got)
				}
			}
			day, _ := time.Parse(time.DateOnly, first)
			if got, _ := QuarterOfDate(day.AddDate(0, 0, -1).Format(time.DateOnly), tc.start); got != tc.q.Prev() {
				t.Fatalf("the day before belongs to %v", got)
			}
		})
	}
	t.Run("the boundary is midnight in the site's zone, not in UTC", func(t *testing.T) {
		end := Quarter{2027, 1}.End(1, amman)
		if end.UTC().Format(time.RFC3339) != "2027-03-31T21:00:00Z" {
			t.Fatalf("end = %v", end.UTC())
		}
		// 00:30 on 1 April in Amman is 31 March in UTC, and Q2 in Amman.
		early := time.Date(2027, 4, 1, 0, 30, 0, 0, amman)
		if QuarterOf(early, 1) != (Quarter{2027, 2}) || QuarterOf(early.UTC(), 1) != (Quarter{2027, 1}) {
			t.Fatal("the zone decides the quarter")
		}
	})
	t.Run("quarters parse in the forms people write them", func(t *testing.T) {
		for _, s := range []string{"2027Q1", "2027q1", " 2027-Q1 "} {
			if q, err := ParseQuarter(s); err != nil || q != (Quarter{2027, 1}) {
				t.Fatalf("%q: %v %v", s, q, err)
			}
		}
		for _, s := range []string{"", "2027", "2027Q5", "2027Q0", "27Q1", "Q1 2027", "2027Q12", "+027Q1", "2027QQ1"} {
			if _, err := ParseQuarter(s); ErrorKey(err) != "report.bad_quarter" {
				t.Fatalf("%q should be refused: %v", s, err)
			}
		}
	})
	t.Run("next and previous cross years", func(t *testing.T) {
		if (Quarter{2026, 4}).Next() != (Quarter{2027, 1}) || (Quarter{2027, 1}).Prev() != (Quarter{2026, 4}) {
			t.Fatal("year change")
		}
	})
}

// FuzzParseQuarter: whatever people type, a parsed quarter writes back as
// itself and its dates belong to it.
func FuzzParseQuarter(f *testing.F) {
	for _, s := range []string{"2027Q1", "2027-q4", "1900Q1", "9998Q4", "2099Q4", "x", "٢٠٢٧Q1"} {
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, s string, start int) {
		q, err := ParseQuarter(s)
		if err != nil {
			return
		}
		again, err := ParseQuarter(q.String())
		if err != nil || again != q {
			t.Fatalf("%q → %v → %v %v", s, q, again, err)
		}
		first, last := q.Dates(start)
		a, _ := QuarterOfDate(first, start)
		b, _ := QuarterOfDate(last, start)
		if a != q || b != q || first > last {
			t.Fatalf("%v with start %d: %s..%s in %v..%v", q, start, first, last, a, b)
		}
	})
}

func TestFiguresRules(t *testing.T) {
	t.Run("compliance follows held against expected", func(t *testing.T) {
		for _, tc := range []struct {
			held, expected int
			want           string
		}{{6, 6, ComplianceMeets}, {7, 6, ComplianceMeets}, {3, 6, CompliancePartly}, {2, 6, ComplianceBelow}, {0, 0, ComplianceNone}} {
			f := Figures{Held: tc.held, Expected: tc.expected}
			if got := f.Compliance(); got != tc.want {
				t.Errorf("%d of %d: %s, want %s", tc.held, tc.expected, got, tc.want)
			}
		}
	})
	t.Run("a count about fewer than k people is hidden", func(t *testing.T) {
		f := Figures{Held: 2, Attendance: 4, People: 2, Guests: 1, GuestPeople: 1, MemberPeople: 2}
		for key, hidden := range map[string]bool{"sessions_held": false, "attendance_total": true, "people": true, "attendance_guests": true} {
			v, ok := f.Value(key)
			if !ok || v.Hidden(3) != hidden {
				t.Errorf("%s hidden = %v", key, v.Hidden(3))
			}
		}
		if v, _ := f.Value("people"); v.Hidden(2) {
			t.Error("two people with k = 2 is shown")
		}
	})
	t.Run("every figure key has a value", func(t *testing.T) {
		var f Figures
		for _, k := range FigureKeys {
			if _, ok := f.Value(k); !ok {
				t.Errorf("%s has no value", k)
			}
		}
	})
	t.Run("a return needs a comment, an acceptance does not", func(t *testing.T) {
		if err := (&ReportReview{Accept: false}).Validate(); ErrorFields(err)["review_comment"] == "" {
			t.Fatal("return without comment")
		}
		if err := (&ReportReview{Accept: true}).Validate(); err != nil {
			t.Fatal(err)
		}
	})
}
