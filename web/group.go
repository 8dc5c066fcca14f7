package web

import (
	"context"
	"maps"
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
	s.handle("POST /groups/{group}/reminders", s.groupReminders)
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
	s.handle("POST /groups/{group}/members/add", s.memberAdd)
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
	Start       string // "14:00"
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
	// Live is the meeting's live state: "running", "ended" or "" (not
	// started). Running is "the meeting is on": pages lead into it.
	Live string
	// CanRun and CanJoin are the viewer's: run the meeting (its
	// facilitators, the site's organisers), take part in it (members).
	CanRun, CanJoin bool
	// StartProblem is why the meeting cannot be started now ("" when it
	// can: Session.StartProblem).
	StartProblem string
	// On is a meeting in its time now: running, or planned and about to
	// start or under way without having been started.
	On bool
}

// Running reports whether the meeting is on now.
func (v meetingView) Running() bool { return v.Live == peercircle.LiveRunning }

type turnView struct {
	Role string
	Name string
	Mine bool
}

// names finds how people are shown in a group: the name they chose for
// it, else their own. A page says which names it will show (want) and reads
// them in one query (load); of reads a name nobody asked for on its own.
type names struct {
	s       *Server
	ctx     context.Context
	cache   map[peercircle.GroupPerson]string
	pending []peercircle.GroupPerson
}

func (s *Server) names(ctx context.Context) *names {
	return &names{s: s, ctx: ctx, cache: map[peercircle.GroupPerson]string{}}
}

// want notes a name the page will show, for the next load.
func (n *names) want(groupID, personID int64) {
	if personID == 0 {
		return
	}
	k := peercircle.GroupPerson{GroupID: groupID, PersonID: personID}
	if _, ok := n.cache[k]; !ok {
		n.pending = append(n.pending, k)
	}
}

// load reads every name wanted since the last load in one query. A name
// that cannot be read shows as "".
func (n *names) load() {
	if len(n.pending) == 0 {
		return
	}
	got, _ := n.s.Store.GroupNames(n.ctx, n.pending)
	for _, k := range n.pending {
		n.cache[k] = got[k]
	}
	n.pending = n.pending[:0]
}

func (n *names) of(groupID, personID int64) string {
	if personID == 0 {
		return ""
	}
	k := peercircle.GroupPerson{GroupID: groupID, PersonID: personID}
	if v, ok := n.cache[k]; ok {
		return v
	}
	n.want(groupID, personID)
	n.load()
	return n.cache[k]
}

// lookups are what a page's meetings share: their groups, the sites'
// zones, venues and names, each read once. A page that already holds a
// group or its site hands them over with known.
type lookups struct {
	s      *Server
	ctx    context.Context
	groups map[int64]*peercircle.Group
	zones  map[int64]*time.Location
	venues map[int64]*peercircle.Venue
	scopes map[int64]peercircle.Scope
	names  *names
	// turns and live are the meetings' rota turns and live states, read
	// for every meeting the page will show in one query each (facts).
	turns map[int64][]peercircle.RotaTurn
	live  map[int64]string
	read  map[int64]bool // meetings whose turns and live state are read
	// person is the signed-in person (0 for none), whose own answers to
	// the meetings are read with their turns.
	person  int64
	answers map[int64]string
}

func (s *Server) lookups(r *http.Request) *lookups {
	ctx := r.Context()
	lk := &lookups{s: s, ctx: ctx, groups: map[int64]*peercircle.Group{}, zones: map[int64]*time.Location{},
		venues: map[int64]*peercircle.Venue{}, scopes: map[int64]peercircle.Scope{}, names: s.names(ctx),
		turns: map[int64][]peercircle.RotaTurn{}, live: map[int64]string{}, read: map[int64]bool{}, answers: map[int64]string{}}
	if p := principal(r); p != nil {
		lk.person = p.PersonID
	}
	return lk
}

// facts reads the rota turns and live states of the meetings not read yet,
// and wants the names they show. A page that shows two lists of meetings
// hands both over first, so each is read in one query for the page.
func (lk *lookups) facts(sessions ...[]*peercircle.Session) error {
	var ids []int64
	for _, list := range sessions {
		for _, m := range list {
			if !lk.read[m.ID] {
				lk.read[m.ID] = true
				ids = append(ids, m.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	turns, live, answers, err := lk.s.Store.TurnsAndLive(lk.ctx, lk.person, ids)
	if err != nil {
		return err
	}
	for _, t := range turns {
		lk.turns[t.SessionID] = append(lk.turns[t.SessionID], t)
	}
	maps.Copy(lk.live, live)
	maps.Copy(lk.answers, answers)
	for _, list := range sessions {
		for _, m := range list {
			lk.names.want(m.GroupID, m.FacilitatorID)
			for _, t := range lk.turns[m.ID] {
				lk.names.want(m.GroupID, t.PersonID)
			}
		}
	}
	return nil
}

// known records a group (and its site, when given) the page has read.
func (lk *lookups) known(g *peercircle.Group, site *peercircle.Site) {
	lk.groups[g.ID] = g
	if site != nil && site.ID == g.SiteID {
		lk.zones[site.ID] = site.Location()
	}
}

// placed records a group read with its site and scope.
func (lk *lookups) placed(in *peercircle.GroupInPlace) {
	lk.known(in.Group, in.Site)
	lk.scopes[in.Group.ID] = in.Scope
}

func (lk *lookups) group(id int64) (*peercircle.Group, error) {
	if g, ok := lk.groups[id]; ok {
		return g, nil
	}
	g, err := lk.s.Store.Group(lk.ctx, id)
	if err != nil {
		return nil, err
	}
	lk.groups[id] = g
	return g, nil
}

// scope is a group's scope, read once per page.
func (lk *lookups) scope(groupID int64) (peercircle.Scope, error) {
	if sc, ok := lk.scopes[groupID]; ok {
		return sc, nil
	}
	sc, err := lk.s.Store.GroupScope(lk.ctx, groupID)
	if err != nil {
		return sc, err
	}
	lk.scopes[groupID] = sc
	return sc, nil
}

func (lk *lookups) zone(siteID int64) (*time.Location, error) {
	if loc, ok := lk.zones[siteID]; ok {
		return loc, nil
	}
	site, err := lk.s.Store.Site(lk.ctx, siteID)
	if err != nil {
		return nil, err
	}
	lk.zones[siteID] = site.Location()
	return lk.zones[siteID], nil
}

// meetingViews prepares meetings for a person: times in each site's zone,
// the venue, who does what, and the person's own answer and turns.
func (s *Server) meetingViews(r *http.Request, personID int64, sessions []*peercircle.Session) ([]meetingView, error) {
	return s.meetingViewsWith(r, s.lookups(r), personID, sessions)
}

// meetingViewsWith is meetingViews sharing a page's lookups: the names of
// everyone the meetings show (with any the page wanted before) are read
// in one query, the person's answers in another.
func (s *Server) meetingViewsWith(r *http.Request, lk *lookups, personID int64, sessions []*peercircle.Session) ([]meetingView, error) {
	ctx := r.Context()
	L := s.loc(r)
	now := s.now()
	nm := lk.names
	var ids []int64
	for _, m := range sessions {
		ids = append(ids, m.ID)
	}
	if err := lk.facts(sessions); err != nil {
		return nil, err
	}
	byMeeting, live := lk.turns, lk.live
	nm.load()
	answers := lk.answers // read with the facts, when for the same person
	if personID != lk.person {
		answers = map[int64]string{}
		if personID != 0 && len(ids) > 0 {
			if got, err := s.Store.Answers(ctx, personID, ids); err == nil {
				answers = got
			}
		}
	}
	out := make([]meetingView, 0, len(sessions))
	for _, m := range sessions {
		g, err := lk.group(m.GroupID)
		if err != nil {
			return nil, err
		}
		loc, err := lk.zone(g.SiteID)
		if err != nil {
			return nil, err
		}
		v := meetingView{Session: m, Group: g, Upcoming: m.PlannedStart.After(now)}
		start, end := m.PlannedStart.In(loc), m.PlannedEnd.In(loc)
		v.Date, v.ShortDate, v.Time, v.Start = L.Date(start), L.ShortDate(start), L.Time(start)+"–"+L.Time(end), L.Time(start)
		if m.VenueID != 0 {
			if lk.venues[m.VenueID] == nil {
				if vv, err := s.Store.Venue(ctx, m.VenueID); err == nil {
					lk.venues[m.VenueID] = vv
				}
			}
			v.Venue = lk.venues[m.VenueID]
		}
		v.Facilitator = nm.of(g.ID, m.FacilitatorID)
		v.MyTurn = personID != 0 && m.FacilitatorID == personID
		for _, t := range byMeeting[m.ID] {
			tv := turnView{Role: t.Role, Name: nm.of(g.ID, t.PersonID), Mine: t.PersonID == personID}
			v.Turns = append(v.Turns, tv)
			if tv.Mine && t.Role != peercircle.VolunteerFacilitator {
				v.MyRoles = append(v.MyRoles, t.Role)
			}
		}
		slices.SortFunc(v.Turns, func(a, b turnView) int {
			return slices.Index(peercircle.VolunteerRoles, a.Role) - slices.Index(peercircle.VolunteerRoles, b.Role)
		})
		v.Answer = answers[m.ID]
		v.Live = live[m.ID]
		v.StartProblem = m.StartProblem(now)
		v.On = v.Running() || (v.Live == "" && m.On(now))
		if personID != 0 {
			sc, err := lk.scope(g.ID)
			if err != nil {
				return nil, err
			}
			for _, f := range []int64{m.FacilitatorID, m.CoFacilitatorID} {
				if f != 0 {
					sc.SessionFacilitators = append(sc.SessionFacilitators, f)
				}
			}
			p := principal(r)
			v.CanRun = peercircle.Can(p, peercircle.ActRunSession, sc)
			v.CanJoin = peercircle.Can(p, peercircle.ActParticipate, sc)
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
// or postponed, so members see what changed), soonest first, with any
// that began within the longest a meeting lasts: one may still be on
// (running over its planned end). currentViews then drops those that are
// over.
func (s *Server) upcomingSessions(ctx context.Context, groupIDs []int64, limit int) ([]*peercircle.Session, error) {
	if len(groupIDs) == 0 {
		return nil, nil
	}
	now := s.now()
	return s.Store.Sessions(ctx, peercircle.SessionFilter{GroupIDs: groupIDs, From: now.Add(-peercircle.MaxSessionLength), To: now.AddDate(0, 6, 0),
		Statuses: []string{peercircle.SessionPlanned, peercircle.SessionHeld, peercircle.SessionCancelled, peercircle.SessionPostponed}, Limit: limit + 4})
}

// currentViews keeps the meetings that are not over (a running one is
// not over, whatever its planned end or its summary say), at most limit.
func (s *Server) currentViews(views []meetingView, limit int) []meetingView {
	now := s.now()
	out := views[:0]
	for _, v := range views {
		if v.Running() || (v.Session.PlannedEnd.After(now) && v.Session.Status != peercircle.SessionHeld) {
			out = append(out, v)
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out
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
	Group      *peercircle.Group
	Site       *peercircle.Site
	Scope      peercircle.Scope
	Members    []memberRow
	Membership *peercircle.Membership // the viewer's, if any
	When       string
	Venue      *peercircle.Venue
	Meetings   []meetingView
	// Recent are the last meetings held, with who facilitated them (the
	// same record Sheet 2 and Sheet 3 show).
	Recent []meetingView
	Rota   []string // who offered to facilitate
	// RotaView is the rota's recorded changes, the swaps waiting for the
	// viewer's answer, and the organiser's "put on the rota".
	RotaView     *rotaView
	Ethics       *peercircle.CodeOfEthics
	Acknowledged bool
	SplitFrom    *peercircle.Group
	// Clashes of this group's meetings, for those who manage them: a
	// schedule, a meeting change or a rota turn lands here.
	Clashes []clashView
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
	in, ok := s.loadGroup(w, r, peercircle.ActViewGroup)
	if !ok {
		return
	}
	ctx := r.Context()
	p := principal(r)
	g, site, sc := in.Group, in.Site, in.Scope
	var err error
	d := groupData{Group: g, Site: site, Scope: sc}
	viewMembers := peercircle.Can(p, peercircle.ActViewMembers, sc)
	manage := peercircle.Can(p, peercircle.ActManageMembership, sc)
	// Someone who sees the roster has their own membership in it.
	var ms []*peercircle.Membership
	if viewMembers {
		if ms, err = s.Store.Memberships(ctx, g.ID); err != nil {
			s.renderErr(w, r, err)
			return
		}
		for _, m := range ms {
			if m.PersonID == p.PersonID {
				d.Membership = m
			}
		}
	} else if m, err := s.Store.Membership(ctx, g.ID, p.PersonID); err == nil {
		d.Membership = m
	}
	if gs, err := s.Store.GroupScheduleOf(ctx, g.ID); err == nil {
		d.When = describeSchedule(gs, s.loc(r))
	}
	// What the page has read, its meetings do not read again.
	lk := s.lookups(r)
	lk.known(g, site)
	lk.scopes[g.ID] = sc
	if g.VenueID != 0 {
		if d.Venue, _ = s.Store.Venue(ctx, g.VenueID); d.Venue != nil {
			lk.venues[g.VenueID] = d.Venue
		}
	}
	if g.SplitFromID != 0 {
		d.SplitFrom, _ = s.Store.Group(ctx, g.SplitFromID)
	}
	sessions, err := s.upcomingSessions(ctx, []int64{g.ID}, 6)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	var held []*peercircle.Session
	if viewMembers {
		if held, err = s.Store.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, To: s.now(), Statuses: []string{peercircle.SessionHeld}, Limit: 3, Latest: true}); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	// The rota, the roster and both lists of meetings are read first, so
	// that every name the page shows comes in one query.
	nm := lk.names
	offers, _ := s.Store.Offers(ctx, g.ID)
	for _, o := range offers {
		if o.Role == peercircle.VolunteerFacilitator {
			nm.want(g.ID, o.PersonID)
		}
	}
	var roster []*peercircle.Membership
	for _, m := range ms {
		if !m.Current() || (m.Unlisted && !manage && m.PersonID != p.PersonID) {
			continue
		}
		roster = append(roster, m)
		nm.want(g.ID, m.PersonID)
	}
	if err := lk.facts(sessions, held); err != nil {
		s.renderErr(w, r, err)
		return
	}
	if d.Meetings, err = s.meetingViewsWith(r, lk, p.PersonID, sessions); err != nil {
		s.renderErr(w, r, err)
		return
	}
	d.Meetings = s.currentViews(d.Meetings, 6)
	if viewMembers {
		if d.Recent, err = s.meetingViewsWith(r, lk, 0, held); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	for _, o := range offers {
		if o.Role == peercircle.VolunteerFacilitator {
			d.Rota = append(d.Rota, nm.of(g.ID, o.PersonID))
		}
	}
	if viewMembers {
		if d.RotaView, err = s.rotaViewOf(r, g, site.Location(), nm, ms, manage); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	if e, acked, err := s.Store.EthicsFor(ctx, g.ID, p.PersonID); err == nil {
		d.Ethics, d.Acknowledged = e, acked
	}
	for _, m := range roster {
		d.Members = append(d.Members, memberRow{Name: nm.of(g.ID, m.PersonID), Role: m.Role, OnLeave: m.Status == peercircle.MemberOnLeave, Visiting: m.Visiting})
	}
	if manage {
		if d.Clashes, err = s.siteClashes(r, site.ID, g.ID); err != nil {
			s.renderErr(w, r, err)
			return
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
