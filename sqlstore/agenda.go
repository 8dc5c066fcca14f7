package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/guard"
)

// runnableSessionTx loads a session for a write that needs it to be
// happening: cancelled and postponed meetings are refused.
func runnableSessionTx(tx *Tx, id int64) (*peercircle.Session, error) {
	m, err := scanSession(tx.QueryRow("SELECT "+sessionCols+" FROM sessions WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "session")
	}
	if m.Status == peercircle.SessionCancelled || m.Status == peercircle.SessionPostponed {
		return nil, peercircle.Errorf(peercircle.EINVALID, "meeting.not_running", "session %d is %s", id, m.Status)
	}
	return m, nil
}

// ProtectedNames returns the names the guard protects for a session.
func (s *Store) ProtectedNames(ctx context.Context, sessionID int64) ([]string, error) {
	var out []string
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		out, err = protectedNamesTx(tx, sessionID)
		return err
	})
	return out, err
}

func protectedNamesTx(tx *Tx, sessionID int64) ([]string, error) {
	rows, err := tx.Query(`SELECT p.full_name, p.display_name FROM memberships m JOIN people p ON p.id = m.person_id
			WHERE m.group_id = (SELECT group_id FROM sessions WHERE id = ?)
		UNION ALL SELECT p.full_name, p.display_name FROM sessions m JOIN people p ON p.id = m.facilitator_id OR p.id = m.co_facilitator_id
			WHERE m.id = ?
		UNION ALL SELECT COALESCE(p.full_name, a.guest_name), COALESCE(p.display_name, '') FROM attendance a LEFT JOIN people p ON p.id = a.person_id
			WHERE a.session_id = ?`, sessionID, sessionID, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var full, display string
		if err := rows.Scan(&full, &display); err != nil {
			return nil, err
		}
		for _, n := range []string{full, display} {
			// An erased person has no name left to protect (mydata.go).
			if n = strings.TrimSpace(n); n != "" && !seen[n] && !peercircle.IsErasedName(n) {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out, rows.Err()
}

// guardTx is the confidentiality guard at the point of saving: any finding
// in texts (field → text) whose key is not confirmed in allowed refuses the
// save, so no caller (form, API, benchmark) can skip it.
func guardTx(tx *Tx, sessionID int64, texts map[string]string, allowed map[string][]string) error {
	names, err := protectedNamesTx(tx, sessionID)
	if err != nil {
		return err
	}
	g := guard.New(names)
	f := peercircle.FieldErrors{}
	for field, text := range texts {
		if len(guard.Unconfirmed(g.Check(text), allowed[field])) > 0 {
			f.Add(field, "guard.unconfirmed")
		}
	}
	return f.Err()
}

// countNew counts the confirmed words in now that were not in before, for
// the audit log (which never holds the words).
func countNew(before, now map[string][]string) int {
	n := 0
	for field, words := range now {
		old := map[string]bool{}
		for _, w := range before[field] {
			old[w] = true
		}
		for _, w := range words {
			if !old[w] {
				n++
			}
		}
	}
	return n
}

// sealJSON seals a value as JSON; nil and empty values are stored as NULL.
func (s *Store) sealJSON(v any, context string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" || string(b) == "{}" || string(b) == "[]" {
		return nil, nil
	}
	return s.Keys.Seal(b, context), nil
}

func (s *Store) openJSON(sealed []byte, context string, v any) error {
	if len(sealed) == 0 {
		return nil
	}
	b, err := s.Keys.Open(sealed, context)
	if err != nil {
		return fmt.Errorf("open %s: %w", context, err)
	}
	return json.Unmarshal(b, v)
}

// ProposeItem adds a member's agenda item at the end of the session's list.
func (s *Store) ProposeItem(ctx context.Context, it *peercircle.AgendaItem) error {
	it.Status = peercircle.ItemProposed
	if err := it.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		if _, err := runnableSessionTx(tx, it.SessionID); err != nil {
			return err
		}
		var ended int
		if err := tx.QueryRow("SELECT COUNT(*) FROM live_sessions WHERE session_id = ? AND state = ?", it.SessionID, peercircle.LiveEnded).Scan(&ended); err != nil {
			return err
		}
		if ended > 0 {
			return peercircle.Errorf(peercircle.EINVALID, "board.meeting_over", "session %d has ended", it.SessionID)
		}
		if err := guardTx(tx, it.SessionID, map[string]string{"title": it.Title}, map[string][]string{"title": it.Allowed}); err != nil {
			return err
		}
		if err := tx.QueryRow("SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE session_id = ?", it.SessionID).Scan(&it.Position); err != nil {
			return err
		}
		now := s.Now()
		it.CreatedAt, it.UpdatedAt = now, now
		it.ID, err = tx.Insert(`INSERT INTO agenda_items (session_id, author_id, kind, title, minutes, position, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, it.SessionID, nullID(it.AuthorID), it.Kind, []byte{}, it.Minutes, it.Position, it.Status, now, now)
		if err != nil {
			return err
		}
		ctxKey := fmt.Sprintf("agenda:%d:", it.ID)
		allowed, err := s.sealJSON(it.Allowed, ctxKey+"allowed")
		if err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE agenda_items SET title = ?, allowed = ? WHERE id = ?",
			s.Keys.SealString(it.Title, ctxKey+"title"), allowed, it.ID); err != nil {
			return err
		}
		if n := len(it.Allowed); n > 0 {
			if err := s.auditTx(tx, &peercircle.AuditEvent{ActorID: it.AuthorID, Action: "guard.confirm", TargetKind: "agenda_item", TargetID: it.ID, Detail: fmt.Sprintf("count=%d", n)}); err != nil {
				return err
			}
		}
		return bumpLive(tx, it.SessionID, now)
	})
}

// AgendaItems lists a session's agenda items in the facilitator's order,
// with their titles opened.
func (s *Store) AgendaItems(ctx context.Context, sessionID int64) ([]*peercircle.AgendaItem, error) {
	var out []*peercircle.AgendaItem
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		out, err = s.agendaItemsTx(tx, sessionID)
		return err
	})
	return out, err
}

func (s *Store) agendaItemsTx(tx *Tx, sessionID int64) ([]*peercircle.AgendaItem, error) {
	rows, err := tx.Query(`SELECT id, session_id, author_id, kind, title, minutes, position, status, created_at, updated_at
		FROM agenda_items WHERE session_id = ? ORDER BY position, id`, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.AgendaItem
	for rows.Next() {
		var it peercircle.AgendaItem
		var title []byte
		if err := rows.Scan(&it.ID, &it.SessionID, &it.AuthorID, &it.Kind, &title, &it.Minutes, &it.Position, &it.Status, &it.CreatedAt, &it.UpdatedAt); err != nil {
			return nil, err
		}
		if it.Title, err = s.Keys.OpenString(title, fmt.Sprintf("agenda:%d:title", it.ID)); err != nil {
			return nil, fmt.Errorf("agenda item %d: %w", it.ID, err)
		}
		out = append(out, &it)
	}
	return out, rows.Err()
}

// UpdateItem changes an agenda item's place, estimate or status, or
// deletes it.
func (s *Store) UpdateItem(ctx context.Context, sessionID, itemID int64, op string, minutes int) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		if _, err := runnableSessionTx(tx, sessionID); err != nil {
			return err
		}
		var pos int
		err := tx.QueryRow("SELECT position FROM agenda_items WHERE id = ? AND session_id = ?", itemID, sessionID).Scan(&pos)
		if err != nil {
			return notFound(err, "agenda item")
		}
		now := s.Now()
		switch op {
		case "up", "down":
			q := "SELECT id, position FROM agenda_items WHERE session_id = ? AND position < ? ORDER BY position DESC, id DESC LIMIT 1"
			if op == "down" {
				q = "SELECT id, position FROM agenda_items WHERE session_id = ? AND position > ? ORDER BY position, id LIMIT 1"
			}
			var other int64
			var otherPos int
			err := tx.QueryRow(q, sessionID, pos).Scan(&other, &otherPos)
			if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
				return nil // already first or last
			} else if err != nil {
				return err
			}
			if _, err := tx.Exec("UPDATE agenda_items SET position = ?, updated_at = ? WHERE id = ?", otherPos, now, itemID); err != nil {
				return err
			}
			if _, err := tx.Exec("UPDATE agenda_items SET position = ?, updated_at = ? WHERE id = ?", pos, now, other); err != nil {
				return err
			}
		case "minutes":
			if minutes < 0 || minutes > 240 {
				return peercircle.FieldErrors{"minutes": "error.range"}.Err()
			}
			if _, err := tx.Exec("UPDATE agenda_items SET minutes = ?, updated_at = ? WHERE id = ?", minutes, now, itemID); err != nil {
				return err
			}
		case peercircle.ItemProposed, peercircle.ItemDiscussed, peercircle.ItemDeferred:
			if _, err := tx.Exec("UPDATE agenda_items SET status = ?, updated_at = ? WHERE id = ?", op, now, itemID); err != nil {
				return err
			}
		case "delete":
			if _, err := tx.Exec("DELETE FROM agenda_items WHERE id = ?", itemID); err != nil {
				return err
			}
		default:
			return peercircle.FieldErrors{"op": "error.choice"}.Err()
		}
		return bumpLive(tx, sessionID, now)
	})
}
