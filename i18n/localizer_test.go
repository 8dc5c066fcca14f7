package i18n

import (
	"testing"
	"time"
)

// testCatalogues is a small set of catalogues for behaviour that should not
// depend on the real wording.
var testCatalogues = map[string]string{
	"en/core.json": `{
  "invite": "{0} invited {1}",
  "both": "{0} and {0} again",
  "literal": "Use {name} or {} or {123} as they are",
  "group.members": "{0} has {1} members",
  "peers": {"one": "{0} peer", "other": "{0} peers"},
  "only.english": "Only in English",
  "only.english.count": {"one": "{0} week", "other": "{0} weeks"}
}`,
	"fr/core.json": `{
  "invite": "{1} a été invité·e par {0}",
  "both": "{0} et encore {0}",
  "literal": "Utilisez {name}, {} ou {123} tels quels",
  "group.members": {"one": "{0} a {1} membre", "other": "{0} a {1} membres"},
  "peers": {"one": "{0} pair", "other": "{0} pairs"}
}`,
	"ar/core.json": `{
  "invite": "دعا {0} {1}",
  "both": "{0} ثم {0}",
  "literal": "{name} {} {123}",
  "group.members": {"zero": "لا أعضاء في {0}", "one": "عضو واحد في {0}", "other": "{1} عضو في {0}"},
  "peers": {"zero": "لا أقران", "one": "قرين واحد", "two": "قرينان", "few": "{0} أقران", "many": "{0} قرينًا", "other": "{0} قرين"},
  "only.english": "بالعربية",
  "only.english.count": {"other": "{0} أسبوع"}
}`,
}

func TestT(t *testing.T) {
	b := MustLoadFS(t, files(testCatalogues))
	tests := []struct {
		name string
		lang string
		key  string
		args []any
		want string
	}{
		{"placeholders are filled in order", "en", "invite", []any{"Amal", "Omar"}, "Amal invited Omar"},
		{"a translation can reorder placeholders", "fr", "invite", []any{"Amal", "Omar"}, "Omar a été invité·e par Amal"},
		{"a placeholder can repeat", "fr", "both", []any{"x"}, "x et encore x"},
		{"a missing argument stays visible", "en", "invite", []any{"Amal"}, "Amal invited {1}"},
		{"no arguments leaves the text as written", "en", "invite", nil, "{0} invited {1}"},
		{"braces that are not placeholders are kept", "en", "literal", []any{"a"}, "Use {name} or {} or {123} as they are"},
		{"the first integer argument chooses the plural form", "fr", "group.members", []any{"Le Cercle", 1}, "Le Cercle a 1 membre"},
		{"the plural count can be a later argument", "fr", "group.members", []any{"Le Cercle", 12}, "Le Cercle a 12 membres"},
		{"English uses the singular for one", "en", "peers", []any{1}, "1 peer"},
		{"English uses the plural for zero", "en", "peers", []any{0}, "0 peers"},
		{"French uses the singular for zero", "fr", "peers", []any{0}, "0 pair"},
		{"Arabic has a form for zero", "ar", "peers", []any{0}, "لا أقران"},
		{"Arabic has a dual", "ar", "peers", []any{2}, "قرينان"},
		{"Arabic uses few for 3 with Arabic-Indic digits", "ar", "peers", []any{3}, "٣ أقران"},
		{"Arabic uses many for 11", "ar", "peers", []any{11}, "١١ قرينًا"},
		{"Arabic uses other for 101", "ar", "peers", []any{101}, "١٠١ قرين"},
		{"a form the translation omits falls back to other", "ar", "group.members", []any{"الدائرة", 5}, "٥ عضو في الدائرة"},
		{"a plural message without any integer uses other", "en", "peers", []any{"many"}, "many peers"},
		{"integers are grouped for the language", "en", "peers", []any{1234}, "1,234 peers"},
		{"French groups with a narrow no-break space", "fr", "peers", []any{1234}, "1\u202f234 pairs"},
		{"a key missing in French is shown in English", "fr", "only.english", nil, "Only in English"},
		{"an English fallback chooses its form by English rules", "fr", "only.english.count", []any{0}, "0 weeks"},
		{"a key missing everywhere is marked", "ar", "no.such.key", nil, "!no.such.key!"},
		{"a key missing everywhere is marked in English too", "en", "no.such.key", []any{1}, "!no.such.key!"},
		{"dates as arguments are formatted for the language", "fr", "invite", []any{time.Date(2026, 12, 8, 14, 0, 0, 0, time.UTC), "x"}, "x a été invité·e par mardi 8 décembre 2026 à 14:00"},
		{"weekdays as arguments are names", "ar", "invite", []any{time.Tuesday, time.December}, "دعا الثلاثاء كانون الأول"},
		{"floats as arguments use the language's separator", "fr", "invite", []any{2.5, float32(0.1)}, "0,1 a été invité·e par 2,5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Localizer(tt.lang).T(tt.key, tt.args...); got != tt.want {
				t.Errorf("%s T(%q, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
			}
		})
	}
}

func TestHas(t *testing.T) {
	b := MustLoadFS(t, files(testCatalogues))
	tests := []struct {
		name string
		lang string
		key  string
		want bool
	}{
		{"a translated key is there", "fr", "invite", true},
		{"a key English has counts for French", "fr", "only.english", true},
		{"a key nobody has is not there", "fr", "no.such.key", false},
		{"a key nobody has is not there in English either", "en", "no.such.key", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Localizer(tt.lang).Has(tt.key); got != tt.want {
				t.Errorf("%s Has(%q) = %v, want %v", tt.lang, tt.key, got, tt.want)
			}
		})
	}
}

func TestLocalizerChoice(t *testing.T) {
	b := MustLoad(t)
	tests := []struct {
		name, asked, lang, dir string
	}{
		{"English reads left to right", "en", "en", "ltr"},
		{"Arabic reads right to left", "ar", "ar", "rtl"},
		{"French reads left to right", "fr", "fr", "ltr"},
		{"a region tag uses its language", "ar-JO", "ar", "rtl"},
		{"case does not matter", "FR", "fr", "ltr"},
		{"an unknown language gets English", "de", "en", "ltr"},
		{"an empty language gets English", "", "en", "ltr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := b.Localizer(tt.asked)
			if l.Lang() != tt.lang || l.Dir() != tt.dir {
				t.Errorf("Localizer(%q) = %s %s, want %s %s", tt.asked, l.Lang(), l.Dir(), tt.lang, tt.dir)
			}
		})
	}
}

func TestMembersCount(t *testing.T) {
	b := MustLoad(t)
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 members"},
		{"en", 1, "1 member"},
		{"en", 2, "2 members"},
		{"en", 1234, "1,234 members"},
		{"fr", 0, "0 membre"},
		{"fr", 1, "1 membre"},
		{"fr", 2, "2 membres"},
		{"fr", 1_000_000, "1\u202f000\u202f000 de membres"},
		{"ar", 0, "لا أعضاء"},
		{"ar", 1, "عضو واحد"},
		{"ar", 2, "عضوان"},
		{"ar", 3, "٣ أعضاء"},
		{"ar", 10, "١٠ أعضاء"},
		{"ar", 11, "١١ عضوًا"},
		{"ar", 99, "٩٩ عضوًا"},
		{"ar", 100, "١٠٠ عضو"},
		{"ar", 101, "١٠١ عضو"},
		{"ar", 102, "١٠٢ عضو"},
		{"ar", 111, "١١١ عضوًا"},
	}
	for _, tt := range tests {
		t.Run(languageNames[tt.lang]+" says "+tt.want, func(t *testing.T) {
			if got := b.Localizer(tt.lang).T("common.members_count", tt.n); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
