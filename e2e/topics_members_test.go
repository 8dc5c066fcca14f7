package e2e

import (
	"strings"
	"testing"

	"github.com/peercircle/peercircle/internal/browser"
)

// TestTheOrganiserPlansPartTwoAndBringsSomeoneIn (issue 11, items 6 and 8),
// on a phone: the organiser adds a topic to the site's library, gives the
// meeting's part 2 that topic and its presenter, and brings a new person
// into the group with an invitation link; the member reads part 2 on the
// meeting page in Arabic.
func TestTheOrganiserPlansPartTwoAndBringsSomeoneIn(t *testing.T) {
	a := startDemo(t)
	planMeetingNow(t, a)
	meeting := a.URL + "/sessions/" + latestSession(t, a)
	root := browser.New(t, browser.WithPhone(390, 844))

	org := browser.NewContext(t, root)
	signIn(t, org, a, "organiser")
	browser.Navigate(t, org, a.URL+"/sites/1")
	browser.Click(t, org, `a[href="/sites/1/topics"]`)
	browser.WaitVisible(t, org, "#h-new-topic")
	browser.Fill(t, org, "#f-title", "Compassion fatigue")
	browser.Fill(t, org, "#f-summary", "Noticing it in ourselves and in colleagues.")
	browser.Fill(t, org, "#f-link", "https://example.org/compassion-fatigue.pdf")
	browser.Submit(t, org, "#f-title")
	if body := browser.Text(t, org, "main"); !strings.Contains(body, "Compassion fatigue") {
		t.Fatalf("the topic is not in the library: %s", body)
	}
	browser.Screenshot(t, org, "topics/library-en")
	checkAccessibility(t, org, "topic library (en)")

	browser.Navigate(t, org, meeting+"/plan")
	topic := browser.Eval[string](t, org, `[...document.querySelectorAll("#f-topic option")].find(o => o.text.startsWith("Compassion fatigue")).value`)
	browser.Fill(t, org, "#f-topic", topic)
	browser.Submit(t, org, "#f-topic")
	if got := browser.Eval[string](t, org, `document.querySelector("#f-topic").value`); got != topic {
		t.Fatalf("the plan does not keep the topic: %q", got)
	}
	browser.Screenshot(t, org, "topics/plan-en")
	checkAccessibility(t, org, "meeting plan with part 2 (en)")

	browser.Navigate(t, org, a.URL+"/groups/1/members")
	browser.Fill(t, org, `form.narrow #f-full_name`, "Maryam Odeh")
	browser.Fill(t, org, `form.narrow #f-email`, "maryam.odeh@example.org")
	browser.Submit(t, org, `form.narrow #f-full_name`)
	if link := browser.Attr(t, org, "#invite-link", "value"); !strings.Contains(link, "/invite/") {
		t.Fatalf("no invitation link after adding someone new: %q", link)
	}
	browser.Screenshot(t, org, "topics/members-added-en")
	checkAccessibility(t, org, "members page after adding (en)")

	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")
	toLanguage(t, member, "ar")
	browser.Navigate(t, member, meeting)
	browser.WaitVisible(t, member, "#part2")
	if txt := browser.Text(t, member, "#part2"); !strings.Contains(txt, "Compassion fatigue") || !strings.Contains(txt, "الجزء الثاني") {
		t.Fatalf("part 2 on the member's meeting page: %q", txt)
	}
	browser.Screenshot(t, member, "topics/meeting-part2-ar")
	checkAccessibility(t, member, "meeting page with part 2 (ar)")
}
