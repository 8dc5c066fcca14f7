package sqlstore

import (
	"context"

	"github.com/peercircle/peercircle"
)

// Who facilitated a meeting (issue 11): the rota plans a facilitator; the
// record of a meeting holds who actually did it. The one who starts the
// meeting (or the person chosen at the start, StartLiveAs) is recorded,
// and the facilitator corrects it on Sheet 2 until it is submitted. Sheet
// 3 and the rota's fair count read the record.

// SetFacilitator corrects who facilitated a meeting: on Sheet 2 before it
// is submitted (ECONFLICT "summary.locked" after), never for a cancelled
// or postponed meeting. The person must be a current member of the group
// or on the meeting's attendance (EINVALID on field "facilitator").
func (s *Store) SetFacilitator(ctx context.Context, sessionID, personID, by int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, err := runnableSessionTx(tx, sessionID)
		if err != nil {
			return err
		}
		var state string
		err = tx.QueryRow("SELECT state FROM summaries WHERE session_id = ?", sessionID).Scan(&state)
		if err == nil && state != peercircle.ReviewDraft && state != peercircle.ReviewReturned {
			return peercircle.Errorf(peercircle.ECONFLICT, "summary.locked", "summary %d is %s", sessionID, state)
		}
		return s.setFacilitatorTx(tx, m, personID, by)
	})
}

func (s *Store) setFacilitatorTx(tx *Tx, m *peercircle.Session, personID, by int64) error {
	if personID == m.FacilitatorID {
		return nil
	}
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM memberships WHERE group_id = ? AND person_id = ? AND status IN (?, ?)`,
		m.GroupID, personID, peercircle.MemberActive, peercircle.MemberOnLeave).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		if err := tx.QueryRow(`SELECT COUNT(*) FROM attendance WHERE session_id = ? AND person_id = ?`, m.ID, personID).Scan(&n); err != nil {
			return err
		}
	}
	if n == 0 {
		return peercircle.FieldErrors{"facilitator": "error.choice"}.Err()
	}
	now := s.Now()
	if _, err := tx.Exec(`UPDATE sessions SET facilitator_id = ?, co_facilitator_id = CASE WHEN co_facilitator_id = ? THEN NULL ELSE co_facilitator_id END,
		facilitator_manual = TRUE, sequence = sequence + 1, updated_at = ? WHERE id = ?`, personID, personID, now, m.ID); err != nil {
		return err
	}
	m.FacilitatorID = personID
	if err := s.auditGroupTx(tx, by, "session.facilitated_by", "session", m.ID, ""); err != nil {
		return err
	}
	return nil
}
