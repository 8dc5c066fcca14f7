package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	goical "github.com/emersion/go-ical"
)

// feedEvents reads a feed: UID → (SEQUENCE, SUMMARY, DTSTAMP).
func feedEvents(t *testing.T, c *client, feed string) map[string][3]string {
	t.Helper()
	res := c.get(feed)
	wantStatus(t, res, http.StatusOK)
	cal, err := goical.NewDecoder(strings.NewReader(res.Body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][3]string{}
	for _, ev := range cal.Events() {
		uid, _ := ev.Props.Get(goical.PropUID).Text()
		sum, _ := ev.Props.Get(goical.PropSummary).Text()
		out[uid] = [3]string{ev.Props.Get(goical.PropSequence).Value, sum, ev.Props.Get(goical.PropDateTimeStamp).Value}
	}
	if len(out) == 0 {
		t.Fatal("no events in the feed")
	}
	return out
}

// Issue 11, item 12: an event's SEQUENCE grows on any change a calendar
// app must pick up — here the group's new name, which changes no meeting —
// and stays put when nothing changed; the calendar page offers webcal:
// links and a copy button beside each secret link.
func TestCalendarSequenceGrowsOnAnyChange(t *testing.T) {
	e := newEnv(t)
	member := e.as("member")
	page := member.get("/calendar")
	m := feedRE.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no feed link: %s", excerpt(page.Body))
	}
	feed := strings.TrimPrefix(m[1], e.URL)
	anon := e.client()
	before := feedEvents(t, anon, feed)

	t.Run("nothing changed, nothing moves", func(t *testing.T) {
		again := feedEvents(t, anon, feed)
		for uid, v := range before {
			if again[uid] != v {
				t.Fatalf("%s moved from %v to %v with no change", uid, v, again[uid])
			}
		}
	})

	t.Run("renaming the group bumps every event's sequence", func(t *testing.T) {
		org := e.as("organiser")
		group := "/groups/" + id(e.In["group"])
		org.get(group + "/settings")
		wantStatus(t, org.post(group+"/settings", url.Values{"name": {"Night nurses"}, "kind": {"staff"}, "membership": {"closed"},
			"structure": {"formal"}, "lang": {"en"}, "status": {"active"}}), http.StatusSeeOther)
		after := feedEvents(t, anon, feed)
		changed := 0
		for uid, v := range before {
			a, ok := after[uid]
			if !ok || !strings.Contains(a[1], "Night nurses") {
				continue
			}
			old, _ := strconv.Atoi(v[0])
			now, _ := strconv.Atoi(a[0])
			if now <= old {
				t.Errorf("%s: summary %q → %q but SEQUENCE %d → %d", uid, v[1], a[1], old, now)
			}
			if a[2] <= v[2] {
				t.Errorf("%s: DTSTAMP did not move (%s → %s)", uid, v[2], a[2])
			}
			changed++
		}
		if changed == 0 {
			t.Fatal("no event carries the new name")
		}
		// Fetched again, the sequence stays where it is.
		for uid, v := range feedEvents(t, anon, feed) {
			if after[uid] != v {
				t.Fatalf("%s moved again with no change: %v → %v", uid, after[uid], v)
			}
		}
	})

	t.Run("webcal link and copy button beside each secret link", func(t *testing.T) {
		body := member.get("/calendar").Body
		want := `href="webcal://` + strings.TrimPrefix(m[1], "http://") + `"`
		if !strings.Contains(body, want) {
			t.Fatalf("no %s on the calendar page: %s", want, excerpt(body))
		}
		if strings.Count(body, `data-copy="f-`) < 2 || !strings.Contains(body, "Copy link") || !strings.Contains(body, "Subscribe on this device") {
			t.Fatal("no copy button or subscribe link beside the links")
		}
		mine := member.get("/groups/" + id(e.In["group"]) + "/me").Body
		if !strings.Contains(mine, `href="webcal://`) || !strings.Contains(mine, `data-copy="f-feed"`) {
			t.Fatal("the member's group page has no webcal link or copy button beside its calendar link")
		}
	})
}
