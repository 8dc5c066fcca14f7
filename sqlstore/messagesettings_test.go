package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// How a person is reached, on both backends: their number goes with
// messages they chose by SMS or WhatsApp; a message written in their quiet
// hours (in their centre's zone) waits for the end; the topic's choice wins
// over the default, the kind's over the topic's; erasure forgets it all.
func TestMessageSettingsAreHonoured(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		amman, _ := time.LoadLocation("Asia/Amman")
		clock := storetest.NewClock(time.Date(2026, 12, 4, 23, 30, 0, 0, amman))
		s.Now = clock.Now
		site := ammanSite(t, s)
		p := &peercircle.Person{Username: "huda", Email: "huda@example.org", FullName: "Huda", HomeSiteID: site.ID, Status: peercircle.PersonActive}
		must(t, s.CreatePerson(ctx, p))
		must(t, s.SaveMessageSettings(ctx, &peercircle.MessageSettings{PersonID: p.ID, Phone: "00 962 79 555 0101", QuietStart: "22:00", QuietEnd: "07:00"}))
		must(t, s.SetNotifyPref(ctx, p.ID, "*", peercircle.ChannelEmail))
		must(t, s.SetNotifyPref(ctx, p.ID, peercircle.TopicPref("rota"), peercircle.ChannelWhatsApp))
		must(t, s.SetNotifyPref(ctx, p.ID, "swap_proposed", peercircle.ChannelSMS))
		for _, kind := range []string{"buddy_paired", "rota_changed", "swap_proposed"} {
			must(t, s.Notify(ctx, &peercircle.Notification{PersonID: p.ID, Kind: kind, Link: "/"}))
		}
		msgs, err := s.OutboxMessages(ctx, peercircle.OutboxQueued, 10)
		must(t, err)
		want := map[string]string{"buddy_paired": peercircle.ChannelEmail, "rota_changed": peercircle.ChannelWhatsApp, "swap_proposed": peercircle.ChannelSMS}
		morning := time.Date(2026, 12, 5, 7, 0, 0, 0, amman)
		for _, m := range msgs {
			if want[m.Kind] != m.Channel || !m.RunAt.Equal(morning) {
				t.Errorf("%s by %s at %v, want %s at %v", m.Kind, m.Channel, m.RunAt.In(amman), want[m.Kind], morning)
			}
		}
		if len(msgs) != 3 {
			t.Fatalf("%d messages", len(msgs))
		}
		if m, _ := s.ClaimMessage(ctx, "w", time.Minute); m != nil {
			t.Fatalf("a message left in the quiet hours: %+v", m)
		}
		clock.Add(8 * time.Hour)
		for range 3 {
			m, err := s.ClaimMessage(ctx, "w", time.Minute)
			must(t, err)
			if m == nil {
				t.Fatal("nothing due after the quiet hours")
			}
			wantTo := "+962795550101"
			if m.Channel == peercircle.ChannelEmail {
				wantTo = "huda@example.org"
			}
			if m.To != wantTo {
				t.Fatalf("%s by %s goes to %q", m.Kind, m.Channel, m.To)
			}
		}
		got, _ := s.MessageSettings(ctx, p.ID)
		if got.Phone != "+962795550101" {
			t.Fatalf("phone %q", got.Phone)
		}
		if err := s.SaveMessageSettings(ctx, &peercircle.MessageSettings{PersonID: p.ID, Phone: "0795550101"}); peercircle.ErrorCode(err) != peercircle.EINVALID {
			t.Fatalf("a number without its country code: %v", err)
		}
	})
}

// ammanSite makes a region, an area and a health centre in Amman's zone.
func ammanSite(t *testing.T, s *sqlstore.Store) *peercircle.Site {
	t.Helper()
	ctx := context.Background()
	reg := &peercircle.Region{Name: "Centre", TimeZone: "Asia/Amman"}
	must(t, s.CreateRegion(ctx, reg))
	area := &peercircle.Area{Name: "East", RegionID: reg.ID}
	must(t, s.CreateArea(ctx, area))
	site := &peercircle.Site{Name: "Nuzha HC", AreaID: area.ID, Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
	must(t, s.CreateSite(ctx, site))
	return site
}
