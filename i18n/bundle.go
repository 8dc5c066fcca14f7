package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// embedded holds the catalogue files, so the binary carries its own
// translations and a deployment cannot end up with code and words from
// different versions.
//
//go:embed locales
var embedded embed.FS

// reference is the language every catalogue is measured against and every
// missing translation falls back to. It must be complete.
const reference = "en"

// languages are the languages PeerCircle offers, reference first. Each has
// plural rules and formatting in this package; adding one means adding
// those, not only a directory of files.
var languages = []string{"en", "ar", "fr"}

// Bundle is the loaded set of catalogues for every language. It is built
// once at start-up and is read-only afterwards, so one Bundle (and the
// Localizers it hands out) can serve all requests concurrently.
type Bundle struct {
	catalogues map[string]*catalogue
	localizers map[string]*Localizer
}

// catalogue is the merged messages of one language.
type catalogue struct {
	messages map[string]*message
}

// Load reads the catalogues embedded in the binary. An error means a
// catalogue file is broken; the program should not start with it, since
// pages would show raw keys. File names in errors are relative to
// i18n/locales.
//
// The catalogues cannot change while the program runs, so they are read
// once and every caller shares the bundle (it is immutable): what keeps
// anything per language, such as a page's templates with their messages
// written in, keeps it per Localizer.
func Load() (*Bundle, error) { return loadEmbedded() }

var loadEmbedded = sync.OnceValues(func() (*Bundle, error) {
	sub, err := fs.Sub(embedded, "locales")
	if err != nil {
		return nil, fmt.Errorf("i18n: embedded locales: %w", err)
	}
	return LoadFS(sub)
})

// LoadFS reads catalogues from fsys, whose root holds one directory per
// language (en/core.json, ar/core.json …); it exists so tests can load
// small catalogues from a testing/fstest.MapFS. Files not ending in .json
// are ignored so a README can sit beside them. It reports every problem it
// finds at once, joined, so a translator fixes a file in one pass.
func LoadFS(fsys fs.FS) (*Bundle, error) {
	dirs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	b := &Bundle{
		catalogues: make(map[string]*catalogue, len(languages)),
		localizers: make(map[string]*Localizer, len(languages)),
	}
	for _, lang := range languages {
		b.catalogues[lang] = &catalogue{messages: make(map[string]*message, 2048)}
	}
	var errs []error
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		lang := d.Name()
		c, ok := b.catalogues[lang]
		if !ok {
			errs = append(errs, fmt.Errorf("i18n: %s: not a supported language (want one of %s)", lang, strings.Join(languages, ", ")))
			continue
		}
		errs = append(errs, c.loadDir(fsys, lang)...)
	}
	if len(b.catalogues[reference].messages) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("i18n: no %s messages; %s is the reference every language falls back to", reference, reference))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, lang := range languages {
		b.localizers[lang] = newLocalizer(lang, b.catalogues[lang], b.catalogues[reference])
	}
	return b, nil
}

// loadDir merges every .json file of one language directory into c.
func (c *catalogue) loadDir(fsys fs.FS, lang string) []error {
	sources := map[string]string{} // key → the file that defined it, for errors
	files, err := fs.ReadDir(fsys, lang)
	if err != nil {
		return []error{fmt.Errorf("i18n: %w", err)}
	}
	var errs []error
	for _, f := range files { // ReadDir sorts by name, so errors are stable
		name := path.Join(lang, f.Name())
		if f.IsDir() {
			errs = append(errs, fmt.Errorf("i18n: %s: catalogues are flat files under the language directory, not subdirectories", name))
			continue
		}
		if path.Ext(f.Name()) != ".json" {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("i18n: %w", err))
			continue
		}
		entries, err := parseCatalogue(data)
		if err != nil {
			errs = append(errs, fmt.Errorf("i18n: %s: %w", name, err))
			continue
		}
		for _, e := range entries {
			if prev, dup := sources[e.key]; dup {
				errs = append(errs, fmt.Errorf("i18n: key %q is defined in both %s and %s", e.key, prev, name))
				continue
			}
			if lang == "fr" {
				e.msg.frenchTypography()
			}
			sources[e.key] = name
			c.messages[e.key] = e.msg
		}
	}
	return errs
}

// Languages returns the languages PeerCircle offers, English first, for
// language pickers and for Match. The slice is a copy the caller may keep.
func (b *Bundle) Languages() []string {
	return slices.Clone(languages)
}

// Localizer returns the Localizer for lang. Tags with a region ("ar-JO")
// use their language; an unknown language gets English, so a stale cookie
// or an odd header never leaves a person without a page.
func (b *Bundle) Localizer(lang string) *Localizer {
	if l, ok := b.localizers[baseLanguage(lang)]; ok {
		return l
	}
	return b.localizers[reference]
}

// Keys returns the keys lang's own files define, sorted, without the
// English fallback; nil for a language PeerCircle does not offer. It is
// for tests and tools that compare catalogues.
func (b *Bundle) Keys(lang string) []string {
	c, ok := b.catalogues[lang]
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(c.messages))
	for k := range c.messages {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Missing returns, sorted, the English keys lang does not translate: what
// a translator still has to do, and what members of that language will see
// in English meanwhile.
func (b *Bundle) Missing(lang string) []string {
	var own map[string]*message
	if c, ok := b.catalogues[lang]; ok {
		own = c.messages
	}
	var missing []string
	for _, k := range b.Keys(reference) {
		if _, ok := own[k]; !ok {
			missing = append(missing, k)
		}
	}
	return missing
}

// baseLanguage reduces a tag such as "AR-jo" or "fr_CA" to its lower-case
// primary language subtag.
func baseLanguage(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(strings.TrimSpace(tag))
}
