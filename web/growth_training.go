package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

// trainingSites are the sites where p may run courses.
func (s *Server) trainingSites(r *http.Request, p *peercircle.Principal) ([]peercircle.Site, error) {
	if !p.HasRole(peercircle.RoleTrainer) {
		return nil, nil
	}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		return nil, err
	}
	var out []peercircle.Site
	for _, st := range tree.Sites {
		if sc, ok := tree.SiteScope(st.ID); ok && peercircle.Can(p, peercircle.ActTrain, sc) {
			out = append(out, st)
		}
	}
	return out, nil
}

type courseRow struct {
	*peercircle.TrainingCourse
	Site   string
	Starts time.Time
}

type trainingData struct {
	Sites   []peercircle.Site
	Courses []courseRow
}

func (s *Server) trainingPage(w http.ResponseWriter, r *http.Request) (*Page, bool) {
	sites, err := s.trainingSites(r, principal(r))
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	if len(sites) == 0 {
		s.renderError(w, r, http.StatusForbidden)
		return nil, false
	}
	d := &trainingData{Sites: sites}
	ids := make([]int64, len(sites))
	names := map[int64]string{}
	for i, st := range sites {
		ids[i], names[st.ID] = st.ID, st.Name
	}
	courses, err := s.Store.CoursesAt(r.Context(), ids)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	for _, c := range courses {
		row := courseRow{TrainingCourse: c, Site: names[c.SiteID]}
		row.Starts, _ = parseDay(c.StartsOn)
		d.Courses = append(d.Courses, row)
	}
	return s.page(r, "growth.training_title", d), true
}

// training lists a trainer's courses with the form to add one.
func (s *Server) training(w http.ResponseWriter, r *http.Request) {
	if page, ok := s.trainingPage(w, r); ok {
		s.render(w, r, "training", page)
	}
}

// trainingCreate records a course at a site in the trainer's scope.
func (s *Server) trainingCreate(w http.ResponseWriter, r *http.Request) {
	site, _ := strconv.ParseInt(r.PostFormValue("site"), 10, 64)
	c := &peercircle.TrainingCourse{SiteID: site, TrainerID: principal(r).PersonID, Name: r.PostFormValue("name"),
		StartsOn: r.PostFormValue("starts_on"), Modules: r.PostFormValue("modules")}
	var err error
	if site != 0 {
		sc, serr := s.Store.SiteScope(r.Context(), site)
		if serr != nil {
			s.renderErr(w, r, serr)
			return
		}
		if !s.allow(w, r, peercircle.ActTrain, sc) {
			return
		}
	}
	if err = s.Store.CreateCourse(r.Context(), c); err != nil {
		if page, ok := s.trainingPage(w, r); ok {
			s.formError(w, r, "training", page, err)
		}
		return
	}
	s.redirect(w, r, "/growth/training/"+id64(c.ID), "flash.growth.course_saved")
}

type completionRow struct {
	*peercircle.TrainingRecord
	Name string
	Day  time.Time
}

type courseData struct {
	courseRow
	People      []*peercircle.Person
	Picker      []pickSite
	Completions []completionRow
}

// courseScope loads the {course} in the path and checks ActTrain at its site.
func (s *Server) courseScope(w http.ResponseWriter, r *http.Request) (*peercircle.TrainingCourse, bool) {
	id, ok := pathID(r, "course")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	c, err := s.Store.Course(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	sc, err := s.Store.SiteScope(r.Context(), c.SiteID)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	return c, s.allow(w, r, peercircle.ActTrain, sc)
}

func (s *Server) coursePage(w http.ResponseWriter, r *http.Request, c *peercircle.TrainingCourse) (*Page, bool) {
	ctx := r.Context()
	d := &courseData{courseRow: courseRow{TrainingCourse: c}}
	d.Starts, _ = parseDay(c.StartsOn)
	if site, err := s.Store.Site(ctx, c.SiteID); err == nil {
		d.Site = site.Name
	}
	var err error
	if d.People, err = s.Store.PeopleAtSites(ctx, []int64{c.SiteID}); err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	if d.Picker, err = s.picker(ctx, d.People); err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	recs, err := s.Store.Completions(ctx, c.ID)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	for _, rec := range recs {
		row := completionRow{TrainingRecord: rec, Name: s.personName(ctx, rec.PersonID)}
		row.Day, _ = parseDay(rec.CompletedOn)
		d.Completions = append(d.Completions, row)
	}
	return s.page(r, "growth.course_title", d), true
}

// courseShow is a course with who completed it.
func (s *Server) courseShow(w http.ResponseWriter, r *http.Request) {
	c, ok := s.courseScope(w, r)
	if !ok {
		return
	}
	if page, ok := s.coursePage(w, r, c); ok {
		page.Form = map[string][]string{"completed_on": {s.now().Format(peercircle.DateLayout)}}
		s.render(w, r, "course", page)
	}
}

// courseComplete records that someone at the course's site completed it.
func (s *Server) courseComplete(w http.ResponseWriter, r *http.Request) {
	c, ok := s.courseScope(w, r)
	if !ok {
		return
	}
	who, _ := strconv.ParseInt(r.PostFormValue("person"), 10, 64)
	rec := &peercircle.TrainingRecord{CourseID: c.ID, PersonID: who, CompletedOn: r.PostFormValue("completed_on")}
	if err := s.Store.RecordCompletion(r.Context(), rec, principal(r).PersonID); err != nil {
		if page, ok := s.coursePage(w, r, c); ok {
			s.formError(w, r, "course", page, err)
		}
		return
	}
	s.redirect(w, r, "/growth/training/"+id64(c.ID), "flash.growth.completion_saved")
}
