package peercircle

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The quarterly report (Sheet 3). 000: organisers "submit a quarterly
// summary report (Sheet 3) ... containing total number of sessions conducted
// at health centers, topics and facilitators". PeerCircle computes it from
// the sessions, never has it typed: the organiser adds a comment on
// achievements and challenges and submits it, a coordinator above the site
// accepts it or returns it with a comment (the review states of Sheet 2).

// Settings the reports read (SettingService), with their defaults.
const (
	// SettingK is k of k-anonymity: feedback and any count about fewer than
	// k people is shown as "fewer than k" (DESIGN.md rule 3).
	SettingK   = "privacy.k"
	DefaultK   = 3
	MinimumK   = 2
	SettingDue = "report.due_days"
	// DefaultDueDays: Sheet 3 is due this many days after its quarter ends.
	DefaultDueDays = 14
	// SettingNudgeDays: the organiser is reminded this many days before the
	// report is due.
	SettingNudgeDays = "report.nudge_days"
	DefaultNudgeDays = 5
	// SettingDHIS2 holds the DHIS2 mapping (JSON, see export.DHIS2Mapping).
	SettingDHIS2 = "report.dhis2_mapping"
)

// MeetingsPerMonth is what 000 expects of a staff group: "twice per month
// (every other week) ... during the second and the last week of each month".
const MeetingsPerMonth = 2

// Compliance levels of a group or site against its schedule.
const (
	ComplianceMeets  = "meets"  // held at least what the schedule expects
	CompliancePartly = "partly" // held at least half of it
	ComplianceBelow  = "below"  // held less than half
	ComplianceNone   = "none"   // nothing was expected (new, paused, ended)
)

// Tally is a name with how often it occurred: a topic refreshed, a
// facilitator and the sessions they facilitated, a kind of support given.
type Tally struct {
	Key   string // stable key: the topic text, a person id, a kind
	Name  string // what to show
	Count int
}

// Figures are the numbers of Sheet 3 for one group, or summed for a site,
// an area, a region or the organisation.
//
// Planned counts the meetings on the calendar for a date in the quarter
// that were meant to take place on that date: held, cancelled, and still
// planned (upcoming, or past with no outcome recorded). A postponed meeting
// moved to another date; it is counted as Postponed, and its new date counts
// where it falls. Expected is what the group's schedule asks for (its
// schedule's meetings; without one, two a month for a staff group, 000),
// against which compliance is measured.
type Figures struct {
	Planned     int `json:"planned"`
	Held        int `json:"held"`
	Cancelled   int `json:"cancelled"`
	Postponed   int `json:"postponed"`
	NotRecorded int `json:"not_recorded"` // past, still "planned": nobody recorded what happened
	Upcoming    int `json:"upcoming"`     // later in a quarter still running
	Expected    int `json:"expected"`

	DatesHeld    []string `json:"dates_held,omitempty"` // local dates, sorted
	Topics       []Tally  `json:"topics,omitempty"`
	Facilitators []Tally  `json:"facilitators,omitempty"`
	// UnlistedFacilitations counts sessions facilitated by people who
	// asked that their participation stays unlisted (DESIGN.md rule 4).
	UnlistedFacilitations int `json:"unlisted_facilitations,omitempty"`

	// Attendance counts presences at held sessions. Peers are members and
	// visiting members; guests (coordinators, specialists) are never peers.
	Attendance    int `json:"attendance"`
	Members       int `json:"members"`
	Visitors      int `json:"visitors"`
	Guests        int `json:"guests"`
	People        int `json:"people"` // different peers present at least once
	MemberPeople  int `json:"member_people"`
	VisitorPeople int `json:"visitor_people"`
	GuestPeople   int `json:"guest_people"`

	SummariesAccepted int `json:"summaries_accepted"`
	SummariesPending  int `json:"summaries_pending"` // draft, submitted or returned
	SummariesMissing  int `json:"summaries_missing"` // held, no summary yet
	CasesDiscussed    int `json:"cases_discussed"`

	// Feedback from the end-of-session sheet, only where at least k
	// responses exist; FeedbackResponses is always counted.
	FeedbackResponses int           `json:"feedback_responses"`
	Feedback          []FeedbackAvg `json:"feedback,omitempty"`
	// Support information given (signposting), by kind.
	Support []Tally `json:"support,omitempty"`
}

// FeedbackAvg is the average answer to one feedback question.
type FeedbackAvg struct {
	Question string  `json:"question"`
	Average  float64 `json:"average"`
	Count    int     `json:"count"`
}

// AveragePerSession is peers present per held session.
func (f *Figures) AveragePerSession() float64 {
	if f.Held == 0 {
		return 0
	}
	return float64(f.Attendance) / float64(f.Held)
}

// CompliancePercent is held of expected, in percent rounded to the
// nearest whole (11 of 12 is 92, not 91); 0 when none expected.
func (f *Figures) CompliancePercent() int {
	if f.Expected == 0 {
		return 0
	}
	return (f.Held*200 + f.Expected) / (2 * f.Expected)
}

// Compliance is the level of held against expected.
func (f *Figures) Compliance() string {
	switch {
	case f.Expected == 0:
		return ComplianceNone
	case f.Held >= f.Expected:
		return ComplianceMeets
	case 2*f.Held >= f.Expected:
		return CompliancePartly
	}
	return ComplianceBelow
}

// Add sums o into f. Distinct-people counts cannot be summed; callers that
// roll up set them from their own count of different people.
func (f *Figures) Add(o *Figures) {
	f.Planned += o.Planned
	f.Held += o.Held
	f.Cancelled += o.Cancelled
	f.Postponed += o.Postponed
	f.NotRecorded += o.NotRecorded
	f.Upcoming += o.Upcoming
	f.Expected += o.Expected
	f.DatesHeld = append(f.DatesHeld, o.DatesHeld...)
	f.Topics = MergeTallies(f.Topics, o.Topics)
	f.Facilitators = MergeTallies(f.Facilitators, o.Facilitators)
	f.UnlistedFacilitations += o.UnlistedFacilitations
	f.Attendance += o.Attendance
	f.Members += o.Members
	f.Visitors += o.Visitors
	f.Guests += o.Guests
	f.SummariesAccepted += o.SummariesAccepted
	f.SummariesPending += o.SummariesPending
	f.SummariesMissing += o.SummariesMissing
	f.CasesDiscussed += o.CasesDiscussed
	f.FeedbackResponses += o.FeedbackResponses
	f.Feedback = mergeFeedback(f.Feedback, o.Feedback)
	f.Support = MergeTallies(f.Support, o.Support)
}

// mergeFeedback combines averages of the same questions, weighted by how
// many answered each.
func mergeFeedback(a, b []FeedbackAvg) []FeedbackAvg {
	out := append([]FeedbackAvg(nil), a...)
	for _, x := range b {
		found := false
		for i := range out {
			if out[i].Question == x.Question {
				n := out[i].Count + x.Count
				if n > 0 {
					out[i].Average = (out[i].Average*float64(out[i].Count) + x.Average*float64(x.Count)) / float64(n)
				}
				out[i].Count = n
				found = true
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

// MergeTallies adds b's counts to a's by key, keeping the order most
// frequent first, then by name.
func MergeTallies(a, b []Tally) []Tally {
	if len(b) == 0 {
		return a
	}
	idx := map[string]int{}
	out := append([]Tally(nil), a...)
	for i, t := range out {
		idx[t.Key] = i
	}
	for _, t := range b {
		if i, ok := idx[t.Key]; ok {
			out[i].Count += t.Count
			continue
		}
		idx[t.Key] = len(out)
		out = append(out, t)
	}
	SortTallies(out)
	return out
}

// SortTallies orders tallies most frequent first, then by name.
func SortTallies(ts []Tally) {
	slices.SortFunc(ts, compareTallies)
}

func compareTallies(a, b Tally) int {
	if c := cmp.Compare(b.Count, a.Count); c != 0 {
		return c
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return strings.Compare(a.Key, b.Key)
}

// Figure keys: the scalar figures, in the order exports list them. They
// are the names a DHIS2 mapping refers to.
var FigureKeys = []string{
	"sessions_planned", "sessions_held", "sessions_cancelled", "sessions_postponed", "sessions_not_recorded",
	"meetings_expected", "compliance_percent",
	"attendance_total", "attendance_average", "attendance_members", "attendance_visitors", "attendance_guests",
	"people", "people_members", "people_visitors", "people_guests",
	"summaries_accepted", "summaries_pending", "summaries_missing", "cases_discussed", "feedback_responses",
}

// FigureValue is one scalar figure. About is how many different people
// the figure is about (0 when it is not about people, like a count of
// sessions): when 0 < About < k the figure is shown as "fewer than k".
// None is a figure that has no value: peers per meeting of a group that
// held none, held of expected when nothing was expected. It is shown as
// NoFigure, never as 0.
type FigureValue struct {
	N       float64
	Decimal bool
	About   int
	None    bool
}

// NoFigure is how a figure without a value is written, on pages and in
// exports.
const NoFigure = "—"

// Value returns a scalar figure by key; ok is false for an unknown key.
func (f *Figures) Value(key string) (v FigureValue, ok bool) {
	n := func(x int) FigureValue { return FigureValue{N: float64(x)} }
	about := func(x, people int) FigureValue { return FigureValue{N: float64(x), About: people} }
	switch key {
	case "sessions_planned":
		return n(f.Planned), true
	case "sessions_held":
		return n(f.Held), true
	case "sessions_cancelled":
		return n(f.Cancelled), true
	case "sessions_postponed":
		return n(f.Postponed), true
	case "sessions_not_recorded":
		return n(f.NotRecorded), true
	case "meetings_expected":
		return n(f.Expected), true
	case "compliance_percent":
		return FigureValue{N: float64(f.CompliancePercent()), None: f.Expected == 0}, true
	case "attendance_total":
		return about(f.Attendance, f.People), true
	case "attendance_average":
		return FigureValue{N: f.AveragePerSession(), Decimal: true, About: f.People, None: f.Held == 0}, true
	case "attendance_members":
		return about(f.Members, f.MemberPeople), true
	case "attendance_visitors":
		return about(f.Visitors, f.VisitorPeople), true
	case "attendance_guests":
		return about(f.Guests, f.GuestPeople), true
	case "people":
		return about(f.People, f.People), true
	case "people_members":
		return about(f.MemberPeople, f.MemberPeople), true
	case "people_visitors":
		return about(f.VisitorPeople, f.VisitorPeople), true
	case "people_guests":
		return about(f.GuestPeople, f.GuestPeople), true
	case "summaries_accepted":
		return n(f.SummariesAccepted), true
	case "summaries_pending":
		return n(f.SummariesPending), true
	case "summaries_missing":
		return n(f.SummariesMissing), true
	case "cases_discussed":
		return n(f.CasesDiscussed), true
	case "feedback_responses":
		return about(f.FeedbackResponses, f.FeedbackResponses), true
	}
	return FigureValue{}, false
}

// Hidden reports whether the value must be shown as "fewer than k".
func (v FigureValue) Hidden(k int) bool { return !v.None && v.About > 0 && v.About < k }

// Text writes the value for machines (CSV, DHIS2): a whole number, or one
// decimal place for averages; NoFigure for a figure without a value.
func (v FigureValue) Text() string {
	if v.None {
		return NoFigure
	}
	if v.Decimal {
		return strconv.FormatFloat(v.N, 'f', 1, 64)
	}
	return strconv.FormatInt(int64(v.N), 10)
}

// Suppressed reports whether a count about n people must be shown as
// "fewer than k".
func Suppressed(n, k int) bool { return n > 0 && n < k }

// GroupFigures are one group's figures in a Sheet 3.
type GroupFigures struct {
	GroupID int64   `json:"group_id"`
	Name    string  `json:"name"`
	Kind    string  `json:"kind"`
	Status  string  `json:"status"`
	Figures Figures `json:"figures"`
}

// Sheet3 is the computed quarterly report of one site.
type Sheet3 struct {
	SiteID   int64          `json:"site_id"`
	SiteName string         `json:"site_name"`
	Quarter  Quarter        `json:"quarter"`
	First    string         `json:"first"` // the quarter's first and last day
	Last     string         `json:"last"`
	Groups   []GroupFigures `json:"groups"`
	Total    Figures        `json:"total"`
	K        int            `json:"k"`
	// Running is true while the quarter has not ended in the site's zone.
	Running    bool      `json:"running"`
	ComputedAt time.Time `json:"computed_at"`
}

// Change is one difference between two versions of a Sheet 3: what the
// organiser and coordinator see when a report is re-opened or resubmitted.
type Change struct {
	Group  string // group name, "" for the site's total
	Figure string // a figure key, or "topics", "facilitators", "dates_held"
	Before string
	After  string
}

// DiffSheets lists what changed from a to b, total first, then by group.
func DiffSheets(a, b *Sheet3) []Change {
	if a == nil || b == nil {
		return nil
	}
	var out []Change
	out = append(out, diffFigures("", &a.Total, &b.Total)...)
	before := map[int64]*GroupFigures{}
	for i := range a.Groups {
		before[a.Groups[i].GroupID] = &a.Groups[i]
	}
	seen := map[int64]bool{}
	for i := range b.Groups {
		g := &b.Groups[i]
		seen[g.GroupID] = true
		old, ok := before[g.GroupID]
		if !ok {
			old = &GroupFigures{}
		}
		out = append(out, diffFigures(g.Name, &old.Figures, &g.Figures)...)
	}
	for i := range a.Groups {
		if g := &a.Groups[i]; !seen[g.GroupID] {
			out = append(out, diffFigures(g.Name, &g.Figures, &Figures{})...)
		}
	}
	return out
}

func diffFigures(group string, a, b *Figures) []Change {
	var out []Change
	for _, k := range FigureKeys {
		va, _ := a.Value(k)
		vb, _ := b.Value(k)
		if va.Text() != vb.Text() {
			out = append(out, Change{Group: group, Figure: k, Before: va.Text(), After: vb.Text()})
		}
	}
	list := func(key string, x, y []string) {
		if strings.Join(x, "; ") != strings.Join(y, "; ") {
			out = append(out, Change{Group: group, Figure: key, Before: strings.Join(x, "; "), After: strings.Join(y, "; ")})
		}
	}
	list("dates_held", a.DatesHeld, b.DatesHeld)
	list("topics", tallyText(a.Topics), tallyText(b.Topics))
	list("facilitators", tallyText(a.Facilitators), tallyText(b.Facilitators))
	return out
}

func tallyText(ts []Tally) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("%s (%d)", t.Name, t.Count)
	}
	return out
}

// Report is the stored Sheet 3 of a site and quarter: its review state,
// the organiser's comment, and the figures frozen when it was submitted.
// A report never stored is in draft with ID 0.
type Report struct {
	ID               int64
	SiteID           int64
	Quarter          Quarter
	State            string // ReviewDraft, ReviewSubmitted, ReviewReturned, ReviewAccepted
	NoMeetings       bool   // "no meetings this quarter", with a reason
	NoMeetingsReason string
	Comment          string // achievements and challenges, by the organiser
	ReviewComment    string // the coordinator's comment on return or accept
	Version          int    // bumped on every change; forms send it back
	SubmittedBy      int64
	SubmittedAt      *time.Time
	ReviewedBy       int64
	ReviewedAt       *time.Time
	// Snapshot is the Sheet 3 as submitted last; Previous the one submitted
	// before it, when the report was returned and submitted again.
	Snapshot *Sheet3
	Previous *Sheet3
	History  []ReportEvent
}

// Frozen reports whether the report shows its snapshot rather than live
// figures: once submitted, later edits to sessions do not change it.
func (r *Report) Frozen() bool {
	return r.Snapshot != nil && (r.State == ReviewSubmitted || r.State == ReviewAccepted)
}

// ReportEvent is one step of a report's review.
type ReportEvent struct {
	At        time.Time
	ActorID   int64
	ActorName string
	State     string
	Comment   string
}

// Limits on what people type into a report.
const (
	MaxReportComment = 4000
	MaxReasonLength  = 1000
)

// ReportSubmission is the organiser submitting Sheet 3.
type ReportSubmission struct {
	SiteID           int64
	Quarter          Quarter
	ActorID          int64
	Comment          string
	NoMeetings       bool
	NoMeetingsReason string
	Version          int // the version the organiser saw
}

// Validate checks the submission's own fields.
func (s *ReportSubmission) Validate() error {
	f := FieldErrors{}
	s.Comment = strings.TrimSpace(s.Comment)
	s.NoMeetingsReason = strings.TrimSpace(s.NoMeetingsReason)
	if utf8.RuneCountInString(s.Comment) > MaxReportComment {
		f.Add("comment", "error.too_long")
	}
	if s.NoMeetings && s.NoMeetingsReason == "" {
		f.Add("no_meetings_reason", "report.reason_required")
	}
	if utf8.RuneCountInString(s.NoMeetingsReason) > MaxReasonLength {
		f.Add("no_meetings_reason", "error.too_long")
	}
	if !s.NoMeetings {
		s.NoMeetingsReason = ""
	}
	return f.Err()
}

// ReportReview is a coordinator accepting or returning Sheet 3.
type ReportReview struct {
	SiteID  int64
	Quarter Quarter
	ActorID int64
	Accept  bool
	Comment string
	Version int
}

// Validate checks the review's own fields: a return needs a comment.
func (r *ReportReview) Validate() error {
	f := FieldErrors{}
	r.Comment = strings.TrimSpace(r.Comment)
	if !r.Accept && r.Comment == "" {
		f.Add("review_comment", "report.return_comment_required")
	}
	if utf8.RuneCountInString(r.Comment) > MaxReportComment {
		f.Add("review_comment", "error.too_long")
	}
	return f.Err()
}

// Levels of the organisation tree that reports roll up to.
const (
	LevelOrganisation = "organisation"
	LevelRegion       = "region"
	LevelArea         = "area"
	LevelSite         = "site"
)

// TrendPoint is one quarter of a trend line.
type TrendPoint struct {
	Quarter    Quarter
	Planned    int
	Held       int
	Expected   int
	Attendance int
}

// Average is peers present per held session in that quarter.
func (t TrendPoint) Average() float64 {
	if t.Held == 0 {
		return 0
	}
	return float64(t.Attendance) / float64(t.Held)
}

// HasAverage reports whether the quarter has peers per meeting: only
// when a meeting was held (otherwise pages write NoFigure, not 0.0).
func (t TrendPoint) HasAverage() bool { return t.Held > 0 }

// Empty reports whether nothing was planned, expected or held in the
// quarter: before the group (or every group of a site) existed, or while
// it was paused. Pages write NoFigure for its figures.
func (t TrendPoint) Empty() bool { return t.Planned == 0 && t.Held == 0 && t.Expected == 0 }

// SiteRow is one site in a roll-up: its figures, its report's state and
// what needs a coordinator's attention.
type SiteRow struct {
	Site        Site
	AreaID      int64
	RegionID    int64
	Figures     Figures
	ReportState string // ReviewDraft when nothing is stored
	Due         string // the report's due date (local)
	Late        bool   // due date passed and not submitted
	// SubmittedLate is the local date a report was submitted after its due
	// date ("" when on time or not submitted): it stays late once sent.
	SubmittedLate string
	FadedGroups   int // active groups that held no meeting in the quarter
	Attention     []string
	Trend         []TrendPoint
}

// NodeRow is an area or region summed over its sites.
type NodeRow struct {
	ID        int64
	ParentID  int64
	Name      string
	Sites     int
	Submitted int // reports submitted or accepted
	Accepted  int
	Late      int
	Figures   Figures
}

// RollUp is the same figures summed over the sites of an area, a region or
// the organisation, with each site's compliance and report state.
type RollUp struct {
	Level   string
	ID      int64 // 0 for the organisation
	Name    string
	Quarter Quarter
	First   string
	Last    string
	K       int
	Regions []NodeRow
	Areas   []NodeRow
	Sites   []SiteRow // sites needing attention first
	Total   Figures
	Trend   []TrendPoint // the whole scope, oldest first
}

// Attention reasons, as message keys (report.attention.*), most urgent first.
const (
	AttentionReturned    = "returned"
	AttentionLate        = "late"
	AttentionFaded       = "faded"
	AttentionBelow       = "below"
	AttentionSummaries   = "summaries"
	AttentionToReview    = "to_review"
	AttentionNotRecorded = "not_recorded"
)

// ReportRow is one quarter in a site's list of reports.
type ReportRow struct {
	Quarter Quarter
	State   string
	Due     string
	Late    bool
}

// ReportService computes and stores quarterly reports.
//
// Sheet3 returns ENOTFOUND for an unknown site and EINVALID with key
// "report.future_quarter" for a quarter that has not started in the site's
// zone. Report returns the stored report, or a draft with ID 0 when none is
// stored. SubmitReport returns EINVALID when Validate fails, when the
// quarter has not ended ("report.quarter_running") or when "no meetings"
// is claimed for a quarter with meetings held ("report.meetings_held");
// ECONFLICT when the report changed since Version or is not in draft or
// returned ("report.not_open"). ReviewReport returns EINVALID when Validate
// fails and ECONFLICT when the report is not submitted or changed since
// Version. RollUp returns ENOTFOUND for an unknown region or area and
// EINVALID for an unknown level or a future quarter.
type ReportService interface {
	Sheet3(ctx context.Context, siteID int64, q Quarter) (*Sheet3, error)
	Report(ctx context.Context, siteID int64, q Quarter) (*Report, error)
	SiteReports(ctx context.Context, siteID int64, from, to Quarter) ([]ReportRow, error)
	SubmitReport(ctx context.Context, in *ReportSubmission) (*Report, error)
	ReviewReport(ctx context.Context, in *ReportReview) (*Report, error)
	RollUp(ctx context.Context, level string, id int64, q Quarter, trend int) (*RollUp, error)
	GroupTrends(ctx context.Context, siteID int64, q Quarter, n int) (map[int64][]TrendPoint, error)
	CurrentQuarter(ctx context.Context, siteID int64) (Quarter, error)
}
