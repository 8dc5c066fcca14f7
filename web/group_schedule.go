package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
)

type scheduleData struct {
	Group    *peercircle.Group
	Site     *peercircle.Site
	Scope    peercircle.Scope
	Presets  []string
	Weekdays []time.Weekday
	Weeks    []int
	Current  string   // the saved schedule in plain words
	Preview  string   // the previewed schedule in plain words
	Dates    []string // the next dates of the preview
}

func (s *Server) schedulePage(r *http.Request, sc peercircle.Scope) (*Page, *scheduleData, error) {
	g, err := s.Store.Group(r.Context(), sc.GroupID)
	if err != nil {
		return nil, nil, err
	}
	site, err := s.Store.Site(r.Context(), g.SiteID)
	if err != nil {
		return nil, nil, err
	}
	d := &scheduleData{Group: g, Site: site, Scope: sc, Presets: schedule.Presets,
		Weekdays: []time.Weekday{time.Saturday, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Weeks:    []int{1, 2, 3, 4, -1}}
	if gs, err := s.Store.GroupScheduleOf(r.Context(), g.ID); err == nil {
		d.Current = describeSchedule(gs, s.loc(r))
	}
	return s.page(r, "schedule.title", d), d, nil
}

// scheduleFormValues fills the editor from the saved schedule, or from
// defaults: the staff preset for a staff group, weekly otherwise.
func (s *Server) scheduleFormValues(r *http.Request, d *scheduleData) map[string][]string {
	today := s.now().In(d.Site.Location()).Format(time.DateOnly)
	v := map[string][]string{"preset": {schedule.PresetWeekly}, "weekday": {"2"}, "week": {"1"}, "start_date": {today},
		"start_time": {"14:00"}, "minutes": {"120"}}
	if d.Group.Kind == peercircle.KindStaff {
		v["preset"] = []string{schedule.PresetStaff}
	} else {
		v["minutes"] = []string{"90"}
	}
	if d.Group.AgendaTemplateID != 0 {
		if t, err := s.Store.Template(r.Context(), d.Group.AgendaTemplateID); err == nil && t.Minutes() > 0 {
			v["minutes"] = []string{strconv.Itoa(t.Minutes())}
		}
	}
	gs, err := s.Store.GroupScheduleOf(r.Context(), d.Group.ID)
	if err != nil {
		return v
	}
	rule, _ := schedule.ParseRule(gs.Rule)
	preset, day, week := schedule.PresetOf(rule)
	v["preset"] = []string{preset}
	if preset != schedule.PresetCustom {
		v["weekday"] = []string{strconv.Itoa(int(day))}
		if week != 0 {
			v["week"] = []string{strconv.Itoa(week)}
		}
	}
	v["rule"] = []string{gs.Rule}
	v["start_date"] = []string{gs.StartDate}
	v["start_time"] = []string{gs.StartTime}
	v["minutes"] = []string{strconv.Itoa(gs.Minutes)}
	v["exceptions"] = []string{strings.Join(gs.Exceptions, "\n")}
	v["extras"] = []string{strings.Join(gs.Extras, "\n")}
	return v
}

// scheduleShow is the schedule editor: a preset or a rule in plain words,
// and a preview of the next dates before saving.
func (s *Server) scheduleShow(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageGroup)
	if !ok {
		return
	}
	p, d, err := s.schedulePage(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	p.Form = s.scheduleFormValues(r, d)
	s.render(w, r, "schedule", p)
}

// readSchedule builds a schedule from the editor's fields: a preset makes
// the rule; "custom" takes the rule as written.
func readSchedule(r *http.Request, groupID int64, zone string) (*peercircle.GroupSchedule, error) {
	gs := &peercircle.GroupSchedule{GroupID: groupID, TimeZone: zone, Preset: r.PostFormValue("preset"),
		StartDate: strings.TrimSpace(peercircleDigits(r.PostFormValue("start_date"))), StartTime: strings.TrimSpace(peercircleDigits(r.PostFormValue("start_time"))),
		Exceptions: []string{peercircleDigits(r.PostFormValue("exceptions"))}, Extras: []string{peercircleDigits(r.PostFormValue("extras"))}}
	mins, err := strconv.Atoi(strings.TrimSpace(peercircleDigits(r.PostFormValue("minutes"))))
	if err != nil || mins <= 0 {
		return gs, peercircle.FieldErrors{"minutes": "schedule.error.duration"}.Err()
	}
	gs.Minutes = mins
	if gs.Preset == schedule.PresetCustom {
		gs.Rule = r.PostFormValue("rule")
		return gs, nil
	}
	day, _ := strconv.Atoi(r.PostFormValue("weekday"))
	week, _ := strconv.Atoi(r.PostFormValue("week"))
	rule, err := schedule.PresetRule(gs.Preset, time.Weekday(((day%7)+7)%7), week)
	if err != nil {
		return gs, peercircle.FieldErrors{"preset": "error.choice"}.Err()
	}
	gs.Rule = rule.String()
	return gs, nil
}

// scheduleSave previews (action=preview) or saves the schedule. Either
// way a rule that cannot be kept is shown with its message and nothing is
// changed.
func (s *Server) scheduleSave(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageGroup)
	if !ok {
		return
	}
	p, d, err := s.schedulePage(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	gs, err := readSchedule(r, d.Group.ID, d.Site.TimeZone)
	var sched *schedule.Schedule
	if err == nil {
		sched, err = gs.Compile()
	}
	if err != nil {
		s.formError(w, r, "schedule", p, err)
		return
	}
	if r.PostFormValue("action") != "save" {
		L := s.loc(r)
		d.Preview = schedule.Describe(sched, L)
		from := s.now()
		for _, o := range sched.Next(from, 6) {
			st := o.Start.In(d.Site.Location())
			d.Dates = append(d.Dates, L.Date(st)+", "+L.Time(st)+"–"+L.Time(o.End.In(d.Site.Location())))
		}
		p.Form = r.PostForm
		s.render(w, r, "schedule", p)
		return
	}
	gs.UpdatedBy = principal(r).PersonID
	if err := s.Store.SaveSchedule(r.Context(), gs); err != nil {
		s.formError(w, r, "schedule", p, err)
		return
	}
	s.redirect(w, r, groupPath(d.Group.ID, ""), "flash.schedule_saved")
}

// --- One meeting before it is held ---

type planData struct {
	Meeting    meetingView
	Scope      peercircle.Scope
	Expected   []string
	Apologies  []string
	Substitute int64
	SubName    string
	Apologised bool // the facilitator sent apologies
	Members    []splitMember
	Roles      []string
	// Part 2: the site's topics, the meeting's topic and presenter, and
	// the member whose turn it is to present.
	Topics    []*peercircle.Topic
	TopicID   int64
	Presenter int64
	Suggested int64
}

func (s *Server) planPage(r *http.Request, m *peercircle.Session, sc peercircle.Scope) (*Page, error) {
	ctx := r.Context()
	views, err := s.meetingViews(r, principal(r).PersonID, []*peercircle.Session{m})
	if err != nil {
		return nil, err
	}
	d := &planData{Meeting: views[0], Scope: sc, Roles: peercircle.VolunteerRoles}
	nm := s.names(ctx)
	as, err := s.Store.Attendances(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		switch a.Status {
		case peercircle.AttendExpected:
			d.Expected = append(d.Expected, nm.of(m.GroupID, a.PersonID))
		case peercircle.AttendApologies:
			d.Apologies = append(d.Apologies, nm.of(m.GroupID, a.PersonID))
			if a.PersonID == m.FacilitatorID {
				d.Apologised = true
			}
		}
	}
	if d.Apologised || m.FacilitatorID == 0 {
		if sub, err := s.Store.Substitute(ctx, m.ID); err == nil {
			d.Substitute, d.SubName = sub, nm.of(m.GroupID, sub)
		}
	}
	if d.Topics, err = s.Store.Topics(ctx, d.Meeting.Group.SiteID); err != nil {
		return nil, err
	}
	if t, presenter, err := s.Store.SessionTopic(ctx, m.ID); err == nil {
		d.TopicID, d.Presenter = t.ID, presenter
	}
	if d.Suggested, err = s.Store.NextPresenter(ctx, m.GroupID); err != nil {
		return nil, err
	}
	if ms, err := s.Store.Memberships(ctx, m.GroupID); err == nil {
		for _, mm := range ms {
			if mm.Status == peercircle.MemberActive {
				d.Members = append(d.Members, splitMember{PersonID: mm.PersonID, Name: nm.of(m.GroupID, mm.PersonID)})
			}
		}
	}
	return s.page(r, "plan.title", d), nil
}

// sessionPlan is the organiser's and facilitators' page for one upcoming
// meeting: who answered, the facilitator and a substitute when they sent
// apologies, and cancelling or postponing with a reason.
func (s *Server) sessionPlan(w http.ResponseWriter, r *http.Request) {
	m, sc, ok := s.planScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	p, err := s.planPage(r, m, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "plan", p)
}

func (s *Server) planFailed(w http.ResponseWriter, r *http.Request, m *peercircle.Session, sc peercircle.Scope, err error) {
	p, perr := s.planPage(r, m, sc)
	if perr != nil {
		s.renderErr(w, r, perr)
		return
	}
	s.formError(w, r, "plan", p, err)
}

func (s *Server) sessionCancel(w http.ResponseWriter, r *http.Request) {
	m, sc, ok := s.planScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	if err := s.Store.CancelSession(r.Context(), m.ID, r.PostFormValue("reason"), principal(r).PersonID); err != nil {
		s.planFailed(w, r, m, sc, err)
		return
	}
	s.redirect(w, r, groupPath(m.GroupID, ""), "flash.session_cancelled")
}

func (s *Server) sessionPostpone(w http.ResponseWriter, r *http.Request) {
	m, sc, ok := s.planScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	var to *time.Time
	if date := strings.TrimSpace(peercircleDigits(r.PostFormValue("date"))); date != "" {
		site, err := s.Store.Site(r.Context(), sc.SiteID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d, derr := schedule.ParseDate(date)
		c, cerr := schedule.ParseClock(strings.TrimSpace(peercircleDigits(r.PostFormValue("time"))))
		if derr != nil || cerr != nil {
			s.planFailed(w, r, m, sc, peercircle.FieldErrors{"to": "schedule.error.extra"}.Err())
			return
		}
		t := schedule.At(d, c, site.Location())
		to = &t
	}
	if _, err := s.Store.PostponeSession(r.Context(), m.ID, r.PostFormValue("reason"), to, principal(r).PersonID); err != nil {
		s.planFailed(w, r, m, sc, err)
		return
	}
	s.redirect(w, r, groupPath(m.GroupID, ""), "flash.session_postponed")
}

// sessionSubstitute sets a turn by hand: the organiser accepting the
// substitute the rota offers, or choosing someone.
func (s *Server) sessionSubstitute(w http.ResponseWriter, r *http.Request) {
	m, sc, ok := s.planScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	role := r.PostFormValue("role")
	if role == "" {
		role = peercircle.VolunteerFacilitator
	}
	if err := s.Store.AssignTurn(r.Context(), m.ID, role, formID(r, "person"), principal(r).PersonID); err != nil {
		s.planFailed(w, r, m, sc, err)
		return
	}
	s.redirect(w, r, "/sessions/"+strconv.FormatInt(m.ID, 10)+"/plan", "flash.saved")
}

// sessionRSVP records "I'll be there" or "Send apologies" ahead of a
// meeting.
func (s *Server) sessionRSVP(w http.ResponseWriter, r *http.Request) {
	m, _, ok := s.planScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	status := peercircle.AttendExpected
	if r.PostFormValue("answer") == "apologies" {
		status = peercircle.AttendApologies
	}
	if err := s.Store.RSVP(r.Context(), m.ID, principal(r).PersonID, status); err != nil {
		if peercircle.ErrorCode(err) == peercircle.ECONFLICT {
			s.renderMessage(w, r, http.StatusConflict, "rsvp.closed_title", peercircle.ErrorKey(err))
			return
		}
		s.renderErr(w, r, err)
		return
	}
	flash := "flash.rsvp_expected"
	if status == peercircle.AttendApologies {
		flash = "flash.rsvp_apologies"
	}
	back := localPath(r.PostFormValue("next"))
	if back == "/" && r.PostFormValue("next") == "" {
		back = groupPath(m.GroupID, "")
	}
	s.redirect(w, r, back, flash)
}
