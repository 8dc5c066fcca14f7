package sqlstore

import (
	"context"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/password"
)

const (
	emailProposal = "proposal"
	emailUndo     = "undo"
)

// identityChangedTx does what every change of a sign-in identity does: it
// ends the account's sessions but keepSession (all of them when it is "")
// and voids its unused reset and invitation links, so a link mailed to an
// old address, or a session someone else holds, stops working.
func (s *Store) identityChangedTx(tx *Tx, personID int64, keepSession string) error {
	if _, err := tx.Exec("DELETE FROM auth_sessions WHERE person_id = ? AND token_hash <> ?", personID, HashToken(keepSession)); err != nil {
		return err
	}
	_, err := tx.Exec("UPDATE auth_tokens SET used_at = ? WHERE person_id = ? AND purpose IN ('reset', 'invite') AND used_at IS NULL", s.Now(), personID)
	return err
}

// validEmail normalises and checks an address with the person rules.
func validEmail(email string) (string, error) {
	probe := peercircle.Person{FullName: "x", Email: email, Status: peercircle.PersonActive}
	if err := probe.Validate(); err != nil {
		return "", err
	}
	if probe.Email == "" {
		return "", peercircle.FieldErrors{"email": "error.required"}.Err()
	}
	return probe.Email, nil
}

// emailTaken refuses an address another account signs in with.
func emailTaken(tx *Tx, personID int64, email string) error {
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM people WHERE (email = ? OR username = ?) AND id <> ?", email, email, personID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &peercircle.Error{Code: peercircle.ECONFLICT, Key: "people.login_taken", Fields: map[string]string{"email": "people.login_taken"}, Message: "e-mail already in use"}
	}
	return nil
}

// ProposeEmail records a new e-mail someone else asks for a person; it
// takes effect when the owner confirms it (ConfirmEmail).
func (s *Store) ProposeEmail(ctx context.Context, personID, by int64, email string) (*peercircle.EmailChange, error) {
	email, err := validEmail(email)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	c := &peercircle.EmailChange{PersonID: personID, NewEmail: email, ProposedBy: by, CreatedAt: now, ExpiresAt: now.Add(peercircle.EmailChangeValid)}
	err = s.DB.Write(ctx, func(tx *Tx) error {
		if err := tx.QueryRow("SELECT COALESCE(email, '') FROM people WHERE id = ?", personID).Scan(&c.OldEmail); err != nil {
			return notFound(err, "person")
		}
		if err := emailTaken(tx, personID, email); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE email_changes SET done_at = ? WHERE person_id = ? AND kind = ? AND done_at IS NULL", now, personID, emailProposal); err != nil {
			return err
		}
		c.ID, err = tx.Insert(`INSERT INTO email_changes (person_id, kind, old_email, new_email, proposed_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, personID, emailProposal, c.OldEmail, c.NewEmail, nullID(by), now, c.ExpiresAt)
		if err != nil {
			return err
		}
		return s.notifyTx(tx, &peercircle.Notification{PersonID: personID, Kind: "email_proposed", Link: "/profile#email"})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// PendingEmail returns the proposal waiting for the person, if any.
func (s *Store) PendingEmail(ctx context.Context, personID int64) (*peercircle.EmailChange, error) {
	return s.pendingEmail(ctx, nil, personID)
}

func (s *Store) pendingEmail(ctx context.Context, tx *Tx, personID int64) (*peercircle.EmailChange, error) {
	q := `SELECT id, person_id, old_email, new_email, COALESCE(proposed_by, 0), created_at, expires_at FROM email_changes
		WHERE person_id = ? AND kind = ? AND done_at IS NULL AND expires_at > ? ORDER BY id DESC LIMIT 1`
	args := []any{personID, emailProposal, s.Now()}
	var c peercircle.EmailChange
	var row interface{ Scan(...any) error }
	if tx != nil {
		row = tx.QueryRow(q, args...)
	} else {
		row = s.DB.QueryRow(ctx, q, args...)
	}
	if err := row.Scan(&c.ID, &c.PersonID, &c.OldEmail, &c.NewEmail, &c.ProposedBy, &c.CreatedAt, &c.ExpiresAt); err != nil {
		return nil, notFound(err, "e-mail change")
	}
	return &c, nil
}

// ConfirmEmail makes the owner's pending proposal their e-mail.
func (s *Store) ConfirmEmail(ctx context.Context, personID, changeID int64, keepSession string) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		c, err := s.pendingEmail(ctx, tx, personID)
		if err != nil {
			return err
		}
		if c.ID != changeID {
			return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "e-mail change %d is not pending", changeID)
		}
		if err := emailTaken(tx, personID, c.NewEmail); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE people SET email = ? WHERE id = ?", c.NewEmail, personID); err != nil {
			return loginConflict(err)
		}
		if _, err := tx.Exec("UPDATE email_changes SET done_at = ? WHERE id = ?", s.Now(), c.ID); err != nil {
			return err
		}
		return s.identityChangedTx(tx, personID, keepSession)
	})
}

// DeclineEmail drops the owner's pending proposal.
func (s *Store) DeclineEmail(ctx context.Context, personID, changeID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		return affectOne(tx.Exec("UPDATE email_changes SET done_at = ? WHERE id = ? AND person_id = ? AND kind = ? AND done_at IS NULL",
			s.Now(), changeID, personID, emailProposal))("e-mail change")
	})
}

var errWrongPassword = &peercircle.Error{Code: peercircle.EINVALID, Key: "auth.password_wrong",
	Fields: map[string]string{"current_password": "auth.password_wrong"}, Message: "wrong password"}

// ChangeOwnEmail changes the owner's e-mail after checking their password,
// and returns a token with which the old address can undo it.
func (s *Store) ChangeOwnEmail(ctx context.Context, personID int64, pw, email, keepSession string) (string, string, error) {
	email, err := validEmail(email)
	if err != nil {
		return "", "", err
	}
	var hash, old string
	if err := s.DB.QueryRow(ctx, "SELECT COALESCE(password_hash, ''), COALESCE(email, '') FROM people WHERE id = ?", personID).Scan(&hash, &old); err != nil {
		return "", "", notFound(err, "person")
	}
	ok := false
	if hash != "" {
		if ok, err = password.Verify(hash, pw); err != nil {
			return "", "", err
		}
	} else {
		password.VerifyDummy(pw)
	}
	if !ok {
		return "", "", errWrongPassword
	}
	if email == old {
		return "", old, nil
	}
	token := NewToken()
	now := s.Now()
	err = s.DB.Write(ctx, func(tx *Tx) error {
		if err := emailTaken(tx, personID, email); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE people SET email = ? WHERE id = ?", email, personID); err != nil {
			return loginConflict(err)
		}
		// A proposal waiting from someone else is moot now.
		if _, err := tx.Exec("UPDATE email_changes SET done_at = ? WHERE person_id = ? AND kind = ? AND done_at IS NULL", now, personID, emailProposal); err != nil {
			return err
		}
		if old != "" {
			if _, err := tx.Exec(`INSERT INTO email_changes (person_id, kind, old_email, new_email, token_hash, proposed_by, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, personID, emailUndo, old, email, HashToken(token), personID, now, now.Add(peercircle.EmailChangeValid)); err != nil {
				return err
			}
		}
		return s.identityChangedTx(tx, personID, keepSession)
	})
	if err != nil {
		return "", "", err
	}
	if old == "" {
		token = ""
	}
	return token, old, nil
}

// UndoEmail puts back the address an owner's change replaced, from the
// link mailed to that address, and ends every session of the account: if
// the change was not the owner's, whoever made it is signed out.
func (s *Store) UndoEmail(ctx context.Context, token string) (*peercircle.Person, error) {
	var pid int64
	err := s.DB.Write(ctx, func(tx *Tx) error {
		var id int64
		var old string
		err := tx.QueryRow("SELECT id, person_id, old_email FROM email_changes WHERE token_hash = ? AND kind = ? AND done_at IS NULL AND expires_at > ?",
			HashToken(token), emailUndo, s.Now()).Scan(&id, &pid, &old)
		if err != nil {
			if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
				return errLinkExpired
			}
			return err
		}
		if err := emailTaken(tx, pid, old); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE people SET email = ? WHERE id = ?", old, pid); err != nil {
			return loginConflict(err)
		}
		if _, err := tx.Exec("UPDATE email_changes SET done_at = ? WHERE person_id = ? AND done_at IS NULL", s.Now(), pid); err != nil {
			return err
		}
		return s.identityChangedTx(tx, pid, "")
	})
	if err != nil {
		return nil, err
	}
	return s.Person(ctx, pid)
}
