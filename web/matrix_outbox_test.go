package web_test

import (
	"context"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// The outbox: only admins see the messages that did not go out and send
// them again.
var _ = addRules(
	accessRule{Pattern: "GET /admin/outbox", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/outbox/{message}/retry", Expect: adminOnly},
)

// The outbox fixture: in each half, a message that gave up.
var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		for _, half := range []struct {
			ids    map[string]int64
			person int64
		}{{f.In, f.People["member"].ID}, {f.Out, f.Out["person"]}} {
			m, err := failedMessage(ctx, s, half.person)
			if err != nil {
				return err
			}
			half.ids["message"] = m.ID
		}
		return nil
	})
	return true
}()

// failedMessage puts a message in the outbox that gave up.
func failedMessage(ctx context.Context, s *sqlstore.Store, person int64) (*peercircle.OutboxMessage, error) {
	m := &peercircle.OutboxMessage{PersonID: person, Kind: "buddy_paired", Channel: peercircle.ChannelEmail, Link: "/"}
	if _, err := s.EnqueueMessage(ctx, m); err != nil {
		return nil, err
	}
	err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.Exec("UPDATE outbox SET state = 'failed', attempts = 6, last_error = '550 mailbox unavailable' WHERE id = ?", m.ID)
		return err
	})
	return m, err
}
