package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

// buddyView is a pairing as one of its two people sees it on their home.
type buddyView struct {
	With     string
	Newcomer bool // the reader is the newcomer
	Ends     time.Time
}

// myBuddies lists the person's running pairings.
func (s *Server) myBuddies(ctx context.Context, personID int64) ([]buddyView, error) {
	list, err := s.Store.PairingsOf(ctx, personID)
	if err != nil {
		return nil, err
	}
	today := s.now().Format(peercircle.DateLayout)
	var out []buddyView
	for _, b := range list {
		if !b.Active(today) {
			continue
		}
		v := buddyView{Newcomer: b.NewcomerID == personID}
		other := b.NewcomerID
		if v.Newcomer {
			other = b.BuddyID
		}
		v.With = s.personName(ctx, other)
		v.Ends, _ = parseDay(b.EndsOn)
		out = append(out, v)
	}
	return out, nil
}

// pairingRow is a pairing in the site's list.
type pairingRow struct {
	*peercircle.BuddyPairing
	Newcomer, Buddy string
	Starts, Ends    time.Time
	Running         bool
}

type buddiesData struct {
	Site     *peercircle.Site
	People   []*peercircle.Person
	Picker   []pickSite
	Pairings []pairingRow
}

func (s *Server) buddiesPage(w http.ResponseWriter, r *http.Request, sc peercircle.Scope) (*Page, bool) {
	ctx := r.Context()
	site, err := s.Store.Site(ctx, sc.SiteID)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	d := &buddiesData{Site: site}
	if d.People, err = s.Store.PeopleAtSites(ctx, []int64{sc.SiteID}); err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	if d.Picker, err = s.picker(ctx, d.People); err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	list, err := s.Store.PairingsAt(ctx, sc.SiteID)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	names := map[int64]string{}
	for _, p := range d.People {
		names[p.ID] = p.Name()
	}
	name := func(id int64) string {
		if n, ok := names[id]; ok {
			return n
		}
		names[id] = s.personName(ctx, id)
		return names[id]
	}
	today := s.now().Format(peercircle.DateLayout)
	for _, b := range list {
		row := pairingRow{BuddyPairing: b, Newcomer: name(b.NewcomerID), Buddy: name(b.BuddyID), Running: b.Active(today) || (b.EndedAt == nil && b.StartsOn > today)}
		row.Starts, _ = parseDay(b.StartsOn)
		row.Ends, _ = parseDay(b.EndsOn)
		d.Pairings = append(d.Pairings, row)
	}
	return s.page(r, "growth.buddies_title", d), true
}

// siteBuddies lists a site's buddy pairings with the form to add one.
func (s *Server) siteBuddies(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	page, ok := s.buddiesPage(w, r, sc)
	if !ok {
		return
	}
	now := s.now()
	page.Form = map[string][]string{"starts_on": {now.Format(peercircle.DateLayout)}, "ends_on": {now.AddDate(0, 3, 0).Format(peercircle.DateLayout)}}
	s.render(w, r, "buddies", page)
}

// siteBuddyCreate pairs a newcomer with an experienced peer of the site.
func (s *Server) siteBuddyCreate(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	newcomer, _ := strconv.ParseInt(r.PostFormValue("newcomer"), 10, 64)
	buddy, _ := strconv.ParseInt(r.PostFormValue("buddy"), 10, 64)
	b := &peercircle.BuddyPairing{SiteID: sc.SiteID, NewcomerID: newcomer, BuddyID: buddy, StartsOn: r.PostFormValue("starts_on"),
		EndsOn: r.PostFormValue("ends_on"), CreatedBy: principal(r).PersonID}
	if err := s.Store.CreatePairing(r.Context(), b); err != nil {
		if page, ok := s.buddiesPage(w, r, sc); ok {
			s.formError(w, r, "buddies", page, err)
		}
		return
	}
	s.redirect(w, r, "/sites/"+id64(sc.SiteID)+"/buddies", "flash.growth.paired")
}

// siteBuddyEnd ends a pairing before the end of its induction period.
func (s *Server) siteBuddyEnd(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.siteScope(w, r, peercircle.ActManageSite)
	if !ok {
		return
	}
	id, ok := pathID(r, "buddy")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if err := s.Store.EndPairing(r.Context(), id, sc.SiteID, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/sites/"+id64(sc.SiteID)+"/buddies", "flash.growth.pairing_ended")
}
