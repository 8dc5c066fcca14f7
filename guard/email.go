package guard

import (
	"regexp"
	"strings"
	"unicode"
)

// E-mail addresses written out so that programs miss them: "sara at
// example dot com", "rami (at) mail (dot) com", "huda[at]ngo[dot]org",
// "karim arobase exemple point fr", "lina.k at gmail.com".

var (
	// the local part, ending where the "at" starts
	emailLeft = regexp.MustCompile(`(?i)([a-z0-9][a-z0-9._%+-]*(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|\bdot\b)\s*[a-z0-9_%+-]+)*)\s*$`)
	// the domain, starting after the "at"
	emailRight = regexp.MustCompile(`(?i)^\s*([a-z0-9][a-z0-9-]*(?:\s*(?:\.|\(dot\)|\[dot\]|\{dot\}|\bdot\b|\bpoint\b)\s*[a-z0-9][a-z0-9-]*)+)`)
	emailDots  = regexp.MustCompile(`(?i)\s*(?:\.|\(dot\)|\[dot\]|\{dot\}|\bdot\b|\bpoint\b)\s*`)
)

// topLevel lists the top-level domains a written-out address may end in.
var topLevel = map[string]bool{
	"com": true, "org": true, "net": true, "edu": true, "gov": true, "int": true, "info": true, "io": true, "co": true,
	"jo": true, "fr": true, "uk": true, "ma": true, "tn": true, "dz": true, "lb": true, "ps": true, "eg": true, "sa": true,
	"ae": true, "qa": true, "kw": true, "om": true, "iq": true, "sy": true, "ye": true, "ly": true, "sd": true, "us": true,
	"ca": true, "de": true, "it": true, "es": true, "ch": true, "be": true, "nl": true, "se": true, "tr": true, "health": true,
}

// findWrittenEmails finds addresses around each written "at": the word at
// or arobase, (at), [at], {at}, or an @ with spaces around it.
func findWrittenEmails(t *text) []Finding {
	var out []Finding
	last := 0
	for i, w := range t.words {
		var mStart, mEnd int // the marker, in runes
		tk := t.toks[i]
		switch {
		case w == "at" || w == "arobase":
			mStart, mEnd = tk.start, tk.end
			if tk.start > 0 && (t.rs[tk.start-1] == '(' || t.rs[tk.start-1] == '[' || t.rs[tk.start-1] == '{') &&
				tk.end < len(t.rs) && (t.rs[tk.end] == ')' || t.rs[tk.end] == ']' || t.rs[tk.end] == '}') {
				mStart, mEnd = tk.start-1, tk.end+1
			}
		default:
			continue
		}
		if mStart < last {
			continue
		}
		leftFrom := max(last, mStart-64)
		left := string(t.rs[leftFrom:mStart])
		right := string(t.rs[mEnd:min(len(t.rs), mEnd+80)])
		lm := emailLeft.FindStringSubmatchIndex(left)
		rm := emailRight.FindStringSubmatchIndex(right)
		if lm == nil || rm == nil {
			continue
		}
		domain := right[rm[2]:rm[3]]
		parts := emailDots.Split(domain, -1)
		// the domain may run on into the sentence: keep the parts up to the
		// last known top-level domain
		keep := -1
		for k := 1; k < len(parts); k++ {
			if topLevel[strings.ToLower(parts[k])] {
				keep = k
			}
		}
		if keep < 0 {
			continue
		}
		written := w == "arobase" || mEnd-mStart > 2 || strings.Contains(strings.ToLower(domain), "dot") || strings.Contains(strings.ToLower(domain), "point")
		if !written && !strings.Contains(domain, ".") {
			continue
		}
		// the end of the kept part, in the right window
		cut := rm[2]
		locs := emailDots.FindAllStringIndex(domain, -1)
		if keep < len(locs) {
			cut += locs[keep][0]
		} else {
			cut = rm[3]
		}
		// the kept end must close the last label
		end := mEnd + len([]rune(right[:cut]))
		startRunes := leftFrom + len([]rune(left[:lm[2]]))
		local := strings.TrimSpace(left[lm[2]:lm[3]])
		if local == "" || !unicode.IsLetter([]rune(local)[0]) && !unicode.IsDigit([]rune(local)[0]) {
			continue
		}
		// "at" between two ordinary words is English: only a local part
		// that is one word, or words joined by dots, counts.
		out = append(out, Finding{Kind: KindEmail, Start: startRunes, End: end, Reason: ReasonEmailWritten})
		last = end
	}
	return out
}
