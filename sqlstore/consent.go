package sqlstore

import (
	"context"
	"slices"

	"github.com/peercircle/peercircle"
)

// GiveConsent records a consent; it stays in the history when withdrawn.
func (s *Store) GiveConsent(ctx context.Context, membershipID int64, kind string) error {
	if !slices.Contains(peercircle.ConsentKinds, kind) {
		return peercircle.FieldErrors{"kind": "error.choice"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if err := exists(tx, "memberships", membershipID, "membership"); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM consents WHERE membership_id = ? AND kind = ? AND withdrawn_at IS NULL", membershipID, kind).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return peercircle.Errorf(peercircle.ECONFLICT, "consent.already", "consent %s already given", kind)
		}
		_, err := tx.Exec("INSERT INTO consents (membership_id, kind, given_at) VALUES (?, ?, ?)", membershipID, kind, s.Now())
		return err
	})
}

// WithdrawConsent ends a consent in force.
func (s *Store) WithdrawConsent(ctx context.Context, membershipID int64, kind string) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("UPDATE consents SET withdrawn_at = ? WHERE membership_id = ? AND kind = ? AND withdrawn_at IS NULL", s.Now(), membershipID, kind)
		return affectOne(res, err)("consent")
	})
}

// Consents lists a membership's consent history, newest first.
func (s *Store) Consents(ctx context.Context, membershipID int64) ([]*peercircle.Consent, error) {
	rows, err := s.DB.Query(ctx, "SELECT id, membership_id, kind, given_at, withdrawn_at FROM consents WHERE membership_id = ? ORDER BY given_at DESC, id DESC", membershipID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Consent
	for rows.Next() {
		var c peercircle.Consent
		if err := rows.Scan(&c.ID, &c.MembershipID, &c.Kind, &c.GivenAt, &c.WithdrawnAt); err != nil {
			return nil, err
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}
