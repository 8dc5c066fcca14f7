package peercircle_test

import (
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

func TestNormalizePhone(t *testing.T) {
	for _, c := range []struct{ in, want, key string }{
		{"", "", ""},
		{"+962 79 123 4567", "+962791234567", ""},
		{"00962-79-123-4567", "+962791234567", ""},
		{"(+33) 6.12.34.56.78", "+33612345678", ""},
		{"+٩٦٢ ٧٩ ١٢٣ ٤٥٦٧", "+962791234567", ""},
		{"\u200e+20 10 1234 5678", "+201012345678", ""},
		{"079 123 4567", "", "phone.error.country"},
		{"+0 79 123 4567", "", "phone.error.length"},
		{"+1234", "", "phone.error.length"},
		{"+1234567890123456", "", "phone.error.length"},
		{"+962 79 123 4567 ext 2", "", "phone.error.characters"},
		{"+962+79", "", "phone.error.characters"},
	} {
		got, key := peercircle.NormalizePhone(c.in)
		if got != c.want || key != c.key {
			t.Errorf("%q: got %q %q, want %q %q", c.in, got, key, c.want, c.key)
		}
	}
}

func FuzzNormalizePhone(f *testing.F) {
	f.Add("+962 79 123 4567")
	f.Add("00٣٣ ٦ ١٢")
	f.Fuzz(func(t *testing.T, s string) {
		got, key := peercircle.NormalizePhone(s)
		if key != "" {
			return
		}
		if got == "" {
			return
		}
		if got[0] != '+' || len(got) < 9 || len(got) > 16 || got[1] == '0' {
			t.Fatalf("%q → %q", s, got)
		}
		for _, r := range got[1:] {
			if r < '0' || r > '9' {
				t.Fatalf("%q → %q", s, got)
			}
		}
		if again, _ := peercircle.NormalizePhone(got); again != got {
			t.Fatalf("not stable: %q → %q → %q", s, got, again)
		}
	})
}

func TestQuietHours(t *testing.T) {
	amman, _ := time.LoadLocation("Asia/Amman")
	at := func(day, hh, mm int) time.Time { return time.Date(2026, 12, day, hh, mm, 0, 0, amman) }
	night := &peercircle.MessageSettings{QuietStart: "22:00", QuietEnd: "07:00"}
	lunch := &peercircle.MessageSettings{QuietStart: "12:00", QuietEnd: "13:30"}
	none := &peercircle.MessageSettings{}
	for _, c := range []struct {
		m        *peercircle.MessageSettings
		t, want  time.Time
		scenario string
	}{
		{night, at(4, 21, 59), at(4, 21, 59), "before the night"},
		{night, at(4, 22, 0), at(5, 7, 0), "at the start, until the morning"},
		{night, at(4, 23, 30), at(5, 7, 0), "late evening"},
		{night, at(5, 3, 0), at(5, 7, 0), "after midnight"},
		{night, at(5, 7, 0), at(5, 7, 0), "at the end"},
		{lunch, at(4, 12, 45), at(4, 13, 30), "a daytime pause"},
		{lunch, at(4, 14, 0), at(4, 14, 0), "after the pause"},
		{none, at(4, 3, 0), at(4, 3, 0), "no quiet hours"},
	} {
		if got := c.m.AfterQuietHours(c.t.UTC(), amman); !got.Equal(c.want) {
			t.Errorf("%s: %v → %v, want %v", c.scenario, c.t, got.In(amman), c.want)
		}
	}
	bad := &peercircle.MessageSettings{Phone: "079", QuietStart: "25:00"}
	fields := peercircle.ErrorFields(bad.Validate())
	if fields["phone"] != "phone.error.country" || fields["quiet_start"] == "" || fields["quiet_end"] == "" {
		t.Fatalf("fields %v", fields)
	}
}

func TestParseReminderHours(t *testing.T) {
	for _, c := range []struct {
		in, want, key string
	}{
		{"", "", ""},
		{"48, 2", "48, 2", ""},
		{"2 48", "48, 2", ""},
		{"٢٤، ٣", "24, 3", ""},
		{"24, 24", "24", ""},
		{"0", "", "reminder.error.hours"},
		{"400", "", "reminder.error.hours"},
		{"1.5", "", "reminder.error.hours"},
		{"72, 24, 3, 1", "", "reminder.error.too_many"},
	} {
		got, key := peercircle.ParseReminderHours(c.in)
		if peercircle.ReminderHoursText(got) != c.want || key != c.key {
			t.Errorf("%q: %v %q", c.in, got, key)
		}
	}
}
