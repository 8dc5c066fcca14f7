package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// Issue 11, item 8: "Add a person" made an invitation tied to no group, a
// group had no link to share, and a new forming group did not show on
// /groups. The organiser now brings people straight into a group (they
// start in orientation), shares a join link, and finds forming groups.
func TestBringingPeopleIntoAGroup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	org := e.as("organiser")
	members := "/groups/" + id(e.In["group"]) + "/members"

	t.Run("someone new, with an e-mail: an invitation that leads to the group", func(t *testing.T) {
		page := org.get(members)
		if !strings.Contains(page.Body, "/groups/"+id(e.In["group"])+"/join") {
			t.Fatal("no join link to share on the members page")
		}
		res := org.post(members+"/add", url.Values{"full_name": {"Nadia Haddad"}, "email": {"nadia@example.org"}})
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "/invite/") {
			t.Fatalf("status %d: %s", res.StatusCode, excerpt(res.Body))
		}
		p, err := e.Store.PersonByLogin(ctx, "nadia@example.org")
		if err != nil || p.HomeSiteID != e.In["site"] || p.Status != peercircle.PersonInvited {
			t.Fatalf("person %+v (%v)", p, err)
		}
		ms, _ := e.Store.Memberships(ctx, e.In["group"])
		found := false
		for _, m := range ms {
			found = found || (m.PersonID == p.ID && m.Status == peercircle.MemberOrientation)
		}
		if !found {
			t.Fatal("the new person is not in the group's orientation")
		}
		ns, _ := e.Store.Notifications(ctx, p.ID, false, 10)
		if len(ns) != 1 || ns[0].Kind != "added_to_group" || !strings.HasSuffix(ns[0].Link, "/orientation") {
			t.Fatalf("notices %+v", ns)
		}
	})

	t.Run("someone of the site, chosen by name", func(t *testing.T) {
		other := &peercircle.Person{FullName: "Site Colleague", Username: "sitecolleague", Status: peercircle.PersonActive, HomeSiteID: e.In["site"]}
		if err := e.Store.CreatePerson(ctx, other); err != nil {
			t.Fatal(err)
		}
		page := org.get(members)
		if !strings.Contains(page.Body, `<option value="`+id(other.ID)+`">Site Colleague</option>`) {
			t.Fatal("the site's person is not offered")
		}
		wantStatus(t, org.post(members+"/add", url.Values{"person": {id(other.ID)}}), http.StatusOK)
		res := org.post(members+"/add", url.Values{"person": {id(other.ID)}})
		if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusConflict {
			t.Fatalf("adding twice: %d", res.StatusCode)
		}
	})

	t.Run("nobody from another site", func(t *testing.T) {
		res := org.post(members+"/add", url.Values{"person": {id(e.Out["person"])}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "only people of this site") {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("a forming group shows on the organiser's groups page", func(t *testing.T) {
		g := &peercircle.Group{SiteID: e.In["site"], Name: "Brand new circle", Kind: peercircle.KindStaff, Membership: peercircle.MembershipOpen,
			Structure: peercircle.StructureFormal, Lang: "en", Status: peercircle.GroupForming}
		if err := e.Store.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		page := org.get("/groups")
		if !strings.Contains(page.Body, "Brand new circle") || !strings.Contains(page.Body, "/sites/"+id(e.In["site"])+"/groups/new") {
			t.Fatal("the forming group or the way to start one is missing")
		}
		if strings.Contains(e.as("member").get("/groups").Body, "Brand new circle") {
			t.Fatal("a member sees a group they are not in")
		}
	})
}
