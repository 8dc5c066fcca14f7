package peercircle

import (
	"context"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Person statuses.
const (
	PersonInvited  = "invited"  // has an invitation link, no password yet
	PersonActive   = "active"   // can sign in
	PersonDisabled = "disabled" // kept for history, cannot sign in
	PersonNoLogin  = "no_login" // recorded (e.g. attendance) without an account
)

// Person is anyone PeerCircle knows: a member, an organiser, a coordinator.
// FullName is what the organisation knows them by; DisplayName is the name
// the person chose to be shown in their groups (001: people decide the words
// used about them). Both are protected names for the confidentiality guard.
type Person struct {
	ID          int64
	Username    string // optional; lower case
	Email       string // optional; lower case
	FullName    string
	DisplayName string
	Lang        string // "en", "ar", "fr"; "" means follow the browser
	HomeSiteID  int64  // 0 if none
	Status      string
	CreatedAt   time.Time
}

// Name returns the name to show beyond any one group: the chosen display
// name, else the full name. It is NameFor(InOrganisation) (naming.go).
func (p *Person) Name() string { return p.NameFor(InOrganisation) }

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// NormaliseLogin lower-cases and trims a username or e-mail, so sign-in is
// not case-sensitive and the same account cannot be created twice by case.
func NormaliseLogin(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// MaxLoginLength bounds a sign-in name: an e-mail address is at most 254
// characters (RFC 5321 with RFC 3696's erratum), a username 40.
const MaxLoginLength = 254

// Validate checks a person before saving: a full name, and a username or
// e-mail for anyone who can sign in.
func (p *Person) Validate() error {
	f := FieldErrors{}
	p.Username = NormaliseLogin(p.Username)
	p.Email = NormaliseLogin(p.Email)
	p.FullName = strings.TrimSpace(p.FullName)
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	validateName(f, "full_name", p.FullName)
	// The erased marker's separator is reserved (mydata.go).
	if strings.Contains(p.FullName, erasedMark) {
		f.Add("full_name", "mydata.name_reserved")
	}
	if strings.Contains(p.DisplayName, erasedMark) {
		f.Add("display_name", "mydata.name_reserved")
	}
	if utf8.RuneCountInString(p.DisplayName) > 120 {
		f.Add("display_name", "error.too_long")
	}
	if p.Username != "" && !usernameRE.MatchString(p.Username) {
		f.Add("username", "error.username")
	}
	if utf8.RuneCountInString(p.Email) > MaxLoginLength {
		f.Add("email", "error.login_too_long")
	} else if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			f.Add("email", "error.email")
		}
	}
	if p.Status != PersonNoLogin && p.Username == "" && p.Email == "" {
		f.Add("email", "error.login_required")
	}
	if p.Lang != "" && !contains(Languages, p.Lang) {
		f.Add("lang", "error.choice")
	}
	if !contains([]string{PersonInvited, PersonActive, PersonDisabled, PersonNoLogin}, p.Status) {
		f.Add("status", "error.choice")
	}
	return f.Err()
}

// Languages PeerCircle speaks.
var Languages = []string{"en", "ar", "fr"}

// PersonFilter narrows a people search. Zero fields do not filter.
type PersonFilter struct {
	SiteID int64
	// SiteIDs, when given, keeps people of any of these sites.
	SiteIDs []int64
	Query   string // part of a name, username or e-mail
	Limit   int
	Offset  int
	// After and Before page by key instead of by offset (issue 14): the
	// people after, or the Limit people before, this person in the list's
	// order (full name, then id). A list of 100 000 people costs the same
	// on its last page as on its first.
	After, Before int64
}

// PersonService stores people, their grants and their passwords.
//
// CreatePerson returns EINVALID when Validate fails and ECONFLICT when the
// username or e-mail is taken. Person returns ENOTFOUND for an unknown id.
// SetPassword returns EINVALID with a password message key when the
// password breaks the rules (password.Check).
type PersonService interface {
	CreatePerson(ctx context.Context, p *Person) error
	UpdatePerson(ctx context.Context, p *Person) error
	Person(ctx context.Context, id int64) (*Person, error)
	PersonByLogin(ctx context.Context, login string) (*Person, error)
	FindPeople(ctx context.Context, f PersonFilter) ([]*Person, int, error)
	// RolesOf returns the roles each person holds (their grants, and
	// facilitator where they facilitate a group), for lists of people.
	RolesOf(ctx context.Context, personIDs []int64) (map[int64][]string, error)
	SetPassword(ctx context.Context, personID int64, password string) error
	SetLanguage(ctx context.Context, personID int64, lang string) error
	Grants(ctx context.Context, personID int64) ([]Grant, error)
	AddGrant(ctx context.Context, g *Grant) error
	RemoveGrant(ctx context.Context, grantID int64) error
}
