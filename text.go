package peercircle

import (
	"time"
	"unicode"
	"unicode/utf8"
)

// Text people send is stored and shown back to others, in pages, exports
// and messages. TextProblem is the one rule every field of every form
// passes before anything else reads it: valid UTF-8, no control characters
// (tab, line feed and carriage return are the only ones a text area sends),
// and none of the invisible characters that reorder or hide what is shown:
// bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069), the byte-order mark and other format characters an
// attacker can use to make "Rana" look like a different word or to hide
// text in an export. The marks people do type in Arabic and French — the
// left-to-right and right-to-left marks (U+200E, U+200F), the zero-width
// joiner and non-joiner and the Arabic letter mark — are allowed.
//
// It returns "" for acceptable text, else a message key.
func TextProblem(s string) string {
	if !utf8.ValidString(s) {
		return "error.text_encoding"
	}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) || forbiddenFormat(r) {
			return "error.text_control"
		}
	}
	return ""
}

func forbiddenFormat(r rune) bool {
	switch r {
	case '\u200e', '\u200f', // left-to-right and right-to-left marks
		'\u200c', '\u200d', // zero-width non-joiner and joiner
		'\u061c': // Arabic letter mark
		return false
	}
	// Cf: format characters (bidi controls, BOM, invisible separators,
	// interlinear annotations, tags); Co and Cs cannot be shown.
	return unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs) || r == '\ufffe' || r == '\uffff'
}

// DateProblem checks a calendar date a person gives (DateLayout): "" when
// it is a real date in a sane range, else a message key. Nothing PeerCircle
// keeps happened before 2000 or will after 2100: a year 0000 or 9999 is a
// slip of the keyboard that would sit in every report.
func DateProblem(s string) string {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return "error.date"
	}
	if y := d.Year(); y < EarliestMeeting || y > LatestMeeting {
		return "error.date_range"
	}
	return ""
}
