package web

import (
	"sort"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
)

// peercircleDigits accepts numbers typed on Arabic keyboards.
func peercircleDigits(s string) string { return i18n.ParseDigits(s) }

// numericFields are the form fields that hold a whole number in every form
// that has them: record ids chosen from a list, and counts and minutes. A
// value that is not digits (Western or Arabic-Indic) is refused before any
// handler runs, so "abc", "1.5" or "1e3" never silently becomes 0.
var numericFields = map[string]bool{
	"a": true, "b": true, "issued": true, // the finder's sum against robots
	"agenda_template": true, "area": true, "attendance": true, "buddy": true, "capacity": true,
	"cases_discussed": true, "change": true, "course": true, "facilitator": true,
	"group": true, "guest": true, "id": true, "minutes": true, "newcomer": true, "person": true,
	"quarter_start_month": true, "region": true, "site": true, "size_limit": true, "substitute": true,
	"supervisee": true, "supervisor": true, "venue": true, "version": true, "week": true, "weekday": true,
}

// numericPrefixes name families of numeric fields (a rating per question,
// minutes per segment). A worksheet's scores are checked on their form,
// beside each option (formScore).
var numericPrefixes = []string{"rating_", "seg_minutes"}

// formProblem applies the one set of input rules to every field of a
// form: text by peercircle.TextProblem, numbers as above. Passwords are
// the person's own secret and are only ever hashed, so any character goes.
// It returns the first offending field (in name order) and its message key.
func formProblem(form map[string][]string) (field, key string) {
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "csrf" || strings.Contains(name, "password") {
			continue
		}
		if k := peercircle.TextProblem(name); k != "" {
			return name, k
		}
		for _, v := range form[name] {
			if k := peercircle.TextProblem(v); k != "" {
				return name, k
			}
			if numeric(name) && !wholeNumber(v) {
				return name, "error.number"
			}
		}
	}
	return "", ""
}

func numeric(name string) bool {
	if numericFields[name] {
		return true
	}
	for _, p := range numericPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// wholeNumber accepts an empty value (nothing chosen) or up to 18 digits,
// after a minus sign for the few fields that take one (the last week of a
// month is -1); each field's range is the domain's to check.
func wholeNumber(v string) bool {
	v = strings.TrimPrefix(strings.TrimSpace(peercircleDigits(v)), "-")
	if len(v) > 18 {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
