package e2e

import (
	"strings"
	"testing"

	"github.com/peercircle/peercircle/internal/browser"
)

// TestTheFeedbackFormReopensOnAPhone: a member opens the anonymous feedback
// form on their phone, in Arabic, leaves it for their home page, and comes
// back to the same form from the meeting page (issue 11, item 5); once they
// answer, the page thanks them and offers no second form.
func TestTheFeedbackFormReopensOnAPhone(t *testing.T) {
	a := startDemo(t)
	planMeetingNow(t, a)
	root := browser.New(t, browser.WithPhone(360, 740))
	fac := browser.NewContext(t, root)
	signIn(t, fac, a, "facilitator")
	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")
	toLanguage(t, member, "ar")

	// The facilitator starts the meeting from her home.
	browser.Click(t, fac, `.meeting-now a[id^="run-"]`)
	browser.WaitVisible(t, fac, "#start-meeting")
	meeting := strings.TrimSuffix(browser.URL(t, fac), "/live")
	browser.Submit(t, fac, "#start-meeting")
	browser.WaitVisible(t, fac, "#reminder")
	browser.Submit(t, fac, "#reminder button")

	// The member says they are here.
	browser.Navigate(t, member, meeting)
	browser.WaitVisible(t, member, "#im-here")
	browser.Submit(t, member, "#im-here")

	// Closing round: the facilitator opens the feedback.
	for range 3 {
		browser.Submit(t, fac, "#next-segment")
	}
	browser.Submit(t, fac, "#open-feedback")
	browser.WaitVisible(t, fac, "svg.qr")

	// The member opens the form, then leaves it.
	browser.Navigate(t, member, meeting)
	browser.WaitVisible(t, member, "#give-feedback")
	browser.Submit(t, member, "#give-feedback")
	browser.WaitVisible(t, member, "#send-feedback")
	form := browser.URL(t, member)
	browser.Navigate(t, member, a.URL+"/")

	// Back on the meeting page: the way back to the same form.
	browser.Navigate(t, member, meeting)
	browser.WaitVisible(t, member, "#give-feedback")
	if got := browser.Text(t, member, "#give-feedback"); got != "العودة إلى نموذج التقييم" {
		t.Fatalf("the meeting page offers %q", got)
	}
	browser.Screenshot(t, member, "feedback/back-to-form-ar")
	checkAccessibility(t, member, "meeting page with the way back to the feedback form, Arabic")
	browser.Submit(t, member, "#give-feedback")
	browser.WaitVisible(t, member, "#send-feedback")
	if got := browser.URL(t, member); got != form {
		t.Fatalf("came back to %s, not to the same form %s", got, form)
	}
	browser.Click(t, member, `input[name="rating_safe"][value="5"]`)
	browser.Submit(t, member, "#send-feedback")
	if got := browser.Text(t, member, "h1"); got != "شكرًا لك" {
		t.Fatalf("after feedback: %q", got)
	}

	// One answer: the meeting page thanks them and offers no form.
	browser.Navigate(t, member, meeting)
	if got := browser.Text(t, member, "#now"); !strings.Contains(got, "شاركت رأيك في هذا اللقاء") {
		t.Fatalf("after answering the meeting page says %q", got)
	}
	if n := browser.Eval[int](t, member, `document.querySelectorAll("#give-feedback").length`); n != 0 {
		t.Fatal("the meeting page still offers a feedback form after the answer")
	}
	browser.Navigate(t, member, form)
	if got := browser.Text(t, member, "main"); !strings.Contains(got, "استُخدم") {
		t.Fatalf("a used code should be refused, the page says %q", got)
	}
}
