package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Loading a generated data set checks every row's references as it goes:
// on PostgreSQL one index probe per reference and row, half of the time
// the country set took to load. A load into an empty database checks them
// once at the end instead, as pg_restore does: PauseForeignKeys takes the
// foreign keys off and ResumeForeignKeys puts them back, which checks
// every row in one pass per key and fails, putting nothing back, if one
// is wrong.
//
// On PostgreSQL the keys' definitions are kept in settings, in the
// transaction that drops them, so a load that dies leaves them to the
// next start (Migrate). On SQLite the check is a setting of the writer's
// connection, which a new process does not inherit.
const foreignKeysPausedKey = "foreign_keys.paused"

type pausedKey struct {
	Table, Name, Definition string
}

// PauseForeignKeys stops checking references until ResumeForeignKeys. It
// is for loading into a new database that nothing else writes to.
func (db *DB) PauseForeignKeys(ctx context.Context) error {
	if db.Dialect.Name != "postgres" {
		_, err := db.write.ExecContext(ctx, "PRAGMA foreign_keys = OFF")
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM settings WHERE key = ?", foreignKeysPausedKey).Scan(&n); err != nil || n > 0 {
			return err
		}
		rows, err := tx.Query(`SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace ORDER BY 1, 2`)
		if err != nil {
			return err
		}
		var keys []pausedKey
		for rows.Next() {
			var k pausedKey
			if err := rows.Scan(&k.Table, &k.Name, &k.Definition); err != nil {
				rows.Close()
				return err
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		saved, err := json.Marshal(keys)
		if err != nil {
			return err
		}
		if _, err := tx.Exec("INSERT INTO settings (key, value) VALUES (?, ?)", foreignKeysPausedKey, string(saved)); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.Exec("ALTER TABLE " + k.Table + " DROP CONSTRAINT " + quoteIdent(k.Name)); err != nil {
				return fmt.Errorf("pause the foreign key %s of %s: %w", k.Name, k.Table, err)
			}
		}
		return nil
	})
}

// ResumeForeignKeys checks every row's references and checks them again
// on every write. It does nothing when they were not paused.
func (db *DB) ResumeForeignKeys(ctx context.Context) error {
	if db.Dialect.Name != "postgres" {
		var on bool
		if err := db.write.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil || on {
			return err
		}
		rows, err := db.write.QueryContext(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			return err
		}
		var broken []string
		for rows.Next() {
			var table, parent string
			var rowid, fk sql.NullInt64
			if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
				rows.Close()
				return err
			}
			broken = append(broken, fmt.Sprintf("%s row %d → %s", table, rowid.Int64, parent))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(broken) > 0 {
			return fmt.Errorf("%d rows refer to rows that do not exist, such as %s", len(broken), broken[0])
		}
		_, err = db.write.ExecContext(ctx, "PRAGMA foreign_keys = ON")
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		var saved string
		err := tx.QueryRow("SELECT value FROM settings WHERE key = ?", foreignKeysPausedKey).Scan(&saved)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var keys []pausedKey
		if err := json.Unmarshal([]byte(saved), &keys); err != nil {
			return fmt.Errorf("the paused foreign keys cannot be read: %w", err)
		}
		for _, k := range keys {
			if _, err := tx.Exec("ALTER TABLE " + k.Table + " ADD CONSTRAINT " + quoteIdent(k.Name) + " " + k.Definition); err != nil {
				return fmt.Errorf("put back the foreign key %s of %s: %w", k.Name, k.Table, err)
			}
		}
		_, err = tx.Exec("DELETE FROM settings WHERE key = ?", foreignKeysPausedKey)
		return err
	})
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
