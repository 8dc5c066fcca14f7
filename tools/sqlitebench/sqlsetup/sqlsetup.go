// Package sqlsetup holds PeerCircle's fixed SQLite set-up: one file, WAL,
// foreign keys on, busy timeout 10 s, synchronous=FULL, one write connection
// whose transactions start with BEGIN IMMEDIATE, and a read pool of four
// query_only connections.
//
// Both candidate drivers (github.com/ncruces/go-sqlite3/driver, registered as
// "sqlite3", and modernc.org/sqlite, registered as "sqlite") accept the same
// DSN form, so the DSNs below serve either.
package sqlsetup

import (
	"database/sql"
	"net/url"
)

// ReadPoolSize is the number of connections in the read pool.
const ReadPoolSize = 4

// common pragmas; busy_timeout comes first so that the pragmas after it
// wait for locks instead of failing. synchronous is per connection and is
// set on readers too: a reader can be the connection that checkpoints, and
// one driver (ncruces) defaults to NORMAL in WAL mode.
const common = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"

func base(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath()
}

// WriterDSN is the DSN of the single write connection: WAL, and every
// transaction opened with db.BeginTx starts with BEGIN IMMEDIATE.
func WriterDSN(path string) string {
	return base(path) + "?" + common +
		"&_pragma=journal_mode(WAL)&_txlock=immediate"
}

// ReaderDSN is the DSN of the read pool. It sets query_only and leaves out
// _txlock: SQLite refuses BEGIN IMMEDIATE on a query_only connection
// ("attempt to write a readonly database"), so a read transaction must be
// deferred. journal_mode is not set here: the writer stores WAL in the file.
func ReaderDSN(path string) string {
	return base(path) + "?" + common + "&_pragma=query_only(1)"
}

// OpenWriter opens the write pool: exactly one connection, kept open.
func OpenWriter(driverName, path string) (*sql.DB, error) {
	db, err := sql.Open(driverName, WriterDSN(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// OpenReader opens the read pool of ReadPoolSize query_only connections.
func OpenReader(driverName, path string) (*sql.DB, error) {
	db, err := sql.Open(driverName, ReaderDSN(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(ReadPoolSize)
	db.SetMaxIdleConns(ReadPoolSize)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}
