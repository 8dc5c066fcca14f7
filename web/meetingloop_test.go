package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
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

// TestTheOneWhoFacilitatedIsCredited: the rota planned the member, the
// standing facilitator ran the meeting. The live page records her as she
// starts it; Sheet 2, the group page and Sheet 3 all credit her (and not
// the member), named the same way; Sheet 2 corrects it before it is sent.
func TestTheOneWhoFacilitatedIsCredited(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	start := time.Now().UTC().Add(-10 * time.Minute).Truncate(time.Minute)
	ses := &peercircle.Session{GroupID: e.In["group"], PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
		LocalDate: start.Format(time.DateOnly), Status: peercircle.SessionPlanned, FacilitatorID: e.People["member"].ID}
	if err := e.Store.AddSession(ctx, ses); err != nil {
		t.Fatal(err)
	}
	fac := e.as("facilitator")
	live := fmt.Sprintf("/sessions/%d/live", ses.ID)
	page := fac.get(live)
	want := fmt.Sprintf(`<option value="%d" selected>Test Facilitator</option>`, e.People["facilitator"].ID)
	if !strings.Contains(page.Body, want) {
		t.Fatalf("the live page does not offer the one starting it as facilitator:\n%s", excerpt(page.Body))
	}
	wantStatus(t, fac.post(live, url.Values{"op": {"start"}, "facilitator": {id(e.People["facilitator"].ID)}}), http.StatusSeeOther)
	wantStatus(t, fac.post(live, url.Values{"op": {"end"}}), http.StatusSeeOther)

	credited := func(where, body string) {
		t.Helper()
		if !strings.Contains(body, "Test Facilitator") || strings.Contains(body, "Test Member") {
			t.Errorf("%s does not credit the facilitator alone:\n%s", where, excerpt(body))
		}
	}
	edit := fac.get(fmt.Sprintf("/sessions/%d/summary/edit", ses.ID))
	wantStatus(t, edit, http.StatusOK)
	if !strings.Contains(edit.Body, want) {
		t.Errorf("Sheet 2's Facilitated by is not her:\n%s", excerpt(edit.Body))
	}
	facts := edit.Body[strings.Index(edit.Body, `<dl class="facts`):]
	credited("Sheet 2's facts", facts[:strings.Index(facts, "</dl>")])
	group := e.as("member").get("/groups/" + id(e.In["group"]))
	recent := group.Body[strings.Index(group.Body, `id="h-recent"`):]
	recent = recent[:strings.Index(recent, "</section>")]
	credited("the group page's recent meetings", recent)
	q := fmt.Sprintf("%dQ%d", start.Year(), (int(start.Month())-1)/3+1)
	sheet3 := e.as("organiser").get(fmt.Sprintf("/sites/%d/reports/%s", e.In["site"], q))
	wantStatus(t, sheet3, http.StatusOK)
	if !strings.Contains(sheet3.Body, "Test Facilitator") {
		t.Errorf("Sheet 3 does not credit her:\n%s", excerpt(sheet3.Body))
	}

	// Corrected on Sheet 2 before it is sent: the member after all.
	form := url.Values{"op": {"save"}, "version": {"0"}, "facilitator": {id(e.People["member"].ID)}}
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/summary", ses.ID), form), http.StatusSeeOther)
	if got, _ := e.Store.Session(ctx, ses.ID); got.FacilitatorID != e.People["member"].ID {
		t.Fatalf("the correction was not recorded: facilitator %d", got.FacilitatorID)
	}
	// Someone outside the group cannot be recorded.
	form.Set("facilitator", id(e.People["coordinator"].ID))
	form.Set("version", "1")
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/summary", ses.ID), form), http.StatusUnprocessableEntity)
	// Once submitted it is the record.
	if err := e.Store.SubmitSummary(ctx, ses.ID, e.People["facilitator"].ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetFacilitator(ctx, ses.ID, e.People["facilitator"].ID, e.People["facilitator"].ID); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
		t.Fatalf("a submitted Sheet 2's facilitator changed: %v", err)
	}
}
