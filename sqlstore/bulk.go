package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Bulk adds many rows to one table inside a write transaction, several
// hundred rows per INSERT statement. The national-scale data set is written
// with it: one statement per row would take minutes where this takes
// seconds, on SQLite and PostgreSQL alike. Rows carry their own ids, so
// nothing is read back; call DB.SyncIDs after committing so later inserts
// on PostgreSQL do not reuse them.
type Bulk struct {
	tx      *Tx
	table   string
	cols    []string
	perStmt int   // rows per full statement
	buf     []any // the values of the rows not yet sent
	rows    int
	full    *sql.Stmt // the prepared statement for a full batch
	added   int64
	// Before, if set, runs before each statement is sent: rows that refer
	// to rows of another Bulk flush that one first.
	Before func() error
}

// maxParams stays under SQLite's limit of 32766 bound parameters per
// statement (PostgreSQL allows 65535).
const maxParams = 32000

// Bulk starts a bulk insert into table with the given columns.
func (tx *Tx) Bulk(table string, cols ...string) *Bulk {
	per := min(500, maxParams/len(cols))
	return &Bulk{tx: tx, table: table, cols: cols, perStmt: per, buf: make([]any, 0, per*len(cols))}
}

// Add queues one row; its values are in the order of the columns. Times are
// converted like any query argument. A full batch is sent at once.
func (b *Bulk) Add(vals ...any) error {
	if len(vals) != len(b.cols) {
		return fmt.Errorf("bulk insert into %s: %d values for %d columns", b.table, len(vals), len(b.cols))
	}
	b.buf = append(b.buf, b.tx.db.args(vals)...)
	b.rows++
	if b.rows == b.perStmt {
		return b.send()
	}
	return nil
}

// Added is how many rows were added so far.
func (b *Bulk) Added() int64 { return b.added + int64(b.rows) }

// Flush sends the rows queued so far.
func (b *Bulk) Flush() error { return b.send() }

// Close sends the rows still queued and releases the prepared statement.
func (b *Bulk) Close() error {
	err := b.send()
	if b.full != nil {
		if e := b.full.Close(); err == nil {
			err = e
		}
		b.full = nil
	}
	return err
}

func (b *Bulk) send() error {
	if b.rows == 0 {
		return nil
	}
	if b.Before != nil {
		if err := b.Before(); err != nil {
			return err
		}
	}
	var err error
	if b.rows == b.perStmt {
		if b.full == nil {
			b.full, err = b.tx.tx.PrepareContext(b.tx.ctx, b.tx.db.rebind(b.statement(b.rows)))
			if err != nil {
				return fmt.Errorf("bulk insert into %s: %w", b.table, b.tx.db.Dialect.MapError(err))
			}
		}
		_, err = b.full.ExecContext(b.tx.ctx, b.buf...)
	} else {
		_, err = b.tx.tx.ExecContext(b.tx.ctx, b.tx.db.rebind(b.statement(b.rows)), b.buf...)
	}
	if err != nil {
		return fmt.Errorf("bulk insert into %s: %w", b.table, b.tx.db.Dialect.MapError(err))
	}
	b.added += int64(b.rows)
	b.rows = 0
	clear(b.buf) // let the values be collected
	b.buf = b.buf[:0]
	return nil
}

// statement is INSERT INTO table (cols) VALUES (?, ...), (?, ...) for n rows.
func (b *Bulk) statement(n int) string {
	one := "(" + placeholders(len(b.cols)) + ")"
	var sb strings.Builder
	sb.Grow(len(b.table) + 40 + n*(len(one)+2))
	sb.WriteString("INSERT INTO ")
	sb.WriteString(b.table)
	sb.WriteString(" (")
	sb.WriteString(strings.Join(b.cols, ", "))
	sb.WriteString(") VALUES ")
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(one)
	}
	return sb.String()
}

// SyncIDs moves each table's id sequence past the largest id in it, after
// rows were inserted with their own ids. SQLite needs nothing: its next id
// is always past the largest.
func (db *DB) SyncIDs(ctx context.Context, tables ...string) error {
	if db.Dialect.Name != "postgres" {
		return nil
	}
	return db.Write(ctx, func(tx *Tx) error {
		for _, t := range tables {
			_, err := tx.Exec(fmt.Sprintf(
				"SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST(COALESCE((SELECT MAX(id) FROM %s), 0), 1), (SELECT MAX(id) FROM %s) IS NOT NULL)",
				t, t, t))
			if err != nil {
				return fmt.Errorf("sync ids of %s: %w", t, err)
			}
		}
		return nil
	})
}
