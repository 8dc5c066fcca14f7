package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/totp"
)

// Second factors: the secret is sealed (a copy of the database gives no
// codes), recovery codes are kept as hashes, the last time step used is
// kept so a code is never taken twice. See peercircle.SecondFactorService.

func secondFactorContext(personID int64) string {
	return "second_factor:" + strconv.FormatInt(personID, 10)
}

// secondFactorPrefix marks wrong codes in login_failures, so guessing a
// code is throttled like guessing a password.
const secondFactorPrefix = "2fa:"

var (
	errCodeWrong    = &peercircle.Error{Code: peercircle.EINVALID, Key: "auth.2fa_wrong", Fields: map[string]string{"code": "auth.2fa_wrong"}, Message: "wrong second-factor code"}
	errFactorExists = peercircle.Errorf(peercircle.ECONFLICT, "auth.2fa_already", "a second factor is already set up")
)

// SecondFactor returns the person's factor, ENOTFOUND when there is none.
func (s *Store) SecondFactor(ctx context.Context, personID int64) (*peercircle.SecondFactor, error) {
	f := &peercircle.SecondFactor{PersonID: personID}
	err := s.DB.QueryRow(ctx, `SELECT f.confirmed_at, (SELECT COUNT(*) FROM recovery_codes r WHERE r.person_id = f.person_id AND r.used_at IS NULL)
		FROM second_factors f WHERE f.person_id = ?`, personID).Scan(&f.ConfirmedAt, &f.RecoveryLeft)
	if err != nil {
		return nil, notFound(err, "second factor")
	}
	return f, nil
}

// BeginSecondFactor makes a new secret, replacing an unfinished one.
func (s *Store) BeginSecondFactor(ctx context.Context, personID int64) ([]byte, error) {
	secret := totp.NewSecret()
	err := s.DB.Write(ctx, func(tx *Tx) error {
		var confirmed *time.Time
		err := tx.QueryRow("SELECT confirmed_at FROM second_factors WHERE person_id = ?", personID).Scan(&confirmed)
		switch {
		case err == nil && confirmed != nil:
			return errFactorExists
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.Exec("DELETE FROM second_factors WHERE person_id = ?", personID); err != nil {
			return err
		}
		_, err = tx.Exec("INSERT INTO second_factors (person_id, secret, created_at) VALUES (?, ?, ?)",
			personID, s.Keys.Seal(secret, secondFactorContext(personID)), s.Now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return secret, nil
}

// ConfirmSecondFactor turns an unfinished factor on with a first code and
// returns its recovery codes.
func (s *Store) ConfirmSecondFactor(ctx context.Context, personID int64, code string) ([]string, error) {
	var codes []string
	err := s.DB.Write(ctx, func(tx *Tx) error {
		secret, confirmed, last, err := s.factorTx(tx, personID)
		if err != nil {
			return err
		}
		if confirmed {
			return errFactorExists
		}
		step, err := totp.Check(secret, code, s.Now(), last)
		if err != nil {
			return errCodeWrong
		}
		if _, err := tx.Exec("UPDATE second_factors SET confirmed_at = ?, last_step = ? WHERE person_id = ?", s.Now(), step, personID); err != nil {
			return err
		}
		if codes, err = newRecoveryCodesTx(tx, personID); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: personID, Action: "person.second_factor_on", TargetKind: "person", TargetID: personID})
	})
	return codes, err
}

func (s *Store) factorTx(tx *Tx, personID int64) (secret []byte, confirmed bool, last int64, err error) {
	var sealed []byte
	var at *time.Time
	err = tx.QueryRow("SELECT secret, confirmed_at, last_step FROM second_factors WHERE person_id = ?", personID).Scan(&sealed, &at, &last)
	if err != nil {
		return nil, false, 0, notFound(err, "second factor")
	}
	secret, err = s.Keys.Open(sealed, secondFactorContext(personID))
	return secret, at != nil, last, err
}

// recoveryAlphabet leaves out letters read one for another (0/O, 1/I/L).
const recoveryAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newRecoveryCode is ten characters in two groups of five, about 49 bits.
func newRecoveryCode() string {
	out := make([]byte, 0, 11)
	var b [1]byte
	for len(out) < 11 {
		if len(out) == 5 {
			out = append(out, '-')
		}
		if _, err := rand.Read(b[:]); err != nil {
			panic("crypto/rand failed: " + err.Error())
		}
		// Bytes past the last whole multiple of the alphabet are drawn
		// again, so every letter is equally likely.
		if int(b[0]) >= 256/len(recoveryAlphabet)*len(recoveryAlphabet) {
			continue
		}
		out = append(out, recoveryAlphabet[int(b[0])%len(recoveryAlphabet)])
	}
	return string(out)
}

func normaliseRecovery(code string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code)))
}

func newRecoveryCodesTx(tx *Tx, personID int64) ([]string, error) {
	if _, err := tx.Exec("DELETE FROM recovery_codes WHERE person_id = ?", personID); err != nil {
		return nil, err
	}
	codes := make([]string, peercircle.RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		if _, err := tx.Exec("INSERT INTO recovery_codes (person_id, code_hash) VALUES (?, ?)", personID, HashToken(normaliseRecovery(codes[i]))); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// CheckSecondFactor takes a code from the app (a new time step only) or an
// unused recovery code; wrong ones are throttled like wrong passwords.
func (s *Store) CheckSecondFactor(ctx context.Context, personID int64, code, addr string) error {
	login := secondFactorPrefix + strconv.FormatInt(personID, 10)
	now := s.Now()
	var failures int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM login_failures WHERE login = ? AND at > ?", login, now.Add(-peercircle.ThrottleWindow)).Scan(&failures); err != nil {
		return err
	}
	if failures >= peercircle.ThrottlePerLoginAddr {
		return errThrottled
	}
	ok := false
	err := s.DB.Write(ctx, func(tx *Tx) error {
		secret, confirmed, last, err := s.factorTx(tx, personID)
		if err != nil {
			return err
		}
		if !confirmed {
			return errCodeWrong
		}
		if step, err := totp.Check(secret, code, now, last); err == nil {
			ok = true
			_, err := tx.Exec("UPDATE second_factors SET last_step = ? WHERE person_id = ?", step, personID)
			return err
		}
		res, err := tx.Exec("UPDATE recovery_codes SET used_at = ? WHERE person_id = ? AND code_hash = ? AND used_at IS NULL",
			now, personID, HashToken(normaliseRecovery(code)))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			ok = true
			return s.auditTx(tx, &peercircle.AuditEvent{ActorID: personID, Action: "person.recovery_code_used", TargetKind: "person", TargetID: personID})
		}
		_, err = tx.Exec("INSERT INTO login_failures (login, addr, at) VALUES (?, ?, ?)", login, addr, now)
		return err
	})
	if err != nil {
		return err
	}
	if !ok {
		return errCodeWrong
	}
	return nil
}

// NewRecoveryCodes replaces a confirmed factor's recovery codes.
func (s *Store) NewRecoveryCodes(ctx context.Context, personID int64) ([]string, error) {
	var codes []string
	err := s.DB.Write(ctx, func(tx *Tx) error {
		if _, confirmed, _, err := s.factorTx(tx, personID); err != nil {
			return err
		} else if !confirmed {
			return notFound(sql.ErrNoRows, "second factor")
		}
		var err error
		codes, err = newRecoveryCodesTx(tx, personID)
		if err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: personID, Action: "person.recovery_codes_new", TargetKind: "person", TargetID: personID})
	})
	return codes, err
}

// RemoveSecondFactor turns the person's factor off (the web layer refuses
// it to those who must keep one).
func (s *Store) RemoveSecondFactor(ctx context.Context, personID int64) error {
	return s.removeFactor(ctx, personID, personID, "person.second_factor_off")
}

// ResetSecondFactor is an admin turning a person's factor off, for a lost
// phone without recovery codes; the person sets a new one up at their next
// sign-in when their role requires it.
func (s *Store) ResetSecondFactor(ctx context.Context, personID, by int64) error {
	return s.removeFactor(ctx, personID, by, "person.second_factor_reset")
}

func (s *Store) removeFactor(ctx context.Context, personID, by int64, action string) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("DELETE FROM second_factors WHERE person_id = ?", personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound(sql.ErrNoRows, "second factor")
		}
		for _, q := range []string{
			"DELETE FROM recovery_codes WHERE person_id = ?",
			"DELETE FROM auth_tokens WHERE person_id = ? AND purpose IN ('remember', 'second_step')",
		} {
			if _, err := tx.Exec(q, personID); err != nil {
				return err
			}
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: action, TargetKind: "person", TargetID: personID})
	})
}

// StartSecondStep is the password accepted, the code still to come.
func (s *Store) StartSecondStep(ctx context.Context, personID int64) (string, error) {
	return s.createLink(ctx, "second_step", personID, 0, peercircle.SecondStepValid)
}

// SecondStep returns the person of a second-step token still valid.
func (s *Store) SecondStep(ctx context.Context, token string) (int64, error) {
	id, _, _, err := s.link(ctx, nil, "second_step", token)
	return id, err
}

// EndSecondStep uses the token up.
func (s *Store) EndSecondStep(ctx context.Context, token string) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE auth_tokens SET used_at = ? WHERE token_hash = ? AND purpose = 'second_step'", s.Now(), HashToken(token))
		return err
	})
}

// RememberBrowser lets one more browser skip the code for 30 days; the
// person's other remembered browsers stay.
func (s *Store) RememberBrowser(ctx context.Context, personID int64) (string, error) {
	token := NewToken()
	now := s.Now()
	err := s.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO auth_tokens (token_hash, purpose, person_id, created_at, expires_at) VALUES (?, 'remember', ?, ?, ?)",
			HashToken(token), personID, now, now.Add(peercircle.RememberDevice))
		return err
	})
	return token, err
}

// Remembered reports whether the token remembers this browser for the person.
func (s *Store) Remembered(ctx context.Context, personID int64, token string) bool {
	if token == "" {
		return false
	}
	id, _, _, err := s.link(ctx, nil, "remember", token)
	return err == nil && id == personID
}
