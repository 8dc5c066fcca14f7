package web_test

import (
	"context"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// Each half of the fixture gets a venue, a site agenda, the staff-group
// schedule (so upcoming sessions exist), a code of ethics, offers to
// facilitate, and a person asking to join ({membership}).
var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		for i, half := range []map[string]int64{f.In, f.Out} {
			v := &peercircle.Venue{SiteID: half["site"], Name: "Meeting room", Capacity: 14, Accessible: true, QuietPrivate: true, Toilets: true}
			if err := s.SaveVenue(ctx, v); err != nil {
				return err
			}
			t := &peercircle.AgendaTemplate{SiteID: half["site"], Name: "Short meeting",
				Segments: []peercircle.AgendaSegment{{Kind: peercircle.SegmentWelcome, Name: "Welcome", Minutes: 15}, {Kind: peercircle.SegmentClosing, Name: "Closing", Minutes: 15}}}
			if err := s.SaveTemplate(ctx, t); err != nil {
				return err
			}
			g, err := s.Group(ctx, half["group"])
			if err != nil {
				return err
			}
			g.VenueID = v.ID
			if err := s.UpdateGroup(ctx, g); err != nil {
				return err
			}
			if err := s.SaveEthics(ctx, &peercircle.CodeOfEthics{GroupID: g.ID, Body: "Keep what is said here in the room.\nTake turns."}); err != nil {
				return err
			}
			topic := &peercircle.Topic{SiteID: half["site"], Title: "Self-care after a hard shift", SpeakerName: "Dr Guest", SpeakerContact: "+962 6 555 0199"}
			if err := s.SaveTopic(ctx, topic, 0); err != nil {
				return err
			}
			half["topic"] = topic.ID
			if i == 0 {
				for _, role := range []string{"facilitator", "member"} {
					if err := s.SetOffers(ctx, g.ID, f.People[role].ID, []string{peercircle.VolunteerFacilitator}); err != nil {
						return err
					}
				}
			}
			if err := s.SaveSchedule(ctx, &peercircle.GroupSchedule{GroupID: g.ID, Preset: "staff", Rule: "FREQ=MONTHLY;BYDAY=2TU,-1TU",
				StartDate: "2026-01-01", StartTime: "14:00", Minutes: 120}); err != nil {
				return err
			}
			upcoming, err := s.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, From: s.Now(), Statuses: []string{peercircle.SessionPlanned}, Limit: 1})
			if err != nil {
				return err
			}
			if _, ok := half["session"]; !ok && len(upcoming) > 0 {
				half["session"] = upcoming[0].ID
			}
			joiner := &peercircle.Person{Username: "joiner" + []string{"1", "2"}[i], FullName: "Joiner", HomeSiteID: half["site"], Status: peercircle.PersonActive}
			if err := s.CreatePerson(ctx, joiner); err != nil {
				return err
			}
			if _, err := s.RequestToJoin(ctx, g.ID, joiner.ID); err != nil {
				return err
			}
			m, err := s.Membership(ctx, g.ID, joiner.ID)
			if err != nil {
				return err
			}
			half["venue"], half["template"], half["membership"] = v.ID, t.ID, m.ID
		}
		return nil
	})
	return true
}()
