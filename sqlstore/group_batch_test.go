package sqlstore_test

import (
	"context"
	"maps"
	"reflect"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func TestGroupNamesAreReadAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		other := &peercircle.Group{SiteID: w.site.ID, Name: "Family group", Kind: peercircle.KindFamily, Membership: peercircle.MembershipOpen,
			Structure: peercircle.StructureInformal, Lang: "ar", Status: peercircle.GroupActive, SizeLimit: 20}
		must(t, s.CreateGroup(ctx, other))
		huda, rana, samir := w.people[0], w.people[1], w.people[2]
		// Huda chose a name for the staff group only; Rana has a display
		// name of her own; Samir is in the family group too, under another name.
		m, err := s.Membership(ctx, w.group.ID, huda.ID)
		must(t, err)
		m.DisplayName = "Um Ali"
		must(t, s.UpdateMembershipPrefs(ctx, m))
		rana.DisplayName = "Rana K."
		must(t, s.UpdatePerson(ctx, rana))
		joined := w.clock.Now()
		must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: other.ID, PersonID: samir.ID, Role: peercircle.RoleMember,
			Status: peercircle.MemberActive, JoinedAt: &joined, DisplayName: "Abu Omar"}))

		staff := func(p *peercircle.Person) peercircle.GroupPerson {
			return peercircle.GroupPerson{GroupID: w.group.ID, PersonID: p.ID}
		}
		family := func(p *peercircle.Person) peercircle.GroupPerson {
			return peercircle.GroupPerson{GroupID: other.ID, PersonID: p.ID}
		}
		got, err := s.GroupNames(ctx, []peercircle.GroupPerson{staff(huda), family(huda), staff(rana), staff(samir), family(samir), staff(samir),
			{GroupID: w.group.ID, PersonID: 99999}})
		must(t, err)
		want := map[peercircle.GroupPerson]string{
			staff(huda):   "Um Ali",     // the name chosen for the group
			family(huda):  "huda test",  // not a member there: her own name
			staff(rana):   "Rana K.",    // her display name
			staff(samir):  "samir test", // the family group's name stays there
			family(samir): "Abu Omar",
		}
		if !maps.Equal(got, want) {
			t.Fatalf("got %v\nwant %v", got, want)
		}
		t.Run("each name is the one the single reads give", func(t *testing.T) {
			for k, name := range got {
				p, err := s.Person(ctx, k.PersonID)
				must(t, err)
				one := p.Name()
				if m, err := s.Membership(ctx, k.GroupID, k.PersonID); err == nil && m.DisplayName != "" {
					one = m.DisplayName
				}
				if one != name {
					t.Errorf("%v: %q, one by one %q", k, name, one)
				}
			}
		})
		t.Run("no pairs, no query and no names", func(t *testing.T) {
			got, err := s.GroupNames(ctx, nil)
			if err != nil || len(got) != 0 {
				t.Fatalf("%v %v", got, err)
			}
		})
	})
}

func TestAnswersAreReadAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		w.staffSchedule(t)
		ss := w.upcoming(t)
		huda, rana := w.people[0], w.people[1]
		must(t, s.RSVP(ctx, ss[0].ID, huda.ID, peercircle.AttendExpected))
		must(t, s.RSVP(ctx, ss[1].ID, huda.ID, peercircle.AttendExpected))
		must(t, s.RSVP(ctx, ss[1].ID, huda.ID, peercircle.AttendApologies)) // changed her mind
		must(t, s.RSVP(ctx, ss[2].ID, rana.ID, peercircle.AttendApologies))
		ids := []int64{ss[0].ID, ss[1].ID, ss[2].ID, ss[3].ID}
		got, err := s.Answers(ctx, huda.ID, ids)
		must(t, err)
		want := map[int64]string{ss[0].ID: peercircle.AttendExpected, ss[1].ID: peercircle.AttendApologies}
		if !maps.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		t.Run("the same answers as reading each meeting's attendance", func(t *testing.T) {
			for _, id := range ids {
				as, err := s.Attendances(ctx, id)
				must(t, err)
				one := ""
				for _, a := range as {
					if a.PersonID == huda.ID {
						one = a.Status
					}
				}
				if got[id] != one {
					t.Errorf("session %d: %q, one by one %q", id, got[id], one)
				}
			}
		})
		t.Run("no person or no meetings, no answers", func(t *testing.T) {
			for _, got := range []func() (map[int64]string, error){
				func() (map[int64]string, error) { return s.Answers(ctx, 0, ids) },
				func() (map[int64]string, error) { return s.Answers(ctx, huda.ID, nil) },
			} {
				if a, err := got(); err != nil || len(a) != 0 {
					t.Fatalf("%v %v", a, err)
				}
			}
		})
	})
}

// Planning every group at each start must cost little when nothing
// changed, and still follow every change.
func TestMaterialiseAllPassesOverGroupsAlreadyPlanned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		w.staffSchedule(t)
		all := func(t *testing.T, horizon time.Duration) peercircle.MaterialiseResult {
			t.Helper()
			r, err := s.MaterialiseAll(ctx, horizon)
			must(t, err)
			return r
		}
		// Planning again by hand must find nothing to do whenever
		// MaterialiseAll passed the group over.
		nothingLeft := func(t *testing.T, horizon time.Duration) {
			t.Helper()
			r, err := s.Materialise(ctx, w.group.ID, horizon)
			must(t, err)
			if r.Added+r.Updated+r.Removed != 0 {
				t.Fatalf("the group was passed over but planning it changes %+v", r)
			}
		}
		t.Run("right after the schedule is saved", func(t *testing.T) {
			if r := all(t, peercircle.DefaultHorizon); r.Groups != 1 || r.Unchanged != 1 || r.Added != 0 {
				t.Fatalf("result %+v", r)
			}
			nothingLeft(t, peercircle.DefaultHorizon)
		})
		t.Run("a day later, when the horizon brings no meeting", func(t *testing.T) {
			w.clock.Add(24 * time.Hour)
			if r := all(t, peercircle.DefaultHorizon); r.Unchanged != 1 {
				t.Fatalf("result %+v", r)
			}
			nothingLeft(t, peercircle.DefaultHorizon)
		})
		t.Run("a touched meeting does not make it plan again, nor is it changed", func(t *testing.T) {
			ss := w.upcoming(t)
			must(t, s.CancelSession(ctx, ss[0].ID, "Vaccination campaign", w.org.ID))
			if r := all(t, peercircle.DefaultHorizon); r.Unchanged != 1 {
				t.Fatalf("result %+v", r)
			}
			if got := dates(w.upcoming(t)); got[0] != ss[0].LocalDate+"/cancelled" {
				t.Fatalf("%v", got)
			}
		})
		t.Run("the horizon reaching a new meeting plans it", func(t *testing.T) {
			before := len(w.upcoming(t))
			w.clock.Add(7 * 24 * time.Hour) // 13 January 09:00: the horizon passes 31 March
			r := all(t, peercircle.DefaultHorizon)
			if r.Unchanged != 0 || r.Added != 1 {
				t.Fatalf("result %+v", r)
			}
			if after := len(w.upcoming(t)); after != before {
				// One meeting left the window (13 January, 14:00 is still
				// ahead today), one came in.
				t.Logf("%d meetings before, %d after", before, after)
			}
			if r := all(t, peercircle.DefaultHorizon); r.Unchanged != 1 {
				t.Fatalf("second run %+v", r)
			}
		})
		t.Run("a new venue moves the untouched meetings there", func(t *testing.T) {
			v := &peercircle.Venue{SiteID: w.site.ID, Name: "Training room", Capacity: 14}
			must(t, s.SaveVenue(ctx, v))
			g, err := s.Group(ctx, w.group.ID)
			must(t, err)
			g.VenueID = v.ID
			must(t, s.UpdateGroup(ctx, g))
			r := all(t, peercircle.DefaultHorizon)
			if r.Unchanged != 0 || r.Updated == 0 {
				t.Fatalf("result %+v", r)
			}
			for _, m := range w.upcoming(t) {
				if (m.Status == peercircle.SessionPlanned) != (m.VenueID == v.ID) {
					t.Fatalf("%s/%s at venue %d", m.LocalDate, m.Status, m.VenueID)
				}
			}
		})
		t.Run("a shorter horizon removes the meetings beyond it", func(t *testing.T) {
			r := all(t, 4*7*24*time.Hour)
			if r.Unchanged != 0 || r.Removed == 0 {
				t.Fatalf("result %+v", r)
			}
			nothingLeft(t, 4*7*24*time.Hour)
		})
		t.Run("a paused group is planned once, then passed over", func(t *testing.T) {
			g, err := s.Group(ctx, w.group.ID)
			must(t, err)
			g.Status = peercircle.GroupPaused
			must(t, s.UpdateGroup(ctx, g))
			if r := all(t, peercircle.DefaultHorizon); r.Unchanged != 0 {
				t.Fatalf("result %+v", r)
			}
			for _, m := range w.upcoming(t) {
				if m.Status == peercircle.SessionPlanned {
					t.Fatalf("a paused group still has %s planned", m.LocalDate)
				}
			}
			w.clock.Add(60 * 24 * time.Hour)
			if r := all(t, peercircle.DefaultHorizon); r.Unchanged != 1 {
				t.Fatalf("result %+v", r)
			}
		})
		t.Run("a changed rule is followed even if the periodic job runs first", func(t *testing.T) {
			g, err := s.Group(ctx, w.group.ID)
			must(t, err)
			g.Status = peercircle.GroupActive
			must(t, s.UpdateGroup(ctx, g))
			all(t, peercircle.DefaultHorizon)
			must(t, s.SaveSchedule(ctx, &peercircle.GroupSchedule{GroupID: w.group.ID, Preset: "staff", Rule: "FREQ=MONTHLY;BYDAY=2WE,-1WE",
				StartDate: "2026-01-01", StartTime: "13:00", Minutes: 120}))
			if r := all(t, peercircle.DefaultHorizon); r.Unchanged != 1 {
				t.Fatalf("result %+v", r)
			}
			for _, m := range w.upcoming(t) {
				if m.Status == peercircle.SessionPlanned && m.PlannedStart.Weekday() != time.Wednesday {
					t.Fatalf("%s is not a Wednesday", m.LocalDate)
				}
			}
		})
	})
}

// The member home reads a person's groups with their sites and scopes in
// one statement: the same groups, in the same order, as GroupsOf, each
// placed as GroupInPlace places it; a member who left is not in them.
func TestGroupsInPlaceOfAreGroupsOfPlaced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		second := &peercircle.Group{SiteID: w.site.ID, Name: "Another PSG", Kind: peercircle.KindStaff, Membership: peercircle.MembershipOpen,
			Structure: peercircle.StructureFormal, Lang: "en", Status: peercircle.GroupActive, SizeLimit: 10}
		must(t, s.CreateGroup(ctx, second))
		huda, rana := w.people[0], w.people[1]
		joined := w.clock.Now()
		must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: second.ID, PersonID: huda.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive, JoinedAt: &joined}))
		must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: second.ID, PersonID: rana.ID, Role: peercircle.RoleMember, Status: peercircle.MemberLeft, JoinedAt: &joined}))
		for _, p := range []*peercircle.Person{huda, rana, w.org} {
			groups, err := s.GroupsOf(ctx, p.ID)
			must(t, err)
			placed, err := s.GroupsInPlaceOf(ctx, p.ID)
			must(t, err)
			if len(placed) != len(groups) {
				t.Fatalf("%s: %d groups placed, GroupsOf has %d", p.Username, len(placed), len(groups))
			}
			for i, in := range placed {
				one, err := s.GroupInPlace(ctx, groups[i].ID)
				must(t, err)
				if !reflect.DeepEqual(in, one) {
					t.Errorf("%s, group %d: %+v %+v %+v, GroupInPlace %+v %+v %+v", p.Username, i, in.Group, in.Site, in.Scope, one.Group, one.Site, one.Scope)
				}
			}
		}
		if placed, _ := s.GroupsInPlaceOf(ctx, huda.ID); len(placed) != 2 {
			t.Errorf("Huda is in %d groups, want 2", len(placed))
		}
	})
}
