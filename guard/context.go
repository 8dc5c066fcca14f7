package guard

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// People on no list: the client, the patient, the colleague from another
// ward. They are found from the words around them (data/cues.txt) and the
// names data (data/given-*.txt):
//
//   - after a title or role word: Dr Ahmad, the client, Rami, الممرضة حنان,
//     l'infirmière Sophie (reason "title", cue the title);
//   - with a kunya or patronymic: Abu Ali, Umm Khaled, أبو محمد, bin Hassan
//     (reason "kunya");
//   - a given name from the names data next to a verb of speech or care:
//     Maryam said, قالت مريم, we helped Mustafa (reason "speech", cue the
//     verb);
//   - a family name with the article: التميمي, al-Tamimi (reason "family");
//   - a given name from the names data that is no ordinary word: Ahmad,
//     Zainab, يوسف (reason "given").
//
// And not more: a title without a name (the doctor refused), a word with
// the article after a noun with the article (الطبيب النفسي), an ordinary
// word that is also a name (أمل، نور، Hope, Will) without a cue, places,
// institutions and months.

// findUnlisted returns the marks of people on no list among the words not
// taken.
func findUnlisted(t *text, taken []bool) []mark {
	var out []mark
	add := func(m mark) {
		for i := m.from; i < m.to; i++ {
			if taken[i] {
				return
			}
		}
		for i := m.from; i < m.to; i++ {
			taken[i] = true
		}
		out = append(out, m)
	}
	n := len(t.toks)
	for i := 0; i < n; i++ {
		if taken[i] {
			continue
		}
		w := t.words[i]
		ar := isArabicWord(w)
		// A title or role word, and a name after it.
		if isTitle(t, i) && i+1 < n && titleGap(t, i+1) && !taken[i+1] {
			// after a lower-case role word (the patient, the client) an
			// ordinary English word with a capital is not a name
			// after an Arabic role noun without the article (مريض صعب, a
			// difficult patient) only a name of the names data that is no
			// ordinary word
			if e := given.arabicGiven(t.words[i+1]); ar && roleNoun(t, i) && (e == nil || e.ambiguous) {
				// no name
			} else if to := nameRun(t, i+1, taken); to > i+1 && (ar || t.capital(i) || !englishWord(t.words[i+1])) {
				add(mark{from: i + 1, to: to, reason: ReasonTitle, cue: t.raw(i)})
				continue
			}
		}
		// A title, a word with the article that belongs to it (الطبيب
		// المقيم, جدة الطفل), and a name of the names data after them.
		if ar && isTitle(t, i) && i+2 < n && nameGap(t.gap(i+1)) && titleGap(t, i+2) && !taken[i+1] && !taken[i+2] &&
			isArabicWord(t.words[i+1]) && hasArticle(t.words[i+1]) && !familyWord(t, i+1) && nameWord(t, i+2, true) && !hasArticle(t.words[i+2]) {
			if to := nameRun(t, i+2, taken); to > i+2 {
				add(mark{from: i + 2, to: to, reason: ReasonTitle, cue: t.raw(i)})
				continue
			}
		}
		// Compound names: عبد with a divine name (عبد الرحمن), a word
		// before الدين or الهدى (نور الهدى, علاء الدين).
		if to := compoundRun(t, i, taken); to > i {
			add(mark{from: i, to: to, reason: ReasonGiven})
			continue
		}
		// A kunya or patronymic and the name after it.
		if to := kunyaRun(t, i, taken); to > i {
			from := i
			if i > 0 && !taken[i-1] && nameGap(t.gap(i)) && nameWord(t, i-1, true) && (!ar || given.arabicGiven(t.words[i-1]) != nil) {
				from = i - 1
			}
			add(mark{from: from, to: to, reason: ReasonKunya, cue: t.raw(i)})
			continue
		}
		// A family name with the article.
		if to := familyRun(t, i); to > i {
			add(mark{from: i, to: to, reason: ReasonFamily})
			continue
		}
		// A given name: next to a verb of speech or care, or on its own
		// when it is no ordinary word.
		amb, ok := givenName(t, i)
		if ok && i+1 < n && nameGap(t.gap(i+1)) {
			switch t.words[i+1] {
			case "bin", "ben", "bint", "ibn", "بن", "بنت":
				continue // the patronymic takes the name with it
			}
		}
		if !ok {
			// A capitalised word that is no English word, next to a verb of
			// speech; at the start of a sentence only as its subject
			// (Muath told me).
			if !ar && t.capital(i) && nameWord(t, i, false) && !englishWord(w) {
				if v := speechVerb(t, i); v >= 0 && (v > i || !t.sentenceStart(i)) && (v < i || inList(t, v, "speech")) {
					add(mark{from: i, to: surnameRun(t, i+1, taken), reason: ReasonSpeech, cue: t.raw(v)})
				}
			}
			continue
		}
		if v := speechVerb(t, i); v >= 0 {
			add(mark{from: i, to: surnameRun(t, i+1, taken), reason: ReasonSpeech, cue: t.raw(v)})
			continue
		}
		if !amb && !institutionAround(t, i, i+1) && (ar || !englishWord(w)) {
			add(mark{from: i, to: surnameRun(t, i+1, taken), reason: ReasonGiven})
		}
	}
	return out
}

// inList reports whether word i is in the list, directly or, for an Arabic
// word, with its conjunction and preposition prefixes removed.
func inList(t *text, i int, list string) bool {
	l := lists[list]
	w := t.words[i]
	if l[w] {
		return true
	}
	if !isArabicWord(w) {
		// French elision: l'infirmière, d'Ahmad.
		if len(w) > 2 && (w[1] == '\'') {
			return l[w[2:]]
		}
		return l[strings.TrimSuffix(w, ".")]
	}
	return !eachVariant(w, func(c string) bool { return !l[c] })
}

func isTitle(t *text, i int) bool {
	w := t.words[i]
	if !isArabicWord(w) && utf8.RuneCountInString(w) == 1 && w != "m" && w != "د" {
		return false
	}
	if inList(t, i, "title") {
		return true
	}
	// An Arabic title with a possessive: مشرفنا (our supervisor),
	// طبيبها, زميلتي.
	return isArabicWord(w) && inList(t, i, titlePossessive)
}

// titlePossessive names the list of the Arabic titles with a possessive
// pronoun joined to them, built once from the titles.
const titlePossessive = "title+possessive"

func init() {
	m := map[string]bool{}
	for w := range lists["title"] {
		if !isArabicWord(w) {
			continue
		}
		base := strings.TrimPrefix(w, "ال")
		if utf8.RuneCountInString(base) < 3 {
			continue
		}
		for _, suf := range []string{"نا", "ها", "هم", "كم", "ي", "ه", "ك"} {
			m[base+suf] = true
		}
		if st, ok := strings.CutSuffix(base, "ه"); ok {
			for _, suf := range []string{"تنا", "تها", "تهم", "تكم", "تي", "ته", "تك"} {
				m[st+suf] = true
			}
		}
	}
	lists[titlePossessive] = m
}

// titleGap reports whether what stands between a title and word i keeps
// them together: spaces, an abbreviation's full stop, an apposition's comma.
func titleGap(t *text, i int) bool {
	g := t.gap(i)
	if len(g) == 0 || len(g) > 3 {
		return false
	}
	for _, r := range g {
		if !unicode.IsSpace(r) && r != '.' && r != ',' && r != '،' && r != ':' {
			return false
		}
	}
	return true
}

// nameWord reports whether word i may be a name: for a Latin word, a
// capitalised word that is no ordinary word, place or title; for an Arabic
// word, one that is no ordinary word, verb, title or place, and has no
// article (unless it is a family name). strict asks, for an Arabic word,
// that it be a given name or look like a family name.
func nameWord(t *text, i int, strict bool) bool {
	w := t.words[i]
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	if !isArabicWord(w) {
		if !t.capital(i) || !unicode.IsLetter(t.rs[t.toks[i].start]) {
			return false
		}
		// A word glued to digits is a code (HbA1c, B12), not a name.
		if tk := t.toks[i]; (tk.start > 0 && digitValue(t.rs[tk.start-1]) >= 0) || (tk.end < len(t.rs) && digitValue(t.rs[tk.end]) >= 0) {
			return false
		}
		base := w
		if len(w) > 2 && w[1] == '\'' {
			base = w[2:]
		}
		if lists["common"][base] || lists["place"][base] || lists["title"][strings.TrimSuffix(base, ".")] || lists["institution"][base] || lists["speech"][base] {
			return false
		}
		// Short words in capitals are acronyms (NGO, MRN), not names.
		if raw := t.raw(i); utf8.RuneCountInString(raw) <= 4 && strings.ToUpper(raw) == raw && !given.latinGiven(w, t.buf) {
			return false
		}
		return true
	}
	if tanween(t.rs[t.toks[i].start:t.toks[i].end]) || inList(t, i, "id-label") || inList(t, i, "phone-label") {
		return false
	}
	if particles[w] || (utf8.RuneCountInString(w) < 3 && given.arabic[w] == nil) {
		return false // a particle alone (أبو), or two letters (أن، إن)
	}
	if inList(t, i, "common-ar") || inList(t, i, "title") || inList(t, i, "speech") || inList(t, i, "care") || inList(t, i, "place") || inList(t, i, "institution") {
		return false
	}
	if given.arabicGiven(w) != nil {
		return true
	}
	if hasArticle(w) {
		return familyWord(t, i) || honorificFamily(t, i)
	}
	if strict {
		return false
	}
	// Present-tense verbs start with ي ت ن, and adjectives agreeing with a
	// feminine title end in ة (مراجعة قلقة); names rarely do without being
	// in the names data. Nor does a name end like a verb with its object
	// (أهانتها, ضربوها, شتمتهم).
	if r, _ := utf8.DecodeRuneInString(w); (r == 'ي' || r == 'ت' || r == 'ن') && utf8.RuneCountInString(w) >= 3 {
		return false
	}
	if utf8.RuneCountInString(w) >= 5 {
		for _, suf := range []string{"تها", "وها", "تهم", "وهم", "تهن", "ناها", "تني", "وني"} {
			if strings.HasSuffix(w, suf) {
				return false
			}
		}
	}
	return !strings.HasSuffix(w, "ه")
}

// hasArticle reports whether an Arabic word carries the article, after a
// conjunction or preposition.
func hasArticle(w string) bool {
	for _, p := range [...]string{"", "و", "ف"} {
		r, ok := strings.CutPrefix(w, p)
		if !ok {
			continue
		}
		for _, q := range [...]string{"", "ب", "ك"} {
			if r2, ok := strings.CutPrefix(r, q); ok && strings.HasPrefix(r2, "ال") {
				return true
			}
		}
		if strings.HasPrefix(r, "لل") {
			return true
		}
	}
	return false
}

// familyWord reports whether an Arabic word with the article is a family
// name: a nisba (ending in ي) that is no adjective of the lists, not a
// place, and not agreeing with a noun with the article before it (الطبيب
// النفسي), unless that noun is a title (الدكتور التميمي).
func familyWord(t *text, i int) bool {
	w := t.words[i]
	if !hasArticle(w) {
		return false
	}
	if familyName(t, i) {
		return !institutionAround(t, i, i+1)
	}
	if !strings.HasSuffix(w, "ي") || utf8.RuneCountInString(w) < 5 || t.rs[t.toks[i].end-1] == 'ى' {
		return false
	}
	if inList(t, i, "nisba") || inList(t, i, "place") || inList(t, i, "common-ar") || inList(t, i, "title") || tanween(t.rs[t.toks[i].start:t.toks[i].end]) {
		return false
	}
	if i > 0 && isArabicWord(t.words[i-1]) && hasArticle(t.words[i-1]) && !isTitle(t, i-1) {
		return false
	}
	return !institutionAround(t, i, i+1)
}

// familyRun finds a family name with the article at word i: التميمي, or
// al-Tamimi / El Sayed in Latin letters.
func familyRun(t *text, i int) int {
	w := t.words[i]
	if isArabicWord(w) {
		if familyWord(t, i) {
			return i + 1
		}
		return i
	}
	if familyName(t, i) && !institutionAround(t, i, i+1) {
		return i + 1
	}
	if (w != "al" && w != "el") || i+1 >= len(t.toks) || !nameGap(t.gap(i+1)) || !nameWord(t, i+1, false) {
		return i
	}
	if institutionAround(t, i, i+2) {
		return i
	}
	return i + 2
}

// institutionAround reports whether the words [from, to) name an
// institution or a place: a word such as Hospital after them, or مستشفى,
// King, شارع before them.
func institutionAround(t *text, from, to int) bool {
	if to < len(t.toks) && inList(t, to, "institution") && t.words[to] != "" {
		if !isArabicWord(t.words[to]) || strings.HasPrefix(t.words[to], "ال") {
			return true
		}
	}
	// In Latin letters an institution's name runs on in capitals before
	// its word: King Hussein Cancer Center, Prince Hamza Hospital.
	for k := to; k < len(t.toks) && k < to+3 && !isArabicWord(t.words[k]) && nameGap(t.gap(k)) && t.capital(k); k++ {
		if k > to && inList(t, k, "institution") {
			return true
		}
	}
	for k := from - 1; k >= 0 && k >= from-2; k-- {
		if inList(t, k, "institution") || (k == from-1 && inList(t, k, "institution-before")) {
			return true
		}
		if !isArabicWord(t.words[k]) {
			break
		}
	}
	return false
}

// nameRun returns the end of the name starting at word i (after a title),
// or i when there is none: a name word, then more name words, particles
// and family names, up to four words.
func nameRun(t *text, i int, taken []bool) int {
	if i >= len(t.toks) || taken[i] {
		return i
	}
	if to := kunyaRun(t, i, taken); to > i {
		return to
	}
	if to := familyRun(t, i); to > i {
		return to
	}
	if !nameWord(t, i, false) {
		return i
	}
	to := surnameRun(t, i+1, taken)
	if institutionAround(t, i, to) {
		return i
	}
	return to
}

// surnameRun extends a name from word i: more capitalised words in Latin
// script, given names or family names in Arabic, particles and the word
// after them; it returns the end.
func surnameRun(t *text, i int, taken []bool) int {
	end := i
	for k := i; k < len(t.toks) && k < i+3; k++ {
		if taken[k] || !nameGap(t.gap(k)) {
			break
		}
		w := t.words[k]
		if particles[w] && k+1 < len(t.toks) && nameGap(t.gap(k+1)) && !taken[k+1] && nameWord(t, k+1, true) {
			if !isArabicWord(w) || w == "بن" || w == "بنت" || w == "ابن" || w == "ابو" {
				k++
				end = k + 1
				continue
			}
		}
		if isArabicWord(w) {
			if !nameWord(t, k, true) {
				break
			}
		} else if !nameWord(t, k, false) {
			break
		}
		end = k + 1
	}
	if end > i && institutionAround(t, i, end) {
		return i
	}
	return end
}

// kunyaRun finds a kunya or patronymic at word i (Abu Ali, Umm Khaled,
// bin Hassan, أبو محمد، أم سامي، بنت علي) and returns the end of the name,
// or i.
func kunyaRun(t *text, i int, taken []bool) int {
	w := t.words[i]
	if i+1 >= len(t.toks) || taken[i+1] || !nameGap(t.gap(i+1)) {
		return i
	}
	switch w {
	case "abu", "abou", "abo", "umm", "um", "oum", "om", "bin", "ben", "bint", "ibn":
		if allCaps(t, i) {
			return i
		}
		if (w == "bin" || w == "ben" || w == "um" || w == "om") && !t.capital(i) {
			// lower case only inside a name: Ali bin Hassan
			if i == 0 || !t.capital(i-1) || !nameGap(t.gap(i)) {
				return i
			}
		}
		if !nameWord(t, i+1, false) {
			return i
		}
		return surnameRun(t, i+2, taken)
	}
	if !isArabicWord(w) {
		return i
	}
	stem := ""
	eachVariant(w, func(c string) bool {
		switch c {
		case "ابو", "ابي", "ابا", "ام", "بن", "بنت", "ابن", "ابنه":
			stem = c
			return false
		}
		return true
	})
	if stem == "" || articleStripped(w, stem) {
		return i
	}
	switch stem {
	case "ام", "ابن", "ابنه":
		// أم is also "or", ابن also "son": the next word must be a name.
		if given.arabicGiven(t.words[i+1]) == nil {
			return i
		}
	default:
		if !nameWord(t, i+1, false) && given.arabicGiven(t.words[i+1]) == nil {
			return i
		}
	}
	return surnameRun(t, i+2, taken)
}

// givenName reports whether word i is a given name of the names data and
// whether that name is also an ordinary word.
func givenName(t *text, i int) (ambiguous, ok bool) {
	w := t.words[i]
	if isArabicWord(w) {
		e := given.arabicGiven(w)
		if e == nil || inList(t, i, "common-ar") || tanween(t.rs[t.toks[i].start:t.toks[i].end]) {
			return false, false
		}
		return e.ambiguous, true
	}
	if !t.capital(i) || !nameWord(t, i, false) || !given.latinGiven(w, t.buf) {
		return false, false
	}
	// At a sentence start, a word the same text writes in lower case too
	// is that word (Pierre par pierre): a name only with a cue.
	if t.sentenceStart(i) && lowerElsewhere(t, i) {
		return true, true
	}
	return false, true
}

// lowerElsewhere reports whether the text writes word i in lower case
// somewhere else.
func lowerElsewhere(t *text, i int) bool {
	for j := range t.toks {
		if j != i && t.words[j] == t.words[i] && !t.capital(j) {
			return true
		}
	}
	return false
}

// speechVerb returns the index of a verb of speech or care next to word i
// that makes it a person (Maryam said, قالت مريم, helped Mustafa, Mariam a
// dit), or -1.
func speechVerb(t *text, i int) int {
	n := len(t.toks)
	next := func(k int) bool { return k < n && t.toks[k].start-t.toks[k-1].end <= 3 }
	if i+1 < n && next(i+1) {
		k := i + 1
		if !isArabicWord(t.words[k]) {
			// skip an auxiliary or adverb: Maryam also said, Rami has cried
			switch t.words[k] {
			case "also", "then", "later", "has", "had", "was", "is", "just", "again", "a", "avait", "lui", "nous", "a-t-elle":
				if k+1 < n && next(k+1) {
					k++
				}
			}
		}
		if inList(t, k, "speech") && punctFree(t.gap(i+1)) && lowerVerb(t, k) {
			return k
		}
	}
	if i > 0 && punctFree(t.gap(i)) && (inList(t, i-1, "speech") || inList(t, i-1, "care")) && lowerVerb(t, i-1) {
		return i - 1
	}
	if i > 1 && punctFree(t.gap(i)) && punctFree(t.gap(i-1)) && (inList(t, i-2, "care") || inList(t, i-2, "speech")) && lowerVerb(t, i-2) {
		// a pronoun or object between: told us Rami? no; helped our Rami
		if w := t.words[i-1]; w == "for" || w == "to" || w == "with" || w == "on" || w == "على" || w == "مع" {
			return i - 2
		}
	}
	return -1
}

// punctFree reports whether a gap between words is only spaces.
func punctFree(g []rune) bool {
	for _, r := range g {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return len(g) > 0
}

// honorificFamily reports whether word i, with the article, is a family
// name after an honorific (السيد القضاة، الدكتورة النجار): not a participle
// (الم…: المناوب، المقيم), and no word of the lists.
func honorificFamily(t *text, i int) bool {
	if i == 0 || !inList(t, i-1, "honorific") {
		return false
	}
	w := t.words[i]
	rest := w[strings.Index(w, "ال")+len("ال"):]
	if strings.HasPrefix(rest, "م") || utf8.RuneCountInString(rest) < 3 {
		return false
	}
	return !inList(t, i, "nisba") && !inList(t, i, "common-ar") && !inList(t, i, "place") && !inList(t, i, "title") &&
		!tanween(t.rs[t.toks[i].start:t.toks[i].end])
}

// lowerVerb reports whether word k, a verb, is written as in running text:
// a Latin verb with a capital is a heading's word (Peer SUPPORT), not a
// verb of the sentence, unless it starts the sentence.
func lowerVerb(t *text, k int) bool {
	if isArabicWord(t.words[k]) {
		return true
	}
	return !t.capital(k) || (t.sentenceStart(k) && !allCaps(t, k))
}

// allCaps reports whether word k is written in capitals only (a heading):
// its capital says nothing about a name.
func allCaps(t *text, k int) bool {
	raw := t.raw(k)
	return utf8.RuneCountInString(raw) > 1 && strings.ToUpper(raw) == raw && strings.ToLower(raw) != raw
}

// compoundRun finds an Arabic compound given name at word i and returns
// its end, or i: عبد and a word with the article (عبد الرحمن, وعبد الله),
// Abdul, Abd or Abdel and a capitalised word, a word before الدين or الهدى.
func compoundRun(t *text, i int, taken []bool) int {
	n := len(t.toks)
	if i+1 >= n || taken[i+1] || !nameGap(t.gap(i+1)) {
		return i
	}
	w, next := t.words[i], t.words[i+1]
	if isArabicWord(w) {
		abd := !eachVariant(w, func(c string) bool { return c != "عبد" })
		if abd && isArabicWord(next) && strings.HasPrefix(next, "ال") && utf8.RuneCountInString(next) >= 4 {
			return i + 2
		}
		if (next == "الدين" || next == "الهدي") && utf8.RuneCountInString(w) >= 2 && !inList(t, i, "common-ar") {
			return i + 2
		}
		return i
	}
	switch w {
	case "abdul", "abd", "abdel", "abdal", "abdoul":
		if t.capital(i) && t.capital(i+1) {
			return i + 2
		}
	}
	return i
}

// honorificsBare are the Arabic titles without the article that stand
// before a name as such (دكتور سامي, الحاج → حاج محمود).
var honorificsBare = map[string]bool{"د": true, "دكتور": true, "دكتوره": true, "حاج": true, "حاجه": true, "شيخ": true,
	"استاذ": true, "استاذه": true, "سيد": true, "سيده": true, "انسه": true}

// roleNoun reports whether title word i is an Arabic role noun without the
// article or a possessive (مريض, ممرضة): "a patient", after which an
// adjective follows more often than a name.
func roleNoun(t *text, i int) bool {
	w := t.words[i]
	if !isArabicWord(w) || honorificsBare[w] || strings.HasPrefix(w, "ال") || inList(t, i, titlePossessive) {
		return false
	}
	l := lists["title"]
	return !eachVariant(w, func(c string) bool { return !(l[c] && l["ال"+c] && !honorificsBare[c]) })
}
