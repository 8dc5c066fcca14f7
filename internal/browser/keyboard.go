package browser

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Keys a person presses, for Press.
const (
	Tab   = kb.Tab
	Enter = kb.Enter
	Space = " "
)

// Press types keys into whatever has focus, as a person at a keyboard
// would: real key events, so focus moves, buttons activate on Enter and
// radio buttons on Space.
func Press(tb testing.TB, ctx context.Context, keys string) {
	tb.Helper()
	run(tb, ctx, "press keys", "", chromedp.KeyEvent(keys))
}

// focusedJS describes the focused element and whether it shows a visible
// focus indicator (an outline or a box shadow).
const focusedJS = `(function (sel) {
	const el = document.activeElement;
	if (!el || el === document.body) return {matches: false, what: "nothing", visible: false};
	const st = getComputedStyle(el);
	const visible = (st.outlineStyle !== "none" && parseFloat(st.outlineWidth) >= 2) || st.boxShadow !== "none";
	return {matches: sel !== "" && el.matches(sel), visible: visible,
		what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.name ? "[name=" + el.name + "]" : "") + " " + (el.innerText || el.value || "").slice(0, 40)};
})(%s)`

// Focus is what has the keyboard's focus.
type Focus struct {
	Matches bool   `json:"matches"`
	What    string `json:"what"`
	Visible bool   `json:"visible"` // a focus indicator is drawn
}

// Focused describes the element that has focus, and whether it matches sel.
func Focused(tb testing.TB, ctx context.Context, sel string) Focus {
	tb.Helper()
	return run(tb, ctx, "read the focus", "", chromedp.Evaluate[Focus](fmt.Sprintf(focusedJS, jsString(sel))))
}

// TabTo presses Tab until the element matching sel has focus, at most max
// times, and fails the test (naming every element passed) if it never
// does: a control a keyboard cannot reach. It returns the number of presses
// and fails too when the control, once reached, shows no focus indicator.
func TabTo(tb testing.TB, ctx context.Context, sel string, max int) int {
	tb.Helper()
	var passed []string
	for i := 1; i <= max; i++ {
		Press(tb, ctx, Tab)
		f := Focused(tb, ctx, sel)
		if f.Matches {
			if !f.Visible {
				tb.Fatalf("browser: %q has focus on %s but shows no focus indicator", sel, currentURL(ctx))
			}
			return i
		}
		passed = append(passed, f.What)
	}
	tb.Fatalf("browser: %d presses of Tab on %s never reached %q; focus went through %q", max, currentURL(ctx), sel, passed)
	return 0
}

// PressToLoad presses keys that lead to another page (Enter on a link or
// a form's button) and waits until the new page has loaded, so the next
// step does not act on the page being left.
func PressToLoad(tb testing.TB, ctx context.Context, keys string) {
	tb.Helper()
	run(tb, ctx, "mark the page", "", chromedp.Evaluate[bool](`window.__leaving = true`))
	Press(tb, ctx, keys)
	// While the old page goes, evaluating fails ("cannot find context"):
	// that is the navigation, not an error; ask again until the new page
	// answers.
	deadline := time.Now().Add(actionTimeout)
	for time.Now().Before(deadline) {
		tctx, cancel := context.WithTimeout(ctx, time.Second)
		loaded, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`!window.__leaving && document.readyState === "complete"`))
		cancel()
		if err == nil && loaded {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("browser: pressing %q on %s led to no new page within %v", keys, currentURL(ctx), actionTimeout)
}
