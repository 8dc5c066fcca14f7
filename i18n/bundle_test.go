package i18n

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadFS(t *testing.T) {
	const ok = `{"nav.home": "Home"}`
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings the error must contain; none means success
	}{
		{"several files of one language are merged", map[string]string{
			"en/core.json":   `{"nav.home": "Home"}`,
			"en/groups.json": `{"groups.title": "Groups"}`,
		}, nil},
		{"files that are not JSON are ignored", map[string]string{
			"en/core.json": ok, "en/README.md": "notes", "NOTES.txt": "x",
		}, nil},
		{"a key in two files of one language names both files", map[string]string{
			"en/core.json":   `{"nav.home": "Home"}`,
			"en/groups.json": `{"nav.home": "Start"}`,
		}, []string{`"nav.home"`, "en/core.json", "en/groups.json"}},
		{"the same key in two languages is fine", map[string]string{
			"en/core.json": ok, "ar/core.json": `{"nav.home": "الرئيسية"}`,
		}, nil},
		{"a key twice in one file is an error", map[string]string{
			"en/core.json": `{"nav.home": "Home", "nav.home": "Start"}`,
		}, []string{"en/core.json", `"nav.home" is defined twice`}},
		{"malformed JSON is an error", map[string]string{
			"en/core.json": `{"nav.home": "Home",}`,
		}, []string{"en/core.json", "invalid JSON"}},
		{"a truncated file is an error", map[string]string{
			"en/core.json": `{"nav.home": "Ho`,
		}, []string{"en/core.json", "invalid JSON"}},
		{"data after the object is an error", map[string]string{
			"en/core.json": `{"nav.home": "Home"} {}`,
		}, []string{"en/core.json", "after the catalogue object"}},
		{"a catalogue must be an object", map[string]string{
			"en/core.json": `["Home"]`,
		}, []string{"en/core.json", "JSON object"}},
		{"a message must be a string or plural object", map[string]string{
			"en/core.json": `{"count": 3}`,
		}, []string{`"count"`, "string or an object of plural forms"}},
		{"a plural message needs other", map[string]string{
			"en/core.json": `{"peers": {"one": "{0} peer"}}`,
		}, []string{`"peers"`, `"other"`}},
		{"a plural category must be a CLDR one", map[string]string{
			"en/core.json": `{"peers": {"single": "{0} peer", "other": "{0} peers"}}`,
		}, []string{`unknown plural category "single"`}},
		{"a plural category twice is an error", map[string]string{
			"en/core.json": `{"peers": {"one": "a", "one": "b", "other": "c"}}`,
		}, []string{`plural category "one" is defined twice`}},
		{"a plural form must be a string", map[string]string{
			"en/core.json": `{"peers": {"one": ["a"], "other": "c"}}`,
		}, []string{`plural form "one" must be a string`}},
		{"an empty key is an error", map[string]string{
			"en/core.json": `{"": "Home"}`,
		}, []string{"empty message key"}},
		{"an unsupported language directory is an error", map[string]string{
			"en/core.json": ok, "de/core.json": `{"nav.home": "Start"}`,
		}, []string{"de: not a supported language"}},
		{"a subdirectory inside a language is an error", map[string]string{
			"en/core.json": ok, "en/groups/x.json": ok,
		}, []string{"en/groups", "not subdirectories"}},
		{"English is required", map[string]string{
			"ar/core.json": `{"nav.home": "الرئيسية"}`,
		}, []string{"no en messages"}},
		{"every broken file is reported at once", map[string]string{
			"en/core.json": `{`, "fr/core.json": `[`,
		}, []string{"en/core.json", "fr/core.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(files(tt.files))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestKeysAndMissing(t *testing.T) {
	b := MustLoadFS(t, fstest.MapFS{
		"en/core.json":   {Data: []byte(`{"b": "B", "a": "A"}`)},
		"en/groups.json": {Data: []byte(`{"c": "C"}`)},
		"ar/core.json":   {Data: []byte(`{"a": "أ", "b": "ب", "c": "ج"}`)},
		"fr/core.json":   {Data: []byte(`{"b": "B"}`)},
	})
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"English keys from all files come sorted", b.Keys("en"), []string{"a", "b", "c"}},
		{"French keys are only its own", b.Keys("fr"), []string{"b"}},
		{"an unknown language has no keys", b.Keys("de"), nil},
		{"French is missing what it has not translated", b.Missing("fr"), []string{"a", "c"}},
		{"complete Arabic is missing nothing", b.Missing("ar"), nil},
		{"an unknown language is missing everything", b.Missing("de"), []string{"a", "b", "c"}},
		{"the offered languages start with English", b.Languages(), []string{"en", "ar", "fr"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Equal(tt.got, tt.want) {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	t.Run("the languages slice is the caller's to change", func(t *testing.T) {
		b.Languages()[0] = "xx"
		if got := b.Languages()[0]; got != "en" {
			t.Errorf("Languages()[0] = %q after a caller changed its copy", got)
		}
	})
}
