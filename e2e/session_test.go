package e2e

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/internal/browser"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

// waitFor polls a condition in the page until it holds (pages that catch
// up by themselves: live.js polls every few seconds).
func waitFor(t *testing.T, ctx context.Context, what, expr string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	safe := "(function () { try { return !!(" + expr + "); } catch (e) { return false; } })()"
	for {
		// The page may be reloading: an error is "not yet".
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](safe)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s (%s) on %s", within, what, expr, browser.URL(t, ctx))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// planMeetingNow adds a one-off meeting of the demo's Nuzha staff group
// that started a few minutes ago, facilitated by the demo facilitator, as
// an organiser would add an extra meeting; the demo's own meetings follow
// the schedule and may be days away. It writes to the running demo's
// database, as a second instance would.
func planMeetingNow(t *testing.T, a *app) {
	t.Helper()
	planMeetingNowBy(t, a, "facilitator")
}

// planMeetingNowBy is planMeetingNow with the rota's facilitator for the
// meeting given by sign-in (another member of the group, say).
func planMeetingNowBy(t *testing.T, a *app, planned string) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(a.DataDir, "peercircle.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := sqlstore.New(db, nil)
	fac, err := s.PersonByLogin(ctx, "facilitator")
	if err != nil {
		t.Fatal(err)
	}
	rota, err := s.PersonByLogin(ctx, planned)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := s.GroupsOf(ctx, fac.ID)
	if err != nil || len(groups) == 0 {
		t.Fatalf("the demo facilitator has no group: %v", err)
	}
	amman, _ := time.LoadLocation("Asia/Amman")
	start := time.Now().In(amman).Add(-5 * time.Minute).Truncate(time.Minute)
	m := &peercircle.Session{GroupID: groups[0].ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
		LocalDate: start.Format(time.DateOnly), Status: peercircle.SessionPlanned, FacilitatorID: rota.ID}
	if err := s.AddSession(ctx, m); err != nil {
		t.Fatal(err)
	}
}

// TestAWholeMeeting runs one meeting of the demo's Nuzha staff group from
// three phones: the facilitator runs the agenda with the timer, two members
// check in and share a feeling from their own browsers, feedback is given
// anonymously, the summary is written (the guard catches a planted name),
// submitted, returned, fixed and accepted by the organiser, and the
// coordinator reads it without the confidential text. Pages are
// photographed in English and Arabic and checked with axe.
func TestAWholeMeeting(t *testing.T) {
	a := startDemo(t)
	planMeetingNow(t, a)
	root := browser.New(t)
	const secret = "the vaccination rota"
	const planted = "Rana Darwish"

	fac := browser.NewContext(t, root)
	signIn(t, fac, a, "facilitator")
	yara := browser.NewContext(t, root)
	signIn(t, yara, a, "member")
	rana := browser.NewContext(t, root)
	signIn(t, rana, a, "rana.darwish")

	// The member finds today's meeting from "Suggest something for the agenda".
	browser.Click(t, yara, "#suggest-link")
	browser.WaitVisible(t, yara, "#propose")
	m := regexp.MustCompile(`/sessions/(\d+)`).FindStringSubmatch(browser.URL(t, yara))
	if m == nil {
		t.Fatalf("suggest led to %s", browser.URL(t, yara))
	}
	meeting := a.URL + "/sessions/" + m[1]
	browser.Screenshot(t, yara, "sessions/meeting-member-en")
	checkAccessibility(t, yara, "meeting page (member)")
	browser.Fill(t, yara, "#f-title", "Sleep after night shifts")
	browser.Submit(t, yara, "#f-title")
	if msg := browser.Text(t, yara, ".flash"); !strings.Contains(msg, "on the agenda") {
		t.Fatalf("flash after proposing = %q", msg)
	}

	// The facilitator prepares and starts the meeting.
	browser.Navigate(t, fac, meeting)
	browser.Screenshot(t, fac, "sessions/meeting-facilitator-en")
	browser.Navigate(t, fac, meeting+"/live")
	browser.Screenshot(t, fac, "sessions/live-before-en")
	browser.Submit(t, fac, "#start-meeting")
	browser.WaitVisible(t, fac, "#reminder")
	browser.Screenshot(t, fac, "sessions/live-reminder-en")
	checkAccessibility(t, fac, "live page with the reminder")
	browser.Submit(t, fac, "#reminder button")

	// The timer counts down in the browser between page loads.
	first := browser.Text(t, fac, `[data-clock="remaining"]`)
	time.Sleep(2200 * time.Millisecond)
	if again := browser.Text(t, fac, `[data-clock="remaining"]`); again == first {
		t.Fatalf("the countdown did not move: %q then %q", first, again)
	}

	// Two members check in and share how they feel from their own phones.
	for _, member := range []context.Context{yara, rana} {
		browser.Navigate(t, member, meeting)
		browser.WaitVisible(t, member, "#im-here")
		browser.Submit(t, member, "#im-here")
		browser.Click(t, member, ".feeling-tired input")
		browser.Submit(t, member, ".feelings-pick button")
	}
	browser.Screenshot(t, rana, "sessions/member-checked-in-en")

	// The facilitator's page catches up by itself (live.js polls).
	waitFor(t, fac, "two people in the check-in round", `document.querySelectorAll(".turns .turn").length === 2`, 20*time.Second)
	waitFor(t, fac, "two people feeling tired", `document.querySelector('[data-feeling="tired"]').textContent === "2"`, 20*time.Second)
	browser.Submit(t, fac, `.turns .turn:first-child button[value="speaking"]`)
	browser.Submit(t, fac, `.turns .turn:first-child button[value="spoke"]`)
	browser.Submit(t, fac, `.turns .turn:nth-child(2) button[value="passed"]`)
	if got := browser.Text(t, fac, "#checkin summary"); !strings.Contains(got, "2 of 2") {
		t.Fatalf("check-in progress = %q", got)
	}
	browser.Screenshot(t, fac, "sessions/live-checkin-en")
	checkAccessibility(t, fac, "live page, check-in")

	// A reload keeps everything: the state is on the server.
	browser.Navigate(t, fac, meeting+"/live")
	if got := browser.Text(t, fac, "#checkin summary"); !strings.Contains(got, "2 of 2") {
		t.Fatalf("after a reload the check-in shows %q", got)
	}

	// A visiting nurse without an account is recorded with a tap.
	browser.Fill(t, fac, "#f-guest_name", "Visiting nurse from Zarqa Camp")
	browser.Fill(t, fac, "#f-guest_kind", "visitor")
	browser.Submit(t, fac, "#f-guest_name")
	if got := browser.Text(t, fac, "#attendance summary"); !strings.Contains(got, "3 present") {
		t.Fatalf("attendance = %q", got)
	}

	// Through the agenda to the closing round.
	for range 3 {
		browser.Submit(t, fac, "#next-segment")
	}
	browser.WaitVisible(t, fac, "#end-meeting")
	toLanguage(t, fac, "ar")
	browser.Screenshot(t, fac, "sessions/live-closing-ar")
	toLanguage(t, fac, "en")
	browser.Submit(t, fac, "#open-feedback")
	browser.WaitVisible(t, fac, "svg.qr")
	browser.Screenshot(t, fac, "sessions/live-feedback-code-en")
	link := browser.Attr(t, fac, "#code-link", "value")

	// Feedback: the two members from their page, and a third person who
	// scans the code on the facilitator's screen without an account.
	for i, member := range []context.Context{yara, rana} {
		browser.Navigate(t, member, meeting)
		browser.WaitVisible(t, member, "#give-feedback")
		browser.Submit(t, member, "#give-feedback")
		browser.WaitVisible(t, member, "#send-feedback")
		if i == 0 {
			browser.Screenshot(t, member, "sessions/feedback-form-en")
			checkAccessibility(t, member, "feedback form")
		}
		browser.Click(t, member, `input[name="rating_safe"][value="5"]`)
		browser.Click(t, member, `input[name="rating_useful"][value="4"]`)
		browser.Fill(t, member, "#f-grateful", "Time to breathe together")
		browser.Submit(t, member, "#send-feedback")
		if got := browser.Text(t, member, "h1"); got != "Thank you" {
			t.Fatalf("after feedback: %q", got)
		}
	}
	// The visiting nurse scans the code on the facilitator's screen.
	// The demo's groups meet in Arabic: the form opens in the meeting's
	// language on this English browser, without choosing it.
	guest := browser.NewContext(t, root)
	browser.Navigate(t, guest, link)
	browser.WaitVisible(t, guest, `html[lang="ar"][dir="rtl"]`)
	browser.Screenshot(t, guest, "sessions/feedback-form-ar")
	browser.Click(t, guest, `input[name="rating_heard"][value="4"]`)
	browser.Submit(t, guest, "#send-feedback")
	browser.Navigate(t, guest, link)
	if got := browser.Text(t, guest, "main"); !strings.Contains(got, "استُخدم") {
		t.Fatalf("a used code should be refused, the page says %q", got)
	}

	// The meeting ends; the summary is written and the guard catches a name.
	browser.Navigate(t, fac, meeting+"/live")
	browser.Submit(t, fac, "#end-meeting")
	browser.WaitVisible(t, fac, "#write-summary")
	browser.Click(t, fac, "#write-summary")
	browser.WaitVisible(t, fac, "#submit-summary")
	browser.Fill(t, fac, "#f-topic", "Self-care for staff")
	browser.Fill(t, fac, "#f-key_issues", "We talked about "+secret+" and how "+planted+" copes with it.")
	browser.Fill(t, fac, "#f-follow_ups", "Ask the area team for a fixed room.")
	browser.Submit(t, fac, "#save-summary")
	browser.WaitVisible(t, fac, ".finding")
	if got := browser.Text(t, fac, ".finding mark"); got != planted {
		t.Fatalf("the guard highlighted %q", got)
	}
	browser.Screenshot(t, fac, "sessions/summary-guard-en")
	checkAccessibility(t, fac, "summary form with a finding")
	browser.Click(t, fac, `.finding input[value="remove"]`) // decided with the submit
	browser.Submit(t, fac, "#submit-summary")
	if msg := browser.Text(t, fac, ".flash"); !strings.Contains(msg, "sent to the organiser") {
		t.Fatalf("flash after submitting = %q", msg)
	}
	if got := browser.Text(t, fac, "main"); strings.Contains(got, "Rana") || !strings.Contains(got, "[name]") {
		t.Fatalf("remove left the name or no placeholder: %q", got)
	}

	// The organiser returns it with a comment; the facilitator fixes it.
	org := browser.NewContext(t, root)
	signIn(t, org, a, "organiser")
	browser.Navigate(t, org, a.URL+"/summaries")
	browser.Click(t, org, `a[href="/sessions/`+m[1]+`/summary"]`)
	browser.WaitVisible(t, org, "#review")
	browser.Screenshot(t, org, "sessions/summary-review-en")
	browser.Fill(t, org, "#f-comment", "Please add when the area team will answer.")
	browser.Submit(t, org, "#return-summary")
	browser.Navigate(t, fac, meeting+"/summary/edit")
	if got := browser.Text(t, fac, ".callout[role=note]"); !strings.Contains(got, "when the area team will answer") {
		t.Fatalf("the facilitator does not see the comment: %q", got)
	}
	browser.Fill(t, fac, "#f-follow_ups", "Ask the area team for a fixed room; answer expected by the next meeting.")
	browser.Submit(t, fac, "#submit-summary")
	browser.Navigate(t, org, meeting+"/summary")
	browser.Submit(t, org, "#accept-summary")
	if got := browser.Text(t, org, ".tag.state-accepted"); got != "Accepted" {
		t.Fatalf("state = %q", got)
	}
	toLanguage(t, org, "ar")
	browser.Screenshot(t, org, "sessions/summary-accepted-ar")
	toLanguage(t, org, "en")
	// As printed: the organisation's heading, no navigation or buttons.
	if _, err := chromedp.Call(org, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if got := browser.Text(t, org, ".sheet-head"); !strings.Contains(got, "Amal Family Health Programme") || !strings.Contains(got, "Sheet 2") {
		t.Fatalf("print heading = %q", got)
	}
	if visible := browser.Eval[bool](t, org, `getComputedStyle(document.querySelector("header.top nav")).display !== "none"`); visible {
		t.Fatal("the navigation prints")
	}
	browser.Screenshot(t, org, "sessions/summary-print-en")
	if _, err := chromedp.Call(org, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	// The coordinator reads it: figures and topic, never the text.
	coord := browser.NewContext(t, root)
	signIn(t, coord, a, "coordinator")
	browser.Navigate(t, coord, a.URL+"/summaries")
	browser.Screenshot(t, coord, "sessions/summaries-coordinator-en")
	browser.Navigate(t, coord, meeting+"/summary")
	body := browser.Text(t, coord, "main")
	if strings.Contains(body, secret) || strings.Contains(body, "fixed room") || !strings.Contains(body, "Self-care for staff") {
		t.Fatalf("the coordinator's view: %q", body)
	}
	browser.WaitVisible(t, coord, "#confidential-hidden")
	browser.Screenshot(t, coord, "sessions/summary-coordinator-en")
	checkAccessibility(t, coord, "summary, coordinator's view")

	// The feedback results, now that three people answered.
	browser.Navigate(t, fac, meeting+"/feedback")
	if got := browser.Text(t, fac, "main"); !strings.Contains(got, "3 responses") || !strings.Contains(got, "Time to breathe together") {
		t.Fatalf("feedback results: %q", got)
	}
	browser.Screenshot(t, fac, "sessions/feedback-results-en")

	if out := a.Output(); strings.Contains(out, secret) || strings.Contains(out, "Time to breathe") {
		t.Fatal("confidential text reached the server's output")
	}
}

// TestLivePageInArabicOnAPhone photographs the live page in Arabic at a
// phone's size, with the countdown and the panels mirrored.
func TestLivePageInArabicOnAPhone(t *testing.T) {
	a := startDemo(t)
	planMeetingNow(t, a)
	root := browser.New(t)
	fac := browser.NewContext(t, root)
	signIn(t, fac, a, "facilitator")
	toLanguage(t, fac, "ar")
	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")
	browser.Click(t, member, "#suggest-link")
	browser.WaitVisible(t, member, "#propose")
	meeting := strings.SplitN(browser.URL(t, member), "#", 2)[0]

	browser.Navigate(t, fac, meeting+"/live")
	browser.Submit(t, fac, "#start-meeting")
	browser.Submit(t, fac, "#reminder button")
	browser.Navigate(t, member, meeting)
	browser.Submit(t, member, "#im-here")
	toLanguage(t, member, "ar")
	browser.Screenshot(t, member, "sessions/meeting-member-phone-ar")
	browser.Navigate(t, fac, meeting+"/live")
	if dir := browser.Eval[string](t, fac, "getComputedStyle(document.querySelector('.segment-nav')).direction"); dir != "rtl" {
		t.Fatalf("direction = %q", dir)
	}
	if !regexp.MustCompile(`^[٠-٩]+:[٠-٩]{2}$`).MatchString(browser.Text(t, fac, `[data-clock="remaining"]`)) {
		t.Fatalf("the countdown is not in Arabic digits: %q", browser.Text(t, fac, `[data-clock="remaining"]`))
	}
	browser.Screenshot(t, fac, "sessions/live-phone-ar")
	checkAccessibility(t, fac, "live page, Arabic, phone")
}

// TestTheLivePageCatchesUpAfterADroppedConnection takes the facilitator's
// phone offline while a member checks in, then brings it back: the page
// says it lost the connection, and catches up by itself when it returns.
func TestTheLivePageCatchesUpAfterADroppedConnection(t *testing.T) {
	a := startDemo(t)
	planMeetingNow(t, a)
	root := browser.New(t)
	fac := browser.NewContext(t, root)
	signIn(t, fac, a, "facilitator")
	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")
	browser.Click(t, member, "#suggest-link")
	browser.WaitVisible(t, member, "#propose")
	meeting := strings.SplitN(browser.URL(t, member), "#", 2)[0]
	browser.Navigate(t, fac, meeting+"/live")
	browser.Submit(t, fac, "#start-meeting")
	browser.Submit(t, fac, "#reminder button")

	offline := func(off bool) {
		t.Helper()
		params := network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}}}
		if _, err := chromedp.Call(fac, network.EmulateNetworkConditionsByRule, params); err != nil {
			t.Fatal(err)
		}
	}
	offline(true)
	browser.Navigate(t, member, meeting)
	browser.Submit(t, member, "#im-here")
	waitFor(t, fac, "the offline notice", `document.querySelector(".live-status").textContent.includes("connection is lost")`, 30*time.Second)
	if n := browser.Eval[int](t, fac, `document.querySelectorAll(".turns .turn").length`); n != 0 {
		t.Fatalf("offline, the page already shows %d people", n)
	}
	// The clock keeps running while offline.
	first := browser.Text(t, fac, `[data-clock="remaining"]`)
	time.Sleep(1500 * time.Millisecond)
	if browser.Text(t, fac, `[data-clock="remaining"]`) == first {
		t.Fatal("the countdown stopped while offline")
	}
	browser.Screenshot(t, fac, "sessions/live-offline-en")
	offline(false)
	waitFor(t, fac, "the member in the check-in round", `document.querySelectorAll(".turns .turn").length === 1`, 30*time.Second)
}
