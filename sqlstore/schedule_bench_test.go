package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// BenchmarkMaterialise measures planning one staff group's twelve weeks
// ahead when nothing changed (what the periodic job does most of the
// time) on SQLite: read the schedule, expand it, compare, fill the rota.
func BenchmarkMaterialise(b *testing.B) {
	s := storetest.Open(b, "sqlite")
	ctx := context.Background()
	r := peercircle.Region{Name: "R", TimeZone: "Asia/Amman"}
	if err := s.CreateRegion(ctx, &r); err != nil {
		b.Fatal(err)
	}
	a := peercircle.Area{RegionID: r.ID, Name: "A"}
	if err := s.CreateArea(ctx, &a); err != nil {
		b.Fatal(err)
	}
	st := peercircle.Site{AreaID: a.ID, Name: "S", Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
	if err := s.CreateSite(ctx, &st); err != nil {
		b.Fatal(err)
	}
	g := &peercircle.Group{SiteID: st.ID, Name: "G", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed, Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive}
	if err := s.CreateGroup(ctx, g); err != nil {
		b.Fatal(err)
	}
	for i := range 12 {
		p := &peercircle.Person{Username: "p" + string(rune('a'+i)), FullName: "P", HomeSiteID: st.ID, Status: peercircle.PersonActive}
		if err := s.CreatePerson(ctx, p); err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		if err := s.SaveMembership(ctx, &peercircle.Membership{GroupID: g.ID, PersonID: p.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive, JoinedAt: &now}); err != nil {
			b.Fatal(err)
		}
		if i%3 == 0 {
			if err := s.SetOffers(ctx, g.ID, p.ID, []string{peercircle.VolunteerFacilitator, peercircle.VolunteerTimekeeper}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := s.SaveSchedule(ctx, &peercircle.GroupSchedule{GroupID: g.ID, Rule: "FREQ=MONTHLY;BYDAY=2TU,-1TU", StartDate: "2024-01-01", StartTime: "14:00", Minutes: 120}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Materialise(ctx, g.ID, peercircle.DefaultHorizon); err != nil {
			b.Fatal(err)
		}
	}
}
