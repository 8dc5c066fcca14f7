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

// Issue 12: the person chooses on their profile how they hear from
// PeerCircle. A member who keeps reminders in the app gets the reminder on
// the bell and nothing by e-mail; their other notices still leave by e-mail.
func TestTheProfileChoosesHowMessagesCome(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	member := e.as("member")
	member.get("/profile")
	if res := member.post("/profile/messages", url.Values{"default": {"sms"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a channel not offered: %d", res.StatusCode)
	}
	wantStatus(t, member.post("/profile/messages", url.Values{"default": {peercircle.ChannelEmail}, "reminders": {peercircle.ChannelInApp}}), http.StatusSeeOther)
	prefs, _ := e.Store.NotifyPrefs(ctx, e.People["member"].ID)
	if prefs["*"] != peercircle.ChannelEmail || prefs[peercircle.KindMeetingReminder] != peercircle.ChannelInApp {
		t.Fatalf("prefs %v", prefs)
	}
	if page := member.get("/profile").Body; !strings.Contains(page, `<option value="in_app" selected>`) {
		t.Fatal("the profile does not show the choice")
	}

	newMeetingIn(t, e, -30*time.Hour)
	if _, err := e.Store.SendReminders(ctx); err != nil {
		t.Fatal(err)
	}
	var bell, mail int
	e.Store.DB.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE person_id = ? AND kind = ?", e.People["member"].ID, peercircle.KindMeetingReminder).Scan(&bell)
	e.Store.DB.QueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE person_id = ? AND kind = ?", e.People["member"].ID, peercircle.KindMeetingReminder).Scan(&mail)
	if bell == 0 || mail != 0 {
		t.Fatalf("reminders kept in the app: %d on the bell, %d in the outbox", bell, mail)
	}
	// Back to the usual.
	wantStatus(t, member.post("/profile/messages", url.Values{"default": {""}, "reminders": {""}}), http.StatusSeeOther)
	if prefs, _ := e.Store.NotifyPrefs(ctx, e.People["member"].ID); len(prefs) != 0 {
		t.Fatalf("prefs after resetting %v", prefs)
	}
}
