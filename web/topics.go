package web

import (
	"fmt"
	"net/http"

	"github.com/peercircle/peercircle"
)

// The topic library of a site and each meeting's part 2 (issue 11, item 6).

func (s *Server) topicRoutes() {
	s.handle("GET /sites/{site}/topics", s.topicsShow)
	s.handle("POST /sites/{site}/topics", s.topicSave)
	s.handle("POST /sites/{site}/topics/{topic}", s.topicSave)
	s.handle("POST /sessions/{session}/topic", s.sessionTopic)
}

type topicsData struct {
	Site   *peercircle.Site
	Topics []*peercircle.Topic
	EditID int64
}

func (s *Server) topicsPage(r *http.Request, sc peercircle.Scope) (*Page, error) {
	site, err := s.Store.Site(r.Context(), sc.SiteID)
	if err != nil {
		return nil, err
	}
	topics, err := s.Store.Topics(r.Context(), site.ID)
	if err != nil {
		return nil, err
	}
	return s.page(r, "topic.title", &topicsData{Site: site, Topics: topics}), nil
}

// topicsShow is the site's topic library, for those who run the site.
func (s *Server) topicsShow(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	p, err := s.topicsPage(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "topics", p)
}

// topicSave adds a topic to the library or changes one.
func (s *Server) topicSave(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	t := &peercircle.Topic{SiteID: sc.SiteID, Title: r.PostFormValue("title"), Summary: r.PostFormValue("summary"),
		Link: r.PostFormValue("link"), Lang: r.PostFormValue("lang"),
		SpeakerName: r.PostFormValue("speaker_name"), SpeakerContact: r.PostFormValue("speaker_contact")}
	if r.PathValue("topic") != "" {
		id, ok := pathID(r, "topic")
		if !ok {
			s.renderError(w, r, http.StatusNotFound)
			return
		}
		t.ID = id
	}
	if err := s.Store.SaveTopic(r.Context(), t, principal(r).PersonID); err != nil {
		if peercircle.ErrorCode(err) != peercircle.EINVALID {
			s.renderErr(w, r, err)
			return
		}
		p, perr := s.topicsPage(r, sc)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		p.Data.(*topicsData).EditID = t.ID
		s.formError(w, r, "topics", p, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/sites/%d/topics", sc.SiteID), "flash.saved")
}

// sessionTopic assigns a meeting's part 2: a topic of the library and who
// presents it.
func (s *Server) sessionTopic(w http.ResponseWriter, r *http.Request) {
	m, sc, ok := s.planScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	a := peercircle.TopicAssignment{SessionID: m.ID, TopicID: formID(r, "topic"), PresenterID: formID(r, "presenter")}
	if err := s.Store.AssignTopic(r.Context(), a, principal(r).PersonID); err != nil {
		s.planFailed(w, r, m, sc, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/sessions/%d/plan#topic", m.ID), "flash.saved")
}
