package bench

import (
	"context"
	"time"

	"github.com/peercircle/peercircle"
)

// The baselines of the groups area's pages: the same store calls as the
// handlers (the member home's next meetings, the group page), without
// sessions, access checks, templates or middleware.

// upcoming is the handlers' upcomingSessions: planned, cancelled or
// postponed meetings from two hours ago to six months ahead.
func (b *Baseline) upcoming(ctx context.Context, groups []int64, limit int) ([]*peercircle.Session, error) {
	if len(groups) == 0 {
		return nil, nil
	}
	now := time.Now()
	return b.store.Sessions(ctx, peercircle.SessionFilter{GroupIDs: groups, From: now.Add(-2 * time.Hour), To: now.AddDate(0, 6, 0),
		Statuses: []string{peercircle.SessionPlanned, peercircle.SessionCancelled, peercircle.SessionPostponed}, Limit: limit})
}

// nameOf is the handlers' names.of: a person's name, or the name they chose
// in the group.
func (b *Baseline) nameOf(ctx context.Context, cache map[[2]int64]string, group, person int64) string {
	if person == 0 {
		return ""
	}
	key := [2]int64{group, person}
	if v, ok := cache[key]; ok {
		return v
	}
	name := ""
	if p, err := b.store.Person(ctx, person); err == nil {
		name = p.Name()
		if m, err := b.store.Membership(ctx, group, person); err == nil && m.DisplayName != "" {
			name = m.DisplayName
		}
	}
	cache[key] = name
	return name
}

// meetingViews is the handlers' meetingViews: for each meeting, its group,
// site, venue, facilitator's and volunteers' names, and the person's answer.
func (b *Baseline) meetingViews(ctx context.Context, out *rowWriter, person int64, sessions []*peercircle.Session, names map[[2]int64]string) error {
	var ids []int64
	for _, m := range sessions {
		ids = append(ids, m.ID)
	}
	turns, err := b.store.Turns(ctx, ids)
	if err != nil {
		return err
	}
	groups := map[int64]*peercircle.Group{}
	sites := map[int64]bool{}
	venues := map[int64]*peercircle.Venue{}
	for _, m := range sessions {
		g, ok := groups[m.GroupID]
		if !ok {
			if g, err = b.store.Group(ctx, m.GroupID); err != nil {
				return err
			}
			groups[m.GroupID] = g
		}
		if !sites[g.SiteID] {
			if _, err := b.store.Site(ctx, g.SiteID); err != nil {
				return err
			}
			sites[g.SiteID] = true
		}
		venue := ""
		if m.VenueID != 0 {
			if venues[m.VenueID] == nil {
				venues[m.VenueID], _ = b.store.Venue(ctx, m.VenueID)
			}
			if v := venues[m.VenueID]; v != nil {
				venue = v.Name
			}
		}
		facilitator := b.nameOf(ctx, names, g.ID, m.FacilitatorID)
		for _, t := range turns {
			if t.SessionID == m.ID {
				out.row(m.ID, t.Role, b.nameOf(ctx, names, g.ID, t.PersonID))
			}
		}
		answer := ""
		if as, err := b.store.Attendances(ctx, m.ID); err == nil {
			for _, a := range as {
				if a.PersonID == person {
					answer = a.Status
				}
			}
		}
		if m.Status == peercircle.SessionPostponed {
			if to, err := b.store.MovedTo(ctx, m.ID); err == nil && to != 0 {
				b.store.Session(ctx, to)
			}
		}
		out.row(m.ID, g.Name, m.PlannedStart, m.PlannedEnd, m.Status, venue, facilitator, answer)
	}
	return nil
}

// memberHome is the member home page: their groups and next meetings.
func (b *Baseline) memberHome(ctx context.Context, out *rowWriter, person int64) error {
	groups, err := b.store.GroupsOf(ctx, person)
	if err != nil {
		return err
	}
	var ids []int64
	for _, g := range groups {
		ids = append(ids, g.ID)
		out.row(g.ID, g.Name, g.Kind)
	}
	sessions, err := b.upcoming(ctx, ids, 12)
	if err != nil {
		return err
	}
	return b.meetingViews(ctx, out, person, sessions, map[[2]int64]string{})
}

// groupPage is the group page for one of its members.
func (b *Baseline) groupPage(ctx context.Context, out *rowWriter, group, person int64) error {
	if _, err := b.store.GroupScope(ctx, group); err != nil {
		return err
	}
	g, err := b.store.Group(ctx, group)
	if err != nil {
		return err
	}
	if _, err := b.store.Site(ctx, g.SiteID); err != nil {
		return err
	}
	b.store.Membership(ctx, group, person)
	if gs, err := b.store.GroupScheduleOf(ctx, group); err == nil {
		out.row(gs.Rule, gs.StartTime, gs.Minutes)
	}
	if g.VenueID != 0 {
		b.store.Venue(ctx, g.VenueID)
	}
	if g.SplitFromID != 0 {
		b.store.Group(ctx, g.SplitFromID)
	}
	sessions, err := b.upcoming(ctx, []int64{group}, 6)
	if err != nil {
		return err
	}
	names := map[[2]int64]string{}
	if err := b.meetingViews(ctx, out, person, sessions, names); err != nil {
		return err
	}
	if offers, err := b.store.Offers(ctx, group); err == nil {
		for _, o := range offers {
			if o.Role == peercircle.VolunteerFacilitator {
				out.row(b.nameOf(ctx, names, group, o.PersonID))
			}
		}
	}
	if e, err := b.store.CurrentEthics(ctx, group); err == nil {
		ack, _ := b.store.Acknowledged(ctx, e.ID, person)
		out.row(e.Body, ack)
	}
	ms, err := b.store.Memberships(ctx, group)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if !m.Current() || (m.Unlisted && m.PersonID != person) {
			continue
		}
		out.row(b.nameOf(ctx, names, group, m.PersonID), m.Role, m.Visiting)
	}
	return nil
}

// icalFeed is a calendar feed: the link's person and groups, the meetings
// from a month ago to the planning horizon and a week, and their venues.
func (b *Baseline) icalFeed(ctx context.Context, out *rowWriter, token string) error {
	f, err := b.store.FeedByToken(ctx, token)
	if err != nil {
		return err
	}
	if _, err := b.store.Person(ctx, f.PersonID); err != nil {
		return err
	}
	groups, err := b.store.GroupsOf(ctx, f.PersonID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, g := range groups {
		ids = append(ids, g.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := b.store.Setting(ctx, peercircle.HorizonSetting, ""); err != nil {
		return err
	}
	now := time.Now()
	sessions, err := b.store.Sessions(ctx, peercircle.SessionFilter{GroupIDs: ids, From: now.AddDate(0, -1, 0), To: now.Add(peercircle.DefaultHorizon + 7*24*time.Hour)})
	if err != nil {
		return err
	}
	venues := map[int64]*peercircle.Venue{}
	for _, m := range sessions {
		loc := ""
		if m.VenueID != 0 {
			if venues[m.VenueID] == nil {
				venues[m.VenueID], _ = b.store.Venue(ctx, m.VenueID)
			}
			if v := venues[m.VenueID]; v != nil {
				loc = v.Name
			}
		}
		out.row(m.ID, m.Sequence, m.UpdatedAt, m.PlannedStart, m.PlannedEnd, m.Status, loc)
	}
	return nil
}
