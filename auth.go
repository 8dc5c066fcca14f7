package peercircle

import (
	"context"
	"time"
	"unicode/utf8"
)

// Sign-in rules. They live in the domain because they are product decisions
// (how long a shared health-centre PC stays signed in), not storage details.
const (
	// SessionIdle ends a session nobody used for this long.
	SessionIdle = 2 * time.Hour
	// SessionAbsolute ends any session this long after sign-in.
	SessionAbsolute = 12 * time.Hour
	// SessionTouchEvery limits how often last-seen is written, so reading a
	// page does not cost a write.
	SessionTouchEvery = time.Minute
	// InvitationValid is how long an invitation link works.
	InvitationValid = 14 * 24 * time.Hour
	// ResetValid is how long a password-reset link works.
	ResetValid = time.Hour

	// Throttling: failures are counted per (login, address), per address,
	// and per login. The first two refuse further tries from that address;
	// the per-login limit only refuses browsers that have not signed in to
	// that account before (no device cookie), so an attacker elsewhere
	// cannot lock the person out of their own phone.
	ThrottleWindow       = 15 * time.Minute
	ThrottlePerLoginAddr = 5
	ThrottlePerAddr      = 30
	ThrottlePerLogin     = 20

	// Password-reset mails are limited quietly (the page says the same
	// whether a mail went or not): per account and per client address,
	// within ResetWindow.
	ResetWindow      = time.Hour
	ResetsPerAccount = 3
	ResetsPerAddr    = 10
	// FailuresKept is how long a counted failure or request is kept: the
	// longest window anything is counted over. Older rows are deleted.
	FailuresKept = ResetWindow
)

// AuthSession is a signed-in browser. Only a hash of its token is stored, so
// a copy of the database does not let anyone sign in.
type AuthSession struct {
	PersonID  int64
	CreatedAt time.Time
	LastSeen  time.Time
	CSRFToken string
}

// Expired reports whether the session has passed its idle or absolute limit.
func (s *AuthSession) Expired(now time.Time) bool {
	return now.Sub(s.LastSeen) > SessionIdle || now.Sub(s.CreatedAt) > SessionAbsolute
}

// SignIn is one attempt to sign in.
type SignIn struct {
	Login    string // username or e-mail
	Password string
	Addr     string // client address, for throttling
	Device   string // device cookie from an earlier sign-in to this account, if any
}

// Validate refuses a sign-in name no account can have, before anything is
// looked up or counted: the failure rows stay bounded.
func (in SignIn) Validate() error {
	if utf8.RuneCountInString(in.Login) > MaxLoginLength {
		return FieldErrors{"login": "error.login_too_long"}.Err()
	}
	return nil
}

// Invitation is a link an organiser sends so someone can set their password.
type Invitation struct {
	PersonID  int64
	InvitedBy int64
	ExpiresAt time.Time
}

// AuthService signs people in and out.
//
// Authenticate returns EUNAUTHORIZED with the same message whether the login
// is unknown or the password wrong (and costs the same time), ETOOMANY when
// throttled. The device token it returns marks this browser as known for the
// account. AuthSession returns EUNAUTHORIZED for an unknown, ended or expired
// token. Invitation and reset tokens are single-use; a used, unknown or
// expired one gives EINVALID with key "auth.link_expired".
type AuthService interface {
	Authenticate(ctx context.Context, in SignIn) (p *Person, device string, err error)
	CreateAuthSession(ctx context.Context, personID int64) (token string, s *AuthSession, err error)
	AuthSession(ctx context.Context, token string) (*AuthSession, error)
	// SignedIn is AuthSession and Principal in one: what every signed-in
	// request reads.
	SignedIn(ctx context.Context, token string) (*AuthSession, *Principal, error)
	EndAuthSession(ctx context.Context, token string) error
	EndAuthSessionsOf(ctx context.Context, personID int64) error
	Principal(ctx context.Context, personID int64) (*Principal, error)

	CreateInvitation(ctx context.Context, personID, invitedBy int64) (token string, err error)
	Invitation(ctx context.Context, token string) (*Invitation, *Person, error)
	AcceptInvitation(ctx context.Context, token, password string) (*Person, error)
	// CreateReset returns an empty token and no error when no account has
	// that login, so the caller cannot tell the difference.
	CreateReset(ctx context.Context, login, addr string) (token string, p *Person, err error)
	ResetPassword(ctx context.Context, token, password string) (*Person, error)
}
