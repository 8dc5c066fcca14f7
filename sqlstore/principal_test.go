package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// The principal is loaded on every signed-in request in one statement; it
// must hold exactly the person's name and language, all their grants, and
// their current group roles (active or on leave, not left or asked).
func TestPrincipalHoldsGrantsAndCurrentGroupRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		r := &peercircle.Region{Name: "North", TimeZone: "Asia/Amman"}
		principalStep(t, s.CreateRegion(ctx, r))
		a := &peercircle.Area{RegionID: r.ID, Name: "Irbid"}
		principalStep(t, s.CreateArea(ctx, a))
		site := &peercircle.Site{AreaID: a.ID, Name: "Al-Hashmi Health Centre", Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
		principalStep(t, s.CreateSite(ctx, site))
		var groups []*peercircle.Group
		for _, name := range []string{"Staff group", "Hope Circle", "Families Together", "Training"} {
			g := &peercircle.Group{SiteID: site.ID, Name: name, Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
				Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive}
			principalStep(t, s.CreateGroup(ctx, g))
			groups = append(groups, g)
		}
		huda := &peercircle.Person{Username: "huda", FullName: "Huda Haddad", DisplayName: "هدى", Lang: "ar", HomeSiteID: site.ID, Status: peercircle.PersonActive}
		principalStep(t, s.CreatePerson(ctx, huda))
		other := &peercircle.Person{Username: "omar", FullName: "Omar Awad", Status: peercircle.PersonActive}
		principalStep(t, s.CreatePerson(ctx, other))
		principalStep(t, s.AddGrant(ctx, &peercircle.Grant{PersonID: huda.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: site.ID}))
		principalStep(t, s.AddGrant(ctx, &peercircle.Grant{PersonID: huda.ID, Role: peercircle.RoleCoordinator, ScopeKind: peercircle.ScopeRegion, ScopeID: r.ID}))
		principalStep(t, s.AddGrant(ctx, &peercircle.Grant{PersonID: other.ID, Role: peercircle.RoleAdmin, ScopeKind: peercircle.ScopeOrganisation}))
		for i, st := range []string{peercircle.MemberActive, peercircle.MemberOnLeave, peercircle.MemberLeft, peercircle.MemberRequested} {
			role := peercircle.RoleMember
			if i == 1 {
				role = peercircle.RoleFacilitator
			}
			principalStep(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: groups[i].ID, PersonID: huda.ID, Role: role, Status: st}))
		}
		principalStep(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: groups[2].ID, PersonID: other.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive}))

		p, err := s.Principal(ctx, huda.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.PersonID != huda.ID || p.Name != "هدى" || p.Lang != "ar" {
			t.Errorf("principal is %d %q %q", p.PersonID, p.Name, p.Lang)
		}
		var grants []string
		for _, g := range p.Grants {
			if g.PersonID != huda.ID || g.ID == 0 {
				t.Errorf("grant %+v", g)
			}
			grants = append(grants, g.Role+"@"+g.ScopeKind)
		}
		slices.Sort(grants)
		if want := []string{"coordinator@region", "organiser@site"}; !slices.Equal(grants, want) {
			t.Errorf("grants %v, want %v", grants, want)
		}
		got := map[int64]peercircle.GroupRole{}
		for _, gr := range p.GroupRoles {
			got[gr.GroupID] = gr
		}
		if len(got) != 2 || got[groups[0].ID].Role != peercircle.RoleMember || got[groups[1].ID].Role != peercircle.RoleFacilitator ||
			got[groups[0].ID].SiteID != site.ID {
			t.Errorf("group roles %+v, want member of %d and facilitator of %d at site %d", p.GroupRoles, groups[0].ID, groups[1].ID, site.ID)
		}

		// Without a chosen name, the full name shows.
		q, err := s.Principal(ctx, other.ID)
		if err != nil || q.Name != "Omar Awad" || len(q.Grants) != 1 || q.Grants[0].ScopeID != 0 || len(q.GroupRoles) != 1 {
			t.Errorf("other principal %+v, %v", q, err)
		}
		// The bell's count comes with the principal: unread only, own only.
		if p.Unread != 0 {
			t.Errorf("unread before any notification = %d", p.Unread)
		}
		for range 3 {
			principalStep(t, s.Notify(ctx, &peercircle.Notification{PersonID: huda.ID, Kind: "test", Link: "/"}))
		}
		principalStep(t, s.Notify(ctx, &peercircle.Notification{PersonID: other.ID, Kind: "test", Link: "/"}))
		ns, err := s.Notifications(ctx, huda.ID, true, 10)
		if err != nil || len(ns) != 3 {
			t.Fatalf("notifications %d, %v", len(ns), err)
		}
		principalStep(t, s.MarkRead(ctx, huda.ID, ns[0].ID))
		if p, err := s.Principal(ctx, huda.ID); err != nil || p.Unread != 2 {
			t.Errorf("unread after reading one of three = %d, %v; want 2", p.Unread, err)
		}
		if _, err := s.Principal(ctx, 99999); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Errorf("unknown person: %v", err)
		}
	})
}

func principalStep(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
