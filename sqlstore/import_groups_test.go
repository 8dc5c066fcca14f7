package sqlstore_test

import (
	"context"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// Importing roles, groups and memberships on both backends: roles granted
// where they are held, never an administrator; groups at their sites with
// schedules planned into meetings and facilitators; memberships by the
// files' keys; row problems per column; the same files twice change
// nothing; a dry run writes nothing; the uploaded file kept for its owner.
func TestImportGroupsAndMemberships(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		org := []peercircle.OrgRecord{
			{Row: 2, Type: peercircle.ImportRegion, Key: "R-1", Name: "Centre", TimeZone: "Asia/Amman"},
			{Row: 3, Type: peercircle.ImportArea, Key: "A-1", Name: "East", Parent: "R-1"},
			{Row: 4, Type: peercircle.ImportSite, Key: "S-1", Name: "Nuzha HC", Parent: "A-1"},
		}
		if res, err := s.ImportOrg(ctx, org, peercircle.ImportOptions{}); err != nil || !res.Written {
			t.Fatalf("org: %+v %v", res, err)
		}
		people := []peercircle.PersonRecord{
			{Row: 2, Key: "N-1", FullName: "Huda Saleh", Email: "huda@example.org", Site: "S-1", Roles: []string{peercircle.RoleOrganiser, peercircle.RoleCoordinator}},
			{Row: 3, Key: "N-2", FullName: "Sami Odeh", Site: "S-1"},
			{Row: 4, Key: "N-3", FullName: "Rami Aziz", Site: "S-1"},
		}
		res, err := s.ImportPeople(ctx, people, peercircle.ImportOptions{})
		if err != nil || !res.Written || res.Created[peercircle.ImportGrant] != 2 {
			t.Fatalf("people: %+v %v", res, err)
		}
		huda, err := s.PersonByLogin(ctx, "huda@example.org")
		if err != nil {
			t.Fatal(err)
		}
		grants, _ := s.Grants(ctx, huda.ID)
		if len(grants) != 2 || grants[0].Role != peercircle.RoleOrganiser || grants[0].ScopeKind != peercircle.ScopeSite ||
			grants[1].Role != peercircle.RoleCoordinator || grants[1].ScopeKind != peercircle.ScopeArea {
			t.Fatalf("grants %+v", grants)
		}
		if res, _ := s.ImportPeople(ctx, people, peercircle.ImportOptions{}); res.Created[peercircle.ImportGrant] != 0 || res.Unchanged[peercircle.ImportPerson] != 3 {
			t.Fatalf("the same people again: %+v", res)
		}

		var reported []int
		groups := []peercircle.GroupRecord{
			{Row: 2, Key: "G-1", Site: "S-1", Name: "Nuzha staff group", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
				Preset: "staff", Rule: "FREQ=MONTHLY;BYDAY=2TU,-1TU", FirstDate: "2026-01-01", Time: "14:00", Minutes: 120, Facilitators: []string{"N-1"}},
			{Row: 3, Key: "G-2", Site: "S-1", Name: "Carers", Kind: peercircle.KindFamily, Membership: peercircle.MembershipOpen, Lang: "ar"},
			{Row: 4, Key: "G-3", Site: "S-9", Name: "Nowhere", Kind: peercircle.KindStaff, Membership: peercircle.MembershipOpen},
			{Row: 5, Key: "G-4", Site: "S-1", Name: "Ghost", Kind: peercircle.KindStaff, Membership: peercircle.MembershipOpen, Facilitators: []string{"N-9"}},
			{Row: 6, Key: "G-5", Site: "S-1", Name: "Bad date", Kind: peercircle.KindStaff, Membership: peercircle.MembershipOpen,
				Preset: "weekly", Rule: "FREQ=WEEKLY;BYDAY=MO", FirstDate: "2026-02-31", Time: "14:00", Minutes: 60},
			{Row: 7, Key: "G-1", Site: "S-1", Name: "Twice", Kind: peercircle.KindStaff, Membership: peercircle.MembershipOpen},
		}
		res, err = s.ImportGroups(ctx, groups, peercircle.ImportOptions{Lang: "fr", Progress: func(done, total int) { reported = append(reported, done) }})
		if err != nil || res.Written || len(res.Errors) != 4 {
			t.Fatalf("groups with errors: %+v %v", res, err)
		}
		want := map[int]string{4: "site", 5: "facilitators", 6: "first_date", 7: "key"}
		for _, e := range res.Errors {
			if want[e.Row] != e.Column {
				t.Fatalf("error %+v", e)
			}
		}
		if len(reported) == 0 || reported[len(reported)-1] != len(groups) {
			t.Fatalf("progress %v", reported)
		}
		if gs, _ := s.GroupsAtSite(ctx, huda.HomeSiteID); len(gs) != 0 {
			t.Fatalf("a file with errors wrote %d groups", len(gs))
		}
		res, err = s.ImportGroups(ctx, groups, peercircle.ImportOptions{Lang: "fr", CleanRows: true})
		if err != nil || !res.Written || res.Created[peercircle.ImportGroup] != 2 {
			t.Fatalf("clean rows: %+v %v", res, err)
		}
		gs, _ := s.GroupsAtSite(ctx, huda.HomeSiteID)
		if len(gs) != 2 {
			t.Fatalf("groups %+v", gs)
		}
		var staff, carers *peercircle.Group
		for _, g := range gs {
			if g.Name == "Nuzha staff group" {
				staff = g
			} else {
				carers = g
			}
		}
		if staff == nil || staff.Lang != "fr" || carers.Lang != "ar" || carers.Membership != peercircle.MembershipOpen {
			t.Fatalf("groups %+v %+v", staff, carers)
		}
		sch, err := s.GroupScheduleOf(ctx, staff.ID)
		if err != nil || sch.Rule != "FREQ=MONTHLY;BYDAY=2TU,-1TU" || sch.StartTime != "14:00" || sch.TimeZone != "Asia/Amman" {
			t.Fatalf("schedule %+v %v", sch, err)
		}
		meetings, _ := s.Sessions(ctx, peercircle.SessionFilter{GroupID: staff.ID})
		if len(meetings) == 0 {
			t.Fatal("no meeting planned from the imported schedule")
		}
		if m, _ := s.Membership(ctx, staff.ID, huda.ID); m == nil || m.Role != peercircle.RoleFacilitator || m.Status != peercircle.MemberActive {
			t.Fatalf("facilitator %+v", m)
		}
		if res, _ := s.ImportGroups(ctx, groups[:2], peercircle.ImportOptions{Lang: "fr"}); res.Unchanged[peercircle.ImportGroup] != 2 {
			t.Fatalf("the same groups again: %+v", res)
		}
		if n, _ := s.Sessions(ctx, peercircle.SessionFilter{GroupID: staff.ID}); len(n) != len(meetings) {
			t.Fatalf("meetings %d then %d", len(meetings), len(n))
		}
		moved := groups[0]
		moved.Time, moved.Name = "15:00", "Nuzha staff support group"
		if res, _ := s.ImportGroups(ctx, []peercircle.GroupRecord{moved}, peercircle.ImportOptions{Lang: "fr"}); res.Updated[peercircle.ImportGroup] != 1 {
			t.Fatalf("a changed group: %+v", res)
		}
		if sch, _ := s.GroupScheduleOf(ctx, staff.ID); sch.StartTime != "15:00" {
			t.Fatalf("schedule %+v", sch)
		}

		sami, _ := s.ImportedPeople(ctx, []string{"N-2"})
		if len(sami) != 1 || sami[0].FullName != "Sami Odeh" {
			t.Fatalf("imported people %+v", sami)
		}
		ms := []peercircle.MembershipRecord{
			{Row: 2, Group: "G-1", Person: "N-2", Role: peercircle.RoleMember},
			{Row: 3, Group: "G-1", Person: "N-3", Role: peercircle.RoleFacilitator},
			{Row: 4, Group: "G-2", Person: "N-2", Role: peercircle.RoleMember},
			{Row: 5, Group: "G-9", Person: "N-2", Role: peercircle.RoleMember},
			{Row: 6, Group: "G-1", Person: "N-8", Role: peercircle.RoleMember},
			{Row: 7, Group: "G-1", Person: "N-2", Role: peercircle.RoleMember},
		}
		res, err = s.ImportMemberships(ctx, ms, peercircle.ImportOptions{DryRun: true, CleanRows: true})
		if err != nil || res.Written || len(res.Errors) != 3 || res.Created[peercircle.ImportMembership] != 3 {
			t.Fatalf("dry run: %+v %v", res, err)
		}
		if m, _ := s.Membership(ctx, staff.ID, sami[0].ID); m != nil {
			t.Fatal("a dry run wrote a membership")
		}
		res, err = s.ImportMemberships(ctx, ms, peercircle.ImportOptions{CleanRows: true})
		if err != nil || !res.Written || res.Created[peercircle.ImportMembership] != 3 {
			t.Fatalf("memberships: %+v %v", res, err)
		}
		if m, err := s.Membership(ctx, staff.ID, sami[0].ID); err != nil || m.Status != peercircle.MemberActive || m.Role != peercircle.RoleMember {
			t.Fatalf("sami %+v %v", m, err)
		}
		ms[0].Role = peercircle.RoleFacilitator
		if res, _ := s.ImportMemberships(ctx, ms[:3], peercircle.ImportOptions{}); res.Updated[peercircle.ImportMembership] != 1 || res.Unchanged[peercircle.ImportMembership] != 2 {
			t.Fatalf("again with one role changed: %+v", res)
		}

		u := &peercircle.ImportUpload{PersonID: huda.ID, Kind: "groups", Name: "groups.csv", Data: []byte("Key,Site key,Name\n")}
		must(t, s.SaveUpload(ctx, u))
		if got, err := s.Upload(ctx, u.ID, huda.ID); err != nil || string(got.Data) != string(u.Data) || got.Kind != "groups" {
			t.Fatalf("upload %+v %v", got, err)
		}
		if _, err := s.Upload(ctx, u.ID, sami[0].ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Fatalf("someone else's upload: %v", err)
		}
	})
}

// A group's members are told when it meets somewhere else and when its
// code of ethics changes (issue 12), on both backends; the author of the
// code is not told of their own change.
func TestMembersAreToldOfAChangedVenueAndCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		site := ammanSite(t, s)
		room := &peercircle.Venue{SiteID: site.ID, Name: "Room 2"}
		must(t, s.SaveVenue(ctx, room))
		g := &peercircle.Group{SiteID: site.ID, Name: "Nuzha staff group", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
			Structure: peercircle.StructureFormal, Lang: "en", Status: peercircle.GroupActive}
		must(t, s.CreateGroup(ctx, g))
		var people []*peercircle.Person
		for _, n := range []string{"huda", "sami"} {
			p := &peercircle.Person{Username: n, FullName: n, HomeSiteID: site.ID, Status: peercircle.PersonActive}
			must(t, s.CreatePerson(ctx, p))
			must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: g.ID, PersonID: p.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive}))
			people = append(people, p)
		}
		count := func(p *peercircle.Person, kind string) int {
			ns, _ := s.Notifications(ctx, p.ID, false, 50)
			n := 0
			for _, x := range ns {
				if x.Kind == kind {
					n++
				}
			}
			return n
		}
		g.VenueID = room.ID
		must(t, s.UpdateGroup(ctx, g))
		must(t, s.UpdateGroup(ctx, g)) // the same room again: nothing to tell
		if count(people[0], "venue_changed") != 1 || count(people[1], "venue_changed") != 1 {
			t.Fatalf("venue notices: %d %d", count(people[0], "venue_changed"), count(people[1], "venue_changed"))
		}
		must(t, s.SaveEthics(ctx, &peercircle.CodeOfEthics{GroupID: g.ID, Body: "We keep what is said here.", AuthorID: people[0].ID}))
		if count(people[0], "ethics_changed") != 0 || count(people[1], "ethics_changed") != 1 {
			t.Fatalf("ethics notices: %d %d", count(people[0], "ethics_changed"), count(people[1], "ethics_changed"))
		}
	})
}
