package schedule

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Words is what a description needs from the reader's language: the
// i18n Localizer provides it.
type Words interface {
	Lang() string
	Weekday(time.Weekday) string
	Number(int64) string
	Time(time.Time) string
	ShortDate(time.Time) string
}

// phrases assemble a description in one language.
type phrases struct {
	ordinal     func(n int) string // 1..5, -1 = last
	and         func(items []string) string
	everyDay    func(n int) string
	everyWeek   func(days []string, n int) string
	nthOfMonth  func(ords []string, day string, n int) string
	dayOfMonth  func(days []string, n int) string
	lastOfMonth func(n int) string
	yearly      func(date string) string
	timeRange   func(rule, from, to string) string
	count       func(s, n string) string
	until       func(s, date string) string
	custom      string
}

var languages = map[string]phrases{
	"en": {
		ordinal: func(n int) string {
			return map[int]string{1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last", -2: "second-to-last"}[n]
		},
		and: func(items []string) string { return joinAnd(items, ", ", " and ") },
		everyDay: func(n int) string {
			if n == 1 {
				return "every day"
			}
			return "every " + itoa(n) + " days"
		},
		everyWeek: func(days []string, n int) string {
			d := joinAnd(days, ", ", " and ")
			switch n {
			case 1:
				return "every " + d
			case 2:
				return "every other " + d
			}
			return d + " every " + itoa(n) + " weeks"
		},
		nthOfMonth: func(ords []string, day string, n int) string {
			return joinAnd(ords, ", ", " and ") + " " + day + " of " + enMonths(n)
		},
		dayOfMonth: func(days []string, n int) string {
			return "day " + joinAnd(days, ", ", " and ") + " of " + enMonths(n)
		},
		lastOfMonth: func(n int) string { return "last day of " + enMonths(n) },
		yearly:      func(date string) string { return "every year on " + date },
		timeRange:   func(rule, from, to string) string { return rule + ", " + from + "–" + to },
		count:       func(s, n string) string { return s + " (" + n + " meetings)" },
		until:       func(s, date string) string { return s + ", until " + date },
		custom:      "a custom pattern",
	},
	"fr": {
		ordinal: func(n int) string {
			return map[int]string{1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", 5: "cinquième", -1: "dernier", -2: "avant-dernier"}[n]
		},
		and: func(items []string) string { return joinAnd(items, ", ", " et ") },
		everyDay: func(n int) string {
			if n == 1 {
				return "chaque jour"
			}
			return "tous les " + itoa(n) + " jours"
		},
		everyWeek: func(days []string, n int) string {
			d := joinAnd(days, ", ", " et ")
			switch n {
			case 1:
				return "chaque " + d
			case 2:
				return "un " + d + " sur deux"
			}
			return "le " + d + ", toutes les " + itoa(n) + " semaines"
		},
		nthOfMonth: func(ords []string, day string, n int) string {
			return "le " + joinAnd(ords, ", ", " et le ") + " " + day + " " + frMonths(n)
		},
		dayOfMonth: func(days []string, n int) string {
			return "le " + joinAnd(days, ", ", " et ") + " " + frMonths(n)
		},
		lastOfMonth: func(n int) string { return "le dernier jour " + frMonths(n) },
		yearly:      func(date string) string { return "chaque année le " + date },
		timeRange:   func(rule, from, to string) string { return rule + ", de " + from + " à " + to },
		count:       func(s, n string) string { return s + " (" + n + " réunions)" },
		until:       func(s, date string) string { return s + ", jusqu’au " + date },
		custom:      "un rythme personnalisé",
	},
	"ar": {
		ordinal: func(n int) string {
			return map[int]string{1: "الأول", 2: "الثاني", 3: "الثالث", 4: "الرابع", 5: "الخامس", -1: "الأخير", -2: "قبل الأخير"}[n]
		},
		and: func(items []string) string { return joinAnd(items, "، ", " و") },
		everyDay: func(n int) string {
			switch n {
			case 1:
				return "كل يوم"
			case 2:
				return "كل يومين"
			}
			return "كل " + itoa(n) + " أيام"
		},
		everyWeek: func(days []string, n int) string {
			bare := make([]string, len(days))
			for i, d := range days {
				bare[i] = strings.TrimPrefix(d, "ال")
			}
			switch n {
			case 1:
				return "كل يوم " + joinAnd(bare, "، ", " و")
			case 2:
				return "يوم " + joinAnd(days, "، ", " و") + " كل أسبوعين"
			}
			return "يوم " + joinAnd(days, "، ", " و") + " كل " + itoa(n) + " أسابيع"
		},
		nthOfMonth: func(ords []string, day string, n int) string {
			return "يوم " + day + " " + joinAnd(ords, "، ", " و") + " من " + arMonths(n)
		},
		dayOfMonth: func(days []string, n int) string {
			return "يوم " + joinAnd(days, "، ", " و") + " من " + arMonths(n)
		},
		lastOfMonth: func(n int) string { return "آخر يوم من " + arMonths(n) },
		yearly:      func(date string) string { return "كل سنة في " + date },
		timeRange:   func(rule, from, to string) string { return rule + "، من " + from + " إلى " + to },
		count:       func(s, n string) string { return s + " (" + n + " لقاءات)" },
		until:       func(s, date string) string { return s + "، حتى " + date },
		custom:      "نمط خاص",
	},
}

func enMonths(n int) string {
	switch n {
	case 1:
		return "each month"
	case 2:
		return "every other month"
	}
	return "every " + itoa(n) + " months"
}

func frMonths(n int) string {
	switch n {
	case 1:
		return "de chaque mois"
	case 2:
		return "un mois sur deux"
	}
	return "tous les " + itoa(n) + " mois"
}

func arMonths(n int) string {
	switch n {
	case 1:
		return "كل شهر"
	case 2:
		return "كل شهرين"
	}
	return "كل " + itoa(n) + " أشهر"
}

// itoa marks each digit of n with a NUL so Describe can put it in the
// reader's digits once the sentence is assembled.
func itoa(n int) string {
	var b strings.Builder
	for _, c := range strconv.Itoa(n) {
		b.WriteByte(0)
		b.WriteRune(c)
	}
	return b.String()
}

func joinAnd(items []string, sep, last string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], sep) + last + items[len(items)-1]
}

// Describe says when a schedule's meetings are, in plain words in the
// reader's language: "Second and last Tuesday of each month, 14:00–16:00";
// ar "يوم الثلاثاء الثاني والأخير من كل شهر، من ١٤:٠٠ إلى ١٦:٠٠".
// Unusual rules (BYSETPOS, BYMONTH) are described as a custom pattern; the
// editor then shows the next dates, which say the rest.
func Describe(s *Schedule, w Words) string {
	ph, ok := languages[w.Lang()]
	if !ok {
		ph = languages["en"]
	}
	text := ph.custom
	if s.Rule != nil {
		text = describeRule(s.Rule, s.Start, ph, w)
	}
	// Numbers were written through itoa; put them in the reader's digits.
	text = fixDigits(text, w)
	loc := s.loc()
	from := At(s.Start, s.Time, loc)
	text = ph.timeRange(text, w.Time(from), w.Time(from.Add(s.Duration)))
	if s.Rule != nil && s.Rule.Count > 0 {
		text = ph.count(text, w.Number(int64(s.Rule.Count)))
	}
	if s.Rule != nil && !s.Rule.Until.IsZero() {
		text = ph.until(text, w.ShortDate(s.Rule.Until.t()))
	}
	return capitalise(text)
}

func describeRule(r *Rule, start Date, ph phrases, w Words) string {
	if len(r.BySetPos) > 0 || len(r.ByMonth) > 0 {
		return ph.custom
	}
	var days []string
	for _, d := range r.ByDay {
		days = append(days, w.Weekday(d.Day))
	}
	switch r.Freq {
	case Daily:
		if len(r.ByMonthDay) > 0 {
			return ph.custom
		}
		if len(r.ByDay) > 0 {
			return ph.everyWeek(days, 1)
		}
		return ph.everyDay(r.Interval)
	case Weekly:
		if len(days) == 0 {
			days = []string{w.Weekday(start.Weekday())}
		}
		return ph.everyWeek(days, r.Interval)
	case Monthly:
		switch {
		case len(r.ByMonthDay) > 0 && len(r.ByDay) == 0:
			if len(r.ByMonthDay) == 1 && r.ByMonthDay[0] == -1 {
				return ph.lastOfMonth(r.Interval)
			}
			var ds []string
			for _, d := range r.ByMonthDay {
				if d < 0 {
					return ph.custom
				}
				ds = append(ds, itoa(d))
			}
			return ph.dayOfMonth(ds, r.Interval)
		case len(r.ByDay) > 0 && len(r.ByMonthDay) == 0:
			day := r.ByDay[0].Day
			var ords []string
			for _, d := range r.ByDay {
				if d.Day != day || ph.ordinal(d.N) == "" {
					if d.N == 0 && len(r.ByDay) == 1 {
						return ph.everyWeek(days, 1)
					}
					return ph.custom
				}
				ords = append(ords, ph.ordinal(d.N))
			}
			return ph.nthOfMonth(ords, w.Weekday(day), r.Interval)
		case len(r.ByDay) == 0:
			return ph.dayOfMonth([]string{itoa(start.Day)}, r.Interval)
		}
	case Yearly:
		if len(r.ByDay) == 0 && len(r.ByMonthDay) == 0 && r.Interval == 1 {
			d := w.ShortDate(start.t())
			// Drop the year: "13 Jan 2026" → "13 Jan" (the first two words).
			if parts := strings.Fields(d); len(parts) >= 3 {
				d = strings.Join(parts[:len(parts)-1], " ")
			}
			return ph.yearly(d)
		}
	}
	return ph.custom
}

// fixDigits turns the \x00-marked numbers itoa wrote into the reader's
// digits (and joins multi-digit numbers itoa wrote digit by digit).
func fixDigits(s string, w Words) string {
	if !strings.Contains(s, "\x00") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0 && i+1 < len(s) {
			b.WriteString(w.Number(int64(s[i+1] - '0')))
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
