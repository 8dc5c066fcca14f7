package bench

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/peercircle/peercircle/seal"
	"github.com/peercircle/peercircle/sqlstore"
)

// Baseline is the floor the product is measured against: a bare net/http
// handler per page that runs the same SQL as the product's handler for
// that page and writes the rows as text, with no sessions, access checks,
// CSRF, audit, templates or middleware. The product's throughput divided by
// the baseline's is the price of everything the product adds.
//
// Each handler mirrors its page's queries: when a page's queries change,
// its baseline changes with it (bench_test.go checks each baseline answers).
type Baseline struct {
	// store runs the report pages' computations: Sheet 3 and the roll-ups
	// are a few set queries folded in Go, and the fold is part of the page's
	// data, not of the product's overhead.
	store       *sqlstore.Store
	read, write *sql.DB
	numbered    bool // PostgreSQL's $1 placeholders
	postgres    bool
	mux         *http.ServeMux
	rebound     sync.Map
}

// NewBaseline returns the baseline handler over db's raw pools: the same
// connections and pool sizes as the product, none of the store around them.
func NewBaseline(db *sqlstore.DB, keys *seal.Keyring) *Baseline {
	b := &Baseline{store: sqlstore.New(db, keys), read: db.ReadPool(), write: db.WritePool(), numbered: db.Dialect.Numbered,
		postgres: db.Dialect.Name == "postgres", mux: http.NewServeMux()}
	b.mux.HandleFunc("GET /bare", b.barePage)
	for _, sc := range Scenarios {
		if sc.baseline != nil {
			b.mux.HandleFunc(sc.baselinePattern, func(w http.ResponseWriter, r *http.Request) {
				out := newRowWriter(w)
				if err := sc.baseline(b, r, out); err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				out.flush()
			})
		}
	}
	return b
}

func (b *Baseline) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.mux.ServeHTTP(w, r) }

// rowWriter writes rows as tab-separated text: the cheapest honest way to
// put every value the page shows on the wire.
type rowWriter struct {
	w   *bufio.Writer
	buf []byte
}

func newRowWriter(w http.ResponseWriter) *rowWriter {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	return &rowWriter{w: bufio.NewWriterSize(w, 8<<10)}
}

// row writes one line of values.
func (o *rowWriter) row(vals ...any) {
	b := o.buf[:0]
	for i, v := range vals {
		if i > 0 {
			b = append(b, '\t')
		}
		switch x := v.(type) {
		case string:
			b = append(b, x...)
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case int:
			b = strconv.AppendInt(b, int64(x), 10)
		case bool:
			b = strconv.AppendBool(b, x)
		case []byte:
			b = append(b, x...)
		case float64:
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
		case time.Time:
			b = x.AppendFormat(b, time.RFC3339)
		case *time.Time:
			if x != nil {
				b = x.AppendFormat(b, time.RFC3339)
			}
		}
	}
	b = append(b, '\n')
	o.w.Write(b)
	o.buf = b
}

func (o *rowWriter) flush() { o.w.Flush() }

// json writes a computed result (a report's figures) as JSON.
func (o *rowWriter) json(v any) error { return json.NewEncoder(o.w).Encode(v) }

// formID reads a numeric query or form value.
func formID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.FormValue(name), 10, 64)
	return n
}

// sql rebinds ? placeholders for PostgreSQL, once per query.
func (b *Baseline) sql(q string) string {
	if !b.numbered {
		return q
	}
	if v, ok := b.rebound.Load(q); ok {
		return v.(string)
	}
	var sb strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(n))
			continue
		}
		sb.WriteByte(q[i])
	}
	b.rebound.Store(q, sb.String())
	return sb.String()
}

// querier is a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// query runs a query on q and writes every row that keep accepts (all
// when keep is nil).
func (b *Baseline) query(ctx context.Context, q querier, out *rowWriter, keep func([]any) bool, query string, args ...any) (int, error) {
	rows, err := q.QueryContext(ctx, b.sql(query), args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		if keep != nil && !keep(vals) {
			continue
		}
		out.row(vals...)
		n++
	}
	return n, rows.Err()
}

// readTx runs fn in a read-only transaction, as sqlstore's DB.Read does.
func (b *Baseline) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if b.postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return runTx(ctx, b.read, opts, fn)
}

// writeTx runs fn in a write transaction (BEGIN IMMEDIATE on SQLite's one
// write connection, as sqlstore's DB.Write does).
func (b *Baseline) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return runTx(ctx, b.write, nil, fn)
}

func runTx(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
