package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
)

// liveData is the facilitator's live page: everything about the running
// meeting, rendered on the server; live.js only keeps the clock ticking and
// catches up when something changed.
type liveData struct {
	*sessionData
	Current    peercircle.LiveSegment
	Index      int // 1-based number of the current segment
	Remaining  int
	Total      int
	Planned    int
	Overrun    bool
	Elapsed    int
	Next, Prev *peercircle.LiveSegment
	Turns      int // people who have had their check-in turn
	Code       string
	CodeURL    string
	CodeSVG    template.HTML
	CodeErr    string // message key when no code can be shown
	GuestKinds []string
	// Before the start: who can be recorded as facilitating, and who is
	// chosen (the person starting it when they are in the group, else the
	// planned facilitator). StartProblem says why it cannot start now.
	Choices      []personChoice
	StartAs      int64
	StartProblem string
}

// Panel reports whether a segment kind's panel opens by default.
func (d *liveData) Panel(name string) bool {
	switch d.Current.Kind {
	case peercircle.SegmentWelcome:
		return name == "checkin" || name == "feelings" || name == "attendance"
	case peercircle.SegmentCases, peercircle.SegmentSharing, peercircle.SegmentTopic:
		return name == "agenda"
	case peercircle.SegmentClosing:
		return name == "closing"
	}
	return false
}

// progressWidth is the width of the progress bar's viewBox.
const progressWidth = 1000

// progressBar is one segment of the progress bar, in thousandths of the
// agenda (SVG attributes, since the CSP allows no inline style).
type progressBar struct {
	X, W  int
	State string // done, current, todo
	Name  string
}

// Progress lays out the progress bar of the agenda, from the start of the
// line in the page's direction: part 1 on the right on an Arabic page, as
// the countdown and the list of parts read. SVG has no direction of its
// own, so the mirroring is done here rather than left to CSS.
func (d *liveData) Progress(dir string) []progressBar {
	if d.Live == nil || d.Planned == 0 {
		return nil
	}
	var out []progressBar
	x, seen := 0, false
	for _, sg := range d.Live.Segments {
		w := sg.Minutes * 60 * 1000 / d.Planned
		st := "done"
		switch {
		case sg.Position == d.Live.Segment:
			st, seen = "current", true
		case seen:
			st = "todo"
		}
		pos := x
		if dir == "rtl" {
			pos = progressWidth - x - w
		}
		out = append(out, progressBar{X: pos, W: w, State: st, Name: sg.Name})
		x += w
	}
	return out
}

// feelingBar is one feeling's count in the Circle of Emotions panel.
type feelingBar struct {
	Feeling string
	N, W    int // count, bar width in percent of the largest
}

// FeelingBars lists the counts per feeling, in the circle's order.
func (d *liveData) FeelingBars() []feelingBar {
	if d.Live == nil {
		return nil
	}
	top := 1
	for _, n := range d.Live.Feelings {
		top = max(top, n)
	}
	var out []feelingBar
	for _, f := range peercircle.Feelings {
		n := d.Live.Feelings[f]
		out = append(out, feelingBar{Feeling: f, N: n, W: n * 100 / top})
	}
	return out
}

// Share is a segment's part of the whole agenda, in percent, for the
// progress bar.
func (d *liveData) Share(sg peercircle.LiveSegment) int {
	if d.Planned == 0 {
		return 0
	}
	return sg.Minutes * 60 * 100 / d.Planned
}

// feedbackURL is the absolute link a code opens, for the QR code.
func (s *Server) feedbackURL(sessionID int64, token string) string {
	return s.absURL(fmt.Sprintf("/feedback/%d/%s", sessionID, token))
}

func (s *Server) liveShow(w http.ResponseWriter, r *http.Request) {
	m, ok := s.loadMeeting(w, r, peercircle.ActRunSession)
	if !ok {
		return
	}
	d, err := s.livePage(r, m)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "live", s.page(r, "live.title", d))
}

func (s *Server) livePage(r *http.Request, m *Meeting) (*liveData, error) {
	sd, err := s.sessionPage(r, m)
	if err != nil {
		return nil, err
	}
	d := &liveData{sessionData: sd, GuestKinds: []string{peercircle.AttendGuest, peercircle.AttendVisitor}}
	l := sd.Live
	if l == nil {
		d.StartProblem = m.Session.StartProblem(s.now())
		if d.Choices, err = s.groupChoices(r.Context(), m.Group.ID, m.Session.FacilitatorID); err != nil {
			return nil, err
		}
		d.StartAs = m.Session.FacilitatorID
		for _, c := range d.Choices {
			if c.PersonID == principal(r).PersonID {
				d.StartAs = c.PersonID
			}
		}
		return d, nil
	}
	now := s.now()
	d.Current = l.Current()
	d.Remaining, d.Total, d.Planned, d.Elapsed = l.RemainingSeconds(now), l.TotalSeconds(now), l.PlannedSeconds(), l.SegmentSeconds(now)
	d.Overrun = d.Remaining < 0
	for i := range l.Segments {
		if l.Segments[i].Position == l.Segment {
			d.Index = i + 1
			if i > 0 {
				d.Prev = &l.Segments[i-1]
			}
			if i+1 < len(l.Segments) {
				d.Next = &l.Segments[i+1]
			}
		}
	}
	for _, c := range l.Checkin {
		if c.Done() {
			d.Turns++
		}
	}
	if sd.Feedback != nil && sd.Feedback.Open && l.State == peercircle.LiveRunning {
		code, err := s.Store.ScreenCode(r.Context(), m.Session.ID)
		switch {
		case err == nil:
			d.Code = code
			d.CodeURL = s.feedbackURL(m.Session.ID, code)
			if d.CodeSVG, err = qrSVG(d.CodeURL, principalPage(s, r).T("feedback.qr_label")); err != nil {
				return nil, err
			}
		case peercircle.ErrorCode(err) == peercircle.ECONFLICT || peercircle.ErrorCode(err) == peercircle.EINVALID:
			d.CodeErr = peercircle.ErrorKey(err)
		default:
			return nil, err
		}
		// The screen code may have been made just now.
		if sd.Feedback, err = s.Store.FeedbackRound(r.Context(), m.Session.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// principalPage is a page for translating outside a render.
func principalPage(s *Server, r *http.Request) *Page {
	st := stateOf(r)
	p := &Page{L: st.loc}
	if p.L == nil {
		p.L = s.I18n.Localizer("en")
	}
	return p
}

// liveRedirect sends the facilitator back to the live page, at a panel.
func (s *Server) liveRedirect(w http.ResponseWriter, r *http.Request, id int64, anchor string) {
	to := fmt.Sprintf("/sessions/%d/live", id)
	if anchor != "" {
		to += "#" + anchor
	}
	s.redirect(w, r, to, "")
}

// liveAction starts, moves and ends the meeting.
func (s *Server) liveAction(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.sessionScope(w, r, peercircle.ActRunSession)
	if !ok {
		return
	}
	ctx := r.Context()
	op := r.PostFormValue("op")
	var err error
	switch {
	case op == "start":
		_, err = s.Store.StartLiveAs(ctx, id, formID(r, "facilitator"), principal(r).PersonID)
	case op == "reminder":
		err = s.Store.ReminderDone(ctx, id)
	case op == "end":
		if err = s.Store.EndLive(ctx, id); err == nil {
			s.redirect(w, r, fmt.Sprintf("/sessions/%d/live", id), "flash.meeting_ended")
			return
		}
	case strings.HasPrefix(op, "goto:"):
		pos, perr := strconv.Atoi(strings.TrimPrefix(op, "goto:"))
		if perr != nil {
			s.renderError(w, r, http.StatusNotFound)
			return
		}
		err = s.Store.GoToSegment(ctx, id, pos)
	default:
		s.renderMessage(w, r, http.StatusUnprocessableEntity, "error.title", "error.choice")
		return
	}
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.liveRedirect(w, r, id, "")
}

// liveCheckin drives the check-in round.
func (s *Server) liveCheckin(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.sessionScope(w, r, peercircle.ActRunSession)
	if !ok {
		return
	}
	var err error
	if r.PostFormValue("op") == "shuffle" {
		err = s.Store.ShuffleCheckin(r.Context(), id)
	} else {
		err = s.Store.SetTurn(r.Context(), id, formID(r, "attendance"), r.PostFormValue("state"))
	}
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.liveRedirect(w, r, id, "checkin")
}

// liveAttendance is a tap per person, and adding someone without an
// account.
func (s *Server) liveAttendance(w http.ResponseWriter, r *http.Request) {
	m, ok := s.loadMeeting(w, r, peercircle.ActRunSession)
	if !ok {
		return
	}
	ctx := r.Context()
	id := m.Session.ID
	present := r.PostFormValue("present") == "1"
	var err error
	switch {
	case r.PostFormValue("op") == "add":
		_, err = s.Store.AddGuest(ctx, id, r.PostFormValue("guest_name"), r.PostFormValue("guest_kind"))
		if peercircle.ErrorCode(err) == peercircle.EINVALID {
			d, perr := s.livePage(r, m)
			if perr != nil {
				s.renderErr(w, r, perr)
				return
			}
			s.formError(w, r, "live", s.page(r, "live.title", d), err)
			return
		}
	case formID(r, "person") != 0:
		err = s.Store.MarkPresent(ctx, id, formID(r, "person"), present)
	case formID(r, "guest") != 0:
		err = s.Store.SetGuestPresent(ctx, id, formID(r, "guest"), present)
	default:
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.liveRedirect(w, r, id, "attendance")
}

// liveFeelings adds a feeling for someone without a phone.
func (s *Server) liveFeelings(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.sessionScope(w, r, peercircle.ActRunSession)
	if !ok {
		return
	}
	if err := s.Store.PickFeeling(r.Context(), id, 0, r.PostFormValue("feeling")); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.liveRedirect(w, r, id, "feelings")
}

// liveState is what live.js polls: small, and enough to know whether the
// page must catch up.
type liveState struct {
	Version      int            `json:"version"`
	State        string         `json:"state"`
	Segment      int            `json:"segment"`
	Remaining    int            `json:"remaining"`
	Total        int            `json:"total"`
	Planned      int            `json:"planned"`
	Feelings     map[string]int `json:"feelings"`
	Present      int            `json:"present"`
	FeedbackOpen bool           `json:"feedback_open"`
	Responses    int            `json:"responses"`
	ServerTime   int64          `json:"server_time"`
}

// liveJSON is polled by the facilitator's page and by members' phones.
func (s *Server) liveJSON(w http.ResponseWriter, r *http.Request) {
	sc, id, ok := s.sessionScope(w, r, peercircle.ActViewGroup)
	if !ok {
		return
	}
	p := principal(r)
	if !peercircle.Can(p, peercircle.ActRunSession, sc) && !peercircle.Can(p, peercircle.ActParticipate, sc) {
		s.renderError(w, r, http.StatusForbidden)
		return
	}
	ctx := r.Context()
	now := s.now()
	st := liveState{State: "planned", ServerTime: now.UnixMilli(), Feelings: map[string]int{}}
	l, err := s.Store.Live(ctx, id)
	switch {
	case err == nil:
		st.Version, st.State, st.Segment = l.Version, l.State, l.Segment
		st.Remaining, st.Total, st.Planned = l.RemainingSeconds(now), l.TotalSeconds(now), l.PlannedSeconds()
		st.Feelings = l.Feelings
		st.Present = len(l.Checkin)
	case peercircle.ErrorCode(err) != peercircle.ENOTFOUND:
		s.renderErr(w, r, err)
		return
	}
	if fr, err := s.Store.FeedbackRound(ctx, id); err == nil {
		st.FeedbackOpen, st.Responses = fr.Open, fr.Responses
	} else if peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		s.renderErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(st)
}

// feedbackAdmin opens and closes the anonymous feedback.
func (s *Server) feedbackAdmin(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.sessionScope(w, r, peercircle.ActRunSession)
	if !ok {
		return
	}
	var err error
	switch r.PostFormValue("op") {
	case "open":
		err = s.Store.OpenFeedback(r.Context(), id)
	case "close":
		err = s.Store.CloseFeedback(r.Context(), id)
	default:
		s.renderMessage(w, r, http.StatusUnprocessableEntity, "error.title", "error.choice")
		return
	}
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if r.PostFormValue("from") == "session" {
		s.redirect(w, r, fmt.Sprintf("/sessions/%d", id), "")
		return
	}
	s.liveRedirect(w, r, id, "closing")
}

// feedbackCode is the code alone, big, for a projector or a phone passed
// around the room.
func (s *Server) feedbackCode(w http.ResponseWriter, r *http.Request) {
	m, ok := s.loadMeeting(w, r, peercircle.ActRunSession)
	if !ok {
		return
	}
	d, err := s.livePage(r, m)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "feedback_code", s.page(r, "feedback.code_title", d))
}

// feedbackClaim gives a signed-in attendee their one code.
func (s *Server) feedbackClaim(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.sessionScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	token, err := s.Store.ClaimFeedback(r.Context(), id, principal(r).PersonID)
	if err != nil {
		if code := peercircle.ErrorCode(err); code == peercircle.ECONFLICT || code == peercircle.EFORBIDDEN || code == peercircle.EINVALID {
			s.renderMessage(w, r, errorStatus[code], "feedback.title", peercircle.ErrorKey(err))
			return
		}
		s.renderErr(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/feedback/%d/%s", id, token), http.StatusSeeOther)
}

// feedbackFormData is the anonymous form.
type feedbackFormData struct {
	Session   *peercircle.Session
	Group     *peercircle.Group
	Loc       *time.Location
	Action    string
	Self      string // the form's path, for the language switch
	Lang      string // the form's language
	Questions []string
	Prompts   []string
	Guard     *guardForm
	Ratings   map[string]int
}

// Scale is the answers of a rating question.
func (d *feedbackFormData) Scale() []int { return []int{1, 2, 3, 4, 5} }

// feedbackForm opens the form for a one-time code. The code is the only
// key: no account is needed, and none is recorded.
func (s *Server) feedbackForm(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "session")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	token := r.PathValue("token")
	w.Header().Set("Cache-Control", "no-store")
	s.speakTheMeetingsLanguage(r, id)
	if err := s.Store.OpenToken(r.Context(), id, token); err != nil {
		s.feedbackRefused(w, r, err)
		return
	}
	d, err := s.feedbackData(r, id, token)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "feedback_form", s.page(r, "feedback.title", d))
}

// speakTheMeetingsLanguage makes the feedback pages of a meeting speak the
// meeting's language (its group's), not the phone's: a code scanned at an
// Arabic meeting opens an Arabic form on an English phone. The switch on the
// form (?lang=) chooses another language for this form. A signed-in member
// who opens their form from the meeting page keeps the language the rest of
// the app speaks to them, and so does someone who chose one with the
// language buttons before.
func (s *Server) speakTheMeetingsLanguage(r *http.Request, sessionID int64) {
	lang := r.URL.Query().Get("lang")
	if !slices.Contains(peercircle.Languages, lang) {
		if principal(r) != nil {
			return
		}
		if c, err := r.Cookie(cookieLang); err == nil && slices.Contains(peercircle.Languages, c.Value) {
			return
		}
		lang = ""
		if ses, err := s.Store.Session(r.Context(), sessionID); err == nil {
			if g, err := s.Store.Group(r.Context(), ses.GroupID); err == nil {
				lang = g.Lang
			}
		}
	}
	if slices.Contains(peercircle.Languages, lang) {
		stateOf(r).loc = s.I18n.Localizer(lang)
	}
}

// feedbackRefused explains a code that cannot be used, without saying more
// than needed.
func (s *Server) feedbackRefused(w http.ResponseWriter, r *http.Request, err error) {
	switch peercircle.ErrorCode(err) {
	case peercircle.ENOTFOUND, peercircle.ECONFLICT, peercircle.EINVALID:
		s.renderMessage(w, r, errorStatus[peercircle.ErrorCode(err)], "feedback.title", peercircle.ErrorKey(err))
	default:
		s.renderErr(w, r, err)
	}
}

func (s *Server) feedbackData(r *http.Request, id int64, token string) (*feedbackFormData, error) {
	ses, err := s.Store.Session(r.Context(), id)
	if err != nil {
		return nil, err
	}
	g, err := s.Store.Group(r.Context(), ses.GroupID)
	if err != nil {
		return nil, err
	}
	site, err := s.Store.Site(r.Context(), g.SiteID)
	if err != nil {
		return nil, err
	}
	lang := "en"
	if l := stateOf(r).loc; l != nil {
		lang = l.Lang()
	}
	return &feedbackFormData{Session: ses, Group: g, Loc: site.Location(), Action: fmt.Sprintf("/feedback/%d/%s?lang=%s", id, token, lang),
		Self: fmt.Sprintf("/feedback/%d/%s", id, token), Lang: lang,
		Questions: peercircle.FeedbackQuestions, Prompts: peercircle.FeedbackPrompts, Ratings: map[string]int{}}, nil
}

// feedbackSubmit records one anonymous response.
func (s *Server) feedbackSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "session")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	token := r.PathValue("token")
	w.Header().Set("Cache-Control", "no-store")
	s.speakTheMeetingsLanguage(r, id)
	resp := &peercircle.FeedbackResponse{Ratings: map[string]int{}, Notes: map[string]string{}}
	for _, q := range peercircle.FeedbackQuestions {
		if v, err := strconv.Atoi(peercircleDigits(r.PostFormValue("rating_" + q))); err == nil {
			resp.Ratings[q] = v
		}
	}
	values := map[string]string{}
	for _, p := range peercircle.FeedbackPrompts {
		values[p] = strings.TrimSpace(r.PostFormValue(p))
	}
	allowed := readAllowed(r, peercircle.FeedbackPrompts)
	// The guard needs the session's names; an unknown session is simply a
	// bad code, whatever the reason.
	g, err := s.sessionGuard(r, id)
	if err != nil {
		s.feedbackRefused(w, r, peercircle.Errorf(peercircle.ENOTFOUND, "feedback.bad_token", "unknown session"))
		return
	}
	applyDecisions(r, peercircle.FeedbackPrompts, values, allowed, s.guardPlaceholder(r))
	labels := map[string]string{}
	for _, p := range peercircle.FeedbackPrompts {
		labels[p] = "feedback.prompt." + p
	}
	gf := checkFields(g, peercircle.FeedbackPrompts, labels, values, allowed)
	var saveErr error
	if gf.Found() > 0 {
		saveErr = guardErr
	} else {
		resp.Notes, resp.Allowed = values, allowed
		saveErr = s.Store.SubmitFeedback(r.Context(), id, token, resp)
		if saveErr == nil {
			s.renderMessage(w, r, http.StatusOK, "feedback.thanks_title", "feedback.thanks")
			return
		}
		if code := peercircle.ErrorCode(saveErr); code == peercircle.ENOTFOUND || code == peercircle.ECONFLICT ||
			(code == peercircle.EINVALID && peercircle.ErrorKey(saveErr) == "feedback.closed") {
			s.feedbackRefused(w, r, saveErr)
			return
		}
	}
	d, err := s.feedbackData(r, id, token)
	if err != nil {
		s.feedbackRefused(w, r, peercircle.Errorf(peercircle.ENOTFOUND, "feedback.bad_token", "unknown session"))
		return
	}
	d.Guard, d.Ratings = gf, resp.Ratings
	p := s.page(r, "feedback.title", d)
	p.Form = r.PostForm
	for k, v := range values {
		p.Form.Set(k, v)
	}
	if saveErr == nil {
		s.render(w, r, "feedback_form", p)
		return
	}
	if peercircle.ErrorCode(saveErr) != peercircle.EINVALID {
		s.renderErr(w, r, saveErr)
		return
	}
	p.Errors, p.Error = peercircle.ErrorFields(saveErr), peercircle.ErrorKey(saveErr)
	s.renderStatus(w, r, http.StatusUnprocessableEntity, "feedback_form", p)
}

// feedbackResultsData is the aggregate of a session's feedback.
type feedbackResultsData struct {
	*Meeting
	Results *peercircle.FeedbackResults
	Round   *peercircle.FeedbackRound
	Notes   bool
	Prompts []string
}

// feedbackResults shows the aggregate: to those who see the summary, the
// ratings (when at least k responded); to the group's facilitators and the
// organiser, the closing round's words as well.
func (s *Server) feedbackResults(w http.ResponseWriter, r *http.Request) {
	m, ok := s.loadMeeting(w, r, peercircle.ActViewSummary)
	if !ok {
		return
	}
	ctx := r.Context()
	notes := peercircle.Can(principal(r), peercircle.ActReadConfidential, m.Scope)
	res, err := s.Store.FeedbackResults(ctx, m.Session.ID, notes)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	round, err := s.Store.FeedbackRound(ctx, m.Session.ID)
	if err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		s.renderErr(w, r, err)
		return
	}
	if notes && res.Enough() {
		if err := s.Store.Audit(ctx, &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "feedback.read", TargetKind: "session", TargetID: m.Session.ID}); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	d := &feedbackResultsData{Meeting: m, Results: res, Round: round, Notes: notes, Prompts: peercircle.FeedbackPrompts}
	s.render(w, r, "feedback_results", s.page(r, "feedback.results_title", d))
}
