package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/password"
)

// NewToken returns 32 random bytes, URL-safe: for sessions, links, devices.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what is stored for a token: its SHA-256. Tokens are random
// and long, so no salt or slow hash is needed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

var errSignIn = &peercircle.Error{Code: peercircle.EUNAUTHORIZED, Key: "auth.signin_failed", Message: "sign-in failed"}
var errThrottled = &peercircle.Error{Code: peercircle.ETOOMANY, Key: "auth.throttled", Message: "too many sign-in attempts"}

// Authenticate checks a login and password, with throttling that cannot be
// used to lock a person out: see the Throttle constants in the domain.
func (s *Store) Authenticate(ctx context.Context, in peercircle.SignIn) (*peercircle.Person, string, error) {
	if err := in.Validate(); err != nil {
		return nil, "", err
	}
	login := peercircle.NormaliseLogin(in.Login)
	now := s.Now()
	since := now.Add(-peercircle.ThrottleWindow)

	var byPair, byAddr, byLogin int
	err := s.DB.Read(ctx, func(tx *Tx) error {
		if err := tx.QueryRow("SELECT COUNT(*) FROM login_failures WHERE login = ? AND addr = ? AND at > ?", login, in.Addr, since).Scan(&byPair); err != nil {
			return err
		}
		if err := tx.QueryRow("SELECT COUNT(*) FROM login_failures WHERE addr = ? AND at > ? AND login NOT LIKE 'reset:%'", in.Addr, since).Scan(&byAddr); err != nil {
			return err
		}
		return tx.QueryRow("SELECT COUNT(*) FROM login_failures WHERE login = ? AND at > ?", login, since).Scan(&byLogin)
	})
	if err != nil {
		return nil, "", err
	}
	if byPair >= peercircle.ThrottlePerLoginAddr || byAddr >= peercircle.ThrottlePerAddr {
		return nil, "", errThrottled
	}

	var p *peercircle.Person
	var hash string
	if login != "" {
		var q peercircle.Person
		row := s.DB.QueryRow(ctx, "SELECT "+personCols+", password_hash FROM people WHERE username = ? OR email = ?", login, login)
		err = row.Scan(&q.ID, &q.Username, &q.Email, &q.FullName, &q.DisplayName, &q.Lang, &q.HomeSiteID, &q.Status, &q.CreatedAt, &hash)
		if err == nil {
			p = &q
		} else if !isCode(notFound(err, ""), peercircle.ENOTFOUND) {
			return nil, "", err
		}
	}
	if byLogin >= peercircle.ThrottlePerLogin && (p == nil || !s.knownDevice(ctx, p.ID, in.Device)) {
		return nil, "", errThrottled
	}

	ok := false
	if p != nil && hash != "" && p.Status == peercircle.PersonActive {
		ok, err = password.Verify(hash, in.Password)
		if err != nil {
			return nil, "", err
		}
	} else {
		password.VerifyDummy(in.Password) // same cost as a real check
	}
	if !ok {
		err := s.DB.Write(ctx, func(tx *Tx) error {
			// Rows older than the window count for nothing: each failure
			// clears them, so the table holds at most one window's worth.
			if _, err := tx.Exec("DELETE FROM login_failures WHERE at <= ?", now.Add(-peercircle.FailuresKept)); err != nil {
				return err
			}
			_, err := tx.Exec("INSERT INTO login_failures (login, addr, at) VALUES (?, ?, ?)", login, in.Addr, now)
			return err
		})
		if err != nil {
			return nil, "", err
		}
		return nil, "", errSignIn
	}

	device := NewToken()
	err = s.DB.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec("DELETE FROM login_failures WHERE login = ? AND addr = ?", login, in.Addr); err != nil {
			return err
		}
		_, err := tx.Exec("INSERT INTO known_devices (token_hash, person_id, created_at) VALUES (?, ?, ?)", HashToken(device), p.ID, now)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if password.NeedsRehash(hash) {
		if h, err := password.Hash(in.Password); err == nil {
			_ = s.DB.Write(ctx, func(tx *Tx) error {
				_, err := tx.Exec("UPDATE people SET password_hash = ? WHERE id = ?", h, p.ID)
				return err
			})
		}
	}
	return p, device, nil
}

func (s *Store) knownDevice(ctx context.Context, personID int64, device string) bool {
	if device == "" {
		return false
	}
	var n int
	err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM known_devices WHERE token_hash = ? AND person_id = ?", HashToken(device), personID).Scan(&n)
	return err == nil && n > 0
}

// CreateSession starts a signed-in session with a new id (never reusing one
// the browser had before sign-in) and its own CSRF token.
func (s *Store) CreateAuthSession(ctx context.Context, personID int64) (string, *peercircle.AuthSession, error) {
	token := NewToken()
	now := s.Now()
	as := &peercircle.AuthSession{PersonID: personID, CreatedAt: now, LastSeen: now, CSRFToken: NewToken()}
	err := s.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO auth_sessions (token_hash, person_id, csrf_token, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
			HashToken(token), personID, as.CSRFToken, now, now)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, as, nil
}

var errNoSession = &peercircle.Error{Code: peercircle.EUNAUTHORIZED, Key: "auth.session_ended", Message: "no session"}

// AuthSession returns the live session for a token, ending it when it has
// passed its idle or absolute limit and noting use at most once a minute.
func (s *Store) AuthSession(ctx context.Context, token string) (*peercircle.AuthSession, error) {
	if token == "" {
		return nil, errNoSession
	}
	h := HashToken(token)
	var as peercircle.AuthSession
	var status string
	err := s.DB.QueryRow(ctx, `SELECT a.person_id, a.csrf_token, a.created_at, a.last_seen, p.status
		FROM auth_sessions a JOIN people p ON p.id = a.person_id WHERE a.token_hash = ?`, h).
		Scan(&as.PersonID, &as.CSRFToken, &as.CreatedAt, &as.LastSeen, &status)
	if err != nil {
		if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
			return nil, errNoSession
		}
		return nil, err
	}
	if err := s.liveSession(ctx, token, &as, status); err != nil {
		return nil, err
	}
	return &as, nil
}

// SignedIn returns the live session for a token and its person's
// principal, read in one statement: every signed-in request needs both,
// and one round trip instead of two is a sixth of a light page's queries.
// The session is ended, or its use noted, as AuthSession does.
func (s *Store) SignedIn(ctx context.Context, token string) (*peercircle.AuthSession, *peercircle.Principal, error) {
	if token == "" {
		return nil, nil, errNoSession
	}
	rows, err := s.DB.Query(ctx, `WITH a AS (SELECT person_id, csrf_token, created_at, last_seen FROM auth_sessions WHERE token_hash = ?)
		SELECT 'a' AS kind, person_id AS n1, 0 AS n2, csrf_token AS t1, '' AS t2, '' AS t3, '' AS status, created_at AS at1, last_seen AS at2 FROM a
		UNION ALL `+principalRows("(SELECT person_id FROM a)", true),
		append([]any{HashToken(token)}, principalArgs(nil)...)...)
	if err != nil {
		return nil, nil, err
	}
	var as *peercircle.AuthSession
	p, status, err := scanPrincipal(rows, true, func(r principalRow) {
		as = &peercircle.AuthSession{PersonID: r.n1, CSRFToken: r.t1, CreatedAt: r.at1, LastSeen: r.at2}
	})
	if err != nil && !isCode(err, peercircle.ENOTFOUND) {
		return nil, nil, err
	}
	if as == nil || err != nil {
		return nil, nil, errNoSession // no such session, or its person is gone
	}
	if err := s.liveSession(ctx, token, as, status); err != nil {
		return nil, nil, err
	}
	belongsTo(p, as.PersonID)
	return as, p, nil
}

// liveSession ends a session past its limits or of a person no longer
// active, and notes its use at most once a minute.
func (s *Store) liveSession(ctx context.Context, token string, as *peercircle.AuthSession, status string) error {
	now := s.Now()
	if as.Expired(now) || status != peercircle.PersonActive {
		_ = s.EndAuthSession(ctx, token)
		return errNoSession
	}
	if now.Sub(as.LastSeen) > peercircle.SessionTouchEvery {
		err := s.DB.Write(ctx, func(tx *Tx) error {
			_, err := tx.Exec("UPDATE auth_sessions SET last_seen = ? WHERE token_hash = ?", now, HashToken(token))
			return err
		})
		if err != nil {
			return err
		}
		as.LastSeen = now
	}
	return nil
}

// DeleteSession ends a session on the server (sign-out).
func (s *Store) EndAuthSession(ctx context.Context, token string) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM auth_sessions WHERE token_hash = ?", HashToken(token))
		return err
	})
}

// DeleteSessionsOf ends every session of a person (sign out everywhere).
func (s *Store) EndAuthSessionsOf(ctx context.Context, personID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM auth_sessions WHERE person_id = ?", personID)
		return err
	})
}

// Principal loads what access checks need about a person: their grants and
// their current group roles. Every signed-in request loads it, so it is one
// statement (one snapshot, one round trip) rather than a transaction of
// three: the person's row, their grants and their current memberships.
func (s *Store) Principal(ctx context.Context, personID int64) (*peercircle.Principal, error) {
	rows, err := s.DB.Query(ctx, principalRows("?", false), principalArgs(&personID)...)
	if err != nil {
		return nil, err
	}
	p, _, err := scanPrincipal(rows, false, nil)
	if err != nil {
		return nil, err
	}
	belongsTo(p, personID)
	return p, nil
}

// belongsTo names the principal's person, in it and its grants.
func belongsTo(p *peercircle.Principal, personID int64) {
	p.PersonID = personID
	for i := range p.Grants {
		p.Grants[i].PersonID = personID
	}
}

// principalRows is the statement that reads a principal, for the person
// the SQL expression who names; withSession adds the columns of the
// session row SignedIn puts before them (and the person's status).
func principalRows(who string, withSession bool) string {
	extra := func(status string) string {
		if !withSession {
			return ""
		}
		return ", " + status + ", NULL, NULL"
	}
	return `SELECT 'p', 0, 0, full_name, display_name, lang` + extra("status") + ` FROM people WHERE id = ` + who + `
		UNION ALL SELECT 'g', id, scope_id, role, scope_kind, ''` + extra("''") + ` FROM grants WHERE person_id = ` + who + `
		UNION ALL SELECT 'm', m.group_id, g.site_id, m.role, '', ''` + extra("''") + ` FROM memberships m JOIN groups g ON g.id = m.group_id
			WHERE m.person_id = ` + who + ` AND m.status IN (?, ?)
		UNION ALL SELECT 'u', COUNT(*), 0, '', '', ''` + extra("''") + ` FROM notifications WHERE person_id = ` + who + ` AND read_at IS NULL
		UNION ALL SELECT 'f', COUNT(*), 0, '', '', ''` + extra("''") + ` FROM second_factors WHERE person_id = ` + who + ` AND confirmed_at IS NOT NULL
		UNION ALL SELECT 's', 0, 0, value, '', ''` + extra("''") + ` FROM settings WHERE key = ?`
}

// principalArgs are principalRows' arguments; personID is nil when the
// statement names the person itself.
func principalArgs(personID *int64) []any {
	var args []any
	who := func() {
		if personID != nil {
			args = append(args, *personID)
		}
	}
	who()
	who()
	who()
	args = append(args, peercircle.MemberActive, peercircle.MemberOnLeave)
	who()
	who()
	return append(args, peercircle.SettingSecondFactorRoles)
}

// principalRow is one row of principalRows: a kind, then columns whose
// meaning depends on it.
type principalRow struct {
	kind       string
	n1, n2     int64
	t1, t2, t3 string
	status     string
	at1, at2   time.Time
}

// scanPrincipal reads principalRows' rows into a principal and the
// person's status (withSession); other calls hear of each other kind of row.
func scanPrincipal(rows *Rows, withSession bool, other func(principalRow)) (*peercircle.Principal, string, error) {
	defer rows.Close()
	p := &peercircle.Principal{}
	found, status := false, ""
	roles := peercircle.DefaultSecondFactorRoles
	for rows.Next() {
		var r principalRow
		dest := []any{&r.kind, &r.n1, &r.n2, &r.t1, &r.t2, &r.t3}
		if withSession {
			dest = append(dest, &r.status, &r.at1, &r.at2)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, "", err
		}
		switch r.kind {
		case "p":
			found, status = true, r.status
			p.Name, p.Lang = r.t2, r.t3
			if p.Name == "" {
				p.Name = r.t1
			}
		case "g":
			p.Grants = append(p.Grants, peercircle.Grant{ID: r.n1, ScopeID: r.n2, Role: r.t1, ScopeKind: r.t2})
		case "m":
			p.GroupRoles = append(p.GroupRoles, peercircle.GroupRole{GroupID: r.n1, SiteID: r.n2, Role: r.t1})
		case "u":
			p.Unread = int(r.n1)
		case "f":
			p.HasSecondFactor = r.n1 > 0
		case "s":
			roles = r.t1
		default:
			if other != nil {
				other(r)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if !found {
		return nil, "", peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "person not found")
	}
	p.SecondFactorRoles = peercircle.SecondFactorRoles(roles)
	return p, status, nil
}

var errLinkExpired = &peercircle.Error{Code: peercircle.EINVALID, Key: "auth.link_expired", Message: "link unknown, used or expired"}

func (s *Store) createLink(ctx context.Context, purpose string, personID, by int64, valid time.Duration) (string, error) {
	token := NewToken()
	now := s.Now()
	err := s.DB.Write(ctx, func(tx *Tx) error {
		// A new link replaces older unused ones of the same purpose.
		if _, err := tx.Exec("UPDATE auth_tokens SET used_at = ? WHERE person_id = ? AND purpose = ? AND used_at IS NULL", now, personID, purpose); err != nil {
			return err
		}
		_, err := tx.Exec("INSERT INTO auth_tokens (token_hash, purpose, person_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			HashToken(token), purpose, personID, nullID(by), now, now.Add(valid))
		return err
	})
	return token, err
}

// link returns the person and creator of a valid, unused link.
func (s *Store) link(ctx context.Context, tx *Tx, purpose, token string) (personID, by int64, expires time.Time, err error) {
	q := "SELECT person_id, created_by, expires_at FROM auth_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL"
	if tx != nil {
		err = tx.QueryRow(q, HashToken(token), purpose).Scan(&personID, &by, &expires)
	} else {
		err = s.DB.QueryRow(ctx, q, HashToken(token), purpose).Scan(&personID, &by, &expires)
	}
	if err != nil {
		if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
			return 0, 0, expires, errLinkExpired
		}
		return 0, 0, expires, err
	}
	if !s.Now().Before(expires) {
		return 0, 0, expires, errLinkExpired
	}
	return personID, by, expires, nil
}

// CreateInvitation makes an invitation link for a person who has no
// password yet.
func (s *Store) CreateInvitation(ctx context.Context, personID, invitedBy int64) (string, error) {
	p, err := s.Person(ctx, personID)
	if err != nil {
		return "", err
	}
	if p.Status != peercircle.PersonInvited {
		return "", peercircle.Errorf(peercircle.ECONFLICT, "people.already_active", "person %d already has an account", personID)
	}
	return s.createLink(ctx, "invite", personID, invitedBy, peercircle.InvitationValid)
}

// Invitation returns a valid invitation and the person it is for.
func (s *Store) Invitation(ctx context.Context, token string) (*peercircle.Invitation, *peercircle.Person, error) {
	pid, by, exp, err := s.link(ctx, nil, "invite", token)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Person(ctx, pid)
	if err != nil {
		return nil, nil, err
	}
	return &peercircle.Invitation{PersonID: pid, InvitedBy: by, ExpiresAt: exp}, p, nil
}

// AcceptInvitation sets the invited person's password and activates them.
func (s *Store) AcceptInvitation(ctx context.Context, token, pw string) (*peercircle.Person, error) {
	return s.useLink(ctx, "invite", token, pw)
}

// resetPrefix marks reset requests in login_failures, so they are counted
// per client address like sign-in failures (and kept as briefly).
const resetPrefix = "reset:"

// CreateReset makes a password-reset link for an active account; for an
// unknown login, or past the limits per account or per address, it returns
// "" and no error, so the answer never tells which.
func (s *Store) CreateReset(ctx context.Context, login, addr string) (string, *peercircle.Person, error) {
	if (peercircle.SignIn{Login: login}).Validate() != nil {
		return "", nil, nil
	}
	now := s.Now()
	since := now.Add(-peercircle.ResetWindow)
	var byAddr int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM login_failures WHERE addr = ? AND at > ? AND login LIKE 'reset:%'", addr, since).Scan(&byAddr); err != nil {
		return "", nil, err
	}
	err := s.DB.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec("DELETE FROM login_failures WHERE at <= ?", now.Add(-peercircle.FailuresKept)); err != nil {
			return err
		}
		_, err := tx.Exec("INSERT INTO login_failures (login, addr, at) VALUES (?, ?, ?)", resetPrefix+peercircle.NormaliseLogin(login), addr, now)
		return err
	})
	if err != nil || byAddr >= peercircle.ResetsPerAddr {
		return "", nil, err
	}
	p, err := s.PersonByLogin(ctx, login)
	if isCode(err, peercircle.ENOTFOUND) || (err == nil && p.Status != peercircle.PersonActive) {
		return "", nil, nil
	} else if err != nil {
		return "", nil, err
	}
	var byAccount int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM auth_tokens WHERE person_id = ? AND purpose = 'reset' AND created_at > ?", p.ID, since).Scan(&byAccount); err != nil {
		return "", nil, err
	}
	if byAccount >= peercircle.ResetsPerAccount {
		return "", nil, nil
	}
	token, err := s.createLink(ctx, "reset", p.ID, 0, peercircle.ResetValid)
	return token, p, err
}

// ResetPassword sets a new password from a reset link and signs the person
// out everywhere.
func (s *Store) ResetPassword(ctx context.Context, token, pw string) (*peercircle.Person, error) {
	return s.useLink(ctx, "reset", token, pw)
}

func (s *Store) useLink(ctx context.Context, purpose, token, pw string) (*peercircle.Person, error) {
	if _, _, _, err := s.link(ctx, nil, purpose, token); err != nil {
		return nil, err
	}
	hash, err := hashPassword(pw)
	if err != nil {
		return nil, err
	}
	var pid int64
	err = s.DB.Write(ctx, func(tx *Tx) error {
		// Check again inside the write: the link may have been used while
		// the password was hashed.
		id, _, _, err := s.link(ctx, tx, purpose, token)
		if err != nil {
			return err
		}
		pid = id
		if _, err := tx.Exec("UPDATE auth_tokens SET used_at = ? WHERE token_hash = ?", s.Now(), HashToken(token)); err != nil {
			return err
		}
		return setPasswordTx(tx, id, hash)
	})
	if err != nil {
		return nil, err
	}
	return s.Person(ctx, pid)
}
