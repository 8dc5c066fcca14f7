package schedule

import (
	"slices"
	"time"
)

// maxPeriods bounds the periods one expansion walks, so no rule, however
// odd, can keep a request busy: a daily rule walks 36,500 periods in a
// century.
const maxPeriods = 40000

// Dates calls yield with each date the rule produces on or after start,
// in order, until yield returns false, the rule ends (COUNT, UNTIL), or the
// date passes last (inclusive; zero means no bound other than the rule's
// own). start is DTSTART's date: it anchors the periods (the week, the
// month, the day of the month) and counts towards COUNT only when the rule
// produces it, as RFC 5545 implementations do for unsynchronised starts.
func (r *Rule) Dates(start, last Date, yield func(Date) bool) {
	count := 0
	interval := max(r.Interval, 1)
	var buf []Date
	for p := 0; p < maxPeriods; p++ {
		buf = r.period(start, p*interval, buf[:0])
		for _, d := range buf {
			if d.Before(start) {
				continue
			}
			if !r.Until.IsZero() && d.After(r.Until) {
				return
			}
			if !last.IsZero() && d.After(last) {
				return
			}
			count++
			if !yield(d) {
				return
			}
			if r.Count > 0 && count >= r.Count {
				return
			}
		}
		// Stop walking once the periods start after every bound.
		if ps := r.periodStart(start, (p+1)*interval); (!r.Until.IsZero() && ps.After(r.Until)) || (!last.IsZero() && ps.After(last)) {
			return
		}
	}
}

// periodStart is the first day of the period n frequency-steps after
// start's period.
func (r *Rule) periodStart(start Date, n int) Date {
	switch r.Freq {
	case Daily:
		return start.AddDays(n)
	case Weekly:
		back := (int(start.Weekday()) - int(r.WeekStart) + 7) % 7
		return start.AddDays(-back + 7*n)
	case Monthly:
		t := time.Date(start.Year, start.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
		return DateOf(t)
	default:
		return Date{start.Year + n, time.January, 1}
	}
}

// period appends the rule's dates in the period n steps after start's, in
// order, after BYSETPOS.
func (r *Rule) period(start Date, n int, out []Date) []Date {
	ps := r.periodStart(start, n)
	switch r.Freq {
	case Daily:
		if r.dayMatches(ps, true, true) {
			out = append(out, ps)
		}
	case Weekly:
		for i := 0; i < 7; i++ {
			d := ps.AddDays(i)
			if len(r.ByMonth) > 0 && !slices.Contains(r.ByMonth, d.Month) {
				continue
			}
			if len(r.ByDay) > 0 {
				if !r.hasWeekday(d.Weekday()) {
					continue
				}
			} else if d.Weekday() != start.Weekday() {
				continue
			}
			out = append(out, d)
		}
	case Monthly:
		if len(r.ByMonth) > 0 && !slices.Contains(r.ByMonth, ps.Month) {
			return out
		}
		out = r.monthDates(ps.Year, ps.Month, start, out)
	case Yearly:
		y := ps.Year
		switch {
		case len(r.ByMonth) > 0:
			for _, m := range r.ByMonth {
				out = r.monthDates(y, m, start, out)
			}
		case len(r.ByMonthDay) > 0:
			// BYDAY ordinals count within the year here, not the month.
			days := 365
			if valid(y, time.February, 29) {
				days = 366
			}
			plain := *r
			plain.ByDay = nil
			for m := time.January; m <= time.December; m++ {
				for _, d := range plain.monthDates(y, m, start, nil) {
					if len(r.ByDay) == 0 || r.weekdayInSpan(d, d.DaysSince(Date{y, time.January, 1})+1, days) {
						out = append(out, d)
					}
				}
			}
		case len(r.ByDay) > 0:
			out = r.yearWeekdays(y, out)
		default:
			if valid(y, start.Month, start.Day) {
				out = append(out, Date{y, start.Month, start.Day})
			}
		}
	}
	return r.setPos(out)
}

// monthDates appends the month's dates: BYMONTHDAY days (limited by
// BYDAY), BYDAY weekdays (ordinals within the month), or start's day.
func (r *Rule) monthDates(y int, m time.Month, start Date, out []Date) []Date {
	n := daysIn(y, m)
	switch {
	case len(r.ByMonthDay) > 0:
		var days []int
		for _, md := range r.ByMonthDay {
			d := md
			if md < 0 {
				d = n + md + 1
			}
			if d >= 1 && d <= n && !slices.Contains(days, d) {
				days = append(days, d)
			}
		}
		slices.Sort(days)
		for _, d := range days {
			date := Date{y, m, d}
			if len(r.ByDay) == 0 || r.weekdayInSpan(date, d, n) {
				out = append(out, date)
			}
		}
	case len(r.ByDay) > 0:
		for d := 1; d <= n; d++ {
			date := Date{y, m, d}
			if r.weekdayInSpan(date, d, n) {
				out = append(out, date)
			}
		}
	default:
		if valid(y, m, start.Day) {
			out = append(out, Date{y, m, start.Day})
		}
	}
	return out
}

// yearWeekdays appends the year's BYDAY dates, ordinals counted within
// the year.
func (r *Rule) yearWeekdays(y int, out []Date) []Date {
	first := Date{y, time.January, 1}
	n := 365
	if valid(y, time.February, 29) {
		n = 366
	}
	for i := 0; i < n; i++ {
		d := first.AddDays(i)
		if r.weekdayInSpan(d, i+1, n) {
			out = append(out, d)
		}
	}
	return out
}

// weekdayInSpan reports whether date, the pos-th day (1-based) of a span
// of n days, matches a BYDAY entry with its ordinal counted in the span.
func (r *Rule) weekdayInSpan(date Date, pos, n int) bool {
	wd := date.Weekday()
	for _, bd := range r.ByDay {
		if bd.Day != wd {
			continue
		}
		if bd.N == 0 {
			return true
		}
		nth := (pos-1)/7 + 1        // 1 for the first such weekday
		fromEnd := -((n-pos)/7 + 1) // -1 for the last
		if bd.N == nth || bd.N == fromEnd {
			return true
		}
	}
	return false
}

func (r *Rule) hasWeekday(wd time.Weekday) bool {
	for _, bd := range r.ByDay {
		if bd.Day == wd {
			return true
		}
	}
	return false
}

// dayMatches applies the BY parts to a single day (FREQ=DAILY).
func (r *Rule) dayMatches(d Date, monthDay, weekday bool) bool {
	if len(r.ByMonth) > 0 && !slices.Contains(r.ByMonth, d.Month) {
		return false
	}
	if monthDay && len(r.ByMonthDay) > 0 {
		n := daysIn(d.Year, d.Month)
		ok := false
		for _, md := range r.ByMonthDay {
			if md == d.Day || (md < 0 && n+md+1 == d.Day) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if weekday && len(r.ByDay) > 0 && !r.hasWeekday(d.Weekday()) {
		return false
	}
	return true
}

// setPos keeps the BYSETPOS positions of a period's sorted dates.
func (r *Rule) setPos(set []Date) []Date {
	slices.SortFunc(set, func(a, b Date) int { return a.t().Compare(b.t()) })
	set = slices.Compact(set)
	if len(r.BySetPos) == 0 {
		return set
	}
	var keep []Date
	for _, p := range r.BySetPos {
		i := p - 1
		if p < 0 {
			i = len(set) + p
		}
		if i >= 0 && i < len(set) && !slices.Contains(keep, set[i]) {
			keep = append(keep, set[i])
		}
	}
	slices.SortFunc(keep, func(a, b Date) int { return a.t().Compare(b.t()) })
	return append(set[:0], keep...)
}
