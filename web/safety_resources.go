package web

import (
	"net/http"
	"strconv"

	"github.com/peercircle/peercircle"
)

// fileData is the page of one file of external support: a group's (with
// its site's file under it) or a site's.
type fileData struct {
	Organisation string
	Site         *peercircle.Site
	Group        *peercircle.Group // nil on a site's file
	Scope        peercircle.Scope
	Own          *supportFile // the file the page is about
	SiteFile     *supportFile // on a group's page: the site's file
	Kinds        []string
	EditID       int64 // the resource whose form came back with errors (0: the new one)
	Failed       bool  // a form came back with errors
	Action       string
}

// ResourceAction is where a resource's form posts.
func (d *fileData) ResourceAction(id int64) string {
	if id == 0 {
		return d.Action
	}
	return d.Action + "/" + strconv.FormatInt(id, 10)
}

func id64(n int64) string { return strconv.FormatInt(n, 10) }

// fileScope loads the scope of the file in the path ({group} or {site})
// and checks the action.
func (s *Server) fileScope(w http.ResponseWriter, r *http.Request, a peercircle.Action) (peercircle.Scope, bool) {
	if r.PathValue("group") != "" {
		return s.groupScope(w, r, a)
	}
	return s.siteScope(w, r, a)
}

func (s *Server) fileData(r *http.Request, sc peercircle.Scope) (*fileData, error) {
	ctx := r.Context()
	p := principal(r)
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	d := &fileData{Organisation: tree.Organisation.Name, Site: siteIn(tree, sc.SiteID), Scope: sc, Kinds: peercircle.SupportKinds}
	var groups []*peercircle.Group
	if sc.GroupID != 0 {
		if d.Group, err = s.Store.Group(ctx, sc.GroupID); err != nil {
			return nil, err
		}
		groups = []*peercircle.Group{d.Group}
		d.Action = "/groups/" + id64(sc.GroupID) + "/support"
	} else {
		d.Action = "/sites/" + id64(sc.SiteID) + "/support"
	}
	files, err := s.supportFiles(ctx, p, []int64{sc.SiteID}, groups)
	if err != nil {
		return nil, err
	}
	d.Own = files[0]
	if d.Group != nil {
		d.SiteFile = files[1]
	}
	return d, nil
}

func (s *Server) supportFileShow(w http.ResponseWriter, r *http.Request, page string) {
	sc, ok := s.fileScope(w, r, peercircle.ActViewSupportFile)
	if !ok {
		return
	}
	d, err := s.fileData(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, page, s.page(r, "safety.file_title", d))
}

// siteSupportFile and groupSupportFile show a file, with the forms to
// change it for those who may.
func (s *Server) siteSupportFile(w http.ResponseWriter, r *http.Request) {
	s.supportFileShow(w, r, "support_file")
}
func (s *Server) groupSupportFile(w http.ResponseWriter, r *http.Request) {
	s.supportFileShow(w, r, "support_file")
}

// siteSupportHandout and groupSupportHandout are the file as an A4
// handout: no forms, the organisation's heading, the urgent line first.
func (s *Server) siteSupportHandout(w http.ResponseWriter, r *http.Request) {
	s.supportFileShow(w, r, "support_handout")
}
func (s *Server) groupSupportHandout(w http.ResponseWriter, r *http.Request) {
	s.supportFileShow(w, r, "support_handout")
}

func (s *Server) siteResourceSave(w http.ResponseWriter, r *http.Request) {
	s.resourceSave(w, r, "resource")
}
func (s *Server) groupResourceSave(w http.ResponseWriter, r *http.Request) {
	s.resourceSave(w, r, "group_resource")
}

// resourceSave adds a resource to the file in the path, or updates the
// one named in the path (which must belong to that file).
func (s *Server) resourceSave(w http.ResponseWriter, r *http.Request, param string) {
	sc, ok := s.fileScope(w, r, peercircle.ActManageSupportFile)
	if !ok {
		return
	}
	res := &peercircle.SupportResource{SiteID: sc.SiteID, GroupID: sc.GroupID}
	if r.PathValue(param) != "" {
		id, ok := pathID(r, param)
		if !ok {
			s.renderError(w, r, http.StatusNotFound)
			return
		}
		res.ID = id
	}
	res.Name = r.PostFormValue("name")
	res.Kind = r.PostFormValue("kind")
	res.Phone = peercircleDigits(r.PostFormValue("phone"))
	res.Address = r.PostFormValue("address")
	res.Link = r.PostFormValue("link")
	res.Hours = r.PostFormValue("hours")
	res.WhenToUse = r.PostFormValue("when_to_use")
	res.Languages = r.PostFormValue("languages")
	if err := s.Store.SaveSupportResource(r.Context(), res, principal(r).PersonID); err != nil {
		d, derr := s.fileData(r, sc)
		if derr != nil {
			s.renderErr(w, r, derr)
			return
		}
		d.EditID, d.Failed = res.ID, true
		s.formError(w, r, "support_file", s.page(r, "safety.file_title", d), err)
		return
	}
	s.redirect(w, r, fileHref(sc)+"#r"+id64(res.ID), "flash.safety.resource_saved")
}

func (s *Server) siteResourceDelete(w http.ResponseWriter, r *http.Request) {
	s.resourceDelete(w, r, "resource")
}
func (s *Server) groupResourceDelete(w http.ResponseWriter, r *http.Request) {
	s.resourceDelete(w, r, "group_resource")
}

// resourceDelete removes a resource from the file in the path.
func (s *Server) resourceDelete(w http.ResponseWriter, r *http.Request, param string) {
	sc, ok := s.fileScope(w, r, peercircle.ActManageSupportFile)
	if !ok {
		return
	}
	id, ok := pathID(r, param)
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	res, err := s.Store.SupportResource(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if res.SiteID != sc.SiteID || res.GroupID != sc.GroupID {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if err := s.Store.DeleteSupportResource(r.Context(), id, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, fileHref(sc), "flash.safety.resource_deleted")
}

func fileHref(sc peercircle.Scope) string {
	if sc.GroupID != 0 {
		return "/groups/" + id64(sc.GroupID) + "/support"
	}
	return "/sites/" + id64(sc.SiteID) + "/support"
}

// The resource form's text fields, in the order the form asks them (the
// kind is asked right after the name).
var resourceTextFields = []string{"name", "phone", "when_to_use", "hours", "address", "link", "languages"}

// TextFields lists the resource form's text fields.
func (d *fileData) TextFields() []string { return resourceTextFields }

// NewID is the id of the "add" form: none yet.
func (d *fileData) NewID() int64 { return 0 }

// Hint reports whether a field has a hint under its label.
func (d *fileData) Hint(field string) bool {
	return field == "phone" || field == "when_to_use" || field == "languages"
}

// Val is the value a resource form shows: what was typed when this form
// came back with errors, else what is stored.
func (d *fileData) Val(p *Page, id int64, field string) string {
	if d.Failed && d.EditID == id {
		return p.Value(field)
	}
	for _, r := range d.Own.Resources {
		if r.ID != id {
			continue
		}
		switch field {
		case "name":
			return r.Name
		case "kind":
			return r.Kind
		case "phone":
			return r.Phone
		case "when_to_use":
			return r.WhenToUse
		case "hours":
			return r.Hours
		case "address":
			return r.Address
		case "link":
			return r.Link
		case "languages":
			return r.Languages
		}
	}
	return ""
}

// Err is a field's error, on the form that came back with errors only.
func (d *fileData) Err(p *Page, id int64, field string) string {
	if d.Failed && d.EditID == id {
		return p.FieldError(field)
	}
	return ""
}
