package i18n

import "strings"

// French typography puts a space before the high punctuation marks
// (: ; ? !) and inside guillemets (« … »). Written with an ordinary space,
// a line can break there and leave "?" or "»" alone at the start of the
// next line, which on a phone happens often. Translators type the ordinary
// space; the French catalogue is loaded with a narrow no-break space
// (U+202F) in its place, as the Imprimerie nationale's rules and CLDR's
// French data have it, so no file and no contributor has to get the
// invisible character right.
var frenchSpacing = strings.NewReplacer(
	" :", "\u202f:", "\u00a0:", "\u202f:",
	" ;", "\u202f;", "\u00a0;", "\u202f;",
	" ?", "\u202f?", "\u00a0?", "\u202f?",
	" !", "\u202f!", "\u00a0!", "\u202f!",
	" »", "\u202f»", "\u00a0»", "\u202f»",
	"« ", "«\u202f", "«\u00a0", "«\u202f",
)

// frenchTypography rewrites every form of m with French spacing.
func (m *message) frenchTypography() {
	for c := range numCategories {
		if m.has(c) {
			m.set(c, parseTemplate(frenchSpacing.Replace(m.byCategory(c).src)))
		}
	}
}
