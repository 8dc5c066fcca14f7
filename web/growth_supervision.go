package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

// supervisionFormData is the form of a new supervision session.
type supervisionFormData struct {
	People []*peercircle.Person // whom the supervisor may record a session with
	Picker []pickSite           // the same, grouped by site, told apart
	Today  string
	Guard  *guardForm // the confidentiality guard's findings in the notes
}

// supervisionFields are the notes of a supervision session, which the
// confidentiality guard checks.
var supervisionFields = []string{"task_notes", "process_notes", "follow_ups"}

var supervisionLabels = map[string]string{"task_notes": "growth.field.task_notes", "process_notes": "growth.field.process_notes", "follow_ups": "growth.field.follow_ups"}

// supervisionCandidates lists the people p may record supervision with:
// the active people whose home site p's supervisor scope covers.
func (s *Server) supervisionCandidates(r *http.Request, p *peercircle.Principal) ([]*peercircle.Person, error) {
	sites, err := s.supervisionSites(r.Context(), p)
	if err != nil || len(sites) == 0 {
		return nil, err
	}
	people, err := s.Store.PeopleAtSites(r.Context(), sites)
	return dropPerson(people, p.PersonID), err
}

func (s *Server) supervisionFormPage(w http.ResponseWriter, r *http.Request) (*Page, bool) {
	people, err := s.supervisionCandidates(r, principal(r))
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	if len(people) == 0 {
		s.renderError(w, r, http.StatusForbidden)
		return nil, false
	}
	picker, err := s.picker(r.Context(), people)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	return s.page(r, "growth.supervision_new", &supervisionFormData{People: people, Picker: picker, Today: s.now().Format(peercircle.DateLayout)}), true
}

// supervisionNew is the form "Record a supervision session"; ?person=
// chooses the supervisee.
func (s *Server) supervisionNew(w http.ResponseWriter, r *http.Request) {
	page, ok := s.supervisionFormPage(w, r)
	if !ok {
		return
	}
	page.Form = map[string][]string{"supervisee": {r.URL.Query().Get("person")}, "held_on": {page.Data.(*supervisionFormData).Today}}
	s.render(w, r, "supervision_form", page)
}

// supervisionCreate records a session with a supervisee in the
// supervisor's scope.
func (s *Server) supervisionCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := principal(r)
	who, _ := strconv.ParseInt(r.PostFormValue("supervisee"), 10, 64)
	v := &peercircle.SupervisionSession{SupervisorID: me.PersonID, SuperviseeID: who, HeldOn: r.PostFormValue("held_on"),
		TaskNotes: r.PostFormValue("task_notes"), ProcessNotes: r.PostFormValue("process_notes"), FollowUps: r.PostFormValue("follow_ups")}
	var err error
	if who == 0 {
		err = &peercircle.Error{Code: peercircle.EINVALID, Key: "error.form", Fields: map[string]string{"supervisee": "error.required"}}
	} else {
		sc, serr := s.Store.PersonScope(ctx, who)
		if serr != nil {
			s.renderErr(w, r, serr)
			return
		}
		if !s.allow(w, r, peercircle.ActRecordSupervision, sc) {
			return
		}
		names, nerr := s.Store.NamesOf(ctx, 0, me.PersonID, who)
		if nerr != nil {
			s.renderErr(w, r, nerr)
			return
		}
		gf := s.checkPosted(r, names, supervisionFields, supervisionLabels)
		if gf.Stop() {
			if page, ok := s.supervisionFormPage(w, r); ok {
				page.Data.(*supervisionFormData).Guard = gf.Guard
				gf.render(s, w, r, "supervision_form", page)
			}
			return
		}
		v.TaskNotes, v.ProcessNotes, v.FollowUps, v.Allowed = gf.Values["task_notes"], gf.Values["process_notes"], gf.Values["follow_ups"], gf.Allowed
		err = s.Store.SaveSupervision(ctx, v)
	}
	if err != nil {
		page, ok := s.supervisionFormPage(w, r)
		if ok {
			s.formError(w, r, "supervision_form", page, err)
		}
		return
	}
	s.redirect(w, r, "/growth/supervision/"+id64(v.ID), "flash.growth.supervision_saved")
}

// supervisionData is one supervision session.
type supervisionData struct {
	*peercircle.SupervisionSession
	Supervisor, Supervisee string
	Day                    time.Time
	IsSupervisor           bool
}

// supervisionShow opens a session for its supervisor or its supervisee;
// nobody else, whatever their role. The supervisee's read is audited.
func (s *Server) supervisionShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := pathID(r, "supervision")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	sc, err := s.Store.SupervisionScope(ctx, id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if !s.allow(w, r, peercircle.ActReadSupervision, sc) {
		return
	}
	p := principal(r)
	v, err := s.Store.Supervision(ctx, id, p.PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := &supervisionData{SupervisionSession: v, Supervisor: s.personName(ctx, v.SupervisorID), Supervisee: s.personName(ctx, v.SuperviseeID),
		IsSupervisor: v.SupervisorID == p.PersonID}
	d.Day, _ = parseDay(v.HeldOn)
	s.render(w, r, "supervision", s.page(r, "growth.supervision_title", d))
}
