package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// locale is what formatting needs to know about a language. The values are
// CLDR's for en (as written in the UK), fr and ar (as written in the
// Levant, which uses Arabic-Indic digits and the Syriac-derived month
// names).
type locale struct {
	zero       rune   // the digit zero; the other nine follow it in Unicode
	group      string // thousands separator
	decimalSep string // decimal separator
	minus      string
	weekdays   [7]string  // Sunday first, as time.Weekday counts
	months     [12]string // January first
	short      [12]string // abbreviated months for ShortDate
	// longDate and shortDate assemble a date from its localised parts.
	longDate  func(weekday, day, month, year string) string
	shortDate func(day, month, year string) string
	dayNumber func(day int, digits string) string
	at        string // joins date and time in DateTime
}

var locales = map[string]*locale{
	"en": {
		zero:       '0',
		group:      ",",
		decimalSep: ".",
		minus:      "-",
		weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday",
			"Thursday", "Friday", "Saturday"},
		months: [12]string{"January", "February", "March", "April", "May",
			"June", "July", "August", "September", "October", "November",
			"December"},
		short: [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
			"Aug", "Sep", "Oct", "Nov", "Dec"},
		longDate:  func(w, d, m, y string) string { return w + " " + d + " " + m + " " + y },
		shortDate: func(d, m, y string) string { return d + " " + m + " " + y },
		dayNumber: func(_ int, digits string) string { return digits },
		at:        " at ",
	},
	"fr": {
		zero:       '0',
		group:      "\u202f", // narrow no-break space, as French typography wants
		decimalSep: ",",
		minus:      "-",
		weekdays: [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi",
			"vendredi", "samedi"},
		months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin",
			"juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		short: [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin",
			"juil.", "août", "sept.", "oct.", "nov.", "déc."},
		longDate:  func(w, d, m, y string) string { return w + " " + d + " " + m + " " + y },
		shortDate: func(d, m, y string) string { return d + " " + m + " " + y },
		// French writes the first of the month as an ordinal: "1er mai".
		dayNumber: func(day int, digits string) string {
			if day == 1 {
				return digits + "er"
			}
			return digits
		},
		at: " à ",
	},
	"ar": {
		zero:       '٠',
		group:      "٬",
		decimalSep: "٫",
		// The Arabic letter mark keeps the minus sign on the number's
		// right-to-left side when the number sits in Arabic text.
		minus: "\u061c-",
		weekdays: [7]string{"الأحد", "الاثنين", "الثلاثاء", "الأربعاء",
			"الخميس", "الجمعة", "السبت"},
		months: [12]string{"كانون الثاني", "شباط", "آذار", "نيسان", "أيار",
			"حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني",
			"كانون الأول"},
		// Arabic does not abbreviate month names, and an all-numeric date
		// reads differently across the region, so the short form drops only
		// the weekday.
		short: [12]string{"كانون الثاني", "شباط", "آذار", "نيسان", "أيار",
			"حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني",
			"كانون الأول"},
		longDate:  func(w, d, m, y string) string { return w + "، " + d + " " + m + " " + y },
		shortDate: func(d, m, y string) string { return d + " " + m + " " + y },
		dayNumber: func(_ int, digits string) string { return digits },
		at:        " في ",
	},
}

// digits rewrites the ASCII digits of s in this language's digits, leaving
// everything else alone.
func (lc *locale) digits(s string) string {
	if lc.zero == '0' {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(lc.zero + (r - '0'))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// grouped inserts the thousands separator into a run of ASCII digits and
// converts them to this language's digits.
func (lc *locale) grouped(ds string) string {
	var b strings.Builder
	for i, r := range ds {
		if i > 0 && (len(ds)-i)%3 == 0 {
			b.WriteString(lc.group)
		}
		b.WriteRune(lc.zero + (r - '0'))
	}
	return b.String()
}

// integer formats a sign and magnitude; split so uint64 arguments to T that
// do not fit an int64 still format.
func (lc *locale) integer(neg bool, n uint64) string {
	s := lc.grouped(strconv.FormatUint(n, 10))
	if neg && n != 0 {
		return lc.minus + s
	}
	return s
}

// decimal formats f with places fraction digits, or as few as represent it
// exactly when places is negative. bits is 32 or 64, the size f came from.
func (lc *locale) decimal(f float64, places, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return lc.minus + "∞"
	}
	s := strconv.FormatFloat(math.Abs(f), 'f', places, bits)
	ip, fp, hasFrac := strings.Cut(s, ".")
	out := lc.grouped(ip)
	if hasFrac {
		out += lc.decimalSep + lc.digits(fp)
	}
	// Only a number that shows some non-zero digit gets a sign: rounding
	// -0.001 to two places should read "0.00", not "-0.00".
	if f < 0 && strings.Trim(s, "0.") != "" {
		out = lc.minus + out
	}
	return out
}

// Number formats an integer with the language's digits and thousands
// separator: en "1,234", fr "1 234" (narrow no-break space), ar "١٬٢٣٤".
func (l *Localizer) Number(n int64) string {
	return l.locale.integer(n < 0, absInt(n))
}

// Decimal formats f rounded to places fraction digits with the language's
// digits and separators: en "1,234.50", fr "1 234,50", ar "١٬٢٣٤٫٥٠". A
// negative places gives the fewest digits that represent f exactly, which
// suits values that are already rounded, like an average of 3.5.
func (l *Localizer) Decimal(f float64, places int) string {
	return l.locale.decimal(f, places, 64)
}

// Weekday returns the full name of a day of the week, e.g. "Tuesday",
// "mardi", "الثلاثاء"; schedules say "every Tuesday" in words.
func (l *Localizer) Weekday(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return d.String()
	}
	return l.locale.weekdays[d]
}

// Month returns the full name of a month, e.g. "December", "décembre",
// "كانون الأول" (the Levantine name, which members in Jordan, Lebanon,
// Palestine and Syria use rather than ديسمبر).
func (l *Localizer) Month(m time.Month) string {
	if m < time.January || m > time.December {
		return m.String()
	}
	return l.locale.months[m-1]
}

// Date formats the long date members see for a meeting: en "Tuesday 8
// December 2026", fr "mardi 8 décembre 2026", ar "الثلاثاء، ٨ كانون الأول
// ٢٠٢٦". It uses t's own location, so convert to the site's zone first.
func (l *Localizer) Date(t time.Time) string {
	lc := l.locale
	return lc.longDate(lc.weekdays[t.Weekday()], l.day(t), lc.months[t.Month()-1], l.year(t))
}

// ShortDate formats a compact date for lists and tables: en "8 Dec 2026",
// fr "8 déc. 2026", ar "٨ كانون الأول ٢٠٢٦" (Arabic has no customary month
// abbreviations). It uses t's own location.
func (l *Localizer) ShortDate(t time.Time) string {
	lc := l.locale
	return lc.shortDate(l.day(t), lc.short[t.Month()-1], l.year(t))
}

// Time formats the time of day on the 24-hour clock, "14:00" (ar
// "١٤:٠٠"), which all three languages use in the places PeerCircle runs.
// It uses t's own location.
func (l *Localizer) Time(t time.Time) string {
	var b [5]byte
	h, m := t.Hour(), t.Minute()
	b[0], b[1], b[2] = byte('0'+h/10), byte('0'+h%10), ':'
	b[3], b[4] = byte('0'+m/10), byte('0'+m%10)
	return l.locale.digits(string(b[:]))
}

// DateTime joins Date and Time: en "Tuesday 8 December 2026 at 14:00",
// fr "mardi 8 décembre 2026 à 14:00", ar "الثلاثاء، ٨ كانون الأول ٢٠٢٦ في
// ١٤:٠٠". It uses t's own location.
func (l *Localizer) DateTime(t time.Time) string {
	return l.Date(t) + l.locale.at + l.Time(t)
}

func (l *Localizer) day(t time.Time) string {
	return l.locale.dayNumber(t.Day(), l.locale.digits(strconv.Itoa(t.Day())))
}

// year is written without grouping: "2026", never "2,026".
func (l *Localizer) year(t time.Time) string {
	return l.locale.digits(strconv.Itoa(t.Year()))
}
