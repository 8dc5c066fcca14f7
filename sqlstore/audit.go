package sqlstore

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/peercircle/peercircle"
)

// Audit appends an audit event.
func (s *Store) Audit(ctx context.Context, e *peercircle.AuditEvent) error {
	return s.DB.Write(ctx, func(tx *Tx) error { return s.auditTx(tx, e) })
}

// auditTx appends an audit event inside a caller's transaction, so the
// event and the change it records commit together.
func (s *Store) auditTx(tx *Tx, e *peercircle.AuditEvent) (err error) {
	if e.At.IsZero() {
		e.At = s.Now()
	}
	e.ID, err = tx.Insert("INSERT INTO audit_events (at, actor_id, action, target_kind, target_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
		e.At, nullID(e.ActorID), e.Action, e.TargetKind, e.TargetID, e.Detail)
	return err
}

// AuditEvents lists recent events about a record, newest first; an empty
// targetKind lists all.
func (s *Store) AuditEvents(ctx context.Context, targetKind string, targetID int64, limit int) ([]*peercircle.AuditEvent, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := "SELECT id, at, actor_id, action, target_kind, target_id, detail FROM audit_events"
	var args []any
	if targetKind != "" {
		q += " WHERE target_kind = ? AND target_id = ?"
		args = append(args, targetKind, targetID)
	}
	rows, err := s.DB.Query(ctx, q+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.AuditEvent
	for rows.Next() {
		var e peercircle.AuditEvent
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Action, &e.TargetKind, &e.TargetID, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// Notify stores an in-app notification.
func (s *Store) Notify(ctx context.Context, n *peercircle.Notification) error {
	return s.DB.Write(ctx, func(tx *Tx) error { return s.notifyTx(tx, n) })
}

func (s *Store) notifyTx(tx *Tx, n *peercircle.Notification) error {
	return s.notifyRefTx(tx, n, "")
}

// notifyRefTx is notifyTx for a notice about something that may change
// before its message leaves (ref, e.g. "meeting:12"): a change withdraws
// the message (withdrawTx).
func (s *Store) notifyRefTx(tx *Tx, n *peercircle.Notification, ref string) (err error) {
	n.CreatedAt = s.Now()
	params, err := json.Marshal(n.Params)
	if err != nil {
		return err
	}
	if n.Params == nil {
		params = []byte("[]")
	}
	n.ID, err = tx.Insert("INSERT INTO notifications (person_id, kind, params, link, created_at) VALUES (?, ?, ?, ?, ?)",
		n.PersonID, n.Kind, string(params), n.Link, n.CreatedAt)
	if err != nil {
		return err
	}
	// The same notice leaves on the person's channel, through the outbox,
	// in this transaction (issue 12).
	return s.outboxForNoticeTx(tx, n, ref)
}

// Notifications lists a person's notifications, newest first.
func (s *Store) Notifications(ctx context.Context, personID int64, unreadOnly bool, limit int) ([]*peercircle.Notification, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := "SELECT id, person_id, kind, params, link, created_at, read_at FROM notifications WHERE person_id = ?"
	if unreadOnly {
		q += " AND read_at IS NULL"
	}
	rows, err := s.DB.Query(ctx, q+" ORDER BY id DESC LIMIT ?", personID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Notification
	for rows.Next() {
		var n peercircle.Notification
		var params string
		if err := rows.Scan(&n.ID, &n.PersonID, &n.Kind, &params, &n.Link, &n.CreatedAt, &n.ReadAt); err != nil {
			return nil, err
		}
		if err := json.NewDecoder(strings.NewReader(params)).Decode(&n.Params); err != nil {
			return nil, err
		}
		out = append(out, &n)
	}
	return out, rows.Err()
}

// MarkRead marks one of a person's notifications read (0 marks all).
func (s *Store) MarkRead(ctx context.Context, personID, id int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		q, args := "UPDATE notifications SET read_at = ? WHERE person_id = ? AND read_at IS NULL", []any{s.Now(), personID}
		if id != 0 {
			q += " AND id = ?"
			args = append(args, id)
		}
		_, err := tx.Exec(q, args...)
		return err
	})
}

// UnreadCount counts a person's unread notifications.
func (s *Store) UnreadCount(ctx context.Context, personID int64) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE person_id = ? AND read_at IS NULL", personID).Scan(&n)
	return n, err
}

// prefixed qualifies a comma-separated column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
