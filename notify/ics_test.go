package notify_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// A reminder by e-mail carries its meeting as an .ics file that a calendar
// reads back: the feed's UID, the times, the room; named "your group" for
// someone unlisted in it; other kinds and other channels carry nothing.
func TestRemindersCarryTheMeeting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		reg := &peercircle.Region{Name: "Centre", TimeZone: "Asia/Amman"}
		must(t, s.CreateRegion(ctx, reg))
		area := &peercircle.Area{Name: "East", RegionID: reg.ID}
		must(t, s.CreateArea(ctx, area))
		site := &peercircle.Site{Name: "Nuzha HC", AreaID: area.ID, Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
		must(t, s.CreateSite(ctx, site))
		v := &peercircle.Venue{SiteID: site.ID, Name: "Meeting room 2", Address: "First floor"}
		must(t, s.SaveVenue(ctx, v))
		g := &peercircle.Group{SiteID: site.ID, Name: "Nuzha staff group", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
			Structure: peercircle.StructureFormal, Lang: "en", Status: peercircle.GroupActive}
		must(t, s.CreateGroup(ctx, g))
		start := time.Date(2026, 12, 8, 11, 0, 0, 0, time.UTC)
		m := &peercircle.Session{GroupID: g.ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour), LocalDate: "2026-12-08",
			Status: peercircle.SessionPlanned, VenueID: v.ID}
		must(t, s.AddSession(ctx, m))
		huda := person(t, s, "huda", "huda@example.org", "en")
		ref := "meeting:" + itoa(m.ID)
		for _, kind := range []string{peercircle.KindMeetingReminder, "session_cancelled"} {
			_, err := s.EnqueueMessage(ctx, &peercircle.OutboxMessage{PersonID: huda.ID, Kind: kind, Channel: peercircle.ChannelEmail,
				Params: []string{"@notify.your_group", "2026-12-08", "14:00"}, Link: "/answer/x", Ref: ref})
			must(t, err)
		}
		rec := &recorder{}
		o := worker(s, "w1", map[string]notify.Sender{peercircle.ChannelEmail: rec})
		o.Attach = notify.MeetingAttachment(s)
		drain(t, o)
		var withFile int
		for _, msg := range rec.messages() {
			if len(msg.Attachments) == 0 {
				if msg.Kind == peercircle.KindMeetingReminder {
					t.Fatal("the reminder has no .ics")
				}
				continue
			}
			withFile++
			a := msg.Attachments[0]
			cal, err := goical.NewDecoder(bytes.NewReader(a.Data)).Decode()
			if err != nil || a.Name != "meeting.ics" {
				t.Fatalf("%s: %v", a.Name, err)
			}
			ev := cal.Events()[0]
			uid, _ := ev.Props.Text(goical.PropUID)
			summary, _ := ev.Props.Text(goical.PropSummary)
			where, _ := ev.Props.Text(goical.PropLocation)
			at, _ := ev.DateTimeStart(time.UTC)
			if uid != "session-"+itoa(m.ID)+"@peercircle" || summary != "Your group" && summary != "your group" || where != "Meeting room 2, First floor" || !at.Equal(start) {
				t.Fatalf("event %q %q %q %v", uid, summary, where, at)
			}
		}
		if withFile != 1 {
			t.Fatalf("%d messages carry a file, want the reminder only", withFile)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
