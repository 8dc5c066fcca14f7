package i18n

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite the catalogue files under locales/ in canonical form")

// These tests read the catalogues embedded in the package, so they guard
// every catalogue file anyone adds later, not only core.json.

func TestEmbeddedCataloguesLoad(t *testing.T) {
	MustLoad(t)
}

// TestEveryLanguageHasTheEnglishKeys keeps Arabic and French complete: a
// key English has and a translation lacks shows its English text on an
// Arabic or French page, in the wrong language and, in Arabic, the wrong
// direction.
func TestEveryLanguageHasTheEnglishKeys(t *testing.T) {
	b := MustLoad(t)
	en := b.Keys("en")
	for _, lang := range []string{"ar", "fr"} {
		t.Run(languageNames[lang]+" has every English key and no other", func(t *testing.T) {
			own := b.Keys(lang)
			for _, k := range en {
				if _, found := slices.BinarySearch(own, k); !found {
					t.Errorf("%q is in English but not in %s; add it to the matching file under locales/%s", k, languageNames[lang], lang)
				}
			}
			for _, k := range own {
				if _, found := slices.BinarySearch(en, k); !found {
					t.Errorf("%q is in %s but not in English; English is the reference, add it under locales/en or remove it", k, languageNames[lang])
				}
			}
		})
	}
}

// TestFrenchUsesOneWordPerConcept keeps the French pages to one term for
// each thing PeerCircle names, so that a member who learns "rencontre" on
// the home page finds the same word on the group page and in the report.
// The words on the left were used for the same concepts before the
// catalogues were reviewed.
func TestFrenchUsesOneWordPerConcept(t *testing.T) {
	b := MustLoad(t)
	avoid := []struct{ word, use string }{
		{"réunion", "rencontre (a meeting)"},
		{"facilitat", "animateur, animer, animation (the facilitator)"},
		{"organisatrice", "organisateur (the role, as in role.organiser)"},
		{"résumé", "compte rendu (the summary, Sheet 2)"},
		{"séance de groupe", "rencontre"},
	}
	for key, m := range b.catalogues["fr"].messages {
		for c := range numCategories {
			if !m.has(c) {
				continue
			}
			text := strings.ToLower(m.byCategory(c).src)
			for _, a := range avoid {
				if strings.Contains(text, a.word) {
					t.Errorf("fr %q says %q; the French catalogues say %s", key, a.word, a.use)
				}
			}
		}
	}
}

// TestTranslationsUseTheEnglishPlaceholders catches a translation that
// drops a name or count, or refers to an argument the code never passes.
// Plural forms are taken together: Arabic "عضو واحد" needs no {0}.
func TestTranslationsUseTheEnglishPlaceholders(t *testing.T) {
	b := MustLoad(t)
	ref := b.catalogues[reference]
	for _, lang := range []string{"ar", "fr"} {
		for key, m := range b.catalogues[lang].messages {
			en, ok := ref.messages[key]
			if !ok {
				continue // reported by the key tests
			}
			if got, want := placeholderSet(m), placeholderSet(en); !slices.Equal(got, want) {
				t.Errorf("%s %q uses placeholders %v, English uses %v", lang, key, got, want)
			}
		}
	}
}

func placeholderSet(m *message) []int {
	var set []int
	for c := range numCategories {
		if m.has(c) {
			set = append(set, m.byCategory(c).placeholders()...)
		}
	}
	slices.Sort(set)
	return slices.Compact(set)
}

// TestPluralFormsAreOnesTheLanguageUses catches a form that can never be
// shown, such as "few" in English, usually a copy from another language.
func TestPluralFormsAreOnesTheLanguageUses(t *testing.T) {
	b := MustLoad(t)
	for _, lang := range languages {
		var used [numCategories]bool
		for n := uint64(0); n <= 200; n++ {
			used[pluralRules[lang](n)] = true
		}
		used[pluralRules[lang](1_000_000)] = true
		for key, m := range b.catalogues[lang].messages {
			for c := range numCategories {
				if m.has(c) && !used[c] {
					t.Errorf("%s %q has a %q form, which %s never uses", lang, key, c, languageNames[lang])
				}
			}
		}
	}
}

// TestArabicWritesArabicIndicDigits keeps one digit choice per Arabic
// page: a catalogue text that writes "(النموذج 2)" sits beside numbers the
// Localizer writes "٣". Digits inside a Latin code ("A4", "DHIS2",
// "2027Q1", "BYDAY=2TU") are part of the code and stay.
func TestArabicWritesArabicIndicDigits(t *testing.T) {
	b := MustLoad(t)
	for key, m := range b.catalogues["ar"].messages {
		for c := range numCategories {
			if !m.has(c) {
				continue
			}
			for _, sg := range m.byCategory(c).segs {
				if sg.arg >= 0 {
					continue
				}
				for _, tok := range latinTokens(sg.text) {
					if strings.ContainsAny(tok, "0123456789") && !strings.ContainsFunc(tok, isLatinLetter) {
						t.Errorf("ar %q writes %q in ASCII digits; write Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩)", key, tok)
					}
				}
			}
		}
	}
}

func isLatinLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// latinTokens splits text into runs of Latin letters, ASCII digits and the
// punctuation codes use inside a word.
func latinTokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(isLatinLetter(r) || r >= '0' && r <= '9' || strings.ContainsRune("=;,-", r))
	})
}

func TestTheBrandIsNotTranslated(t *testing.T) {
	b := MustLoad(t)
	for _, lang := range languages {
		t.Run("in "+languageNames[lang]+" the app is called PeerCircle", func(t *testing.T) {
			if got := b.Localizer(lang).T("app.name"); got != "PeerCircle" {
				t.Errorf("app.name = %q", got)
			}
		})
	}
}

// TestCataloguesSpeakOfMembersNotPatients keeps to UI.md: people in
// PeerCircle are members and peers, and choose the words that describe them.
func TestCataloguesSpeakOfMembersNotPatients(t *testing.T) {
	b := MustLoad(t)
	banned := map[string][]string{
		"en": {"patients"},
		"fr": {"patients", "patientes"},
		"ar": {"مرضى", "المرضى"},
	}
	for _, lang := range languages {
		for key, m := range b.catalogues[lang].messages {
			for c := range numCategories {
				text := strings.ToLower(m.byCategory(c).src)
				for _, word := range banned[lang] {
					if m.has(c) && strings.Contains(text, word) {
						t.Errorf("%s %q says %q; say members or peers", lang, key, word)
					}
				}
			}
		}
	}
}

// TestCatalogueFilesAreCanonical keeps every file sorted by key with
// two-space indentation and plural forms in CLDR order, so that engineers
// adding keys to the same file at the same time merge cleanly. Run
// `go test ./i18n -run Canonical -update` to rewrite the files.
func TestCatalogueFilesAreCanonical(t *testing.T) {
	fsys := os.DirFS("locales")
	names, err := fs.Glob(fsys, "*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no catalogue files under locales/")
	}
	for _, name := range names {
		t.Run(name+" is sorted and indented", func(t *testing.T) {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				t.Fatal(err)
			}
			entries, err := parseCatalogue(data)
			if err != nil {
				t.Fatal(err)
			}
			want := canonical(t, entries)
			if bytes.Equal(data, want) {
				return
			}
			if *update {
				if err := os.WriteFile(path.Join("locales", name), want, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			t.Errorf("locales/%s is not in canonical form (keys sorted, two-space indent, plural forms zero…other); run: go test ./i18n -run Canonical -update", name)
		})
	}
}

// canonical encodes a catalogue the one way the files are written.
func canonical(tb testing.TB, entries []entry) []byte {
	tb.Helper()
	str := func(s string) string {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // translators write "<" and "&" as they are
		if err := enc.Encode(s); err != nil {
			tb.Fatal(err)
		}
		return strings.TrimSuffix(b.String(), "\n")
	}
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	var b strings.Builder
	b.WriteString("{\n")
	for i, e := range entries {
		b.WriteString("  " + str(e.key) + ": ")
		if e.msg.plural == nil {
			b.WriteString(str(e.msg.text.src))
		} else {
			var forms []string
			for c := range numCategories {
				if e.msg.has(c) {
					forms = append(forms, "    "+str(c.String())+": "+str(e.msg.byCategory(c).src))
				}
			}
			b.WriteString("{\n" + strings.Join(forms, ",\n") + "\n  }")
		}
		if i < len(entries)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

func FuzzLoadCatalogue(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"nav.home": "Home"}`,
		`{"peers": {"one": "{0} peer", "other": "{0} peers"}}`,
		`{"a": "{1} and {0} and {99} and {100} and {"}`,
		`{"a": "x", "a": "y"}`,
		`{"a": {"one": "x"}}`,
		`{"a": {"other": {"one": "x"}}}`,
		`{"a": [1, 2]}`,
		`{"a": null}`,
		`{"a": "x"} trailing`,
		`{"a": "x",}`,
		`{"a" "x"}`,
		`[{"a": "x"}]`,
		`"just a string"`,
		`{"a": "\ud800"}`,
		"{\"a\": \"\xff\"}",
		``,
		`{`,
		`}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := LoadFS(fstest.MapFS{"en/core.json": {Data: data}})
		if !json.Valid(data) && err == nil {
			t.Fatalf("LoadFS accepted invalid JSON %q", data)
		}
		if err != nil {
			return
		}
		for _, lang := range languages {
			l := b.Localizer(lang)
			for _, k := range b.Keys(reference) {
				l.T(k)
				l.T(k, 0, "x", 2.5)
				l.T(k, "x", -101, nil)
			}
		}
	})
}

// TestOneTranslationPerConcept: where English uses the same words for the
// same thing on two pages, each translation does too, so the link in the
// footer and the page it opens have one name ("Need more support?" had two
// in Arabic). Same English words for different things ("Active" of a
// group and of a person, which Arabic and French inflect) are not listed.
func TestOneTranslationPerConcept(t *testing.T) {
	b := MustLoad(t)
	concepts := [][]string{
		{"nav.need_support", "support.title"},
		{"nav.organisation", "org.title"},
		{"safety.print", "summary.print", "report.print", "growth.print"},
		{"summary.title", "mydata.summary"},
		{"agenda.staff.closing", "segment.kind.closing"},
		{"agendas.segment", "live.segment"},
		{"summary.support_title", "report.support"},
		{"summary.site", "people.site", "scope.site", "site.name", "site.title", "report.site", "growth.field.site"},
		{"safety.kind.legal", "summary.support.legal", "report.support_kind.legal"},
		{"summary.review_title", "report.review"},
		{"rsvp.apologies", "turn.send_apologies"},
	}
	for _, keys := range concepts {
		en := b.Localizer("en").T(keys[0])
		for _, k := range keys[1:] {
			if got := b.Localizer("en").T(k); got != en {
				t.Fatalf("en %q is %q and %q is %q: not one concept, fix the list", keys[0], en, k, got)
			}
		}
		for _, lang := range []string{"ar", "fr"} {
			first := b.Localizer(lang).T(keys[0])
			for _, k := range keys[1:] {
				if got := b.Localizer(lang).T(k); got != first {
					t.Errorf("%s: %q is %q but %q is %q; one concept, one translation", lang, keys[0], first, k, got)
				}
			}
		}
	}
}
