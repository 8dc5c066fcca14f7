package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/schedule"
)

// groupRoutes are the groups area: group pages, settings, venues, agenda
// templates, the code of ethics, joining and orientation, membership,
// schedules, meetings before they are held, and calendar feeds.
func (s *Server) groupRoutes() {
	s.handle("GET /groups/{group}", s.groupShow)
	s.handle("GET /sites/{site}/groups/new", s.groupNew)
	s.handle("POST /sites/{site}/groups", s.groupCreate)
	s.handle("GET /groups/{group}/settings", s.groupSettings)
	s.handle("POST /groups/{group}/settings", s.groupSettingsSave)
	s.handle("POST /groups/{group}/end", s.groupEnd)
	s.handle("GET /groups/{group}/split", s.groupSplit)
	s.handle("POST /groups/{group}/split", s.groupSplitSave)

	s.handle("GET /sites/{site}/venues", s.venues)
	s.handle("POST /sites/{site}/venues", s.venueSave)
	s.handle("POST /sites/{site}/venues/{venue}", s.venueSave)
	s.handle("GET /sites/{site}/agendas", s.agendas)
	s.handle("POST /sites/{site}/agendas", s.agendaSave)
	s.handle("POST /sites/{site}/agendas/{template}", s.agendaSave)

	s.handle("GET /groups/{group}/ethics", s.ethicsShow)
	s.handle("POST /groups/{group}/ethics", s.ethicsSave)
	s.handle("POST /groups/{group}/ethics/acknowledge", s.ethicsAcknowledge)

	s.handle("GET /groups/{group}/join", s.joinShow)
	s.handle("POST /groups/{group}/join", s.joinSave)
	s.handle("GET /groups/{group}/orientation", s.orientation)
	s.handle("GET /groups/{group}/members", s.members)
	s.handle("POST /memberships/{membership}/orientation", s.membershipOrient)
	s.handle("POST /memberships/{membership}/decide", s.membershipDecide)
	s.handle("POST /memberships/{membership}/leave", s.membershipLeave)

	s.handle("GET /groups/{group}/me", s.mine)
	s.handle("POST /groups/{group}/me", s.mineSave)
	s.handle("POST /groups/{group}/me/consent", s.mineConsent)
	s.handle("POST /groups/{group}/me/volunteer", s.mineVolunteer)
	s.handle("POST /groups/{group}/me/leave", s.mineLeave)
	s.handle("POST /groups/{group}/me/quit", s.mineQuit)

	s.handle("GET /groups/{group}/schedule", s.scheduleShow)
	s.handle("POST /groups/{group}/schedule", s.scheduleSave)
	s.handle("GET /sessions/{session}/plan", s.sessionPlan)
	s.handle("POST /sessions/{session}/cancel", s.sessionCancel)
	s.handle("POST /sessions/{session}/postpone", s.sessionPostpone)
	s.handle("POST /sessions/{session}/substitute", s.sessionSubstitute)
	s.handle("POST /sessions/{session}/rsvp", s.sessionRSVP)

	s.handle("GET /calendar", s.calendarLinks)
	s.handle("POST /calendar/renew", s.calendarRenew)
	s.handlePublic("GET /calendar/{token}", http.HandlerFunc(s.calendarFeed))
}

// loc returns the request's localizer.
func (s *Server) loc(r *http.Request) *i18n.Localizer {
	if l := stateOf(r).loc; l != nil {
		return l
	}
	return s.I18n.Localizer("en")
}

// meetingView is one meeting as a person sees it.
type meetingView struct {
	Session     *peercircle.Session
	Group       *peercircle.Group
	Date        string // long date in the site's zone
	ShortDate   string
	Time        string // "14:00–16:00"
	Venue       *peercircle.Venue
	Facilitator string
	MyTurn      bool     // the person facilitates
	MyRoles     []string // volunteer roles the person holds that day (not facilitator)
	Turns       []turnView
	Answer      string // the person's answer ahead: expected, apologies or ""
	Upcoming    bool
	MovedTo     *peercircle.Session
	MovedToDate string
	Reason      string // cancellation or postponement reason, translated when it is a key
}

type turnView struct {
	Role string
	Name string
	Mine bool
}

// names finds how people are shown in a group: the name they chose for
// it, else their own.
type names struct {
	s     *Server
	ctx   context.Context
	cache map[[2]int64]string
}

func (s *Server) names(ctx context.Context) *names {
	return &names{s: s, ctx: ctx, cache: map[[2]int64]string{}}
}

func (n *names) of(groupID, personID int64) string {
	if personID == 0 {
		return ""
	}
	key := [2]int64{groupID, personID}
	if v, ok := n.cache[key]; ok {
		return v
	}
	name := ""
	p, err := n.s.Store.Person(n.ctx, personID)
	if err == nil {
		name = p.Name()
		if m, err := n.s.Store.Membership(n.ctx, groupID, personID); err == nil && m.DisplayName != "" {
			name = m.DisplayName
		}
	}
	n.cache[key] = name
	return name
}

// meetingViews prepares meetings for a person: times in each site's zone,
// the venue, who does what, and the person's own answer and turns.
func (s *Server) meetingViews(r *http.Request, personID int64, sessions []*peercircle.Session) ([]meetingView, error) {
	ctx := r.Context()
	L := s.loc(r)
	now := s.now()
	groups := map[int64]*peercircle.Group{}
	zones := map[int64]*time.Location{}
	venues := map[int64]*peercircle.Venue{}
	nm := s.names(ctx)
	var ids []int64
	for _, m := range sessions {
		ids = append(ids, m.ID)
	}
	turns, err := s.Store.Turns(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]meetingView, 0, len(sessions))
	for _, m := range sessions {
		g, ok := groups[m.GroupID]
		if !ok {
			if g, err = s.Store.Group(ctx, m.GroupID); err != nil {
				return nil, err
			}
			groups[m.GroupID] = g
		}
		loc, ok := zones[g.SiteID]
		if !ok {
			site, err := s.Store.Site(ctx, g.SiteID)
			if err != nil {
				return nil, err
			}
			loc = site.Location()
			zones[g.SiteID] = loc
		}
		v := meetingView{Session: m, Group: g, Upcoming: m.PlannedStart.After(now)}
		start, end := m.PlannedStart.In(loc), m.PlannedEnd.In(loc)
		v.Date, v.ShortDate, v.Time = L.Date(start), L.ShortDate(start), L.Time(start)+"–"+L.Time(end)
		if m.VenueID != 0 {
			if venues[m.VenueID] == nil {
				if vv, err := s.Store.Venue(ctx, m.VenueID); err == nil {
					venues[m.VenueID] = vv
				}
			}
			v.Venue = venues[m.VenueID]
		}
		v.Facilitator = nm.of(g.ID, m.FacilitatorID)
		v.MyTurn = personID != 0 && m.FacilitatorID == personID
		for _, t := range turns {
			if t.SessionID != m.ID {
				continue
			}
			tv := turnView{Role: t.Role, Name: nm.of(g.ID, t.PersonID), Mine: t.PersonID == personID}
			v.Turns = append(v.Turns, tv)
			if tv.Mine && t.Role != peercircle.VolunteerFacilitator {
				v.MyRoles = append(v.MyRoles, t.Role)
			}
		}
		slices.SortFunc(v.Turns, func(a, b turnView) int {
			return slices.Index(peercircle.VolunteerRoles, a.Role) - slices.Index(peercircle.VolunteerRoles, b.Role)
		})
		if personID != 0 {
			if as, err := s.Store.Attendances(ctx, m.ID); err == nil {
				for _, a := range as {
					if a.PersonID == personID {
						v.Answer = a.Status
					}
				}
			}
		}
		v.Reason = m.StatusReason
		if L.Has(m.StatusReason) && len(m.StatusReason) < 60 && !containsSpace(m.StatusReason) {
			v.Reason = L.T(m.StatusReason)
		}
		if m.Status == peercircle.SessionPostponed {
			if to, err := s.Store.MovedTo(ctx, m.ID); err == nil && to != 0 {
				if mm, err := s.Store.Session(ctx, to); err == nil {
					v.MovedTo = mm
					v.MovedToDate = L.Date(mm.PlannedStart.In(loc)) + ", " + L.Time(mm.PlannedStart.In(loc))
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func containsSpace(s string) bool {
	for _, r := range s {
		if r == ' ' {
			return true
		}
	}
	return false
}

// upcomingSessions lists the next meetings of groups (planned, cancelled
// or postponed, so members see what changed), soonest first.
func (s *Server) upcomingSessions(ctx context.Context, groupIDs []int64, limit int) ([]*peercircle.Session, error) {
	if len(groupIDs) == 0 {
		return nil, nil
	}
	now := s.now()
	return s.Store.Sessions(ctx, peercircle.SessionFilter{GroupIDs: groupIDs, From: now.Add(-2 * time.Hour), To: now.AddDate(0, 6, 0),
		Statuses: []string{peercircle.SessionPlanned, peercircle.SessionCancelled, peercircle.SessionPostponed}, Limit: limit})
}

// describeSchedule says a group's schedule in the reader's words, or "".
func describeSchedule(gs *peercircle.GroupSchedule, L *i18n.Localizer) string {
	if gs == nil {
		return ""
	}
	sched, err := gs.Compile()
	if err != nil {
		return ""
	}
	return schedule.Describe(sched, L)
}

type groupData struct {
	Group        *peercircle.Group
	Site         *peercircle.Site
	Scope        peercircle.Scope
	Members      []memberRow
	Membership   *peercircle.Membership // the viewer's, if any
	When         string
	Venue        *peercircle.Venue
	Meetings     []meetingView
	Rota         []string // who offered to facilitate
	Ethics       *peercircle.CodeOfEthics
	Acknowledged bool
	SplitFrom    *peercircle.Group
}

type memberRow struct {
	Name     string
	Role     string
	OnLeave  bool
	Visiting bool
}

// groupShow is the group page: purpose, schedule in plain words, the next
// meetings with who facilitates, the rota, the code of ethics, and the
// members for those allowed to see them.
func (s *Server) groupShow(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActViewGroup)
	if !ok {
		return
	}
	ctx := r.Context()
	p := principal(r)
	g, err := s.Store.Group(ctx, sc.GroupID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	site, err := s.Store.Site(ctx, g.SiteID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := groupData{Group: g, Site: site, Scope: sc}
	if m, err := s.Store.Membership(ctx, g.ID, p.PersonID); err == nil {
		d.Membership = m
	}
	if gs, err := s.Store.GroupScheduleOf(ctx, g.ID); err == nil {
		d.When = describeSchedule(gs, s.loc(r))
	}
	if g.VenueID != 0 {
		d.Venue, _ = s.Store.Venue(ctx, g.VenueID)
	}
	if g.SplitFromID != 0 {
		d.SplitFrom, _ = s.Store.Group(ctx, g.SplitFromID)
	}
	sessions, err := s.upcomingSessions(ctx, []int64{g.ID}, 6)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if d.Meetings, err = s.meetingViews(r, p.PersonID, sessions); err != nil {
		s.renderErr(w, r, err)
		return
	}
	nm := s.names(ctx)
	if offers, err := s.Store.Offers(ctx, g.ID); err == nil {
		for _, o := range offers {
			if o.Role == peercircle.VolunteerFacilitator {
				d.Rota = append(d.Rota, nm.of(g.ID, o.PersonID))
			}
		}
	}
	if e, err := s.Store.CurrentEthics(ctx, g.ID); err == nil {
		d.Ethics = e
		d.Acknowledged, _ = s.Store.Acknowledged(ctx, e.ID, p.PersonID)
	}
	if peercircle.Can(p, peercircle.ActViewMembers, sc) {
		ms, err := s.Store.Memberships(ctx, g.ID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		seeUnlisted := peercircle.Can(p, peercircle.ActManageMembership, sc)
		for _, m := range ms {
			if !m.Current() || (m.Unlisted && !seeUnlisted && m.PersonID != p.PersonID) {
				continue
			}
			d.Members = append(d.Members, memberRow{Name: nm.of(g.ID, m.PersonID), Role: m.Role, OnLeave: m.Status == peercircle.MemberOnLeave, Visiting: m.Visiting})
		}
	}
	s.render(w, r, "group", s.page(r, "group.title", d))
}

// membershipScope loads the {membership} in the path with its group's
// scope and checks the action.
func (s *Server) membershipScope(w http.ResponseWriter, r *http.Request, a peercircle.Action) (*peercircle.Membership, peercircle.Scope, bool) {
	id, ok := pathID(r, "membership")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, peercircle.Scope{}, false
	}
	m, err := s.Store.MembershipByID(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, peercircle.Scope{}, false
	}
	sc, err := s.Store.GroupScope(r.Context(), m.GroupID)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, sc, false
	}
	return m, sc, s.allow(w, r, a, sc)
}

// planScope loads the {session} in the path and checks the action in
// its group.
func (s *Server) planScope(w http.ResponseWriter, r *http.Request, a peercircle.Action) (*peercircle.Session, peercircle.Scope, bool) {
	id, ok := pathID(r, "session")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, peercircle.Scope{}, false
	}
	sc, err := s.Store.SessionScope(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, sc, false
	}
	if !s.allow(w, r, a, sc) {
		return nil, sc, false
	}
	m, err := s.Store.Session(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, sc, false
	}
	return m, sc, true
}

func groupPath(id int64, rest string) string { return "/groups/" + strconv.FormatInt(id, 10) + rest }
