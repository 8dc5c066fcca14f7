package sqlstore

import (
	"context"
	"time"

	"github.com/peercircle/peercircle"
)

var _ peercircle.JobService = (*Store)(nil)

// Enqueue adds a job; with a UniqueKey already present it adds nothing.
func (s *Store) Enqueue(ctx context.Context, j *peercircle.Job) (bool, error) {
	if j.RunAt.IsZero() {
		j.RunAt = s.Now()
	}
	if j.Payload == "" {
		j.Payload = "{}"
	}
	var added bool
	err := s.DB.Write(ctx, func(tx *Tx) error {
		var err error
		added, err = s.enqueueTx(tx, j)
		return err
	})
	return added, err
}

// enqueueTx adds a job inside a caller's transaction, so work and the
// change that caused it commit together (an outbox).
func (s *Store) enqueueTx(tx *Tx, j *peercircle.Job) (bool, error) {
	if j.RunAt.IsZero() {
		j.RunAt = s.Now()
	}
	rows, err := tx.Query(`INSERT INTO jobs (kind, payload, unique_key, state, run_at, created_at)
		VALUES (?, ?, ?, 'queued', ?, ?) ON CONFLICT (unique_key) DO NOTHING RETURNING id`,
		j.Kind, j.Payload, nullText(j.UniqueKey), j.RunAt, s.Now())
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&j.ID); err != nil {
			return false, err
		}
		return true, nil
	}
	return false, rows.Err()
}

// Claim takes the oldest due job, or one whose worker's lease ran out, and
// leases it to worker. The state test is repeated in the outer WHERE so that
// two instances racing for the same row cannot both win: the loser's update
// re-reads the row, sees it running under a fresh lease, and changes nothing.
func (s *Store) Claim(ctx context.Context, worker string, lease time.Duration) (*peercircle.Job, error) {
	now := s.Now()
	skip := ""
	if s.DB.Dialect.Name == "postgres" {
		skip = " FOR UPDATE SKIP LOCKED"
	}
	var j *peercircle.Job
	err := s.DB.Write(ctx, func(tx *Tx) error {
		rows, err := tx.Query(`UPDATE jobs SET state = 'running', locked_until = ?, locked_by = ?, attempts = attempts + 1
			WHERE id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= ?) OR (state = 'running' AND locked_until < ?)
			            ORDER BY run_at, id LIMIT 1`+skip+`)
			  AND ((state = 'queued' AND run_at <= ?) OR (state = 'running' AND locked_until < ?))
			RETURNING id, kind, payload, COALESCE(unique_key, ''), run_at, attempts`,
			now.Add(lease), worker, now, now, now, now)
		if err != nil {
			return err
		}
		defer rows.Close()
		if rows.Next() {
			j = &peercircle.Job{}
			return rows.Scan(&j.ID, &j.Kind, &j.Payload, &j.UniqueKey, &j.RunAt, &j.Attempts)
		}
		return rows.Err()
	})
	return j, err
}

// Complete marks a job done.
func (s *Store) Complete(ctx context.Context, id int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE jobs SET state = 'done', finished_at = ?, locked_until = NULL WHERE id = ?", s.Now(), id)
		return err
	})
}

// Fail records a failure; with retryAt the job is queued again, without it
// the job stays failed for an operator to look at. The reason must not hold
// confidential text.
func (s *Store) Fail(ctx context.Context, id int64, reason string, retryAt *time.Time) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if retryAt != nil {
			_, err := tx.Exec("UPDATE jobs SET state = 'queued', run_at = ?, last_error = ?, locked_until = NULL WHERE id = ?", *retryAt, reason, id)
			return err
		}
		_, err := tx.Exec("UPDATE jobs SET state = 'failed', finished_at = ?, last_error = ?, locked_until = NULL WHERE id = ?", s.Now(), reason, id)
		return err
	})
}
