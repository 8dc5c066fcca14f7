package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
)

type venuesData struct {
	Site   *peercircle.Site
	Scope  peercircle.Scope
	Venues []*peercircle.Venue
	EditID int64 // the venue whose form came back with errors
}

func (s *Server) venuesPage(r *http.Request, sc peercircle.Scope) (*Page, error) {
	site, err := s.Store.Site(r.Context(), sc.SiteID)
	if err != nil {
		return nil, err
	}
	vs, err := s.Store.VenuesAtSite(r.Context(), site.ID)
	if err != nil {
		return nil, err
	}
	return s.page(r, "venue.title", &venuesData{Site: site, Scope: sc, Venues: vs}), nil
}

// venues lists a site's venues with the guidance's checklist.
func (s *Server) venues(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	p, err := s.venuesPage(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "venues", p)
}

// venueSave adds a venue, or updates the {venue} in the path.
func (s *Server) venueSave(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	v := &peercircle.Venue{SiteID: sc.SiteID}
	if r.PathValue("venue") != "" {
		id, ok := pathID(r, "venue")
		if !ok {
			s.renderError(w, r, http.StatusNotFound)
			return
		}
		v.ID = id
	}
	v.Name = r.PostFormValue("name")
	v.Virtual = r.PostFormValue("virtual") != ""
	v.Address = strings.TrimSpace(r.PostFormValue("address"))
	v.MeetingLink = r.PostFormValue("meeting_link")
	v.Capacity, _ = strconv.Atoi(peercircleDigits(strings.TrimSpace(r.PostFormValue("capacity"))))
	v.Accessible = r.PostFormValue("accessible") != ""
	v.QuietPrivate = r.PostFormValue("quiet_private") != ""
	v.Toilets = r.PostFormValue("toilets") != ""
	v.Refreshments = r.PostFormValue("refreshments") != ""
	v.Cost = strings.TrimSpace(r.PostFormValue("cost"))
	v.Notes = strings.TrimSpace(r.PostFormValue("notes"))
	v.SetPosition(peercircleDigits(r.PostFormValue("position")))
	if err := s.Store.SaveVenue(r.Context(), v); err != nil {
		p, perr := s.venuesPage(r, sc)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		p.Data.(*venuesData).EditID = v.ID
		s.formError(w, r, "venues", p, err)
		return
	}
	s.redirect(w, r, "/sites/"+strconv.FormatInt(sc.SiteID, 10)+"/venues", "flash.saved")
}

type agendasData struct {
	Site      *peercircle.Site
	Scope     peercircle.Scope
	Templates []*peercircle.AgendaTemplate
	Kinds     []string
	Rows      []int
}

func (s *Server) agendasPage(r *http.Request, sc peercircle.Scope) (*Page, error) {
	site, err := s.Store.Site(r.Context(), sc.SiteID)
	if err != nil {
		return nil, err
	}
	ts, err := s.Store.Templates(r.Context(), site.ID)
	if err != nil {
		return nil, err
	}
	return s.page(r, "agendas.title", &agendasData{Site: site, Scope: sc, Templates: ts, Kinds: peercircle.SegmentKinds, Rows: []int{0, 1, 2, 3, 4, 5, 6, 7}}), nil
}

// agendas lists the agenda templates a site's groups can use: the two that
// ship with PeerCircle and the site's own.
func (s *Server) agendas(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	p, err := s.agendasPage(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "agendas", p)
}

// agendaSave adds a site template or replaces the {template} in the path.
// Rows with neither a name nor minutes are ignored.
func (s *Server) agendaSave(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	t := &peercircle.AgendaTemplate{SiteID: sc.SiteID, Name: r.PostFormValue("name")}
	if r.PathValue("template") != "" {
		id, ok := pathID(r, "template")
		if !ok {
			s.renderError(w, r, http.StatusNotFound)
			return
		}
		t.ID = id
	}
	kinds, names, minutes := r.PostForm["seg_kind"], r.PostForm["seg_name"], r.PostForm["seg_minutes"]
	for i := range names {
		name := strings.TrimSpace(names[i])
		mins := ""
		if i < len(minutes) {
			mins = strings.TrimSpace(peercircleDigits(minutes[i]))
		}
		if name == "" && mins == "" {
			continue
		}
		seg := peercircle.AgendaSegment{Kind: peercircle.SegmentOther, Name: name}
		if i < len(kinds) {
			seg.Kind = kinds[i]
		}
		seg.Minutes, _ = strconv.Atoi(mins)
		t.Segments = append(t.Segments, seg)
	}
	if err := s.Store.SaveTemplate(r.Context(), t); err != nil {
		p, perr := s.agendasPage(r, sc)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "agendas", p, err)
		return
	}
	s.redirect(w, r, "/sites/"+strconv.FormatInt(sc.SiteID, 10)+"/agendas", "flash.saved")
}

// SegmentName names an agenda segment in the page's language.
func (p *Page) SegmentName(seg peercircle.AgendaSegment) string {
	if seg.NameKey != "" && p.L.Has(seg.NameKey) {
		return p.L.T(seg.NameKey)
	}
	return seg.Name
}

// TemplateName names an agenda template in the page's language.
func (p *Page) TemplateName(t *peercircle.AgendaTemplate) string {
	if t.NameKey != "" && p.L.Has(t.NameKey) {
		return p.L.T(t.NameKey)
	}
	return t.Name
}

// DayOf formats the date of a record (a version, a consent) compactly.
func (p *Page) DayOf(t time.Time) string { return p.L.ShortDate(t) }
