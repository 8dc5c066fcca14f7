// Package i18n holds PeerCircle's message catalogues and the per-language
// formatting of numbers and dates, so that every word a member reads comes
// from a translator rather than from code.
//
// # Catalogue files
//
// Messages live in embedded JSON files named locales/<lang>/<area>.json,
// where <lang> is one of en, ar or fr and <area> is a product area (core,
// groups, sessions …). Each area has its own file so that the engineers who
// own different areas do not edit the same file; all the files of a
// language are merged when the bundle loads. A key defined in two files of
// one language is a load error naming both files, because silently letting
// one win would hide a translation.
//
// Each file is one flat JSON object from key to message, keys sorted, two
// spaces of indentation (TestCatalogueFilesAreCanonical checks this and
// `go test ./i18n -run Canonical -update` rewrites them). A message is either
// a string or a plural object whose members are CLDR plural categories:
//
//	"common.members_count": {
//	  "one": "{0} member",
//	  "other": "{0} members"
//	}
//
// "other" is required; a category a translation leaves out falls back to
// "other". The form is chosen by the first integer argument, using the
// CLDR cardinal rule of the message's language. Placeholders are positional,
// {0}, {1} …, so translators can put them in whatever order their language
// needs.
//
// English is the reference and must be complete. Arabic is kept complete
// too (a test fails when its keys differ from English). French may lag: a
// key it lacks is shown in English. A key missing everywhere renders as
// !key!, loud enough to be caught in screenshots and tests.
package i18n
