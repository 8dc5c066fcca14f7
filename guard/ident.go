package guard

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// latinFold maps accented Latin letters to their base letter (é → e, Ç → C),
// so "Hélène" is found when written "Helene". Built once from Unicode's
// decompositions.
var latinFold = func() map[rune]rune {
	m := map[rune]rune{}
	for r := rune(0xC0); r <= 0x24F; r++ {
		d := []rune(norm.NFD.String(string(r)))
		if len(d) < 2 || d[0] > unicode.MaxASCII || !unicode.IsLetter(d[0]) {
			continue
		}
		marks := true
		for _, x := range d[1:] {
			marks = marks && unicode.Is(unicode.Mn, x)
		}
		if marks {
			m[r] = d[0]
		}
	}
	return m
}()

// digitValue returns the value of a decimal digit in any script (ASCII,
// Arabic-Indic ٠-٩, Eastern Arabic-Indic ۰-۹, ...), or -1.
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if !unicode.IsDigit(r) {
		return -1
	}
	// Decimal digits come in runs of ten starting at a zero.
	for z := r; z > r-10; z-- {
		if !unicode.IsDigit(z - 1) {
			return int(r - z)
		}
	}
	return -1
}

func isEmailLocal(r rune) bool {
	return unicode.IsLetter(r) || digitValue(r) >= 0 || r == '.' || r == '_' || r == '%' || r == '+' || r == '-'
}

func isEmailDomain(r rune) bool {
	return unicode.IsLetter(r) || digitValue(r) >= 0 || r == '.' || r == '-'
}

// findEmails finds e-mail addresses: a local part, @, and a domain with at
// least one dot and a top-level part of two or more letters.
func findEmails(rs []rune) []Finding {
	var out []Finding
	last := 0
	for i, r := range rs {
		if r != '@' || i < last {
			continue
		}
		start := i
		for start > last && isEmailLocal(rs[start-1]) {
			start--
		}
		for start < i && rs[start] == '.' {
			start++
		}
		end := i + 1
		for end < len(rs) && isEmailDomain(rs[end]) {
			end++
		}
		for end > i+1 && (rs[end-1] == '.' || rs[end-1] == '-') {
			end--
		}
		if start == i || !validDomain(rs[i+1:end]) {
			continue
		}
		out = append(out, Finding{Kind: KindEmail, Start: start, End: end, Reason: ReasonEmail})
		last = end
	}
	return out
}

func validDomain(d []rune) bool {
	dot := -1
	for i, r := range d {
		if r == '.' {
			if i == 0 || d[i-1] == '.' {
				return false
			}
			dot = i
		}
	}
	if dot < 0 || len(d)-dot-1 < 2 {
		return false
	}
	for _, r := range d[dot+1:] {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// isNumberSep is what may stand between the digit groups of a phone
// number: spaces, dashes, dots and brackets.
func isNumberSep(r rune) bool {
	switch r {
	case ' ', '-', '.', '(', ')', '\u00a0', '\u202f', '‐', '‑', '‒', '–', '—':
		return true
	}
	return false
}

// findNumbers finds phone numbers (local and international, with spaces or
// dashes between the groups) and other long digit sequences such as ID
// numbers. Dates and year ranges written with the same separators are left
// alone. After a label (MRN, file no., رقم الملف; tel, هاتف) shorter
// numbers count too, and the label decides the kind.
func findNumbers(t *text) []Finding {
	rs := t.rs
	var out []Finding
	for i := 0; i < len(rs); i++ {
		start := i
		plus := false
		switch {
		case digitValue(rs[i]) >= 0:
		case (rs[i] == '+' || rs[i] == '(') && i+1 < len(rs) && digitValue(rs[i+1]) >= 0:
			plus = rs[i] == '+'
		default:
			continue
		}
		if start > 0 && digitValue(rs[start-1]) >= 0 {
			continue
		}
		// After an ID label a slash joins groups too (Ref 2025/0417).
		labelKind, cue, labelStart := numberLabel(t, start)
		slash := labelKind == KindNumber
		// Collect digit groups joined by short runs of separators.
		var groups []int // digits per group
		var digits []int
		seps := 0
		j := start
		if !(digitValue(rs[j]) >= 0) {
			j++
		}
		end := j
		for j < len(rs) {
			n := 0
			for j < len(rs) && digitValue(rs[j]) >= 0 {
				digits = append(digits, digitValue(rs[j]))
				n++
				j++
			}
			groups = append(groups, n)
			end = j
			k := j
			for k < len(rs) && k-j < 3 && (isNumberSep(rs[k]) || (slash && rs[k] == '/')) {
				k++
			}
			if k == j || k >= len(rs) || digitValue(rs[k]) < 0 {
				break
			}
			seps++
			j = k
		}
		if end < len(rs) && rs[end] == ')' && rs[start] == '(' {
			end++
		}
		kind := classify(digits, groups, plus, seps > 0)
		reason := map[string]string{KindPhone: ReasonPhone, KindNumber: ReasonNumber}[kind]
		if labelKind == KindNumber && kind != "" && lists["label-generic"][canonicalWord(cue)] {
			labelKind, cue = "", "" // "her number is 079…": the digits tell
		}
		if labelKind != "" && len(digits) >= 3 && !looksLikeDate(digits, groups) && !(len(digits) == 4 && len(groups) == 1 && isYear(digits)) {
			if labelKind == KindPhone && len(digits) < 6 {
				labelKind, cue = "", ""
			}
			if labelKind != "" {
				kind = labelKind
				reason = map[string]string{KindPhone: ReasonPhoneLabel, KindNumber: ReasonIDLabel}[kind]
			}
		}
		if kind == "" {
			i = end - 1
			continue
		}
		// An ID written with letters attached (N1234567, A-10293) is taken
		// whole.
		s, e := start, end
		if kind == KindNumber {
			for s > 0 && rs[s-1] <= unicode.MaxASCII && unicode.IsLetter(rs[s-1]) {
				s--
			}
			if s == start && labelKind != "" && s > 1 && (rs[s-1] == '-' || rs[s-1] == '#') && rs[s-2] <= unicode.MaxASCII && unicode.IsLetter(rs[s-2]) {
				k := s - 1
				for k > 0 && rs[k-1] <= unicode.MaxASCII && unicode.IsLetter(rs[k-1]) && s-k < 5 {
					k--
				}
				if k >= labelStart {
					s = k
				}
			}
			for e < len(rs) && rs[e] <= unicode.MaxASCII && unicode.IsLetter(rs[e]) {
				e++
			}
		}
		out = append(out, Finding{Kind: kind, Start: s, End: e, Reason: reason, Cue: cue})
		i = end - 1
	}
	return out
}

func isYear(d []int) bool {
	y := d[0]*1000 + d[1]*100 + d[2]*10 + d[3]
	return y >= 1900 && y <= 2199
}

// numberLabel looks at the words just before a number that starts at rune
// at: a phone label (tel, WhatsApp, هاتفها) or an ID label (MRN, file no.,
// الرقم الوطني, dossier n°). The nearest label word decides; the scan
// stops at the first word that is no label, or at anything but spaces and
// the punctuation of labels between the words. It returns the kind, the
// label as written and where the label's words end.
func numberLabel(t *text, at int) (kind, cue string, end int) {
	// the last word before at
	lo, hi := 0, len(t.toks)
	for lo < hi {
		m := (lo + hi) / 2
		if t.toks[m].end <= at {
			lo = m + 1
		} else {
			hi = m
		}
	}
	k := lo - 1
	limit := at
	for steps := 0; k >= 0 && steps < 3; steps, k = steps+1, k-1 {
		if at-t.toks[k].end > 12 && steps == 0 {
			return "", "", 0
		}
		for _, r := range t.rs[t.toks[k].end:limit] {
			if !unicode.IsSpace(r) && !strings.ContainsRune(".:#°º-–()/", r) && r != 'n' && r != 'N' {
				return "", "", 0
			}
		}
		// letters glued before the digits (N1234567, CN-5531) are part of
		// the ID
		if steps == 0 && (t.toks[k].end == at || (t.toks[k].end == at-1 && t.rs[at-1] == '-')) && t.toks[k].end-t.toks[k].start <= 4 {
			limit = t.toks[k].start
			continue
		}
		switch {
		case inList(t, k, "phone-label"):
			return KindPhone, t.raw(k), t.toks[k].end
		case inList(t, k, "id-label"):
			if kind == "" {
				kind, cue, end = KindNumber, t.raw(k), t.toks[k].end
			}
		default:
			if kind != "" {
				return kind, cue, end
			}
			if !lists["label-filler"][t.words[k]] {
				return "", "", 0
			}
		}
		limit = t.toks[k].start
	}
	return kind, cue, end
}

// classify decides what a run of digit groups is: a phone number, another
// long number, or nothing worth flagging (short numbers, dates, years).
func classify(digits, groups []int, plus, separated bool) string {
	n := len(digits)
	if n < 6 || looksLikeDate(digits, groups) {
		return ""
	}
	switch {
	case plus && n >= 8 && n <= 15:
		return KindPhone
	case n >= 8 && n <= 15 && digits[0] == 0 && digits[1] == 0:
		return KindPhone // 00 international prefix
	case separated && n >= 7 && n <= 15:
		return KindPhone
	case !separated && digits[0] == 0 && n >= 9 && n <= 11:
		return KindPhone // 0795123456
	}
	return KindNumber
}

// looksLikeDate recognises 2025-03-12, 12-03-2025, 12.03.2025 and year
// ranges such as 2024-2025, which share their separators with phones.
func looksLikeDate(digits, groups []int) bool {
	year := func(at int) bool {
		y := digits[at]*1000 + digits[at+1]*100 + digits[at+2]*10 + digits[at+3]
		return y >= 1900 && y <= 2199
	}
	switch {
	case len(groups) == 3 && groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2:
		return year(0)
	case len(groups) == 3 && groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4:
		return year(groups[0] + groups[1])
	case len(groups) == 2 && groups[0] == 4 && groups[1] == 4:
		return year(0) && year(4)
	case len(groups) == 3 && groups[0] <= 2 && groups[1] <= 2 && groups[2] == 2:
		// 12.03.25, 3-12-25: a day and a month in either order
		a, b := num(digits[:groups[0]]), num(digits[groups[0]:groups[0]+groups[1]])
		return a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12)
	}
	return false
}

func num(d []int) int {
	n := 0
	for _, x := range d {
		n = n*10 + x
	}
	return n
}
