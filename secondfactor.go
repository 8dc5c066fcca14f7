package peercircle

import (
	"context"
	"slices"
	"strings"
	"time"
)

// A second factor (issue 10): admins, coordinators and supervisors see the
// most, so a stolen password alone must not open their accounts. The factor
// is a time-based code from an authenticator app (RFC 6238, package totp),
// with ten single-use recovery codes for a lost phone, and a browser may be
// remembered for 30 days.
const (
	// SettingSecondFactorRoles lists, comma-separated, the roles whose
	// holders must use a second factor. Everyone else may.
	SettingSecondFactorRoles = "auth.second_factor_roles"
	// DefaultSecondFactorRoles is the setting's value until an admin changes it.
	DefaultSecondFactorRoles = "admin,coordinator,supervisor"
	// RecoveryCodeCount is how many recovery codes a person gets at once.
	RecoveryCodeCount = 10
	// RememberDevice is how long a browser is remembered after a code.
	RememberDevice = 30 * 24 * time.Hour
	// SecondStepValid is how long the code may be entered after the password.
	SecondStepValid = 10 * time.Minute
)

// SecondFactorRoles reads the setting's value: the roles it names that exist.
func SecondFactorRoles(setting string) []string {
	var out []string
	for _, r := range strings.Split(setting, ",") {
		r = strings.TrimSpace(r)
		if slices.Contains(Roles, r) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// SecondFactorRequired reports whether someone with these grants must use
// a second factor: they hold one of the roles anywhere.
func SecondFactorRequired(grants []Grant, roles []string) bool {
	for _, g := range grants {
		if slices.Contains(roles, g.Role) {
			return true
		}
	}
	return false
}

// SecondFactor is the state of a person's second factor.
type SecondFactor struct {
	PersonID     int64
	ConfirmedAt  *time.Time // nil: enrolment begun, not finished
	RecoveryLeft int        // recovery codes not used yet
}

// SecondFactorService keeps second factors.
//
// BeginSecondFactor makes a new secret for a person without a confirmed
// factor (replacing an unfinished one; ECONFLICT "auth.2fa_already" when
// one is confirmed). ConfirmSecondFactor checks a first code against it and
// returns the recovery codes, shown once (EINVALID field "code",
// "auth.2fa_wrong" for a wrong code). CheckSecondFactor takes a code from
// the app or an unused recovery code: a code's time step, once used, is
// refused (a replay), a recovery code works once; wrong codes are counted
// like wrong passwords (ETOOMANY "auth.throttled"). NewRecoveryCodes
// replaces the codes. RemoveSecondFactor is the person turning it off;
// ResetSecondFactor is an admin doing it for them (audited), which also
// forgets every remembered browser.
type SecondFactorService interface {
	SecondFactor(ctx context.Context, personID int64) (*SecondFactor, error)
	BeginSecondFactor(ctx context.Context, personID int64) (secret []byte, err error)
	ConfirmSecondFactor(ctx context.Context, personID int64, code string) (recovery []string, err error)
	CheckSecondFactor(ctx context.Context, personID int64, code, addr string) error
	NewRecoveryCodes(ctx context.Context, personID int64) ([]string, error)
	RemoveSecondFactor(ctx context.Context, personID int64) error
	ResetSecondFactor(ctx context.Context, personID, by int64) error

	// StartSecondStep is the password accepted: a short-lived token for the
	// code page. SecondStep returns its person (EINVALID
	// "auth.link_expired" when it is unknown, used or old); EndSecondStep
	// uses it up.
	StartSecondStep(ctx context.Context, personID int64) (token string, err error)
	SecondStep(ctx context.Context, token string) (personID int64, err error)
	EndSecondStep(ctx context.Context, token string) error
	// RememberBrowser returns a token that lets this browser skip the code
	// for RememberDevice; Remembered checks one.
	RememberBrowser(ctx context.Context, personID int64) (token string, err error)
	Remembered(ctx context.Context, personID int64, token string) bool
}
