package web_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/i18n"
)

// TestTemplatesUseOnlyKnownMessages finds every literal message key in the
// templates and checks the English catalogue has it, so no page shows a
// key instead of words. Keys built at run time (printf) are checked by the
// browser tests, which look for the !key! marker on every page they visit.
func TestTemplatesUseOnlyKnownMessages(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := bundle.Localizer("en")
	keyRE := regexp.MustCompile(`\.T "([a-z0-9_.]+)"|"(?:Label|Hint|Title)" "([a-z0-9_.]+)"`)
	err = fs.WalkDir(os.DirFS("templates"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(filepath.Join("templates", path))
		if err != nil {
			return err
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			key := m[1] + m[2]
			if !en.Has(key) {
				t.Errorf("%s uses %q, which is not in the English catalogue", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPagesAreLight keeps each main page, with its stylesheet and script,
// under 100 KB: people open PeerCircle on cheap phones over slow links.
func TestPagesAreLight(t *testing.T) {
	e := newEnv(t)
	assetRE := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	pages := map[string][]string{
		"admin":     {"/", "/admin/org", "/people"},
		"organiser": {"/sites/" + id(e.In["site"])},
		"member":    {"/", "/groups/" + id(e.In["group"]), "/profile", "/support"},
		"anon":      {"/signin"},
	}
	for role, paths := range pages {
		c := e.as(role)
		for _, p := range paths {
			res := c.get(p)
			if res.StatusCode != 200 {
				t.Errorf("%s as %s: status %d", p, role, res.StatusCode)
				continue
			}
			total := len(res.Body)
			for _, m := range assetRE.FindAllStringSubmatch(res.Body, -1) {
				total += len(c.get(strings.ReplaceAll(m[1], "&amp;", "&")).Body)
			}
			if total > 100*1024 {
				t.Errorf("%s as %s weighs %d bytes with its assets", p, role, total)
			}
		}
	}
}
