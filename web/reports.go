package web

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/export"
)

// reportRoutes are the quarterly report (Sheet 3) of a site, its review,
// the dashboards of areas, regions and the organisation, and the exports.
func (s *Server) reportRoutes() {
	s.handle("GET /reports", s.reportsHub)
	s.handle("GET /reports/organisation", s.orgDashboard)
	s.handle("GET /reports/organisation/export/{format}", s.orgExport)
	s.handle("GET /regions/{region}", s.regionDashboard)
	s.handle("GET /regions/{region}/export/{format}", s.regionExport)
	s.handle("GET /areas/{area}/export/{format}", s.areaExport)
	s.handle("GET /sites/{site}/reports", s.siteReports)
	s.handle("GET /sites/{site}/reports/{quarter}", s.sheet3Show)
	s.handle("POST /sites/{site}/reports/{quarter}/submit", s.sheet3Submit)
	s.handle("POST /sites/{site}/reports/{quarter}/review", s.sheet3Review)
	s.handle("GET /sites/{site}/reports/{quarter}/export/{format}", s.sheet3Export)
	s.handle("GET /admin/reports", s.reportSettingsShow)
	s.handle("POST /admin/reports", s.reportSettingsSave)
}

// quarterParam reads a quarter from the path or ?quarter=, in any digits.
func quarterParam(r *http.Request) (peercircle.Quarter, error) {
	v := r.PathValue("quarter")
	if v == "" {
		v = r.URL.Query().Get("quarter")
	}
	return peercircle.ParseQuarter(peercircleDigits(v))
}

type sheet3Data struct {
	Site        *peercircle.Site
	Area        peercircle.Area
	Scope       peercircle.Scope
	Quarter     peercircle.Quarter
	Prev, Next  peercircle.Quarter
	HasNext     bool
	Sheet       *peercircle.Sheet3 // what the page shows: the snapshot once submitted
	Report      *peercircle.Report
	Changes     []peercircle.Change
	ChangesKey  string // heading of Changes
	CanSubmit   bool
	CanReview   bool
	Due         string
	Late        bool
	Trends      []groupTrend
	HeldChart   template.HTML
	TotalTrend  []peercircle.TrendPoint
	Formats     []string
	RTL         bool
	ShowFigures []string
}

type groupTrend struct {
	Hidden bool // fewer than k people: no attendance trend
	Name   string
	Points []peercircle.TrendPoint
	Chart  template.HTML
}

// Figure keys shown in the page's table, in order.
var sheet3Rows = []string{"sessions_planned", "sessions_held", "sessions_cancelled", "sessions_postponed", "sessions_not_recorded",
	"meetings_expected", "attendance_total", "attendance_average", "people", "attendance_members", "attendance_visitors",
	"attendance_guests", "summaries_accepted", "summaries_pending", "summaries_missing", "cases_discussed", "feedback_responses"}

// exportFormats are the formats of Sheet 3 and roll-ups.
var exportFormats = []string{"pdf", "csv", "xlsx", "dhis2"}

func (s *Server) sheet3Data(w http.ResponseWriter, r *http.Request, a peercircle.Action) (*sheet3Data, bool) {
	sc, ok := s.siteScope(w, r, a)
	if !ok {
		return nil, false
	}
	q, err := quarterParam(r)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	ctx := r.Context()
	site, err := s.Store.Site(ctx, sc.SiteID)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	live, err := s.Store.Sheet3(ctx, sc.SiteID, q)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	rep, err := s.Store.Report(ctx, sc.SiteID, q)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	d := &sheet3Data{Site: site, Scope: sc, Quarter: q, Prev: q.Prev(), Next: q.Next(), Sheet: live, Report: rep, Formats: exportFormats}
	if cur, err := s.Store.CurrentQuarter(ctx, site.ID); err == nil {
		d.HasNext = q.Before(cur)
	}
	if tree, err := s.Store.Tree(ctx); err == nil {
		for _, ar := range tree.Areas {
			if ar.ID == site.AreaID {
				d.Area = ar
			}
		}
	}
	switch {
	case rep.Frozen():
		d.Sheet = rep.Snapshot
		d.Changes, d.ChangesKey = peercircle.DiffSheets(rep.Snapshot, live), "report.changed_since_submitted"
		if len(d.Changes) == 0 && rep.Previous != nil {
			d.Changes, d.ChangesKey = peercircle.DiffSheets(rep.Previous, rep.Snapshot), "report.changed_since_previous"
		}
	case rep.Snapshot != nil: // returned: re-opened, live again
		d.Changes, d.ChangesKey = peercircle.DiffSheets(rep.Snapshot, live), "report.changed_since_submitted"
	}
	p := principal(r)
	d.CanSubmit = peercircle.Can(p, peercircle.ActSubmitReport, sc) && !live.Running &&
		(rep.State == peercircle.ReviewDraft || rep.State == peercircle.ReviewReturned)
	d.CanReview = peercircle.Can(p, peercircle.ActReviewReport, sc) && rep.State == peercircle.ReviewSubmitted
	if rows, err := s.Store.SiteReports(ctx, site.ID, q, q); err == nil && len(rows) == 1 {
		d.Due, d.Late = rows[0].Due, rows[0].Late
	}
	return d, true
}

// sheet3Show is the quarterly report of a site: figures per group and in
// total, charts with their tables, the review, print and export.
func (s *Server) sheet3Show(w http.ResponseWriter, r *http.Request) {
	d, ok := s.sheet3Data(w, r, peercircle.ActViewReport)
	if !ok {
		return
	}
	s.renderSheet3(w, r, d, http.StatusOK, nil)
}

func (s *Server) renderSheet3(w http.ResponseWriter, r *http.Request, d *sheet3Data, status int, formErr error) {
	p := s.page(r, "report.sheet3", d)
	d.RTL = p.Dir() == "rtl"
	d.ShowFigures = sheet3Rows
	trends, err := s.Store.GroupTrends(r.Context(), d.Site.ID, d.Quarter, 4)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	var total []peercircle.TrendPoint
	for _, g := range d.Sheet.Groups {
		pts := trends[g.GroupID]
		gt := groupTrend{Name: g.Name, Points: pts, Hidden: peercircle.Suppressed(g.Figures.People, d.Sheet.K)}
		if !gt.Hidden {
			gt.Chart = attendanceChart(p, pts, g.Name, d.RTL)
		}
		d.Trends = append(d.Trends, gt)
		for i, pt := range pts {
			if i >= len(total) {
				total = append(total, peercircle.TrendPoint{Quarter: pt.Quarter})
			}
			total[i].Held += pt.Held
			total[i].Expected += pt.Expected
			total[i].Planned += pt.Planned
			total[i].Attendance += pt.Attendance
		}
	}
	d.TotalTrend = total
	d.HeldChart = heldChart(p, total, d.Site.Name, d.RTL)
	if formErr != nil {
		s.formError(w, r, "sheet3", p, formErr)
		return
	}
	s.renderStatus(w, r, status, "sheet3", p)
}

// Fig shows a figure of Sheet 3 in the page's language, or "fewer than k"
// when it is about too few people.
func (p *Page) Fig(f *peercircle.Figures, key string, k int) string {
	v, ok := f.Value(key)
	if !ok {
		return "?"
	}
	if v.None {
		return peercircle.NoFigure
	}
	if v.Hidden(k) {
		return p.L.T("report.fewer_than", k)
	}
	if v.Decimal {
		return p.L.Decimal(v.N, 1)
	}
	return p.L.Number(int64(v.N))
}

// TrendAvg writes a quarter's peers per meeting, or NoFigure when no
// meeting was held.
func (p *Page) TrendAvg(pt peercircle.TrendPoint) string {
	if !pt.HasAverage() {
		return peercircle.NoFigure
	}
	return p.L.Decimal(pt.Average(), 1)
}

// TrendNum writes a count of a trend's quarter, or NoFigure for a quarter
// with nothing planned, expected or held (before the group existed).
func (p *Page) TrendNum(pt peercircle.TrendPoint, n int) string {
	if pt.Empty() {
		return peercircle.NoFigure
	}
	return p.Num(n)
}

// FewerThan reports whether a count about n people is hidden.
func (p *Page) FewerThan(n, k int) bool { return peercircle.Suppressed(n, k) }

// Qtr names a quarter for people ("Q1 2027", "الربع ١ من ٢٠٢٧").
func (p *Page) Qtr(q peercircle.Quarter) string {
	return p.L.T("report.quarter_name", q.N, p.digits(strconv.Itoa(q.Year)))
}

// AtSite writes an instant as a date and time at a site (in its zone).
func (p *Page) AtSite(t time.Time, site *peercircle.Site) string {
	return p.L.DateTime(t.In(site.Location()))
}

// Day writes a "YYYY-MM-DD" date in the page's language.
func (p *Page) Day(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return p.L.ShortDate(t)
}

// Days writes a list of dates in the page's language.
func (p *Page) Days(dates []string) string {
	out := make([]string, len(dates))
	for i, d := range dates {
		out[i] = p.Day(d)
	}
	return strings.Join(out, p.L.T("report.list_sep"))
}

// digits writes ASCII digits in the page's digits (Arabic-Indic in Arabic)
// without grouping, for years.
func (p *Page) digits(s string) string {
	if p.Lang() != "ar" {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '٠' + (r - '0')
		}
		return r
	}, s)
}

func (s *Server) sheet3Submit(w http.ResponseWriter, r *http.Request) {
	d, ok := s.sheet3Data(w, r, peercircle.ActSubmitReport)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	in := &peercircle.ReportSubmission{SiteID: d.Site.ID, Quarter: d.Quarter, ActorID: principal(r).PersonID,
		Comment: r.PostFormValue("comment"), NoMeetings: r.PostFormValue("no_meetings") == "yes",
		NoMeetingsReason: r.PostFormValue("no_meetings_reason"), Version: version}
	if _, err := s.Store.SubmitReport(r.Context(), in); err != nil {
		s.renderSheet3(w, r, d, 0, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/sites/%d/reports/%s", d.Site.ID, d.Quarter), "flash.report_submitted")
}

func (s *Server) sheet3Review(w http.ResponseWriter, r *http.Request) {
	d, ok := s.sheet3Data(w, r, peercircle.ActReviewReport)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	in := &peercircle.ReportReview{SiteID: d.Site.ID, Quarter: d.Quarter, ActorID: principal(r).PersonID,
		Accept: r.PostFormValue("decision") == "accept", Comment: r.PostFormValue("review_comment"), Version: version}
	if _, err := s.Store.ReviewReport(r.Context(), in); err != nil {
		s.renderSheet3(w, r, d, 0, err)
		return
	}
	flash := "flash.report_returned"
	if in.Accept {
		flash = "flash.report_accepted"
	}
	s.redirect(w, r, fmt.Sprintf("/sites/%d/reports/%s", d.Site.ID, d.Quarter), flash)
}

type siteReportsData struct {
	Site  *peercircle.Site
	Scope peercircle.Scope
	Rows  []peercircle.ReportRow
}

// siteReports lists a site's quarterly reports, newest first.
func (s *Server) siteReports(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActViewReport)
	if !ok {
		return
	}
	ctx := r.Context()
	site, err := s.Store.Site(ctx, sc.SiteID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	cur, err := s.Store.CurrentQuarter(ctx, site.ID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	from := cur
	for range 7 {
		from = from.Prev()
	}
	rows, err := s.Store.SiteReports(ctx, site.ID, from, cur)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "site_reports", s.page(r, "report.site_reports", siteReportsData{Site: site, Scope: sc, Rows: rows}))
}

// sheet3Export sends Sheet 3 as CSV, XLSX, PDF or DHIS2 JSON.
func (s *Server) sheet3Export(w http.ResponseWriter, r *http.Request) {
	d, ok := s.sheet3Data(w, r, peercircle.ActViewReport)
	if !ok {
		return
	}
	format := r.PathValue("format")
	p := s.page(r, "", nil)
	t := export.Labeler(p.L.T)
	name := fmt.Sprintf("sheet3-site%d-%s", d.Site.ID, d.Quarter)
	var write func(io.Writer) error
	switch format {
	case "csv":
		write = func(w io.Writer) error { return export.WriteCSV(w, export.Sheet3Tables(d.Sheet, d.Report, t)[0]) }
	case "xlsx":
		write = func(w io.Writer) error {
			return export.WriteXLSX(w, export.Sheet3Tables(d.Sheet, d.Report, t), p.Dir() == "rtl")
		}
	case "pdf":
		write = func(w io.Writer) error { return export.WriteSheet3PDF(w, d.Sheet, d.Report, p.L, d.Site.Location()) }
	case "dhis2":
		set, err := s.dhis2Set(r, d.Quarter, []export.SiteFigures{{SiteID: d.Site.ID, SiteName: d.Site.Name, Figures: &d.Sheet.Total}}, d.Sheet.K)
		if err != nil {
			s.dhis2Refused(w, r, err, fmt.Sprintf("/sites/%d/reports/%s", d.Site.ID, d.Quarter))
			return
		}
		write = func(w io.Writer) error { return export.WriteDHIS2(w, set) }
	default:
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	s.sendExport(w, r, name, format, write)
}

// dhis2Refused explains why a DHIS2 file cannot be made (no mapping, a
// site without an organisation unit…) on a page, not as a failed
// download: what is missing, a link to the settings for those who may
// change them, and the way back to the report.
func (s *Server) dhis2Refused(w http.ResponseWriter, r *http.Request, err error, back string) {
	if peercircle.ErrorCode(err) != peercircle.EINVALID {
		s.renderErr(w, r, err)
		return
	}
	d := map[string]string{"Body": peercircle.ErrorKey(err), "Back": back, "BackText": "report.back_to_report"}
	if peercircle.Can(principal(r), peercircle.ActAdmin, peercircle.Scope{}) {
		d["Link"], d["LinkText"] = "/admin/reports", "report.settings_link"
	}
	s.renderStatus(w, r, http.StatusUnprocessableEntity, "message", s.page(r, "report.dhis2_refused", d))
}

// dhis2Set maps sites' figures with the mapping from the settings.
func (s *Server) dhis2Set(r *http.Request, q peercircle.Quarter, sites []export.SiteFigures, k int) (*export.DataValueSet, error) {
	text, err := s.Store.Setting(r.Context(), peercircle.SettingDHIS2, "")
	if err != nil {
		return nil, err
	}
	m, err := export.ParseDHIS2Mapping(text)
	if err != nil {
		return nil, err
	}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		return nil, err
	}
	return export.BuildDataValueSet(m, sites, q, tree.Organisation.QuarterStartMonth, k)
}

var exportTypes = map[string]string{
	"csv":   "text/csv; charset=utf-8",
	"xlsx":  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pdf":   "application/pdf",
	"dhis2": "application/json",
}

// sendExport writes the export to a temporary file first and then sends
// it with its length: a failure while writing gives an error page instead
// of half a file, and a download cut short is seen as incomplete.
func (s *Server) sendExport(w http.ResponseWriter, r *http.Request, name, format string, write func(io.Writer) error) {
	f, size, cleanup, err := export.Spool(write)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	defer cleanup()
	ext := format
	if format == "dhis2" {
		ext = "json"
	}
	h := w.Header()
	h.Set("Content-Type", exportTypes[format])
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, ext))
	s.Log.Info("export", "route", r.Pattern, "format", format, "bytes", size)
	if _, err := io.Copy(w, f); err != nil {
		s.Log.Warn("export cut short", "route", r.Pattern, "err", err)
	}
}

// reportsHub lists the dashboards and site reports a person may open.
func (s *Server) reportsHub(w http.ResponseWriter, r *http.Request) {
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	p := principal(r)
	d := hubData{Tree: tree, Org: peercircle.Can(p, peercircle.ActViewReport, peercircle.Scope{})}
	for _, rg := range tree.Regions {
		if peercircle.Can(p, peercircle.ActViewRegion, peercircle.Scope{RegionID: rg.ID}) {
			d.Regions = append(d.Regions, rg)
		}
	}
	for _, a := range tree.Areas {
		if peercircle.Can(p, peercircle.ActViewArea, peercircle.Scope{RegionID: a.RegionID, AreaID: a.ID}) {
			d.Areas = append(d.Areas, a)
		}
	}
	for _, st := range tree.Sites {
		if sc, ok := tree.SiteScope(st.ID); ok && peercircle.Can(p, peercircle.ActSubmitReport, sc) {
			d.Sites = append(d.Sites, st)
		}
	}
	s.render(w, r, "reports", s.page(r, "report.hub", d))
}

type hubData struct {
	Tree    *peercircle.Tree
	Org     bool
	Regions []peercircle.Region
	Areas   []peercircle.Area
	Sites   []peercircle.Site
}

// reportSettingsData is the admin's page of report settings.
type reportSettingsData struct {
	K, Due, Nudge string
	Mapping       string
	Figures       []string
	Tree          *peercircle.Tree
	MapError      string // the mapping's problem in English, naming the culprit
}

func (s *Server) reportSettingsPage(r *http.Request, mapErr string) (*Page, error) {
	ctx := r.Context()
	d := reportSettingsData{Figures: peercircle.FigureKeys, MapError: mapErr}
	var err error
	for _, x := range []struct {
		dst      *string
		key, def string
	}{
		{&d.K, peercircle.SettingK, strconv.Itoa(peercircle.DefaultK)},
		{&d.Due, peercircle.SettingDue, strconv.Itoa(peercircle.DefaultDueDays)},
		{&d.Nudge, peercircle.SettingNudgeDays, strconv.Itoa(peercircle.DefaultNudgeDays)},
		{&d.Mapping, peercircle.SettingDHIS2, ""},
	} {
		if *x.dst, err = s.Store.Setting(ctx, x.key, x.def); err != nil {
			return nil, err
		}
	}
	if d.Tree, err = s.Store.Tree(ctx); err != nil {
		return nil, err
	}
	return s.page(r, "report.settings", d), nil
}

func (s *Server) reportSettingsShow(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	p, err := s.reportSettingsPage(r, "")
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "report_settings", p)
}

// reportSettingsSave checks every value before saving any of them.
func (s *Server) reportSettingsSave(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	f := peercircle.FieldErrors{}
	num := func(field string, lo, hi int) string {
		v := strings.TrimSpace(peercircleDigits(r.PostFormValue(field)))
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			f.Add(field, "error.range")
		}
		return v
	}
	k := num("k", peercircle.MinimumK, 100)
	due := num("due", 0, 120)
	nudge := num("nudge", 0, 60)
	mapping := strings.TrimSpace(r.PostFormValue("mapping"))
	var mapErr error
	if mapping != "" {
		_, mapErr = export.ParseDHIS2Mapping(mapping)
		if mapErr != nil {
			f.Add("mapping", peercircle.ErrorKey(mapErr))
		}
	}
	if err := f.Err(); err != nil {
		detail := ""
		if mapErr != nil {
			detail = mapErr.Error()
		}
		p, perr := s.reportSettingsPage(r, detail)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "report_settings", p, err)
		return
	}
	ctx := r.Context()
	for key, v := range map[string]string{peercircle.SettingK: k, peercircle.SettingDue: due, peercircle.SettingNudgeDays: nudge, peercircle.SettingDHIS2: mapping} {
		if err := s.Store.SetSetting(ctx, key, v); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	_ = s.Store.Audit(ctx, &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "report.settings", TargetKind: "settings"})
	s.redirect(w, r, "/admin/reports", "flash.saved")
}

// today is the server's date, for the "as of" line of pages.
func (s *Server) today(loc *time.Location) string { return s.now().In(loc).Format(time.DateOnly) }
