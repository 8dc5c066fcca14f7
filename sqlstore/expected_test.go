package sqlstore_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// MeetingsExpected compares calendar dates as numbers. Against the rule as
// written with dates as text (two a month in every month of the quarter
// that has begun, in which the group existed and its site had joined), for
// random groups, sites in three time zones, quarters and days, around the
// turns of months and years where a zone moves the date.
func TestMeetingsExpectedCountsTheMonthsOfTheRule(t *testing.T) {
	zones := []string{"Asia/Amman", "UTC", "America/Los_Angeles"}
	r := rand.New(rand.NewPCG(14, 5))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func() time.Time { return base.Add(time.Duration(r.IntN(3*365*24)) * time.Hour) }
	for i := range 20000 {
		zone := zones[r.IntN(len(zones))]
		site := &peercircle.Site{ID: 1, TimeZone: zone}
		if r.IntN(8) > 0 {
			j := at()
			site.JoinedProgramme = &j
		}
		created, now := at(), at()
		var ended *time.Time
		if r.IntN(3) == 0 {
			e := at()
			ended = &e
		}
		status := []string{peercircle.GroupActive, peercircle.GroupActive, peercircle.GroupForming, peercircle.GroupPaused}[r.IntN(4)]
		start := 1 + r.IntN(12)
		q := peercircle.QuarterOf(at(), start)
		got := sqlstore.MeetingsExpected(status, created, ended, site, q, start, now)
		if want := expectedAsText(status, created, ended, site, q, start, now); got != want {
			t.Fatalf("case %d: %s group created %v ended %v, site joined %v in %s, %v (start month %d) at %v: %d meetings, want %d",
				i, status, created, ended, site.JoinedProgramme, zone, q, start, now, got, want)
		}
	}
}

// expectedAsText is the rule with the dates as "YYYY-MM-DD" text.
func expectedAsText(status string, created time.Time, ended *time.Time, site *peercircle.Site, q peercircle.Quarter, start int, now time.Time) int {
	if status == peercircle.GroupForming || status == peercircle.GroupPaused {
		return 0
	}
	loc, _ := time.LoadLocation(site.TimeZone)
	today, createdOn := now.In(loc).Format(time.DateOnly), created.In(loc).Format(time.DateOnly)
	n := 0
	for _, month := range q.Months(start) {
		m, _ := time.Parse("2006-01", month)
		first, last := month+"-01", m.AddDate(0, 1, -1).Format(time.DateOnly)
		switch {
		case first > today || createdOn > last:
		case ended != nil && ended.In(loc).Format(time.DateOnly) < first:
		case site.JoinedProgramme == nil || site.JoinedProgramme.Format(time.DateOnly) > last:
		default:
			n += peercircle.MeetingsPerMonth
		}
	}
	return n
}
