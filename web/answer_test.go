package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

// Issue 12: a reminder's one-tap link answers without signing in. Opening
// it answers nothing (a messaging app's preview must not send apologies);
// a button does, once; the member's answer shows where the facilitator
// plans the meeting.
func TestAnsweringFromAReminder(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id1 := newMeetingIn(t, e, -30*time.Hour)
	if _, err := e.Store.SendReminders(ctx); err != nil {
		t.Fatal(err)
	}
	ns, _ := e.Store.Notifications(ctx, e.People["member"].ID, false, 20)
	var link string
	for _, n := range ns {
		if n.Kind == peercircle.KindMeetingReminder {
			if l, err := e.Store.AnswerLink(ctx, strings.TrimPrefix(n.Link, "/answer/")); err == nil && l.SessionID == id1 {
				link = n.Link
			}
		}
	}
	if link == "" {
		t.Fatal("the member got no reminder with a link")
	}
	if bell := e.as("member").get("/notifications").Body; !strings.Contains(plain(bell), "Reminder: Group 1 meets on") {
		t.Error("the reminder is not on the member's bell")
	}

	c := e.client() // a phone that never signed in
	page := c.get(link)
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Will you be there?") || page.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("answer page: %d", page.StatusCode)
	}
	var status string
	e.Store.DB.QueryRow(ctx, "SELECT COALESCE(MAX(status), '') FROM attendance WHERE session_id = ? AND person_id = ?", id1, e.People["member"].ID).Scan(&status)
	if status != "" {
		t.Fatal("opening the link answered")
	}
	res := c.post(link, url.Values{"answer": {"expected"}})
	if res.StatusCode != 200 || !strings.Contains(res.Body, "the group knows you will be there") {
		t.Fatalf("answering: %d", res.StatusCode)
	}
	if plan := e.as("facilitator").get("/sessions/" + id(id1) + "/plan").Body; !strings.Contains(plain(plan), "1 will be there: Test Member") {
		t.Error("the facilitator's plan does not show the answer")
	}
	c.get(link)
	if res := c.post(link, url.Values{"answer": {"apologies"}}); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "already used") {
		t.Fatalf("a second answer: %d", res.StatusCode)
	}
	if res := e.client().get("/answer/not-a-real-token-at-all-here"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("an unknown link: %d", res.StatusCode)
	}
}
