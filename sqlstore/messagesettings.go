package sqlstore

import (
	"context"
	"errors"

	"github.com/peercircle/peercircle"
)

var _ peercircle.MessageSettingsService = (*Store)(nil)

// MessageSettings returns how a person is reached outside the app (empty
// settings when they gave none).
func (s *Store) MessageSettings(ctx context.Context, personID int64) (*peercircle.MessageSettings, error) {
	var m *peercircle.MessageSettings
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		m, err = messageSettingsTx(tx, personID)
		return err
	})
	return m, err
}

func messageSettingsTx(tx *Tx, personID int64) (*peercircle.MessageSettings, error) {
	m := &peercircle.MessageSettings{PersonID: personID}
	err := tx.QueryRow("SELECT phone, quiet_start, quiet_end FROM message_settings WHERE person_id = ?", personID).Scan(&m.Phone, &m.QuietStart, &m.QuietEnd)
	if err != nil && !errors.Is(err, errNoRows) {
		return nil, err
	}
	return m, nil
}

// SaveMessageSettings validates and keeps a person's settings. A message
// waiting to leave by SMS or WhatsApp takes the new number when it is
// claimed.
func (s *Store) SaveMessageSettings(ctx context.Context, m *peercircle.MessageSettings) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if err := exists(tx, "people", m.PersonID, "person"); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO message_settings (person_id, phone, quiet_start, quiet_end) VALUES (?, ?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET phone = excluded.phone, quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end`,
			m.PersonID, m.Phone, m.QuietStart, m.QuietEnd)
		return err
	})
}

// MessageReceipt records a provider's delivery status for a message.
func (s *Store) MessageReceipt(ctx context.Context, channel, providerID, status string) error {
	if providerID == "" {
		return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "no provider id")
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		return affectOne(tx.Exec("UPDATE outbox SET receipt = ?, receipt_at = ? WHERE channel = ? AND provider_id = ?", status, s.Now(), channel, providerID))("message")
	})
}
