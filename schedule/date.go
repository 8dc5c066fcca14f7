package schedule

import (
	"fmt"
	"time"
)

// Date is a calendar date with no zone: the day a meeting falls on where
// the group meets.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns t's date in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("schedule: %q is not a date like 2026-01-13", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as 2006-01-02.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Compact formats d as 20060102 (iCalendar DATE).
func (d Date) Compact() string { return fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day) }

// t is d at midnight UTC, for date arithmetic.
func (d Date) t() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.t().AddDate(0, 0, n)) }

// Weekday returns d's day of the week.
func (d Date) Weekday() time.Weekday { return d.t().Weekday() }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.t().Before(e.t()) }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.t().After(e.t()) }

// DaysSince returns the number of days from e to d.
func (d Date) DaysSince(e Date) int { return int(d.t().Sub(e.t()).Hours() / 24) }

// daysIn returns the number of days of a month.
func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// valid reports whether y-m-d exists (no 31 February).
func valid(y int, m time.Month, d int) bool { return d >= 1 && d <= daysIn(y, m) }

// Clock is a wall-clock time of day.
type Clock struct{ Hour, Minute int }

// ParseClock reads "14:00".
func ParseClock(s string) (Clock, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return Clock{}, fmt.Errorf("schedule: %q is not a time like 14:00", s)
	}
	return Clock{t.Hour(), t.Minute()}, nil
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// At returns the instant of wall-clock time c on date d in loc, following
// RFC 5545 (3.3.5): a time that occurs twice (clocks going back) is the
// first of the two; a time that does not occur (clocks going forward) is
// read with the UTC offset in force before the gap, so it lands as far
// after the gap's start as it was meant to be.
func At(d Date, c Clock, loc *time.Location) time.Time {
	naive := time.Date(d.Year, d.Month, d.Day, c.Hour, c.Minute, 0, 0, time.UTC)
	var found []time.Time
	seen := map[int]bool{}
	for _, probe := range []time.Duration{-48 * time.Hour, -24 * time.Hour, 0, 24 * time.Hour, 48 * time.Hour} {
		_, off := naive.Add(probe).In(loc).Zone()
		if seen[off] {
			continue
		}
		seen[off] = true
		inst := naive.Add(-time.Duration(off) * time.Second)
		if _, o := inst.In(loc).Zone(); o == off {
			found = append(found, inst)
		}
	}
	if len(found) > 0 {
		first := found[0]
		for _, f := range found[1:] {
			if f.Before(first) {
				first = f
			}
		}
		return first.In(loc)
	}
	// In a gap: the offset before it is the one a day earlier.
	_, before := naive.Add(-24 * time.Hour).In(loc).Zone()
	return naive.Add(-time.Duration(before) * time.Second).In(loc)
}

// DateTime is a local date and wall-clock time, for one-off meetings.
type DateTime struct {
	Date
	Clock
}

// ParseDateTime reads "2026-01-13 14:00" (or with a T).
func ParseDateTime(s string) (DateTime, error) {
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return DateTime{DateOf(t), Clock{t.Hour(), t.Minute()}}, nil
		}
	}
	return DateTime{}, fmt.Errorf("schedule: %q is not a date and time like 2026-01-13 14:00", s)
}

func (dt DateTime) String() string { return dt.Date.String() + " " + dt.Clock.String() }
