package peercircle

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Running a session: what members bring to the agenda before the meeting,
// the live state the facilitator drives during it (000: time-keeping,
// agenda-setting, a check-in for everyone), and the Circle of Emotions.

// Limits on free text about a session. A note longer than this is refused
// with a clear message; nothing is cut silently.
const (
	MaxItemTitle = 200  // an agenda item is a short title
	MaxNote      = 4000 // one section of a summary, one feedback answer
)

// Agenda item kinds (000: "particular issues they wish to discuss ... or a
// particular case"; 001: topics members would find meaningful).
const (
	ItemCase  = "case"
	ItemIssue = "issue"
	ItemTopic = "topic"
)

// ItemKinds lists the agenda item kinds in display order.
var ItemKinds = []string{ItemCase, ItemIssue, ItemTopic}

// Agenda item statuses.
const (
	ItemProposed  = "proposed"
	ItemDiscussed = "discussed"
	ItemDeferred  = "deferred" // not reached; bring it next time
)

// AgendaItem is something a member proposes for a coming session. The title
// is confidential (it may describe a case) and sealed at rest; it passes the
// confidentiality guard before it is saved.
type AgendaItem struct {
	ID        int64
	SessionID int64
	AuthorID  int64
	Kind      string
	Title     string
	// Allowed holds the words the author confirmed are not a person.
	Allowed   []string
	Minutes   int // the facilitator's estimate, 0 = not set
	Position  int
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks an agenda item before it is saved.
func (a *AgendaItem) Validate() error {
	f := FieldErrors{}
	a.Title = strings.TrimSpace(a.Title)
	if !contains(ItemKinds, a.Kind) {
		f.Add("kind", "error.choice")
	}
	switch n := utf8.RuneCountInString(a.Title); {
	case n == 0:
		f.Add("title", "error.required")
	case n > MaxItemTitle:
		f.Add("title", "board.title_too_long")
	}
	if a.Minutes < 0 || a.Minutes > 240 {
		f.Add("minutes", "error.range")
	}
	if a.Status == "" {
		a.Status = ItemProposed
	}
	if !contains([]string{ItemProposed, ItemDiscussed, ItemDeferred}, a.Status) {
		f.Add("status", "error.choice")
	}
	return f.Err()
}

// Live session states.
const (
	LiveRunning = "running"
	LiveEnded   = "ended"
)

// LiveSegment is one segment of a running meeting: its plan and the time
// actually spent in it so far.
type LiveSegment struct {
	Position int
	AgendaSegment
	// ActualSeconds is the time spent in the segment before it was left
	// (the current segment adds the time since Live.SegmentStarted).
	ActualSeconds int
}

// Check-in turn states (001: each can speak or pass; "just be there").
const (
	TurnWaiting  = "waiting"
	TurnSpeaking = "speaking"
	TurnSpoke    = "spoke"
	TurnPassed   = "passed"
)

// CheckinTurn is one present person's place in the check-in round.
type CheckinTurn struct {
	AttendanceID int64
	Name         string
	Position     int
	State        string
}

// CheckInProblem says why a member cannot mark themselves present from
// their phone, or "" when they can: only while the meeting is running.
// Before it starts there is nothing to be at; once it has ended its
// attendance changes only through Sheet 2, by the facilitator or organiser.
func CheckInProblem(m *Session, l *Live, now time.Time) string {
	switch {
	case l == nil && now.After(m.PlannedEnd):
		return "meeting.checkin_closed"
	case l == nil:
		return "meeting.checkin_not_now"
	case l.State != LiveRunning:
		return "meeting.checkin_closed"
	}
	return ""
}

// Done reports whether the person has had their turn.
func (c CheckinTurn) Done() bool { return c.State == TurnSpoke || c.State == TurnPassed }

// Feelings of the Circle of Emotions check-in, in the order the circle
// shows them. Members pick one on their own phone; the room sees counts.
var Feelings = []string{"calm", "happy", "hopeful", "tired", "worried", "stressed", "sad", "angry"}

// Live is the state of a meeting being run. It lives in the database, so a
// reload, a dropped connection or a second app instance sees the same.
type Live struct {
	SessionID      int64
	State          string
	Segment        int // position of the current segment
	SegmentStarted time.Time
	StartedAt      time.Time
	EndedAt        *time.Time
	ReminderDone   bool // the confidentiality reminder has been given
	Version        int  // bumped on every change, for pages that poll
	Segments       []LiveSegment
	Checkin        []CheckinTurn
	Feelings       map[string]int
}

// Current returns the current segment (a zero one when there are none).
func (l *Live) Current() LiveSegment {
	for _, s := range l.Segments {
		if s.Position == l.Segment {
			return s
		}
	}
	return LiveSegment{}
}

// SegmentSeconds is the time spent in the current segment, at now.
func (l *Live) SegmentSeconds(now time.Time) int {
	c := l.Current()
	if l.State != LiveRunning || l.SegmentStarted.IsZero() {
		return c.ActualSeconds
	}
	return c.ActualSeconds + int(now.Sub(l.SegmentStarted).Seconds())
}

// RemainingSeconds is what is left of the current segment's plan; below
// zero the segment has run over.
func (l *Live) RemainingSeconds(now time.Time) int {
	return l.Current().Minutes*60 - l.SegmentSeconds(now)
}

// TotalSeconds is the running total of the meeting: every segment's time.
func (l *Live) TotalSeconds(now time.Time) int {
	total := 0
	for _, s := range l.Segments {
		if s.Position == l.Segment {
			total += l.SegmentSeconds(now)
		} else {
			total += s.ActualSeconds
		}
	}
	return total
}

// PlannedSeconds is the whole agenda's plan.
func (l *Live) PlannedSeconds() int {
	total := 0
	for _, s := range l.Segments {
		total += s.Minutes * 60
	}
	return total
}

// FeelingsCount is how many people shared a feeling.
func (l *Live) FeelingsCount() int {
	n := 0
	for _, c := range l.Feelings {
		n += c
	}
	return n
}

// AttendanceEntry is one line of a session's attendance: a member of the
// group (with or without an attendance record yet) or a guest or visitor.
type AttendanceEntry struct {
	Attendance
	Name    string // display name; for people without an account, as typed
	OnLeave bool   // members on leave are not counted as absent
}

// Answered reports whether the person said ahead whether they would come.
func (a *AttendanceEntry) Answered() bool { return a.ID != 0 }

// AttendanceCounts are the attendance figures of Sheet 2.
type AttendanceCounts struct {
	Members   int // peers present, visiting members included
	Visitors  int
	Guests    int // coordinators or specialists; never counted as peers
	Apologies int
	Absent    int
}

// Present is everyone in the room.
func (c AttendanceCounts) Present() int { return c.Members + c.Guests }

// CountAttendance sums a session's attendance.
func CountAttendance(es []*AttendanceEntry) AttendanceCounts {
	var c AttendanceCounts
	for _, e := range es {
		switch e.Status {
		case AttendPresent:
			switch e.Kind {
			case AttendGuest:
				c.Guests++
			case AttendVisitor:
				c.Visitors++
				c.Members++
			default:
				c.Members++
			}
		case AttendApologies:
			c.Apologies++
		case AttendAbsent:
			c.Absent++
		}
	}
	return c
}

// SessionRunService runs meetings: agenda items, attendance, the live state
// and the Circle of Emotions.
//
// Writes to a cancelled or postponed session return EINVALID with the key
// "meeting.not_running". ProposeItem returns EINVALID when Validate fails or
// the confidentiality guard finds something the author has not confirmed
// (field "title", key "guard.unconfirmed"). Live returns ENOTFOUND before
// the meeting is started. PickFeeling returns ECONFLICT when the person has
// already shared one. Unknown records are ENOTFOUND.
type SessionRunService interface {
	// MeetingView reads what a meeting's page shows a person who takes
	// part: what SessionTopic, AgendaItems, SegmentTimes, Attendance, Live,
	// HasPickedFeeling, FeedbackClaim, FeedbackRound and Summary (without
	// its notes) return, in one read. ENOTFOUND for no such meeting.
	MeetingView(ctx context.Context, sessionID, personID int64) (*MeetingView, error)
	// ProtectedNames returns the names the guard protects for a session:
	// its group's members and facilitators (full and chosen names), the
	// session's facilitators and the people recorded without an account.
	ProtectedNames(ctx context.Context, sessionID int64) ([]string, error)
	// NamesOf returns the names the guard protects in a text about people
	// outside a meeting (a support request, supervision notes): the
	// members and facilitators of the group (0 for none) and the people
	// given, full and chosen names.
	NamesOf(ctx context.Context, groupID int64, people ...int64) ([]string, error)

	ProposeItem(ctx context.Context, it *AgendaItem) error
	AgendaItems(ctx context.Context, sessionID int64) ([]*AgendaItem, error)
	// UpdateItem changes an item's minutes, status or position (op "up",
	// "down", "minutes", "discussed", "deferred", "proposed", "delete").
	UpdateItem(ctx context.Context, sessionID, itemID int64, op string, minutes int) error

	// Attendance lists the session's group members (current memberships)
	// and everyone recorded for the session.
	Attendance(ctx context.Context, sessionID int64) ([]*AttendanceEntry, error)
	// MarkPresent records a member as present (or absent when present is
	// false), creating the record if needed. It, AddGuest and
	// SetGuestPresent are the facilitator's: refused (ECONFLICT
	// "summary.locked") once the meeting's Sheet 2 is submitted or
	// accepted, as the summary's figures are then under review.
	MarkPresent(ctx context.Context, sessionID, personID int64, present bool) error
	// CheckIn is a member marking themselves present ("I'm here"): only
	// while the meeting runs (EINVALID with CheckInProblem's key).
	CheckIn(ctx context.Context, sessionID, personID int64) error
	// AddGuest records someone without an account as present.
	AddGuest(ctx context.Context, sessionID int64, name, kind string) (int64, error)
	// SetGuestPresent marks a recorded guest present or absent.
	SetGuestPresent(ctx context.Context, sessionID, attendanceID int64, present bool) error

	StartLive(ctx context.Context, sessionID int64) (*Live, error)
	// StartLiveAs starts the meeting and records who facilitates it
	// (0 keeps the planned facilitator); by is who started it.
	StartLiveAs(ctx context.Context, sessionID, facilitatorID, by int64) (*Live, error)
	// SetFacilitator corrects who facilitated the meeting, on Sheet 2
	// before it is submitted (ECONFLICT "summary.locked" after); the person
	// must be a current member of the group or on its attendance
	// (EINVALID, field "facilitator").
	SetFacilitator(ctx context.Context, sessionID, personID, by int64) error
	Live(ctx context.Context, sessionID int64) (*Live, error)
	LiveVersion(ctx context.Context, sessionID int64) (int, error)
	// GoToSegment moves the meeting to a segment, adding the time spent to
	// the segment it leaves.
	GoToSegment(ctx context.Context, sessionID int64, position int) error
	ReminderDone(ctx context.Context, sessionID int64) error
	EndLive(ctx context.Context, sessionID int64) error
	// CheckinTurn sets one person's check-in state; "shuffle" reorders the
	// people still waiting (ShuffleCheckin).
	SetTurn(ctx context.Context, sessionID, attendanceID int64, state string) error
	ShuffleCheckin(ctx context.Context, sessionID int64) error
	// PickFeeling adds one to a feeling's count and remembers that the
	// person picked, never which feeling. personID 0 is a pick the
	// facilitator adds for someone without a phone.
	PickFeeling(ctx context.Context, sessionID, personID int64, feeling string) error
	HasPickedFeeling(ctx context.Context, sessionID, personID int64) (bool, error)
}

// MeetingView is what a meeting's page shows someone who takes part in it.
type MeetingView struct {
	Topic      *Topic // nil: no topic chosen
	Presenter  int64  // who presents the topic (0: its guest speaker)
	Items      []*AgendaItem
	Segments   []SegmentTime
	Attendance []*AttendanceEntry
	Live       *Live          // nil: not started
	Picked     bool           // the person has shared a feeling
	Claim      FeedbackClaim  // where the person is with the feedback
	Feedback   *FeedbackRound // nil: no round opened
	Summary    *Summary       // nil: no Sheet 2 yet; its notes stay sealed
}
