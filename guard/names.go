package guard

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// text is a checked text split into words once for every detector.
type text struct {
	rs    []rune
	toks  []token
	words []string // canonical forms, without an English possessive
	buf   []byte   // scratch for sound units
}

func newText(rs []rune) *text {
	t := &text{rs: rs, toks: tokenize(rs)}
	var b strings.Builder
	b.Grow(len(rs) * 2)
	bounds := make([]int, len(t.toks)+1)
	for i, tk := range t.toks {
		writeCanonical(&b, rs[tk.start:tk.end])
		bounds[i+1] = b.Len()
	}
	all := b.String()
	t.words = make([]string, len(t.toks))
	for i := range t.toks {
		t.words[i] = trimPossessive(all[bounds[i]:bounds[i+1]])
	}
	return t
}

// raw is the word i as written.
func (t *text) raw(i int) string { return string(t.rs[t.toks[i].start:t.toks[i].end]) }

// gap is the characters between words i-1 and i.
func (t *text) gap(i int) []rune { return t.rs[t.toks[i-1].end:t.toks[i].start] }

// capital reports whether word i starts with an upper-case letter.
func (t *text) capital(i int) bool { return unicode.IsUpper(t.rs[t.toks[i].start]) }

// sentenceStart reports whether word i starts a sentence, a line or a
// heading's text.
func (t *text) sentenceStart(i int) bool {
	if i == 0 {
		return true
	}
	for _, r := range t.gap(i) {
		switch r {
		case '.', '!', '?', ':', ';', '\n', '•', '-', '–', '—', '"', '“', '(', '«', '*':
			return true
		}
	}
	return false
}

// mark is a name found over the words [from, to).
type mark struct {
	from, to int
	reason   string
	cue      string
	persons  []int32 // the registered names it may be, for listed names
}

// findNames finds the protected names and the people on no list.
func (g *Guard) findNames(t *text) []Finding {
	taken := make([]bool, len(t.toks))
	var marks []mark
	if g != nil && len(g.single)+len(g.words) > 0 {
		marks = g.listedMarks(t)
		for _, m := range marks {
			for i := m.from; i < m.to; i++ {
				taken[i] = true
			}
		}
	}
	marks = append(marks, findUnlisted(t, taken)...)
	out := make([]Finding, 0, len(marks))
	for _, m := range marks {
		out = append(out, Finding{Kind: KindName, Start: t.toks[m.from].start, End: t.toks[m.to-1].end, Reason: m.reason, Cue: m.cue})
	}
	return out
}

// listedMarks finds the registered names: as registered (with the Arabic
// prefixes, case, diacritics), and in other spellings. Neighbouring words
// of one person's name are one mark.
func (g *Guard) listedMarks(t *text) []mark {
	var marks []mark
	for i := 0; i < len(t.toks); i++ {
		if n := g.matchRun(t, i); n > 0 {
			var ps []int32
			for k := i; k < i+n && ps == nil; k++ {
				ps = g.persons[g.exactWord(t.words[k])]
			}
			marks = append(marks, mark{from: i, to: i + n, reason: ReasonListed, persons: ps})
			i += n - 1
			continue
		}
		if c := g.exactWord(t.words[i]); c != "" {
			marks = append(marks, mark{from: i, to: i + 1, reason: ReasonListed, persons: g.persons[c]})
			continue
		}
		// A particle joined to the next word in the registered name or in
		// the text: Ben Ali for Benali, عبد الله for عبدالله.
		if joiners[t.words[i]] && i+1 < len(t.toks) && nameGap(t.gap(i+1)) {
			if lw := g.spelling(t, i, t.words[i]+t.words[i+1]); lw != nil {
				marks = append(marks, mark{from: i, to: i + 2, reason: ReasonSpelling, persons: lw.persons})
				i++
				continue
			}
		}
		if lw := g.spelling(t, i, t.words[i]); lw != nil {
			marks = append(marks, mark{from: i, to: i + 1, reason: ReasonSpelling, persons: lw.persons})
			continue
		}
		if !isArabicWord(t.words[i]) {
			continue
		}
		// A name that is also a word (كريم) is the member's all the same
		// as the subject of a verb of speech (كريم اقترح، قالت سلمى).
		if wordName(t.words[i]) && speechVerb(t, i) >= 0 {
			if lw := g.spellingOf(t, i, t.words[i], true); lw != nil {
				marks = append(marks, mark{from: i, to: i + 1, reason: ReasonSpelling, persons: lw.persons})
				continue
			}
		}
		// Joined with و to a name just found (تامر وهديل), a name that is
		// also a word is a member's name too.
		if n := len(marks); n > 0 && marks[n-1].to == i && strings.HasPrefix(t.words[i], "و") && nameGap(t.gap(i)) && wordName(strings.TrimPrefix(t.words[i], "و")) {
			if lw := g.spellingOf(t, i, t.words[i], true); lw != nil {
				marks = append(marks, mark{from: i, to: i + 1, reason: ReasonSpelling, persons: lw.persons})
				continue
			}
		}
		// Two words that are each a word too (لينا رزق, وداد كرم) are the
		// member's name when both are spellings of the same person's.
		if i+1 < len(t.toks) && nameGap(t.gap(i+1)) && isArabicWord(t.words[i+1]) && pairCandidate(t.words[i]) && pairCandidate(t.words[i+1]) {
			if a := g.spellingMode(t, i, t.words[i], true, true); a != nil {
				if b := g.spellingMode(t, i+1, t.words[i+1], true, true); b != nil && a != b && share(a.persons, b.persons) {
					marks = append(marks, mark{from: i, to: i + 2, reason: ReasonSpelling, persons: common(a.persons, b.persons)})
					i++
				}
			}
		}
	}
	// One person's words side by side are one finding (دينا قاسم, Muhammad
	// al-Masri written in another spelling); a particle between them
	// belongs to the name.
	var out []mark
	for _, m := range marks {
		if n := len(out); n > 0 {
			p := &out[n-1]
			gapOK := p.to == m.from && nameGap(t.gap(m.from))
			if !gapOK && p.to+1 == m.from && particles[t.words[p.to]] && nameGap(t.gap(p.to)) && nameGap(t.gap(m.from)) {
				gapOK = true
			}
			if gapOK && share(p.persons, m.persons) {
				p.to = m.to
				if m.reason == ReasonSpelling {
					p.reason = ReasonSpelling
				}
				p.persons = common(p.persons, m.persons)
				continue
			}
		}
		out = append(out, m)
	}
	// An ordinary word just before a person's other word may be their name
	// all the same: شكراً لدينا قاسم is "thanks to Dina Qasem"; a kunya
	// before it belongs to it (أبو خليل).
	for k := range out {
		m := &out[k]
		if i := m.from - 1; i >= 0 && nameGap(t.gap(m.from)) && (k == 0 || out[k-1].to <= i) && t.words[i] != "ال" && t.words[i] != "al" && t.words[i] != "el" {
			if kunyaWord(t.words[i]) {
				m.from = i
				continue
			}
		}
		if i := m.from - 1; i >= 0 && nameGap(t.gap(m.from)) && (k == 0 || out[k-1].to <= i) && ordinaryArabic(t.words[i]) {
			if lw := g.spellingOf(t, i, t.words[i], true); lw != nil && share(lw.persons, m.persons) {
				m.from = i
			}
		}
	}
	return out
}

func share(a, b []int32) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func common(a, b []int32) []int32 {
	var out []int32
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
			}
		}
	}
	return out
}

// exactWord returns the registered word that w is, with its Arabic
// prefixes removed, or "". The article is removed only before a family
// name: الزعبي is Zoubi, but النور is the light, not Nour.
func (g *Guard) exactWord(w string) string {
	found := ""
	eachVariant(w, func(c string) bool {
		if g.single[c] && (g.family[c] || !articleStripped(w, c)) {
			found = c
			return false
		}
		return true
	})
	return found
}

// articleStripped reports whether eachVariant reached c from w by removing
// the article (ال, or لل after the preposition ل).
func articleStripped(w, c string) bool {
	i := len(w) - len(c)
	if i < len("ال") || w[i:] != c {
		return false
	}
	before := w[:i]
	return strings.HasSuffix(before, "ال") || (strings.HasSuffix(before, "لل") && !strings.HasPrefix(c, "ل"))
}

// matchRun returns how many words starting at i form a run of one name
// (two or more words separated only by spaces or a hyphen), or 0. Only the
// first word may carry Arabic prefixes, only the last a possessive.
func (g *Guard) matchRun(t *text, i int) int {
	if g.maxSeq < 2 {
		return 0
	}
	best := 0
	eachVariant(t.words[i], func(first string) bool {
		if !g.starts[first] {
			return true
		}
		key := first
		for n := 2; n <= g.maxSeq && i+n-1 < len(t.toks); n++ {
			if !nameGap(t.gap(i + n - 1)) {
				break
			}
			key += " " + t.words[i+n-1]
			if g.seqs[key] {
				best = n
			}
		}
		return best == 0
	})
	return best
}

// spelling returns the registered word that the word i (or w, the word
// joined to the next) is another spelling of, or nil. A Latin word must be
// written with a capital and be no ordinary word; an Arabic word no
// ordinary word either, and with the article removed it may only be a
// family name.
func (g *Guard) spelling(t *text, i int, w string) *listedWord {
	return g.spellingOf(t, i, w, false)
}

// spellingOf is spelling; loose lets ordinary Arabic words through.
func (g *Guard) spellingOf(t *text, i int, w string, loose bool) *listedWord {
	return g.spellingMode(t, i, w, loose, false)
}

// spellingMode is spellingOf; pair also lets three-letter roots through,
// for a word beside another word of the same person (لينا رزق).
func (g *Guard) spellingMode(t *text, i int, w string, loose, pair bool) *listedWord {
	if len(g.words) == 0 {
		return nil
	}
	if !isArabicWord(w) {
		if !t.capital(i) || lists["common"][w] || lists["place"][w] || lists["title"][w] || englishWord(w) {
			return nil
		}
		n := utf8.RuneCountInString(w)
		if n < 3 {
			return nil
		}
		for _, v := range latinReadings(w) {
			t.buf = latinUnits(v, t.buf)
			if lw := g.nearest(t.buf, false, n, false); lw != nil {
				return lw
			}
		}
		return nil
	}
	if tanween(t.rs[t.toks[i].start:t.toks[i].end]) || (!loose && (ordinaryArabic(w) || wordName(w))) {
		return nil
	}
	// After مركز or مستشفى another spelling is an institution's name
	// (مركز الحسين); a word with the article after a noun with the article
	// agrees with it (الأسبوع الطويل), unless the noun is a title.
	if institutionAround(t, i, i+1) {
		return nil
	}
	adjective := i > 0 && nameGap(t.gap(i)) && isArabicWord(t.words[i-1]) && hasArticle(t.words[i-1]) && !isTitle(t, i-1)
	var found *listedWord
	eachVariant(w, func(c string) bool {
		n := utf8.RuneCountInString(c)
		if n < 3 || (!loose && (ordinaryArabic(c) || wordName(c))) {
			return true
		}
		// Three letters without a vowel letter are a root with every
		// reading (قسم، ترك): only a name of the names data may be one.
		if n == 3 && !pair && !strings.ContainsAny(c, "اويعءئؤ") && given.arabic[c] == nil {
			return true
		}
		stripped := articleStripped(w, c)
		// and only when it follows with the article alone: with a
		// conjunction (الشاوي والبرغوثي) it is another word of its own
		if stripped && adjective && w == "ال"+c {
			return true
		}
		t.buf = arabicUnits(c, t.buf)
		if lw := g.nearest(t.buf, true, n, stripped); lw != nil {
			found = lw
			return false
		}
		return true
	})
	return found
}

// tanween reports whether a word carries tanween (كريماً, غاضباً): an
// adjective or adverb, never a name.
func tanween(rs []rune) bool {
	for _, r := range rs {
		if r == '\u064B' || r == '\u064C' || r == '\u064D' {
			return true
		}
	}
	return false
}

// wordName reports whether an Arabic word, with or without the article, is
// a name of the names data that is also an ordinary word (سلامة safety,
// كريم generous, عمر age): alone it is no other spelling of a member's
// name; next to another word of the same name (كريم عيسى) or with a verb of
// speech it is one.
func wordName(c string) bool {
	if e := given.arabic[c]; e != nil && e.ambiguous {
		return true
	}
	if strings.HasPrefix(c, "ال") {
		e := given.arabic[strings.TrimPrefix(c, "ال")]
		return e != nil && e.ambiguous
	}
	return false
}

// ordinaryArabic reports whether an Arabic word is an ordinary word of a
// note (a preposition, a verb, a month, a place, a title, an adjective).
func ordinaryArabic(c string) bool { return ordinaryAr[c] }

// ordinaryAr is the union of the lists ordinaryArabic looks in.
var ordinaryAr = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range []string{"common-ar", "nisba", "place", "title", "speech", "care"} {
		for w := range lists[l] {
			m[w] = true
		}
	}
	return m
}()

// nearest returns the registered word closest to the units u within the
// bound for a word of n letters; familyOnly keeps to family names.
func (g *Guard) nearest(u []byte, arabic bool, n int, familyOnly bool) *listedWord {
	limit := maxCost(n)
	if n < 4 || (arabic && n <= 5) {
		limit = cFree
	}
	var sk [32]byte
	s := skeleton(u, sk[:0])
	if len(s) == 0 {
		return nil
	}
	var best *listedWord
	bestCost := limit + 1
	try := func(cands []*listedWord) {
		for _, lw := range cands {
			if familyOnly && !lw.family {
				continue
			}
			if lw.arabic == arabic && len(lw.units) < 3 {
				continue
			}
			lim := bestCost - 1
			if lw.arabic != arabic {
				// across scripts the transliteration rules are the
				// equivalence: no misspellings on top of them, and a name of
				// one consonant (Odeh, عودة) only as a short word
				lim = cFree
				if len(s) < 2 && ((arabic && n > 4) || n > 6) {
					continue
				}
			}
			if d := distance(lw.units, lw.arabic, u, arabic, lim); d <= lim && d < bestCost {
				best, bestCost = lw, d
			}
		}
	}
	try(g.skel[string(s)])
	if bestCost == cFree || limit == cFree {
		return best
	}
	try(g.near[string(s)])
	if len(s) >= 3 {
		var del [32]byte
		for i := range s {
			d := append(append(del[:0], s[:i]...), s[i+1:]...)
			try(g.skel[string(d)])
			try(g.near[string(d)])
		}
	}
	return best
}

// kunyaWord reports whether w is a kunya or patronymic particle, with the
// Arabic conjunction and prepositions (وأبو).
func kunyaWord(w string) bool {
	if lists["kunya"][w] {
		return true
	}
	return isArabicWord(w) && !eachVariant(w, func(c string) bool { return !lists["kunya"][c] || c == "ال" })
}

// pairCandidate reports whether an Arabic word is one that spelling leaves
// alone for being a word too: an ordinary word, a name that is a word, a
// three-letter root. Only such words are tried in pairs.
func pairCandidate(w string) bool {
	n := utf8.RuneCountInString(w)
	return n >= 3 && (n <= 4 || ordinaryArabic(w) || wordName(w))
}
