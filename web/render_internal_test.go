package web

import (
	"html/template"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

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
	bundle, e := freshEngine(t)
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

// rowWithT has a method named T, as a row a template ranges over could.
type rowWithT struct{}

func (rowWithT) T(key string, args ...any) string { return "row:" + key }

// TestOnlyThePagesMessagesAreWritten runs small template sets written and
// as they are, on data whose rows have a T of their own, and wants the
// same output, with the message written in only where T is certainly the
// page's.
func TestOnlyThePagesMessagesAreWritten(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fr := bundle.Localizer("fr")
	const call = `T "nav.`
	tests := []struct {
		name, layout, partial string
		written               bool
	}{
		{"text on the page", `<p>{{.T "nav.skip"}}</p>`, ``, true},
		{"$ in a range", `{{range .Data.Rows}}<p>{{$.T "nav.skip"}}</p>{{end}}`, ``, true},
		{"a quoted attribute", `<a title="{{.T "nav.skip"}}">x</a>`, ``, true},
		{"dot in a range is the row", `{{range .Data.Rows}}<p>{{.T "nav.skip"}}</p>{{end}}`, ``, false},
		{"dot in a with is the row", `{{with .Data.Row}}<p>{{.T "nav.skip"}}</p>{{end}}`, ``, false},
		{"dot in with's else is the page", `{{with .Data.None}}x{{else}}<p>{{.T "nav.skip"}}</p>{{end}}`, ``, true},
		{"a message with an argument", `<p>{{.T "nav.signed_in_as" "Amal"}}</p>`, ``, false},
		{"in a URL", `<a href="/find?q={{.T "nav.skip"}}">x</a>`, ``, false},
		{"in a script", `<script>var s = {{.T "nav.skip"}};</script>`, ``, false},
		{"a partial given the page", `{{template "p" .}}`, `{{define "p"}}<p>{{.T "nav.skip"}}</p>{{end}}`, true},
		{"a partial given the page as P", `{{template "p" (dict "P" .)}}`, `{{define "p"}}<p>{{.P.T "nav.skip"}}{{$.P.T "nav.skip"}}</p>{{end}}`, true},
		{"a partial given the page and a row", `{{template "p" .}}{{range .Data.Rows}}{{template "p" .}}{{end}}`, `{{define "p"}}<p>{{.T "nav.skip"}}</p>{{end}}`, false},
		{"a partial given P as the page and as a row", `{{template "p" (dict "P" .)}}{{range .Data.Rows}}{{template "p" (dict "P" .)}}{{end}}`, `{{define "p"}}<p>{{.P.T "nav.skip"}}</p>{{end}}`, false},
		{"a row's P is not the page", `{{range .Data.Held}}{{template "q" .P}}{{end}}{{template "q" $}}`, `{{define "q"}}<p>{{.T "nav.skip"}}</p>{{end}}`, false},
		{"a partial's partial given its P", `{{template "p" (dict "P" $)}}`, `{{define "p"}}{{template "q" .P}}{{end}}{{define "q"}}<p>{{.T "nav.skip"}}</p>{{end}}`, true},
	}
	data := struct {
		Rows []rowWithT
		Row  rowWithT
		None any
		Held []struct{ P rowWithT }
	}{Rows: []rowWithT{{}, {}}, Held: []struct{ P rowWithT }{{}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"layout.html":  {Data: []byte(tt.layout)},
				"partial.html": {Data: []byte(tt.partial + `{{define "content"}}{{end}}`)},
			}
			p := &pageSet{name: "test", files: []string{"layout.html", "partial.html"}}
			var out [2]string
			var trees [2]string
			for i, l := range []*i18n.Localizer{nil, fr} {
				set, err := p.parse(fsys)
				if err != nil {
					t.Fatal(err)
				}
				writeTexts(set, l)
				var b strings.Builder
				if err := set.Execute(&b, &Page{L: fr, Data: data}); err != nil {
					t.Fatal(err)
				}
				out[i] = b.String()
				for _, x := range set.Templates() {
					if x.Tree != nil {
						trees[i] += x.Tree.Root.String()
					}
				}
			}
			if out[0] != out[1] {
				t.Errorf("written:\n%s\nas it is:\n%s", out[1], out[0])
			}
			if got := !strings.Contains(trees[1], call); got != tt.written {
				t.Errorf("written %v, want %v:\n%s", got, tt.written, trees[1])
			}
		})
	}
}

// TestAPageShownFirstByManyAtOnceIsParsedOnce asks for a page's set in a
// language from many goroutines at once (run with -race): each gets the
// same set, parsed once.
func TestAPageShownFirstByManyAtOnceIsParsedOnce(t *testing.T) {
	bundle, e := freshEngine(t)
	ar := bundle.Localizer("ar")
	sets := make([]*template.Template, 8)
	var wg sync.WaitGroup
	for i := range sets {
		wg.Go(func() {
			set, err := e.page("group", ar)
			if err != nil {
				t.Error(err)
			}
			sets[i] = set
		})
	}
	wg.Wait()
	for _, set := range sets[1:] {
		if set != sets[0] {
			t.Fatal("the page was parsed more than once")
		}
	}
}

// freshEngine is the embedded catalogues and an engine with no set parsed.
func freshEngine(t *testing.T) (*i18n.Bundle, *engine) {
	t.Helper()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e, err := newEngine(assets)
	if err != nil {
		t.Fatal(err)
	}
	return bundle, e
}
