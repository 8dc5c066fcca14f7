package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	goical "github.com/emersion/go-ical"

	"github.com/peercircle/peercircle"
)

var feedRE = regexp.MustCompile(`value="(http://[^"]+/calendar/[^"]+\.ics)"`)

// TestCalendarFeeds fetches a member's feed as a calendar client would,
// reads it with an independent iCalendar parser, then renews the link.
func TestCalendarFeeds(t *testing.T) {
	e := newEnv(t)
	fac := e.as("facilitator")
	page := fac.get("/calendar")
	m := feedRE.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no feed link on the calendar page: %s", excerpt(page.Body))
	}
	feed := strings.TrimPrefix(m[1], e.URL)
	anon := e.client()
	res := anon.get(feed)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	cal, err := goical.NewDecoder(strings.NewReader(res.Body)).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v", err)
	}
	events := cal.Events()
	if len(events) < 3 {
		t.Fatalf("%d events in the feed", len(events))
	}
	uids := map[string]bool{}
	mine := 0
	for _, ev := range events {
		uid, _ := ev.Props.Get(goical.PropUID).Text()
		if uids[uid] || !strings.HasPrefix(uid, "session-") {
			t.Fatalf("UID %q repeated or odd", uid)
		}
		uids[uid] = true
		if sum, _ := ev.Props.Get(goical.PropSummary).Text(); strings.Contains(sum, "(you facilitate)") {
			mine++
		}
	}
	if mine == 0 {
		t.Error("the facilitator's turns are not marked in their feed")
	}
	for _, secret := range []string{"Test Member", "Test Facilitator", "Night shifts"} {
		if strings.Contains(res.Body, secret) {
			t.Errorf("the feed carries %q", secret)
		}
	}

	t.Run("a cancelled meeting stays in the feed as cancelled with a higher sequence", func(t *testing.T) {
		upcoming, _ := e.Store.Sessions(context.Background(), peercircle.SessionFilter{GroupID: e.In["group"], From: e.Store.Now(), Statuses: []string{"planned"}, Limit: 3})
		target := upcoming[len(upcoming)-1]
		e.as("organiser").post("/sessions/"+id(target.ID)+"/plan", nil)
		org := e.as("organiser")
		org.get("/sessions/" + id(target.ID) + "/plan")
		wantStatus(t, org.post("/sessions/"+id(target.ID)+"/cancel", url.Values{"reason": {"Vaccination campaign"}}), http.StatusSeeOther)
		cal, err := goical.NewDecoder(strings.NewReader(anon.get(feed).Body)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range cal.Events() {
			if uid, _ := ev.Props.Get(goical.PropUID).Text(); uid == "session-"+id(target.ID)+"@peercircle" {
				st, _ := ev.Status()
				if st != goical.EventCancelled || ev.Props.Get(goical.PropSequence).Value == "0" {
					t.Fatalf("status %q sequence %s", st, ev.Props.Get(goical.PropSequence).Value)
				}
				return
			}
		}
		t.Fatal("the cancelled meeting left the feed")
	})

	t.Run("a renewed link says so and changes nothing", func(t *testing.T) {
		wantStatus(t, fac.post("/calendar/renew", url.Values{"group": {"0"}}), http.StatusSeeOther)
		res := anon.get(feed)
		if res.StatusCode != http.StatusGone || !strings.Contains(res.Body, "replaced by a new one") {
			t.Fatalf("old link: %d %q", res.StatusCode, res.Body)
		}
		m2 := feedRE.FindStringSubmatch(fac.get("/calendar").Body)
		if m2 == nil || m2[1] == m[1] {
			t.Fatal("no new link")
		}
		if res := anon.get(strings.TrimPrefix(m2[1], e.URL)); res.StatusCode != http.StatusOK {
			t.Fatalf("new link: %d", res.StatusCode)
		}
	})
	if strings.Contains(e.Log.String(), strings.TrimSuffix(strings.TrimPrefix(feed, "/calendar/"), ".ics")) {
		t.Error("a calendar token reached the logs")
	}
}

// TestTheScheduleEditorPreviewsAndRefuses checks the editor in plain
// words: a preview changes nothing, and a rule no group can keep is shown
// with its message and changes nothing either.
func TestTheScheduleEditorPreviewsAndRefuses(t *testing.T) {
	e := newEnv(t)
	org := e.as("organiser")
	path := "/groups/" + id(e.In["group"]) + "/schedule"
	before, _ := e.Store.Sessions(context.Background(), peercircle.SessionFilter{GroupID: e.In["group"], From: e.Store.Now()})
	org.get(path)
	form := url.Values{"preset": {"weekly"}, "weekday": {"4"}, "week": {"1"}, "start_date": {"2026-01-01"}, "start_time": {"١٧:٣٠"}, "minutes": {"90"}, "action": {"preview"}}
	res := org.post(path, form)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Every Thursday, 17:30–19:00") || strings.Count(res.Body, "Thursday ") < 6 {
		t.Fatalf("preview: %d %s", res.StatusCode, excerpt(res.Body))
	}
	for _, tc := range []struct {
		name string
		edit url.Values
		want string
	}{
		{"the 31st of February only", url.Values{"preset": {"custom"}, "rule": {"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31"}}, "never gives a meeting"},
		{"a daily rule for ever", url.Values{"preset": {"custom"}, "rule": {"FREQ=DAILY"}}, "more than 160 meetings a year"},
		{"five thousand meetings", url.Values{"preset": {"custom"}, "rule": {"FREQ=DAILY;COUNT=5000"}}, "more than 1,000 meetings"},
		{"a thirteen-hour meeting", url.Values{"minutes": {"780"}}, "at most 12 hours"},
	} {
		t.Run(tc.name+" is refused with a clear message", func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			for k, v := range tc.edit {
				f[k] = v
			}
			f.Set("action", "save")
			res := org.post(path, f)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.want) {
				t.Fatalf("%d, want the message %q: %s", res.StatusCode, tc.want, excerpt(res.Body))
			}
		})
	}
	after, _ := e.Store.Sessions(context.Background(), peercircle.SessionFilter{GroupID: e.In["group"], From: e.Store.Now()})
	if len(after) != len(before) {
		t.Fatalf("sessions changed from %d to %d", len(before), len(after))
	}
	form.Set("action", "save")
	wantStatus(t, org.post(path, form), http.StatusSeeOther)
	if page := org.get("/groups/" + id(e.In["group"])).Body; !strings.Contains(page, "Every Thursday, 17:30–19:00") {
		t.Fatalf("the group page does not say the new schedule: %s", excerpt(page))
	}
}

func TestRosterAndRequests(t *testing.T) {
	e := newEnv(t)
	member := e.as("member")
	group := "/groups/" + id(e.In["group"])
	member.get(group + "/me")
	wantStatus(t, member.post(group+"/me", url.Values{"display_name": {"Umm Sami"}, "unlisted": {"1"}, "contact_channel": {"whatsapp"}, "contact_address": {"+962 79 555 0199"}}), http.StatusSeeOther)
	member.get(group + "/me")
	wantStatus(t, member.post(group+"/me/consent", url.Values{"kind": {"contact"}, "give": {"1"}}), http.StatusSeeOther)

	t.Run("an unlisted member is left out of the roster other members see", func(t *testing.T) {
		fac := e.as("facilitator")
		fac.get(group + "/me")
		wantStatus(t, fac.post(group+"/me", url.Values{"display_name": {"Abu Karim"}, "unlisted": {"1"}}), http.StatusSeeOther)
		body := e.as("member").get(group).Body
		roster := body[strings.Index(body, `id="h-members"`):]
		if strings.Contains(roster, "Abu Karim") || !strings.Contains(roster, "Umm Sami") {
			t.Errorf("roster the member sees: %s", roster[:min(len(roster), 600)])
		}
	})
	t.Run("the facilitators see the address of a member who agreed, and the read is audited", func(t *testing.T) {
		body := e.as("facilitator").get(group + "/members").Body
		if !strings.Contains(body, "962 79 555 0199") || !strings.Contains(body, "Umm Sami") {
			t.Fatalf("members page: %s", excerpt(body))
		}
		evs, _ := e.Store.AuditEvents(context.Background(), "group", e.In["group"], 10)
		if len(evs) == 0 || evs[0].Action != "membership.contacts.read" {
			t.Fatalf("audit %+v", evs)
		}
	})
	t.Run("the address never reaches the logs", func(t *testing.T) {
		if strings.Contains(e.Log.String(), "555 0199") || strings.Contains(e.Log.String(), "Umm Sami") {
			t.Error("a contact address or chosen name reached the logs")
		}
	})
	t.Run("a size limit below the members is refused with a message", func(t *testing.T) {
		org := e.as("organiser")
		org.get(group + "/settings")
		res := org.post(group+"/settings", url.Values{"name": {"Group 1"}, "kind": {"staff"}, "membership": {"closed"}, "structure": {"formal"},
			"lang": {"en"}, "status": {"active"}, "size_limit": {"1"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "already has more members") {
			t.Fatalf("%d %s", res.StatusCode, excerpt(res.Body))
		}
	})
}
