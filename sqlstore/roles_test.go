package sqlstore_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// RolesOf on both backends: grants and facilitation, each role once, in
// the domain's order; people without a role are absent; a site filter of
// several sites.
func TestRolesOfAndPeopleOfSites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		roles, err := s.RolesOf(ctx, []int64{m.organiser.ID, m.facilitator.ID, m.members[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(roles[m.organiser.ID], []string{peercircle.RoleOrganiser}) ||
			!reflect.DeepEqual(roles[m.facilitator.ID], []string{peercircle.RoleFacilitator}) || roles[m.members[0].ID] != nil {
			t.Fatalf("roles = %v", roles)
		}
		people, total, err := s.FindPeople(ctx, peercircle.PersonFilter{SiteIDs: []int64{m.site.ID, m.site.ID + 1000}, Limit: 2})
		if err != nil || len(people) != 2 || total < 3 {
			t.Fatalf("%d people of %d (%v)", len(people), total, err)
		}
	})
}

// FindPeople pages by key on both backends: forward with After and back
// with Before, through people who share a name, gives every person once in
// (name, id) order, the same as paging by offset.
func TestFindPeoplePagesByKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		for i := range 23 {
			p := &peercircle.Person{FullName: []string{"Nour", "Amal", "Zeina"}[i%3], Status: peercircle.PersonNoLogin, HomeSiteID: m.site.ID}
			if err := s.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		base := peercircle.PersonFilter{SiteID: m.site.ID, Limit: 5}
		ids := func(ps []*peercircle.Person) (out []int64) {
			for _, p := range ps {
				out = append(out, p.ID)
			}
			return out
		}
		var byOffset [][]int64
		for off := 0; ; off += 5 {
			f := base
			f.Offset = off
			ps, _, err := s.FindPeople(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) == 0 {
				break
			}
			byOffset = append(byOffset, ids(ps))
		}
		f := base
		var byKey [][]int64
		for {
			ps, _, err := s.FindPeople(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) == 0 {
				break
			}
			byKey = append(byKey, ids(ps))
			f.After = ps[len(ps)-1].ID
		}
		if !reflect.DeepEqual(byKey, byOffset) || len(byKey) < 5 {
			t.Fatalf("by key %v\nby offset %v", byKey, byOffset)
		}
		for i := len(byKey) - 1; i >= 1; i-- {
			f := base
			f.Before = byKey[i][0]
			ps, _, err := s.FindPeople(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(ps), byOffset[i-1]) {
				t.Fatalf("before page %d: %v, want %v", i, ids(ps), byOffset[i-1])
			}
		}
	})
}
