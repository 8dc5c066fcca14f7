package web

import (
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
)

// summaryData is Sheet 2: the form, the view and the print.
type summaryData struct {
	*Meeting
	Organisation string
	Summary      *peercircle.Summary
	Exists       bool
	Counts       peercircle.AttendanceCounts
	Times        []peercircle.SegmentTime
	Confidential bool // the sections may be shown to this reader
	CanEdit      bool
	CanReview    bool
	Guard        *guardForm
	Fields       []string
	SupportKinds []string
	LiveEnded    bool
	// Choices are who can be recorded as having facilitated (Sheet 2's
	// "Facilitated by", correctable until it is submitted).
	Choices []personChoice
	// K hides counts about fewer than k people from readers of the figures
	// only (coordinators); 0 shows them as they are.
	K int
}

// SegmentsPlanned and SegmentsActual total the agenda.
func (d *summaryData) SegmentsPlanned() int {
	n := 0
	for _, t := range d.Times {
		n += t.Minutes
	}
	return n
}

// SegmentsActual totals the minutes actually spent.
func (d *summaryData) SegmentsActual() int {
	n := 0
	for _, t := range d.Times {
		n += t.ActualMinutes
	}
	return n
}

// summaryPrefill makes a first draft from the live session: the topic, the
// cases discussed and the discussed agenda items as key issues.
func (s *Server) summaryPrefill(r *http.Request, m *Meeting) (*peercircle.Summary, error) {
	su := &peercircle.Summary{SessionID: m.Session.ID, Topic: m.Session.Topic, Notes: map[string]string{}, Support: map[string]int{}}
	items, err := s.Store.AgendaItems(r.Context(), m.Session.ID)
	if err != nil {
		return nil, err
	}
	var issues []string
	for _, it := range items {
		if it.Status != peercircle.ItemDiscussed {
			continue
		}
		if it.Kind == peercircle.ItemCase {
			su.CasesDiscussed++
		}
		if it.Kind == peercircle.ItemTopic && su.Topic == "" {
			su.Topic = it.Title
			continue
		}
		issues = append(issues, "- "+it.Title)
		su.Allowed = appendAllowed(su.Allowed, peercircle.NoteKeyIssues, it.Allowed)
	}
	su.Notes[peercircle.NoteKeyIssues] = strings.Join(issues, "\n")
	return su, nil
}

func appendAllowed(m map[string][]string, field string, keys []string) map[string][]string {
	if len(keys) == 0 {
		return m
	}
	if m == nil {
		m = map[string][]string{}
	}
	m[field] = append(m[field], keys...)
	return m
}

func (s *Server) summaryData(r *http.Request, m *Meeting, withNotes bool) (*summaryData, error) {
	ctx := r.Context()
	p := principal(r)
	d := &summaryData{Meeting: m, Fields: peercircle.NoteFields, SupportKinds: peercircle.SupportKinds,
		Confidential: peercircle.Can(p, peercircle.ActReadConfidential, m.Scope),
		CanReview:    peercircle.Can(p, peercircle.ActReviewSummary, m.Scope)}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	d.Organisation = tree.Organisation.Name
	if !d.Confidential {
		if d.K, err = s.kAnonymity(r); err != nil {
			return nil, err
		}
	}
	su, err := s.Store.Summary(ctx, m.Session.ID, withNotes && d.Confidential)
	switch {
	case err == nil:
		d.Summary, d.Exists = su, true
	case peercircle.ErrorCode(err) == peercircle.ENOTFOUND:
		d.Summary = &peercircle.Summary{SessionID: m.Session.ID, Support: map[string]int{}}
	default:
		return nil, err
	}
	d.CanEdit = peercircle.Can(p, peercircle.ActRunSession, m.Scope) && d.Summary.Editable()
	if d.CanEdit {
		if d.Choices, err = s.groupChoices(ctx, m.Group.ID, m.Session.FacilitatorID); err != nil {
			return nil, err
		}
	}
	es, err := s.Store.Attendance(ctx, m.Session.ID)
	if err != nil {
		return nil, err
	}
	d.Counts = peercircle.CountAttendance(es)
	if d.Times, err = s.Store.SegmentTimes(ctx, m.Session.ID); err != nil {
		return nil, err
	}
	if l, err := s.Store.Live(ctx, m.Session.ID); err == nil {
		d.LiveEnded = l.State == peercircle.LiveEnded
	} else if peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		return nil, err
	}
	return d, nil
}

// auditSummaryRead records a read of the confidential sections by anyone
// but their writer (DESIGN.md rule 5).
func (s *Server) auditSummaryRead(r *http.Request, su *peercircle.Summary) error {
	pid := principal(r).PersonID
	if su.AuthorID == pid {
		return nil
	}
	return s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: pid, Action: "summary.read", TargetKind: "summary", TargetID: su.SessionID})
}

// summaryShow is Sheet 2 to read and print. Coordinators (and admins) see
// accepted summaries' figures only; the group's facilitators and the
// organiser see the sections too.
func (s *Server) summaryShow(w http.ResponseWriter, r *http.Request) {
	m, ok := s.loadMeeting(w, r, peercircle.ActViewSummary)
	if !ok {
		return
	}
	d, err := s.summaryData(r, m, true)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if !d.Confidential && (!d.Exists || d.Summary.State != peercircle.ReviewAccepted) {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if d.Confidential && d.Exists {
		if err := s.auditSummaryRead(r, d.Summary); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	s.render(w, r, "summary", s.page(r, "summary.title", d))
}

// summaryEdit is the Sheet 2 form, pre-filled from the live session the
// first time.
func (s *Server) summaryEdit(w http.ResponseWriter, r *http.Request) {
	m, ok := s.loadMeeting(w, r, peercircle.ActRunSession)
	if !ok {
		return
	}
	d, err := s.summaryData(r, m, true)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if !d.Summary.Editable() {
		http.Redirect(w, r, fmt.Sprintf("/sessions/%d/summary", m.Session.ID), http.StatusSeeOther)
		return
	}
	if !d.Exists {
		if d.Summary, err = s.summaryPrefill(r, m); err != nil {
			s.renderErr(w, r, err)
			return
		}
	} else if err := s.auditSummaryRead(r, d.Summary); err != nil {
		s.renderErr(w, r, err)
		return
	}
	p := s.page(r, "summary.edit_title", d)
	p.Form = summaryForm(d.Summary, d.Times, m.Session.FacilitatorID)
	if g, err := s.sessionGuard(r, m.Session.ID); err == nil {
		values := map[string]string{"topic": d.Summary.Topic}
		for _, f := range peercircle.NoteFields {
			values[f] = d.Summary.Notes[f]
		}
		d.Guard = checkFields(g, summaryFieldOrder, summaryLabels, values, d.Summary.Allowed)
	}
	s.render(w, r, "summary_edit", p)
}

var summaryFieldOrder = append([]string{"topic"}, peercircle.NoteFields...)

var summaryLabels = func() map[string]string {
	m := map[string]string{"topic": "summary.topic"}
	for _, f := range peercircle.NoteFields {
		m[f] = "summary.note." + f
	}
	return m
}()

// summaryForm puts a summary into form values, for the form template.
func summaryForm(su *peercircle.Summary, times []peercircle.SegmentTime, facilitator int64) url.Values {
	v := url.Values{}
	v.Set("topic", su.Topic)
	v.Set("facilitator", strconv.FormatInt(facilitator, 10))
	v.Set("cases_discussed", strconv.Itoa(su.CasesDiscussed))
	v.Set("version", strconv.Itoa(su.Version))
	for _, f := range peercircle.NoteFields {
		v.Set(f, su.Notes[f])
	}
	for _, k := range peercircle.SupportKinds {
		v.Set("support_"+k, strconv.Itoa(su.Support[k]))
	}
	for _, t := range times {
		v.Set("segment_"+strconv.Itoa(t.Position), strconv.Itoa(t.ActualMinutes))
	}
	for f, keys := range su.Allowed {
		for _, k := range keys {
			v.Add("allow."+f, k)
		}
	}
	return v
}

func formInt(r *http.Request, name string) (int, bool) {
	v := strings.TrimSpace(peercircleDigits(r.PostFormValue(name)))
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// summarySave saves the draft, applies the guard's buttons, or submits.
func (s *Server) summarySave(w http.ResponseWriter, r *http.Request) {
	m, ok := s.loadMeeting(w, r, peercircle.ActRunSession)
	if !ok {
		return
	}
	ctx := r.Context()
	id := m.Session.ID
	fe := peercircle.FieldErrors{}
	values := map[string]string{"topic": strings.TrimSpace(r.PostFormValue("topic"))}
	for _, f := range peercircle.NoteFields {
		values[f] = strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(f), "\r\n", "\n"))
	}
	allowed := readAllowed(r, summaryFieldOrder)
	op := r.PostFormValue("op")
	applyDecisions(r, summaryFieldOrder, values, allowed, s.guardPlaceholder(r))
	su := &peercircle.Summary{SessionID: id, Topic: values["topic"], Notes: map[string]string{}, Support: map[string]int{}, Allowed: allowed}
	for _, f := range peercircle.NoteFields {
		su.Notes[f] = values[f]
	}
	var okNum bool
	if su.CasesDiscussed, okNum = formInt(r, "cases_discussed"); !okNum {
		fe.Add("cases_discussed", "error.range")
	}
	if su.Version, okNum = formInt(r, "version"); !okNum {
		fe.Add("version", "error.range")
	}
	for _, k := range peercircle.SupportKinds {
		n, okNum := formInt(r, "support_"+k)
		if !okNum {
			fe.Add("support_"+k, "error.range")
		}
		su.Support[k] = n
	}
	times, err := s.Store.SegmentTimes(ctx, id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	minutes := map[int]int{}
	for _, t := range times {
		n, okNum := formInt(r, "segment_"+strconv.Itoa(t.Position))
		if !okNum {
			fe.Add("segment_"+strconv.Itoa(t.Position), "error.range")
		}
		if n != t.ActualMinutes {
			minutes[t.Position] = n
		}
	}
	g, err := s.sessionGuard(r, id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	gf := checkFields(g, summaryFieldOrder, summaryLabels, values, allowed)

	var saveErr error
	switch {
	case len(fe) > 0:
		saveErr = fe.Err()
	case gf.Found() > 0:
		saveErr = guardErr
	default:
		if fac := formID(r, "facilitator"); fac != 0 && fac != m.Session.FacilitatorID {
			saveErr = s.Store.SetFacilitator(ctx, id, fac, principal(r).PersonID)
		}
		if saveErr == nil {
			saveErr = s.Store.SaveSummary(ctx, su, principal(r).PersonID)
		}
		if saveErr == nil && len(minutes) > 0 {
			saveErr = s.Store.SetSegmentMinutes(ctx, id, minutes)
		}
		if saveErr == nil {
			if op == "submit" {
				if err := s.Store.SubmitSummary(ctx, id, principal(r).PersonID); err != nil {
					s.renderErr(w, r, err)
					return
				}
				s.redirect(w, r, fmt.Sprintf("/sessions/%d/summary", id), "flash.summary_submitted")
				return
			}
			s.redirect(w, r, fmt.Sprintf("/sessions/%d/summary/edit", id), "flash.summary_saved")
			return
		}
	}
	d, err := s.summaryData(r, m, false)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d.Summary = su
	d.Guard = gf
	p := s.page(r, "summary.edit_title", d)
	p.Form = r.PostForm
	for k, v := range values {
		p.Form.Set(k, v)
	}
	p.Form.Del("allow.topic")
	for _, f := range summaryFieldOrder {
		p.Form["allow."+f] = allowed[f]
	}
	if saveErr == nil {
		s.render(w, r, "summary_edit", p)
		return
	}
	if code := peercircle.ErrorCode(saveErr); code != peercircle.EINVALID && code != peercircle.ECONFLICT {
		s.renderErr(w, r, saveErr)
		return
	}
	p.Errors, p.Error = peercircle.ErrorFields(saveErr), peercircle.ErrorKey(saveErr)
	s.renderStatus(w, r, errorStatus[peercircle.ErrorCode(saveErr)], "summary_edit", p)
}

// summaryReview is the organiser accepting or returning Sheet 2.
func (s *Server) summaryReview(w http.ResponseWriter, r *http.Request) {
	m, ok := s.loadMeeting(w, r, peercircle.ActReviewSummary)
	if !ok {
		return
	}
	accept := r.PostFormValue("decision") == "accept"
	if !accept && r.PostFormValue("decision") != "return" {
		s.renderMessage(w, r, http.StatusUnprocessableEntity, "error.title", "error.choice")
		return
	}
	// The comment goes back to the facilitators: the guard checks it with
	// the same findings panel as Sheet 2 (remove, or not a person: عمر
	// "age" is no name), decided in the same submit as the decision.
	fields := []string{"comment"}
	values := map[string]string{"comment": r.PostFormValue("comment")}
	allowed := readAllowed(r, fields)
	applyDecisions(r, fields, values, allowed, s.guardPlaceholder(r))
	g, err := s.sessionGuard(r, m.Session.ID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	gf := checkFields(g, fields, map[string]string{"comment": "summary.comment"}, values, allowed)
	if gf.Found() > 0 {
		err = peercircle.FieldErrors{"comment": "guard.unconfirmed"}.Err()
	} else {
		err = s.Store.ReviewSummary(r.Context(), m.Session.ID, principal(r).PersonID, accept, values["comment"], allowed["comment"]...)
	}
	if err != nil {
		d, derr := s.summaryData(r, m, true)
		if derr != nil {
			s.renderErr(w, r, derr)
			return
		}
		d.Guard = gf
		p := s.page(r, "summary.title", d)
		if code := peercircle.ErrorCode(err); code != peercircle.EINVALID && code != peercircle.ECONFLICT {
			s.renderErr(w, r, err)
			return
		}
		p.Errors, p.Error = peercircle.ErrorFields(err), peercircle.ErrorKey(err)
		if gf.Found() > 0 {
			p.Error = guardErr.Key
		}
		p.Form = url.Values{"comment": {values["comment"]}}
		s.renderStatus(w, r, errorStatus[peercircle.ErrorCode(err)], "summary", p)
		return
	}
	flash := "flash.summary_returned"
	if accept {
		flash = "flash.summary_accepted"
	}
	s.redirect(w, r, fmt.Sprintf("/sessions/%d/summary", m.Session.ID), flash)
}

// summariesData lists the summaries a person deals with.
type summariesData struct {
	Review   []*peercircle.SummaryRow // organiser: waiting for review
	Accepted []*peercircle.SummaryRow // coordinator, organiser: accepted
	Mine     []*peercircle.SummaryRow // facilitator: drafts and returned
	K        int
	// Accepted pages by key: Older is the meeting to list older ones
	// before (0: none older), Paged says this is not the newest page.
	Older int64
	Paged bool
}

// visibleSites are the sites whose summaries a person may list: organised
// or coordinated.
func (s *Server) visibleSites(r *http.Request) (organised, coordinated []int64, err error) {
	p := principal(r)
	if !p.HasRole(peercircle.RoleOrganiser) && !p.HasRole(peercircle.RoleCoordinator) && !p.HasRole(peercircle.RoleAdmin) {
		return nil, nil, nil
	}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		return nil, nil, err
	}
	for _, st := range tree.Sites {
		sc, _ := tree.SiteScope(st.ID)
		switch {
		case peercircle.Can(p, peercircle.ActReviewSummary, sc):
			organised = append(organised, st.ID)
		case peercircle.Can(p, peercircle.ActViewSite, sc):
			coordinated = append(coordinated, st.ID)
		}
	}
	return organised, coordinated, nil
}

// summariesRows reads the lists; the accepted one a page of limit, older
// than the meeting before (0: the newest).
func (s *Server) summariesRows(r *http.Request, limit int, before int64) (*summariesData, error) {
	ctx := r.Context()
	p := principal(r)
	organised, coordinated, err := s.visibleSites(r)
	if err != nil {
		return nil, err
	}
	d := &summariesData{Paged: before != 0}
	if d.K, err = s.kAnonymity(r); err != nil {
		return nil, err
	}
	if len(organised) > 0 {
		if d.Review, err = s.Store.Summaries(ctx, peercircle.SummaryFilter{SiteIDs: organised, States: []string{peercircle.ReviewSubmitted}}); err != nil {
			return nil, err
		}
	}
	if sites := append(append([]int64(nil), organised...), coordinated...); len(sites) > 0 {
		if d.Accepted, err = s.Store.Summaries(ctx, peercircle.SummaryFilter{SiteIDs: sites, States: []string{peercircle.ReviewAccepted}, Limit: limit + 1, Before: before}); err != nil {
			return nil, err
		}
		if len(d.Accepted) > limit {
			d.Accepted = d.Accepted[:limit]
			d.Older = d.Accepted[limit-1].SessionID
		}
	}
	var facilitated []int64
	for _, gr := range p.GroupRoles {
		if gr.Role == peercircle.RoleFacilitator {
			facilitated = append(facilitated, gr.GroupID)
		}
	}
	if len(facilitated) > 0 {
		if d.Mine, err = s.Store.Summaries(ctx, peercircle.SummaryFilter{GroupIDs: facilitated,
			States: []string{peercircle.ReviewDraft, peercircle.ReviewReturned, peercircle.ReviewSubmitted}}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// summariesList is the list of Sheet 2s a person deals with: to review,
// accepted, and their own drafts.
func (s *Server) summariesList(w http.ResponseWriter, r *http.Request) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	d, err := s.summariesRows(r, SummariesPerPage, max(before, 0))
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "summaries", s.page(r, "summaries.title", d))
}

// SummariesPerPage is how many accepted summaries the list shows at once.
const SummariesPerPage = 50

// summariesCSV exports every accepted summary's figures, read page by page
// by key: counts and topics, never what was written (DESIGN.md rule 2).
func (s *Server) summariesCSV(w http.ResponseWriter, r *http.Request) {
	d, err := s.summariesRows(r, 500, 0)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	kn := d.K
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="session-summaries.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"date", "site", "group", "state", "topic", "cases_discussed", "members_present", "visitors", "guests", "apologies", "absent", "support_given"})
	count := func(n int) string {
		if peercircle.Suppressed(n, kn) {
			return fmt.Sprintf("<%d", kn)
		}
		return strconv.Itoa(n)
	}
	for {
		for _, row := range d.Accepted {
			a := row.Attendance
			cw.Write([]string{row.LocalDate, row.SiteName, row.GroupName, row.State, csvSafe(row.Topic), strconv.Itoa(row.CasesDiscussed),
				count(a.Members), count(a.Visitors), count(a.Guests), count(a.Apologies), count(a.Absent), strconv.Itoa(row.SupportGiven)})
		}
		if d.Older == 0 {
			break
		}
		if d, err = s.summariesRows(r, 500, d.Older); err != nil {
			// Headers are gone: end the file where it failed, and say so in the log.
			slog.ErrorContext(r.Context(), "summaries export", "err", err)
			break
		}
	}
	cw.Flush()
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// kAnonymity is k from the settings: counts about fewer people are shown
// as "fewer than k".
func (s *Server) kAnonymity(r *http.Request) (int, error) {
	v, err := s.Store.Setting(r.Context(), peercircle.SettingK, strconv.Itoa(peercircle.DefaultK))
	if err != nil {
		return 0, err
	}
	k, err := strconv.Atoi(v)
	if err != nil {
		return peercircle.DefaultK, nil
	}
	return max(k, peercircle.MinimumK), nil
}

// KCount shows a count about people, or "fewer than k" for 0 < n < k.
func (p *Page) KCount(n, k int) string {
	if peercircle.Suppressed(n, k) {
		return p.T("summary.fewer_than_k", k)
	}
	return p.Num(n)
}
