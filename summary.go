package peercircle

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// The session summary (Sheet 2, 000): the facilitator's short record of a
// meeting. Its figures (topic, cases discussed, support given, attendance,
// segment times) are plain so reports can count them; its sections (key
// issues, decisions, achievements, challenges, follow-ups) are confidential:
// sealed at rest, never logged, shown only to the group's facilitators and
// the reviewing organiser. Coordinators see counts and topics.

// Summary note sections, in the order of the sheet.
const (
	NoteKeyIssues    = "key_issues"
	NoteDecisions    = "decisions"
	NoteAchievements = "achievements"
	NoteChallenges   = "challenges"
	NoteFollowUps    = "follow_ups"
)

// NoteFields lists the confidential sections of Sheet 2.
var NoteFields = []string{NoteKeyIssues, NoteDecisions, NoteAchievements, NoteChallenges, NoteFollowUps}

// Kinds of support information a facilitator gives (000: "provide
// information on other potentially useful support services available
// outside of the Group"; 003: GP, crisis centre, mental health team).
var SupportKinds = []string{"gp", "crisis", "mental_health", "legal", "social", "other"}

// MaxCases bounds the cases discussed in one meeting.
const MaxCases = 50

// Summary is Sheet 2 of one session.
type Summary struct {
	SessionID      int64
	State          string
	AuthorID       int64
	Topic          string
	CasesDiscussed int
	// Notes holds the confidential sections by field (NoteFields). It is
	// empty when the summary was read without them.
	Notes map[string]string
	// Allowed holds, per field, the words the writer confirmed are not a
	// person; the guard does not flag them again.
	Allowed       map[string][]string
	Support       map[string]int // support information given, by kind
	ReturnComment string
	ReviewedBy    int64
	SubmittedAt   *time.Time
	ReviewedAt    *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Version is bumped on every save; a save naming an older version is
	// refused, so two facilitators never overwrite each other unseen.
	Version int
}

// Validate checks a summary's own fields before it is saved.
func (s *Summary) Validate() error {
	f := FieldErrors{}
	s.Topic = strings.TrimSpace(s.Topic)
	if utf8.RuneCountInString(s.Topic) > MaxItemTitle {
		f.Add("topic", "summary.topic_too_long")
	}
	if s.CasesDiscussed < 0 || s.CasesDiscussed > MaxCases {
		f.Add("cases_discussed", "error.range")
	}
	for k, v := range s.Notes {
		if !contains(NoteFields, k) {
			f.Add(k, "error.choice")
		} else if utf8.RuneCountInString(v) > MaxNote {
			f.Add(k, "summary.note_too_long")
		}
	}
	for k, n := range s.Support {
		if !contains(SupportKinds, k) {
			f.Add("support_"+k, "error.choice")
		} else if n < 0 || n > 500 {
			f.Add("support_"+k, "error.range")
		}
	}
	return f.Err()
}

// Editable reports whether the facilitator may still change the summary.
func (s *Summary) Editable() bool {
	return s.State == "" || s.State == ReviewDraft || s.State == ReviewReturned
}

// SupportTotal is how many times support information was given.
func (s *Summary) SupportTotal() int {
	n := 0
	for _, c := range s.Support {
		n += c
	}
	return n
}

// SummaryRow is a summary in a list: what coordinators may see.
type SummaryRow struct {
	SessionID      int64
	GroupID        int64
	GroupName      string
	SiteID         int64
	SiteName       string
	LocalDate      string
	PlannedStart   time.Time
	State          string
	Topic          string
	CasesDiscussed int
	SupportGiven   int
	Attendance     AttendanceCounts
	SubmittedAt    *time.Time
	ReviewedAt     *time.Time
}

// SummaryFilter selects summaries by site and state; zero fields do not
// filter, but SiteIDs must not be empty (nobody lists every site by accident).
type SummaryFilter struct {
	SiteIDs  []int64
	GroupIDs []int64
	States   []string
	Limit    int
	// Before pages by key (issue 14): only summaries of meetings older
	// than this one's, in the list's order (newest first).
	Before int64
}

// SegmentTime is a segment's plan and the minutes actually spent, for the
// summary.
type SegmentTime struct {
	Position int
	AgendaSegment
	ActualMinutes int
}

// SummaryService stores Sheet 2.
//
// Summary returns ENOTFOUND when none was started; withNotes opens the
// sealed sections (callers check ActReadConfidential and audit the read).
// SaveSummary returns EINVALID when Validate fails, when the session was
// cancelled or postponed or has not happened yet ("summary.not_held"), or
// when the guard finds something unconfirmed (field, "guard.unconfirmed");
// ECONFLICT when the summary was submitted or accepted, or Version is stale.
// SubmitSummary and ReviewSummary return ECONFLICT from the wrong state and
// EINVALID for a return without a comment, or a comment in which the
// guard finds a name or identifier whose guard.Key is not in allowed (the
// words the reviewer confirmed as not a person; counted in the audit log,
// never stored). Each step notifies the next
// person in the app (organisers on submission, the writer on return, the
// writer and the coordinators above on acceptance), never with the text.
type SummaryService interface {
	Summary(ctx context.Context, sessionID int64, withNotes bool) (*Summary, error)
	SaveSummary(ctx context.Context, s *Summary, actorID int64) error
	SubmitSummary(ctx context.Context, sessionID, actorID int64) error
	ReviewSummary(ctx context.Context, sessionID, reviewerID int64, accept bool, comment string, allowed ...string) error
	Summaries(ctx context.Context, f SummaryFilter) ([]*SummaryRow, error)
	// SegmentTimes returns the session's agenda with actual minutes: from
	// the live session when it was run, else the group's template.
	SegmentTimes(ctx context.Context, sessionID int64) ([]SegmentTime, error)
	// SetSegmentMinutes corrects the actual minutes of the segments.
	SetSegmentMinutes(ctx context.Context, sessionID int64, minutes map[int]int) error
}
