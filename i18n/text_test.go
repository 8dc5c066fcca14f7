package i18n

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestListUsesTheLanguagesComma(t *testing.T) {
	b := MustLoad(t)
	names := []string{"Yara Nasser", "هدى", "Sara Khalil"}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"Arabic joins with the Arabic comma, each name isolated", b.Localizer("ar").List(names), FSI + "Yara Nasser" + PDI + "، " + FSI + "هدى" + PDI + "، " + FSI + "Sara Khalil" + PDI},
		{"English joins with a comma", b.Localizer("en").List(names), FSI + "Yara Nasser" + PDI + ", " + FSI + "هدى" + PDI + ", " + FSI + "Sara Khalil" + PDI},
		{"French joins with a comma", b.Localizer("fr").List(names[:2]), FSI + "Yara Nasser" + PDI + ", " + FSI + "هدى" + PDI},
		{"one item has no separator", b.Localizer("ar").List(names[:1]), FSI + "Yara Nasser" + PDI},
		{"no items is empty", b.Localizer("ar").List(nil), ""},
		{"a plain list is not isolated", b.Localizer("ar").PlainList([]string{"ميسّر", "عضو"}), "ميسّر، عضو"},
		{"the separator alone", b.Localizer("ar").ListSep(), "، "},
		{"an empty string is not isolated", Isolate(""), ""},
		{"isolating wraps in FSI and PDI", Isolate("Huda"), "\u2068Huda\u2069"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestDigitsFollowThePage(t *testing.T) {
	b := MustLoad(t)
	tests := []struct {
		name, lang, in, want string
	}{
		{"an Arabic page writes a score in its digits and decimal separator", "ar", "4.5 / 5", "٤٫٥ / ٥"},
		{"an Arabic page writes a date from the database in its digits", "ar", "2026-09-30", "٢٠٢٦-٠٩-٣٠"},
		{"an Arabic page writes 11.0 as in its own figures", "ar", "11.0", "١١٫٠"},
		{"a full stop after a number is punctuation", "ar", "Sheet 2.", "Sheet ٢."},
		{"a dotted date keeps its dots", "ar", "30.09.2026", "٣٠.٠٩.٢٠٢٦"},
		{"Arabic text without digits is unchanged", "ar", "النموذج", "النموذج"},
		{"English keeps everything", "en", "4.5 / 5", "4.5 / 5"},
		{"French writes a decimal comma", "fr", "4.5 / 5", "4,5 / 5"},
		{"French keeps a time", "fr", "14:00", "14:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Localizer(tt.lang).Digits(tt.in); got != tt.want {
				t.Errorf("Digits(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("DigitsIn is Digits by language code", func(t *testing.T) {
		if got := DigitsIn("ar", "11.0"); got != "١١٫٠" {
			t.Errorf("DigitsIn(ar, 11.0) = %q", got)
		}
		if got := DigitsIn("xx", "11.0"); got != "11.0" {
			t.Errorf("DigitsIn(xx, 11.0) = %q", got)
		}
	})
	t.Run("Digits agrees with Decimal", func(t *testing.T) {
		for _, lang := range []string{"en", "ar", "fr"} {
			l := b.Localizer(lang)
			if got, want := l.Digits("11.0"), l.Decimal(11, 1); got != want {
				t.Errorf("%s: Digits(11.0) = %q, Decimal(11, 1) = %q", lang, got, want)
			}
		}
	})
}

func FuzzDigits(f *testing.F) {
	for _, s := range []string{"", "4.5", "1.2.3", "a.1", "1.", ".1", "٤.5", "\xff1.2"} {
		f.Add(s)
	}
	b, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	ar := b.Localizer("ar")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.Contains(s, "٫") {
			return
		}
		got := ar.Digits(s)
		// Only digits and decimal points change: reading the digits back
		// and the separator as a point gives the text read the same way.
		back := strings.ReplaceAll(ParseDigits(got), "٫", ".")
		if want := ParseDigits(s); back != want {
			t.Fatalf("Digits(%q) = %q, which reads back as %q, want %q", s, got, back, want)
		}
		if strings.ContainsAny(got, "0123456789") {
			t.Fatalf("Digits(%q) = %q kept an ASCII digit", s, got)
		}
	})
}
