package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
)

func (s *Server) orgRoutes() {
	s.handle("GET /admin/org", s.orgShow)
	s.handle("POST /admin/org", s.orgSave)
	s.handle("POST /admin/regions", s.regionCreate)
	s.handle("POST /admin/regions/{region}", s.regionUpdate)
	s.handle("POST /admin/regions/{region}/delete", s.regionDelete)
	s.handle("POST /admin/areas", s.areaCreate)
	s.handle("POST /admin/areas/{area}", s.areaUpdate)
	s.handle("POST /admin/areas/{area}/delete", s.areaDelete)
	s.handle("POST /admin/sites", s.siteCreate)
	s.handle("POST /admin/sites/{site}", s.siteUpdate)
	s.handle("POST /admin/sites/{site}/delete", s.siteDelete)

	s.handle("GET /sites", s.sitesList)
	s.handle("GET /sites/{site}", s.siteShow)
	s.handle("GET /areas", s.areasList)
	s.handle("GET /areas/{area}", s.areaShow)
}

type orgData struct {
	Tree  *peercircle.Tree
	Zones []string
	Kinds []string
	// SecondFactorRoles must use a second factor (the setting); AllRoles
	// are offered.
	SecondFactorRoles []string
	AllRoles          []string
}

// Zones offered for sites: the programme's region first, then others.
var timeZones = []string{"Asia/Amman", "Asia/Beirut", "Asia/Damascus", "Asia/Gaza", "Asia/Hebron", "Europe/London", "Europe/Paris", "UTC"}

func (s *Server) orgPage(r *http.Request) (*Page, error) {
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		return nil, err
	}
	roles, err := s.Store.Setting(r.Context(), peercircle.SettingSecondFactorRoles, peercircle.DefaultSecondFactorRoles)
	if err != nil {
		return nil, err
	}
	return s.page(r, "org.title", orgData{Tree: tree, Zones: timeZones, Kinds: peercircle.SiteKinds,
		SecondFactorRoles: peercircle.SecondFactorRoles(roles), AllRoles: peercircle.Roles}), nil
}

func (s *Server) orgShow(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	p, err := s.orgPage(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "org", p)
}

// orgSaved finishes an admin edit: the tree page again with the form's
// errors, or a redirect with a notice.
func (s *Server) orgSaved(w http.ResponseWriter, r *http.Request, action string, id int64, err error) {
	if err != nil {
		p, perr := s.orgPage(r)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "org", p, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: action, TargetKind: strings.Split(action, ".")[1], TargetID: id})
	s.redirect(w, r, "/admin/org", "flash.saved")
}

func (s *Server) orgSave(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	month, _ := strconv.Atoi(r.PostFormValue("quarter_start_month"))
	o := &peercircle.Organisation{Name: strings.TrimSpace(r.PostFormValue("name")), QuarterStartMonth: month}
	err := s.Store.UpdateOrganisation(r.Context(), o)
	s.orgSaved(w, r, "org.organisation.update", o.ID, err)
}

// adminTarget checks that the person is an admin and reads the id of the
// tree node in the path; it writes the error page and returns false if not.
func (s *Server) adminTarget(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return 0, false
	}
	id, ok := pathID(r, name)
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
	}
	return id, ok
}

func formID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(peercircleDigits(r.PostFormValue(name)), 10, 64)
	return id
}

func (s *Server) regionCreate(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	reg := &peercircle.Region{Name: strings.TrimSpace(r.PostFormValue("name")), TimeZone: r.PostFormValue("time_zone")}
	err := s.Store.CreateRegion(r.Context(), reg)
	s.orgSaved(w, r, "org.region.create", reg.ID, err)
}

func (s *Server) regionUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.adminTarget(w, r, "region")
	if !ok {
		return
	}
	reg := &peercircle.Region{ID: id, Name: strings.TrimSpace(r.PostFormValue("name")), TimeZone: r.PostFormValue("time_zone")}
	err := s.Store.UpdateRegion(r.Context(), reg)
	s.orgSaved(w, r, "org.region.update", id, err)
}

func (s *Server) regionDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.adminTarget(w, r, "region")
	if !ok {
		return
	}
	s.orgSaved(w, r, "org.region.delete", id, s.Store.DeleteRegion(r.Context(), id))
}

func (s *Server) areaCreate(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	a := &peercircle.Area{RegionID: formID(r, "region"), Name: strings.TrimSpace(r.PostFormValue("name"))}
	err := s.Store.CreateArea(r.Context(), a)
	s.orgSaved(w, r, "org.area.create", a.ID, err)
}

func (s *Server) areaUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.adminTarget(w, r, "area")
	if !ok {
		return
	}
	a := &peercircle.Area{ID: id, RegionID: formID(r, "region"), Name: strings.TrimSpace(r.PostFormValue("name"))}
	s.orgSaved(w, r, "org.area.update", id, s.Store.UpdateArea(r.Context(), a))
}

func (s *Server) areaDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.adminTarget(w, r, "area")
	if !ok {
		return
	}
	s.orgSaved(w, r, "org.area.delete", id, s.Store.DeleteArea(r.Context(), id))
}

// siteForm reads a site from a form; an empty "joined" means the site has
// not joined the programme yet.
func siteForm(r *http.Request, id int64) (*peercircle.Site, error) {
	st := &peercircle.Site{ID: id, AreaID: formID(r, "area"), Name: strings.TrimSpace(r.PostFormValue("name")),
		Kind: r.PostFormValue("kind"), TimeZone: r.PostFormValue("time_zone")}
	if j := strings.TrimSpace(peercircleDigits(r.PostFormValue("joined"))); j != "" {
		t, err := time.Parse("2006-01-02", j)
		if err != nil {
			return nil, peercircle.FieldErrors{"joined": "error.date"}.Err()
		}
		st.JoinedProgramme = &t
	}
	return st, nil
}

func (s *Server) siteCreate(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	st, err := siteForm(r, 0)
	if err == nil {
		err = s.Store.CreateSite(r.Context(), st)
	}
	var id int64
	if st != nil {
		id = st.ID
	}
	s.orgSaved(w, r, "org.site.create", id, err)
}

func (s *Server) siteUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.adminTarget(w, r, "site")
	if !ok {
		return
	}
	st, err := siteForm(r, id)
	if err == nil {
		err = s.Store.UpdateSite(r.Context(), st)
	}
	s.orgSaved(w, r, "org.site.update", id, err)
}

func (s *Server) siteDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.adminTarget(w, r, "site")
	if !ok {
		return
	}
	s.orgSaved(w, r, "org.site.delete", id, s.Store.DeleteSite(r.Context(), id))
}

type sitesData struct {
	Tree  *peercircle.Tree
	Sites []peercircle.Site
	Areas []peercircle.Area
}

// sitesList lists the sites a person organises; with one, it goes there.
func (s *Server) sitesList(w http.ResponseWriter, r *http.Request) {
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	sites := sitesOrganised(principal(r), tree)
	if len(sites) == 1 {
		http.Redirect(w, r, "/sites/"+strconv.FormatInt(sites[0].ID, 10), http.StatusSeeOther)
		return
	}
	s.render(w, r, "sites", s.page(r, "sites.title", sitesData{Tree: tree, Sites: sites}))
}

type siteData struct {
	Site   *peercircle.Site
	Area   peercircle.Area
	Scope  peercircle.Scope
	Groups []*peercircle.Group
	Plan   []siteGroupRow // each group's next meeting and rota (web/group_site.go)
	// Clashes are rooms or facilitators booked twice at once, for those
	// who run the site.
	Clashes []clashView
}

// siteShow is the organiser's site page: the site's groups.
func (s *Server) siteShow(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActViewSite)
	if !ok {
		return
	}
	site, err := s.Store.Site(r.Context(), sc.SiteID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	groups, err := s.Store.GroupsAtSite(r.Context(), site.ID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := siteData{Site: site, Scope: sc, Groups: groups}
	if d.Plan, err = s.sitePlan(r, site, groups); err != nil {
		s.renderErr(w, r, err)
		return
	}
	for _, a := range tree.Areas {
		if a.ID == site.AreaID {
			d.Area = a
		}
	}
	if peercircle.Can(principal(r), peercircle.ActManageSite, sc) {
		if d.Clashes, err = s.siteClashes(r, site.ID, 0); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	s.render(w, r, "site", s.page(r, "site.title", d))
}

// areasList lists the areas a coordinator oversees; with one, it goes there.
func (s *Server) areasList(w http.ResponseWriter, r *http.Request) {
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	areas := areasCoordinated(principal(r), tree)
	if len(areas) == 1 {
		http.Redirect(w, r, "/areas/"+strconv.FormatInt(areas[0].ID, 10), http.StatusSeeOther)
		return
	}
	s.render(w, r, "areas", s.page(r, "areas.title", sitesData{Tree: tree, Areas: areas}))
}
