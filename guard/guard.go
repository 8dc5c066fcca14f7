// Package guard is PeerCircle's confidentiality guard. Before any free text
// about a session is saved (agenda items, key issues, decisions, follow-ups,
// challenges), the guard looks for what must not be written down: the names
// of the group's members and facilitators, and common personal identifiers
// (e-mail addresses, phone numbers, ID numbers). The writer sees each finding
// and removes it or confirms that it is not a person (DESIGN.md rule 1).
//
// Names are found in Latin and Arabic script, as full names, first names or
// surnames alone, in any letter case, with an English possessive ('s), and in
// Arabic with the attached prefixes و ف ب ل ك ال and their combinations,
// after normalisation (diacritics and tatweel removed; أ إ آ → ا; ة → ه;
// ى → ي). Names are matched as whole words only, never inside another word.
//
// Offsets are in characters (runes) of the input, so a browser or another
// program can highlight the finding without knowing about UTF-8.
package guard

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of finding.
const (
	KindName   = "name"
	KindEmail  = "email"
	KindPhone  = "phone"
	KindNumber = "number"
)

// Finding is one thing the guard found: its kind, the text as written, and
// its place in the input as character offsets [Start, End).
type Finding struct {
	Kind  string `json:"kind"`
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Guard finds protected names and personal identifiers in text. Build one
// per group with New; it is safe for concurrent use.
type Guard struct {
	single map[string]bool // canonical words that are a name on their own
	seqs   map[string]bool // canonical words of two or more, joined by a space
	starts map[string]bool // first words of seqs
	maxSeq int
}

// maxRun bounds how many words of a name are matched as one run; real
// names have fewer, and it keeps a hostile names file from costing O(n²).
const maxRun = 8

// particles are parts of names that are ordinary words on their own ("Abu",
// "bin", "al", "عبد"): they are found as part of a full name, never alone.
var particles = map[string]bool{
	"al": true, "el": true, "bin": true, "ben": true, "ibn": true, "bint": true, "abu": true, "abou": true, "umm": true,
	"um": true, "de": true, "da": true, "di": true, "du": true, "la": true, "le": true, "van": true, "von": true, "der": true,
	"بن": true, "بنت": true, "ابن": true, "ابو": true, "ام": true, "عبد": true, "ال": true, "ابي": true,
}

// New returns a guard for the given protected names (full names as people
// are known, and the display names they chose). Blank names are ignored.
func New(names []string) *Guard {
	g := &Guard{single: map[string]bool{}, seqs: map[string]bool{}, starts: map[string]bool{}}
	var buf []rune
	for _, name := range names {
		var words []string
		buf = append(buf[:0], []rune(name)...)
		for _, t := range tokenize(buf) {
			words = append(words, canonical(buf[t.start:t.end]))
		}
		for i, w := range words {
			if utf8.RuneCountInString(w) < 2 || particles[w] {
				continue
			}
			g.single[w] = true
			// Arabic family names are written with and without the article:
			// الزعبي and زعبي are the same person.
			if rest, ok := strings.CutPrefix(w, "ال"); ok && utf8.RuneCountInString(rest) >= 3 {
				g.single[rest] = true
			}
			// Every run of two or more words of the name, so "Abu Khalil"
			// in "Omar Abu Khalil" is found as one finding.
			for j := i + 2; j <= min(len(words), i+maxRun); j++ {
				g.seqs[strings.Join(words[i:j], " ")] = true
				g.maxSeq = max(g.maxSeq, j-i)
			}
		}
		// Runs that start with a particle ("Abu Khalil").
		for i, w := range words {
			if !particles[w] {
				continue
			}
			for j := i + 2; j <= min(len(words), i+maxRun); j++ {
				g.seqs[strings.Join(words[i:j], " ")] = true
				g.maxSeq = max(g.maxSeq, j-i)
			}
		}
	}
	for k := range g.seqs {
		first, _, _ := strings.Cut(k, " ")
		g.starts[first] = true
	}
	return g
}

// Check returns the findings in text, ordered by position and never
// overlapping: e-mail addresses first, then phone and other numbers, then
// names outside those.
func (g *Guard) Check(text string) []Finding {
	rs := []rune(text)
	var out []Finding
	var covered []bool // runes already inside a finding; made on the first one
	cover := func(f Finding) {
		if covered == nil {
			covered = make([]bool, len(rs))
		}
		for i := f.Start; i < f.End; i++ {
			covered[i] = true
		}
		f.Text = string(rs[f.Start:f.End])
		out = append(out, f)
	}
	free := func(start, end int) bool {
		if covered == nil {
			return true
		}
		for i := start; i < end; i++ {
			if covered[i] {
				return false
			}
		}
		return true
	}
	for _, f := range findEmails(rs) {
		cover(f)
	}
	for _, f := range findNumbers(rs) {
		if free(f.Start, f.End) {
			cover(f)
		}
	}
	if g != nil && len(g.single)+len(g.seqs) > 0 {
		for _, f := range g.findNames(rs) {
			if free(f.Start, f.End) {
				cover(f)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// Check is New(names).Check(text), for one-off checks.
func Check(text string, names []string) []Finding { return New(names).Check(text) }

// token is a word of the input: a run of letters (with combining marks,
// tatweel, joiners and inner apostrophes), as rune offsets.
type token struct{ start, end int }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// tokenize splits rs into words. An apostrophe between two letters belongs
// to the word (O'Brien, Sara's); anything else ends it.
func tokenize(rs []rune) []token {
	var out []token
	start := -1
	for i := 0; i <= len(rs); i++ {
		in := i < len(rs) && (isWordRune(rs[i]) ||
			(start >= 0 && isApostrophe(rs[i]) && i+1 < len(rs) && unicode.IsLetter(rs[i+1])))
		if in && start < 0 {
			if unicode.Is(unicode.Cf, rs[i]) { // a joiner cannot start a word
				continue
			}
			start = i
		} else if !in && start >= 0 {
			out = append(out, token{start, i})
			start = -1
		}
	}
	return out
}

// findNames finds the protected names in rs: the longest run of name words
// at each word, else a single name word.
func (g *Guard) findNames(rs []rune) []Finding {
	toks := tokenize(rs)
	// The canonical words, as substrings of one string: one allocation for
	// the whole text instead of one per word.
	var b strings.Builder
	b.Grow(len(rs) * 2)
	bounds := make([]int, len(toks)+1)
	for i, t := range toks {
		writeCanonical(&b, rs[t.start:t.end])
		bounds[i+1] = b.Len()
	}
	all := b.String()
	words := make([]string, len(toks))
	for i := range toks {
		words[i] = trimPossessive(all[bounds[i]:bounds[i+1]])
	}
	var out []Finding
	for i := 0; i < len(toks); i++ {
		if n := g.matchRun(rs, toks, words, i); n > 0 {
			out = append(out, Finding{Kind: KindName, Start: toks[i].start, End: toks[i+n-1].end})
			i += n - 1
			continue
		}
		if !eachVariant(words[i], func(c string) bool { return !g.single[c] }) {
			out = append(out, Finding{Kind: KindName, Start: toks[i].start, End: toks[i].end})
		}
	}
	return out
}

// matchRun returns how many words starting at i form a run of one name
// (two or more words separated only by spaces or a hyphen), or 0. Only the
// first word may carry Arabic prefixes, only the last a possessive.
func (g *Guard) matchRun(rs []rune, toks []token, words []string, i int) int {
	if g.maxSeq < 2 {
		return 0
	}
	best := 0
	eachVariant(words[i], func(first string) bool {
		if !g.starts[first] {
			return true
		}
		key := first
		for n := 2; n <= g.maxSeq && i+n-1 < len(toks); n++ {
			if !nameGap(rs[toks[i+n-2].end:toks[i+n-1].start]) {
				break
			}
			key += " " + words[i+n-1]
			if g.seqs[key] {
				best = n
			}
		}
		return best == 0
	})
	return best
}

// nameGap reports whether the characters between two words keep them in
// one name: spaces, or a hyphen as in al-Zoubi.
func nameGap(rs []rune) bool {
	if len(rs) == 0 || len(rs) > 3 {
		return false
	}
	for _, r := range rs {
		if r != '-' && r != '‐' && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// canonical is the form words are compared in: lower case, without
// diacritics, tatweel or joiners, with the Arabic letters that are written
// interchangeably folded together, without an English possessive, and with
// Latin accents removed.
func canonical(rs []rune) string {
	var b strings.Builder
	writeCanonical(&b, rs)
	return trimPossessive(b.String())
}

func writeCanonical(b *strings.Builder, rs []rune) {
	for _, r := range rs {
		if r < 0x80 {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		switch {
		case r >= 0x300 && unicode.Is(unicode.Mn, r), r >= 0xAD && unicode.Is(unicode.Cf, r), r == 'ـ':
			continue
		}
		switch r {
		case '’', 'ʼ':
			r = '\''
		case 'أ', 'إ', 'آ', 'ٱ':
			r = 'ا'
		case 'ة':
			r = 'ه'
		case 'ى', 'ی':
			r = 'ي'
		case 'ک':
			r = 'ك'
		default:
			if f, ok := latinFold[r]; ok {
				r = f
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
}

// trimPossessive drops an English possessive 's.
func trimPossessive(s string) string {
	if len(s) > 3 && strings.HasSuffix(s, "'s") {
		return s[:len(s)-2]
	}
	return s
}

// eachVariant calls fn with a word and, for an Arabic word, with what
// remains after each combination of the attached prefixes: a conjunction
// (و ف), then a preposition (ب ل ك), then the article (ال); ل before the
// article is written لل. Remainders shorter than two letters are skipped.
// It stops when fn returns false, and reports whether it ran to the end.
func eachVariant(w string, fn func(string) bool) bool {
	if !fn(w) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(w); r < 0x0600 || r > 0x06FF {
		return true
	}
	try := func(s string) bool {
		if s == w || utf8.RuneCountInString(s) < 2 {
			return true
		}
		return fn(s)
	}
	for _, conj := range [...]string{"", "و", "ف"} {
		r1, ok := strings.CutPrefix(w, conj)
		if !ok {
			continue
		}
		for _, prep := range [...]string{"", "ب", "ل", "ك"} {
			r2, ok := strings.CutPrefix(r1, prep)
			if !ok {
				continue
			}
			if !try(r2) {
				return false
			}
			if r3, ok := strings.CutPrefix(r2, "ال"); ok && !try(r3) {
				return false
			}
			if prep == "ل" {
				if r3, ok := strings.CutPrefix(r2, "ل"); ok && !try(r3) { // لل = ل + ال
					return false
				}
			}
		}
	}
	return true
}

// Key is the form in which a confirmed finding is remembered: the words of
// text in their canonical form, so a word confirmed once as "not a person"
// is not flagged again in another case or spelling.
func Key(text string) string {
	rs := []rune(text)
	var words []string
	for _, t := range tokenize(rs) {
		words = append(words, canonical(rs[t.start:t.end]))
	}
	if len(words) == 0 {
		return strings.TrimSpace(text)
	}
	return strings.Join(words, " ")
}

// Unconfirmed returns the findings whose Key is not among the confirmed
// keys (as made by Key).
func Unconfirmed(fs []Finding, confirmed []string) []Finding {
	if len(confirmed) == 0 {
		return fs
	}
	ok := make(map[string]bool, len(confirmed))
	for _, c := range confirmed {
		ok[c] = true
	}
	var out []Finding
	for _, f := range fs {
		if !ok[Key(f.Text)] {
			out = append(out, f)
		}
	}
	return out
}
