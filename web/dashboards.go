package web

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/export"
)

// The dashboards of an area, a region and the organisation: the sites ×
// one quarter (meetings held of expected, summaries, the report's state, an
// attendance trend), the sites needing attention first, and the same
// figures summed for the level.

type dashboardData struct {
	R          *peercircle.RollUp
	Scope      peercircle.Scope
	Base       string // the dashboard's path, for quarter links and exports
	Parent     string // link to the level above, if the person may open it
	ParentName string
	Prev, Next peercircle.Quarter
	HasNext    bool
	Rows       []dashRow
	Chart      template.HTML
	Formats    []string
	Running    bool
}

// dashRow is a site's row with its sparkline. The row is a named field,
// not embedded: html/template looks up a promoted field by a search of the
// embedded structs that allocates, nine times a row on a region's page.
type dashRow struct {
	Row   *peercircle.SiteRow
	Spark template.HTML
}

// rollupFormats are the exports of a roll-up.
var rollupFormats = []string{"pdf", "csv", "xlsx", "dhis2"}

func (s *Server) dashboardQuarter(r *http.Request) (peercircle.Quarter, error) {
	if r.URL.Query().Get("quarter") != "" {
		return quarterParam(r)
	}
	return s.Store.CurrentQuarter(r.Context(), 0)
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, level string, id int64, sc peercircle.Scope, base string) {
	q, err := s.dashboardQuarter(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	ru, err := s.Store.RollUp(r.Context(), level, id, q, 4)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := &dashboardData{R: ru, Scope: sc, Base: base, Prev: q.Prev(), Next: q.Next(), Formats: rollupFormats}
	if cur, err := s.Store.CurrentQuarter(r.Context(), 0); err == nil {
		d.HasNext = q.Before(cur)
		d.Running = !q.Before(cur)
	}
	p := s.page(r, "report.dashboard."+level, d)
	p.TitleArgs = []any{ru.Name}
	rtl := p.Dir() == "rtl"
	d.Rows = make([]dashRow, len(ru.Sites))
	for i := range ru.Sites {
		row := &ru.Sites[i]
		d.Rows[i] = dashRow{Row: row, Spark: sparkline(p, row.Trend, row.Site.Name, rtl)}
	}
	d.Chart = heldChart(p, ru.Trend, ru.Name, rtl)
	switch level {
	case peercircle.LevelArea:
		if peercircle.Can(p.P, peercircle.ActViewRegion, peercircle.Scope{RegionID: sc.RegionID}) {
			d.Parent = fmt.Sprintf("/regions/%d", sc.RegionID)
		}
	case peercircle.LevelRegion:
		if peercircle.Can(p.P, peercircle.ActViewReport, peercircle.Scope{}) {
			d.Parent = "/reports/organisation"
		}
	}
	s.render(w, r, "dashboard", p)
}

// areaScope finds the {area} of the path and checks the action.
func (s *Server) areaScope(w http.ResponseWriter, r *http.Request) (peercircle.Scope, bool) {
	id, ok := pathID(r, "area")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return peercircle.Scope{}, false
	}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		s.renderErr(w, r, err)
		return peercircle.Scope{}, false
	}
	for _, a := range tree.Areas {
		if a.ID == id {
			sc := peercircle.Scope{RegionID: a.RegionID, AreaID: a.ID}
			return sc, s.allow(w, r, peercircle.ActViewArea, sc)
		}
	}
	s.renderError(w, r, http.StatusNotFound)
	return peercircle.Scope{}, false
}

func (s *Server) regionScope(w http.ResponseWriter, r *http.Request) (peercircle.Scope, bool) {
	id, ok := pathID(r, "region")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return peercircle.Scope{}, false
	}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		s.renderErr(w, r, err)
		return peercircle.Scope{}, false
	}
	for _, rg := range tree.Regions {
		if rg.ID == id {
			sc := peercircle.Scope{RegionID: rg.ID}
			return sc, s.allow(w, r, peercircle.ActViewRegion, sc)
		}
	}
	s.renderError(w, r, http.StatusNotFound)
	return peercircle.Scope{}, false
}

// areaShow is the coordinator's area page: the area's dashboard.
func (s *Server) areaShow(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.areaScope(w, r)
	if !ok {
		return
	}
	s.dashboard(w, r, peercircle.LevelArea, sc.AreaID, sc, fmt.Sprintf("/areas/%d", sc.AreaID))
}

func (s *Server) regionDashboard(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.regionScope(w, r)
	if !ok {
		return
	}
	s.dashboard(w, r, peercircle.LevelRegion, sc.RegionID, sc, fmt.Sprintf("/regions/%d", sc.RegionID))
}

func (s *Server) orgDashboard(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActViewReport, peercircle.Scope{}) {
		return
	}
	s.dashboard(w, r, peercircle.LevelOrganisation, 0, peercircle.Scope{}, "/reports/organisation")
}

func (s *Server) areaExport(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.areaScope(w, r)
	if !ok {
		return
	}
	s.rollupExport(w, r, peercircle.LevelArea, sc.AreaID)
}

func (s *Server) regionExport(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.regionScope(w, r)
	if !ok {
		return
	}
	s.rollupExport(w, r, peercircle.LevelRegion, sc.RegionID)
}

func (s *Server) orgExport(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActViewReport, peercircle.Scope{}) {
		return
	}
	s.rollupExport(w, r, peercircle.LevelOrganisation, 0)
}

// rollupExport sends a roll-up as CSV (every level in one table), XLSX (a
// sheet per level) or DHIS2 JSON (each site's totals).
func (s *Server) rollupExport(w http.ResponseWriter, r *http.Request, level string, id int64) {
	format := r.PathValue("format")
	if format != "pdf" && format != "csv" && format != "xlsx" && format != "dhis2" {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	q, err := s.dashboardQuarter(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	ru, err := s.Store.RollUp(r.Context(), level, id, q, 0)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	p := s.page(r, "", nil)
	t := export.Labeler(p.L.T)
	var write func(io.Writer) error
	switch format {
	case "csv":
		write = func(w io.Writer) error { return export.WriteCSV(w, export.RollUpCSVTable(ru, t)) }
	case "xlsx":
		write = func(w io.Writer) error { return export.WriteXLSX(w, export.RollUpTables(ru, t), p.Dir() == "rtl") }
	case "pdf":
		write = func(w io.Writer) error { return export.WriteRollUpPDF(w, ru, p.L) }
	case "dhis2":
		var sites []export.SiteFigures
		for i := range ru.Sites {
			sites = append(sites, export.SiteFigures{SiteID: ru.Sites[i].Site.ID, SiteName: ru.Sites[i].Site.Name, Figures: &ru.Sites[i].Figures})
		}
		set, err := s.dhis2Set(r, q, sites, ru.K)
		if err != nil {
			s.dhis2Refused(w, r, err, strings.TrimSuffix(r.URL.Path, "/export/dhis2")+"?quarter="+q.String())
			return
		}
		write = func(w io.Writer) error { return export.WriteDHIS2(w, set) }
	}
	s.sendExport(w, r, fmt.Sprintf("%s%d-%s", level, id, q), format, write)
}
