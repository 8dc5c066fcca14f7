package peercircle_test

import (
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/peercircle/peercircle"
)

func TestTextProblem(t *testing.T) {
	for _, tc := range []struct {
		text, want string
	}{
		{"Rana", ""},
		{"رنا حدّاد", ""},
		{"two\nlines\r\nand\ta tab", ""},
		{"مرحبا\u200f (RLM), \u200e (LRM), \u200c\u200d, \u061c", ""},
		{"Hélène, café, ١٢٣", ""},
		{"emoji 🙂", ""},
		{"Ran\xffa", "error.text_encoding"},
		{"\x00", "error.text_control"},
		{"bell\a", "error.text_control"},
		{"\x1b[31mred", "error.text_control"},
		{"\u0085next line", "error.text_control"},
		{"Rana\u202eanaR", "error.text_control"},
		{"\u202aembedded", "error.text_control"},
		{"\u2066isolated\u2069", "error.text_control"},
		{"\ufeffBOM", "error.text_control"},
		{"hidden\u2063separator", "error.text_control"},
		{"tag\U000E0041", "error.text_control"},
		{"private\ue000use", "error.text_control"},
	} {
		if got := peercircle.TextProblem(tc.text); got != tc.want {
			t.Errorf("TextProblem(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// FuzzTextProblem: text that passes is valid UTF-8 and shows only what it
// says — no control or format character other than the allowed ones.
func FuzzTextProblem(f *testing.F) {
	for _, s := range []string{"Rana", "رنا\u200f", "a\x00b", "\u202e", "\xff", "line\nline"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if peercircle.TextProblem(s) != "" {
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("%q passed but is not UTF-8", s)
		}
		for _, r := range s {
			switch r {
			case '\t', '\n', '\r', '\u200e', '\u200f', '\u200c', '\u200d', '\u061c':
				continue
			}
			if unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs) {
				t.Fatalf("%q passed with %U", s, r)
			}
		}
	})
}

// Every date a person gives has a sane range (issue 10: year 0000 and 9999
// were kept for supervision, worksheets, training and sites).
func TestDatesHaveASaneRange(t *testing.T) {
	today := "2026-12-04"
	for _, day := range []string{"0000-01-01", "1999-12-31", "2101-01-01", "9999-12-31"} {
		checks := map[string]error{
			"supervision": (&peercircle.SupervisionSession{SupervisorID: 1, SuperviseeID: 2, HeldOn: day, TaskNotes: "n"}).Validate(today),
			"worksheet":   (&peercircle.GrowWorksheet{Goal: "g", Actions: []peercircle.GrowAction{{Text: "call", Due: day}}}).Validate(),
			"course":      (&peercircle.TrainingCourse{SiteID: 1, Name: "Listening", StartsOn: day}).Validate(),
			"buddy":       (&peercircle.BuddyPairing{NewcomerID: 1, BuddyID: 2, StartsOn: day, EndsOn: "2027-01-01"}).Validate(),
		}
		joined, _ := time.Parse(time.DateOnly, day)
		checks["site"] = (&peercircle.Site{AreaID: 1, Name: "HC", Kind: peercircle.SiteKinds[0], TimeZone: "Asia/Amman", JoinedProgramme: &joined}).Validate()
		start := joined.Add(10 * time.Hour)
		checks["meeting"] = (&peercircle.Session{GroupID: 1, PlannedStart: start, PlannedEnd: start.Add(time.Hour), LocalDate: day, Status: peercircle.SessionPlanned}).Validate()
		for what, err := range checks {
			if peercircle.ErrorCode(err) != peercircle.EINVALID {
				t.Errorf("%s on %s was accepted", what, day)
				continue
			}
			found := false
			for _, key := range peercircle.ErrorFields(err) {
				found = found || key == "error.date_range" || key == "session.date_out_of_range"
			}
			if !found {
				t.Errorf("%s on %s: %v, want a date-range message", what, day, peercircle.ErrorFields(err))
			}
		}
	}
	if err := (&peercircle.TrainingCourse{SiteID: 1, Name: "Listening", StartsOn: "2027-02-01"}).Validate(); err != nil {
		t.Fatalf("a sane date was refused: %v", err)
	}
	for _, q := range []string{"1900Q1", "1999Q4", "2101Q1", "9998Q4"} {
		if _, err := peercircle.ParseQuarter(q); err == nil {
			t.Errorf("quarter %s was accepted", q)
		}
	}
}
