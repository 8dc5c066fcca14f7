package sqlstore_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

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

		// A request's one statement reads the same principal as Principal,
		// with the session.
		for _, who := range []*peercircle.Person{huda, other} {
			token, created, err := s.CreateAuthSession(ctx, who.ID)
			principalStep(t, err)
			as, got, err := s.SignedIn(ctx, token)
			if err != nil {
				t.Fatalf("%s signed in: %v", who.Username, err)
			}
			want, err := s.Principal(ctx, who.ID)
			principalStep(t, err)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: signed in as\n%+v\nwant\n%+v", who.Username, got, want)
			}
			if as.PersonID != who.ID || as.CSRFToken != created.CSRFToken || as.CreatedAt.Sub(created.CreatedAt).Abs() >= time.Microsecond || as.LastSeen.Sub(created.LastSeen).Abs() >= time.Microsecond {
				t.Errorf("%s: session %+v, created %+v", who.Username, as, created)
			}
		}
	})
}

// SignedIn ends sessions as AuthSession does: past the idle or absolute
// limit, of a person no longer active, or signed out; and notes use.
func TestSignedInEndsSessionsAsAuthSessionDoes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := storetest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		s.Now = clock.Now
		rana := &peercircle.Person{Username: "rana", FullName: "Rana Saleh", Status: peercircle.PersonActive}
		principalStep(t, s.CreatePerson(ctx, rana))
		ended := func(what, token string) {
			t.Helper()
			if _, _, err := s.SignedIn(ctx, token); peercircle.ErrorCode(err) != peercircle.EUNAUTHORIZED {
				t.Fatalf("%s: %v", what, err)
			}
			if _, err := s.AuthSession(ctx, token); peercircle.ErrorCode(err) != peercircle.EUNAUTHORIZED {
				t.Fatalf("%s: the session is still there: %v", what, err)
			}
		}
		ended("no token", "")
		ended("an unknown token", "not-a-token")

		token, _, err := s.CreateAuthSession(ctx, rana.ID)
		principalStep(t, err)
		clock.Add(peercircle.SessionTouchEvery + time.Minute)
		as, p, err := s.SignedIn(ctx, token)
		if err != nil || p.PersonID != rana.ID || p.Name != "Rana Saleh" {
			t.Fatalf("signed in: %+v, %v", p, err)
		}
		if !as.LastSeen.Equal(clock.Now()) {
			t.Errorf("use not noted: last seen %v, now %v", as.LastSeen, clock.Now())
		}
		clock.Add(peercircle.SessionIdle - time.Minute)
		if _, _, err := s.SignedIn(ctx, token); err != nil {
			t.Fatalf("within the idle limit of the noted use: %v", err)
		}
		clock.Add(peercircle.SessionIdle + time.Minute)
		ended("after the idle limit", token)

		token, _, _ = s.CreateAuthSession(ctx, rana.ID)
		for i := range 11 {
			clock.Add(time.Hour)
			if _, _, err := s.SignedIn(ctx, token); err != nil {
				t.Fatalf("busy for %d hours: %v", i+1, err)
			}
		}
		clock.Add(2 * time.Hour)
		ended("after the absolute limit", token)

		token, _, _ = s.CreateAuthSession(ctx, rana.ID)
		principalStep(t, s.EndAuthSession(ctx, token))
		ended("signed out", token)

		token, _, _ = s.CreateAuthSession(ctx, rana.ID)
		rana.Status = peercircle.PersonDisabled
		principalStep(t, s.UpdatePerson(ctx, rana))
		ended("a disabled person", token)
	})
}

func principalStep(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
