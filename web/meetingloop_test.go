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

// TestHeldAndPastMeetingsSayWhatTheyAre: a held meeting's pages say it was
// held (the plan page showed the raw key !meeting.held!), it cannot be
// started again, and a past one cannot be started either.
func TestHeldAndPastMeetingsSayWhatTheyAre(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	fac := e.as("facilitator")
	held := newMeetingIn(t, e, 30*time.Minute)
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/live", held), url.Values{"op": {"start"}}), http.StatusSeeOther)
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/live", held), url.Values{"op": {"end"}}), http.StatusSeeOther)
	if err := e.Store.SaveSummary(ctx, &peercircle.Summary{SessionID: held, Notes: map[string]string{}}, e.People["facilitator"].ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SubmitSummary(ctx, held, e.People["facilitator"].ID); err != nil {
		t.Fatal(err)
	}
	past := newMeetingIn(t, e, 3*time.Hour)
	// Recorded on Sheet 2 without the live page: held, never started.
	recorded := newMeetingIn(t, e, 20*time.Minute)
	if err := e.Store.SaveSummary(ctx, &peercircle.Summary{SessionID: recorded, Notes: map[string]string{}}, e.People["facilitator"].ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SubmitSummary(ctx, recorded, e.People["facilitator"].ID); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, want string
	}{
		{fmt.Sprintf("/sessions/%d/plan", held), "Held"},
		{fmt.Sprintf("/sessions/%d", held), "This meeting was held."},
		{fmt.Sprintf("/sessions/%d", past), "This meeting’s time has passed"},
		{fmt.Sprintf("/sessions/%d/live", past), "It cannot be started now"},
		{fmt.Sprintf("/sessions/%d/live", recorded), "It cannot be started again"},
	} {
		res := e.as("organiser").get(c.path)
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(res.Body, "!meeting.") || !strings.Contains(res.Body, c.want) {
			t.Errorf("%s does not say %q:\n%s", c.path, c.want, excerpt(res.Body))
		}
		if strings.Contains(res.Body, `id="start-meeting"`) {
			t.Errorf("%s offers to start the meeting", c.path)
		}
	}
	for _, id := range []int64{past, recorded} {
		res := fac.post(fmt.Sprintf("/sessions/%d/live", id), url.Values{"op": {"start"}})
		wantStatus(t, res, http.StatusConflict)
		if _, err := e.Store.Live(ctx, id); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Errorf("meeting %d started: %v", id, err)
		}
	}
	// Members are not told a past meeting is on.
	if res := e.as("member").get("/"); strings.Contains(res.Body, fmt.Sprintf("/sessions/%d#now", past)) {
		t.Errorf("the member's home leads into a past meeting")
	}
}
