package guard

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// The guard's word lists, kept in the repository and embedded in the
// binary: nothing is fetched at run time. data/README.md says where they
// come from.

//go:embed data/given-ar.txt
var givenArText string

//go:embed data/given-latin.txt
var givenLatinText string

//go:embed data/family-ar.txt
var familyArText string

//go:embed data/cues.txt
var cuesText string

//go:embed data/words-en.txt
var wordsEnText string

// englishWord reports whether a canonical Latin word is an ordinary English
// word (SCOWL's lower-case words, data/words-en.txt, one per line in byte
// order). It searches the embedded list itself, halving the lines left at
// each step: a map of its 60 000 words was the largest thing on the
// server's heap (4 MB of the 20 MB live, issue 14); the search costs about
// sixteen comparisons and allocates nothing.
func englishWord(w string) bool {
	text := wordsEnText
	lo, hi := 0, len(text) // text[lo:hi] is whole lines
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := lo + strings.LastIndexByte(text[lo:mid], '\n') + 1
		end := strings.IndexByte(text[start:hi], '\n')
		if end < 0 {
			end = hi
		} else {
			end += start
		}
		switch line := text[start:end]; {
		case line == w:
			return true
		case line < w:
			lo = end + 1
		default:
			hi = start
		}
	}
	return false
}

// lists holds the sections of cues.txt as sets of canonical words.
var lists = parseLists(cuesText)

func parseLists(text string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	var cur map[string]bool
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			name := line[1 : len(line)-1]
			if out[name] == nil {
				out[name] = map[string]bool{}
			}
			cur = out[name]
			continue
		}
		if cur == nil {
			continue
		}
		for _, w := range strings.Fields(line) {
			cur[canonicalWord(w)] = true
		}
	}
	return out
}

// canonicalWord is canonical for a word given as a string.
func canonicalWord(w string) string { return canonical([]rune(w)) }

// givenEntry is a given name of the names data.
type givenEntry struct {
	units      []byte
	arabic     bool
	ambiguous  bool // also an ordinary word in its script: needs a cue
	everywhere bool // an ordinary word in Latin letters too (Ramadan, Eid)
}

// given indexes the names data: Arabic names by canonical form, and every
// name by skeleton for Latin spellings.
type givenIndex struct {
	arabic map[string]*givenEntry // canonical Arabic form
	latin  map[string]*givenEntry // canonical Latin form (given-latin.txt)
	skel   map[string][]*givenEntry
}

var given = buildGiven()

func buildGiven() *givenIndex {
	g := &givenIndex{arabic: map[string]*givenEntry{}, latin: map[string]*givenEntry{}, skel: map[string][]*givenEntry{}}
	add := func(line string, arabic bool) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			return
		}
		amb := strings.HasPrefix(line, "*")
		every := strings.HasPrefix(line, "**")
		w := canonicalWord(strings.TrimLeft(line, "*"))
		if utf8.RuneCountInString(w) < 2 {
			return
		}
		e := &givenEntry{arabic: arabic, ambiguous: amb, everywhere: every}
		if arabic {
			e.units = arabicUnits(w, nil)
			if old := g.arabic[w]; old != nil {
				old.ambiguous = old.ambiguous || amb
				return
			}
			g.arabic[w] = e
		} else {
			e.units = latinUnits(w, nil)
			g.latin[w] = e
		}
		k := string(skeleton(e.units, nil))
		g.skel[k] = append(g.skel[k], e)
	}
	for _, l := range strings.Split(givenArText, "\n") {
		add(l, true)
	}
	for _, l := range strings.Split(givenLatinText, "\n") {
		add(l, false)
	}
	return g
}

// latinGiven reports whether a canonical Latin word is a given name of the
// names data, spelled as listed or in a spelling of an Arabic name at
// distance 0.
func (g *givenIndex) latinGiven(w string, buf []byte) bool {
	if utf8.RuneCountInString(w) < 3 {
		return false
	}
	if g.latin[w] != nil {
		return true
	}
	for _, v := range latinReadings(w) {
		u := latinUnits(v, buf)
		var sk [32]byte
		for _, e := range g.skel[string(skeleton(u, sk[:0]))] {
			if e.arabic && !e.everywhere && distance(e.units, true, u, false, 0) == 0 {
				return true
			}
		}
	}
	return false
}

// latinReadings returns a Latin word and, when it writes "th", the word
// with "dh": th stands for ث and for ذ (Muath, Moath for معاذ).
func latinReadings(w string) []string {
	if !strings.Contains(w, "th") {
		return []string{w}
	}
	return []string{w, strings.ReplaceAll(w, "th", "dh")}
}

// arabicGiven returns the names-data entry of a canonical Arabic word, with
// the conjunction and preposition prefixes but never the article (النور is
// the light, not Nour).
func (g *givenIndex) arabicGiven(w string) *givenEntry {
	var found *givenEntry
	eachVariant(w, func(c string) bool {
		if e := g.arabic[c]; e != nil && !hasArticleStripped(w, c) {
			found = e
			return false
		}
		return true
	})
	return found
}

// hasArticleStripped reports whether c was reached from w by removing an
// article.
func hasArticleStripped(w, c string) bool {
	i := strings.Index(w, c)
	return i >= len("ال") && w[i-len("ال"):i] == "ال"
}

// familyNames are the family names of data/family-ar.txt: by canonical
// Arabic form without the article, and by skeleton for Latin spellings.
var familyNames = func() *givenIndex {
	g := &givenIndex{arabic: map[string]*givenEntry{}, skel: map[string][]*givenEntry{}}
	for _, line := range strings.Split(familyArText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		w := canonicalWord(line)
		e := &givenEntry{arabic: true, units: arabicUnits(w, nil)}
		g.arabic[w] = e
		k := string(skeleton(e.units, nil))
		g.skel[k] = append(g.skel[k], e)
	}
	return g
}()

// familyName reports whether word i is a family name of the list: in
// Arabic with the article (after a conjunction or preposition), in Latin
// letters with a capital, in a spelling at distance 0.
func familyName(t *text, i int) bool {
	w := t.words[i]
	if isArabicWord(w) {
		found := false
		eachVariant(w, func(c string) bool {
			found = familyNames.arabic[c] != nil && hasArticleStripped(w, c)
			return !found
		})
		return found
	}
	if !t.capital(i) || utf8.RuneCountInString(w) < 4 || englishWord(w) {
		return false
	}
	for _, v := range latinReadings(w) {
		u := latinUnits(v, t.buf)
		var sk [32]byte
		for _, e := range familyNames.skel[string(skeleton(u, sk[:0]))] {
			if distance(e.units, true, u, false, 0) == 0 {
				return true
			}
		}
	}
	return false
}
