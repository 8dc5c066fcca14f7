package e2e

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/internal/browser"
)

// sweepSkip are links the sweep does not follow: downloads, feeds, machine
// formats, and what signs out or leaves the app.
var sweepSkip = regexp.MustCompile(`/export/|\.(json|ics|pdf|csv|xlsx)$|/calendar/|/static/|/signout|/flyer$`)

// pagePattern names a page by its route: ids become N, so the sweep visits
// one group page, not thirty.
var idRE = regexp.MustCompile(`/\d+`)

func pagePattern(path string) string { return idRE.ReplaceAllString(path, "/N") }

// TestEveryPageInThreeLanguagesAtTwoWidths walks the pages each demo role
// reaches from its home page and its navigation (two clicks deep, one page
// per route), and checks each in English, Arabic and French on a 360-pixel
// phone and on a desktop window: axe-core's WCAG 2.2 AA rules, one h1, no
// missing message key, and no sideways scrolling.
func TestEveryPageInThreeLanguagesAtTwoWidths(t *testing.T) {
	a := startDemo(t)
	widths := []struct {
		name string
		root context.Context
	}{
		{"360", browser.New(t, browser.WithPhone(360, 740))},
		{"1280", browser.New(t, browser.WithWindowSize(1280, 900))},
	}

	// Find the pages: breadth first from each role's home, two levels.
	type page struct{ role, path string }
	var pages []page
	seen := map[string]bool{}
	for _, role := range []string{"member", "facilitator", "organiser", "coordinator", "admin", "supervisor", "trainer"} {
		ctx := browser.NewContext(t, widths[1].root)
		signIn(t, ctx, a, role)
		level := []string{"/"}
		for depth := 0; depth < 2; depth++ {
			var next []string
			for _, p := range level {
				browser.Navigate(t, ctx, a.URL+p)
				links := browser.Eval[[]string](t, ctx, `[...document.querySelectorAll("main a[href], header nav a[href]")]
					.filter(a => !a.hasAttribute("download"))
					.map(a => a.getAttribute("href"))`)
				for _, l := range links {
					u, err := url.Parse(l)
					if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") || u.RawQuery != "" || sweepSkip.MatchString(u.Path) {
						continue
					}
					key := pagePattern(u.Path)
					if seen[key] {
						continue
					}
					seen[key] = true
					pages = append(pages, page{role, u.Path})
					next = append(next, u.Path)
				}
			}
			level = next
		}
		signOut(t, ctx)
	}
	slices.SortFunc(pages, func(x, y page) int { return strings.Compare(x.path, y.path) })
	t.Logf("%d pages × 3 languages × %d widths: %v", len(pages), len(widths), pages)

	for _, w := range widths {
		for _, lang := range []string{"en", "ar", "fr"} {
			t.Run(w.name+"/"+lang, func(t *testing.T) {
				byRole := map[string]context.Context{}
				for _, p := range pages {
					ctx, ok := byRole[p.role]
					if !ok {
						ctx = browser.NewContext(t, w.root)
						signIn(t, ctx, a, p.role)
						browser.Submit(t, ctx, `form.lang button[value="`+lang+`"]`)
						browser.WaitVisible(t, ctx, `html[lang="`+lang+`"]`)
						byRole[p.role] = ctx
					}
					browser.Navigate(t, ctx, a.URL+p.path)
					name := p.role + " " + p.path + " (" + lang + ", " + w.name + " px)"
					if n := browser.Eval[int](t, ctx, `document.querySelectorAll("h1").length`); n != 1 {
						t.Errorf("%s has %d h1 elements", name, n)
					}
					if missing := browser.Eval[string](t, ctx, `(document.body.innerText.match(/![a-z_.]+!/) || [""])[0]`); missing != "" {
						t.Errorf("%s shows a missing message key %s", name, missing)
					}
					if over := browser.Eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 1 {
						t.Errorf("%s scrolls sideways by %d px", name, over)
					}
					checkAccessibility(t, ctx, name)
				}
			})
		}
	}
}
