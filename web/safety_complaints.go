package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/peercircle/peercircle"
)

// cookieCode carries a new complaint's tracking code from the form to the
// one page that shows it, for a few minutes, and is cleared there: the code
// is never in a URL, a log or the browser's history.
const cookieCode = "pc_code"

// complaintChoice is one thing a complaint can be about.
type complaintChoice struct {
	Value string // "g:<id>", "s:<id>" or "programme"
	Name  string
}

type complaintNewData struct {
	Groups []complaintChoice
	Sites  []complaintChoice
}

// complaintChoices lists what the person may complain about: the groups
// listed publicly and their own groups, the sites those meet at, and the
// programme (always).
func (s *Server) complaintChoices(r *http.Request) (*complaintNewData, error) {
	ctx := r.Context()
	groups, err := s.Store.ListedGroups(ctx)
	if err != nil {
		return nil, err
	}
	if p := principal(r); p != nil {
		mine, err := s.Store.GroupsOf(ctx, p.PersonID)
		if err != nil {
			return nil, err
		}
		for _, g := range mine {
			if !slices.ContainsFunc(groups, func(x *peercircle.Group) bool { return x.ID == g.ID }) {
				groups = append(groups, g)
			}
		}
	}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(groups, func(a, b *peercircle.Group) int {
		if a.Name < b.Name {
			return -1
		} else if a.Name > b.Name {
			return 1
		}
		return 0
	})
	d := &complaintNewData{}
	seen := map[int64]bool{}
	for _, g := range groups {
		d.Groups = append(d.Groups, complaintChoice{Value: "g:" + id64(g.ID), Name: g.Name})
		if !seen[g.SiteID] {
			seen[g.SiteID] = true
			d.Sites = append(d.Sites, complaintChoice{Value: "s:" + id64(g.SiteID), Name: siteIn(tree, g.SiteID).Name})
		}
	}
	return d, nil
}

// complaintNew is the anonymous complaint form, open to anyone.
func (s *Server) complaintNew(w http.ResponseWriter, r *http.Request) {
	defer forgetPerson(r)
	d, err := s.complaintChoices(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "complaint_new", s.page(r, "complaint.new_title", d))
}

// complaintFile stores the complaint and sends the browser to the page
// that shows its code once. Only choices the form offered are accepted.
func (s *Server) complaintFile(w http.ResponseWriter, r *http.Request) {
	defer forgetPerson(r)
	d, err := s.complaintChoices(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	c := &peercircle.Complaint{Text: r.PostFormValue("text"), AboutOrganiser: r.PostFormValue("about_organiser") != ""}
	about := r.PostFormValue("about")
	offered := func(list []complaintChoice) bool {
		return slices.ContainsFunc(list, func(x complaintChoice) bool { return x.Value == about })
	}
	kind, id, ok := parseTarget(about)
	switch {
	case about == peercircle.ComplaintAboutProgramme:
		c.About = peercircle.ComplaintAboutProgramme
	case ok && kind == "g" && offered(d.Groups):
		c.About, c.GroupID = peercircle.ComplaintAboutGroup, id
	case ok && kind == "s" && offered(d.Sites):
		c.About, c.SiteID = peercircle.ComplaintAboutSite, id
	}
	code, err := s.Store.FileComplaint(r.Context(), c, s.clientAddr(r))
	if err != nil {
		if peercircle.ErrorCode(err) == peercircle.ETOOMANY {
			err = &peercircle.Error{Code: peercircle.ETOOMANY, Key: "complaint.throttled"}
		}
		s.formError(w, r, "complaint_new", s.page(r, "complaint.new_title", d), err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieCode, Value: code, Path: "/complaints/filed", MaxAge: int((10 * time.Minute).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	s.redirect(w, r, "/complaints/filed", "")
}

type complaintFiledData struct{ Code string }

// complaintFiled shows a new complaint's code, once.
func (s *Server) complaintFiled(w http.ResponseWriter, r *http.Request) {
	defer forgetPerson(r)
	d := &complaintFiledData{}
	if c, err := r.Cookie(cookieCode); err == nil {
		if code, ok := peercircle.NormaliseTrackingCode(c.Value); ok {
			d.Code = code
		}
	}
	http.SetCookie(w, &http.Cookie{Name: cookieCode, Value: "", Path: "/complaints/filed", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, "complaint_filed", s.page(r, "complaint.filed_title", d))
}

type complaintTrackData struct {
	Complaint *peercircle.Complaint
	Subject   string
}

// complaintTrackForm asks for a tracking code.
func (s *Server) complaintTrackForm(w http.ResponseWriter, r *http.Request) {
	defer forgetPerson(r)
	s.render(w, r, "complaint_track", s.page(r, "complaint.track_title", &complaintTrackData{}))
}

// complaintTrack shows what happened to the complaint with the code. The
// code comes in a form, never in the address, and the answer is the page
// itself (no redirect that would need it in a link).
func (s *Server) complaintTrack(w http.ResponseWriter, r *http.Request) {
	defer forgetPerson(r)
	w.Header().Set("Cache-Control", "no-store")
	c, err := s.Store.TrackComplaint(r.Context(), peercircleDigits(r.PostFormValue("code")))
	if err != nil {
		if peercircle.ErrorCode(err) == peercircle.ENOTFOUND {
			err = &peercircle.Error{Code: peercircle.EINVALID, Key: "complaint.unknown_code", Fields: map[string]string{"code": "complaint.unknown_code"}}
		}
		s.formError(w, r, "complaint_track", s.page(r, "complaint.track_title", &complaintTrackData{}), err)
		return
	}
	d := &complaintTrackData{Complaint: c, Subject: s.complaintSubject(r, c)}
	s.render(w, r, "complaint_track", s.page(r, "complaint.track_title", d))
}

// complaintSubject names what a complaint is about ("" for the programme).
func (s *Server) complaintSubject(r *http.Request, c *peercircle.Complaint) string {
	switch c.About {
	case peercircle.ComplaintAboutGroup:
		if g, err := s.Store.Group(r.Context(), c.GroupID); err == nil {
			return g.Name
		}
	case peercircle.ComplaintAboutSite:
		if st, err := s.Store.Site(r.Context(), c.SiteID); err == nil {
			return st.Name
		}
	}
	return ""
}

type complaintRow struct {
	*peercircle.Complaint
	Subject string
}

// complaints lists the complaints routed to the person, without their text.
func (s *Server) complaints(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	list, err := s.complaintsFor(ctx, principal(r), tree)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	var rows []complaintRow
	for _, c := range list {
		rows = append(rows, complaintRow{Complaint: c, Subject: s.complaintSubject(r, c)})
	}
	s.render(w, r, "complaints", s.page(r, "complaint.list_title", rows))
}

type complaintData struct {
	complaintRow
	States []string
}

// complaintScope loads the {complaint} in the path and lets in only the
// handlers it was routed to.
func (s *Server) complaintScope(w http.ResponseWriter, r *http.Request) (*peercircle.Complaint, bool) {
	id, ok := pathID(r, "complaint")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	c, err := s.Store.Complaint(r.Context(), id, false)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	return c, s.allow(w, r, peercircle.ActHandleComplaint, c.RouteScope(tree))
}

// complaintShow opens a complaint for its handler; every read is audited.
func (s *Server) complaintShow(w http.ResponseWriter, r *http.Request) {
	c, ok := s.complaintScope(w, r)
	if !ok {
		return
	}
	s.renderComplaint(w, r, c.ID, nil)
}

func (s *Server) renderComplaint(w http.ResponseWriter, r *http.Request, id int64, formErr error) {
	ctx := r.Context()
	c, err := s.Store.Complaint(ctx, id, true)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if err := s.Store.Audit(ctx, &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "complaint.read", TargetKind: "complaint", TargetID: id}); err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := &complaintData{complaintRow: complaintRow{Complaint: c, Subject: s.complaintSubject(r, c)},
		States: []string{peercircle.ComplaintLooking, peercircle.ComplaintResolved, peercircle.ComplaintClosed}}
	page := s.page(r, "complaint.title", d)
	if formErr != nil {
		s.formError(w, r, "complaint", page, formErr)
		return
	}
	s.render(w, r, "complaint", page)
}

// complaintAnswer records the handler's note and state; the complainant
// reads the note with their code.
func (s *Server) complaintAnswer(w http.ResponseWriter, r *http.Request) {
	c, ok := s.complaintScope(w, r)
	if !ok {
		return
	}
	if err := s.Store.AnswerComplaint(r.Context(), c.ID, principal(r).PersonID, r.PostFormValue("state"), r.PostFormValue("note")); err != nil {
		if peercircle.ErrorCode(err) == peercircle.EINVALID {
			s.renderComplaint(w, r, c.ID, err)
			return
		}
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/complaints/"+id64(c.ID), "flash.complaint.answered")
}
