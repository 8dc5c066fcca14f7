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
