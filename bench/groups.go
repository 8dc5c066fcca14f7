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

// meetingViews is the handlers' meetingViewsWith: the meetings' turns,
// live states and the person's answers in one query, one for every name
// the page shows (the meetings' and the extra pairs the page wanted), then each meeting's
// group and site (unless the page already read them), venue and, when
// postponed, where it moved.
func (b *Baseline) meetingViews(ctx context.Context, out *rowWriter, person int64, sessions []*peercircle.Session,
	groups map[int64]*peercircle.Group, sites map[int64]bool, extra []peercircle.GroupPerson) (map[peercircle.GroupPerson]string, error) {
	var ids []int64
	for _, m := range sessions {
		ids = append(ids, m.ID)
	}
	turns, _, answers, err := b.store.TurnsAndLive(ctx, person, ids)
	if err != nil {
		return nil, err
	}
	want := extra
	for _, m := range sessions {
		if m.FacilitatorID != 0 {
			want = append(want, peercircle.GroupPerson{GroupID: m.GroupID, PersonID: m.FacilitatorID})
		}
	}
	for _, t := range turns {
		for _, m := range sessions {
			if m.ID == t.SessionID {
				want = append(want, peercircle.GroupPerson{GroupID: m.GroupID, PersonID: t.PersonID})
			}
		}
	}
	names := map[peercircle.GroupPerson]string{}
	if len(want) > 0 {
		if names, err = b.store.GroupNames(ctx, want); err != nil {
			return nil, err
		}
	}
	venues := map[int64]*peercircle.Venue{}
	for _, m := range sessions {
		g, ok := groups[m.GroupID]
		if !ok {
			if g, err = b.store.Group(ctx, m.GroupID); err != nil {
				return nil, err
			}
			groups[m.GroupID] = g
		}
		if !sites[g.SiteID] {
			if _, err := b.store.Site(ctx, g.SiteID); err != nil {
				return nil, err
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
		for _, t := range turns {
			if t.SessionID == m.ID {
				out.row(m.ID, t.Role, names[peercircle.GroupPerson{GroupID: g.ID, PersonID: t.PersonID}])
			}
		}
		if m.Status == peercircle.SessionPostponed {
			if to, err := b.store.MovedTo(ctx, m.ID); err == nil && to != 0 {
				b.store.Session(ctx, to)
			}
		}
		facilitator := names[peercircle.GroupPerson{GroupID: g.ID, PersonID: m.FacilitatorID}]
		out.row(m.ID, g.Name, m.PlannedStart, m.PlannedEnd, m.Status, venue, facilitator, answers[m.ID])
	}
	return names, nil
}

// memberHome is the member home page: their groups and next meetings.
func (b *Baseline) memberHome(ctx context.Context, out *rowWriter, person int64) error {
	groups, err := b.store.GroupsOf(ctx, person)
	if err != nil {
		return err
	}
	var ids []int64
	known := map[int64]*peercircle.Group{}
	for _, g := range groups {
		ids = append(ids, g.ID)
		known[g.ID] = g
		out.row(g.ID, g.Name, g.Kind)
	}
	sessions, err := b.upcoming(ctx, ids, 12)
	if err != nil {
		return err
	}
	_, err = b.meetingViews(ctx, out, person, sessions, known, map[int64]bool{}, nil)
	return err
}

// groupPage is the group page for one of its members: the rota and the
// roster are read before the meetings, so that every name comes in one
// query.
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
	var want, rota, roster []peercircle.GroupPerson
	offers, _ := b.store.Offers(ctx, group)
	for _, o := range offers {
		if o.Role == peercircle.VolunteerFacilitator {
			rota = append(rota, peercircle.GroupPerson{GroupID: group, PersonID: o.PersonID})
		}
	}
	ms, err := b.store.Memberships(ctx, group)
	if err != nil {
		return err
	}
	var listed []*peercircle.Membership
	for _, m := range ms {
		if !m.Current() || (m.Unlisted && m.PersonID != person) {
			continue
		}
		listed = append(listed, m)
		roster = append(roster, peercircle.GroupPerson{GroupID: group, PersonID: m.PersonID})
	}
	want = append(append(want, rota...), roster...)
	names, err := b.meetingViews(ctx, out, person, sessions, map[int64]*peercircle.Group{g.ID: g}, map[int64]bool{g.SiteID: true}, want)
	if err != nil {
		return err
	}
	for _, k := range rota {
		out.row(names[k])
	}
	if e, err := b.store.CurrentEthics(ctx, group); err == nil {
		ack, _ := b.store.Acknowledged(ctx, e.ID, person)
		out.row(e.Body, ack)
	}
	for i, k := range roster {
		out.row(names[k], listed[i].Role, listed[i].Visiting)
	}
	return nil
}

// sitePlan is the site page's plan of its groups: each group's next three
// planned meetings and its memberships (requests waiting), then the
// meetings prepared together.
func (b *Baseline) sitePlan(ctx context.Context, out *rowWriter, site int64, groups []*peercircle.Group) error {
	known := map[int64]*peercircle.Group{}
	var all []*peercircle.Session
	for _, g := range groups {
		known[g.ID] = g
		if g.Status == peercircle.GroupEnded {
			continue
		}
		sessions, err := b.store.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, From: time.Now(), Statuses: []string{peercircle.SessionPlanned}, Limit: 3})
		if err != nil {
			return err
		}
		all = append(all, sessions...)
		ms, err := b.store.Memberships(ctx, g.ID)
		if err != nil {
			return err
		}
		waiting := 0
		for _, m := range ms {
			if m.Pending() {
				waiting++
			}
		}
		out.row(g.ID, waiting)
	}
	_, err := b.meetingViews(ctx, out, 0, all, known, map[int64]bool{site: true}, nil)
	return err
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
