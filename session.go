package peercircle

import (
	"context"
	"time"
)

// Session statuses.
const (
	SessionPlanned   = "planned"
	SessionHeld      = "held"
	SessionCancelled = "cancelled"
	SessionPostponed = "postponed"
)

// Session is one meeting of a group.
type Session struct {
	ID           int64
	GroupID      int64
	PlannedStart time.Time
	PlannedEnd   time.Time
	// LocalDate is the meeting's date in the site's zone (YYYY-MM-DD), fixed
	// when it is planned, so reports count it in the right quarter.
	LocalDate string
	// Occurrence is the schedule rule's original start for this meeting, or
	// nil for a one-off meeting.
	Occurrence      *time.Time
	Status          string
	StatusReason    string
	Edited          bool // changed by hand: rule changes never touch it
	VenueID         int64
	FacilitatorID   int64
	CoFacilitatorID int64
	Topic           string
	Speaker         string
	Sequence        int // iCalendar SEQUENCE, bumped on every visible change
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Attendance kinds and statuses.
const (
	AttendMember  = "member"
	AttendGuest   = "guest"   // coordinator or specialist supporting the session (000)
	AttendVisitor = "visitor" // staff from a site not yet in the programme (000)

	AttendExpected  = "expected"
	AttendPresent   = "present"
	AttendAbsent    = "absent"
	AttendApologies = "apologies"
)

// Attendance is one person's presence at a session.
type Attendance struct {
	ID        int64
	SessionID int64
	PersonID  int64  // 0 for someone without an account
	GuestName string // for people without an account
	Kind      string
	Status    string
	UpdatedAt time.Time
}

// Summary review states (Sheet 2 and Sheet 3 share them).
const (
	ReviewDraft     = "draft"
	ReviewSubmitted = "submitted"
	ReviewReturned  = "returned"
	ReviewAccepted  = "accepted"
)

// Validate checks a session's own fields before it is saved.
func (s *Session) Validate() error {
	f := FieldErrors{}
	if s.GroupID == 0 {
		f.Add("group", "error.required")
	}
	if s.PlannedStart.IsZero() {
		f.Add("start", "error.required")
	} else if y := s.PlannedStart.Year(); y < EarliestMeeting || y > LatestMeeting {
		f.Add("start", "session.date_out_of_range")
	}
	if !s.PlannedEnd.After(s.PlannedStart) {
		f.Add("end", "session.end_before_start")
	} else if s.PlannedEnd.Sub(s.PlannedStart) > MaxSessionLength {
		f.Add("end", "session.too_long")
	}
	if len(s.LocalDate) != len("2006-01-02") {
		f.Add("start", "error.date")
	}
	if !contains([]string{SessionPlanned, SessionHeld, SessionCancelled, SessionPostponed}, s.Status) {
		f.Add("status", "error.choice")
	}
	return f.Err()
}

// Meetings are planned or postponed to a date between these years: a year
// 0000 or 9999 is a slip, and would sit in every report and feed.
const (
	EarliestMeeting = 2000
	LatestMeeting   = 2100
)

// MaxSessionLength bounds one meeting: no group meets for more than 12 hours.
const MaxSessionLength = 12 * time.Hour

// SessionFilter selects sessions. Zero fields do not filter; From and To
// bound the planned start (From inclusive, To exclusive).
type SessionFilter struct {
	GroupID  int64
	GroupIDs []int64
	SiteID   int64
	From, To time.Time
	Statuses []string
	Limit    int
	// Latest lists the latest first (with Limit: the last few meetings).
	Latest bool
}

// SessionService stores meetings. The groups-and-schedules work adds
// materialising from a schedule; the session work adds running them.
//
// AddSession returns EINVALID when Validate fails and ENOTFOUND for an
// unknown group. Session returns ENOTFOUND for an unknown id. SessionScope
// includes the session's facilitators, so Can lets them run it.
type SessionService interface {
	AddSession(ctx context.Context, s *Session) error
	Session(ctx context.Context, id int64) (*Session, error)
	SessionScope(ctx context.Context, id int64) (Scope, error)
	// SessionInPlace is Session, its group and site, and SessionScope, in
	// one read: what every page of a meeting starts from.
	SessionInPlace(ctx context.Context, id int64) (*SessionInPlace, error)
	Sessions(ctx context.Context, f SessionFilter) ([]*Session, error)
}

// SessionInPlace is a meeting with the group and site it belongs to and its
// scope (which includes its facilitators).
type SessionInPlace struct {
	Session *Session
	Group   *Group
	Site    *Site
	Scope   Scope
}

// EarliestStart is how long before its planned time a meeting can be
// started: enough for an early room, not enough to start next month's.
const EarliestStart = 12 * time.Hour

// StartProblem says why a meeting cannot be started at now, as a message
// key, or "" when it can: only a planned meeting, from EarliestStart
// before its planned start until its planned end. A held meeting is not
// run twice, a cancelled or postponed one not at all, and a past one is
// recorded on Sheet 2 instead of being "on" for a date gone by.
func (s *Session) StartProblem(now time.Time) string {
	switch {
	case s.Status == SessionHeld:
		return "live.already_held"
	case s.Status == SessionCancelled || s.Status == SessionPostponed:
		return "meeting.not_running"
	case now.Before(s.PlannedStart.Add(-EarliestStart)):
		return "live.too_early"
	case !now.Before(s.PlannedEnd):
		return "live.past"
	}
	return ""
}

// On reports whether a planned meeting is in its time now (started or
// about to): from half an hour before its start until its end.
func (s *Session) On(now time.Time) bool {
	return s.Status == SessionPlanned && !now.Before(s.PlannedStart.Add(-30*time.Minute)) && now.Before(s.PlannedEnd)
}
