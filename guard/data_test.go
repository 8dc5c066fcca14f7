package guard

import (
	"strings"
	"testing"
)

// englishWord searches data/words-en.txt by halving it, which finds a word
// only if the lines are in byte order with no blanks: every word of the
// list must be found, and words between, before and after them must not.
func TestEnglishWordFindsEveryWordOfTheListAndNoOther(t *testing.T) {
	words := strings.Split(strings.TrimSuffix(wordsEnText, "\n"), "\n")
	if len(words) < 50000 {
		t.Fatalf("the list has %d words", len(words))
	}
	for i, w := range words {
		if w == "" || strings.TrimSpace(w) != w {
			t.Fatalf("line %d is %q: the list must hold one word per line", i+1, w)
		}
		if i > 0 && words[i-1] >= w {
			t.Fatalf("line %d %q is not after %q: the list must be in byte order (LC_ALL=C sort -u)", i+1, w, words[i-1])
		}
		if !englishWord(w) {
			t.Errorf("%q (line %d) is not found", w, i+1)
		}
		// A word that sorts just after w, and a prefix of w, are not
		// in the list unless they are the next word or an earlier one.
		if after := w + "\x00"; englishWord(after) {
			t.Errorf("%q is found", after)
		}
		if p := w[:len(w)-1]; p != "" && englishWord(p) != contains(words[:i], p) {
			t.Errorf("prefix %q of %q: found %v", p, w, englishWord(p))
		}
	}
	for _, w := range []string{"", "a\x00", "\x00", "~", "zzzzzz", "haddad", "khalil", "AARDVARK"} {
		if englishWord(w) {
			t.Errorf("%q is found", w)
		}
	}
	for _, w := range []string{"aardvark", "nurse", "shift", "zygotes"} {
		if !englishWord(w) {
			t.Errorf("%q is not found", w)
		}
	}
}

// contains is a linear search of sorted words, from the end (a prefix of
// a word sorts just before it).
func contains(words []string, w string) bool {
	for i := len(words) - 1; i >= 0; i-- {
		if words[i] == w {
			return true
		}
		if words[i] < w {
			return false
		}
	}
	return false
}

func BenchmarkEnglishWord(b *testing.B) {
	words := []string{"nurse", "haddad", "the", "zygotes", "khalil", "meeting"}
	for i := 0; b.Loop(); i++ {
		englishWord(words[i%len(words)])
	}
}
