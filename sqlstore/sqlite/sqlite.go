// Package sqlite opens PeerCircle's embedded SQLite database: one file in
// WAL mode with foreign keys on and synchronous=FULL (what people type cannot
// be typed again), one write connection whose transactions begin IMMEDIATE so
// concurrent writers queue instead of failing with "database is locked", and
// a small pool of query-only readers. The driver needs no cgo, so the binary
// stays static (see docs/sqlite-driver.md for why this driver).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver" // also registers "sqlite3"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// Dialect is SQLite's dialect for sqlstore.
var Dialect = sqlstore.Dialect{
	Name: "sqlite",
	Types: map[string]string{
		"id":   "INTEGER PRIMARY KEY",
		"time": "TEXT",
		"blob": "BLOB",
		// A table read by its primary key alone keeps its rows in the
		// key's b-tree instead of a second one.
		"by_key": "WITHOUT ROWID",
	},
	TimeAsText:      true,
	MapError:        mapError,
	CacheStatements: true,
}

// Readers is the size of the read pool: one more reader than the cores
// the process may run on (at least two), so a read waiting for the disk
// does not idle a core. Each reader keeps its own page cache and
// compiled statements (4–5 MB on the national data set), so readers that
// cannot run at once cost memory and buy nothing.
func Readers() int {
	return max(2, min(runtime.GOMAXPROCS(0)+1, 8))
}

// Open opens (creating if needed) the database file at path and returns it
// with both pools configured. It does not migrate.
func Open(path string) (*sqlstore.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("cannot create the data directory %s: %w", dir, err)
		}
	}
	pragmas := []string{"busy_timeout(10000)", "journal_mode(wal)", "foreign_keys(1)", "synchronous(full)"}
	write, err := driver.Open(dsn(path, "immediate", pragmas), stablePlans)
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	read, err := driver.Open(dsn(path, "deferred", append(pragmas, "query_only(1)")), stablePlans)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(Readers())
	read.SetMaxIdleConns(Readers())
	read.SetConnMaxIdleTime(0)

	db := sqlstore.NewDB(Dialect, write, read)
	// Open the write connection now, so a file that cannot be opened (a
	// directory, no permission, not a database) is reported at start-up.
	if err := checkWritable(write); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot open the database %s: %w", path, err)
	}
	return db, nil
}

// stablePlans turns on SQLite's query planner stability guarantee: a
// statement keeps the plan it was prepared with whatever values are bound
// to it. Without it, SQLite (built with STAT4) may prepare a cached
// statement again when a bound value could change the plan; on the member
// home page that was a tenth of the CPU time. PeerCircle's queries have one
// good plan each (the indexes decide it, not the values).
func stablePlans(c *sqlite3.Conn) error {
	_, err := c.Config(sqlite3.DBCONFIG_ENABLE_QPSG, true)
	return err
}

func dsn(path, txlock string, pragmas []string) string {
	q := url.Values{}
	q.Set("_txlock", txlock)
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func checkWritable(db *sql.DB) error {
	ctx := context.Background()
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	_, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS _peercircle_open_check (x INTEGER); DROP TABLE _peercircle_open_check")
	return err
}

func mapError(err error) error {
	var e *sqlite3.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.ExtendedCode() {
	case sqlite3.CONSTRAINT_UNIQUE, sqlite3.CONSTRAINT_PRIMARYKEY:
		return &peercircle.Error{Code: peercircle.ECONFLICT, Key: "error.conflict", Message: "already exists: " + e.Error()}
	case sqlite3.CONSTRAINT_FOREIGNKEY:
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "error.reference", Message: "refers to a missing or used record: " + e.Error()}
	}
	return err
}
