package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
)

// sessionRoutes are the pages of one meeting: before it (agenda items,
// who is expected), during it (the live page, members checking in from their
// phones), after it (feedback, the summary).
func (s *Server) sessionRoutes() {
	s.handle("GET /sessions/{session}", s.sessionShow)
	s.handle("POST /sessions/{session}/agenda", s.agendaPropose)
	s.handle("POST /sessions/{session}/agenda/{item}", s.agendaItemUpdate)
	s.handle("POST /sessions/{session}/here", s.sessionHere)
	s.handle("POST /sessions/{session}/feeling", s.sessionFeeling)
	s.handle("GET /suggest", s.suggest)

	s.handle("GET /sessions/{session}/live", s.liveShow)
	s.handle("POST /sessions/{session}/live", s.liveAction)
	s.handle("POST /sessions/{session}/live/checkin", s.liveCheckin)
	s.handle("POST /sessions/{session}/live/attendance", s.liveAttendance)
	s.handle("POST /sessions/{session}/live/feelings", s.liveFeelings)
	s.handle("GET /sessions/{session}/live.json", s.liveJSON)

	s.handle("POST /sessions/{session}/feedback", s.feedbackAdmin)
	s.handle("GET /sessions/{session}/feedback", s.feedbackResults)
	s.handle("GET /sessions/{session}/feedback/code", s.feedbackCode)
	s.handle("POST /sessions/{session}/feedback/claim", s.feedbackClaim)
	s.handlePublic("GET /feedback/{session}/{token}", http.HandlerFunc(s.feedbackForm))
	s.handlePublic("POST /feedback/{session}/{token}", http.HandlerFunc(s.feedbackSubmit))

	s.handle("GET /sessions/{session}/summary", s.summaryShow)
	s.handle("GET /sessions/{session}/summary/edit", s.summaryEdit)
	s.handle("POST /sessions/{session}/summary", s.summarySave)
	s.handle("POST /sessions/{session}/summary/review", s.summaryReview)
	s.handle("GET /summaries", s.summariesList)
	s.handle("GET /summaries.csv", s.summariesCSV)
}

// Meeting is a session with what every page about it shows.
type Meeting struct {
	Session      *peercircle.Session
	Group        *peercircle.Group
	Site         *peercircle.Site
	Scope        peercircle.Scope
	Facilitators []string
	at           time.Time // when the page was asked for
}

// Past reports whether a planned meeting's time is over without it having
// been started or recorded (it cannot be started any more).
func (m *Meeting) Past() bool {
	return m.Session.StartProblem(m.at) == "live.past"
}

// Loc is the site's time zone, for dates and times.
func (m *Meeting) Loc() *time.Location { return m.Site.Location() }

// Minutes is the planned length of the meeting.
func (m *Meeting) Minutes() int {
	return int(m.Session.PlannedEnd.Sub(m.Session.PlannedStart).Minutes())
}

// sessionScope loads the scope of the {session} in the path and checks the
// action, writing the error page when refused.
func (s *Server) sessionScope(w http.ResponseWriter, r *http.Request, a peercircle.Action) (peercircle.Scope, int64, bool) {
	id, ok := pathID(r, "session")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return peercircle.Scope{}, 0, false
	}
	sc, err := s.Store.SessionScope(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return sc, id, false
	}
	return sc, id, s.allow(w, r, a, sc)
}

// loadMeeting is sessionScope plus the session, its group and site, read
// together.
func (s *Server) loadMeeting(w http.ResponseWriter, r *http.Request, a peercircle.Action) (*Meeting, bool) {
	id, ok := pathID(r, "session")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	in, err := s.Store.SessionInPlace(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	if !s.allow(w, r, a, in.Scope) {
		return nil, false
	}
	return s.meetingIn(r, in), true
}

// meeting reads a meeting whose scope the handler has checked.
func (s *Server) meeting(r *http.Request, sc peercircle.Scope, id int64) (*Meeting, error) {
	in, err := s.Store.SessionInPlace(r.Context(), id)
	if err != nil {
		return nil, err
	}
	in.Scope = sc
	return s.meetingIn(r, in), nil
}

func (s *Server) meetingIn(r *http.Request, in *peercircle.SessionInPlace) *Meeting {
	ses, g := in.Session, in.Group
	m := &Meeting{Session: ses, Group: g, Site: in.Site, Scope: in.Scope, at: s.now()}
	// Named as the group names them (peercircle.InGroup), as the group
	// page does: the same person reads the same on both.
	nm := s.names(r.Context())
	for _, pid := range []int64{ses.FacilitatorID, ses.CoFacilitatorID} {
		nm.want(g.ID, pid)
	}
	nm.load()
	for _, pid := range []int64{ses.FacilitatorID, ses.CoFacilitatorID} {
		if pid != 0 {
			m.Facilitators = append(m.Facilitators, nm.of(g.ID, pid))
		}
	}
	return m
}

// personChoice is one person in a picker.
type personChoice struct {
	PersonID int64
	Name     string
}

// groupChoices lists a group's current members (and extra people, such as
// a meeting's recorded facilitator who has since left) as the group names
// them, for a "who" picker.
func (s *Server) groupChoices(ctx context.Context, groupID int64, extra ...int64) ([]personChoice, error) {
	ms, err := s.Store.Memberships(ctx, groupID)
	if err != nil {
		return nil, err
	}
	return choicesOf(groupID, ms, s.names(ctx), extra...), nil
}

// choicesOf is groupChoices from the group's memberships, naming people
// with the page's names.
func choicesOf(groupID int64, ms []*peercircle.Membership, nm *names, extra ...int64) []personChoice {
	var ids []int64
	for _, m := range ms {
		if m.Current() {
			ids = append(ids, m.PersonID)
		}
	}
	for _, id := range extra {
		if id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		nm.want(groupID, id)
	}
	nm.load()
	out := make([]personChoice, 0, len(ids))
	for _, id := range ids {
		out = append(out, personChoice{PersonID: id, Name: nm.of(groupID, id)})
	}
	slices.SortFunc(out, func(a, b personChoice) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out
}

// sessionData is the session page.
type sessionData struct {
	*Meeting
	CanRun, CanParticipate bool
	Items                  []*peercircle.AgendaItem
	Rows                   []itemRow
	ItemMinutes, Available int
	Attendance             []*peercircle.AttendanceEntry
	Counts                 peercircle.AttendanceCounts
	Live                   *peercircle.Live
	Me                     *peercircle.AttendanceEntry
	Picked                 bool
	// Claim is where the person is with the feedback: a code taken and
	// not used reopens the same form.
	Claim           peercircle.FeedbackClaim
	Feedback        *peercircle.FeedbackRound
	Summary         *peercircle.Summary
	Guard           *guardForm
	Kinds, Feelings []string
	Prompts         []string
	Now             time.Time
	// Topic is the meeting's part 2 from the site's library, and who
	// presents it (the topic's guest speaker when no member does).
	Topic     *peercircle.Topic
	Presenter string
	// Soon is true on the day of a meeting that has not started: members'
	// pages then notice when it starts.
	Soon bool
}

// itemRow is an agenda item as the board shows it: whether it fits in the
// time available so far (000: "prioritise given the time available").
type itemRow struct {
	*peercircle.AgendaItem
	Mine, Fits, First, Last bool
}

// Segment names a live segment in the page's language.
func (p *Page) Segment(sg peercircle.AgendaSegment) string {
	switch {
	case sg.NameKey != "" && p.L.Has(sg.NameKey):
		return p.T(sg.NameKey)
	case sg.NameKey == "" && sg.Name != "":
		return sg.Name // a name the group typed
	}
	// A shipped template whose name is not in the catalogue: the kind's
	// name reads in the person's language, the stored English would not.
	return p.T("segment.kind." + sg.Kind)
}

// Clock formats seconds as m:ss (h:mm:ss from an hour), in the page's
// digits, with a minus sign for an overrun.
func (p *Page) Clock(secs int) string {
	sign := ""
	if secs < 0 {
		sign, secs = "−", -secs
	}
	var s string
	if secs >= 3600 {
		s = fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	} else {
		s = fmt.Sprintf("%d:%02d", secs/60, secs%60)
	}
	return sign + p.digits(s)
}

// At formats a time of day in a zone.
func (p *Page) At(t time.Time, loc *time.Location) string { return p.L.Time(t.In(loc)) }

func (s *Server) sessionShow(w http.ResponseWriter, r *http.Request) {
	m, ok := s.loadMeeting(w, r, peercircle.ActViewGroup)
	if !ok {
		return
	}
	d, err := s.sessionPage(r, m)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "session", s.page(r, "meeting.title", d))
}

func (s *Server) sessionPage(r *http.Request, m *Meeting) (*sessionData, error) {
	ctx := r.Context()
	p := principal(r)
	d := &sessionData{Meeting: m, Kinds: peercircle.ItemKinds, Feelings: peercircle.Feelings, Prompts: peercircle.FeedbackPrompts, Now: s.now(),
		CanRun:         peercircle.Can(p, peercircle.ActRunSession, m.Scope),
		CanParticipate: peercircle.Can(p, peercircle.ActParticipate, m.Scope)}
	if !d.CanRun && !d.CanParticipate {
		return d, nil // coordinators and admins: date, place, facilitator
	}
	v, err := s.Store.MeetingView(ctx, m.Session.ID, p.PersonID)
	if err != nil {
		return nil, err
	}
	if d.Topic = v.Topic; d.Topic != nil {
		d.Presenter = d.Topic.SpeakerName
		if v.Presenter != 0 {
			d.Presenter = s.names(ctx).of(m.Group.ID, v.Presenter)
		}
	}
	d.Items = v.Items
	s.auditItemsRead(r, m.Session.ID, d.Items)
	for _, t := range v.Segments {
		if t.Kind == peercircle.SegmentCases || t.Kind == peercircle.SegmentSharing {
			d.Available += t.Minutes
		}
	}
	for i, it := range d.Items {
		d.ItemMinutes += it.Minutes
		d.Rows = append(d.Rows, itemRow{AgendaItem: it, Mine: it.AuthorID == p.PersonID, Fits: d.ItemMinutes <= d.Available,
			First: i == 0, Last: i == len(d.Items)-1})
	}
	d.Attendance = v.Attendance
	d.Counts = peercircle.CountAttendance(d.Attendance)
	for _, e := range d.Attendance {
		if e.PersonID == p.PersonID {
			d.Me = e
		}
	}
	if !d.CanRun {
		d.Attendance = nil // members see their own line only
	}
	d.Live = v.Live
	d.Soon = d.Live == nil && d.Now.After(m.Session.PlannedStart.Add(-12*time.Hour)) && d.Now.Before(m.Session.PlannedEnd) &&
		m.Session.Status == peercircle.SessionPlanned
	d.Picked, d.Claim, d.Feedback, d.Summary = v.Picked, v.Claim, v.Feedback, v.Summary
	return d, nil
}

// auditItemsRead records that someone read agenda items others wrote
// (DESIGN.md rule 5), as a count, never the titles.
func (s *Server) auditItemsRead(r *http.Request, sessionID int64, items []*peercircle.AgendaItem) {
	pid := principal(r).PersonID
	others := 0
	for _, it := range items {
		if it.AuthorID != pid {
			others++
		}
	}
	if others == 0 {
		return
	}
	err := s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: pid, Action: "agenda.read", TargetKind: "session", TargetID: sessionID,
		Detail: "items=" + strconv.Itoa(others)})
	if err != nil {
		s.Log.Error("audit", "route", r.Pattern, "err", err)
	}
}

// agendaPropose adds a member's agenda item, after the guard.
func (s *Server) agendaPropose(w http.ResponseWriter, r *http.Request) {
	sc, id, ok := s.sessionScope(w, r, peercircle.ActViewGroup)
	if !ok {
		return
	}
	if !peercircle.Can(principal(r), peercircle.ActParticipate, sc) {
		s.renderMessage(w, r, http.StatusForbidden, "error.forbidden.title", "board.not_member")
		return
	}
	m, err := s.meeting(r, sc, id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	values := map[string]string{"title": strings.TrimSpace(r.PostFormValue("title"))}
	allowed := readAllowed(r, []string{"title"})
	g, err := s.sessionGuard(r, id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	applyDecisions(r, []string{"title"}, values, allowed, s.guardPlaceholder(r))
	gf := checkFields(g, []string{"title"}, map[string]string{"title": "board.title"}, values, allowed)
	var saveErr error
	if gf.Found() == 0 {
		it := &peercircle.AgendaItem{SessionID: id, AuthorID: principal(r).PersonID, Kind: r.PostFormValue("kind"), Title: values["title"], Allowed: allowed["title"]}
		if saveErr = s.Store.ProposeItem(r.Context(), it); saveErr == nil {
			s.redirect(w, r, fmt.Sprintf("/sessions/%d#agenda", id), "flash.agenda_added")
			return
		}
	} else if gf.Found() > 0 {
		saveErr = guardErr
	}
	d, err := s.sessionPage(r, m)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d.Guard = gf
	p := s.page(r, "meeting.title", d)
	p.Form = url.Values{"title": {values["title"]}, "kind": {r.PostFormValue("kind")}}
	if saveErr == nil {
		s.render(w, r, "session", p)
		return
	}
	if peercircle.ErrorCode(saveErr) != peercircle.EINVALID {
		s.renderErr(w, r, saveErr)
		return
	}
	p.Errors = peercircle.ErrorFields(saveErr)
	p.Error = peercircle.ErrorKey(saveErr)
	s.renderStatus(w, r, http.StatusUnprocessableEntity, "session", p)
}

// agendaItemUpdate moves, estimates, marks or deletes an item: the
// facilitator does all of these; an author may delete their own item.
func (s *Server) agendaItemUpdate(w http.ResponseWriter, r *http.Request) {
	sc, id, ok := s.sessionScope(w, r, peercircle.ActViewGroup)
	if !ok {
		return
	}
	itemID, ok := pathID(r, "item")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	op := r.PostFormValue("op")
	p := principal(r)
	if !peercircle.Can(p, peercircle.ActRunSession, sc) {
		if op != "delete" || !peercircle.Can(p, peercircle.ActParticipate, sc) {
			s.renderError(w, r, http.StatusForbidden)
			return
		}
		items, err := s.Store.AgendaItems(r.Context(), id)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		mine := false
		for _, it := range items {
			mine = mine || (it.ID == itemID && it.AuthorID == p.PersonID)
		}
		if !mine {
			s.renderError(w, r, http.StatusForbidden)
			return
		}
	}
	minutes, _ := strconv.Atoi(peercircleDigits(strings.TrimSpace(r.PostFormValue("minutes"))))
	if err := s.Store.UpdateItem(r.Context(), id, itemID, op, minutes); err != nil {
		s.renderErr(w, r, err)
		return
	}
	to := fmt.Sprintf("/sessions/%d#agenda", id)
	if r.PostFormValue("from") == "live" {
		to = fmt.Sprintf("/sessions/%d/live#agenda", id)
	}
	s.redirect(w, r, to, "")
}

// sessionHere is a member checking in from their own phone.
func (s *Server) sessionHere(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.sessionScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	if err := s.Store.CheckIn(r.Context(), id, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/sessions/%d#now", id), "flash.checked_in")
}

// sessionFeeling is a member's Circle of Emotions pick, counted anonymously.
func (s *Server) sessionFeeling(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.sessionScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	err := s.Store.PickFeeling(r.Context(), id, principal(r).PersonID, r.PostFormValue("feeling"))
	if err != nil && peercircle.ErrorCode(err) != peercircle.ECONFLICT {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/sessions/%d#now", id), "flash.feeling_shared")
}

// suggestData lists the coming meetings a member can propose items for.
type suggestData struct {
	Sessions []suggestRow
}

type suggestRow struct {
	Session *peercircle.Session
	Group   *peercircle.Group
	Loc     *time.Location
}

// suggest is "Suggest something for the agenda" on the member home: the
// next meeting of each of the person's groups.
func (s *Server) suggest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	groups, err := s.Store.GroupsOf(ctx, p.PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	var d suggestData
	for _, g := range groups {
		sc, err := s.Store.GroupScope(ctx, g.ID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		if !peercircle.Can(p, peercircle.ActParticipate, sc) {
			continue
		}
		next, err := s.Store.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, From: s.now().Add(-3 * time.Hour),
			Statuses: []string{peercircle.SessionPlanned}, Limit: 1})
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		if len(next) == 0 {
			continue
		}
		site, err := s.Store.Site(ctx, g.SiteID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.Sessions = append(d.Sessions, suggestRow{Session: next[0], Group: g, Loc: site.Location()})
	}
	if len(d.Sessions) == 1 {
		http.Redirect(w, r, fmt.Sprintf("/sessions/%d#propose", d.Sessions[0].Session.ID), http.StatusSeeOther)
		return
	}
	s.render(w, r, "suggest", s.page(r, "suggest.title", d))
}

// Decimal formats a number with places decimals in the page's language.
func (p *Page) Decimal(f float64, places int) string { return p.L.Decimal(f, places) }

// Scale is the answers of a feedback rating, 1 to 5.
func (p *Page) Scale() []int { return []int{1, 2, 3, 4, 5} }
