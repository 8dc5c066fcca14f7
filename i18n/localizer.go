package i18n

import (
	"fmt"
	"time"
)

// Localizer renders messages, numbers and dates in one language. Templates
// and handlers get one per request from Bundle.Localizer; it is immutable
// and safe for concurrent use.
type Localizer struct {
	lang   string
	own    *catalogue
	ref    *catalogue // English, for keys own lacks
	rule   pluralRule
	locale *locale
}

func newLocalizer(lang string, own, ref *catalogue) *Localizer {
	return &Localizer{
		lang:   lang,
		own:    own,
		ref:    ref,
		rule:   pluralRules[lang],
		locale: locales[lang],
	}
}

// pluralRules are the CLDR cardinal rules of the offered languages.
var pluralRules = map[string]pluralRule{
	"en": pluralEnglish,
	"ar": pluralArabic,
	"fr": pluralFrench,
}

// Lang returns the language code ("en", "ar", "fr") for the page's lang
// attribute and for links that keep the person's language.
func (l *Localizer) Lang() string { return l.lang }

// Dir returns the text direction for the page's dir attribute: "rtl" for
// Arabic, "ltr" otherwise. Layout relies on it for mirroring.
func (l *Localizer) Dir() string {
	if l.lang == "ar" {
		return "rtl"
	}
	return "ltr"
}

// T returns the message for key with its placeholders {0}, {1} … filled
// from args. A plural message picks its form from the first integer
// argument. Arguments are formatted for the language: integers and floats
// with its digits and separators, time.Time as DateTime, time.Weekday and
// time.Month as names, anything else with fmt.
//
// A key this language lacks is taken from English, so a partial
// translation never leaves a hole in a page; a key missing from English too
// comes back as "!key!", which tests and screenshots make easy to spot.
func (l *Localizer) T(key string, args ...any) string {
	m, rule := l.lookup(key)
	if m == nil {
		return "!" + key + "!"
	}
	t := m.form(rule, args)
	if len(args) == 0 {
		return t.src
	}
	strs := make([]string, len(args))
	for i, a := range args {
		strs[i] = l.formatArg(a)
	}
	return t.render(strs)
}

// Has reports whether T finds a message for key, in this language or in
// English, so a template can show optional text (a hint, a help line) only
// when someone has written it.
func (l *Localizer) Has(key string) bool {
	m, _ := l.lookup(key)
	return m != nil
}

// lookup finds key in this language, then in English. It returns the plural
// rule of the language the message is written in: an English fallback must
// choose English forms even on a French page.
func (l *Localizer) lookup(key string) (*message, pluralRule) {
	if m, ok := l.own.messages[key]; ok {
		return m, l.rule
	}
	if m, ok := l.ref.messages[key]; ok {
		return m, pluralEnglish
	}
	return nil, nil
}

// formatArg renders one argument of T for this language.
func (l *Localizer) formatArg(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case int:
		return l.Number(int64(v))
	case int8:
		return l.Number(int64(v))
	case int16:
		return l.Number(int64(v))
	case int32:
		return l.Number(int64(v))
	case int64:
		return l.Number(v)
	case uint:
		return l.locale.integer(false, uint64(v))
	case uint8:
		return l.locale.integer(false, uint64(v))
	case uint16:
		return l.locale.integer(false, uint64(v))
	case uint32:
		return l.locale.integer(false, uint64(v))
	case uint64:
		return l.locale.integer(false, v)
	case float32:
		return l.locale.decimal(float64(v), -1, 32)
	case float64:
		return l.locale.decimal(v, -1, 64)
	case time.Time:
		return l.DateTime(v)
	case time.Weekday:
		return l.Weekday(v)
	case time.Month:
		return l.Month(v)
	default:
		// fmt prefers Error and String methods, and survives a nil
		// pointer receiver that would panic if called directly.
		return fmt.Sprint(v)
	}
}
