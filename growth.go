package peercircle

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Growing people: the GROW worksheet a person keeps for themselves, the
// supervision of peer supporters (001, "Supervision of peer supporters"),
// and the competency framework of the peer supporter training (004: six
// clusters, levels essential, practitioner, manager, leader).
//
// A worksheet is private to its owner. The owner may share it with one
// supervisor whose scope covers their home site, and take it back; every
// read by that supervisor is audited (DESIGN.md rule 5). Supervision notes
// are read by the supervisor who wrote them and the supervisee, nobody
// else. All of this text is sealed at rest (rule 2).

// Limits of the free text of this area, in characters.
const (
	MaxGrowText      = 2000 // goal, reality, what would raise the commitment
	MaxGrowItem      = 500  // one option or one action
	MaxGrowItems     = 12   // options, and actions
	MaxGrowTitle     = 120
	MaxSupervision   = 4000 // each of the notes of a supervision session
	MaxReviewComment = 2000
)

// DateLayout is how the dates people pick (an action's date, the day of a
// supervision session) are written: the value of an <input type="date">.
const DateLayout = "2006-01-02"

// GrowOption is one of the ideas of the Options step, with the score its
// owner gave it (1 least appeal or impact, 10 most).
type GrowOption struct {
	Text  string `json:"text"`
	Score int    `json:"score"`
}

// GrowAction is one action of the Will step, with the date it is meant for
// ("" when the owner set none).
type GrowAction struct {
	Text string `json:"text"`
	Due  string `json:"due,omitempty"` // DateLayout
}

// GrowWorksheet is a person's GROW worksheet (004, "Communicating
// supportively"): Goal, Reality, Options scored 1-10, and Will (the actions
// with dates, a commitment 1-10 and what would raise it nearer to 10).
// Everything written in it is sealed; SharedWith is the supervisor it is
// shared with, 0 when it is private.
type GrowWorksheet struct {
	ID         int64        `json:"id"`
	OwnerID    int64        `json:"-"`
	Title      string       `json:"title,omitempty"`
	Goal       string       `json:"goal"`
	Reality    string       `json:"reality"`
	Options    []GrowOption `json:"options"`
	Actions    []GrowAction `json:"actions"`
	Commitment int          `json:"commitment"` // 1-10; 0 when not yet given
	// RaiseCommitment answers "What prevents your grading from being 10?
	// How can you raise the grade nearer to 10?"
	RaiseCommitment string     `json:"raise_commitment"`
	SharedWith      int64      `json:"shared_with_person_id,omitempty"`
	SharedAt        *time.Time `json:"shared_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// Validate trims the worksheet and checks it: a goal, options and actions
// without empty rows, every score and the commitment between 1 and 10,
// dates as dates, nothing over its limit. Empty option and action rows
// (a form's spare rows) are dropped first.
func (w *GrowWorksheet) Validate() error {
	f := FieldErrors{}
	w.Title = strings.TrimSpace(w.Title)
	w.Goal = strings.TrimSpace(w.Goal)
	w.Reality = strings.TrimSpace(w.Reality)
	w.RaiseCommitment = strings.TrimSpace(w.RaiseCommitment)
	if w.Goal == "" {
		f.Add("goal", "error.required")
	}
	for _, c := range []struct {
		field, v string
		max      int
	}{{"title", w.Title, MaxGrowTitle}, {"goal", w.Goal, MaxGrowText}, {"reality", w.Reality, MaxGrowText}, {"raise", w.RaiseCommitment, MaxGrowText}} {
		if utf8.RuneCountInString(c.v) > c.max {
			f.Add(c.field, "error.too_long")
		}
	}
	var opts []GrowOption
	for _, o := range w.Options {
		o.Text = strings.TrimSpace(o.Text)
		if o.Text == "" && o.Score == 0 {
			continue
		}
		opts = append(opts, o)
	}
	w.Options = opts
	for i, o := range w.Options {
		field := "option" + strconv.Itoa(i)
		switch {
		case o.Text == "":
			f.Add(field, "growth.error.option_text")
		case utf8.RuneCountInString(o.Text) > MaxGrowItem:
			f.Add(field, "error.too_long")
		case o.Score < 1 || o.Score > 10:
			f.Add(field, "growth.error.score")
		}
	}
	var acts []GrowAction
	for _, a := range w.Actions {
		a.Text, a.Due = strings.TrimSpace(a.Text), strings.TrimSpace(a.Due)
		if a.Text == "" && a.Due == "" {
			continue
		}
		acts = append(acts, a)
	}
	w.Actions = acts
	for i, a := range w.Actions {
		field := "action" + strconv.Itoa(i)
		switch {
		case a.Text == "":
			f.Add(field, "growth.error.action_text")
		case utf8.RuneCountInString(a.Text) > MaxGrowItem:
			f.Add(field, "error.too_long")
		case a.Due != "" && DateProblem(a.Due) != "":
			f.Add(field, DateProblem(a.Due))
		}
	}
	if len(w.Options) > MaxGrowItems {
		f.Add("options", "growth.error.too_many")
	}
	if len(w.Actions) > MaxGrowItems {
		f.Add("actions", "growth.error.too_many")
	}
	if w.Commitment != 0 && (w.Commitment < 1 || w.Commitment > 10) {
		f.Add("commitment", "growth.error.score")
	}
	return f.Err()
}

// Name is the worksheet's title, or its goal's first words.
func (w *GrowWorksheet) Name() string {
	if w.Title != "" {
		return w.Title
	}
	g := strings.Join(strings.Fields(w.Goal), " ")
	if utf8.RuneCountInString(g) > 60 {
		return string([]rune(g)[:60]) + "…"
	}
	return g
}

// Shared reports whether the worksheet is shared with a supervisor.
func (w *GrowWorksheet) Shared() bool { return w.SharedWith != 0 }

func validDate(s string) bool { return DateProblem(s) == "" }

// SupervisionSession is one meeting of a supervisor with a peer supporter
// they supervise (001: supervision that attends both to the task, what was
// done and how, and to the process, what it did to the supporter). The
// three texts are sealed.
type SupervisionSession struct {
	ID           int64
	SupervisorID int64
	SuperviseeID int64
	HeldOn       string // DateLayout
	TaskNotes    string
	ProcessNotes string
	FollowUps    string
	// Allowed holds, per field (task_notes, process_notes, follow_ups), the
	// words the supervisor confirmed are not a person (guard.Key). They
	// come with the form and are counted in the audit log, never stored.
	Allowed   map[string][]string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate trims the session's notes and checks them: a supervisee other
// than the supervisor, a date not in the future, at least one note.
func (v *SupervisionSession) Validate(today string) error {
	f := FieldErrors{}
	v.HeldOn = strings.TrimSpace(v.HeldOn)
	v.TaskNotes = strings.TrimSpace(v.TaskNotes)
	v.ProcessNotes = strings.TrimSpace(v.ProcessNotes)
	v.FollowUps = strings.TrimSpace(v.FollowUps)
	if v.SuperviseeID == 0 {
		f.Add("supervisee", "error.required")
	} else if v.SuperviseeID == v.SupervisorID {
		f.Add("supervisee", "growth.error.self_supervision")
	}
	switch {
	case v.HeldOn == "":
		f.Add("held_on", "error.required")
	case !validDate(v.HeldOn):
		f.Add("held_on", DateProblem(v.HeldOn))
	case today != "" && v.HeldOn > today:
		f.Add("held_on", "growth.error.future")
	}
	if v.TaskNotes == "" && v.ProcessNotes == "" && v.FollowUps == "" {
		f.Add("task_notes", "growth.error.no_notes")
	}
	for _, c := range []struct{ field, v string }{{"task_notes", v.TaskNotes}, {"process_notes", v.ProcessNotes}, {"follow_ups", v.FollowUps}} {
		if utf8.RuneCountInString(c.v) > MaxSupervision {
			f.Add(c.field, "error.too_long")
		}
	}
	return f.Err()
}

// Competency levels (004, "Levels of use"), from the first to the widest.
const (
	LevelEssential    = "essential"    // at the start or after an agreed induction period
	LevelPractitioner = "practitioner" // after at least two years in the role
	LevelManager      = "manager"      // team leaders and line managers
	LevelLeader       = "leader"       // organisational leaders
)

// Levels lists the competency levels in order.
var Levels = []string{LevelEssential, LevelPractitioner, LevelManager, LevelLeader}

// LevelRank is a level's place in Levels, from 1; 0 for none.
func LevelRank(level string) int {
	for i, l := range Levels {
		if l == level {
			return i + 1
		}
	}
	return 0
}

// CompetencyCluster is one of the six clusters of core competencies (004);
// the framework is reference data seeded by a migration.
type CompetencyCluster struct {
	ID           int64
	Code         string
	Name         map[string]string // by language; "en" always present
	Competencies []*Competency
}

// Competency is one competency of a cluster ("Initiates contact with peers").
type Competency struct {
	ID        int64
	ClusterID int64
	Code      string
	Name      map[string]string
}

// NameIn returns the name in lang, else the English one.
func NameIn(names map[string]string, lang string) string {
	if n := names[lang]; n != "" {
		return n
	}
	return names["en"]
}

// SelfAssessment is a person's own rating of their competencies on one day:
// a level per competency they rated. Earlier ones are kept (the history).
// A supervisor in scope may review it with a comment, which is sealed.
type SelfAssessment struct {
	ID         int64
	PersonID   int64
	Levels     map[int64]string // competency id → level
	CreatedAt  time.Time
	ReviewedBy int64
	ReviewedAt *time.Time
	Review     string // the supervisor's comment; "" unless opened
}

// Validate checks that every rating is a level of the framework's
// competencies and that at least one was given.
func (a *SelfAssessment) Validate(known map[int64]bool) error {
	f := FieldErrors{}
	for id, l := range a.Levels {
		if l == "" {
			delete(a.Levels, id)
			continue
		}
		if !known[id] || LevelRank(l) == 0 {
			f.Add("levels", "growth.error.level")
		}
	}
	if len(a.Levels) == 0 && len(f) == 0 {
		f.Add("levels", "growth.error.no_levels")
	}
	return f.Err()
}

// GrowthService keeps worksheets, supervision sessions and competency
// assessments.
//
// SaveWorksheet creates (ID 0) or updates the owner's worksheet; it
// returns EINVALID when Validate fails and ENOTFOUND when the id is not
// the owner's. Worksheet returns ENOTFOUND for an unknown id; it opens the
// sealed text for reader and, when reader is not the owner, records the
// read in the audit log in the same transaction (callers check access
// first). ShareWorksheet shares a worksheet with a supervisor (0 takes it
// back); the caller checks that the supervisor covers the owner's site.
//
// SaveSupervision records a session (EINVALID when Validate fails);
// Supervision opens it for reader and audits a read by anyone but its
// supervisor. SupervisionsOf lists, without text, the sessions where the
// person was supervisor or supervisee.
//
// Competencies returns the framework. SaveSelfAssessment adds a dated
// assessment (EINVALID for an unknown competency or level); ReviewAssessment
// records a supervisor's comment on one (EINVALID when empty or too long).
type GrowthService interface {
	SaveWorksheet(ctx context.Context, w *GrowWorksheet) error
	Worksheet(ctx context.Context, id, reader int64) (*GrowWorksheet, error)
	// WorksheetScope is the scope of the worksheet's owner (their home
	// site, PersonID the owner, Readers the supervisor it is shared with).
	WorksheetScope(ctx context.Context, id int64) (Scope, error)
	WorksheetsOf(ctx context.Context, ownerID int64) ([]*GrowWorksheet, error)
	// WorksheetsSharedWith lists, titles opened, the worksheets shared with
	// a supervisor; reading the list is not reading a worksheet.
	WorksheetsSharedWith(ctx context.Context, supervisorID int64) ([]*GrowWorksheet, error)
	ShareWorksheet(ctx context.Context, id, ownerID, supervisorID int64) error
	DeleteWorksheet(ctx context.Context, id, ownerID int64) error

	// PersonScope is a person's home site scope with PersonID set.
	PersonScope(ctx context.Context, personID int64) (Scope, error)
	// SupervisorsCovering lists the people holding the supervisor role in
	// a scope that contains the site (the organisation, its region, its
	// area or the site itself).
	SupervisorsCovering(ctx context.Context, siteID int64) ([]*Person, error)
	// PeopleAtSites lists the active people whose home site is one of ids.
	PeopleAtSites(ctx context.Context, siteIDs []int64) ([]*Person, error)

	SaveSupervision(ctx context.Context, v *SupervisionSession) error
	Supervision(ctx context.Context, id, reader int64) (*SupervisionSession, error)
	// SupervisionScope is the supervisee's scope with Readers the supervisor.
	SupervisionScope(ctx context.Context, id int64) (Scope, error)
	SupervisionsOf(ctx context.Context, personID int64, limit int) ([]*SupervisionSession, error)

	Competencies(ctx context.Context) ([]*CompetencyCluster, error)
	SaveSelfAssessment(ctx context.Context, a *SelfAssessment) error
	// SelfAssessments lists a person's assessments, newest first, without
	// the review comment; reader is audited when not the person.
	SelfAssessments(ctx context.Context, personID, reader int64) ([]*SelfAssessment, error)
	// AssessmentScope is the assessed person's scope.
	AssessmentScope(ctx context.Context, id int64) (Scope, error)
	// AssessmentReview opens the review comment of an assessment.
	AssessmentReview(ctx context.Context, id int64) (string, error)
	ReviewAssessment(ctx context.Context, id, by int64, comment string) error
}
