package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

// Issue 11, item 9: two groups at one site in the same room at the same
// hour, and one facilitator in two groups at once, raised no warning. The
// site page lists both; the group page warns those who plan its meetings;
// members see nothing of it.
func TestClashesAreShown(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	g1, err := e.Store.Group(ctx, e.In["group"])
	if err != nil {
		t.Fatal(err)
	}
	g2 := &peercircle.Group{SiteID: e.In["site"], Name: "Second circle", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
		Structure: peercircle.StructureFormal, Lang: "en", Status: peercircle.GroupActive, VenueID: g1.VenueID}
	if err := e.Store.CreateGroup(ctx, g2); err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(10 * 24 * time.Hour).Truncate(time.Hour)
	for _, m := range []*peercircle.Session{
		{GroupID: g1.ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour), FacilitatorID: e.People["facilitator"].ID},
		{GroupID: g2.ID, PlannedStart: start.Add(30 * time.Minute), PlannedEnd: start.Add(90 * time.Minute), FacilitatorID: e.People["facilitator"].ID},
	} {
		m.LocalDate, m.Status = m.PlannedStart.Format(time.DateOnly), peercircle.SessionPlanned
		if err := e.Store.AddSession(ctx, m); err != nil {
			t.Fatal(err)
		}
	}

	site := plain(e.as("organiser").get("/sites/" + id(e.In["site"])).Body)
	for _, want := range []string{"Booked twice at the same time", "Meeting room is booked for Group 1 and Second circle",
		"is due to facilitate Group 1 and Second circle at the same time"} {
		if !strings.Contains(site, want) {
			t.Errorf("the site page lacks %q", want)
		}
	}
	if group := plain(e.as("organiser").get("/groups/" + id(g2.ID)).Body); !strings.Contains(group, "Meeting room is booked for Group 1 and Second circle") {
		t.Error("the second group's page does not warn its organiser")
	}
	if strings.Contains(e.as("member").get("/groups/"+id(g1.ID)).Body, "Booked twice") {
		t.Error("a member is shown the organiser's warning")
	}
	// Cancelling the second meeting ends both clashes.
	ms, _ := e.Store.Sessions(ctx, peercircle.SessionFilter{GroupID: g2.ID})
	if err := e.Store.CancelSession(ctx, ms[len(ms)-1].ID, "The room is taken", e.People["organiser"].ID); err != nil {
		t.Fatal(err)
	}
	if site := e.as("organiser").get("/sites/" + id(e.In["site"])).Body; strings.Contains(site, "Booked twice") {
		t.Error("a cancelled meeting still clashes")
	}
}
