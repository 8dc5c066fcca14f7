package i18n

import "strings"

// Helpers for text that mixes the page's words with other text: lists,
// numbers that arrive already written (a date, "4.5"), and names or
// comments in the other direction. Pages and the PDF writer use these
// rather than writing ", " or digits themselves, so that each language's
// punctuation, digits and direction are decided here once.

// Unicode's isolates (UAX #9): a first-strong isolate takes the direction
// of its own first letter and, to the text around it, is one neutral
// unit, so "Huda Saleh (3)" keeps its bracket in an Arabic line.
const (
	FSI = "\u2068" // FIRST STRONG ISOLATE
	PDI = "\u2069" // POP DIRECTIONAL ISOLATE
)

// Isolate wraps s in a first-strong isolate, for embedding text whose
// direction is its own (a name, a place, a comment) in a translated
// sentence. The empty string stays empty. HTML pages may use <bdi> for the
// same effect; text that leaves HTML (titles, PDFs, e-mails) needs these.
func Isolate(s string) string {
	if s == "" {
		return ""
	}
	return FSI + s + PDI
}

// listSep joins the items of a list: Arabic has its own comma.
var listSep = map[string]string{"en": ", ", "fr": ", ", "ar": "، "}

// ListSep returns the separator of items in a list: ", " in English and
// French, "، " (the Arabic comma) in Arabic.
func (l *Localizer) ListSep() string { return listSep[l.lang] }

// List joins items with the language's comma, each item isolated, so a
// list of names in both scripts reads in order: "Yara Nasser، هدى" on an
// Arabic page, never "Yara Nasser, هدى" (where the Latin comma joins the
// Latin run and the names swap places).
func (l *Localizer) List(items []string) string {
	var b strings.Builder
	for i, s := range items {
		if i > 0 {
			b.WriteString(listSep[l.lang])
		}
		b.WriteString(Isolate(s))
	}
	return b.String()
}

// PlainList joins items with the language's comma without isolating them,
// for text where every item is in the page's language (translated role
// names) and for files other tools read (CSV cells).
func (l *Localizer) PlainList(items []string) string {
	return strings.Join(items, listSep[l.lang])
}

// Digits rewrites the ASCII digits of s in the language's digits and a
// decimal point between two digits as its decimal separator, for numbers
// that arrive already written: a date from the database ("2026-09-30"), a
// score ("4.5"), a figure's text. Everything else is kept: a page chooses
// its digits once, here, and every number on it follows.
func (l *Localizer) Digits(s string) string { return digitsIn(l.locale, s) }

// DigitsIn is Localizer.Digits for code that has a language code rather
// than a Localizer (the PDF writer); an unknown language keeps s as it is.
func DigitsIn(lang, s string) string {
	lc, ok := locales[baseLanguage(lang)]
	if !ok {
		return s
	}
	return digitsIn(lc, s)
}

func digitsIn(lc *locale, s string) string {
	if lc.zero == '0' && lc.decimalSep == "." {
		return s
	}
	if strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' }) < 0 {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) * 2)
	isDigit := func(i int) bool { return i >= 0 && i < len(rs) && rs[i] >= '0' && rs[i] <= '9' }
	for i, r := range rs {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(lc.zero + (r - '0'))
		case r == '.' && isDigit(i-1) && isDigit(i+1) && !isDottedRun(rs, i):
			b.WriteString(lc.decimalSep)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isDottedRun reports whether the dot at i is one of several in a run of
// digits and dots (a version "1.2.3" or a date "30.09.2026"), which is not
// a decimal number and keeps its dots.
func isDottedRun(rs []rune, i int) bool {
	dots := 0
	for j := i; j >= 0 && (rs[j] == '.' || rs[j] >= '0' && rs[j] <= '9'); j-- {
		if rs[j] == '.' {
			dots++
		}
	}
	for j := i + 1; j < len(rs) && (rs[j] == '.' || rs[j] >= '0' && rs[j] <= '9'); j++ {
		if rs[j] == '.' {
			dots++
		}
	}
	return dots > 1
}
