package importer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/schedule"
)

// A file may name a choice by its code (staff, open, organiser) or by the
// words the pages use for it, in any of the three languages; the words
// come from the catalogues, so a file written from what the page shows
// reads back.
type vocabulary struct {
	kinds, memberships, roles, langs, presets map[string]string
	weekdays                                  map[string]int // 0 = Sunday
	weeks                                     map[string]int // 1..4, -1 = last
}

var words = sync.OnceValue(func() *vocabulary {
	b, err := i18n.Load()
	if err != nil {
		panic(err) // the catalogues are embedded; the i18n tests catch this
	}
	v := &vocabulary{kinds: map[string]string{}, memberships: map[string]string{}, roles: map[string]string{},
		langs: map[string]string{}, presets: map[string]string{}, weekdays: map[string]int{}, weeks: map[string]int{}}
	each := func(m map[string]string, codes []string, key func(string) string) {
		for _, c := range codes {
			m[c] = c
			for _, lang := range peercircle.Languages {
				m[fold(b.Localizer(lang).T(key(c)))] = c
			}
		}
	}
	each(v.kinds, peercircle.GroupKinds, func(c string) string { return "group.kind." + c })
	each(v.memberships, []string{peercircle.MembershipOpen, peercircle.MembershipClosed}, func(c string) string { return "group.membership." + c })
	each(v.roles, peercircle.Roles, func(c string) string { return "role." + c })
	each(v.presets, []string{schedule.PresetStaff, schedule.PresetWeekly, schedule.PresetFortnightly, schedule.PresetMonthly},
		func(c string) string { return "schedule.preset." + c })
	for w, code := range langWords {
		v.langs[w] = code
	}
	for _, lang := range peercircle.Languages {
		l := b.Localizer(lang)
		// The staff preset's label is long; its first clause ("twice a
		// month") names it too.
		staff := fold(l.T("schedule.preset.staff"))
		if i := strings.IndexAny(staff, ",،("); i > 0 {
			v.presets[strings.TrimSpace(staff[:i])] = schedule.PresetStaff
		}
		for d := 1; d <= 7; d++ {
			v.weekdays[fold(l.T(fmt.Sprintf("public.weekday.%d", d)))] = d % 7
		}
		for _, w := range []int{1, 2, 3, 4, -1} {
			v.weeks[fold(l.T(fmt.Sprintf("schedule.week_%d", w)))] = w
		}
	}
	for i, d := range []string{"su", "mo", "tu", "we", "th", "fr", "sa"} {
		v.weekdays[d] = i
	}
	for i, d := range []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"} {
		v.weekdays[d], v.weekdays[d[:3]] = i, i
	}
	v.weeks["last"] = -1
	return v
})

// fold is how cells and words are compared: lower case, digits in Western
// form, spaces trimmed.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(i18n.ParseDigits(s))) }

// choice reads a cell naming one of a vocabulary's codes.
func choice(m map[string]string, cell string) (string, bool) {
	c, ok := m[fold(cell)]
	return c, ok
}

// splitList reads a cell that lists several things (people keys, roles),
// separated by semicolons, commas (Latin or Arabic) or new lines.
func splitList(cell string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == ',' || r == '،' || r == '\n' || r == '؛' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// scheduleWords reads a schedule cell: a recurrence rule (FREQ=…), or a
// preset in words with a weekday, and for the monthly preset the week of
// the month ("Every week, Tuesday"; "كل أسبوعين الخميس"; "Once a month,
// the last week, Friday"; "staff tuesday"). It returns the preset and the
// rule's text, or a message key.
func scheduleWords(cell string) (preset, rule, problem string) {
	text := fold(cell)
	if text == "" {
		return "", "", ""
	}
	if r, ok := strings.CutPrefix(strings.ToUpper(text), "RRULE:"); ok || strings.HasPrefix(strings.ToUpper(text), "FREQ=") {
		if !ok {
			r = strings.ToUpper(text)
		}
		parsed, err := schedule.ParseRule(r)
		if err != nil {
			return "", "", "import.error.schedule"
		}
		return schedule.PresetCustom, parsed.String(), ""
	}
	v := words()
	// The longest words first: "every other week" before "every week",
	// "كل أسبوعين" before "كل أسبوع".
	found := func(m map[string]int) (int, string, bool) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
		for _, k := range keys {
			if i := strings.Index(text, k); i >= 0 && wordAt(text, i, len(k)) {
				return m[k], k, true
			}
		}
		return 0, "", false
	}
	presets := map[string]int{}
	codes := []string{}
	for w, c := range v.presets {
		presets[w] = len(codes)
		codes = append(codes, c)
	}
	pi, pw, ok := found(presets)
	if !ok {
		return "", "", "import.error.schedule"
	}
	preset = codes[pi]
	text = strings.Replace(text, pw, " ", 1)
	week := 0
	if w, ww, ok := found(v.weeks); ok {
		week = w
		text = strings.Replace(text, ww, " ", 1)
	} else if n, err := strconv.Atoi(strings.Trim(strings.Fields(text + " x")[0], ",.،")); err == nil {
		week = n
	}
	day, _, ok := found(v.weekdays)
	if !ok {
		return "", "", "import.error.schedule_day"
	}
	r, err := schedule.PresetRule(preset, time.Weekday(day), week)
	if err != nil {
		return "", "", "import.error.schedule"
	}
	return preset, r.String(), ""
}

// wordAt reports whether text[i:i+n] stands as a word: not inside a longer
// Latin word (so "mo" is not found in "month").
func wordAt(text string, i, n int) bool {
	isLetter := func(b byte) bool { return b >= 'a' && b <= 'z' }
	if i > 0 && isLetter(text[i-1]) {
		return false
	}
	return i+n >= len(text) || !isLetter(text[i+n])
}
