package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Issue 11, item 5: a member who opened the feedback form and left it comes
// back to the same form until the round closes; still one answer per code.
func TestFeedbackFormReopens(t *testing.T) {
	e := newEnv(t)
	id := newMeetingIn(t, e, 5*time.Minute)
	fac := e.as("facilitator")
	member := e.as("member")
	page := fmt.Sprintf("/sessions/%d", id)
	live := page + "/live"
	claim := page + "/feedback/claim"

	wantStatus(t, fac.post(live, url.Values{"op": {"start"}}), http.StatusSeeOther)
	member.get(page)
	wantStatus(t, member.post(page+"/here", nil), http.StatusSeeOther)
	wantStatus(t, fac.post(page+"/feedback", url.Values{"op": {"open"}}), http.StatusSeeOther)

	member.get(page)
	res := member.post(claim, nil)
	wantStatus(t, res, http.StatusSeeOther)
	form := res.Header.Get("Location")
	if !strings.HasPrefix(form, fmt.Sprintf("/feedback/%d/", id)) {
		t.Fatalf("location %q", form)
	}
	wantStatus(t, member.get(form), http.StatusOK)

	t.Run("leaving the form and coming back leads to the same form", func(t *testing.T) {
		home := member.get(page)
		if !strings.Contains(home.Body, "Back to my feedback form") || strings.Contains(home.Body, "You have taken your feedback form") {
			t.Fatalf("the meeting page does not lead back to the form: %s", excerpt(home.Body))
		}
		res := member.post(claim, nil)
		wantStatus(t, res, http.StatusSeeOther)
		if got := res.Header.Get("Location"); got != form {
			t.Fatalf("coming back led to %q, not to the same form %q", got, form)
		}
		wantStatus(t, member.get(form), http.StatusOK)
	})

	t.Run("after the meeting ends the member can still come back while feedback is open", func(t *testing.T) {
		wantStatus(t, fac.post(live, url.Values{"op": {"end"}}), http.StatusSeeOther)
		res := member.get(page)
		if !strings.Contains(res.Body, "Back to my feedback form") {
			t.Fatalf("the ended meeting's page does not lead back to the form: %s", excerpt(res.Body))
		}
		res = member.post(claim, nil)
		wantStatus(t, res, http.StatusSeeOther)
		if got := res.Header.Get("Location"); got != form {
			t.Fatalf("coming back led to %q, not to %q", got, form)
		}
	})

	t.Run("one answer per code", func(t *testing.T) {
		wantStatus(t, member.post(form, url.Values{"rating_useful": {"4"}}), http.StatusOK)
		res := member.post(form, url.Values{"rating_useful": {"1"}})
		wantStatus(t, res, http.StatusConflict)
		res = member.post(claim, nil)
		wantStatus(t, res, http.StatusConflict)
		if !strings.Contains(res.Body, "You have given your feedback on this meeting") {
			t.Fatal(excerpt(res.Body))
		}
		res = member.get(page)
		if !strings.Contains(res.Body, "You have given your feedback on this meeting") || strings.Contains(res.Body, "Back to my feedback form") {
			t.Fatalf("after answering: %s", excerpt(res.Body))
		}
	})

	t.Run("once the round closes the form does not reopen", func(t *testing.T) {
		fac.get(page)
		// After the end, attendance is the facilitator's to correct.
		wantStatus(t, fac.post(live+"/attendance", url.Values{"person": {id2(e.People["facilitator"].ID)}, "present": {"1"}}), http.StatusSeeOther)
		wantStatus(t, fac.post(page+"/feedback", url.Values{"op": {"open"}}), http.StatusSeeOther)
		res := fac.post(claim, nil)
		wantStatus(t, res, http.StatusSeeOther)
		code := res.Header.Get("Location")
		wantStatus(t, fac.post(page+"/feedback", url.Values{"op": {"close"}}), http.StatusSeeOther)
		res = fac.post(claim, nil)
		if res.StatusCode == http.StatusSeeOther || !strings.Contains(res.Body, "Feedback for this meeting is closed") {
			t.Fatalf("a closed round reopened the form: %d %s", res.StatusCode, excerpt(res.Body))
		}
		if res := fac.get(code); !strings.Contains(res.Body, "Feedback for this meeting is closed") {
			t.Fatalf("the code still opens the form: %s", excerpt(res.Body))
		}
	})
}
