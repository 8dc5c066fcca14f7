package peercircle

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Quarter is a reporting quarter of the organisation's calendar: N (1-4) of
// Year. The organisation chooses the month its first quarter starts in
// (Organisation.QuarterStartMonth); quarter 1 of year Y starts in that month
// of year Y, so with April as the start month "2027Q4" runs from January to
// March 2028. A quarter is a span of calendar dates; which instants it
// covers depends on the site's time zone (see Start and End).
type Quarter struct {
	Year int
	N    int
}

// ParseQuarter reads a quarter written as "2027Q1" (also "2027-Q1" and a
// lower-case q). It returns EINVALID with key "report.bad_quarter" for
// anything else.
func ParseQuarter(s string) (Quarter, error) {
	bad := Errorf(EINVALID, "report.bad_quarter", "not a quarter: %q (write it like 2027Q1)", s)
	s = strings.ToUpper(strings.TrimSpace(s))
	y, n, ok := strings.Cut(s, "Q")
	if !ok {
		return Quarter{}, bad
	}
	y = strings.TrimSuffix(y, "-")
	if len(y) != 4 || len(n) != 1 {
		return Quarter{}, bad
	}
	year, err := strconv.Atoi(y)
	if err != nil || year < EarliestMeeting || year > LatestMeeting || strings.Trim(y, "0123456789") != "" {
		return Quarter{}, bad
	}
	if n[0] < '1' || n[0] > '4' {
		return Quarter{}, bad
	}
	return Quarter{Year: year, N: int(n[0] - '0')}, nil
}

// String writes the quarter as "2027Q1".
func (q Quarter) String() string { return fmt.Sprintf("%04dQ%d", q.Year, q.N) }

// IsZero reports whether q is the zero quarter (no quarter).
func (q Quarter) IsZero() bool { return q.Year == 0 }

// Next is the quarter after q.
func (q Quarter) Next() Quarter {
	if q.N == 4 {
		return Quarter{Year: q.Year + 1, N: 1}
	}
	return Quarter{Year: q.Year, N: q.N + 1}
}

// Prev is the quarter before q.
func (q Quarter) Prev() Quarter {
	if q.N == 1 {
		return Quarter{Year: q.Year - 1, N: 4}
	}
	return Quarter{Year: q.Year, N: q.N - 1}
}

// Before reports whether q comes before o.
func (q Quarter) Before(o Quarter) bool {
	return q.Year < o.Year || (q.Year == o.Year && q.N < o.N)
}

// normStart turns an out-of-range start month into January.
func normStart(startMonth int) int {
	if startMonth < 1 || startMonth > 12 {
		return 1
	}
	return startMonth
}

// firstDay is the first day of the quarter as a date (in no zone).
func (q Quarter) firstDay(startMonth int) (int, time.Month) {
	m := normStart(startMonth) - 1 + 3*(q.N-1) // months after January of q.Year
	return q.Year + m/12, time.Month(m%12 + 1)
}

// Start is the first instant of the quarter in loc: midnight of its first day.
func (q Quarter) Start(startMonth int, loc *time.Location) time.Time {
	y, m := q.firstDay(startMonth)
	return time.Date(y, m, 1, 0, 0, 0, 0, loc)
}

// End is the first instant after the quarter in loc.
func (q Quarter) End(startMonth int, loc *time.Location) time.Time {
	return q.Next().Start(startMonth, loc)
}

// Dates returns the quarter's first and last day as "YYYY-MM-DD", for
// comparing with a session's local date (inclusive on both ends).
func (q Quarter) Dates(startMonth int) (first, last string) {
	s := q.Start(startMonth, time.UTC)
	e := q.End(startMonth, time.UTC).AddDate(0, 0, -1)
	return s.Format(time.DateOnly), e.Format(time.DateOnly)
}

// Months returns the quarter's three months as "YYYY-MM".
func (q Quarter) Months(startMonth int) []string {
	s := q.Start(startMonth, time.UTC)
	return []string{s.Format("2006-01"), s.AddDate(0, 1, 0).Format("2006-01"), s.AddDate(0, 2, 0).Format("2006-01")}
}

// QuarterOf returns the quarter that contains t's date in t's location.
func QuarterOf(t time.Time, startMonth int) Quarter {
	off := (int(t.Month()) - normStart(startMonth) + 12) % 12
	year := t.Year()
	if int(t.Month()) < normStart(startMonth) {
		year--
	}
	return Quarter{Year: year, N: off/3 + 1}
}

// QuarterOfDate returns the quarter of a "YYYY-MM-DD" date.
func QuarterOfDate(date string, startMonth int) (Quarter, error) {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return Quarter{}, Errorf(EINVALID, "error.date", "not a date: %q", date)
	}
	return QuarterOf(t, startMonth), nil
}

// Contains reports whether the date "YYYY-MM-DD" falls in the quarter.
func (q Quarter) Contains(date string, startMonth int) bool {
	first, last := q.Dates(startMonth)
	return date >= first && date <= last
}
