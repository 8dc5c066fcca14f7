package schedule

import (
	"slices"
	"time"
)

// Limits on what a schedule may ask for. A group meets at most once a day
// from its rule; a rule may plan at most MaxMeetings in all, and an
// open-ended one at most MaxPerYear in its first year (about three a
// week), so nobody plans thousands of meetings by mistake.
const (
	MaxDuration = 12 * time.Hour
	MaxMeetings = 1000
	MaxPerYear  = 160
	// NeverYears is how far ahead a rule is searched for its first
	// meeting before it is called impossible: 29 February comes at least
	// once in eight years.
	NeverYears = 8
	MaxExtras  = 100
)

// Schedule is a group's meeting plan: a rule from a first date, at a
// wall-clock time, for a duration, in a zone; exception dates skip rule
// meetings; extras add one-off meetings.
type Schedule struct {
	Rule       *Rule // nil: extras only
	Start      Date  // first date the rule may produce
	Time       Clock
	Duration   time.Duration
	Location   *time.Location
	Exceptions []Date
	Extras     []DateTime
}

// Occurrence is one meeting the schedule produces. Start is the instant
// (in the schedule's zone); Date is its local date.
type Occurrence struct {
	Start time.Time
	End   time.Time
	Date  Date
	Extra bool // a one-off extra meeting, not from the rule
}

func (s *Schedule) loc() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// Between returns the meetings starting in [from, to), in order, at most
// limit of them (limit <= 0: no limit besides the expansion's bounds).
func (s *Schedule) Between(from, to time.Time, limit int) []Occurrence {
	loc := s.loc()
	var out []Occurrence
	first := DateOf(from.In(loc)).AddDays(-1)
	last := DateOf(to.In(loc)).AddDays(1)
	add := func(d Date, c Clock, extra bool) {
		st := At(d, c, loc)
		if st.Before(from) || !st.Before(to) {
			return
		}
		out = append(out, Occurrence{Start: st, End: st.Add(s.Duration), Date: d, Extra: extra})
	}
	if s.Rule != nil {
		s.Rule.Dates(s.Start, last, func(d Date) bool {
			if d.Before(first) || slices.Contains(s.Exceptions, d) {
				return true
			}
			add(d, s.Time, false)
			return limit <= 0 || len(out) < limit+len(s.Extras)
		})
	}
	for _, e := range s.Extras {
		add(e.Date, e.Clock, true)
	}
	slices.SortStableFunc(out, func(a, b Occurrence) int { return a.Start.Compare(b.Start) })
	// An extra at the same instant as a rule meeting is the same meeting.
	out = slices.CompactFunc(out, func(a, b Occurrence) bool { return a.Start.Equal(b.Start) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Next returns the next n meetings starting at or after from.
func (s *Schedule) Next(from time.Time, n int) []Occurrence {
	return s.Between(from, from.AddDate(NeverYears+2, 0, 0), n)
}

// Validate refuses a schedule no group can keep, with a message key for
// the person: a duration of zero or over twelve hours, a rule that never
// produces a meeting (the 31st of February), one that plans more than
// MaxMeetings, or more than MaxPerYear a year when open-ended.
func (s *Schedule) Validate() error {
	if s.Duration <= 0 {
		return errorf("duration", "schedule.error.duration", nil, "the duration must be positive")
	}
	if s.Duration > MaxDuration {
		return errorf("duration", "schedule.error.too_long", nil, "a meeting can last at most 12 hours")
	}
	if s.Time.Hour < 0 || s.Time.Hour > 23 || s.Time.Minute < 0 || s.Time.Minute > 59 {
		return errorf("time", "schedule.error.time", nil, "bad time of day")
	}
	if s.Start.IsZero() || !valid(s.Start.Year, s.Start.Month, s.Start.Day) {
		return errorf("start", "schedule.error.start", nil, "the first date is missing")
	}
	if len(s.Extras) > MaxExtras {
		return errorf("extras", "schedule.error.too_many_extras", []any{MaxExtras}, "at most %d extra meetings", MaxExtras)
	}
	if s.Rule == nil {
		if len(s.Extras) == 0 {
			return errorf("rule", "schedule.error.never", nil, "no rule and no extra meetings")
		}
		return nil
	}
	r := s.Rule
	// Never: nothing within NeverYears of the start (exceptions aside: a
	// rule whose only dates are all excepted is still a rule).
	found := false
	r.Dates(s.Start, s.Start.AddDays(366*NeverYears), func(Date) bool { found = true; return false })
	if !found {
		return errorf("rule", "schedule.error.never", nil, "the rule never produces a meeting")
	}
	bounded := r.Count > 0 || !r.Until.IsZero()
	if bounded {
		n := 0
		r.Dates(s.Start, Date{}, func(Date) bool { n++; return n <= MaxMeetings })
		if n > MaxMeetings {
			return errorf("rule", "schedule.error.too_many", []any{MaxMeetings}, "the rule plans more than %d meetings", MaxMeetings)
		}
	}
	if !bounded {
		n := 0
		r.Dates(s.Start, s.Start.AddDays(364), func(Date) bool { n++; return true })
		if n > MaxPerYear {
			return errorf("rule", "schedule.error.too_often_year", []any{n, MaxPerYear}, "the rule plans %d meetings a year; at most %d", n, MaxPerYear)
		}
	}
	return nil
}
