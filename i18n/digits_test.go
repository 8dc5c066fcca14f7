package i18n

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseDigits(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Arabic-Indic digits become ASCII", "٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"Eastern Arabic-Indic digits become ASCII", "۰۱۲۳۴۵۶۷۸۹", "0123456789"},
		{"ASCII digits are unchanged", "0123456789", "0123456789"},
		{"digits inside words are converted", "الجلسة ١٢ من 20", "الجلسة 12 من 20"},
		{"a mixed number is converted", "٢0۲٦", "2026"},
		{"other characters are kept", "٣٫٥ ١٬٠٠٠", "3٫5 1٬000"},
		{"the empty string stays empty", "", ""},
		{"invalid UTF-8 is kept byte for byte", "\xff١\xd9", "\xff1\xd9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseDigits(tt.in); got != tt.want {
				t.Errorf("ParseDigits(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("a number typed in Arabic parses", func(t *testing.T) {
		n, err := strconv.Atoi(ParseDigits("١٤"))
		if err != nil || n != 14 {
			t.Errorf("Atoi(ParseDigits(١٤)) = %d, %v", n, err)
		}
	})
}

// digitToASCII is the obvious rune-by-rune definition ParseDigits must
// agree with on valid UTF-8.
func digitToASCII(r rune) rune {
	switch {
	case r >= 0x0660 && r <= 0x0669:
		return '0' + r - 0x0660
	case r >= 0x06F0 && r <= 0x06F9:
		return '0' + r - 0x06F0
	}
	return r
}

func FuzzParseDigits(f *testing.F) {
	for _, seed := range []string{
		"", "123", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "٣٫٥", "abc ١ def",
		"\xff", "\xd9", "\xd9\xa0\xd9", "\u0660\u0669\u06f0\u06f9", "\u065f\u066a\u06ef\u06fa",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := ParseDigits(in)
		if utf8.RuneCountInString(out) != utf8.RuneCountInString(in) {
			t.Fatalf("ParseDigits(%q) = %q changed the number of characters", in, out)
		}
		if strings.ContainsFunc(out, func(r rune) bool { return digitToASCII(r) != r }) {
			t.Fatalf("ParseDigits(%q) = %q still holds Arabic digits", in, out)
		}
		if again := ParseDigits(out); again != out {
			t.Fatalf("ParseDigits is not idempotent: %q then %q", out, again)
		}
		if utf8.ValidString(in) {
			if want := strings.Map(digitToASCII, in); out != want {
				t.Fatalf("ParseDigits(%q) = %q, want %q", in, out, want)
			}
		}
	})
}
