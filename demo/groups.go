package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/schedule"
	"github.com/peercircle/peercircle/sqlstore"
)

// seedSchedules gives the demo groups what the guidance asks a group to
// settle: venues with the checklist, agendas, a schedule (the staff-group
// rule of 000 on the Nuzha group), planned meetings ahead, offers to take
// turns, visiting staff from a site not yet in the programme, a request to
// join, and a code of ethics most members acknowledged.
func seedSchedules(ctx context.Context, s *sqlstore.Store, w *World) error {
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	venue := func(site string, v peercircle.Venue) (*peercircle.Venue, error) {
		v.SiteID = w.Sites[site].ID
		return &v, s.SaveVenue(ctx, &v)
	}
	venues := map[string]*peercircle.Venue{}
	for key, spec := range map[string]struct {
		site string
		v    peercircle.Venue
	}{
		"nuzha": {"nuzha", peercircle.Venue{Name: "Training room, second floor", Address: "Second floor, the door after the pharmacy", Capacity: 18,
			Accessible: true, QuietPrivate: true, Toilets: true, Refreshments: true, Cost: "Free"}},
		"marka":  {"marka", peercircle.Venue{Name: "Staff meeting room", Capacity: 14, QuietPrivate: true, Toilets: true, Cost: "Free"}},
		"zarqa":  {"zarqa", peercircle.Venue{Name: "Clinic meeting room", Capacity: 10, Toilets: true, Cost: "Free"}},
		"amal":   {"amal", peercircle.Venue{Name: "Community hall", Address: "Ground floor, next to the garden", Capacity: 30, Accessible: true, QuietPrivate: true, Toilets: true, Refreshments: true, Cost: "Free for peer groups"}},
		"online": {"amal", peercircle.Venue{Name: "Online (video call)", Virtual: true, MeetingLink: "https://meet.example.org/families-together"}},
	} {
		v, err := venue(spec.site, spec.v)
		if err != nil {
			return fmt.Errorf("venue %s: %w", key, err)
		}
		venues[key] = v
	}
	ts, err := s.Templates(ctx, w.Sites["nuzha"].ID)
	if err != nil {
		return err
	}
	templates := map[string]int64{}
	for _, t := range ts {
		templates[t.NameKey] = t.ID
	}
	setup := []struct {
		group, venue, template string
		sched                  *peercircle.GroupSchedule
	}{
		{"nuzha-staff", "nuzha", peercircle.TemplateStaffKey, staffSchedule(time.Tuesday, "14:00")},
		{"marka-staff", "marka", peercircle.TemplateStaffKey, staffSchedule(time.Wednesday, "13:00")},
		{"zarqa-staff", "zarqa", peercircle.TemplateStaffKey, nil},
		{"hope-circle", "amal", peercircle.TemplateCommunityKey, &peercircle.GroupSchedule{Preset: schedule.PresetWeekly, Rule: "FREQ=WEEKLY;BYDAY=TH", StartDate: "2024-09-01", StartTime: "17:00", Minutes: 120}},
		{"families", "online", peercircle.TemplateCommunityKey, &peercircle.GroupSchedule{Preset: schedule.PresetMonthly, Rule: "FREQ=MONTHLY;BYDAY=1SA", StartDate: "2024-09-01", StartTime: "10:00", Minutes: 90}},
		{"training", "amal", "", &peercircle.GroupSchedule{Preset: schedule.PresetWeekly, Rule: "FREQ=WEEKLY;BYDAY=SU", StartDate: "2024-09-01", StartTime: "09:00", Minutes: 180}},
	}
	for _, st := range setup {
		g := w.Groups[st.group]
		g.VenueID = venues[st.venue].ID
		g.AgendaTemplateID = templates[st.template]
		if err := s.UpdateGroup(ctx, g); err != nil {
			return fmt.Errorf("group %s: %w", st.group, err)
		}
		starter := bundle.Localizer(g.Lang).T(peercircle.EthicsStarter(g.Kind))
		if err := s.SaveEthics(ctx, &peercircle.CodeOfEthics{GroupID: g.ID, Body: starter}); err != nil {
			return err
		}
	}

	// Visiting staff: PAIR-trained staff of Zarqa Camp attend the Nuzha
	// group once a month until their centre joins the programme (000).
	now := time.Now().UTC()
	for _, p := range w.Members["zarqa"][:2] {
		if err := s.SaveMembership(ctx, &peercircle.Membership{GroupID: w.Groups["nuzha-staff"].ID, PersonID: p.ID, Role: peercircle.RoleMember,
			Status: peercircle.MemberActive, Visiting: true, JoinedAt: &now}); err != nil {
			return err
		}
	}
	// Someone from Zarqa Camp asked to join the Nuzha group; the
	// organiser will arrange to meet them.
	asking := w.Members["zarqa"][2]
	if err := s.SaveMembership(ctx, &peercircle.Membership{GroupID: w.Groups["nuzha-staff"].ID, PersonID: asking.ID, Role: peercircle.RoleMember,
		Status: peercircle.MemberRequested, RequestedAt: &now}); err != nil {
		return err
	}

	// Offers to take turns, then the schedules (which plan ahead and fill
	// the rotas), then the acknowledgements.
	for key, roles := range map[string][][]string{
		"nuzha-staff": {{"facilitator", "timekeeper"}, {"facilitator"}, {"facilitator", "refreshments"}, {"facilitator"}, {"greeter", "refreshments"}},
		"marka-staff": {{"facilitator"}, {"facilitator", "timekeeper"}, {"facilitator"}},
		"hope-circle": {{"facilitator", "greeter"}, {"refreshments"}, {"facilitator"}, {"note_taker"}},
		"families":    {{"facilitator"}, {"facilitator", "greeter"}},
	} {
		g := w.Groups[key]
		ms, err := s.Memberships(ctx, g.ID)
		if err != nil {
			return err
		}
		i := 0
		for _, m := range ms {
			if !m.Current() || m.Visiting || i >= len(roles) {
				continue
			}
			if err := s.SetOffers(ctx, g.ID, m.PersonID, roles[i]); err != nil {
				return err
			}
			i++
		}
	}
	for _, st := range setup {
		if st.sched == nil {
			continue
		}
		gs := *st.sched
		gs.GroupID = w.Groups[st.group].ID
		if err := s.SaveSchedule(ctx, &gs); err != nil {
			return fmt.Errorf("schedule %s: %w", st.group, err)
		}
	}
	for _, st := range setup {
		g := w.Groups[st.group]
		e, err := s.CurrentEthics(ctx, g.ID)
		if err != nil {
			return err
		}
		ms, err := s.Memberships(ctx, g.ID)
		if err != nil {
			return err
		}
		// Most members acknowledged; the last two of each group have not
		// yet, so the facilitator sees who to remind.
		current := 0
		for _, m := range ms {
			if m.Current() {
				current++
			}
		}
		n := 0
		for _, m := range ms {
			if !m.Current() || n >= current-2 {
				continue
			}
			if err := s.Acknowledge(ctx, e.ID, m.PersonID); err != nil {
				return err
			}
			n++
		}
	}
	return nil
}

// staffSchedule is the 000 rule: second and last week, same weekday, the
// last two hours of duty.
func staffSchedule(day time.Weekday, at string) *peercircle.GroupSchedule {
	r, _ := schedule.PresetRule(schedule.PresetStaff, day, 0)
	return &peercircle.GroupSchedule{Preset: schedule.PresetStaff, Rule: r.String(), StartDate: "2024-03-01", StartTime: at, Minutes: 120}
}
