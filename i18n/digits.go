package i18n

import "unicode/utf8"

// ParseDigits rewrites Arabic-Indic digits (٠–٩, U+0660–U+0669) and Eastern
// Arabic-Indic digits (۰–۹, U+06F0–U+06F9, typed on Persian and Urdu
// layouts and by some Arabic phone keyboards) as ASCII digits, so that a
// number typed on an Arabic keyboard parses with strconv. Everything else,
// including bytes that are not valid UTF-8, is kept exactly as it was.
func ParseDigits(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s // ASCII only: nothing to convert, nothing to allocate
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '٠' && r <= '٩':
			b = append(b, byte('0'+(r-'٠')))
		case r >= '۰' && r <= '۹':
			b = append(b, byte('0'+(r-'۰')))
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
