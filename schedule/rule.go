// Package schedule expands a group's meeting schedule: an RFC 5545
// recurrence rule (the RRULE subset groups need), a first date, a
// wall-clock start time and a duration in a time zone, with exception
// dates and one-off extra meetings. Meetings keep their local wall-clock
// time across daylight-saving changes; a time that does not exist or
// exists twice on a change day is resolved as RFC 5545 says (3.3.5).
//
// It also holds the presets organisers start from (the staff-group rule of
// the programme's guidance: second and last week of the month, same
// weekday, end of duty hours, two hours), the plain-words description of a
// rule in English, Arabic and French, and the checks that refuse rules no
// group can keep: ones that never happen, ones that plan thousands of
// meetings, meetings over twelve hours.
//
// The package knows nothing of groups or storage; the domain and the store
// call it.
package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones work on servers without a zoneinfo database
)

// Freq is how often a rule's periods repeat. Rules repeat at most daily:
// a group does not meet several times a day from one rule.
type Freq int

// Frequencies PeerCircle accepts.
const (
	Daily Freq = iota + 1
	Weekly
	Monthly
	Yearly
)

var freqNames = map[Freq]string{Daily: "DAILY", Weekly: "WEEKLY", Monthly: "MONTHLY", Yearly: "YEARLY"}

func (f Freq) String() string { return freqNames[f] }

// WeekdayNum is one BYDAY entry: a weekday with an optional ordinal
// within the month or year (2TU = second Tuesday, -1TU = last Tuesday;
// 0 = every such weekday).
type WeekdayNum struct {
	N   int
	Day time.Weekday
}

var dayCodes = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

func (w WeekdayNum) String() string {
	if w.N == 0 {
		return dayCodes[w.Day]
	}
	return strconv.Itoa(w.N) + dayCodes[w.Day]
}

// Rule is a parsed recurrence rule. The zero Interval means 1; Until is a
// local date (inclusive) or zero for no end; Count 0 means no count.
type Rule struct {
	Freq       Freq
	Interval   int
	Count      int
	Until      Date
	ByDay      []WeekdayNum
	ByMonthDay []int
	ByMonth    []time.Month
	BySetPos   []int
	WeekStart  time.Weekday // WKST; Monday unless the rule says otherwise
}

// Error is a rule or schedule the package refuses. Key names a message in
// the catalogue (schedule.error.*); Args fill it; Field names the form
// field at fault.
type Error struct {
	Field string
	Key   string
	Args  []any
	Msg   string // English, for logs and tests
}

func (e *Error) Error() string { return e.Msg }

func errorf(field, key string, args []any, format string, fa ...any) *Error {
	return &Error{Field: field, Key: key, Args: args, Msg: fmt.Sprintf(format, fa...)}
}

// maxRuleLen bounds the text parsed; real rules are under a hundred bytes.
const maxRuleLen = 500

// ParseRule parses an RRULE value such as "FREQ=MONTHLY;BYDAY=2TU,-1TU".
// A leading "RRULE:" is accepted. Parts PeerCircle does not support
// (BYHOUR, BYWEEKNO, FREQ=HOURLY, ...) are refused with a message rather
// than ignored, so a rule never means less than it says.
func ParseRule(s string) (*Rule, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxRuleLen {
		return nil, errorf("rule", "schedule.error.syntax", nil, "rule longer than %d bytes", maxRuleLen)
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "RRULE:"), "rrule:")
	if s == "" {
		return nil, errorf("rule", "schedule.error.syntax", nil, "empty rule")
	}
	r := &Rule{WeekStart: time.Monday}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		name, val, ok := strings.Cut(part, "=")
		name = strings.ToUpper(strings.TrimSpace(name))
		val = strings.ToUpper(strings.TrimSpace(val))
		if !ok || name == "" || val == "" {
			return nil, errorf("rule", "schedule.error.syntax", nil, "part %q is not NAME=VALUE", part)
		}
		if seen[name] {
			return nil, errorf("rule", "schedule.error.syntax", nil, "%s given twice", name)
		}
		seen[name] = true
		var err error
		switch name {
		case "FREQ":
			err = r.parseFreq(val)
		case "INTERVAL":
			r.Interval, err = parseInt(val, 1, 99)
		case "COUNT":
			r.Count, err = parseInt(val, 1, 100000)
		case "UNTIL":
			r.Until, err = parseUntil(val)
		case "BYDAY":
			r.ByDay, err = parseByDay(val)
		case "BYMONTHDAY":
			r.ByMonthDay, err = parseInts(val, -31, 31, false)
		case "BYMONTH":
			var ms []int
			ms, err = parseInts(val, 1, 12, false)
			for _, m := range ms {
				r.ByMonth = append(r.ByMonth, time.Month(m))
			}
		case "BYSETPOS":
			r.BySetPos, err = parseInts(val, -366, 366, false)
		case "WKST":
			var d time.Weekday
			d, err = parseDay(val)
			r.WeekStart = d
		case "BYHOUR", "BYMINUTE", "BYSECOND", "BYWEEKNO", "BYYEARDAY":
			return nil, errorf("rule", "schedule.error.unsupported", []any{name}, "%s is not supported: the time comes from the schedule's start time", name)
		default:
			return nil, errorf("rule", "schedule.error.syntax", nil, "unknown part %s", name)
		}
		if err != nil {
			return nil, err
		}
	}
	if r.Freq == 0 {
		return nil, errorf("rule", "schedule.error.syntax", nil, "FREQ is missing")
	}
	if r.Count != 0 && !r.Until.IsZero() {
		return nil, errorf("rule", "schedule.error.syntax", nil, "COUNT and UNTIL cannot both be given")
	}
	if r.Interval == 0 {
		r.Interval = 1
	}
	for _, d := range r.ByDay {
		if d.N != 0 && r.Freq != Monthly && r.Freq != Yearly {
			return nil, errorf("rule", "schedule.error.syntax", nil, "BYDAY ordinals need FREQ=MONTHLY or YEARLY")
		}
		if d.N != 0 && (d.N > 5 || d.N < -5) && !(r.Freq == Yearly && len(r.ByMonth) == 0) {
			return nil, errorf("rule", "schedule.error.syntax", nil, "a month has at most five of each weekday")
		}
	}
	if len(r.ByMonthDay) > 0 && r.Freq == Weekly {
		return nil, errorf("rule", "schedule.error.syntax", nil, "BYMONTHDAY cannot be used with FREQ=WEEKLY")
	}
	if len(r.BySetPos) > 0 && len(r.ByDay) == 0 && len(r.ByMonthDay) == 0 && len(r.ByMonth) == 0 {
		return nil, errorf("rule", "schedule.error.syntax", nil, "BYSETPOS needs another BY part")
	}
	r.normalise()
	return r, nil
}

func (r *Rule) parseFreq(v string) error {
	for f, n := range freqNames {
		if n == v {
			r.Freq = f
			return nil
		}
	}
	switch v {
	case "HOURLY", "MINUTELY", "SECONDLY":
		return errorf("rule", "schedule.error.too_often", nil, "FREQ=%s: a group meets at most once a day", v)
	}
	return errorf("rule", "schedule.error.syntax", nil, "unknown FREQ %q", v)
}

func parseInt(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi || strings.HasPrefix(v, "+") {
		return 0, errorf("rule", "schedule.error.syntax", nil, "%q is not a number from %d to %d", v, lo, hi)
	}
	return n, nil
}

// parseInts parses a comma list; zero is never a valid position.
func parseInts(v string, lo, hi int, zeroOK bool) ([]int, error) {
	var out []int
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimPrefix(p, "+")
		n, err := strconv.Atoi(p)
		if err != nil || n < lo || n > hi || (n == 0 && !zeroOK) {
			return nil, errorf("rule", "schedule.error.syntax", nil, "%q is not allowed here", p)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

func parseDay(v string) (time.Weekday, error) {
	for i, c := range dayCodes {
		if c == v {
			return time.Weekday(i), nil
		}
	}
	return 0, errorf("rule", "schedule.error.syntax", nil, "%q is not a weekday code", v)
}

func parseByDay(v string) ([]WeekdayNum, error) {
	var out []WeekdayNum
	for _, p := range strings.Split(v, ",") {
		if len(p) < 2 {
			return nil, errorf("rule", "schedule.error.syntax", nil, "%q is not a weekday", p)
		}
		d, err := parseDay(p[len(p)-2:])
		if err != nil {
			return nil, err
		}
		w := WeekdayNum{Day: d}
		if num := p[:len(p)-2]; num != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(num, "+"))
			if err != nil || n == 0 || n > 53 || n < -53 || strings.HasPrefix(num, "+-") {
				return nil, errorf("rule", "schedule.error.syntax", nil, "%q has a bad ordinal", p)
			}
			w.N = n
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out, nil
}

// parseUntil accepts a DATE or a DATE-TIME (local or UTC); only the date is
// kept: meetings happen at the schedule's time, so the last day is enough.
func parseUntil(v string) (Date, error) {
	if len(v) < 8 {
		return Date{}, errorf("rule", "schedule.error.syntax", nil, "UNTIL %q is not a date", v)
	}
	t, err := time.Parse("20060102", v[:8])
	if err != nil || (len(v) > 8 && !untilTimeRE(v[8:])) {
		return Date{}, errorf("rule", "schedule.error.syntax", nil, "UNTIL %q is not a date", v)
	}
	return DateOf(t), nil
}

func untilTimeRE(s string) bool {
	s = strings.TrimSuffix(s, "Z")
	if len(s) != 7 || s[0] != 'T' {
		return false
	}
	_, err := time.Parse("150405", s[1:])
	return err == nil
}

// normalise sorts the lists so equal rules print equally.
func (r *Rule) normalise() {
	slices.Sort(r.ByMonthDay)
	slices.Sort(r.ByMonth)
	slices.Sort(r.BySetPos)
	slices.SortFunc(r.ByDay, func(a, b WeekdayNum) int {
		ka, kb := a.N, b.N
		if ka < 0 {
			ka += 100
		}
		if kb < 0 {
			kb += 100
		}
		if ka != kb {
			return ka - kb
		}
		return int((a.Day+6)%7) - int((b.Day+6)%7) // Monday first
	})
}

// String prints the rule in canonical RRULE form (no "RRULE:" prefix).
func (r *Rule) String() string {
	parts := []string{"FREQ=" + r.Freq.String()}
	if r.Interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(r.Interval))
	}
	if r.Count > 0 {
		parts = append(parts, "COUNT="+strconv.Itoa(r.Count))
	}
	if !r.Until.IsZero() {
		parts = append(parts, "UNTIL="+r.Until.Compact())
	}
	if len(r.ByMonth) > 0 {
		var ms []string
		for _, m := range r.ByMonth {
			ms = append(ms, strconv.Itoa(int(m)))
		}
		parts = append(parts, "BYMONTH="+strings.Join(ms, ","))
	}
	if len(r.ByMonthDay) > 0 {
		parts = append(parts, "BYMONTHDAY="+joinInts(r.ByMonthDay))
	}
	if len(r.ByDay) > 0 {
		var ds []string
		for _, d := range r.ByDay {
			ds = append(ds, d.String())
		}
		parts = append(parts, "BYDAY="+strings.Join(ds, ","))
	}
	if len(r.BySetPos) > 0 {
		parts = append(parts, "BYSETPOS="+joinInts(r.BySetPos))
	}
	if r.WeekStart != time.Monday {
		parts = append(parts, "WKST="+dayCodes[r.WeekStart])
	}
	return strings.Join(parts, ";")
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}
