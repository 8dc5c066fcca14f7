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

// TestTheRotaChangesOnlyByRecordedActs: apologies alone move no turn;
// apologies with a substitute, a swap both accept and the organiser's
// decision do, each listed on the group page and announced in the bell.
func TestTheRotaChangesOnlyByRecordedActs(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	member, fac, org := e.as("member"), e.as("facilitator"), e.as("organiser")
	ses, err := e.Store.Sessions(ctx, peercircle.SessionFilter{GroupID: e.In["group"], From: time.Now(), Statuses: []string{peercircle.SessionPlanned}})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := e.Store.Swap(ctx, e.In["swap"])
	if err != nil {
		t.Fatal(err)
	}
	var turns []int64 // the member's turns, outside the fixture's swap
	for _, m := range ses {
		if m.FacilitatorID == e.People["member"].ID && m.ID != sw.SessionB {
			turns = append(turns, m.ID)
		}
	}
	if len(turns) < 2 {
		t.Fatalf("the member has %d turns", len(turns))
	}
	facilitatorOf := func(id int64) int64 {
		t.Helper()
		m, err := e.Store.Session(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return m.FacilitatorID
	}

	// Apologies alone: the turn stays, the organiser decides.
	wantStatus(t, member.post(fmt.Sprintf("/sessions/%d/rsvp", turns[1]), url.Values{"answer": {"apologies"}}), http.StatusSeeOther)
	if facilitatorOf(turns[1]) != e.People["member"].ID {
		t.Fatal("apologies alone moved the turn")
	}

	// Apologies with a substitute, from "Can't make it?" on the group page.
	group := member.get("/groups/" + id(e.In["group"]))
	if !strings.Contains(group.Body, fmt.Sprintf(`href="/sessions/%d/turn"`, turns[0])) {
		t.Fatalf("no way to change the member's turn on the group page:\n%s", excerpt(group.Body))
	}
	page := member.get(fmt.Sprintf("/sessions/%d/turn", turns[0]))
	wantStatus(t, page, http.StatusOK)
	wantStatus(t, member.post(fmt.Sprintf("/sessions/%d/apologies", turns[0]), url.Values{"substitute": {id(e.People["facilitator"].ID)}}), http.StatusSeeOther)
	if facilitatorOf(turns[0]) != e.People["facilitator"].ID {
		t.Fatal("the substitute did not get the turn")
	}
	bell := func(c *client) string {
		t.Helper()
		res := c.get("/notifications")
		wantStatus(t, res, http.StatusOK)
		return res.Body
	}
	if b := bell(fac); !strings.Contains(b, "the turn as Facilitator is now yours") {
		t.Errorf("the substitute was not told:\n%s", excerpt(b))
	}
	if b := bell(org); !strings.Contains(b, "the Facilitator changed") {
		t.Errorf("the organiser was not told:\n%s", excerpt(b))
	}

	// The swap the facilitator proposed: the member accepts it.
	group = member.get("/groups/" + id(e.In["group"]))
	if !strings.Contains(group.Body, fmt.Sprintf(`action="/swaps/%d/answer"`, sw.ID)) {
		t.Fatalf("the swap is not on the member's group page:\n%s", excerpt(group.Body))
	}
	wantStatus(t, member.post(fmt.Sprintf("/swaps/%d/answer", sw.ID), url.Values{"answer": {"accept"}}), http.StatusSeeOther)
	if facilitatorOf(sw.SessionA) != e.People["member"].ID || facilitatorOf(sw.SessionB) != e.People["facilitator"].ID {
		t.Fatal("the swap was not made")
	}
	if b := bell(fac); !strings.Contains(b, "your swap was accepted") {
		t.Errorf("the facilitator was not told:\n%s", excerpt(b))
	}

	// The organiser puts the member on another rota and decides a turn.
	wantStatus(t, org.post("/groups/"+id(e.In["group"])+"/rota", url.Values{"person": {id(e.People["member"].ID)}, "role": {"greeter"}}), http.StatusSeeOther)
	wantStatus(t, org.post(fmt.Sprintf("/sessions/%d/substitute", turns[1]), url.Values{"role": {"facilitator"}, "person": {id(e.People["facilitator"].ID)}}), http.StatusSeeOther)
	if facilitatorOf(turns[1]) != e.People["facilitator"].ID {
		t.Fatal("the organiser's decision was not made")
	}
	if b := bell(member); !strings.Contains(b, "your turn as Facilitator went to someone else") {
		t.Errorf("the member was not told their turn went:\n%s", excerpt(b))
	}

	// The group page lists the four changes, who made them and why.
	group = member.get("/groups/" + id(e.In["group"]))
	changes := group.Body[strings.Index(group.Body, `id="rota-changes"`):]
	changes = strings.NewReplacer("\u2068", "", "\u2069", "").Replace(changes[:strings.Index(changes, "</ul>")])
	for _, want := range []string{"apologies from Test Member, who proposed the substitute", "swap agreed by both", "decided by Test Organiser"} {
		if !strings.Contains(changes, want) {
			t.Errorf("the rota changes do not say %q:\n%s", want, changes)
		}
	}
	if n := strings.Count(changes, "<li>"); n != 4 {
		t.Errorf("%d changes listed, want 4:\n%s", n, changes)
	}
}
