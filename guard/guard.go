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
//
// Reason and Cue explain it, for the findings panel (web/guardui.go) and
// the CLI: Reason is a message key of the sessions catalogue
// ("guard.reason.title", see Reasons), Cue the word of the text that led to
// it as written ("Dr", "said", "MRN"), to be put in the message as {0}; it
// is "" for reasons that take no argument. Both are new in the second
// generation and only added: Kind, Text, Start and End keep their meaning,
// and the JSON of a finding keeps its first four fields in order.
type Finding struct {
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Reason string `json:"reason,omitempty"`
	Cue    string `json:"cue,omitempty"`
}

// The reasons of findings: message keys in i18n/locales/*/sessions.json.
// The ones marked "{0}" take the finding's Cue.
const (
	ReasonListed       = "guard.reason.listed"        // a name of this group as registered
	ReasonSpelling     = "guard.reason.spelling"      // another spelling of a name of this group
	ReasonTitle        = "guard.reason.title"         // {0}: a name after a title or role word
	ReasonKunya        = "guard.reason.kunya"         // {0}: a name with Abu, Umm, bin, أبو …
	ReasonSpeech       = "guard.reason.speech"        // {0}: a given name next to a verb of speech or care
	ReasonFamily       = "guard.reason.family"        // a family name with the article
	ReasonGiven        = "guard.reason.given"         // a common given name
	ReasonEmail        = "guard.reason.email"         // an e-mail address
	ReasonEmailWritten = "guard.reason.email_written" // an e-mail address written out
	ReasonPhone        = "guard.reason.phone"         // a phone number
	ReasonPhoneLabel   = "guard.reason.phone_label"   // {0}: a number after a phone label
	ReasonIDLabel      = "guard.reason.id_label"      // {0}: a number after an ID or record label
	ReasonNumber       = "guard.reason.number"        // a long number such as an ID
)

// Reasons lists every reason, for the catalogue test.
var Reasons = []string{ReasonListed, ReasonSpelling, ReasonTitle, ReasonKunya, ReasonSpeech, ReasonFamily, ReasonGiven,
	ReasonEmail, ReasonEmailWritten, ReasonPhone, ReasonPhoneLabel, ReasonIDLabel, ReasonNumber}

// Guard finds protected names and personal identifiers in text. Build one
// per group with New; it is safe for concurrent use.
type Guard struct {
	single  map[string]bool // canonical words that are a name on their own
	family  map[string]bool // those of them that are family names (not first words)
	seqs    map[string]bool // canonical words of two or more, joined by a space
	starts  map[string]bool // first words of seqs
	maxSeq  int
	persons map[string][]int32 // canonical word → the names (by index) it is part of
	// Other spellings: every registered word by the skeleton of its sound
	// units, and by its skeletons with one unit left out.
	words []*listedWord
	skel  map[string][]*listedWord
	near  map[string][]*listedWord
}

// listedWord is a word of a registered name, for finding other spellings.
type listedWord struct {
	word    string
	units   []byte
	arabic  bool
	family  bool
	persons []int32
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

// joiners are particles written joined to the next word as often as apart
// (Ben Ali and Benali, عبد الله and عبدالله, al-Masri and Elmasri).
var joiners = map[string]bool{
	"al": true, "el": true, "ben": true, "bin": true, "ibn": true, "abu": true, "abou": true, "abd": true, "abdel": true, "abdul": true,
	"abdal": true, "بن": true, "ابن": true, "ابو": true, "عبد": true, "ال": true,
}

// New returns a guard for the given protected names (full names as people
// are known, and the display names they chose). Blank names are ignored.
func New(names []string) *Guard {
	g := &Guard{single: map[string]bool{}, family: map[string]bool{}, seqs: map[string]bool{}, starts: map[string]bool{},
		persons: map[string][]int32{}, skel: map[string][]*listedWord{}, near: map[string][]*listedWord{}}
	byWord := map[string]*listedWord{}
	addWord := func(w string, family bool, p int32) {
		lw := byWord[w]
		if lw == nil {
			lw = &listedWord{word: w, arabic: isArabicWord(w)}
			if lw.arabic {
				lw.units = arabicUnits(w, nil)
			} else {
				lw.units = latinUnits(w, nil)
			}
			byWord[w] = lw
			g.words = append(g.words, lw)
		}
		lw.family = lw.family || family
		if n := len(lw.persons); n == 0 || lw.persons[n-1] != p {
			lw.persons = append(lw.persons, p)
		}
	}
	addPerson := func(w string, p int32) {
		if ps := g.persons[w]; len(ps) == 0 || ps[len(ps)-1] != p {
			g.persons[w] = append(ps, p)
		}
	}
	var buf []rune
	for pi, name := range names {
		p := int32(pi)
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
			addPerson(w, p)
			fam := i > 0
			// Arabic family names are written with and without the article:
			// الزعبي and زعبي are the same person.
			if rest, ok := strings.CutPrefix(w, "ال"); ok && utf8.RuneCountInString(rest) >= 3 {
				g.single[rest] = true
				g.family[rest] = true
				addPerson(rest, p)
				addWord(rest, true, p)
				fam = true
			}
			if fam {
				g.family[w] = true
			}
			addWord(w, fam, p)
			// Every run of two or more words of the name, so "Abu Khalil"
			// in "Omar Abu Khalil" is found as one finding.
			for j := i + 2; j <= min(len(words), i+maxRun); j++ {
				g.seqs[strings.Join(words[i:j], " ")] = true
				g.maxSeq = max(g.maxSeq, j-i)
			}
		}
		// Runs that start with a particle ("Abu Khalil"), and particles
		// joined to the next word (Benali, Elmasri, عبدالله).
		for i, w := range words {
			if !particles[w] {
				continue
			}
			for j := i + 2; j <= min(len(words), i+maxRun); j++ {
				g.seqs[strings.Join(words[i:j], " ")] = true
				g.maxSeq = max(g.maxSeq, j-i)
			}
			if joiners[w] && i+1 < len(words) {
				addWord(w+words[i+1], i > 0 || w == "al" || w == "el" || w == "ال", p)
			}
		}
	}
	for k := range g.seqs {
		first, _, _ := strings.Cut(k, " ")
		g.starts[first] = true
	}
	var sk, del []byte
	for _, lw := range g.words {
		sk = skeleton(lw.units, sk[:0])
		g.skel[string(sk)] = append(g.skel[string(sk)], lw)
		if len(sk) >= 3 {
			for i := range sk {
				del = append(append(del[:0], sk[:i]...), sk[i+1:]...)
				g.near[string(del)] = append(g.near[string(del)], lw)
			}
		}
	}
	return g
}

// isArabicWord reports whether a word starts with an Arabic letter.
func isArabicWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return r >= 0x0600 && r <= 0x06FF
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
	t := newText(rs)
	for _, f := range findEmails(rs) {
		cover(f)
	}
	for _, f := range findWrittenEmails(t) {
		if free(f.Start, f.End) {
			cover(f)
		}
	}
	for _, f := range findNumbers(t) {
		if free(f.Start, f.End) {
			cover(f)
		}
	}
	for _, f := range g.findNames(t) {
		if free(f.Start, f.End) {
			cover(f)
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
