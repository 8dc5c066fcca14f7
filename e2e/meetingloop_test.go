package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle/internal/browser"
)

// TestTheWayIntoARunningMeetingOnAPhone walks the facilitator's and the
// member's way into a meeting on a phone, as issue 11 asks: from the home
// page, without knowing any address. The facilitator goes in English
// ("Prepare and start" on her home, start, the confidentiality reminder);
// the member in Arabic ("The meeting is on — join" on his home, "I'm
// here"), and back in English from the group page. The rota had planned
// another member; the facilitator who ran it is the one Sheet 2 credits.
func TestTheWayIntoARunningMeetingOnAPhone(t *testing.T) {
	a := startDemo(t)
	planMeetingNowBy(t, a, "rana.darwish")
	root := browser.New(t, browser.WithPhone(360, 740))
	fac := browser.NewContext(t, root)
	signIn(t, fac, a, "facilitator")
	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")

	// Before it starts, the member's home says a meeting is today.
	toLanguage(t, member, "ar")
	browser.WaitVisible(t, member, ".meeting-now")
	browser.Screenshot(t, member, "meetingloop/home-before-ar")

	// The facilitator's home: "Prepare and start", then start.
	browser.WaitVisible(t, fac, `.meeting-now a[id^="run-"]`)
	if got := browser.Text(t, fac, `.meeting-now a[id^="run-"]`); got != "Prepare and start" {
		t.Fatalf("the facilitator's home offers %q", got)
	}
	browser.Screenshot(t, fac, "meetingloop/home-facilitator-en")
	checkAccessibility(t, fac, "facilitator's home with a meeting today")
	browser.Click(t, fac, `.meeting-now a[id^="run-"]`)
	browser.WaitVisible(t, fac, "#start-meeting")
	if got := browser.Eval[string](t, fac, `document.querySelector("#f-facilitator").selectedOptions[0].textContent`); got != "Sara Khalil" {
		t.Fatalf("the live page would record %q as facilitator", got)
	}
	meeting := strings.TrimSuffix(browser.URL(t, fac), "/live")
	browser.Submit(t, fac, "#start-meeting")
	browser.WaitVisible(t, fac, "#reminder")
	browser.Submit(t, fac, "#reminder button")

	// The member's home now says the meeting is on and leads to "I'm here".
	browser.Navigate(t, member, a.URL+"/")
	if got := browser.Text(t, member, ".meeting-now h2"); got != "اللقاء جارٍ الآن" {
		t.Fatalf("the member's home says %q", got)
	}
	browser.Screenshot(t, member, "meetingloop/home-meeting-on-ar")
	checkAccessibility(t, member, "member's home, meeting on, Arabic")
	browser.Click(t, member, `.meeting-now a[id^="join-"]`)
	browser.WaitVisible(t, member, "#im-here")
	browser.Submit(t, member, "#im-here")
	browser.WaitVisible(t, member, "#now .tag")
	browser.Screenshot(t, member, "meetingloop/meeting-here-ar")

	// Back in English, the group page leads into the meeting too.
	browser.Navigate(t, member, a.URL+"/")
	toLanguage(t, member, "en")
	browser.Click(t, member, ".meeting-now .next-group a")
	browser.WaitVisible(t, member, ".meeting-on")
	if got := browser.Text(t, member, `.meetings a[id^="join-"]`); got != "Join the meeting" {
		t.Fatalf("the group page offers %q", got)
	}
	browser.Screenshot(t, member, "meetingloop/group-meeting-on-en")

	// The facilitator's page has the member in the check-in round.
	waitFor(t, fac, "the member in the check-in round", `document.querySelectorAll(".turns .turn").length === 1`, 20*time.Second)
	if got := browser.Text(t, fac, ".turns"); !strings.Contains(got, "Yara") {
		t.Fatalf("check-in round: %q", got)
	}

	// Sheet 2 credits the one who ran it, not the member the rota planned.
	browser.Navigate(t, fac, meeting+"/summary/edit")
	if got := browser.Text(t, fac, ".sheet-facts"); !strings.Contains(got, "Sara Khalil") || strings.Contains(got, "Rana") {
		t.Fatalf("Sheet 2 says: %q", got)
	}
	browser.Screenshot(t, fac, "meetingloop/sheet2-facilitated-by-en")
}

// TestARotaChangeOnAPhone: the member cannot make their turn; from the
// group page, in Arabic on a phone, they send apologies with a
// substitute. The group page lists the change (the bell notices are
// checked in web's TestTheRotaChangesOnlyByRecordedActs).
func TestARotaChangeOnAPhone(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t, browser.WithPhone(360, 740))
	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")
	toLanguage(t, member, "ar")
	browser.Click(t, member, ".cards a[href^='/groups/']")
	browser.Click(t, member, `a[id^="turn-"]`)
	browser.WaitVisible(t, member, "#f-substitute")
	browser.Screenshot(t, member, "meetingloop/turn-ar")
	checkAccessibility(t, member, "your turn, Arabic")
	sub := browser.Eval[string](t, member, `(function () { const s = document.querySelector("#f-substitute"); s.selectedIndex = 1; return s.selectedOptions[0].textContent; })()`)
	browser.Submit(t, member, "#send-apologies")
	browser.WaitVisible(t, member, ".rota-changes")
	if got := browser.Text(t, member, ".rota-changes li"); !strings.Contains(got, sub) || !strings.Contains(got, "Yara Nasser") {
		t.Fatalf("the group page lists %q, want Yara Nasser → %s", got, sub)
	}
	browser.Screenshot(t, member, "meetingloop/rota-changes-ar")
}
