package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/internal/browser"
)

// TestTheMainFlowsByKeyboardAlone (issue 16): sign in, answer for the next
// meeting, start and run a meeting, write Sheet 2 and decide the guard's
// findings, submit and review Sheet 3 — with Tab, Enter and Space only, as
// someone who cannot use a pointer. Every control is reached in a bounded
// number of presses and shows a focus indicator when it has focus
// (browser.TabTo fails otherwise); the live page has a timer and a polite
// status region for what changes.
func TestTheMainFlowsByKeyboardAlone(t *testing.T) {
	a := startDemo(t)
	planMeetingNow(t, a)
	meeting := a.URL + "/sessions/" + latestSession(t, a)
	root := browser.New(t)

	keyboardSignIn := func(login string) context.Context {
		ctx := browser.NewContext(t, root)
		browser.Navigate(t, ctx, a.URL+"/signin")
		// The first stop is the skip link, then the page's own controls.
		browser.TabTo(t, ctx, "#f-login", 20)
		browser.Press(t, ctx, login)
		browser.Press(t, ctx, browser.Tab)
		if f := browser.Focused(t, ctx, "#f-password"); !f.Matches {
			t.Fatalf("Tab from the login goes to %s, not the password", f.What)
		}
		browser.Press(t, ctx, demoPassword)
		browser.PressToLoad(t, ctx, browser.Enter)
		browser.WaitVisible(t, ctx, "nav[aria-label]")
		return ctx
	}

	t.Run("a member signs in and answers for the next meeting", func(t *testing.T) {
		m := keyboardSignIn("member")
		browser.TabTo(t, m, `.next-meeting button[value=expected]`, 40)
		browser.PressToLoad(t, m, browser.Enter)
		browser.WaitVisible(t, m, ".flash")
		if msg := browser.Text(t, m, ".flash"); msg == "" {
			t.Fatal("no notice after answering")
		}
	})

	fac := keyboardSignIn("facilitator")
	t.Run("the facilitator starts and runs the meeting", func(t *testing.T) {
		browser.Navigate(t, fac, meeting+"/live")
		browser.TabTo(t, fac, "#start-meeting", 40)
		browser.PressToLoad(t, fac, browser.Enter)
		browser.WaitVisible(t, fac, "#reminder")
		if n := browser.Eval[int](t, fac, `document.querySelectorAll('[role=timer]').length`); n != 1 {
			t.Errorf("%d timers on the live page", n)
		}
		if n := browser.Eval[int](t, fac, `document.querySelectorAll('[role=status][aria-live=polite]').length`); n < 1 {
			t.Error("the live page has no polite status region for what changes")
		}
		browser.TabTo(t, fac, "#reminder button", 40)
		browser.PressToLoad(t, fac, browser.Enter)
		for i := 0; i < 10 && !browser.Eval[bool](t, fac, `!!document.querySelector("#end-meeting")`); i++ {
			browser.TabTo(t, fac, "#next-segment", 60)
			browser.PressToLoad(t, fac, browser.Enter)
			browser.WaitVisible(t, fac, "#countdown")
		}
		browser.TabTo(t, fac, "#end-meeting", 80)
		browser.PressToLoad(t, fac, browser.Enter)
		browser.WaitVisible(t, fac, "main")
	})

	t.Run("Sheet 2 with the guard's findings", func(t *testing.T) {
		browser.Navigate(t, fac, meeting+"/summary/edit")
		browser.TabTo(t, fac, "#f-key_issues", 60)
		browser.Press(t, fac, "Call her on 0795 338 214.")
		browser.TabTo(t, fac, "#save-summary", 40)
		browser.PressToLoad(t, fac, browser.Enter)
		browser.WaitVisible(t, fac, ".finding")
		// Tab reaches the finding's choices; Space picks "Remove".
		browser.TabTo(t, fac, `.finding input[value=remove]`, 60)
		browser.Press(t, fac, browser.Space)
		if !browser.Eval[bool](t, fac, `document.querySelector(".finding input[value=remove]").checked`) {
			t.Fatal("Space did not choose Remove")
		}
		browser.TabTo(t, fac, "#save-summary", 60)
		browser.PressToLoad(t, fac, browser.Enter)
		browser.WaitVisible(t, fac, "#f-key_issues")
		if v := browser.Eval[string](t, fac, `document.querySelector("#f-key_issues").value`); strings.Contains(v, "338") {
			t.Fatalf("the number is still in the note: %q", v)
		}
	})

	t.Run("Sheet 3 submitted and accepted", func(t *testing.T) {
		report := fmt.Sprintf("%s/sites/1/reports/%s", a.URL, lastQuarter())
		org := keyboardSignIn("organiser")
		browser.Navigate(t, org, report)
		browser.TabTo(t, org, "#f-comment", 120)
		browser.Press(t, org, "Good attendance.")
		browser.TabTo(t, org, "button.primary", 20)
		browser.PressToLoad(t, org, browser.Enter)
		browser.WaitVisible(t, org, ".flash")
		coord := keyboardSignIn("coordinator")
		browser.Navigate(t, coord, report)
		browser.TabTo(t, coord, "#f-review_comment", 160)
		browser.Press(t, coord, "Thank you.")
		browser.TabTo(t, coord, `button[value="accept"]`, 20)
		browser.PressToLoad(t, coord, browser.Enter)
		browser.WaitVisible(t, coord, ".report-head .tag")
		if got := browser.Text(t, coord, ".report-head .tag"); got != "Accepted" {
			t.Fatalf("state after accepting by keyboard = %q", got)
		}
	})
}
