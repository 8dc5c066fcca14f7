package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
)

// Spare rows a worksheet form offers below the ones already written.
const (
	spareOptions = 3
	spareActions = 2
)

// growRow is one option or action row of the worksheet form, as typed.
type growRow struct {
	Index      int
	Text       string
	Score, Due string
}

// worksheetForm is the GROW worksheet form, new or being changed.
type worksheetForm struct {
	ID      int64
	Options []growRow
	Actions []growRow
	Scores  []int
}

func newWorksheetForm(w *peercircle.GrowWorksheet) *worksheetForm {
	f := &worksheetForm{ID: w.ID, Scores: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}
	for i, o := range w.Options {
		row := growRow{Index: i, Text: o.Text}
		if o.Score != 0 {
			row.Score = strconv.Itoa(o.Score)
		}
		f.Options = append(f.Options, row)
	}
	for i := 0; i < spareOptions || len(f.Options) < 4; i++ {
		f.Options = append(f.Options, growRow{Index: len(f.Options)})
	}
	for i, a := range w.Actions {
		f.Actions = append(f.Actions, growRow{Index: i, Text: a.Text, Due: a.Due})
	}
	for i := 0; i < spareActions || len(f.Actions) < 3; i++ {
		f.Actions = append(f.Actions, growRow{Index: len(f.Actions)})
	}
	return f
}

// formScore reads a 1-10 score; "" is 0 (not given) and anything that is
// not a whole number is -1, which Validate refuses.
func formScore(v string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// parseWorksheet reads the worksheet form into w.
func parseWorksheet(r *http.Request, w *peercircle.GrowWorksheet) {
	w.Title, w.Goal, w.Reality = r.PostFormValue("title"), r.PostFormValue("goal"), r.PostFormValue("reality")
	w.RaiseCommitment = r.PostFormValue("raise")
	w.Commitment = formScore(r.PostFormValue("commitment"))
	texts, scores := r.PostForm["option_text"], r.PostForm["option_score"]
	w.Options = nil
	for i, t := range texts {
		score := ""
		if i < len(scores) {
			score = scores[i]
		}
		w.Options = append(w.Options, peercircle.GrowOption{Text: t, Score: formScore(score)})
	}
	acts, dues := r.PostForm["action_text"], r.PostForm["action_due"]
	w.Actions = nil
	for i, t := range acts {
		due := ""
		if i < len(dues) {
			due = dues[i]
		}
		w.Actions = append(w.Actions, peercircle.GrowAction{Text: t, Due: due})
	}
}

// worksheetNew is the empty GROW worksheet.
func (s *Server) worksheetNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "worksheet_form", s.page(r, "growth.worksheet_new", newWorksheetForm(&peercircle.GrowWorksheet{})))
}

// worksheetCreate saves a new worksheet of the signed-in person.
func (s *Server) worksheetCreate(w http.ResponseWriter, r *http.Request) {
	ws := &peercircle.GrowWorksheet{OwnerID: principal(r).PersonID}
	s.saveWorksheet(w, r, ws, "growth.worksheet_new")
}

func (s *Server) saveWorksheet(w http.ResponseWriter, r *http.Request, ws *peercircle.GrowWorksheet, title string) {
	parseWorksheet(r, ws)
	if err := s.Store.SaveWorksheet(r.Context(), ws); err != nil {
		s.formError(w, r, "worksheet_form", s.page(r, title, newWorksheetForm(ws)), err)
		return
	}
	s.redirect(w, r, "/growth/worksheets/"+id64(ws.ID), "flash.growth.worksheet_saved")
}

// worksheetScope loads the {worksheet} in the path and checks a.
func (s *Server) worksheetScope(w http.ResponseWriter, r *http.Request, a peercircle.Action) (peercircle.Scope, int64, bool) {
	id, ok := pathID(r, "worksheet")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return peercircle.Scope{}, 0, false
	}
	sc, err := s.Store.WorksheetScope(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return sc, id, false
	}
	return sc, id, s.allow(w, r, a, sc)
}

// worksheetData is the worksheet page.
type worksheetData struct {
	*peercircle.GrowWorksheet
	Mine        bool
	Owner       string
	SharedName  string
	Supervisors []*peercircle.Person // whom the owner may share it with
	Days        map[string]string    // action dates as the reader's language writes them
}

// worksheetShow opens a worksheet for its owner, or for the supervisor it
// is shared with (the read is audited in the store). It prints cleanly.
func (s *Server) worksheetShow(w http.ResponseWriter, r *http.Request) {
	sc, id, ok := s.worksheetScope(w, r, peercircle.ActReadWorksheet)
	if !ok {
		return
	}
	s.renderWorksheet(w, r, sc, id, nil)
}

func (s *Server) renderWorksheet(w http.ResponseWriter, r *http.Request, sc peercircle.Scope, id int64, formErr error) {
	ctx := r.Context()
	p := principal(r)
	ws, err := s.Store.Worksheet(ctx, id, p.PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := &worksheetData{GrowWorksheet: ws, Mine: ws.OwnerID == p.PersonID, Owner: s.personName(ctx, ws.OwnerID),
		SharedName: s.personName(ctx, ws.SharedWith), Days: map[string]string{}}
	if d.Mine && sc.SiteID != 0 {
		if d.Supervisors, err = s.Store.SupervisorsCovering(ctx, sc.SiteID); err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.Supervisors = dropPerson(d.Supervisors, p.PersonID)
	}
	page := s.page(r, "growth.worksheet_title", d)
	for _, a := range ws.Actions {
		if t, err := parseDay(a.Due); err == nil {
			d.Days[a.Due] = page.L.Date(t)
		}
	}
	if formErr != nil {
		s.formError(w, r, "worksheet", page, formErr)
		return
	}
	s.render(w, r, "worksheet", page)
}

func dropPerson(ps []*peercircle.Person, id int64) []*peercircle.Person {
	var out []*peercircle.Person
	for _, p := range ps {
		if p.ID != id {
			out = append(out, p)
		}
	}
	return out
}

// worksheetEdit is the form with the owner's worksheet in it.
func (s *Server) worksheetEdit(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.worksheetScope(w, r, peercircle.ActSelf)
	if !ok {
		return
	}
	ws, err := s.Store.Worksheet(r.Context(), id, principal(r).PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	p := s.page(r, "growth.worksheet_edit", newWorksheetForm(ws))
	p.Form = map[string][]string{"title": {ws.Title}, "goal": {ws.Goal}, "reality": {ws.Reality}, "raise": {ws.RaiseCommitment}}
	if ws.Commitment != 0 {
		p.Form.Set("commitment", strconv.Itoa(ws.Commitment))
	}
	s.render(w, r, "worksheet_form", p)
}

// worksheetUpdate saves the owner's changes.
func (s *Server) worksheetUpdate(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.worksheetScope(w, r, peercircle.ActSelf)
	if !ok {
		return
	}
	s.saveWorksheet(w, r, &peercircle.GrowWorksheet{ID: id, OwnerID: principal(r).PersonID}, "growth.worksheet_edit")
}

// worksheetShare shares the worksheet with a supervisor who covers the
// owner's site, or takes it back (an empty supervisor).
func (s *Server) worksheetShare(w http.ResponseWriter, r *http.Request) {
	sc, id, ok := s.worksheetScope(w, r, peercircle.ActSelf)
	if !ok {
		return
	}
	ctx := r.Context()
	me := principal(r).PersonID
	to, _ := strconv.ParseInt(r.PostFormValue("supervisor"), 10, 64)
	flash := "flash.growth.unshared"
	if to != 0 {
		flash = "flash.growth.shared"
		allowed := false
		if sc.SiteID != 0 {
			sups, err := s.Store.SupervisorsCovering(ctx, sc.SiteID)
			if err != nil {
				s.renderErr(w, r, err)
				return
			}
			for _, p := range sups {
				allowed = allowed || (p.ID == to && p.ID != me)
			}
		}
		if !allowed {
			s.renderWorksheet(w, r, sc, id, &peercircle.Error{Code: peercircle.EINVALID, Key: "growth.error.supervisor",
				Fields: map[string]string{"supervisor": "growth.error.supervisor"}})
			return
		}
	}
	if err := s.Store.ShareWorksheet(ctx, id, me, to); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/growth/worksheets/"+id64(id), flash)
}

// worksheetDelete deletes the owner's worksheet.
func (s *Server) worksheetDelete(w http.ResponseWriter, r *http.Request) {
	_, id, ok := s.worksheetScope(w, r, peercircle.ActSelf)
	if !ok {
		return
	}
	if err := s.Store.DeleteWorksheet(r.Context(), id, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/growth", "flash.growth.worksheet_deleted")
}
