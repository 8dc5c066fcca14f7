package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle/internal/browser"
)

// TestSubscribingToTheCalendarOnAPhone: a member opens their calendar
// links on a phone, in Arabic; beside each secret link are "Subscribe on
// this device" (a webcal: link to the same feed) and "Copy link", which
// copies the link and says so (issue 11, item 12).
func TestSubscribingToTheCalendarOnAPhone(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t, browser.WithPhone(360, 740))
	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")
	toLanguage(t, member, "ar")
	browser.Navigate(t, member, a.URL+"/calendar")
	browser.WaitVisible(t, member, `button[data-copy="f-all"]`)
	link := browser.Eval[string](t, member, `document.getElementById("f-all").value`)
	if !strings.HasPrefix(link, a.URL+"/calendar/") {
		t.Fatalf("the link is %q", link)
	}
	if got := browser.Attr(t, member, "#f-all-subscribe", "href"); got != "webcal://"+strings.TrimPrefix(link, "http://") {
		t.Fatalf("the subscribe link is %q for %q", got, link)
	}
	if got := browser.Text(t, member, "#f-all-subscribe"); got != "اشترك على هذا الجهاز" {
		t.Fatalf("the subscribe link says %q", got)
	}
	browser.Click(t, member, `button[data-copy="f-all"]`)
	waitFor(t, member, "the copy to be confirmed", `document.querySelector(".feed-actions .copy-status").textContent !== ""`, 10*time.Second)
	if got := browser.Text(t, member, ".feed-actions .copy-status"); !strings.Contains(got, "نُسخ الرابط") {
		t.Fatalf("after copying the page says %q", got)
	}
	browser.Screenshot(t, member, "calendar/links-ar")
	checkAccessibility(t, member, "calendar links, Arabic, phone")
}
