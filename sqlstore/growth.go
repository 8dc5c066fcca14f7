package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/peercircle/peercircle"
)

// worksheetContext binds a sealed worksheet body to its row.
func worksheetContext(id int64) string { return fmt.Sprintf("grow_worksheet:%d:body", id) }

// worksheetBody is what is sealed of a worksheet: everything its owner wrote.
type worksheetBody struct {
	Title      string                  `json:"title,omitempty"`
	Goal       string                  `json:"goal"`
	Reality    string                  `json:"reality,omitempty"`
	Options    []peercircle.GrowOption `json:"options,omitempty"`
	Actions    []peercircle.GrowAction `json:"actions,omitempty"`
	Commitment int                     `json:"commitment,omitempty"`
	Raise      string                  `json:"raise,omitempty"`
}

func (s *Store) sealWorksheet(w *peercircle.GrowWorksheet) ([]byte, error) {
	b, err := json.Marshal(worksheetBody{Title: w.Title, Goal: w.Goal, Reality: w.Reality, Options: w.Options, Actions: w.Actions,
		Commitment: w.Commitment, Raise: w.RaiseCommitment})
	if err != nil {
		return nil, err
	}
	return s.Keys.Seal(b, worksheetContext(w.ID)), nil
}

func (s *Store) openWorksheet(w *peercircle.GrowWorksheet, sealed []byte) error {
	b, err := s.Keys.Open(sealed, worksheetContext(w.ID))
	if err != nil {
		return fmt.Errorf("worksheet %d: %w", w.ID, err)
	}
	var body worksheetBody
	if len(b) > 0 {
		if err := json.Unmarshal(b, &body); err != nil {
			return fmt.Errorf("worksheet %d: %w", w.ID, err)
		}
	}
	w.Title, w.Goal, w.Reality, w.Options, w.Actions = body.Title, body.Goal, body.Reality, body.Options, body.Actions
	w.Commitment, w.RaiseCommitment = body.Commitment, body.Raise
	return nil
}

const worksheetCols = "id, owner_id, body, shared_with, shared_at, created_at, updated_at"

func (s *Store) scanWorksheet(sc interface{ Scan(...any) error }) (*peercircle.GrowWorksheet, error) {
	var w peercircle.GrowWorksheet
	var body []byte
	if err := sc.Scan(&w.ID, &w.OwnerID, &body, &w.SharedWith, &w.SharedAt, &w.CreatedAt, &w.UpdatedAt); err != nil {
		return nil, err
	}
	return &w, s.openWorksheet(&w, body)
}

// SaveWorksheet creates or updates a worksheet of its owner.
func (s *Store) SaveWorksheet(ctx context.Context, w *peercircle.GrowWorksheet) error {
	if err := w.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		now := s.Now()
		action := "grow_worksheet.updated"
		if w.ID == 0 {
			id, err := tx.Insert("INSERT INTO grow_worksheets (owner_id, created_at, updated_at) VALUES (?, ?, ?)", w.OwnerID, now, now)
			if err != nil {
				return err
			}
			w.ID, w.CreatedAt, action = id, now, "grow_worksheet.created"
		} else if err := tx.QueryRow("SELECT created_at FROM grow_worksheets WHERE id = ? AND owner_id = ?", w.ID, w.OwnerID).Scan(&w.CreatedAt); err != nil {
			return notFound(err, "worksheet")
		}
		body, err := s.sealWorksheet(w)
		if err != nil {
			return err
		}
		w.UpdatedAt = now
		if _, err := tx.Exec("UPDATE grow_worksheets SET body = ?, updated_at = ? WHERE id = ?", body, now, w.ID); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: w.OwnerID, Action: action, TargetKind: "grow_worksheet", TargetID: w.ID})
	})
}

// Worksheet opens a worksheet for reader; a read by anyone but its owner
// is audited in the same transaction (DESIGN.md rule 5).
func (s *Store) Worksheet(ctx context.Context, id, reader int64) (*peercircle.GrowWorksheet, error) {
	var w *peercircle.GrowWorksheet
	err := s.DB.Write(ctx, func(tx *Tx) error {
		var err error
		if w, err = s.scanWorksheet(tx.QueryRow("SELECT "+worksheetCols+" FROM grow_worksheets WHERE id = ?", id)); err != nil {
			return notFound(err, "worksheet")
		}
		if reader == w.OwnerID {
			return nil
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: reader, Action: "grow_worksheet.read", TargetKind: "grow_worksheet", TargetID: id})
	})
	return w, err
}

// personScopeQuery reads a person's home site scope; a person without a
// home site has a scope that names only them.
const personScopeQuery = `SELECT p.id, COALESCE(a.region_id, 0), COALESCE(st.area_id, 0), COALESCE(st.id, 0) FROM people p
	LEFT JOIN sites st ON st.id = p.home_site_id LEFT JOIN areas a ON a.id = st.area_id WHERE p.id = ?`

// PersonScope is a person's home site scope with PersonID set.
func (s *Store) PersonScope(ctx context.Context, personID int64) (peercircle.Scope, error) {
	var sc peercircle.Scope
	err := s.DB.QueryRow(ctx, personScopeQuery, personID).Scan(&sc.PersonID, &sc.RegionID, &sc.AreaID, &sc.SiteID)
	return sc, notFound(err, "person")
}

// WorksheetScope is the owner's scope, with the supervisor it is shared
// with as its reader.
func (s *Store) WorksheetScope(ctx context.Context, id int64) (peercircle.Scope, error) {
	var owner, shared int64
	if err := s.DB.QueryRow(ctx, "SELECT owner_id, shared_with FROM grow_worksheets WHERE id = ?", id).Scan(&owner, &shared); err != nil {
		return peercircle.Scope{}, notFound(err, "worksheet")
	}
	sc, err := s.PersonScope(ctx, owner)
	if shared != 0 {
		sc.Readers = []int64{shared}
	}
	return sc, err
}

func (s *Store) worksheets(ctx context.Context, where string, arg int64) ([]*peercircle.GrowWorksheet, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+worksheetCols+" FROM grow_worksheets WHERE "+where+" ORDER BY updated_at DESC, id DESC", arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.GrowWorksheet
	for rows.Next() {
		w, err := s.scanWorksheet(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// WorksheetsOf lists a person's own worksheets, latest change first.
func (s *Store) WorksheetsOf(ctx context.Context, ownerID int64) ([]*peercircle.GrowWorksheet, error) {
	return s.worksheets(ctx, "owner_id = ?", ownerID)
}

// WorksheetsSharedWith lists the worksheets shared with a supervisor. Only
// what a list shows is kept (the name, the owner, the dates): the rest is
// cleared, so a list is never a read.
func (s *Store) WorksheetsSharedWith(ctx context.Context, supervisorID int64) ([]*peercircle.GrowWorksheet, error) {
	ws, err := s.worksheets(ctx, "shared_with = ?", supervisorID)
	for _, w := range ws {
		name := w.Name()
		*w = peercircle.GrowWorksheet{ID: w.ID, OwnerID: w.OwnerID, Title: name, SharedWith: w.SharedWith, SharedAt: w.SharedAt,
			CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
	}
	return ws, err
}

// ShareWorksheet shares the owner's worksheet with a supervisor, or takes
// it back (supervisorID 0).
func (s *Store) ShareWorksheet(ctx context.Context, id, ownerID, supervisorID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		now := s.Now()
		var at any
		action, detail := "grow_worksheet.unshared", ""
		if supervisorID != 0 {
			at, action, detail = now, "grow_worksheet.shared", fmt.Sprintf("with=%d", supervisorID)
		}
		res, err := tx.Exec("UPDATE grow_worksheets SET shared_with = ?, shared_at = ? WHERE id = ? AND owner_id = ?", nullID(supervisorID), at, id, ownerID)
		if err := affectOne(res, err)("worksheet"); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: ownerID, Action: action, TargetKind: "grow_worksheet", TargetID: id, Detail: detail})
	})
}

// DeleteWorksheet deletes the owner's worksheet.
func (s *Store) DeleteWorksheet(ctx context.Context, id, ownerID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("DELETE FROM grow_worksheets WHERE id = ? AND owner_id = ?", id, ownerID)
		if err := affectOne(res, err)("worksheet"); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: ownerID, Action: "grow_worksheet.deleted", TargetKind: "grow_worksheet", TargetID: id})
	})
}

func (s *Store) people(ctx context.Context, where string, args ...any) ([]*peercircle.Person, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+personCols+" FROM people WHERE "+where+" ORDER BY full_name, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SupervisorsCovering lists the active supervisors whose grant contains
// the site.
func (s *Store) SupervisorsCovering(ctx context.Context, siteID int64) ([]*peercircle.Person, error) {
	sc, err := s.SiteScope(ctx, siteID)
	if err != nil {
		return nil, err
	}
	return s.people(ctx, `status = ? AND id IN (SELECT person_id FROM grants WHERE role = ? AND (scope_kind = ?
		OR (scope_kind = ? AND scope_id = ?) OR (scope_kind = ? AND scope_id = ?) OR (scope_kind = ? AND scope_id = ?)))`,
		peercircle.PersonActive, peercircle.RoleSupervisor, peercircle.ScopeOrganisation,
		peercircle.ScopeRegion, sc.RegionID, peercircle.ScopeArea, sc.AreaID, peercircle.ScopeSite, sc.SiteID)
}

// PeopleAtSites lists the active people whose home site is one of ids.
func (s *Store) PeopleAtSites(ctx context.Context, siteIDs []int64) ([]*peercircle.Person, error) {
	if len(siteIDs) == 0 {
		return nil, nil
	}
	args := []any{peercircle.PersonActive}
	for _, id := range siteIDs {
		args = append(args, id)
	}
	return s.people(ctx, "status = ? AND home_site_id IN ("+placeholders(len(siteIDs))+")", args...)
}

// supervisionContext binds a sealed note of a supervision session to its row.
func supervisionContext(id int64, field string) string {
	return fmt.Sprintf("supervision:%d:%s", id, field)
}

// SaveSupervision records a supervision session (ID 0) or changes its
// notes (its supervisor only).
func (s *Store) SaveSupervision(ctx context.Context, v *peercircle.SupervisionSession) error {
	// A day ahead of UTC, so a supervisor east of Greenwich may record
	// today's session before UTC midnight.
	if err := v.Validate(s.Now().UTC().Add(24 * time.Hour).Format(peercircle.DateLayout)); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if err := exists(tx, "people", v.SuperviseeID, "person"); err != nil {
			return err
		}
		// The confidentiality guard: notes about clients carry no names.
		names, err := namesOfTx(tx, 0, v.SupervisorID, v.SuperviseeID)
		if err != nil {
			return err
		}
		confirmed, err := guardNamesTx(names, map[string]string{"task_notes": v.TaskNotes, "process_notes": v.ProcessNotes, "follow_ups": v.FollowUps}, v.Allowed)
		if err != nil {
			return err
		}
		now := s.Now()
		action := "supervision.updated"
		if v.ID == 0 {
			id, err := tx.Insert("INSERT INTO supervision_sessions (supervisor_id, supervisee_id, held_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
				v.SupervisorID, v.SuperviseeID, v.HeldOn, now, now)
			if err != nil {
				return err
			}
			v.ID, v.CreatedAt, action = id, now, "supervision.recorded"
		} else {
			res, err := tx.Exec("UPDATE supervision_sessions SET held_on = ? WHERE id = ? AND supervisor_id = ? AND supervisee_id = ?",
				v.HeldOn, v.ID, v.SupervisorID, v.SuperviseeID)
			if err := affectOne(res, err)("supervision session"); err != nil {
				return err
			}
		}
		v.UpdatedAt = now
		if _, err := tx.Exec("UPDATE supervision_sessions SET task_notes = ?, process_notes = ?, follow_ups = ?, updated_at = ? WHERE id = ?",
			s.Keys.SealString(v.TaskNotes, supervisionContext(v.ID, "task")), s.Keys.SealString(v.ProcessNotes, supervisionContext(v.ID, "process")),
			s.Keys.SealString(v.FollowUps, supervisionContext(v.ID, "follow_ups")), now, v.ID); err != nil {
			return err
		}
		if confirmed > 0 {
			if err := s.auditTx(tx, &peercircle.AuditEvent{ActorID: v.SupervisorID, Action: "guard.confirm", TargetKind: "supervision", TargetID: v.ID,
				Detail: "count=" + strconv.Itoa(confirmed)}); err != nil {
				return err
			}
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: v.SupervisorID, Action: action, TargetKind: "supervision", TargetID: v.ID})
	})
}

const supervisionCols = "id, supervisor_id, supervisee_id, held_on, created_at, updated_at"

func scanSupervision(sc interface{ Scan(...any) error }, extra ...any) (*peercircle.SupervisionSession, error) {
	var v peercircle.SupervisionSession
	return &v, sc.Scan(append([]any{&v.ID, &v.SupervisorID, &v.SuperviseeID, &v.HeldOn, &v.CreatedAt, &v.UpdatedAt}, extra...)...)
}

// Supervision opens a session's notes for reader; a read by anyone but
// the supervisor who wrote it is audited in the same transaction.
func (s *Store) Supervision(ctx context.Context, id, reader int64) (*peercircle.SupervisionSession, error) {
	var v *peercircle.SupervisionSession
	err := s.DB.Write(ctx, func(tx *Tx) error {
		var task, process, follow []byte
		var err error
		v, err = scanSupervision(tx.QueryRow("SELECT "+supervisionCols+", task_notes, process_notes, follow_ups FROM supervision_sessions WHERE id = ?", id),
			&task, &process, &follow)
		if err != nil {
			return notFound(err, "supervision session")
		}
		for _, f := range []struct {
			dst    *string
			sealed []byte
			field  string
		}{{&v.TaskNotes, task, "task"}, {&v.ProcessNotes, process, "process"}, {&v.FollowUps, follow, "follow_ups"}} {
			if *f.dst, err = s.Keys.OpenString(f.sealed, supervisionContext(id, f.field)); err != nil {
				return fmt.Errorf("supervision %d %s: %w", id, f.field, err)
			}
		}
		if reader == v.SupervisorID {
			return nil
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: reader, Action: "supervision.read", TargetKind: "supervision", TargetID: id})
	})
	return v, err
}

// SupervisionScope is the supervisee's scope, with the supervisor who
// wrote the session as its reader.
func (s *Store) SupervisionScope(ctx context.Context, id int64) (peercircle.Scope, error) {
	var supervisor, supervisee int64
	if err := s.DB.QueryRow(ctx, "SELECT supervisor_id, supervisee_id FROM supervision_sessions WHERE id = ?", id).Scan(&supervisor, &supervisee); err != nil {
		return peercircle.Scope{}, notFound(err, "supervision session")
	}
	sc, err := s.PersonScope(ctx, supervisee)
	if supervisor != 0 {
		sc.Readers = []int64{supervisor}
	}
	return sc, err
}

// SupervisionsOf lists, without notes, the sessions where the person was
// supervisor or supervisee, latest first.
func (s *Store) SupervisionsOf(ctx context.Context, personID int64, limit int) ([]*peercircle.SupervisionSession, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.DB.Query(ctx, "SELECT "+supervisionCols+" FROM supervision_sessions WHERE supervisor_id = ? OR supervisee_id = ? ORDER BY held_on DESC, id DESC LIMIT ?",
		personID, personID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.SupervisionSession
	for rows.Next() {
		v, err := scanSupervision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Competencies returns the framework: the clusters in order, each with its
// competencies in order.
func (s *Store) Competencies(ctx context.Context) ([]*peercircle.CompetencyCluster, error) {
	var out []*peercircle.CompetencyCluster
	err := s.DB.Read(ctx, func(tx *Tx) error {
		rows, err := tx.Query("SELECT id, code, name_en, name_ar FROM competency_clusters ORDER BY position")
		if err != nil {
			return err
		}
		byID := map[int64]*peercircle.CompetencyCluster{}
		for rows.Next() {
			c := &peercircle.CompetencyCluster{Name: map[string]string{}}
			var en, ar string
			if err := rows.Scan(&c.ID, &c.Code, &en, &ar); err != nil {
				rows.Close()
				return err
			}
			c.Name["en"], c.Name["ar"] = en, ar
			out, byID[c.ID] = append(out, c), c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query("SELECT id, cluster_id, code, name_en, name_ar FROM competencies ORDER BY cluster_id, position")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c := &peercircle.Competency{Name: map[string]string{}}
			var en, ar string
			if err := rows.Scan(&c.ID, &c.ClusterID, &c.Code, &en, &ar); err != nil {
				return err
			}
			c.Name["en"], c.Name["ar"] = en, ar
			if cl := byID[c.ClusterID]; cl != nil {
				cl.Competencies = append(cl.Competencies, c)
			}
		}
		return rows.Err()
	})
	return out, err
}

// SaveSelfAssessment adds a dated self-assessment; earlier ones stay.
func (s *Store) SaveSelfAssessment(ctx context.Context, a *peercircle.SelfAssessment) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		ids, err := tx.Query("SELECT id FROM competencies")
		if err != nil {
			return err
		}
		list, err := scanIDs(ids)
		if err != nil {
			return err
		}
		known := map[int64]bool{}
		for _, id := range list {
			known[id] = true
		}
		if err := a.Validate(known); err != nil {
			return err
		}
		a.CreatedAt = s.Now()
		if a.ID, err = tx.Insert("INSERT INTO self_assessments (person_id, created_at) VALUES (?, ?)", a.PersonID, a.CreatedAt); err != nil {
			return err
		}
		for id, l := range a.Levels {
			if _, err := tx.Exec("INSERT INTO assessment_levels (assessment_id, competency_id, level) VALUES (?, ?, ?)", a.ID, id, l); err != nil {
				return err
			}
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: a.PersonID, Action: "assessment.created", TargetKind: "assessment", TargetID: a.ID,
			Detail: fmt.Sprintf("levels=%d", len(a.Levels))})
	})
}

// SelfAssessments lists a person's assessments, newest first, with their
// levels; a read by anyone but the person is audited.
func (s *Store) SelfAssessments(ctx context.Context, personID, reader int64) ([]*peercircle.SelfAssessment, error) {
	var out []*peercircle.SelfAssessment
	err := s.DB.Write(ctx, func(tx *Tx) error {
		rows, err := tx.Query("SELECT id, person_id, created_at, reviewed_by, reviewed_at FROM self_assessments WHERE person_id = ? ORDER BY created_at DESC, id DESC", personID)
		if err != nil {
			return err
		}
		byID := map[int64]*peercircle.SelfAssessment{}
		for rows.Next() {
			a := &peercircle.SelfAssessment{Levels: map[int64]string{}}
			if err := rows.Scan(&a.ID, &a.PersonID, &a.CreatedAt, &a.ReviewedBy, &a.ReviewedAt); err != nil {
				rows.Close()
				return err
			}
			out, byID[a.ID] = append(out, a), a
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(`SELECT l.assessment_id, l.competency_id, l.level FROM assessment_levels l
			JOIN self_assessments a ON a.id = l.assessment_id WHERE a.person_id = ?`, personID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var aid, cid int64
			var level string
			if err := rows.Scan(&aid, &cid, &level); err != nil {
				rows.Close()
				return err
			}
			if a := byID[aid]; a != nil {
				a.Levels[cid] = level
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil || reader == personID {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: reader, Action: "assessment.read", TargetKind: "competencies", TargetID: personID})
	})
	return out, err
}

// AssessmentScope is the assessed person's scope.
func (s *Store) AssessmentScope(ctx context.Context, id int64) (peercircle.Scope, error) {
	var person int64
	if err := s.DB.QueryRow(ctx, "SELECT person_id FROM self_assessments WHERE id = ?", id).Scan(&person); err != nil {
		return peercircle.Scope{}, notFound(err, "assessment")
	}
	return s.PersonScope(ctx, person)
}

func reviewContext(id int64) string { return fmt.Sprintf("assessment:%d:review", id) }

// AssessmentReview opens the supervisor's comment on an assessment.
func (s *Store) AssessmentReview(ctx context.Context, id int64) (string, error) {
	var sealed []byte
	if err := s.DB.QueryRow(ctx, "SELECT review FROM self_assessments WHERE id = ?", id).Scan(&sealed); err != nil {
		return "", notFound(err, "assessment")
	}
	return s.Keys.OpenString(sealed, reviewContext(id))
}

// ReviewAssessment records a supervisor's comment on an assessment and
// tells the person a review is waiting (never what it says).
func (s *Store) ReviewAssessment(ctx context.Context, id, by int64, comment string) error {
	comment = strings.TrimSpace(comment)
	switch n := utf8.RuneCountInString(comment); {
	case n == 0:
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "error.form", Fields: map[string]string{"review": "error.required"}, Message: "empty review"}
	case n > peercircle.MaxReviewComment:
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "error.form", Fields: map[string]string{"review": "error.too_long"}, Message: "review too long"}
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		var person int64
		if err := tx.QueryRow("SELECT person_id FROM self_assessments WHERE id = ?", id).Scan(&person); err != nil {
			return notFound(err, "assessment")
		}
		if _, err := tx.Exec("UPDATE self_assessments SET reviewed_by = ?, reviewed_at = ?, review = ? WHERE id = ?",
			by, s.Now(), s.Keys.SealString(comment, reviewContext(id)), id); err != nil {
			return err
		}
		if err := s.notifyTx(tx, &peercircle.Notification{PersonID: person, Kind: "assessment_reviewed", Link: "/growth/competencies"}); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: "assessment.reviewed", TargetKind: "assessment", TargetID: id})
	})
}

// myGrowth adds the person's growth records to their data (DESIGN.md rule 4).
func (s *Store) myGrowth(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query("SELECT "+worksheetCols+" FROM grow_worksheets WHERE owner_id = ? ORDER BY created_at, id", id)
	if err != nil {
		return err
	}
	for rows.Next() {
		w, err := s.scanWorksheet(rows)
		if err != nil {
			rows.Close()
			return err
		}
		d.Growth.Worksheets = append(d.Growth.Worksheets, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(`SELECT a.id, a.created_at, a.reviewed_at, COALESCE(c.code, ''), COALESCE(l.level, '') FROM self_assessments a
		LEFT JOIN assessment_levels l ON l.assessment_id = a.id LEFT JOIN competencies c ON c.id = l.competency_id
		WHERE a.person_id = ? ORDER BY a.created_at, a.id, c.code`, id)
	if err != nil {
		return err
	}
	last := int64(0)
	for rows.Next() {
		var aid int64
		var at time.Time
		var reviewed *time.Time
		var code, level string
		if err := rows.Scan(&aid, &at, &reviewed, &code, &level); err != nil {
			rows.Close()
			return err
		}
		if aid != last {
			d.Growth.SelfAssessments = append(d.Growth.SelfAssessments, peercircle.MySelfAssessment{CreatedAt: at, Levels: map[string]string{}, Reviewed: reviewed != nil})
			last = aid
		}
		if code != "" {
			d.Growth.SelfAssessments[len(d.Growth.SelfAssessments)-1].Levels[code] = level
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(`SELECT v.id, v.held_on, COALESCE(p.full_name, '') FROM supervision_sessions v LEFT JOIN people p ON p.id = v.supervisor_id
		WHERE v.supervisee_id = ? ORDER BY v.held_on, v.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v peercircle.MySupervision
		if err := rows.Scan(&v.ID, &v.HeldOn, &v.Supervisor); err != nil {
			return err
		}
		d.Growth.Supervision = append(d.Growth.Supervision, v)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return myBuddiesAndTraining(tx, id, d)
}

// myBuddiesAndTraining adds the person's induction pairings (either side)
// and the courses they completed to their data.
func myBuddiesAndTraining(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT CASE WHEN b.newcomer_id = ? THEN 'newcomer' ELSE 'buddy' END, COALESCE(p.full_name, ''),
		b.starts_on, b.ends_on, b.ended_at FROM buddy_pairings b
		LEFT JOIN people p ON p.id = CASE WHEN b.newcomer_id = ? THEN b.buddy_id ELSE b.newcomer_id END
		WHERE b.newcomer_id = ? OR b.buddy_id = ? ORDER BY b.starts_on, b.id`, id, id, id, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var b peercircle.MyBuddyPairing
		var ended *time.Time
		if err := rows.Scan(&b.Role, &b.With, &b.StartsOn, &b.EndsOn, &ended); err != nil {
			rows.Close()
			return err
		}
		b.Ended = ended != nil
		d.Growth.Buddies = append(d.Growth.Buddies, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(`SELECT c.name, r.completed_on FROM training_records r JOIN training_courses c ON c.id = r.course_id
		WHERE r.person_id = ? ORDER BY r.completed_on, c.name`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t peercircle.MyTraining
		if err := rows.Scan(&t.Course, &t.CompletedOn); err != nil {
			return err
		}
		d.Growth.Training = append(d.Growth.Training, t)
	}
	return rows.Err()
}
