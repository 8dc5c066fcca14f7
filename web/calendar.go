package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/ical"
)

// feedURL is the secret calendar link for a token.
func (s *Server) feedURL(token string) string {
	return s.absURL("/calendar/" + token + ".ics")
}

// Webcal is a calendar link as a webcal: link, which phones and desktop
// calendar apps open as "subscribe" (the same address, over HTTPS or
// HTTP as the link itself).
func (p *Page) Webcal(link string) template.URL {
	for _, scheme := range []string{"https://", "http://"} {
		if strings.HasPrefix(link, scheme) {
			return template.URL("webcal://" + strings.TrimPrefix(link, scheme))
		}
	}
	return ""
}

type calendarData struct {
	Mine   string
	Groups []calendarGroup
	// Sites are the calendars of the sites the person organises: every
	// group's meetings in one feed.
	Sites []calendarSite
}

type calendarSite struct {
	Site *peercircle.Site
	URL  string
}

type calendarGroup struct {
	Group *peercircle.Group
	URL   string
}

// calendarLinks shows the person's secret calendar links: all their
// groups in one, and one per group, each renewable.
func (s *Server) calendarLinks(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	f, err := s.Store.CalendarFeed(ctx, p.PersonID, 0)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := &calendarData{Mine: s.feedURL(f.Token)}
	groups, err := s.Store.GroupsOf(ctx, p.PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	for _, g := range groups {
		gf, err := s.Store.CalendarFeed(ctx, p.PersonID, g.ID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.Groups = append(d.Groups, calendarGroup{Group: g, URL: s.feedURL(gf.Token)})
	}
	for _, g := range p.Grants {
		if g.Role != peercircle.RoleOrganiser || g.ScopeKind != peercircle.ScopeSite {
			continue
		}
		site, err := s.Store.Site(ctx, g.ScopeID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		sf, err := s.Store.SiteCalendarFeed(ctx, p.PersonID, site.ID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.Sites = append(d.Sites, calendarSite{Site: site, URL: s.feedURL(sf.Token)})
	}
	s.render(w, r, "calendar", s.page(r, "calendar.title", d))
}

// calendarRenew replaces one of the person's links; the old one stops.
func (s *Server) calendarRenew(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	groupID := formID(r, "group")
	if siteID := formID(r, "site"); siteID != 0 {
		sc, err := s.Store.SiteScope(r.Context(), siteID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		if !s.allow(w, r, peercircle.ActManageSite, sc) {
			return
		}
		if _, err := s.Store.RenewSiteCalendarFeed(r.Context(), p.PersonID, siteID); err != nil {
			s.renderErr(w, r, err)
			return
		}
		s.redirect(w, r, "/calendar", "flash.calendar_renewed")
		return
	}
	if groupID != 0 {
		sc, err := s.Store.GroupScope(r.Context(), groupID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		if !s.allow(w, r, peercircle.ActParticipate, sc) {
			return
		}
	}
	if _, err := s.Store.RenewCalendarFeed(r.Context(), p.PersonID, groupID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/calendar", "flash.calendar_renewed")
}

// calendarFeed serves an iCalendar feed at a secret link. The link is the
// only key, so the answer for an unknown link is a plain 404, and for a
// renewed link a 410 with a message saying to copy the new link.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	token := strings.TrimSuffix(r.PathValue("token"), ".ics")
	L := s.loc(r)
	f, err := s.Store.FeedByToken(ctx, token)
	if err != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if peercircle.ErrorKey(err) == "feed.renewed" {
			w.WriteHeader(http.StatusGone)
			w.Write([]byte(L.T("feed.renewed") + "\n"))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(L.T("feed.unknown") + "\n"))
		return
	}
	person, err := s.Store.Person(ctx, f.PersonID)
	if err != nil || person.Status == peercircle.PersonDisabled {
		http.NotFound(w, r)
		return
	}
	if person.Lang != "" {
		L = s.I18n.Localizer(person.Lang)
	}
	var groups []*peercircle.Group
	if f.SiteID != 0 {
		// Only while the person still runs the site.
		p, err := s.Store.Principal(ctx, f.PersonID)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		sc, err := s.Store.SiteScope(ctx, f.SiteID)
		if err != nil || !peercircle.Can(p, peercircle.ActManageSite, sc) {
			http.NotFound(w, r)
			return
		}
		all, err := s.Store.GroupsAtSite(ctx, f.SiteID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		for _, g := range all {
			if g.Status != peercircle.GroupEnded {
				groups = append(groups, g)
			}
		}
	} else if f.GroupID != 0 {
		m, err := s.Store.Membership(ctx, f.GroupID, f.PersonID)
		if err != nil || !m.Current() {
			http.NotFound(w, r)
			return
		}
		g, err := s.Store.Group(ctx, f.GroupID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		groups = []*peercircle.Group{g}
	} else if groups, err = s.Store.GroupsOf(ctx, f.PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	cal, err := s.buildFeed(r, L, f, groups)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := cal.Encode(&buf); err != nil {
		s.renderErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=900")
	writeTagged(w, r, buf.Bytes())
}

// buildFeed lists the groups' meetings from a month ago to the planning
// horizon. Events carry the group's name, the place and the status; never
// who else comes or what is discussed.
func (s *Server) buildFeed(r *http.Request, L *i18n.Localizer, f *peercircle.CalendarFeed, groups []*peercircle.Group) (*ical.Calendar, error) {
	ctx := r.Context()
	cal := &ical.Calendar{Name: L.T("app.name"), Refresh: 6 * time.Hour}
	if f.GroupID != 0 && len(groups) == 1 {
		cal.Name = L.T("app.name") + ": " + groups[0].Name
	}
	byID := map[int64]*peercircle.Group{}
	var ids []int64
	for _, g := range groups {
		byID[g.ID] = g
		ids = append(ids, g.ID)
	}
	if len(ids) == 0 {
		return cal, nil
	}
	now := s.now()
	sessions, err := s.Store.Sessions(ctx, peercircle.SessionFilter{GroupIDs: ids, From: now.AddDate(0, -1, 0), To: now.Add(s.horizon(r) + 7*24*time.Hour)})
	if err != nil {
		return nil, err
	}
	venues := map[int64]*peercircle.Venue{}
	base := strings.TrimSuffix(s.feedURL(""), "/calendar/.ics")
	digests := make(map[int64]string, len(sessions))
	for _, m := range sessions {
		g := byID[m.GroupID]
		e := ical.Event{UID: "session-" + strconv.FormatInt(m.ID, 10) + "@peercircle", Sequence: m.Sequence, Stamp: m.UpdatedAt,
			Start: m.PlannedStart, End: m.PlannedEnd, Summary: g.Name, URL: base + groupPath(g.ID, "")}
		if m.FacilitatorID == f.PersonID {
			e.Summary = L.T("feed.you_facilitate", g.Name)
		}
		switch m.Status {
		case peercircle.SessionCancelled, peercircle.SessionPostponed:
			e.Status = ical.StatusCancelled
			e.Description = L.T("meeting." + m.Status)
		}
		if m.VenueID != 0 {
			if venues[m.VenueID] == nil {
				venues[m.VenueID], _ = s.Store.Venue(ctx, m.VenueID)
			}
			if v := venues[m.VenueID]; v != nil {
				e.Location = v.Name
				if v.Virtual {
					e.Location = v.MeetingLink
				} else if v.Address != "" {
					e.Location += ", " + v.Address
				}
			}
		}
		digests[m.ID] = e.Digest()
		cal.Events = append(cal.Events, e)
	}
	// Any change a phone must pick up grows the SEQUENCE, also those that
	// do not touch the meeting (the group renamed, its room moved, the
	// reader's language): the feed remembers what it served.
	versions, err := s.Store.EventVersions(ctx, f.ID, digests)
	if err != nil {
		return nil, err
	}
	for i, m := range sessions {
		v := versions[m.ID]
		cal.Events[i].Sequence += v.Bumps
		if v.ChangedAt.After(cal.Events[i].Stamp) {
			cal.Events[i].Stamp = v.ChangedAt
		}
	}
	return cal, nil
}
