package e2e

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/internal/browser"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

// latestSession is the id of the meeting planMeetingNow added last.
func latestSession(t *testing.T, a *app) string {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(a.DataDir, "peercircle.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int64
	if err := sqlstore.New(db, nil).DB.QueryRow(context.Background(), "SELECT MAX(id) FROM sessions").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

// TestTheFindingsPanelOnAPhone (issue 11 item 7): on a phone, Sheet 2
// comes back with each finding marked in the text and its own "Remove" /
// "Not a person" beside it; the facilitator decides them all, edits a
// sentence, and saves once; "Remove" leaves a placeholder, so the
// sentence still reads. The organiser, in Arabic, returns it with a
// comment using عمر ("age"): the same panel, "ليس اسم شخص", sent. Both
// panels are photographed and checked with axe.
func TestTheFindingsPanelOnAPhone(t *testing.T) {
	a := startDemo(t)
	planMeetingNow(t, a)
	meeting := a.URL + "/sessions/" + latestSession(t, a)
	root := browser.New(t, browser.WithPhone(390, 844))

	fac := browser.NewContext(t, root)
	signIn(t, fac, a, "facilitator")
	browser.Navigate(t, fac, meeting+"/live")
	browser.Submit(t, fac, "#start-meeting")
	browser.WaitVisible(t, fac, "#reminder")
	browser.Submit(t, fac, "#reminder button")
	for i := 0; i < 10 && !browser.Eval[bool](t, fac, `!!document.querySelector("#end-meeting")`); i++ {
		browser.Submit(t, fac, "#next-segment")
	}
	browser.Submit(t, fac, "#end-meeting")
	browser.Navigate(t, fac, meeting+"/summary/edit")
	browser.WaitVisible(t, fac, "#submit-summary")
	browser.Fill(t, fac, "#f-topic", "Self-care for staff")
	browser.Fill(t, fac, "#f-key_issues", "Call her on 0795 338 214 or 0788 456 712.")
	browser.Fill(t, fac, "#f-decisions", "Dr Hani will ask Rana Darwish about the rota.")
	browser.Submit(t, fac, "#save-summary")
	browser.WaitVisible(t, fac, ".finding")

	words := browser.Eval[[]string](t, fac, `[...document.querySelectorAll(".finding mark")].map(m => m.textContent)`)
	if strings.Join(words, "|") != "0795 338 214|0788 456 712|Hani|Rana Darwish" {
		t.Fatalf("findings shown: %q", words)
	}
	// Each finding's box holds its word and its two choices, and nothing
	// of another finding.
	boxes := browser.Eval[bool](t, fac, `[...document.querySelectorAll(".finding")].every(b =>
		b.querySelectorAll("mark").length === 1 && b.querySelectorAll("input[type=radio]").length === 2)`)
	if !boxes {
		t.Fatal("a finding's box does not hold exactly its word and two choices")
	}
	// The choices of a finding sit on its own box, never beside the next
	// word: each pair of choices is inside the box of its word.
	browser.Screenshot(t, fac, "guard/findings-panel-en")
	checkAccessibility(t, fac, "Sheet 2 with the findings panel (en)")

	// The small enhancement: editing a text whose findings are shown says
	// it will be checked again.
	browser.Fill(t, fac, "#f-decisions", "Dr Hani will ask Rana Darwish about the rota, and the area team too.")
	browser.WaitVisible(t, fac, "#guard-decisions .guard-edited")
	if got := browser.Text(t, fac, "#guard-decisions .guard-edited"); !strings.Contains(got, "checked again") {
		t.Fatalf("edit note = %q", got)
	}
	browser.Eval[bool](t, fac, `[...document.querySelectorAll(".finding")].forEach(b => b.querySelector("input[value=remove]").click()) || true`)
	browser.Screenshot(t, fac, "guard/findings-decided-en")
	browser.Submit(t, fac, "#save-summary")
	if msg := browser.Text(t, fac, ".flash"); msg == "" {
		t.Fatal("no flash after saving")
	}
	if got := browser.Eval[string](t, fac, `document.querySelector("#f-key_issues").value`); got != "Call her on [phone number] or [phone number]." {
		t.Fatalf("key issues after remove: %q", got)
	}
	if got := browser.Eval[string](t, fac, `document.querySelector("#f-decisions").value`); got != "Dr [name] will ask [name] about the rota, and the area team too." {
		t.Fatalf("decisions after remove and edit: %q", got)
	}
	browser.Submit(t, fac, "#submit-summary")
	if msg := browser.Text(t, fac, ".flash"); !strings.Contains(msg, "sent to the organiser") {
		t.Fatalf("flash after submitting = %q", msg)
	}

	// The organiser returns it in Arabic with a comment the guard checks.
	org := browser.NewContext(t, root)
	signIn(t, org, a, "organiser")
	browser.Navigate(t, org, meeting+"/summary")
	toLanguage(t, org, "ar")
	browser.WaitVisible(t, org, "#review")
	const comment = "شكرًا. أضيفي عمر المشاركين تقريبًا، واسألي رنا درويش عن الموعد."
	browser.Fill(t, org, "#f-comment", comment)
	browser.Submit(t, org, "#return-summary")
	browser.WaitVisible(t, org, "#guard-comment .finding")
	words = browser.Eval[[]string](t, org, `[...document.querySelectorAll("#guard-comment .finding mark")].map(m => m.textContent)`)
	if !strings.Contains(strings.Join(words, "|"), "رنا درويش") {
		t.Fatalf("findings in the comment: %q", words)
	}
	browser.Screenshot(t, org, "guard/return-comment-panel-ar")
	checkAccessibility(t, org, "return comment with the findings panel (ar)")
	// عمر is "age" here: not a person. The name goes.
	browser.Eval[bool](t, org, `[...document.querySelectorAll("#guard-comment .finding")].forEach(b =>
		b.querySelector(b.querySelector("mark").textContent === "رنا درويش" ? "input[value=remove]" : "input[value=allow]").click()) || true`)
	browser.Screenshot(t, org, "guard/return-comment-decided-ar")
	browser.Submit(t, org, "#return-summary")
	browser.WaitVisible(t, org, ".flash")

	browser.Navigate(t, fac, meeting+"/summary/edit")
	got := browser.Text(t, fac, ".callout[role=note]")
	if !strings.Contains(got, "أضيفي عمر المشاركين") || strings.Contains(got, "رنا") || !strings.Contains(got, "[اسم]") {
		t.Fatalf("the comment the facilitator reads: %q", got)
	}
}
