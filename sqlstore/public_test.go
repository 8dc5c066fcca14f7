package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func TestPublicFinder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s) // a closed staff group, not listed
		lat, lon := 31.95, 35.91
		room := &peercircle.Venue{SiteID: w.site.ID, Name: "Community room", Address: "Ground floor, door 2", Accessible: true, Toilets: true,
			Latitude: &lat, Longitude: &lon}
		must(t, s.SaveVenue(ctx, room))
		open := &peercircle.Group{SiteID: w.site.ID, Name: "Carers' circle", Purpose: "Family members who care for someone.", Kind: peercircle.KindFamily,
			Membership: peercircle.MembershipOpen, Structure: peercircle.StructureInformal, Lang: "ar", Status: peercircle.GroupActive,
			VenueID: room.ID, Listed: true, VenuePublic: true}
		must(t, s.CreateGroup(ctx, open))
		fac := member(t, s, "facilitator", w.site.ID)
		must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: open.ID, PersonID: fac.ID, Role: peercircle.RoleFacilitator, Status: peercircle.MemberActive}))
		must(t, s.SaveSchedule(ctx, &peercircle.GroupSchedule{GroupID: open.ID, Preset: "custom", Rule: "FREQ=WEEKLY;BYDAY=WE",
			StartDate: "2026-01-01", StartTime: "17:30", Minutes: 90}))

		t.Run("a new group is not listed, and an unlisted group is not found", func(t *testing.T) {
			g, err := s.Group(ctx, w.group.ID)
			must(t, err)
			if g.Listed || g.VenuePublic {
				t.Fatalf("new group listed=%v venue_public=%v", g.Listed, g.VenuePublic)
			}
			_, err = s.Listing(ctx, w.group.ID)
			wantErr(t, err, peercircle.ENOTFOUND, "")
			ls, err := s.Listings(ctx)
			must(t, err)
			if len(ls) != 1 || ls[0].Group.ID != open.ID {
				t.Fatalf("listings %v", ls)
			}
		})
		t.Run("a listing has its place, venue with position, schedule and next meetings", func(t *testing.T) {
			l, err := s.Listing(ctx, open.ID)
			must(t, err)
			if l.Site.ID != w.site.ID || l.Area.ID == 0 || l.Region.ID == 0 || l.Venue == nil || l.Schedule == nil {
				t.Fatalf("listing %+v", l)
			}
			if la, lo, ok := l.Coords(); !ok || la != lat || lo != lon {
				t.Fatalf("coords %v %v %v", la, lo, ok)
			}
			// Monday 5 January 2026: Wednesdays 7, 14, 21 at 17:30 Amman.
			want := time.Date(2026, 1, 7, 14, 30, 0, 0, time.UTC)
			if len(l.Next) != 3 || !l.Next[0].Equal(want) {
				t.Fatalf("next %v, want first %v", l.Next, want)
			}
		})
		t.Run("paused and ended groups leave the finder", func(t *testing.T) {
			open.Status = peercircle.GroupPaused
			must(t, s.UpdateGroup(ctx, open))
			_, err := s.Listing(ctx, open.ID)
			wantErr(t, err, peercircle.ENOTFOUND, "")
			open.Status = peercircle.GroupActive
			must(t, s.UpdateGroup(ctx, open))
		})
		t.Run("a message reaches the contact sealed, and the address is throttled", func(t *testing.T) {
			secret := "I would like to come, my number is 0790000000"
			must(t, s.SendPublicMessage(ctx, &peercircle.PublicMessage{GroupID: open.ID, Text: secret, Reply: "by text"}, "192.0.2.7"))
			if safetyRawContains(t, s, "public_messages", "0790000000") || safetyRawContains(t, s, "public_throttle", "192.0.2.7") {
				t.Fatal("message or address stored in clear")
			}
			ms, err := s.PublicMessages(ctx, open.ID, 10)
			must(t, err)
			if len(ms) != 1 || ms[0].Text != secret || ms[0].Reply != "by text" {
				t.Fatalf("messages %+v", ms)
			}
			ns, err := s.Notifications(ctx, fac.ID, false, 10)
			must(t, err)
			if len(ns) == 0 || ns[0].Kind != "public_message" || fmt.Sprint(ns[0].Params) != "[Carers' circle]" {
				t.Fatalf("notifications %+v", ns)
			}
			for i := 1; i < peercircle.PublicMessagesPerHour; i++ {
				must(t, s.SendPublicMessage(ctx, &peercircle.PublicMessage{GroupID: open.ID, Text: "hello"}, "192.0.2.7"))
			}
			err = s.SendPublicMessage(ctx, &peercircle.PublicMessage{GroupID: open.ID, Text: "hello"}, "192.0.2.7")
			wantErr(t, err, peercircle.ETOOMANY, "public.throttled")
			must(t, s.SendPublicMessage(ctx, &peercircle.PublicMessage{GroupID: open.ID, Text: "hello"}, "192.0.2.8"))
			w.clock.Add(2 * time.Hour)
			must(t, s.SendPublicMessage(ctx, &peercircle.PublicMessage{GroupID: open.ID, Text: "hello"}, "192.0.2.7"))
		})
		t.Run("an unlisted group takes no message", func(t *testing.T) {
			err := s.SendPublicMessage(ctx, &peercircle.PublicMessage{GroupID: w.group.ID, Text: "hello"}, "192.0.2.9")
			wantErr(t, err, peercircle.ENOTFOUND, "")
			err = s.SendPublicMessage(ctx, &peercircle.PublicMessage{GroupID: open.ID, Text: " "}, "192.0.2.9")
			wantErr(t, err, peercircle.EINVALID, "")
		})
	})
}

func TestFinderQuery(t *testing.T) {
	lat, lon := 31.95, 35.91
	mk := func(id int64, kind, lang, mem string, virtual bool, at time.Time) *peercircle.Listing {
		v := &peercircle.Venue{Virtual: virtual}
		if !virtual {
			v.Latitude, v.Longitude = &lat, &lon
		}
		return &peercircle.Listing{Group: &peercircle.Group{ID: id, Name: fmt.Sprintf("Group %d", id), Kind: kind, Lang: lang, Membership: mem, VenuePublic: true},
			Site: peercircle.Site{ID: 1, Name: "Al-Nuzha", TimeZone: "Asia/Amman"}, Venue: v, Next: []time.Time{at}}
	}
	wed := time.Date(2026, 1, 7, 14, 30, 0, 0, time.UTC) // 17:30 in Amman
	mon := time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC)   // 10:00 in Amman
	ls := []*peercircle.Listing{mk(1, "family", "ar", "open", false, wed), mk(2, "community", "en", "closed", true, mon)}
	for _, c := range []struct {
		name string
		q    peercircle.FinderQuery
		want string
	}{
		{"no filter keeps all", peercircle.FinderQuery{}, "[1 2]"},
		{"online", peercircle.FinderQuery{Mode: "online"}, "[2]"},
		{"in person", peercircle.FinderQuery{Mode: "in_person"}, "[1]"},
		{"Wednesday evening in the site's zone", peercircle.FinderQuery{Weekday: 3, PartOfDay: peercircle.DayEvening}, "[1]"},
		{"Monday morning", peercircle.FinderQuery{Weekday: 1, PartOfDay: peercircle.DayMorning}, "[2]"},
		{"language and kind", peercircle.FinderQuery{Lang: "ar", Kind: "family"}, "[1]"},
		{"closed groups", peercircle.FinderQuery{Membership: "closed"}, "[2]"},
		{"words in any case", peercircle.FinderQuery{Text: "nuzha GROUP 2"}, "[2]"},
		{"near the venue", peercircle.FinderQuery{Near: true, Lat: 31.96, Lon: 35.92, Km: 5}, "[1]"},
		{"too far", peercircle.FinderQuery{Near: true, Lat: 32.5, Lon: 35.92, Km: 5}, "[]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ids []int64
			for _, l := range c.q.Filter(ls) {
				ids = append(ids, l.Group.ID)
			}
			if got := fmt.Sprint(ids); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestPublicJoin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s) // a closed staff group, not listed; an organiser
		closed := &peercircle.Group{SiteID: w.site.ID, Name: "Family circle", Kind: peercircle.KindFamily, Membership: peercircle.MembershipClosed,
			Structure: peercircle.StructureInformal, Lang: "ar", Status: peercircle.GroupActive, Listed: true}
		open := &peercircle.Group{SiteID: w.site.ID, Name: "Open circle", Kind: peercircle.KindCommunity, Membership: peercircle.MembershipOpen,
			Structure: peercircle.StructureInformal, Lang: "en", Status: peercircle.GroupActive, Listed: true}
		must(t, s.CreateGroup(ctx, closed))
		must(t, s.CreateGroup(ctx, open))
		must(t, s.SaveSchedule(ctx, &peercircle.GroupSchedule{GroupID: open.ID, Preset: "custom", Rule: "FREQ=WEEKLY;BYDAY=WE",
			StartDate: "2026-01-01", StartTime: "17:30", Minutes: 90}))

		t.Run("a closed group's request waits with only what the person gave, sealed", func(t *testing.T) {
			j := &peercircle.JoinRequest{GroupID: closed.ID, Name: "Umm Ali", Contact: peercircle.Contact{Channel: peercircle.ChannelWhatsApp, Address: "+962 79 000 0042"},
				Note: "Evenings are better for me"}
			must(t, s.PublicJoin(ctx, j, "198.51.100.4"))
			m, err := s.MembershipByID(ctx, j.MembershipID)
			must(t, err)
			p, err := s.Person(ctx, m.PersonID)
			must(t, err)
			if m.Status != peercircle.MemberRequested || m.DisplayName != "Umm Ali" || p.Status != peercircle.PersonNoLogin || p.Username != "" || p.Email != "" {
				t.Fatalf("membership %+v person %+v", m, p)
			}
			if safetyRawContains(t, s, "memberships", "0000042") || safetyRawContains(t, s, "public_requests", "Evenings") {
				t.Fatal("contact or note in clear")
			}
			rs, err := s.PublicRequests(ctx, closed.ID)
			must(t, err)
			r := rs[j.MembershipID]
			if len(rs) != 1 || r == nil || r.Contact.Address != "+962 79 000 0042" || r.Contact.Channel != "whatsapp" || r.Note != "Evenings are better for me" || r.SessionID != 0 {
				t.Fatalf("requests %+v", rs)
			}
			ns, err := s.Notifications(ctx, w.org.ID, false, 10)
			must(t, err)
			if len(ns) == 0 || ns[0].Kind != "join_request" {
				t.Fatalf("organiser's notices %+v", ns)
			}
			must(t, s.ArrangeOrientation(ctx, j.MembershipID, w.org.ID))
			must(t, s.DecideMembership(ctx, j.MembershipID, true, w.org.ID))
			m, err = s.MembershipByID(ctx, j.MembershipID)
			must(t, err)
			rs, err = s.PublicRequests(ctx, closed.ID)
			must(t, err)
			if m.Status != peercircle.MemberActive || len(rs) != 0 {
				t.Fatalf("after welcome: %s, %d waiting", m.Status, len(rs))
			}
		})
		t.Run("an open group's answer names the next meeting; nothing needs to be given", func(t *testing.T) {
			j := &peercircle.JoinRequest{GroupID: open.ID}
			must(t, s.PublicJoin(ctx, j, "198.51.100.5"))
			if j.SessionID == 0 || j.SessionStart == nil || !j.SessionStart.Equal(time.Date(2026, 1, 7, 14, 30, 0, 0, time.UTC)) {
				t.Fatalf("session %d %v", j.SessionID, j.SessionStart)
			}
			m, err := s.MembershipByID(ctx, j.MembershipID)
			must(t, err)
			p, err := s.Person(ctx, m.PersonID)
			must(t, err)
			if !strings.HasPrefix(p.FullName, "#") || m.Contact.Channel != "" {
				t.Fatalf("person %q channel %q", p.FullName, m.Contact.Channel)
			}
		})
		t.Run("unlisted groups and bad contacts are refused", func(t *testing.T) {
			wantErr(t, s.PublicJoin(ctx, &peercircle.JoinRequest{GroupID: w.group.ID}, "198.51.100.6"), peercircle.ENOTFOUND, "")
			err := s.PublicJoin(ctx, &peercircle.JoinRequest{GroupID: closed.ID, Contact: peercircle.Contact{Channel: peercircle.ChannelPhone, Address: "call me"}}, "198.51.100.6")
			wantErr(t, err, peercircle.EINVALID, "consent.error.phone")
		})
	})
}
