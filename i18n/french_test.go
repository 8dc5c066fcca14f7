package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestFrenchPunctuationDoesNotBreakFromItsWord(t *testing.T) {
	b := MustLoadFS(t, fstest.MapFS{
		"en/core.json": {Data: []byte(`{"q": "Ready?", "n": {"one": "{0} peer", "other": "{0} peers"}}`)},
		"fr/core.json": {Data: []byte(`{"q": "Prêt ? Dites « oui » : c’est tout ; merci !", "n": {"one": "{0} pair ?", "other": "{0} pairs ?"}}`)},
	})
	fr := b.Localizer("fr")
	tests := []struct {
		name, got, want string
	}{
		{"spaces before ? : ; ! and inside guillemets are narrow no-break spaces", fr.T("q"), "Prêt\u202f? Dites «\u202foui\u202f»\u202f: c’est tout\u202f; merci\u202f!"},
		{"plural forms too", fr.T("n", 2), "2 pairs\u202f?"},
		{"English is left alone", b.Localizer("en").T("q"), "Ready?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// TestFrenchPagesHaveNoBreakableSpaceBeforePunctuation checks the real
// catalogues as pages show them.
func TestFrenchPagesHaveNoBreakableSpaceBeforePunctuation(t *testing.T) {
	b := MustLoad(t)
	fr := b.Localizer("fr")
	for _, key := range b.Keys("fr") {
		got := fr.T(key, "x", 2, "y", "z")
		for _, bad := range []string{" :", " ;", " ?", " !", " »", "« "} {
			if strings.Contains(got, bad) {
				t.Errorf("fr %q renders %q with a breakable space in %q", key, got, bad)
			}
		}
	}
}
