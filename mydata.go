package peercircle

import (
	"context"
	"time"
)

// DESIGN.md rule 4: a member can see, export and erase what is stored about
// them. MyData is everything PeerCircle holds about one person, in the
// shape the "My data" page shows and the JSON export writes (the JSON
// names are part of the documented export format, docs/privacy.md).

// PersonErased is the status of a person who was erased: the row stays as
// a tombstone so that attendance, facilitation and review steps still
// count, but it holds no name, login or password and can never sign in.
const PersonErased = "erased"

// ErasedName is what an erased person's full name becomes. It is a marker,
// not a name: the web pages replace it with a neutral label in the
// reader's language, the guard never protects it, and Person.Validate
// refuses any name containing its separator, so nobody can take it on.
const ErasedName = erasedMark + "(erased)" + erasedMark

// erasedMark is U+2063 INVISIBLE SEPARATOR, which no real name contains.
const erasedMark = "\u2063"

// IsErasedName reports whether a name is the erased marker.
func IsErasedName(name string) bool { return name == ErasedName }

// MyData is what is stored about one person.
type MyData struct {
	GeneratedAt     time.Time          `json:"generated_at"`
	Account         MyAccount          `json:"account"`
	Roles           []MyRole           `json:"roles"`
	Memberships     []MyMembership     `json:"memberships"`
	EthicsAcks      []MyEthicsAck      `json:"ethics_acknowledgements"`
	Attendance      []MyAttendance     `json:"attendance"`
	Turns           []MyTurn           `json:"turns"`
	AgendaItems     []MyAgendaItem     `json:"agenda_items"`
	Offers          []MyOffer          `json:"volunteer_offers"`
	SupportRequests []MySupportRequest `json:"support_requests"`
	Notifications   []MyNotification   `json:"notifications"`
	CalendarFeeds   []MyCalendarFeed   `json:"calendar_feeds"`
	Sessions        int                `json:"signed_in_sessions"`
	KnownDevices    int                `json:"known_devices"`
	Summaries       []MyRecord         `json:"summaries_written"`
	Reports         []MyRecord         `json:"reports_submitted"`
	// Growth is what the person keeps in "My growth" (growth.go).
	Growth MyGrowth `json:"growth"`
	// ReadsByOthers are the audit events of someone else reading the
	// person's confidential records (rule 5), without what was read.
	ReadsByOthers []MyAuditEvent `json:"reads_by_others"`
	// AccountEvents are the audit events about the account itself
	// (sign-ins, invitations, role changes).
	AccountEvents []MyAuditEvent `json:"account_events"`
}

// MyGrowth is the person's GROW worksheets (opened), their dated
// self-assessments (level by competency code) and the supervision
// sessions recorded with them (dates and supervisor; the notes stay on
// their own page, where reading them is audited).
type MyGrowth struct {
	Worksheets      []*GrowWorksheet   `json:"worksheets"`
	SelfAssessments []MySelfAssessment `json:"self_assessments"`
	Supervision     []MySupervision    `json:"supervision_sessions"`
	Buddies         []MyBuddyPairing   `json:"buddy_pairings"`
	Training        []MyTraining       `json:"training_completed"`
}

// MyBuddyPairing is an induction pairing the person is in, as the newcomer
// or as the buddy, with the other person's name.
type MyBuddyPairing struct {
	Role     string `json:"role"` // "newcomer" or "buddy"
	With     string `json:"with"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
	Ended    bool   `json:"ended_early"`
}

// MyTraining is a course the person completed.
type MyTraining struct {
	Course      string `json:"course"`
	CompletedOn string `json:"completed_on"`
}

// MySelfAssessment is one dated self-assessment.
type MySelfAssessment struct {
	CreatedAt time.Time         `json:"created_at"`
	Levels    map[string]string `json:"levels"`
	Reviewed  bool              `json:"reviewed"`
}

// MySupervision is one supervision session of the person as supervisee.
type MySupervision struct {
	ID         int64  `json:"id"`
	HeldOn     string `json:"held_on"`
	Supervisor string `json:"supervisor"`
}

// MyAccount is the person row.
type MyAccount struct {
	ID          int64     `json:"id"`
	FullName    string    `json:"full_name"`
	DisplayName string    `json:"display_name"`
	Username    string    `json:"username"`
	Email       string    `json:"email"`
	Lang        string    `json:"language"`
	HomeSite    string    `json:"home_site"`
	Status      string    `json:"status"`
	HasPassword bool      `json:"has_password"`
	CreatedAt   time.Time `json:"created_at"`
}

// MyRole is a role held through a grant.
type MyRole struct {
	Role      string `json:"role"`
	ScopeKind string `json:"scope_kind"`
	Scope     string `json:"scope"` // the site, area or region's name; "" for the organisation
}

// MyMembership is one group the person belongs or belonged to, with their
// choices there. ContactAddress is opened for its owner only.
type MyMembership struct {
	GroupID        int64       `json:"group_id"`
	Group          string      `json:"group"`
	Role           string      `json:"role"`
	Status         string      `json:"status"`
	Visiting       bool        `json:"visiting"`
	Unlisted       bool        `json:"unlisted"`
	DisplayName    string      `json:"display_name"`
	RequestedAt    *time.Time  `json:"requested_at,omitempty"`
	JoinedAt       *time.Time  `json:"joined_at,omitempty"`
	LeftAt         *time.Time  `json:"left_at,omitempty"`
	LeaveUntil     string      `json:"leave_until,omitempty"`
	ContactChannel string      `json:"contact_channel"`
	ContactAddress string      `json:"contact_address"`
	Consents       []MyConsent `json:"consents"`
}

// MyConsent is one consent record, given and perhaps withdrawn.
type MyConsent struct {
	Kind        string     `json:"kind"`
	GivenAt     time.Time  `json:"given_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
}

// MyEthicsAck is an acknowledgement of a version of a group's code of ethics.
type MyEthicsAck struct {
	Group   string    `json:"group"`
	Version int       `json:"version"`
	At      time.Time `json:"at"`
}

// MyAttendance is one attendance row or answer ahead (RSVP).
type MyAttendance struct {
	SessionID int64  `json:"session_id"`
	Group     string `json:"group"`
	Date      string `json:"date"` // the meeting's local date
	Kind      string `json:"kind"`
	Status    string `json:"status"`
}

// MyTurn is a role taken at a meeting: facilitating or a volunteer role.
type MyTurn struct {
	SessionID int64  `json:"session_id"`
	Group     string `json:"group"`
	Date      string `json:"date"`
	Role      string `json:"role"`
}

// MyAgendaItem is something the person proposed for a meeting; its title
// is sealed and opened for its author.
type MyAgendaItem struct {
	SessionID int64     `json:"session_id"`
	Group     string    `json:"group"`
	Date      string    `json:"date"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// MyOffer is a volunteer role the person offered to take in a group.
type MyOffer struct {
	Group     string    `json:"group"`
	Role      string    `json:"role"`
	OfferedAt time.Time `json:"offered_at"`
}

// MySupportRequest is one of the person's own requests for more support,
// with the sealed text opened for them.
type MySupportRequest struct {
	ID             int64      `json:"id"`
	To             string     `json:"to"`
	Group          string     `json:"group,omitempty"`
	Site           string     `json:"site"`
	Message        string     `json:"message"`
	ContactChannel string     `json:"contact_channel"`
	ContactAddress string     `json:"contact_address"`
	Reply          string     `json:"reply"`
	State          string     `json:"state"`
	CreatedAt      time.Time  `json:"created_at"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
}

// MyNotification is an in-app notification (kind and parameters; pages
// render the text in the reader's language).
type MyNotification struct {
	Kind      string     `json:"kind"`
	Params    []string   `json:"params"`
	Text      string     `json:"text,omitempty"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// MyCalendarFeed is a secret calendar link (never the link itself in the
// export: it is a credential).
type MyCalendarFeed struct {
	Group     string     `json:"group"` // "" for all groups
	CreatedAt time.Time  `json:"created_at"`
	RenewedAt *time.Time `json:"renewed_at,omitempty"`
}

// MyRecord is a record the person wrote in a role (a Sheet 2 summary, a
// Sheet 3 report): where, when, its state. Erasure keeps these, without
// the name.
type MyRecord struct {
	What  string    `json:"what"` // group or site name
	Date  string    `json:"date"` // meeting date or quarter
	State string    `json:"state"`
	At    time.Time `json:"at"`
}

// MyAuditEvent is an audit event about the person: when, who, what kind
// of record, never its content.
type MyAuditEvent struct {
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"` // the actor's name; "" when nobody signed in
	Action     string    `json:"action"`
	TargetKind string    `json:"record"`
}

// Erasure is a request to erase a person. ActorID is who asks: the person
// themselves, or an admin for a person who asked in person. Password is
// the actor's own password, entered again.
type Erasure struct {
	PersonID int64
	ActorID  int64
	Password string
	Addr     string // the actor's address, for throttling wrong passwords
}

// ErasureCounts says what an erasure removed or changed, for the audit
// event and the confirmation (numbers only).
type ErasureCounts struct {
	Memberships     int
	Consents        int
	Notifications   int
	SupportRequests int
	Offers          int
	CalendarFeeds   int
	Sessions        int
	AgendaItems     int
	Snapshots       int
	Worksheets      int
}

// MyDataService gives a person their data and erases it.
//
// MyData returns ENOTFOUND for an unknown or already erased person.
// ErasePerson returns EINVALID with the field "password" when the actor's
// password is wrong (nothing is changed), ETOOMANY after too many wrong
// passwords, ECONFLICT when the person was already erased or is the last
// admin, and ENOTFOUND for an unknown person.
type MyDataService interface {
	MyData(ctx context.Context, personID int64) (*MyData, error)
	ErasePerson(ctx context.Context, in Erasure) (*ErasureCounts, error)
}
