package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Loading a data set into an empty database (the generator's millions of
// meetings, presences and feedback counts) would mark a group's month
// once per row or statement inserted: on the country set that was most of
// the load's time. The loader pauses the marks instead, and resuming marks
// every month of every group that has a meeting, and every group's
// members, in a few statements. Any figure kept while the marks stood
// still is thereby stale: its group's marks have all moved since.
//
// The pause is a row in settings, so it outlives a process that dies
// half-way; Migrate, which every start runs, resumes a pause left behind.
// While paused only rows inserted go unmarked (updates and deletes mark as
// always), and kept figures may be stale: it is for loading, not serving.
const figuresPausedKey = "figures.paused"

// markedOnInsert are the tables whose inserts mark figures, with the name
// of PostgreSQL's statement trigger on each (migration 1307). SQLite's row
// triggers check the pause themselves (migration 1310).
var markedOnInsert = []struct{ table, trigger string }{
	{"sessions", "figures_sessions_insert"},
	{"attendance", "figures_attendance_insert"},
	{"summaries", "figures_summaries_insert"},
	{"summary_support", "figures_support_insert"},
	{"feedback_rounds", "figures_rounds_insert"},
	{"feedback_counts", "figures_counts_insert"},
	{"memberships", "figures_memberships_insert"},
}

// PauseFigureMarks stops rows inserted from marking kept figures stale,
// until ResumeFigureMarks. Pausing twice is the same as once.
func (db *DB) PauseFigureMarks(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec("INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT (key) DO NOTHING", figuresPausedKey); err != nil {
			return err
		}
		return tx.switchMarkTriggers("DISABLE")
	})
}

// FigureMarksPaused reports whether the marks are paused.
func (db *DB) FigureMarksPaused(ctx context.Context) (bool, error) {
	var v string
	err := db.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", figuresPausedKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// ResumeFigureMarks turns the marks back on and marks, in the same
// transaction, every month that has a meeting of every group, and every
// group's members. It does nothing when the marks are not paused.
func (db *DB) ResumeFigureMarks(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("DELETE FROM settings WHERE key = ?", figuresPausedKey)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := tx.switchMarkTriggers("ENABLE"); err != nil {
			return err
		}
		// The months a meeting is in (its presences, Sheet 2, support and
		// feedback hang from it) and '' for the members, each once.
		marks := `SELECT group_id, substr(local_date, 1, 7) AS month FROM sessions GROUP BY group_id, substr(local_date, 1, 7)
			UNION ALL SELECT DISTINCT group_id, '' AS month FROM memberships`
		if db.Dialect.Name == "postgres" {
			// figures_add (migration 1307) adds to each group's total
			// first, then to its months, the order every writer locks
			// them in.
			_, err = tx.Exec(`SELECT figures_add(array_agg(group_id), array_agg(month), array_agg(1::BIGINT)) FROM (` + marks + `) m`)
		} else {
			// SQLite's triggers on figure_marks keep the totals.
			_, err = tx.Exec(`INSERT INTO figure_marks (group_id, month, stamp) SELECT group_id, month, 1 FROM (` + marks + `) m WHERE true
				ON CONFLICT (group_id, month) DO UPDATE SET stamp = figure_marks.stamp + 1`)
		}
		if err != nil {
			return fmt.Errorf("mark the figures loaded while paused: %w", err)
		}
		return nil
	})
}

// switchMarkTriggers turns PostgreSQL's insert-marking triggers off or on
// (op is DISABLE or ENABLE); on SQLite the triggers read the pause.
func (tx *Tx) switchMarkTriggers(op string) error {
	if tx.db.Dialect.Name != "postgres" {
		return nil
	}
	for _, m := range markedOnInsert {
		if _, err := tx.Exec("ALTER TABLE " + m.table + " " + op + " TRIGGER " + m.trigger); err != nil {
			return err
		}
	}
	return nil
}
