package web

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/i18n"
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
	for name, p := range e.pages {
		set, err := p.parse(assets)
		if err != nil {
			t.Fatal(err)
		}
		for _, tmpl := range set.Templates() {
			if tmpl.Tree == nil {
				continue
			}
			for _, m := range templateRef.FindAllStringSubmatch(tmpl.Tree.Root.String(), -1) {
				if strings.Contains(m[1], "$htmltemplate_") {
					continue // a copy escaping made, for another context
				}
				if set.Lookup(m[1]) == nil {
					t.Errorf("page %s: %s calls %q, which its set does not hold", name, tmpl.Name(), m[1])
				}
			}
		}
	}
	// Only what a page uses: the meeting partials are not in the sign-in page.
	if signin, err := e.page("signin", nil); err != nil || signin.Lookup("rsvp") != nil {
		t.Error("the sign-in page holds the meeting partials it never uses")
	}
}

// TestPagesHoldTheirConstantMessagesWritten checks that a page's set for a
// language holds the messages of constant keys as text, and still calls
// those that take arguments; TestWrittenMessagesReadAsTheirCalls checks
// that every page reads the same either way.
func TestPagesHoldTheirConstantMessagesWritten(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e, err := newEngine(assets)
	if err != nil {
		t.Fatal(err)
	}
	fr := bundle.Localizer("fr")
	set, err := e.page("home", fr)
	if err != nil {
		t.Fatal(err)
	}
	layout := set.Lookup("layout.html").Tree.Root.String()
	if strings.Contains(layout, `.T "nav.skip"`) || !strings.Contains(layout, fr.T("nav.skip")) {
		t.Errorf("the French home page still calls T for nav.skip:\n%s", layout)
	}
	if !strings.Contains(layout, `.T "nav.signed_in_as" .P.Name`) {
		t.Errorf("a message with an argument was written in:\n%s", layout)
	}
	again, err := e.page("home", fr)
	if err != nil || again != set {
		t.Errorf("the page's French set was parsed again (%v)", err)
	}
	if en, err := e.page("home", bundle.Localizer("en")); err != nil || en == set {
		t.Errorf("English shares French's set (%v)", err)
	}
}
