package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// SiteClashes on both backends: a room booked twice at the site, the
// site's facilitator due at another site at the same time, and what does
// not clash (an online room, a cancelled meeting, another site's own
// business).
func TestSiteClashes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		room := &peercircle.Venue{SiteID: m.site.ID, Name: "Room 2"}
		online := &peercircle.Venue{SiteID: m.site.ID, Name: "Video call", Virtual: true, MeetingLink: "https://meet.example.org/x"}
		for _, v := range []*peercircle.Venue{room, online} {
			if err := s.SaveVenue(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		m.group.VenueID = room.ID
		if err := s.UpdateGroup(ctx, m.group); err != nil {
			t.Fatal(err)
		}
		other := &peercircle.Group{SiteID: m.site.ID, Name: "Second group", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
			Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive, VenueID: room.ID}
		if err := s.CreateGroup(ctx, other); err != nil {
			t.Fatal(err)
		}
		start := m.clock.Now().Add(48 * time.Hour)
		add := func(g int64, venue, fac int64, from time.Duration) *peercircle.Session {
			ses := &peercircle.Session{GroupID: g, PlannedStart: start.Add(from), PlannedEnd: start.Add(from + 2*time.Hour),
				LocalDate: start.Format(time.DateOnly), Status: peercircle.SessionPlanned, VenueID: venue, FacilitatorID: fac}
			if err := s.AddSession(ctx, ses); err != nil {
				t.Fatal(err)
			}
			return ses
		}
		a := add(m.group.ID, 0, m.facilitator.ID, 0)
		add(other.ID, 0, m.members[0].ID, time.Hour) // same room (the groups'), an hour later
		clashes, err := s.SiteClashes(ctx, m.site.ID, m.clock.Now(), m.clock.Now().Add(peercircle.ClashHorizon))
		if err != nil || len(clashes) != 1 || clashes[0].Kind != peercircle.ClashRoom || clashes[0].VenueID != room.ID || clashes[0].A.ID != a.ID {
			t.Fatalf("clashes = %+v (%v)", clashes, err)
		}
		// Online, the second meeting clashes with nothing.
		if err := s.CancelSession(ctx, clashes[0].B.ID, "moved online", m.organiser.ID); err != nil {
			t.Fatal(err)
		}
		add(other.ID, online.ID, m.members[1].ID, time.Hour)
		add(other.ID, online.ID, m.members[0].ID, time.Hour)
		if clashes, _ := s.SiteClashes(ctx, m.site.ID, m.clock.Now(), m.clock.Now().Add(peercircle.ClashHorizon)); len(clashes) != 0 {
			t.Fatalf("an online room or a cancelled meeting clashes: %+v", clashes)
		}
		// The facilitator is due at another site at the same time.
		r2 := &peercircle.Region{Name: "North", TimeZone: "Asia/Amman"}
		if err := s.CreateRegion(ctx, r2); err != nil {
			t.Fatal(err)
		}
		a2 := &peercircle.Area{RegionID: r2.ID, Name: "North area"}
		if err := s.CreateArea(ctx, a2); err != nil {
			t.Fatal(err)
		}
		st2 := &peercircle.Site{AreaID: a2.ID, Name: "Far HC", Kind: peercircle.SiteKinds[0], TimeZone: "Asia/Amman"}
		if err := s.CreateSite(ctx, st2); err != nil {
			t.Fatal(err)
		}
		far := &peercircle.Group{SiteID: st2.ID, Name: "Far group", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
			Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive}
		if err := s.CreateGroup(ctx, far); err != nil {
			t.Fatal(err)
		}
		add(far.ID, 0, m.facilitator.ID, 90*time.Minute)
		clashes, _ = s.SiteClashes(ctx, m.site.ID, m.clock.Now(), m.clock.Now().Add(peercircle.ClashHorizon))
		if len(clashes) != 1 || clashes[0].Kind != peercircle.ClashPerson || clashes[0].PersonID != m.facilitator.ID {
			t.Fatalf("clashes = %+v", clashes)
		}
		// The far site sees the same clash from its side.
		if far, _ := s.SiteClashes(ctx, st2.ID, m.clock.Now(), m.clock.Now().Add(peercircle.ClashHorizon)); len(far) != 1 {
			t.Fatalf("the far site sees %d clashes", len(far))
		}
	})
}
