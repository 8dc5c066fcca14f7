package web

import (
	"net/http"
	"slices"

	"github.com/peercircle/peercircle"
)

// One-tap answers from a reminder (issue 12): the link opens a page that
// names the meeting and offers the two answers; the answer is a form sent
// with a button, never the link itself, so a messaging app that opens
// links to preview them answers nothing.

func (s *Server) answerRoutes() {
	s.handlePublic("GET /answer/{token}", http.HandlerFunc(s.answerShow))
	s.handlePublic("POST /answer/{token}", http.HandlerFunc(s.answerSave))
}

type answerData struct {
	Token   string
	Group   *peercircle.Group
	When    string
	Link    *peercircle.AnswerLink
	Expired bool
	Done    string // the answer just recorded
}

func (s *Server) answerData(r *http.Request) (*answerData, error) {
	token := r.PathValue("token")
	l, err := s.Store.AnswerLink(r.Context(), token)
	if err != nil {
		return nil, err
	}
	// The page speaks the language of the person the reminder was for,
	// unless this browser chose one.
	if _, err := r.Cookie(cookieLang); err != nil && principal(r) == nil {
		if p, err := s.Store.Person(r.Context(), l.PersonID); err == nil && slices.Contains(peercircle.Languages, p.Lang) {
			stateOf(r).loc = s.I18n.Localizer(p.Lang)
		}
	}
	m, err := s.Store.Session(r.Context(), l.SessionID)
	if err != nil {
		return nil, err
	}
	g, err := s.Store.Group(r.Context(), m.GroupID)
	if err != nil {
		return nil, err
	}
	d := &answerData{Token: token, Group: g, Link: l, When: s.meetingWhen(r, g, m.PlannedStart),
		Expired: !s.now().Before(l.ExpiresAt) || m.Status != peercircle.SessionPlanned}
	return d, nil
}

func (s *Server) answerShow(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	d, err := s.answerData(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "answer", s.page(r, "reminder.title", d))
}

func (s *Server) answerSave(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	answer := r.PostFormValue("answer")
	err := s.Store.AnswerByLink(r.Context(), r.PathValue("token"), answer)
	d, derr := s.answerData(r)
	if derr != nil {
		s.renderErr(w, r, derr)
		return
	}
	if err != nil {
		if peercircle.ErrorCode(err) != peercircle.EINVALID {
			s.renderErr(w, r, err)
			return
		}
		p := s.page(r, "reminder.title", d)
		p.Error = peercircle.ErrorKey(err)
		s.renderStatus(w, r, http.StatusConflict, "answer", p)
		return
	}
	d.Done = answer
	s.render(w, r, "answer", s.page(r, "reminder.title", d))
}
