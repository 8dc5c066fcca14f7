package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func outboxPerson(t *testing.T, s *sqlstore.Store, user, email string) *peercircle.Person {
	t.Helper()
	p := &peercircle.Person{Username: user, Email: email, FullName: user + " test", Status: peercircle.PersonActive}
	must(t, s.CreatePerson(context.Background(), p))
	return p
}

func outboxCount(t *testing.T, s *sqlstore.Store, state string) int {
	t.Helper()
	ms, err := s.OutboxMessages(context.Background(), state, 500)
	must(t, err)
	return len(ms)
}

// TestOutboxMessageCommitsWithItsChange: a notice to someone with an
// e-mail address puts an e-mail in the outbox in the same transaction; a
// transaction that fails leaves neither; someone without an address, or
// who chose the app only, gets the bell alone.
func TestOutboxMessageCommitsWithItsChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mail := outboxPerson(t, s, "huda", "huda@example.org")
		noMail := outboxPerson(t, s, "rana", "")

		must(t, s.Notify(ctx, &peercircle.Notification{PersonID: mail.ID, Kind: "buddy_paired", Link: "/"}))
		must(t, s.Notify(ctx, &peercircle.Notification{PersonID: noMail.ID, Kind: "buddy_paired", Link: "/"}))
		ms, err := s.OutboxMessages(ctx, "", 10)
		must(t, err)
		if len(ms) != 1 || ms[0].PersonID != mail.ID || ms[0].Channel != peercircle.ChannelEmail || ms[0].Kind != "buddy_paired" || ms[0].State != peercircle.OutboxQueued {
			t.Fatalf("outbox = %+v, want one queued e-mail to huda", ms)
		}

		boom := errors.New("the change failed")
		err = s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
			if err := s.NotifyTx(tx, &peercircle.Notification{PersonID: mail.ID, Kind: "support_request", Link: "/support/requests/1"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		if n := outboxCount(t, s, ""); n != 1 {
			t.Errorf("after a failed change the outbox holds %d messages, want 1", n)
		}
		ns, err := s.Notifications(ctx, mail.ID, false, 10)
		must(t, err)
		if len(ns) != 1 {
			t.Errorf("after a failed change huda has %d notices, want 1", len(ns))
		}
	})
}

// TestOutboxLifecycle: a claimed message is leased to one worker; each
// attempt is recorded with its reason; a retry waits for its time; a
// message that gave up is failed until an admin sends it again; a
// withdrawn message never leaves.
func TestOutboxLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := storetest.NewClock(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
		s.Now = clock.Now
		p := outboxPerson(t, s, "samir", "samir@example.org")
		admin := outboxPerson(t, s, "admin", "")
		m := &peercircle.OutboxMessage{PersonID: p.ID, Kind: "buddy_paired", Channel: peercircle.ChannelEmail, Link: "/"}
		_, err := s.EnqueueMessage(ctx, m)
		must(t, err)

		got, err := s.ClaimMessage(ctx, "w1", time.Minute)
		must(t, err)
		if got == nil || got.ID != m.ID || got.To != "samir@example.org" || got.Attempts != 1 {
			t.Fatalf("claimed %+v", got)
		}
		if again, err := s.ClaimMessage(ctx, "w2", time.Minute); err != nil || again != nil {
			t.Fatalf("a leased message was claimed again: %+v, %v", again, err)
		}
		retry := clock.Now().Add(time.Minute)
		must(t, s.MessageFailed(ctx, m.ID, "w1", "421 try later", &retry))
		if again, _ := s.ClaimMessage(ctx, "w2", time.Minute); again != nil {
			t.Fatal("a message waiting for its retry was claimed early")
		}
		clock.Add(time.Minute)
		got, err = s.ClaimMessage(ctx, "w2", time.Minute)
		must(t, err)
		if got == nil || got.Attempts != 2 {
			t.Fatalf("second claim %+v", got)
		}
		must(t, s.MessageFailed(ctx, m.ID, "w2", "550 no such mailbox", nil))
		if err := s.RetryMessage(ctx, 999999, admin.ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Errorf("retry of an unknown message: %v", err)
		}
		failed, attempts, err := s.OutboxMessage(ctx, m.ID)
		must(t, err)
		if failed.State != peercircle.OutboxFailed || failed.LastError != "550 no such mailbox" || len(attempts) != 2 ||
			attempts[0].Error != "421 try later" || attempts[0].Worker != "w1" || attempts[1].Worker != "w2" {
			t.Fatalf("failed message %+v, attempts %+v", failed, attempts)
		}

		must(t, s.RetryMessage(ctx, m.ID, admin.ID))
		if err := s.RetryMessage(ctx, m.ID, admin.ID); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
			t.Errorf("second retry: %v, want a conflict", err)
		}
		got, err = s.ClaimMessage(ctx, "w3", time.Minute)
		must(t, err)
		if got == nil || got.Attempts != 1 {
			t.Fatalf("claim after send again: %+v", got)
		}
		must(t, s.MessageSent(ctx, m.ID, "w3", "relay-id-1"))
		sent, attempts, err := s.OutboxMessage(ctx, m.ID)
		must(t, err)
		if sent.State != peercircle.OutboxSent || sent.ProviderID != "relay-id-1" || sent.SentAt == nil || len(attempts) != 3 || attempts[2].Error != "" {
			t.Fatalf("sent message %+v, attempts %+v", sent, attempts)
		}

		// A worker whose lease ran out does not overwrite the new owner's state.
		w := &peercircle.OutboxMessage{PersonID: p.ID, Kind: "buddy_paired", Channel: peercircle.ChannelEmail, Ref: "meeting:7"}
		_, err = s.EnqueueMessage(ctx, w)
		must(t, err)
		if n, err := s.WithdrawMessages(ctx, "meeting:7"); err != nil || n != 1 {
			t.Fatalf("withdrew %d, %v", n, err)
		}
		if got, _ := s.ClaimMessage(ctx, "w4", time.Minute); got != nil {
			t.Fatalf("a withdrawn message was claimed: %+v", got)
		}

		// Unique keys: a reminder scheduled twice is one message.
		for range 2 {
			_, err := s.EnqueueMessage(ctx, &peercircle.OutboxMessage{PersonID: p.ID, Kind: "buddy_paired", Channel: peercircle.ChannelEmail, UniqueKey: "k1"})
			must(t, err)
		}
		if n := outboxCount(t, s, peercircle.OutboxQueued); n != 1 {
			t.Errorf("queued after two adds with one key: %d", n)
		}
	})
}
