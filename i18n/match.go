package i18n

import (
	"slices"
	"strconv"
	"strings"
)

// maxRanges bounds how much of an Accept-Language header Match reads.
// Browsers send a handful of languages; the bound keeps a hostile header
// from costing more than a short one.
const maxRanges = 32

// languageRange is one entry of an Accept-Language header.
type languageRange struct {
	tag string  // lower case, "-" separated, or "*"
	q   float64 // quality, 0 to 1
}

// Match returns the entry of supported that best fits an Accept-Language
// header: "fr-CA, ar;q=0.8" gives "fr" when supported is ["en", "ar", "fr"].
// Higher quality wins, then the order of the header; a region tag such as
// "ar-JO" matches its language, "*" matches any supported language the
// header does not name, and q=0 rules a language out. When nothing fits it
// returns "en" (PeerCircle's reference language), or the first supported
// language if "en" is not among them.
//
// The header comes from whoever sends the request, so Match accepts any
// string: malformed entries are skipped, never trusted, and it never panics.
func Match(acceptLanguage string, supported []string) string {
	ranges := parseAcceptLanguage(acceptLanguage)
	norm := make([]string, len(supported))
	for i, s := range supported {
		norm[i] = normaliseTag(s)
	}
	excluded := func(i int) bool {
		for _, r := range ranges {
			if r.q == 0 && r.tag != "*" && rangeCovers(r.tag, norm[i]) {
				return true
			}
		}
		return false
	}
	named := func(i int) bool {
		for _, r := range ranges {
			if r.tag != "*" && primary(r.tag) == primary(norm[i]) {
				return true
			}
		}
		return false
	}
	for _, r := range ranges {
		if r.q == 0 {
			break // sorted: the rest are refusals
		}
		if r.tag == "*" {
			for i := range norm {
				if !named(i) && !excluded(i) {
					return supported[i]
				}
			}
			continue
		}
		for i, s := range norm { // the exact tag first: "ar-JO" before "ar"
			if s == r.tag && !excluded(i) {
				return supported[i]
			}
		}
		for i, s := range norm {
			if primary(s) == primary(r.tag) && !excluded(i) {
				return supported[i]
			}
		}
	}
	for i, s := range norm {
		if s == reference {
			return supported[i]
		}
	}
	if len(supported) > 0 {
		return supported[0]
	}
	return reference
}

// parseAcceptLanguage returns the well-formed ranges of the header, highest
// quality first, header order kept among equals.
func parseAcceptLanguage(h string) []languageRange {
	var out []languageRange
	for n := 0; h != "" && n < maxRanges; n++ {
		var item string
		item, h, _ = strings.Cut(h, ",")
		tag, params, _ := strings.Cut(item, ";")
		tag = normaliseTag(tag)
		if !validRange(tag) {
			continue
		}
		q, ok := quality(params)
		if !ok {
			continue
		}
		out = append(out, languageRange{tag: tag, q: q})
	}
	slices.SortStableFunc(out, func(a, b languageRange) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	return out
}

// quality reads the q parameter among a range's parameters; absent means 1.
// A malformed or out-of-range value makes the whole range unusable.
func quality(params string) (float64, bool) {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, value, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		value = strings.TrimSpace(value)
		// RFC 9110 allows only "0", "1" and up to three decimals; checking
		// the characters keeps ParseFloat from accepting "Inf", "NaN",
		// "1e0" or hex floats.
		if value == "" || len(value) > 5 || strings.Trim(value, "0123456789.") != "" {
			return 0, false
		}
		q, err := strconv.ParseFloat(value, 64)
		if err != nil || q < 0 || q > 1 {
			return 0, false
		}
		return q, true
	}
	return 1, true
}

// normaliseTag lower-cases a tag and writes "_" as "-", since some clients
// send POSIX locale names like "fr_CA".
func normaliseTag(tag string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(tag)), "_", "-")
}

// validRange accepts "*" and tags made of 1–8 character alphanumeric
// subtags joined by "-", the shape BCP 47 gives every tag.
func validRange(tag string) bool {
	if tag == "*" {
		return true
	}
	if tag == "" || len(tag) > 64 {
		return false
	}
	for sub := range strings.SplitSeq(tag, "-") {
		if sub == "" || len(sub) > 8 {
			return false
		}
		for i := 0; i < len(sub); i++ {
			c := sub[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

// primary returns a normalised tag's language subtag: "ar" for "ar-jo".
func primary(tag string) string {
	p, _, _ := strings.Cut(tag, "-")
	return p
}

// rangeCovers reports whether a language range matches a tag under RFC 4647
// basic filtering: "ar" covers "ar" and "ar-jo", but "ar-jo" does not cover
// "ar".
func rangeCovers(r, tag string) bool {
	return tag == r || strings.HasPrefix(tag, r+"-")
}
