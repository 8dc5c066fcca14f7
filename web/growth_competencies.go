package web

import (
	"net/http"
	"strconv"

	"github.com/peercircle/peercircle"
)

// competencyRow is one competency of the profile: the level of the latest
// self-assessment and of the one before it.
type competencyRow struct {
	ID            int64
	Name          string
	Level, Before string
	Rank, MaxRank int
}

type clusterView struct {
	Code string
	Name string
	Rows []competencyRow
}

// competencyData is a person's competency profile across the six clusters.
type competencyData struct {
	PersonID   int64
	Name       string
	Mine       bool
	Clusters   []clusterView
	History    []*peercircle.SelfAssessment
	Latest     *peercircle.SelfAssessment
	Review     string // the supervisor's comment on the latest, opened
	ReviewedBy string
	CanReview  bool
	Levels     []string
	Training   []completionRow // courses the person completed
}

// competencyPage builds the profile of a person for the reader; the read
// by anyone but the person is audited in the store.
func (s *Server) competencyPage(w http.ResponseWriter, r *http.Request, personID int64, sc peercircle.Scope) (*competencyData, bool) {
	ctx := r.Context()
	p := principal(r)
	fw, err := s.Store.Competencies(ctx)
	if err == nil {
		var hist []*peercircle.SelfAssessment
		if hist, err = s.Store.SelfAssessments(ctx, personID, p.PersonID); err == nil {
			d := &competencyData{PersonID: personID, Name: s.personName(ctx, personID), Mine: personID == p.PersonID, History: hist,
				CanReview: peercircle.Can(p, peercircle.ActReviewAssessment, sc), Levels: peercircle.Levels}
			var recs []*peercircle.TrainingRecord
			if recs, err = s.Store.TrainingOf(ctx, personID); err != nil {
				s.renderErr(w, r, err)
				return nil, false
			}
			for _, rec := range recs {
				row := completionRow{TrainingRecord: rec}
				row.Day, _ = parseDay(rec.CompletedOn)
				d.Training = append(d.Training, row)
			}
			lang := stateOf(r).loc.Lang()
			var before *peercircle.SelfAssessment
			if len(hist) > 0 {
				d.Latest = hist[0]
			}
			if len(hist) > 1 {
				before = hist[1]
			}
			for _, c := range fw {
				cv := clusterView{Code: c.Code, Name: peercircle.NameIn(c.Name, lang)}
				for _, comp := range c.Competencies {
					row := competencyRow{ID: comp.ID, Name: peercircle.NameIn(comp.Name, lang), MaxRank: len(peercircle.Levels)}
					if d.Latest != nil {
						row.Level = d.Latest.Levels[comp.ID]
						row.Rank = peercircle.LevelRank(row.Level)
					}
					if before != nil {
						row.Before = before.Levels[comp.ID]
					}
					cv.Rows = append(cv.Rows, row)
				}
				d.Clusters = append(d.Clusters, cv)
			}
			if d.Latest != nil && d.Latest.ReviewedAt != nil && (d.Mine || d.CanReview) {
				if d.Review, err = s.Store.AssessmentReview(ctx, d.Latest.ID); err == nil {
					d.ReviewedBy = s.personName(ctx, d.Latest.ReviewedBy)
					return d, true
				}
			} else {
				return d, true
			}
		}
	}
	s.renderErr(w, r, err)
	return nil, false
}

// competenciesMine is the person's own profile with the self-assessment form.
func (s *Server) competenciesMine(w http.ResponseWriter, r *http.Request) {
	me := principal(r).PersonID
	sc, err := s.Store.PersonScope(r.Context(), me)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d, ok := s.competencyPage(w, r, me, sc)
	if ok {
		s.render(w, r, "competencies", s.page(r, "growth.competencies_mine", d))
	}
}

// competenciesAssess saves a dated self-assessment: one level (or none)
// per competency, from fields named c<competency id>.
func (s *Server) competenciesAssess(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := principal(r).PersonID
	fw, err := s.Store.Competencies(ctx)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	a := &peercircle.SelfAssessment{PersonID: me, Levels: map[int64]string{}}
	for _, c := range fw {
		for _, comp := range c.Competencies {
			if v := r.PostFormValue("c" + strconv.FormatInt(comp.ID, 10)); v != "" {
				a.Levels[comp.ID] = v
			}
		}
	}
	if err := s.Store.SaveSelfAssessment(ctx, a); err != nil {
		sc, serr := s.Store.PersonScope(ctx, me)
		if serr != nil {
			s.renderErr(w, r, serr)
			return
		}
		if d, ok := s.competencyPage(w, r, me, sc); ok {
			s.formError(w, r, "competencies", s.page(r, "growth.competencies_mine", d), err)
		}
		return
	}
	s.redirect(w, r, "/growth/competencies", "flash.growth.assessment_saved")
}

// competenciesOf is another person's profile, for the supervisors and
// trainers whose scope covers them.
func (s *Server) competenciesOf(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "person")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	sc, err := s.Store.PersonScope(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if !s.allow(w, r, peercircle.ActViewCompetencies, sc) {
		return
	}
	if d, ok := s.competencyPage(w, r, id, sc); ok {
		s.render(w, r, "competencies", s.page(r, "growth.competencies_of", d))
	}
}

// assessmentReview records a supervisor's comment on an assessment.
func (s *Server) assessmentReview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := pathID(r, "assessment")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	sc, err := s.Store.AssessmentScope(ctx, id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if !s.allow(w, r, peercircle.ActReviewAssessment, sc) {
		return
	}
	to := "/growth/people/" + id64(sc.PersonID) + "/competencies"
	if err := s.Store.ReviewAssessment(ctx, id, principal(r).PersonID, r.PostFormValue("review")); err != nil {
		if d, ok := s.competencyPage(w, r, sc.PersonID, sc); ok {
			s.formError(w, r, "competencies", s.page(r, "growth.competencies_of", d), err)
		}
		return
	}
	s.redirect(w, r, to, "flash.growth.review_saved")
}
