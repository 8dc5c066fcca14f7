package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
)

var _ peercircle.OutboxService = (*Store)(nil)

// EnqueueMessage adds a message to the outbox on its own; changes that
// cause messages add them in their own transaction (enqueueMessageTx).
func (s *Store) EnqueueMessage(ctx context.Context, m *peercircle.OutboxMessage) (bool, error) {
	var added bool
	err := s.DB.Write(ctx, func(tx *Tx) error {
		var err error
		added, err = s.enqueueMessageTx(tx, m)
		return err
	})
	return added, err
}

// enqueueMessageTx adds a message inside the caller's transaction, so the
// change and the message about it commit together or not at all.
func (s *Store) enqueueMessageTx(tx *Tx, m *peercircle.OutboxMessage) (bool, error) {
	now := s.Now()
	if m.RunAt.IsZero() {
		m.RunAt = now
	}
	m.State, m.CreatedAt = peercircle.OutboxQueued, now
	if m.Channel != peercircle.ChannelInApp {
		// Nothing leaves during the person's quiet hours.
		ms, err := messageSettingsTx(tx, m.PersonID)
		if err != nil {
			return false, err
		}
		if ms.QuietStart != "" {
			m.RunAt = ms.AfterQuietHours(m.RunAt, s.personZoneTx(tx, m.PersonID))
		}
	}
	params, err := json.Marshal(m.Params)
	if err != nil {
		return false, err
	}
	if m.Params == nil {
		params = []byte("[]")
	}
	rows, err := tx.Query(`INSERT INTO outbox (person_id, kind, channel, params, link, ref, unique_key, state, run_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT (unique_key) DO NOTHING RETURNING id`,
		m.PersonID, m.Kind, m.Channel, string(params), m.Link, m.Ref, nullText(m.UniqueKey), m.RunAt, now)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if rows.Next() {
		return true, rows.Scan(&m.ID)
	}
	return false, rows.Err()
}

// channelForTx says how a person wants to hear about a kind of message:
// their choice for the kind, else their default, else e-mail when they have
// an address and the app only when not. People who cannot sign in or were
// disabled get nothing outside the app.
func (s *Store) channelForTx(tx *Tx, personID int64, kind string) (string, error) {
	var email, status string
	if err := tx.QueryRow("SELECT email, status FROM people WHERE id = ?", personID).Scan(&email, &status); err != nil {
		return "", notFound(err, "person")
	}
	if status == peercircle.PersonDisabled {
		return peercircle.ChannelInApp, nil
	}
	topic := peercircle.TopicPref(peercircle.TopicOf(kind))
	rows, err := tx.Query("SELECT kind, channel FROM notify_prefs WHERE person_id = ? AND kind IN (?, ?, '*')", personID, kind, topic)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	// The kind's own choice, else its topic's, else the default.
	rank := map[string]int{kind: 3, topic: 2, "*": 1}
	ch, best := "", 0
	for rows.Next() {
		var k, c string
		if err := rows.Scan(&k, &c); err != nil {
			return "", err
		}
		if rank[k] > best {
			ch, best = c, rank[k]
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if ch == "" {
		ch = peercircle.ChannelInApp
		if email != "" {
			ch = peercircle.ChannelEmail
		}
	}
	return ch, nil
}

// outboxForNoticeTx sends a bell notice on the person's channel too, when
// they chose one that leaves the app.
func (s *Store) outboxForNoticeTx(tx *Tx, n *peercircle.Notification, ref string) error {
	ch, err := s.channelForTx(tx, n.PersonID, n.Kind)
	if err != nil || ch == peercircle.ChannelInApp {
		return err
	}
	params, err := s.neutralGroupNamesTx(tx, n.PersonID, n.Params)
	if err != nil {
		return err
	}
	_, err = s.enqueueMessageTx(tx, &peercircle.OutboxMessage{PersonID: n.PersonID, Kind: n.Kind, Channel: ch,
		Params: params, Link: n.Link, Ref: ref})
	return err
}

// neutralGroupNamesTx keeps the name of a group out of messages that leave
// the app for a person who is unlisted in it: a phone's lock screen or a
// shared inbox must not tell that they belong to it (issue 12). The name
// becomes "your group" in their language; the bell, inside the app, keeps it.
func (s *Store) neutralGroupNamesTx(tx *Tx, personID int64, params []string) ([]string, error) {
	if len(params) == 0 {
		return params, nil
	}
	rows, err := tx.Query(`SELECT g.name FROM memberships m JOIN groups g ON g.id = m.group_id
		WHERE m.person_id = ? AND m.unlisted = ?`, personID, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	hidden := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		hidden[name] = true
	}
	if err := rows.Err(); err != nil || len(hidden) == 0 {
		return params, err
	}
	out := append([]string(nil), params...)
	for i, p := range out {
		if hidden[p] {
			out[i] = "@notify.your_group"
		}
	}
	return out, nil
}

const outboxCols = `o.id, o.person_id, o.kind, o.channel, o.params, o.link, o.ref, COALESCE(o.unique_key, ''), o.state, o.run_at,
	o.attempts, o.last_error, o.created_at, o.sent_at, o.provider_id, o.receipt, o.receipt_at`

func scanOutbox(sc interface{ Scan(...any) error }, extra ...any) (*peercircle.OutboxMessage, error) {
	var m peercircle.OutboxMessage
	var params string
	dest := append([]any{&m.ID, &m.PersonID, &m.Kind, &m.Channel, &params, &m.Link, &m.Ref, &m.UniqueKey, &m.State, &m.RunAt,
		&m.Attempts, &m.LastError, &m.CreatedAt, &m.SentAt, &m.ProviderID, &m.Receipt, &m.ReceiptAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(params), &m.Params); err != nil {
		return nil, err
	}
	return &m, nil
}

// ClaimMessage leases the oldest due message to worker, or one whose
// worker's lease ran out (it died mid-send). As in Claim (jobs.go), the
// state test is repeated in the outer WHERE so that two instances racing
// for one row cannot both win; PostgreSQL also skips rows another
// transaction holds. The person's address on the channel and language are
// read in the same transaction.
func (s *Store) ClaimMessage(ctx context.Context, worker string, lease time.Duration) (*peercircle.OutboxMessage, error) {
	now := s.Now()
	skip := ""
	if s.DB.Dialect.Name == "postgres" {
		skip = " FOR UPDATE SKIP LOCKED"
	}
	var m *peercircle.OutboxMessage
	err := s.DB.Write(ctx, func(tx *Tx) error {
		var id int64
		err := tx.QueryRow(`UPDATE outbox SET state = 'sending', locked_until = ?, locked_by = ?, attempts = attempts + 1
			WHERE id = (SELECT id FROM outbox WHERE (state = 'queued' AND run_at <= ?) OR (state = 'sending' AND locked_until < ?)
			            ORDER BY run_at, id LIMIT 1`+skip+`)
			  AND ((state = 'queued' AND run_at <= ?) OR (state = 'sending' AND locked_until < ?))
			RETURNING id`, now.Add(lease), worker, now, now, now, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var email, lang string
		m, err = scanOutbox(tx.QueryRow(`SELECT `+outboxCols+`, p.email, p.lang FROM outbox o JOIN people p ON p.id = o.person_id WHERE o.id = ?`, id), &email, &lang)
		if err != nil {
			return err
		}
		m.Lang = lang
		m.To, err = s.addressTx(tx, m.PersonID, m.Channel, email)
		return err
	})
	return m, err
}

// addressTx finds where a person is reached on a channel ("" when nowhere).
func (s *Store) addressTx(tx *Tx, personID int64, channel, email string) (string, error) {
	switch channel {
	case peercircle.ChannelEmail:
		return email, nil
	}
	return s.phoneTx(tx, personID, channel)
}

// phoneTx is where SMS and WhatsApp go: the number the person gave for
// messages ("" when none, and the message waits for an admin).
func (s *Store) phoneTx(tx *Tx, personID int64, channel string) (string, error) {
	m, err := messageSettingsTx(tx, personID)
	if err != nil {
		return "", err
	}
	return m.Phone, nil
}

func (s *Store) attemptTx(tx *Tx, id int64, worker, reason string) error {
	_, err := tx.Exec("INSERT INTO outbox_attempts (message_id, at, worker, error) VALUES (?, ?, ?, ?)", id, s.Now(), worker, reason)
	return err
}

// MessageSent records a delivery. A worker whose lease ran out and whose
// message another worker took since records its attempt but leaves the
// message to the other.
func (s *Store) MessageSent(ctx context.Context, id int64, worker, providerID string) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		if err := s.attemptTx(tx, id, worker, ""); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE outbox SET state = 'sent', sent_at = ?, provider_id = ?, locked_until = NULL, last_error = ''
			WHERE id = ? AND state = 'sending' AND locked_by = ?`, s.Now(), providerID, id, worker)
		return err
	})
}

// MessageFailed records a failed attempt; with retryAt the message is
// queued again, without it it stays failed for an admin to look at. The
// reason must not hold confidential text (it is the relay's answer).
func (s *Store) MessageFailed(ctx context.Context, id int64, worker, reason string, retryAt *time.Time) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	reason = strings.ToValidUTF8(reason, "")
	if reason == "" {
		reason = "failed"
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if err := s.attemptTx(tx, id, worker, reason); err != nil {
			return err
		}
		if retryAt != nil {
			_, err := tx.Exec(`UPDATE outbox SET state = 'queued', run_at = ?, last_error = ?, locked_until = NULL
				WHERE id = ? AND state = 'sending' AND locked_by = ?`, *retryAt, reason, id, worker)
			return err
		}
		_, err := tx.Exec(`UPDATE outbox SET state = 'failed', last_error = ?, locked_until = NULL
			WHERE id = ? AND state = 'sending' AND locked_by = ?`, reason, id, worker)
		return err
	})
}

// OutboxMessage reads one message and its attempts, oldest first.
func (s *Store) OutboxMessage(ctx context.Context, id int64) (*peercircle.OutboxMessage, []peercircle.OutboxAttempt, error) {
	m, err := scanOutbox(s.DB.QueryRow(ctx, "SELECT "+outboxCols+" FROM outbox o WHERE o.id = ?", id))
	if err != nil {
		return nil, nil, notFound(err, "message")
	}
	rows, err := s.DB.Query(ctx, "SELECT at, worker, error FROM outbox_attempts WHERE message_id = ? ORDER BY at, id", id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []peercircle.OutboxAttempt
	for rows.Next() {
		var a peercircle.OutboxAttempt
		if err := rows.Scan(&a.At, &a.Worker, &a.Error); err != nil {
			return nil, nil, err
		}
		out = append(out, a)
	}
	return m, out, rows.Err()
}

// OutboxMessages lists messages in a state ("" for any), newest first.
func (s *Store) OutboxMessages(ctx context.Context, state string, limit int) ([]*peercircle.OutboxMessage, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q, args := "SELECT "+outboxCols+" FROM outbox o", []any{}
	if state != "" {
		q += " WHERE o.state = ?"
		args = append(args, state)
	}
	rows, err := s.DB.Query(ctx, q+" ORDER BY o.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// OutboxCounts counts messages by state.
func (s *Store) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.DB.Query(ctx, "SELECT state, COUNT(*) FROM outbox GROUP BY state")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// RetryMessage queues a failed message again, now, with a fresh count of
// attempts; the admin's act is audited.
func (s *Store) RetryMessage(ctx context.Context, id, by int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("UPDATE outbox SET state = 'queued', run_at = ?, attempts = 0, locked_until = NULL WHERE id = ? AND state = 'failed'", s.Now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var st string
			if err := tx.QueryRow("SELECT state FROM outbox WHERE id = ?", id).Scan(&st); err != nil {
				return notFound(err, "message")
			}
			return peercircle.Errorf(peercircle.ECONFLICT, "outbox.not_failed", "message %d is %s", id, st)
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: "outbox.retry", TargetKind: "outbox", TargetID: id})
	})
}

// WithdrawMessages withdraws the unsent messages about ref (a meeting that
// changed or was cancelled); it returns how many.
func (s *Store) WithdrawMessages(ctx context.Context, ref string) (int, error) {
	var n int
	err := s.DB.Write(ctx, func(tx *Tx) error {
		var err error
		n, err = s.withdrawTx(tx, ref, "")
		return err
	})
	return n, err
}

// withdrawTx withdraws the queued messages about ref, of one kind or
// (kind "") all. A message being sent right now is left to finish.
func (s *Store) withdrawTx(tx *Tx, ref, kind string) (int, error) {
	q, args := "UPDATE outbox SET state = 'withdrawn' WHERE ref = ? AND state = 'queued'", []any{ref}
	if kind != "" {
		q += " AND kind = ?"
		args = append(args, kind)
	}
	res, err := tx.Exec(q, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// NotifyPrefs returns a person's channel choices by kind ("*": default).
func (s *Store) NotifyPrefs(ctx context.Context, personID int64) (map[string]string, error) {
	rows, err := s.DB.Query(ctx, "SELECT kind, channel FROM notify_prefs WHERE person_id = ?", personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, c string
		if err := rows.Scan(&k, &c); err != nil {
			return nil, err
		}
		out[k] = c
	}
	return out, rows.Err()
}

// SetNotifyPref records how a person wants to hear about a kind of message
// ("*" for every kind without its own choice); an empty channel removes the
// choice.
func (s *Store) SetNotifyPref(ctx context.Context, personID int64, kind, channel string) error {
	if channel != "" && !slices.Contains(peercircle.MessageChannels, channel) {
		return peercircle.FieldErrors{"channel": "error.choice"}.Err()
	}
	if kind == "" || len(kind) > 60 {
		return peercircle.FieldErrors{"kind": "error.choice"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec("DELETE FROM notify_prefs WHERE person_id = ? AND kind = ?", personID, kind); err != nil {
			return err
		}
		if channel == "" {
			return nil
		}
		_, err := tx.Exec("INSERT INTO notify_prefs (person_id, kind, channel) VALUES (?, ?, ?)", personID, kind, channel)
		return err
	})
}

// personZoneTx is the zone of a person's home site (UTC without one), for
// their quiet hours.
func (s *Store) personZoneTx(tx *Tx, personID int64) *time.Location {
	var zone string
	tx.QueryRow("SELECT st.time_zone FROM people p JOIN sites st ON st.id = p.home_site_id WHERE p.id = ?", personID).Scan(&zone)
	loc, err := peercircle.LoadZone(zone)
	if err != nil || zone == "" {
		return time.UTC
	}
	return loc
}
