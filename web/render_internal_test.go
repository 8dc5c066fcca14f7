package web

import (
	"io/fs"
	"testing"
)

// TestEveryPageHasTheTemplatesItUses checks that each page, parsed with
// only the partials it uses, holds every template the page, the layout and
// those partials call: a name missing would fail only when the page is
// shown.
func TestEveryPageHasTheTemplatesItUses(t *testing.T) {
	e, err := newEngine(assets)
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.pages) != len(files)-1 {
		t.Fatalf("%d pages parsed of %d files (and the layout)", len(e.pages), len(files))
	}
	for name, set := range e.pages {
		for _, tmpl := range set.Templates() {
			if tmpl.Tree == nil {
				continue
			}
			for _, m := range templateRef.FindAllStringSubmatch(tmpl.Tree.Root.String(), -1) {
				if set.Lookup(m[1]) == nil {
					t.Errorf("page %s: %s calls %q, which its set does not hold", name, tmpl.Name(), m[1])
				}
			}
		}
	}
	// Only what a page uses: the meeting partials are not in the sign-in page.
	if e.pages["signin"] != nil && e.pages["signin"].Lookup("rsvp") != nil {
		t.Error("the sign-in page holds the meeting partials it never uses")
	}
}
