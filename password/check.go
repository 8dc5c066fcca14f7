package password

import (
	_ "embed"
	"errors"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Length limits, counted in Unicode characters. NIST SP 800-63B asks for at
// least 8 and for allowing at least 64; 256 leaves room for passphrases while
// keeping a pasted essay from reaching the hash.
const (
	MinLength = 8
	MaxLength = 256
)

// Check's errors are sentinels, not text for people: the web layer matches
// them with errors.Is and shows a message from its own catalogue, in the
// member's language.
var (
	// ErrTooShort means fewer than MinLength characters.
	ErrTooShort = errors.New("password: too short")
	// ErrTooLong means more than MaxLength characters.
	ErrTooLong = errors.New("password: too long")
	// ErrCommon means the password is one attackers try first: it is on the
	// common-password list or is a single character repeated.
	ErrCommon = errors.New("password: too common")
)

// Check tells whether pw may be chosen as a new password. It imposes no
// composition rules (no "one digit, one symbol"): those push people to
// predictable patterns without making passwords harder to guess.
func Check(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return ErrTooShort
	case n > MaxLength:
		return ErrTooLong
	case repeated(pw), isCommon(pw):
		return ErrCommon
	}
	return nil
}

// repeated reports whether s is one character over and over ("aaaaaaaa",
// "........"), which no list can enumerate for every length and script.
func repeated(s string) bool {
	first, size := utf8.DecodeRuneInString(s)
	for _, r := range s[size:] {
		if r != first {
			return false
		}
	}
	return true
}

//go:embed common.txt
var commonTxt string

// commonList is the embedded list as a sorted slice, split once on first use
// so that programs that never check a password pay nothing at start-up.
var commonList = sync.OnceValue(func() []string {
	list := strings.Split(strings.TrimSpace(commonTxt), "\n")
	slices.Sort(list) // gen.go sorts already; this guards against hand edits
	return list
})

// isCommon looks pw up case-insensitively by binary search.
func isCommon(pw string) bool {
	_, found := slices.BinarySearch(commonList(), strings.ToLower(pw))
	return found
}
