package web

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/peercircle/peercircle"
)

// growthRoutes are growing people: a person's own GROW worksheets and
// competency self-assessments, and the supervision of peer supporters.
// "My growth" (GET /growth) is their door; the home page links to it.
func (s *Server) growthRoutes() {
	s.handle("GET /growth", s.growth)

	s.handle("GET /growth/worksheets/new", s.worksheetNew)
	s.handle("POST /growth/worksheets", s.worksheetCreate)
	s.handle("GET /growth/worksheets/{worksheet}", s.worksheetShow)
	s.handle("GET /growth/worksheets/{worksheet}/edit", s.worksheetEdit)
	s.handle("POST /growth/worksheets/{worksheet}", s.worksheetUpdate)
	s.handle("POST /growth/worksheets/{worksheet}/share", s.worksheetShare)
	s.handle("POST /growth/worksheets/{worksheet}/delete", s.worksheetDelete)

	s.handle("GET /growth/supervision/new", s.supervisionNew)
	s.handle("POST /growth/supervision", s.supervisionCreate)
	s.handle("GET /growth/supervision/{supervision}", s.supervisionShow)

	s.handle("GET /growth/competencies", s.competenciesMine)
	s.handle("POST /growth/competencies", s.competenciesAssess)
	s.handle("GET /growth/people/{person}/competencies", s.competenciesOf)
	s.handle("POST /growth/assessments/{assessment}/review", s.assessmentReview)

	s.handle("GET /sites/{site}/buddies", s.siteBuddies)
	s.handle("POST /sites/{site}/buddies", s.siteBuddyCreate)
	s.handle("POST /sites/{site}/buddies/{buddy}/end", s.siteBuddyEnd)

	s.handle("GET /growth/training", s.training)
	s.handle("POST /growth/training", s.trainingCreate)
	s.handle("GET /growth/training/{course}", s.courseShow)
	s.handle("POST /growth/training/{course}/completions", s.courseComplete)
}

// supervisionRow is a supervision session in a list, with the other
// person's name and the day it was held.
type supervisionRow struct {
	*peercircle.SupervisionSession
	With string // the supervisee for the supervisor, the supervisor for the supervisee
	Day  time.Time
	Mine bool // the reader was the supervisor
}

// personName returns a person's name as people know it, or "".
func (s *Server) personName(ctx context.Context, id int64) string {
	if id == 0 {
		return ""
	}
	p, err := s.Store.Person(ctx, id)
	if err != nil {
		return ""
	}
	return p.Name()
}

func (s *Server) supervisionRows(ctx context.Context, me int64, list []*peercircle.SupervisionSession) []supervisionRow {
	var out []supervisionRow
	names := map[int64]string{}
	for _, v := range list {
		row := supervisionRow{SupervisionSession: v, Mine: v.SupervisorID == me}
		other := v.SupervisorID
		if row.Mine {
			other = v.SuperviseeID
		}
		if _, ok := names[other]; !ok {
			names[other] = s.personName(ctx, other)
		}
		row.With = names[other]
		row.Day, _ = time.Parse(peercircle.DateLayout, v.HeldOn)
		out = append(out, row)
	}
	return out
}

// supervisee is a person a supervisor supervises: they recorded a session
// with them, or the person shared a worksheet with them.
type supervisee struct {
	ID   int64
	Name string
	Last time.Time // the last session, zero if none
}

// growthData is "My growth".
type growthData struct {
	Worksheets   []*peercircle.GrowWorksheet
	SharedWithMe []sharedRow
	Mine         []supervisionRow // sessions where the person was supervised
	Supervises   bool             // the person may record supervision
	Supervisees  []supervisee
	Recent       []supervisionRow // sessions the person led
	Buddies      []buddyView      // the person's running buddy pairings
	// BuddySites are the sites whose pairings the person makes (organiser);
	// Trains says they run training courses.
	BuddySites []peercircle.Site
	Trains     bool
}

// sharedRow is a worksheet shared with the reader, with its owner's name.
type sharedRow struct {
	*peercircle.GrowWorksheet
	Owner string
}

// supervisionSites are the sites where p may record supervision.
func (s *Server) supervisionSites(ctx context.Context, p *peercircle.Principal) ([]int64, error) {
	if !p.HasRole(peercircle.RoleSupervisor) {
		return nil, nil
	}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, st := range tree.Sites {
		sc, ok := tree.SiteScope(st.ID)
		if !ok {
			continue
		}
		sc.PersonID = -1 // anyone but p: the question is the site
		if peercircle.Can(p, peercircle.ActRecordSupervision, sc) {
			ids = append(ids, st.ID)
		}
	}
	return ids, nil
}

// fillSupervisor adds the people p supervises and the sessions p led.
func (s *Server) fillSupervisor(ctx context.Context, p *peercircle.Principal, d *growthData, all []*peercircle.SupervisionSession, recent int) error {
	sites, err := s.supervisionSites(ctx, p)
	if err != nil || len(sites) == 0 {
		return err
	}
	d.Supervises = true
	seen := map[int64]int{}
	var led []*peercircle.SupervisionSession
	for _, v := range all {
		if v.SupervisorID != p.PersonID {
			continue
		}
		led = append(led, v)
		if _, ok := seen[v.SuperviseeID]; !ok {
			day, _ := time.Parse(peercircle.DateLayout, v.HeldOn)
			seen[v.SuperviseeID] = len(d.Supervisees)
			d.Supervisees = append(d.Supervisees, supervisee{ID: v.SuperviseeID, Name: s.personName(ctx, v.SuperviseeID), Last: day})
		}
	}
	shared, err := s.Store.WorksheetsSharedWith(ctx, p.PersonID)
	if err != nil {
		return err
	}
	for _, w := range shared {
		if _, ok := seen[w.OwnerID]; !ok {
			seen[w.OwnerID] = len(d.Supervisees)
			d.Supervisees = append(d.Supervisees, supervisee{ID: w.OwnerID, Name: s.personName(ctx, w.OwnerID)})
		}
	}
	slices.SortStableFunc(d.Supervisees, func(a, b supervisee) int {
		if a.Name < b.Name {
			return -1
		} else if a.Name > b.Name {
			return 1
		}
		return 0
	})
	if len(led) > recent {
		led = led[:recent]
	}
	d.Recent = s.supervisionRows(ctx, p.PersonID, led)
	return nil
}

// growth is "My growth": the person's worksheets, their supervision, their
// competencies and, for a supervisor, the people they supervise.
func (s *Server) growth(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	d := &growthData{}
	var err error
	if d.Worksheets, err = s.Store.WorksheetsOf(ctx, p.PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	shared, err := s.Store.WorksheetsSharedWith(ctx, p.PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	for _, ws := range shared {
		d.SharedWithMe = append(d.SharedWithMe, sharedRow{GrowWorksheet: ws, Owner: s.personName(ctx, ws.OwnerID)})
	}
	all, err := s.Store.SupervisionsOf(ctx, p.PersonID, 200)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	var mine []*peercircle.SupervisionSession
	for _, v := range all {
		if v.SuperviseeID == p.PersonID {
			mine = append(mine, v)
		}
	}
	d.Mine = s.supervisionRows(ctx, p.PersonID, mine)
	if err := s.fillSupervisor(ctx, p, d, all, 10); err != nil {
		s.renderErr(w, r, err)
		return
	}
	if d.Buddies, err = s.myBuddies(ctx, p.PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	if p.HasRole(peercircle.RoleOrganiser) {
		tree, err := s.Store.Tree(ctx)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.BuddySites = sitesOrganised(p, tree)
	}
	d.Trains = p.HasRole(peercircle.RoleTrainer)
	s.render(w, r, "growth", s.page(r, "growth.title", d))
}

// homeGrowth is the home page's small "My growth" section: for a
// supervisor, the people they supervise and their latest sessions. It
// never fails the home page: an error leaves the section with the link only.
func (s *Server) homeGrowth(r *http.Request, p *peercircle.Principal) *growthData {
	d := &growthData{}
	ctx := r.Context()
	var err error
	d.Buddies, err = s.myBuddies(ctx, p.PersonID)
	if err == nil && p.HasRole(peercircle.RoleSupervisor) {
		var all []*peercircle.SupervisionSession
		if all, err = s.Store.SupervisionsOf(ctx, p.PersonID, 50); err == nil {
			err = s.fillSupervisor(ctx, p, d, all, 3)
		}
	}
	if err != nil {
		s.Log.Error("home growth", "route", r.Pattern, "err", err)
		return &growthData{}
	}
	return d
}

// parseDay reads a date as <input type="date"> writes it.
func parseDay(s string) (time.Time, error) { return time.Parse(peercircle.DateLayout, s) }
