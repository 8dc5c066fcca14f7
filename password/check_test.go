package password

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want error
	}{
		{"an empty password is too short", "", ErrTooShort},
		{"seven letters are too short", "abcdefg", ErrTooShort},
		{"seven Arabic letters are too short even at 14 bytes", "كلمةسري", ErrTooShort},
		{"eight Arabic letters are enough although each takes two bytes", "كلمةسرية", nil},
		{"an Arabic passphrase with spaces is accepted", "قلبي مع المجموعة", nil},
		{"eight unusual ASCII characters are enough", "zq8-vb!t", nil},
		{"no composition rule applies to lowercase words", "harbourlights", nil},
		{"four emoji pairs count as eight characters", "🌱🌿🌱🌿🌳🌲🌳🌲", nil},
		{"64 characters are allowed", strings.Repeat("ab", 32), nil},
		{"256 characters are allowed", strings.Repeat("abcd", 64), nil},
		{"257 characters are too long", strings.Repeat("abcd", 64) + "e", ErrTooLong},
		{"300 characters are too long", strings.Repeat("abcdefghij", 30), ErrTooLong},
		{"256 Arabic letters are allowed at 512 bytes", strings.Repeat("سلام", 64), nil},
		{"a listed password is common", "password1", ErrCommon},
		{"a listed password in capitals is common", "PASSWORD1", ErrCommon},
		{"a listed password in mixed case is common", "PassWord1", ErrCommon},
		{"the product's own name is common", "PeerCircle", ErrCommon},
		{"a run of digits from the list is common", "12345678", ErrCommon},
		{"a keyboard row is common", "qwertyuiop", ErrCommon},
		{"a descending run is common", "87654321", ErrCommon},
		{"one letter repeated is common", "aaaaaaaaaaaaaaaaaaaa", ErrCommon},
		{"one Arabic letter repeated is common", "بببببببب", ErrCommon},
		{"one space repeated is common", "        ", ErrCommon},
		{"a repeated letter with one other letter is accepted", "aaaaaaab", nil},
		{"a listed password with a suffix is accepted", "password1-harbour", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Check(tt.pw); !errors.Is(err, tt.want) {
				t.Errorf("Check(%q) = %v, want %v", tt.pw, err, tt.want)
			}
		})
	}
}

func TestCommonList(t *testing.T) {
	list := strings.Split(strings.TrimSuffix(commonTxt, "\n"), "\n")

	t.Run("the file is sorted and unique", func(t *testing.T) {
		if !slices.IsSorted(list) {
			t.Error("common.txt is not sorted")
		}
		if len(slices.Compact(slices.Clone(list))) != len(list) {
			t.Error("common.txt has duplicates")
		}
	})

	t.Run("every entry is lowercase, at least 8 characters and not a comment", func(t *testing.T) {
		for _, w := range list {
			if w != strings.ToLower(w) || utf8.RuneCountInString(w) < MinLength ||
				strings.HasPrefix(w, "#!") || strings.TrimSpace(w) != w {
				t.Errorf("bad entry %q", w)
			}
		}
	})

	t.Run("the hand-added words are present", func(t *testing.T) {
		for _, w := range []string{"peercircle", "password1", "12345678", "qwertyuiop", "11111111", "87654321"} {
			if !isCommon(w) {
				t.Errorf("%q is not on the list", w)
			}
		}
	})

	t.Run("the list is large enough to have come from john-data", func(t *testing.T) {
		if len(list) < 500 {
			t.Errorf("common.txt has %d entries", len(list))
		}
	})
}

func BenchmarkCheck(b *testing.B) {
	for b.Loop() {
		_ = Check("harbourlights")
	}
}
