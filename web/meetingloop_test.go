package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The meeting loop as people live it (issue 11): the way into a meeting
// that is on, who facilitated, a rota that changes only by recorded acts.

// TestHomeAndGroupPageLeadIntoTheMeetingThatIsOn: while the fixture's
// meeting runs, the member's home and group page lead to the meeting page
// where "I'm here" is, and the facilitator's and the organiser's home to
// the live page; before a meeting, whoever runs it finds "Prepare and
// start" on their home.
func TestHomeAndGroupPageLeadIntoTheMeetingThatIsOn(t *testing.T) {
	e := newEnv(t)
	running := e.In["session"]
	join := fmt.Sprintf(`href="/sessions/%d#now"`, running)
	live := fmt.Sprintf(`href="/sessions/%d/live"`, running)
	for _, c := range []struct {
		role, path, want, words string
	}{
		{"member", "/", join, "Join the meeting"},
		{"member", "/groups/" + id(e.In["group"]), join, "Join the meeting"},
		{"facilitator", "/", live, "Open the live page"},
		{"facilitator", "/groups/" + id(e.In["group"]), live, "Open the live page"},
		{"organiser", "/", live, "Open the live page"},
	} {
		res := e.as(c.role).get(c.path)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, c.want) || !strings.Contains(res.Body, c.words) || !strings.Contains(res.Body, "The meeting is on") {
			t.Errorf("%s on %s: no %s %q:\n%s", c.role, c.path, c.want, c.words, excerpt(res.Body))
		}
	}
	// Out of scope: the coordinator and the other half see no way in.
	if res := e.as("coordinator").get("/"); strings.Contains(res.Body, live) || strings.Contains(res.Body, join) {
		t.Errorf("the coordinator's home leads into the meeting")
	}

	// The facilitator's next meeting, tomorrow: "Prepare and start" on the home.
	next := newMeetingIn(t, e, -24*time.Hour)
	res := e.as("facilitator").get("/")
	if !strings.Contains(res.Body, fmt.Sprintf(`href="/sessions/%d/live">Prepare and start`, next)) {
		t.Errorf("the facilitator's home has no Prepare and start for the next meeting:\n%s", excerpt(res.Body))
	}
	if res := e.as("member").get("/"); strings.Contains(res.Body, fmt.Sprintf(`/sessions/%d/live`, next)) {
		t.Errorf("a member is offered the live page")
	}
}
