package e2e

import (
	"strings"
	"testing"

	"github.com/peercircle/peercircle/internal/browser"
)

// TestAMemberSharesAGrowWorksheetAndTheSupervisorRecordsASession walks the
// growth area in a real browser: the demo member writes a GROW worksheet
// from "My growth", shares it with the demo supervisor, and the supervisor
// reads it from their home page and records a supervision session with the
// demo facilitator, in English and in Arabic, each page checked with axe.
func TestAMemberSharesAGrowWorksheetAndTheSupervisorRecordsASession(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t)
	const goal = "Ask for a quiet room for breaks on long shifts"

	// 1. The member writes a worksheet and shares it.
	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")
	browser.Click(t, member, "#growth-link")
	browser.WaitVisible(t, member, "#h-worksheets")
	checkAccessibility(t, member, "my growth (en)")
	browser.Click(t, member, `a[href="/growth/worksheets/new"]`)
	browser.WaitVisible(t, member, "#f-goal")
	checkAccessibility(t, member, "new worksheet (en)")
	browser.Fill(t, member, "#f-goal", goal)
	browser.Fill(t, member, "#f-reality", "There is nowhere to sit away from the ward.")
	browser.Fill(t, member, "#f-option-0", "Use the meeting room when it is free")
	browser.Fill(t, member, "#f-score-0", "8")
	browser.Fill(t, member, "#f-option-1", "Go outside")
	browser.Fill(t, member, "#f-score-1", "15")
	browser.Fill(t, member, "#f-action-0", "Ask the nurse in charge")
	browser.Fill(t, member, "#f-commitment", "7")
	browser.Submit(t, member, "#f-goal")
	// A score of 15 is refused with a clear message, everything kept.
	if msg := browser.Text(t, member, ".field-error"); !strings.Contains(msg, "from 1 to 10") {
		t.Fatalf("after a score of 15: %q", msg)
	}
	if v := browser.Eval[string](t, member, `document.querySelector("#f-goal").value`); v != goal {
		t.Fatalf("the goal was lost: %q", v)
	}
	browser.Screenshot(t, member, "growth/worksheet-error-en")
	browser.Fill(t, member, "#f-score-1", "5")
	browser.Submit(t, member, "#f-goal")
	browser.WaitVisible(t, member, "#h-share")
	if h := browser.Text(t, member, "h1"); h != goal {
		t.Fatalf("h1 = %q", h)
	}
	checkAccessibility(t, member, "worksheet (en)")
	browser.Fill(t, member, "#f-supervisor", browser.Attr(t, member, "#f-supervisor option", "value"))
	browser.Submit(t, member, "#f-supervisor")
	browser.WaitVisible(t, member, ".flash")
	if s := browser.Text(t, member, "#h-share + p"); !strings.Contains(s, "Fatima Odeh") {
		t.Errorf("sharing shows %q", s)
	}
	browser.Screenshot(t, member, "growth/worksheet-en")
	worksheet := browser.URL(t, member)

	// 2. The supervisor finds it from their home page and reads it.
	sup := browser.NewContext(t, root)
	signIn(t, sup, a, "supervisor")
	home := browser.Text(t, sup, "main")
	for _, want := range []string{"People you supervise", "Sara Khalil", "Yara Nasser"} {
		if !strings.Contains(home, want) {
			t.Errorf("the supervisor's home lacks %q", want)
		}
	}
	browser.Screenshot(t, sup, "growth/home-supervisor-en")
	checkAccessibility(t, sup, "supervisor home (en)")
	browser.Click(t, sup, "#growth-link")
	browser.WaitVisible(t, sup, "#h-shared")
	browser.Click(t, sup, `#h-shared ~ ul a[href="`+worksheet[len(a.URL):]+`"]`)
	browser.WaitVisible(t, sup, "#h-goal")
	if body := browser.Text(t, sup, "main"); !strings.Contains(body, goal) || !strings.Contains(body, "Your reading is recorded") {
		t.Errorf("the supervisor's view: %q", body)
	}
	checkAccessibility(t, sup, "shared worksheet (en)")

	// 3. The supervisor records a session with the facilitator.
	browser.Navigate(t, sup, a.URL+"/growth/supervision/new")
	browser.WaitVisible(t, sup, "#f-supervisee")
	checkAccessibility(t, sup, "record supervision (en)")
	id := browser.Eval[string](t, sup, `[...document.querySelectorAll("#f-supervisee option")].find(o => o.textContent.includes("Sara Khalil")).value`)
	browser.Fill(t, sup, "#f-supervisee", id)
	// The confidentiality guard: a client's name comes back highlighted,
	// with why, and "Remove" takes it out.
	browser.Fill(t, sup, "#f-task_notes", "The client Rami missed two appointments.")
	browser.Submit(t, sup, "#f-task_notes")
	browser.WaitVisible(t, sup, ".finding")
	if got := browser.Text(t, sup, ".finding mark"); got != "Rami" {
		t.Fatalf("the guard highlighted %q", got)
	}
	browser.Screenshot(t, sup, "growth/supervision-guard-en")
	checkAccessibility(t, sup, "supervision form with a finding (en)")
	browser.Click(t, sup, `.finding input[value="remove"]`) // applied with the save
	browser.Fill(t, sup, "#f-process_notes", "Feels more confident leading the closing round.")
	browser.Fill(t, sup, "#f-follow_ups", "Observe a co-facilitator next month.")
	browser.Submit(t, sup, "#f-task_notes")
	browser.WaitVisible(t, sup, ".flash")
	if body := browser.Text(t, sup, "main"); !strings.Contains(body, "Feels more confident") || !strings.Contains(body, "Sara Khalil") ||
		strings.Contains(body, "Rami") || !strings.Contains(body, "The client [name] missed two appointments.") {
		t.Errorf("the session page: %q", body)
	}
	browser.Screenshot(t, sup, "growth/supervision-en")
	checkAccessibility(t, sup, "supervision session (en)")

	// 4. The same in Arabic: the supervisor's pages mirror and pass axe.
	toLanguage(t, sup, "ar")
	if h := browser.Text(t, sup, "h1"); h != "جلسة إشراف" {
		t.Errorf("Arabic h1 = %q", h)
	}
	browser.Screenshot(t, sup, "growth/supervision-ar")
	checkAccessibility(t, sup, "supervision session (ar)")
	browser.Navigate(t, sup, worksheet)
	browser.WaitVisible(t, sup, "#h-goal")
	if h := browser.Text(t, sup, "#h-goal"); h != "G — الهدف" {
		t.Errorf("Arabic goal heading = %q", h)
	}
	browser.Screenshot(t, sup, "growth/worksheet-ar")
	checkAccessibility(t, sup, "shared worksheet (ar)")
	browser.Navigate(t, sup, a.URL+"/")
	browser.WaitVisible(t, sup, "#h-growth")
	browser.Screenshot(t, sup, "growth/home-supervisor-ar")
	checkAccessibility(t, sup, "supervisor home (ar)")

	// 5. The member, in Arabic, writes the form and sees their profile.
	browser.Submit(t, member, `form.lang button[value="ar"]`)
	browser.Navigate(t, member, a.URL+"/growth/worksheets/new")
	browser.WaitVisible(t, member, "#f-goal")
	browser.Screenshot(t, member, "growth/worksheet-form-ar")
	checkAccessibility(t, member, "new worksheet (ar)")
	browser.Navigate(t, member, a.URL+"/growth/competencies")
	browser.WaitVisible(t, member, "#h-cluster-engage")
	if h := browser.Text(t, member, "#h-cluster-engage"); !strings.Contains(h, "الأقران") {
		t.Errorf("Arabic cluster = %q", h)
	}
	browser.Screenshot(t, member, "growth/competencies-ar")
	checkAccessibility(t, member, "competencies (ar)")

	if strings.Contains(a.Output(), goal) || strings.Contains(a.Output(), "Feels more confident") {
		t.Error("the logs hold what was written")
	}
}
