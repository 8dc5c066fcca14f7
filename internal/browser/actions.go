package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Selectors in this package are CSS selectors, matched against the first
// element, as in document.querySelector: the syntax every web developer knows.

// actionTimeout is DefaultTimeout except in this package's own tests, which
// shorten it to check failures without waiting.
var actionTimeout = DefaultTimeout

// run performs one action under DefaultTimeout and fails the test with what
// it was doing, the selector and the current URL: the three things needed to
// understand a browser failure from a CI log.
func run[T any](tb testing.TB, ctx context.Context, what, sel string, a chromedp.Action[T]) T {
	tb.Helper()
	tctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("nothing happened within %v (%w)", actionTimeout, err)
		}
		if sel != "" {
			tb.Fatalf("browser: %s %q on %s: %v", what, sel, currentURL(ctx), err)
		} else {
			tb.Fatalf("browser: %s on %s: %v", what, currentURL(ctx), err)
		}
	}
	return v
}

// currentURL is best effort: it is only for error messages, and the page may
// be the very thing that is broken.
func currentURL(ctx context.Context) string {
	tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	u, err := chromedp.Run(tctx, chromedp.Location())
	if err != nil {
		return fmt.Sprintf("(unknown URL: %v)", err)
	}
	return u
}

// Navigate loads url and waits for the page's load event.
//
// A page that reloads itself (the live pages do when the meeting moves on)
// can cut a navigation short with net::ERR_ABORTED, as it would for a person
// who tapped a link at that moment; the navigation is then tried again, a
// few times, before the test fails.
func Navigate(tb testing.TB, ctx context.Context, url string) {
	tb.Helper()
	for tries := 1; ; tries++ {
		tctx, cancel := context.WithTimeout(ctx, actionTimeout)
		_, err := chromedp.Run(tctx, chromedp.Navigate(url))
		cancel()
		switch {
		case err == nil:
			return
		case strings.Contains(err.Error(), "net::ERR_ABORTED") && tries < 3:
			time.Sleep(200 * time.Millisecond)
		case errors.Is(err, context.DeadlineExceeded):
			tb.Fatalf("browser: navigate to %s: nothing happened within %v (%v)", url, actionTimeout, err)
		default:
			tb.Fatalf("browser: navigate to %s on %s: %v", url, currentURL(ctx), err)
		}
	}
}

// URL returns the address of the current page, to check where a form or a
// link led.
func URL(tb testing.TB, ctx context.Context) string {
	tb.Helper()
	return run(tb, ctx, "read the URL", "", chromedp.Location())
}

// WaitVisible waits until an element matching sel is on the page and
// visible.
func WaitVisible(tb testing.TB, ctx context.Context, sel string) {
	tb.Helper()
	run(tb, ctx, "wait for", sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// Click clicks the element with real mouse events at its centre, as a
// person would, so an element hidden under another one is caught.
func Click(tb testing.TB, ctx context.Context, sel string) {
	tb.Helper()
	run(tb, ctx, "click", sel, chromedp.Click(chromedp.CSS(sel)))
}

// fillJS prepares an element for Fill. A select gets its value directly (there
// is nothing to type into) together with the events a person's choice fires;
// an input or textarea is emptied so that typing replaces its value.
const fillJS = `(function (sel, value) {
	const el = document.querySelector(sel);
	if (!el) throw new Error("no element matches " + sel);
	if (el.tagName === "SELECT") {
		el.value = value;
		if (el.value !== value) throw new Error("the select has no option with value " + JSON.stringify(value));
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return "selected";
	}
	el.focus();
	el.value = "";
	el.dispatchEvent(new Event("input", {bubbles: true}));
	return "type";
})(%s, %s)`

// Fill replaces the value of an input or textarea by typing value key by key
// (so maxlength and input handlers behave as for a person), or chooses the
// option with that value in a select.
func Fill(tb testing.TB, ctx context.Context, sel, value string) {
	tb.Helper()
	run(tb, ctx, "fill", sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	mode := run(tb, ctx, "fill", sel, chromedp.Evaluate[string](fmt.Sprintf(fillJS, jsString(sel), jsString(value))))
	if mode == "type" && value != "" {
		run(tb, ctx, "type into", sel, chromedp.SendKeys(chromedp.CSS(sel), value))
	}
}

// submitJS submits the element's form with requestSubmit, which, unlike
// form.submit(), runs validation and submit handlers like a real submission
// and includes the button's name and value when sel is the submit button.
const submitJS = `(function (sel) {
	const el = document.querySelector(sel);
	if (!el) throw new Error("no element matches " + sel);
	const form = el.form || el.closest("form");
	if (!form) throw new Error(sel + " is not in a form");
	const submitter = (el.type === "submit" && el.form === form) ? el : undefined;
	form.requestSubmit(submitter);
	return true;
})(%s)`

// Submit submits the form that contains sel (or that sel is), and waits for
// the page the server answers with. For a form that JavaScript handles
// without loading a page, use Click and WaitVisible instead.
func Submit(tb testing.TB, ctx context.Context, sel string) {
	tb.Helper()
	run(tb, ctx, "find the form of", sel, chromedp.WaitReady(chromedp.CSS(sel)))
	submit := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](fmt.Sprintf(submitJS, jsString(sel)))(ctx, t)
		return err
	})
	tctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	if _, err := chromedp.RunResponse(tctx, submit); err != nil {
		tb.Fatalf("browser: submit %q on %s: %v", sel, currentURL(ctx), err)
	}
}

// Text returns the visible text of the element, as a person reads it
// (innerText: hidden parts left out, whitespace as rendered).
func Text(tb testing.TB, ctx context.Context, sel string) string {
	tb.Helper()
	return run(tb, ctx, "read the text of", sel, chromedp.Text(chromedp.CSS(sel)))
}

// Attr returns the attribute name of the element, or "" when the element has
// no such attribute; use Eval when the difference matters.
func Attr(tb testing.TB, ctx context.Context, sel, name string) string {
	tb.Helper()
	res := run(tb, ctx, "read attribute "+name+" of", sel, chromedp.AttributeValue(chromedp.CSS(sel), name))
	return res.Value
}

// Eval evaluates a JavaScript expression in the page and decodes its JSON
// value into T, for what the other helpers do not cover, for example
// Eval[string](t, ctx, "document.documentElement.dir").
func Eval[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	return run(tb, ctx, "evaluate "+expr, "", chromedp.Evaluate[T](expr))
}

// jsString quotes s as a JavaScript string literal; JSON strings are valid
// JavaScript, so selectors with quotes or Arabic text cannot break the script.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Upload chooses files for a file input, as a person does in the file
// chooser (the paths must exist on this machine).
func Upload(tb testing.TB, ctx context.Context, sel string, paths ...string) {
	tb.Helper()
	run(tb, ctx, "choose files for", sel, chromedp.SetUploadFiles(chromedp.CSS(sel), paths))
}
