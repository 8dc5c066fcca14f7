package e2e

import (
	"fmt"
	"testing"

	"github.com/peercircle/peercircle/internal/browser"
)

// TestPrintedPagesShowTheRecordOnly (issue 16): printed, Sheet 3, Sheet 2
// and the support handout keep their content and drop the navigation, the
// footer and every button, in English and Arabic. The printed look is
// photographed under build/screenshots/print/.
func TestPrintedPagesShowTheRecordOnly(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t, browser.WithWindowSize(1024, 1400))
	org := browser.NewContext(t, root)
	signIn(t, org, a, "organiser")
	// A held meeting's Sheet 2 the organiser can read.
	summary := browser.Eval[string](t, org, `""`)
	browser.Navigate(t, org, a.URL+"/summaries")
	if browser.Eval[bool](t, org, `!!document.querySelector('main a[href$="/summary"]')`) {
		summary = browser.Attr(t, org, `main a[href$="/summary"]`, "href")
	}
	pages := map[string]string{
		"sheet3":  fmt.Sprintf("/sites/1/reports/%s", lastQuarter()),
		"handout": "/sites/1/support/handout",
	}
	if summary != "" {
		pages["sheet2"] = summary
	} else {
		t.Error("the demo organiser has no Sheet 2 to print")
	}
	for _, lang := range []string{"en", "ar"} {
		if lang == "ar" {
			toLanguage(t, org, "ar")
		}
		for name, path := range pages {
			browser.Navigate(t, org, a.URL+path)
			browser.PrintMedia(t, org, true)
			shown := browser.Eval[map[string]bool](t, org, `(function () {
				const vis = sel => [...document.querySelectorAll(sel)].some(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
				return {nav: vis(".top nav"), foot: vis(".foot"), button: vis("main button"), h1: vis("main h1"), main: (document.querySelector("main").innerText || "").trim().length > 80};
			})()`)
			if shown["nav"] || shown["foot"] || shown["button"] {
				t.Errorf("%s (%s) printed shows navigation, footer or buttons: %v", name, lang, shown)
			}
			if wide := browser.Eval[[]string](t, org, `(function () {
				const w = document.documentElement.clientWidth;
				return [...document.querySelectorAll("main *")].filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > w + 1 || r.left < -1); })
					.slice(0, 5).map(el => el.tagName.toLowerCase() + "." + el.className + " " + Math.round(el.getBoundingClientRect().left) + ".." + Math.round(el.getBoundingClientRect().right) + " of " + w);
			})()`); len(wide) > 0 {
				t.Errorf("%s (%s) printed is wider than the page: %q", name, lang, wide)
			}
			if !shown["h1"] || !shown["main"] {
				t.Errorf("%s (%s) printed lost its content: %v", name, lang, shown)
			}
			browser.Screenshot(t, org, "print/"+name+"-"+lang)
			browser.PrintMedia(t, org, false)
		}
	}
}
