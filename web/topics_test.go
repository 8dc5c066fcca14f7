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

// Issue 11, item 6: part 2's "assigned MHPSS topic" could not be assigned.
// The organiser keeps a topic library (with a guest speaker whose contact
// is sealed and shown only to those who plan); a meeting's part 2 gets a
// topic and a presenter (the member whose turn it is, suggested); it shows
// on the meeting page, the live page in part 2, and Sheet 2.
func TestTopicsForPartTwo(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	org := e.as("organiser")
	topics := "/sites/" + id(e.In["site"]) + "/topics"

	org.get(topics)
	res := org.post(topics, url.Values{"title": {"Grief after the death of a patient"}, "summary": {"How staff grieve, and how to notice it."},
		"link": {"javascript:alert(1)"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "starts with https://") {
		t.Fatalf("a bad link: %d", res.StatusCode)
	}
	wantStatus(t, org.post(topics, url.Values{"title": {"Grief after the death of a patient"}, "summary": {"How staff grieve, and how to notice it."},
		"link": {"https://example.org/grief.pdf"}, "lang": {"ar"}, "speaker_name": {"Dr Lina"}, "speaker_contact": {"lina@example.org"}}), http.StatusSeeOther)
	list, _ := e.Store.Topics(ctx, e.In["site"])
	var grief *peercircle.Topic
	for _, tp := range list {
		if strings.HasPrefix(tp.Title, "Grief") {
			grief = tp
		}
	}
	if grief == nil || grief.SpeakerContact != "lina@example.org" {
		t.Fatalf("topics %+v", list)
	}
	var raw []byte
	e.Store.DB.QueryRow(ctx, "SELECT speaker_contact FROM topics WHERE id = ?", grief.ID).Scan(&raw)
	if strings.Contains(string(raw), "lina@") {
		t.Fatal("the speaker's contact is stored in clear")
	}

	id1 := newMeetingIn(t, e, -48*time.Hour)
	plan := fmt.Sprintf("/sessions/%d/plan", id1)
	page := org.get(plan)
	if !strings.Contains(page.Body, "Grief after the death") || !strings.Contains(page.Body, "their turn") {
		t.Fatal("the plan does not offer the library's topics and whose turn it is to present")
	}
	wantStatus(t, org.post(fmt.Sprintf("/sessions/%d/topic", id1), url.Values{"topic": {id(grief.ID)}, "presenter": {id(e.People["member"].ID)}}), http.StatusSeeOther)
	if res := org.post(fmt.Sprintf("/sessions/%d/topic", id1), url.Values{"topic": {id(e.Out["topic"])}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("another site's topic: %d", res.StatusCode)
	}
	m, _ := e.Store.Session(ctx, id1)
	if m.Topic != "Grief after the death of a patient" {
		t.Fatalf("the meeting's topic (what Sheet 3 counts) = %q", m.Topic)
	}
	member := e.as("member")
	sessionPage := plain(member.get(fmt.Sprintf("/sessions/%d", id1)).Body)
	if !strings.Contains(sessionPage, "Part 2: the topic: Grief after the death of a patient") || !strings.Contains(sessionPage, "presented by Test Member") {
		i := strings.Index(sessionPage, "Part 2")
		t.Fatalf("the member's meeting page does not show part 2: %q", sessionPage[max(0, i):min(len(sessionPage), max(0, i)+300)])
	}
	if strings.Contains(sessionPage, "lina@example.org") {
		t.Fatal("a member sees the speaker's contact")
	}
	// The member presented, so the next meeting suggests someone else.
	if next, _ := e.Store.NextPresenter(ctx, e.In["group"]); next == e.People["member"].ID {
		t.Fatal("the member who just presented is suggested again")
	}

	// The live page in part 2, and Sheet 2, on a meeting held now.
	id2 := newMeetingIn(t, e, 5*time.Minute)
	wantStatus(t, org.post(fmt.Sprintf("/sessions/%d/topic", id2), url.Values{"topic": {id(grief.ID)}}), http.StatusSeeOther)
	fac := e.as("facilitator")
	live := fmt.Sprintf("/sessions/%d/live", id2)
	fac.get(live)
	wantStatus(t, fac.post(live, url.Values{"op": {"start"}}), http.StatusSeeOther)
	wantStatus(t, fac.post(live, url.Values{"op": {"goto:1"}}), http.StatusSeeOther)
	if lp := plain(fac.get(live).Body); !strings.Contains(lp, "Grief after the death of a patient</strong> · presented by Dr Lina") {
		i := strings.Index(lp, "live-topic")
		t.Fatalf("the live page does not show part 2: %q", lp[max(0, i):min(len(lp), max(0, i)+300)])
	}
	wantStatus(t, fac.post(live, url.Values{"op": {"end"}}), http.StatusSeeOther)
	if edit := fac.get(fmt.Sprintf("/sessions/%d/summary/edit", id2)).Body; !strings.Contains(edit, `value="Grief after the death of a patient"`) {
		t.Fatal("Sheet 2 does not start from the meeting's topic")
	}
}
