package peercircle

import "time"

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
