package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var siteFeedRE = regexp.MustCompile(`id="f-s\d+" class="copy" readonly dir="ltr" value="https?://[^/]+(/calendar/[^"]+)"`)

// Issue 11, item 10: the organiser had no calendar of the site's groups.
// Their calendar page gives one secret link for every group of each site
// they run; it stops when they no longer run it, and renewing it ends the
// old link.
func TestASiteCalendarForItsOrganisers(t *testing.T) {
	e := newEnv(t)
	org := e.as("organiser")
	if g := org.get("/groups/" + id(e.In["group"])); !strings.Contains(g.Body, "/calendar#site-"+id(e.In["site"])+"-calendar") {
		t.Error("the organiser's group page does not lead to the site's calendar")
	}
	page := org.get("/calendar")
	m := siteFeedRE.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("no site calendar on the organiser's calendar page")
	}
	if strings.Contains(e.as("member").get("/calendar").Body, `id="f-s`) {
		t.Fatal("a member is offered a site's calendar")
	}
	feed := e.client().get(m[1])
	if feed.StatusCode != 200 || !strings.Contains(feed.Body, "BEGIN:VEVENT") || !strings.Contains(feed.Body, "Group 1") {
		t.Fatalf("site feed: %d\n%.300s", feed.StatusCode, feed.Body)
	}
	if strings.Contains(feed.Body, "Group 2") {
		t.Fatal("the site feed holds another site's group")
	}

	org.get("/calendar")
	wantStatus(t, org.post("/calendar/renew", url.Values{"site": {id(e.In["site"])}}), http.StatusSeeOther)
	if res := e.client().get(m[1]); res.StatusCode != http.StatusGone {
		t.Fatalf("the renewed link answers %d", res.StatusCode)
	}
	m2 := siteFeedRE.FindStringSubmatch(org.get("/calendar").Body)
	if m2 == nil || m2[1] == m[1] {
		t.Fatal("no new link after renewing")
	}
	if res := e.as("member").post("/calendar/renew", url.Values{"site": {id(e.In["site"])}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a member renewed a site's calendar: %d", res.StatusCode)
	}
	// No longer the organiser: the link stops.
	grants, _ := e.Store.Grants(context.Background(), e.People["organiser"].ID)
	for _, g := range grants {
		if err := e.Store.RemoveGrant(context.Background(), g.ID); err != nil {
			t.Fatal(err)
		}
	}
	if res := e.client().get(m2[1]); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a former organiser's site link answers %d", res.StatusCode)
	}
}
