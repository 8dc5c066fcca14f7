package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// Issue 10, item 7: admins, coordinators and supervisors could join an
// open group and read its roster at once, unannounced. Decided: they join
// as ordinary members, the group's facilitators and organisers are told,
// and their staff role gives them nothing there (an unlisted member stays
// hidden from them as from any member).
func TestStaffJoinAnOpenGroupAsMembersAndTheGroupIsTold(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	g, err := e.Store.Group(ctx, e.In["group"])
	if err != nil {
		t.Fatal(err)
	}
	g.Membership, g.Listed = peercircle.MembershipOpen, true
	if err := e.Store.UpdateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	unlisted := &peercircle.Person{FullName: "Quiet Unlisted", Status: peercircle.PersonNoLogin, HomeSiteID: e.In["site"]}
	if err := e.Store.CreatePerson(ctx, unlisted); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SaveMembership(ctx, &peercircle.Membership{GroupID: g.ID, PersonID: unlisted.ID, Role: peercircle.RoleMember,
		Status: peercircle.MemberActive, Unlisted: true}); err != nil {
		t.Fatal(err)
	}
	told := func(role string) int {
		ns, _ := e.Store.Notifications(ctx, e.People[role].ID, false, 50)
		n := 0
		for _, x := range ns {
			if x.Kind == "staff_joined" {
				n++
			}
		}
		return n
	}

	coord := e.as("coordinator")
	if page := coord.get("/groups/" + id(g.ID)); strings.Contains(page.Body, `id="h-members"`) {
		t.Fatal("a coordinator who is not a member sees the roster")
	}
	coord.get("/groups/" + id(g.ID) + "/join")
	wantStatus(t, coord.post("/groups/"+id(g.ID)+"/join", nil), http.StatusSeeOther)
	for _, role := range []string{"organiser", "facilitator"} {
		if told(role) != 1 {
			t.Errorf("the %s was not told a coordinator joined", role)
		}
	}
	page := coord.get("/groups/" + id(g.ID))
	if !strings.Contains(page.Body, `id="h-members"`) {
		t.Fatal("as a member, the coordinator sees the roster any member sees")
	}
	if strings.Contains(page.Body, "Quiet Unlisted") {
		t.Fatal("the coordinator's role showed them an unlisted member")
	}

	// An ordinary person joining is nothing to announce.
	before := told("organiser")
	other := &peercircle.Person{FullName: "Plain Joiner", Username: "plainjoiner", Status: peercircle.PersonActive, HomeSiteID: e.In["site"]}
	if err := e.Store.CreatePerson(ctx, other); err != nil {
		t.Fatal(err)
	}
	pj := e.signedInAs(other.ID)
	pj.get("/groups/" + id(g.ID) + "/join")
	wantStatus(t, pj.post("/groups/"+id(g.ID)+"/join", nil), http.StatusSeeOther)
	if told("organiser") != before {
		t.Fatal("an ordinary member's joining was announced as staff")
	}
}
