package peercircle

import (
	"context"
	"crypto/rand"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Keeping everyone safe. Three things, from the domain texts:
//
//   - The file of external support (001, "External support for group
//     members": "collectively build a file on the possible sources of
//     support"): per site and per group, the GP, crisis line, mental health
//     team, legal aid and social services, with when to use each (003,
//     "When peer support is not enough": referral to GP, crisis centre,
//     mental health team).
//   - Support requests: a member asks privately for more support and
//     chooses who may see it (the group's facilitators, or the site's
//     organiser). The text is confidential (DESIGN.md rule 2).
//   - Anonymous complaints (004: "an anonymous complaint procedure"): anyone
//     files one about a group, a site or the programme, keeps a tracking
//     code, and follows the answer with it. Nothing links a complaint to an
//     account or an address; it goes to a handler who is not its subject.

// Limits of the free text of this area, in characters.
const (
	MaxWhenToUse        = 1000
	MaxSupportMessage   = 2000
	MaxComplaint        = 4000
	MaxComplaintNote    = 2000
	maxResourceField    = 300
	maxResourceLink     = 500
	maxResourceHours    = 200
	maxResourceLanguage = 120
)

// SupportResource is one source of support outside the group: a site's
// file (GroupID 0) or a group's. What it says is public information about
// services, not about people, so it is stored in clear.
type SupportResource struct {
	ID      int64
	SiteID  int64
	GroupID int64 // 0: the site's file
	Name    string
	Kind    string // one of SupportKinds, the kinds Sheet 2 counts
	Phone   string
	Address string
	Link    string // http or https only
	Hours   string // opening hours, in the writer's words
	// WhenToUse says in plain words when to turn to it ("if you cannot
	// sleep for weeks", "if you or someone else is in danger now").
	WhenToUse string
	Languages string // the languages it can be used in, as written
	UpdatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// resourcePhoneRE accepts the numbers people write for services: short
// hotlines (911, 110) as well as full international numbers.
var resourcePhoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{1,23}$`)

// Validate trims the resource's fields and checks them: a name, a kind,
// and at least one way to reach the service.
func (r *SupportResource) Validate() error {
	f := FieldErrors{}
	for _, p := range []*string{&r.Name, &r.Phone, &r.Address, &r.Link, &r.Hours, &r.WhenToUse, &r.Languages} {
		*p = strings.TrimSpace(*p)
	}
	validateName(f, "name", r.Name)
	if r.SiteID == 0 {
		f.Add("site", "error.required")
	}
	if !contains(SupportKinds, r.Kind) {
		f.Add("kind", "error.choice")
	}
	if r.Phone != "" && !resourcePhoneRE.MatchString(r.Phone) {
		f.Add("phone", "safety.error.phone")
	}
	if r.Link != "" && !webLink(r.Link) {
		f.Add("link", "safety.error.link")
	}
	if r.Phone == "" && r.Address == "" && r.Link == "" {
		f.Add("phone", "safety.error.how_to_reach")
	}
	for _, c := range []struct {
		field, v string
		max      int
	}{{"address", r.Address, maxResourceField}, {"link", r.Link, maxResourceLink}, {"hours", r.Hours, maxResourceHours},
		{"when_to_use", r.WhenToUse, MaxWhenToUse}, {"languages", r.Languages, maxResourceLanguage}} {
		if utf8.RuneCountInString(c.v) > c.max {
			f.Add(c.field, "error.too_long")
		}
	}
	return f.Err()
}

// webLink reports whether s is an absolute http or https address, the only
// links a file of support may hold (never javascript: or data:).
func webLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// Dial returns the phone number as a tel: address (digits and a leading
// +), or "" when there is none.
func (r *SupportResource) Dial() string {
	if r.Phone == "" {
		return ""
	}
	var b strings.Builder
	for i, c := range r.Phone {
		if c >= '0' && c <= '9' || (c == '+' && i == 0) {
			b.WriteRune(c)
		}
	}
	return "tel:" + b.String()
}

// Whom a support request goes to.
const (
	RequestToFacilitators = "facilitators" // the group's standing facilitators
	RequestToOrganiser    = "organiser"    // the site's organisers
)

// Support request states: open → in hand → closed; a member may withdraw
// a request that is not closed, which also erases what they wrote.
const (
	RequestOpen      = "open"
	RequestInHand    = "in_hand"
	RequestClosed    = "closed"
	RequestWithdrawn = "withdrawn"
)

// RequestStates lists the states in the order of a request's life.
var RequestStates = []string{RequestOpen, RequestInHand, RequestClosed, RequestWithdrawn}

// ContactInPerson is the way to be contacted that needs no address: "speak
// to me at or after the next meeting".
const ContactInPerson = "in_person"

// RequestContactWays lists how a member may ask to be contacted, the
// quietest first.
var RequestContactWays = []string{ContactInPerson, ChannelPhone, ChannelSMS, ChannelWhatsApp, ChannelEmail}

// SupportRequest is a member asking privately for more support ("I'd like
// to talk to someone"). Message, the contact address and Reply are sealed
// at rest and only opened for the member and the people they chose.
type SupportRequest struct {
	ID       int64
	PersonID int64 // the member who asked
	SiteID   int64
	GroupID  int64 // set when it goes to the group's facilitators
	To       string
	// Message is what the member wrote (may be empty: asking is enough).
	// It is "" when the request was read without its text.
	Message string
	// Allowed holds the words of Message the member confirmed are not a
	// person (guard.Key); counted in the audit log, never stored.
	Allowed []string
	// Contact is how the member would like to be contacted; Channel may be
	// ContactInPerson, which has no address.
	Contact   Contact
	Reply     string // the answer the member reads, sealed like Message
	State     string
	HandlerID int64 // who took it in hand
	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  *time.Time
}

// Validate checks a new request.
func (r *SupportRequest) Validate() error {
	f := FieldErrors{}
	r.Message = strings.TrimSpace(r.Message)
	switch r.To {
	case RequestToFacilitators:
		if r.GroupID == 0 {
			f.Add("to", "error.required")
		}
	case RequestToOrganiser:
		if r.SiteID == 0 {
			f.Add("to", "error.required")
		}
	default:
		f.Add("to", "error.choice")
	}
	if utf8.RuneCountInString(r.Message) > MaxSupportMessage {
		f.Add("message", "error.too_long")
	}
	if r.Contact.Channel == ContactInPerson {
		r.Contact.Address = ""
	} else if r.Contact.Channel == ChannelNone {
		f.Add("contact_channel", "error.required")
	} else {
		r.Contact.validate(f)
	}
	return f.Err()
}

// Live reports whether the request still waits for someone (open or in
// hand): the member may withdraw it and handlers may answer it.
func (r *SupportRequest) Live() bool { return r.State == RequestOpen || r.State == RequestInHand }

// What a complaint is about.
const (
	ComplaintAboutGroup     = "group"
	ComplaintAboutSite      = "site"
	ComplaintAboutProgramme = "programme"
)

// Complaint states (004): received → being looked at → resolved or closed.
const (
	ComplaintReceived = "received"
	ComplaintLooking  = "looking"
	ComplaintResolved = "resolved"
	ComplaintClosed   = "closed"
)

// ComplaintStates lists the states in the order of a complaint's life.
var ComplaintStates = []string{ComplaintReceived, ComplaintLooking, ComplaintResolved, ComplaintClosed}

// Where a complaint is routed: to the site's organisers (for a complaint
// about a group, those who are not its standing facilitators); to the
// area's coordinators when the organiser is its subject (or the site has
// nobody left to handle it); to the admins for the programme as a whole
// (or an area with nobody).
const (
	RouteSite         = "site"
	RouteArea         = "area"
	RouteOrganisation = "organisation"
)

// ComplaintThrottle: complaints one address may file per hour. The address
// is kept only as a keyed hash, by the hour, apart from the complaints.
const ComplaintThrottle = 5

// Complaint is an anonymous complaint. Nothing in it names who filed it:
// no person, no address, and the day it was received rather than the
// moment. Text and the handlers' notes are sealed.
type Complaint struct {
	ID             int64
	About          string
	GroupID        int64
	SiteID         int64 // the group's site for a complaint about a group
	AboutOrganiser bool  // "this is about the organiser"
	Text           string
	State          string
	RouteKind      string
	RouteID        int64 // the site or area id; 0 for the organisation
	ReceivedOn     string
	UpdatedAt      time.Time
	History        []ComplaintEvent
}

// ComplaintEvent is one step of a complaint's life: a change of state
// and the note the complainant reads with their code.
type ComplaintEvent struct {
	At    time.Time
	State string
	Note  string
	ByID  int64 // the handler; never shown to the complainant
}

// Validate checks a new complaint.
func (c *Complaint) Validate() error {
	f := FieldErrors{}
	c.Text = strings.TrimSpace(c.Text)
	switch c.About {
	case ComplaintAboutGroup:
		if c.GroupID == 0 {
			f.Add("about", "error.required")
		}
	case ComplaintAboutSite:
		if c.SiteID == 0 {
			f.Add("about", "error.required")
		}
	case ComplaintAboutProgramme:
		c.GroupID, c.SiteID, c.AboutOrganiser = 0, 0, false
	default:
		f.Add("about", "error.choice")
	}
	switch n := utf8.RuneCountInString(c.Text); {
	case n == 0:
		f.Add("text", "error.required")
	case n > MaxComplaint:
		f.Add("text", "error.too_long")
	}
	return f.Err()
}

// Open reports whether the complaint still waits for an outcome.
func (c *Complaint) Open() bool { return c.State == ComplaintReceived || c.State == ComplaintLooking }

// RouteScope is the scope of the handlers a complaint is routed to, for
// Can(ActHandleComplaint): a site scope (with the group a complaint is
// about, whose standing facilitators may not handle it), an area scope (no
// site), or the organisation (empty).
func (c *Complaint) RouteScope(t *Tree) Scope {
	switch c.RouteKind {
	case RouteSite:
		sc, _ := t.SiteScope(c.RouteID)
		if c.About == ComplaintAboutGroup {
			sc.GroupID = c.GroupID
		}
		return sc
	case RouteArea:
		for _, a := range t.Areas {
			if a.ID == c.RouteID {
				return Scope{RegionID: a.RegionID, AreaID: a.ID}
			}
		}
		// An area that no longer exists: nobody handles it but admins.
		return Scope{}
	}
	return Scope{}
}

// Tracking codes: 16 characters from an alphabet without look-alikes (no
// 0/O, 1/I/L), shown in four groups of four. 31^16 is about 2^79, so a
// code cannot be guessed; only its hash is stored.
const trackingAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

const trackingLen = 16

// NewTrackingCode returns a fresh code such as "K7QM-3XRT-9PWA-HN4E".
func NewTrackingCode() string {
	b := make([]byte, trackingLen)
	out := make([]byte, 0, trackingLen)
	for len(out) < trackingLen {
		rand.Read(b)
		for _, c := range b {
			// 248 = 8 × 31: rejecting larger bytes keeps every letter
			// equally likely.
			if c < 248 && len(out) < trackingLen {
				out = append(out, trackingAlphabet[int(c)%len(trackingAlphabet)])
			}
		}
	}
	return formatTrackingCode(string(out))
}

func formatTrackingCode(s string) string {
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// NormaliseTrackingCode reads a code as people type it (any case, spaces
// or dashes anywhere) and returns it in its canonical form, or false when
// it cannot be a code.
func NormaliseTrackingCode(s string) (string, bool) {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		switch {
		case c == ' ' || c == '-' || c == '\t' || c == '\u00a0':
			continue
		case c < utf8.RuneSelf && strings.IndexByte(trackingAlphabet, byte(c)) >= 0:
			if b.Len() == trackingLen {
				return "", false
			}
			b.WriteRune(c)
		default:
			return "", false
		}
	}
	if b.Len() != trackingLen {
		return "", false
	}
	return formatTrackingCode(b.String()), true
}

// SupportService keeps the files of external support and the members'
// requests for more support.
//
// SaveSupportResource creates (ID 0) or updates a resource and returns
// EINVALID when Validate fails, ENOTFOUND when the site or group does not
// exist (or the group is not at the site, or an update names a resource of
// another file). DeleteSupportResource returns ENOTFOUND for an unknown id.
// SupportResources lists the resources of the given sites' files and
// groups' files, by kind then name.
//
// CreateSupportRequest returns EINVALID when Validate fails or when nobody
// would receive it (key "safety.error.nobody": a group without a standing
// facilitator, a site without an organiser), and notifies each receiver
// that a request is waiting, never with its text. SupportRequest returns
// ENOTFOUND for an unknown id; withText opens the message, the contact
// address and the reply (callers check access and audit the read).
// AnswerSupportRequest records a reply and/or moves the state (in_hand or
// closed) and tells the member something changed; it returns ECONFLICT
// when the request is closed or withdrawn and EINVALID for another state
// or a reply over the limit. WithdrawSupportRequest erases what the member
// wrote and returns ECONFLICT when the request is no longer live and
// ENOTFOUND when it is not theirs.
type SupportService interface {
	SupportResources(ctx context.Context, siteIDs, groupIDs []int64) ([]*SupportResource, error)
	SupportResource(ctx context.Context, id int64) (*SupportResource, error)
	SaveSupportResource(ctx context.Context, r *SupportResource, by int64) error
	DeleteSupportResource(ctx context.Context, id, by int64) error

	CreateSupportRequest(ctx context.Context, r *SupportRequest) error
	SupportRequest(ctx context.Context, id int64, withText bool) (*SupportRequest, error)
	// SupportRequestScope is the scope of the people a request went to
	// (GroupID set only for a group's facilitators), with PersonID the
	// member who asked.
	SupportRequestScope(ctx context.Context, id int64) (Scope, error)
	SupportRequestsOf(ctx context.Context, personID int64) ([]*SupportRequest, error)
	// SupportRequestsTo lists, without text, the requests sent to the
	// facilitators of groupIDs or the organisers of siteIDs.
	SupportRequestsTo(ctx context.Context, groupIDs, siteIDs []int64) ([]*SupportRequest, error)
	AnswerSupportRequest(ctx context.Context, id, by int64, reply, state string) error
	WithdrawSupportRequest(ctx context.Context, id, personID int64) error
}

// ComplaintService runs the anonymous complaint procedure.
//
// FileComplaint validates and stores a complaint, routes it (see the Route
// constants), and returns the tracking code, which is shown once and
// stored only as a hash. It keeps the day, never the moment, and writes
// nothing else that would date the filing: the handlers are told the next
// day by a periodic job (sqlstore's AnnounceComplaints). addr is
// the filer's address, used only to throttle (ETOOMANY "complaint.throttled"
// after ComplaintThrottle in an hour) and never stored in clear. It returns
// EINVALID when Validate fails and ENOTFOUND for an unknown group or site.
// TrackComplaint returns the complaint's state and history (the notes, not
// the text) for a code, ENOTFOUND "complaint.unknown_code" for any code
// that is not one. Complaint returns ENOTFOUND for an unknown id; withText
// opens the text and the notes (callers check ActHandleComplaint and audit
// the read). AnswerComplaint records a note and a state; EINVALID for an
// unknown state or a note over the limit or neither a note nor a change.
type ComplaintService interface {
	// ListedGroups are the groups anyone may see (listed publicly, not
	// ended): the public may complain about them.
	ListedGroups(ctx context.Context) ([]*Group, error)
	FileComplaint(ctx context.Context, c *Complaint, addr string) (code string, err error)
	TrackComplaint(ctx context.Context, code string) (*Complaint, error)
	Complaint(ctx context.Context, id int64, withText bool) (*Complaint, error)
	// ComplaintsRoutedTo lists, without text, the complaints routed to the
	// given sites and areas, and to the organisation when org is true.
	ComplaintsRoutedTo(ctx context.Context, siteIDs, areaIDs []int64, org bool) ([]*Complaint, error)
	AnswerComplaint(ctx context.Context, id, by int64, state, note string) error
}
