// Package sqlstore is the one implementation of PeerCircle's services over
// database/sql. The same queries run on SQLite and PostgreSQL: they are
// written with ? placeholders, and a Dialect (from sqlstore/sqlite or
// sqlstore/postgres) rebinds them, converts times, and maps constraint
// violations to domain errors. One test suite runs unchanged on both.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peercircle/peercircle"
)

// Dialect is what differs between the two backends. The sqlite and postgres
// packages each provide one.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Types replaces the {{id}}, {{time}}, {{blob}} and {{by_key}} macros in
	// migrations.
	Types map[string]string
	// Numbered placeholders ($1, $2, ...) instead of ?.
	Numbered bool
	// TimeAsText stores times as fixed-width UTC text (SQLite has no time
	// type); text of this width sorts in time order.
	TimeAsText bool
	// MapError turns driver errors for constraint violations into domain
	// errors; other errors pass through.
	MapError func(error) error
	// LockMigrations takes a lock that keeps several instances from
	// migrating at once (PostgreSQL advisory lock). SQLite needs none: its
	// write transactions are exclusive.
	LockMigrations func(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
	// CacheStatements keeps each query prepared on each connection, for
	// drivers that would otherwise parse it on every call (SQLite's; pgx
	// keeps its own cache).
	CacheStatements bool
}

// timeText is the fixed-width UTC layout times are stored in on SQLite.
const timeText = "2006-01-02T15:04:05.000000Z"

// DB is a database with a write side and a read side. On SQLite the write
// side is one connection whose transactions begin IMMEDIATE, so concurrent
// writers queue instead of failing with "database is locked"; the read side is
// a small pool of query-only connections. On PostgreSQL both are one pool.
type DB struct {
	Dialect Dialect
	write   *sql.DB
	read    *sql.DB

	rebound sync.Map // query → rebound query, for numbered placeholders

	readStmts, writeStmts *stmtCache // nil unless Dialect.CacheStatements
}

// NewDB wraps already-opened pools. read may be the same as write.
func NewDB(d Dialect, write, read *sql.DB) *DB {
	if d.MapError == nil {
		d.MapError = func(err error) error { return err }
	}
	db := &DB{Dialect: d, write: write, read: read}
	if d.CacheStatements && write != nil && read != nil {
		db.writeStmts = &stmtCache{pool: write}
		db.readStmts = db.writeStmts
		if read != write {
			db.readStmts = &stmtCache{pool: read}
		}
	}
	return db
}

// stmtCache keeps the prepared statements of one pool, so that each query
// is parsed once per connection rather than on every call: on the national
// data set, parsing was a sixth of the CPU time of a page. A query missing
// from the cache runs unprepared and is prepared in the background, once
// the pool has a connection free (never while a caller's transaction holds
// SQLite's one write connection). The cache is bounded: queries built on
// the fly (IN lists of any length) cannot grow it without end.
type stmtCache struct {
	pool    *sql.DB
	stmts   sync.Map // query → *sql.Stmt
	pending sync.Map // query → struct{}, being prepared
	size    atomic.Int32
	closed  atomic.Bool
}

// maxCachedStatements bounds a pool's cache; PeerCircle has fewer
// distinct queries than this.
const maxCachedStatements = 512

// get returns the prepared statement of q, or nil after arranging for it
// to be prepared.
func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if v, ok := c.stmts.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if c.closed.Load() || c.size.Load() >= maxCachedStatements {
		return nil
	}
	if _, busy := c.pending.LoadOrStore(q, struct{}{}); !busy {
		go c.prepare(q)
	}
	return nil
}

func (c *stmtCache) prepare(q string) {
	defer c.pending.Delete(q)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := c.pool.PrepareContext(ctx, q)
	if err != nil {
		return // the query reports its own error when it runs
	}
	if c.closed.Load() || c.size.Add(1) > maxCachedStatements {
		st.Close()
		return
	}
	if _, loaded := c.stmts.LoadOrStore(q, st); loaded {
		c.size.Add(-1)
		st.Close()
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.closed.Store(true)
	c.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		c.stmts.Delete(k)
		return true
	})
}

// Close closes both pools.
func (db *DB) Close() error {
	db.readStmts.close()
	db.writeStmts.close()
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// WritePool and ReadPool expose the pools for the benchmark baseline, which
// runs the same SQL without the store around it.
func (db *DB) WritePool() *sql.DB { return db.write }

// ReadPool is the read side; see WritePool.
func (db *DB) ReadPool() *sql.DB { return db.read }

// Write runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	writes.Add(1)
	return db.run(ctx, db.write, false, fn)
}

// Read runs fn in a read-only transaction: every query in it sees one
// snapshot, so a report's figures agree with each other.
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(*Tx) error) error {
	var opts *sql.TxOptions
	if readOnly {
		opts = &sql.TxOptions{ReadOnly: true}
		if db.Dialect.Name == "postgres" {
			opts.Isolation = sql.LevelRepeatableRead
		}
	}
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", db.Dialect.MapError(err))
	}
	tx := &Tx{db: db, tx: stx, ctx: ctx, stmts: db.readStmts}
	if !readOnly {
		tx.stmts = db.writeStmts
	}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", db.Dialect.MapError(err))
	}
	return nil
}

// QueryRow runs a single-row query on the read side, outside a transaction.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *Row {
	statements.Add(1)
	q := db.rebind(query)
	var row *sql.Row
	if st := db.readStmts.get(q); st != nil {
		row = st.QueryRowContext(ctx, db.args(args)...)
	} else {
		row = db.read.QueryRowContext(ctx, q, db.args(args)...)
	}
	return &Row{row: row, db: db}
}

// Query runs a query on the read side, outside a transaction.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*Rows, error) {
	statements.Add(1)
	q := db.rebind(query)
	var rows *sql.Rows
	var err error
	if st := db.readStmts.get(q); st != nil {
		rows, err = st.QueryContext(ctx, db.args(args)...)
	} else {
		rows, err = db.read.QueryContext(ctx, q, db.args(args)...)
	}
	if err != nil {
		return nil, db.Dialect.MapError(err)
	}
	return &Rows{rows: rows, db: db}, nil
}

// rebind turns ? placeholders into $n for PostgreSQL. Queries never hold a
// literal question mark.
func (db *DB) rebind(q string) string {
	if !db.Dialect.Numbered {
		return q
	}
	if v, ok := db.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	db.rebound.Store(q, out)
	return out
}

// args converts argument values the backends disagree on: times become
// fixed-width UTC text on SQLite and UTC instants on PostgreSQL.
func (db *DB) args(args []any) []any {
	copied := false
	for i, a := range args {
		var conv any
		switch v := a.(type) {
		case time.Time:
			conv = db.timeArg(v)
		case *time.Time:
			if v != nil {
				conv = db.timeArg(*v)
			}
		default:
			continue
		}
		if !copied { // never change the caller's slice
			args = append([]any(nil), args...)
			copied = true
		}
		args[i] = conv
	}
	return args
}

func (db *DB) timeArg(t time.Time) any {
	if db.Dialect.TimeAsText {
		return t.UTC().Format(timeText)
	}
	return t.UTC()
}

// Tx is a transaction with the same query helpers as DB.
type Tx struct {
	db    *DB
	tx    *sql.Tx
	ctx   context.Context
	stmts *stmtCache // of the transaction's pool
}

// stmt returns the transaction's use of q's cached statement, or nil.
func (tx *Tx) stmt(q string) *sql.Stmt {
	if st := tx.stmts.get(q); st != nil {
		return tx.tx.StmtContext(tx.ctx, st)
	}
	return nil
}

// Context returns the context the transaction runs under.
func (tx *Tx) Context() context.Context { return tx.ctx }

// statements counts the statements this process sent to its databases;
// the benchmark divides it by the requests served (issue 14's query budget).
var statements atomic.Int64

// Statements is how many statements this process has sent to its
// databases since it started.
func Statements() int64 { return statements.Load() }

// writes counts the write transactions this process began: each one
// waits its turn for the one writer and, on SQLite, syncs the file.
var writes atomic.Int64

// Writes is how many write transactions this process has begun since it
// started.
func Writes() int64 { return writes.Load() }

// Exec runs a statement.
func (tx *Tx) Exec(query string, args ...any) (sql.Result, error) {
	statements.Add(1)
	q := tx.db.rebind(query)
	var res sql.Result
	var err error
	if st := tx.stmt(q); st != nil {
		res, err = st.ExecContext(tx.ctx, tx.db.args(args)...)
	} else {
		res, err = tx.tx.ExecContext(tx.ctx, q, tx.db.args(args)...)
	}
	if err != nil {
		return nil, tx.db.Dialect.MapError(err)
	}
	return res, nil
}

// Insert runs an INSERT ... RETURNING id and returns the id. Both backends
// support RETURNING, which works where LastInsertId does not (pgx).
func (tx *Tx) Insert(query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRow(query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Query runs a query inside the transaction.
func (tx *Tx) Query(query string, args ...any) (*Rows, error) {
	statements.Add(1)
	q := tx.db.rebind(query)
	var rows *sql.Rows
	var err error
	if st := tx.stmt(q); st != nil {
		rows, err = st.QueryContext(tx.ctx, tx.db.args(args)...)
	} else {
		rows, err = tx.tx.QueryContext(tx.ctx, q, tx.db.args(args)...)
	}
	if err != nil {
		return nil, tx.db.Dialect.MapError(err)
	}
	return &Rows{rows: rows, db: tx.db}, nil
}

// QueryRow runs a single-row query inside the transaction.
func (tx *Tx) QueryRow(query string, args ...any) *Row {
	statements.Add(1)
	q := tx.db.rebind(query)
	if st := tx.stmt(q); st != nil {
		return &Row{row: st.QueryRowContext(tx.ctx, tx.db.args(args)...), db: tx.db}
	}
	return &Row{row: tx.tx.QueryRowContext(tx.ctx, q, tx.db.args(args)...), db: tx.db}
}

// Row is one result row; Scan accepts *time.Time and **time.Time on both
// backends, and NULL into *int64 or *string as zero.
type Row struct {
	row *sql.Row
	db  *DB
}

// Scan copies the row into dest. sql.ErrNoRows passes through unwrapped so
// callers can turn it into ENOTFOUND.
func (r *Row) Scan(dest ...any) error {
	err := r.row.Scan(wrapDest(dest)...)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return r.db.Dialect.MapError(err)
	}
	return err
}

// Rows is a result set; see Row.Scan for the conversions.
type Rows struct {
	rows *sql.Rows
	db   *DB
	// The wrappers of the last Scan, reused for the next row: a report
	// scans thousands of rows, and a wrapper per column and row was a
	// quarter of its allocations.
	wrapped []any
	scanned []scanners
}

// scanners are the wrappers of one column, one per destination type.
type scanners struct {
	t timeScanner
	n intScanner
	s stringScanner
}

// Next advances to the next row.
func (r *Rows) Next() bool { return r.rows.Next() }

// Scan copies the current row into dest.
func (r *Rows) Scan(dest ...any) error {
	if len(r.scanned) < len(dest) {
		r.wrapped, r.scanned = make([]any, len(dest)), make([]scanners, len(dest))
	}
	out := r.wrapped[:len(dest)]
	for i, d := range dest {
		w := &r.scanned[i]
		switch v := d.(type) {
		case *time.Time:
			w.t = timeScanner{t: v}
			out[i] = &w.t
		case **time.Time:
			w.t = timeScanner{pt: v}
			out[i] = &w.t
		case *int64:
			w.n.p = v
			out[i] = &w.n
		case *string:
			w.s.p = v
			out[i] = &w.s
		default:
			out[i] = d
		}
	}
	return r.rows.Scan(out...)
}

// Err returns the error that ended iteration, if any.
func (r *Rows) Err() error { return r.rows.Err() }

// Close releases the rows.
func (r *Rows) Close() error { return r.rows.Close() }

func wrapDest(dest []any) []any {
	out := make([]any, len(dest))
	for i, d := range dest {
		switch v := d.(type) {
		case *time.Time:
			out[i] = &timeScanner{t: v}
		case **time.Time:
			out[i] = &timeScanner{pt: v}
		case *int64:
			out[i] = &intScanner{p: v}
		case *string:
			out[i] = &stringScanner{p: v}
		default:
			out[i] = d
		}
	}
	return out
}

type timeScanner struct {
	t  *time.Time
	pt **time.Time
}

func (s *timeScanner) Scan(src any) error {
	var t time.Time
	switch v := src.(type) {
	case nil:
		if s.pt != nil {
			*s.pt = nil
		} else {
			*s.t = time.Time{}
		}
		return nil
	case time.Time:
		t = v.UTC()
	case string:
		p, err := parseTimeText(v)
		if err != nil {
			return err
		}
		t = p
	case []byte:
		p, err := parseTimeText(string(v))
		if err != nil {
			return err
		}
		t = p
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a time", src)
	}
	if s.pt != nil {
		*s.pt = &t
	} else {
		*s.t = t
	}
	return nil
}

func parseTimeText(s string) (time.Time, error) {
	if t, err := time.Parse(timeText, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlstore: bad time %q: %w", s, err)
	}
	return t.UTC(), nil
}

type intScanner struct{ p *int64 }

func (s *intScanner) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*s.p = v
		return nil
	case nil:
		*s.p = 0
		return nil
	}
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*s.p = n.Int64
	return nil
}

type stringScanner struct{ p *string }

func (s *stringScanner) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*s.p = v
		return nil
	case nil:
		*s.p = ""
		return nil
	}
	var n sql.NullString
	if err := n.Scan(src); err != nil {
		return err
	}
	*s.p = n.String
	return nil
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullText stores "" as NULL, for optional unique text (username, e-mail).
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// notFound turns sql.ErrNoRows into a domain ENOTFOUND error naming what was
// missing; other errors pass through.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "%s not found", what)
	}
	return err
}
