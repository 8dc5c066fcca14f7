package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/peercircle/peercircle/tools/sqlitebench/sqlsetup"
)

// behaviour checks, per driver, what the product relies on: that the DSN's
// pragmas took effect on both pools, that the write connection's transactions
// take the write lock at BEGIN, that the read pool refuses writes, and how
// time.Time values are stored and scanned back.
func (b *bench) behaviour(d driverSpec) (map[string]string, error) {
	ctx := context.Background()
	out := map[string]string{}
	path, err := b.freshPath("behaviour-" + d.Name)
	if err != nil {
		return nil, err
	}
	w, err := sqlsetup.OpenWriter(d.SQL, path)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	if err := createDB(w, 10); err != nil {
		return nil, err
	}
	r, err := sqlsetup.OpenReader(d.SQL, path)
	if err != nil {
		return nil, err
	}
	defer r.Close()

	var version string
	if err := w.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&version); err != nil {
		return nil, err
	}
	b.res.SQLite[d.Name] = version

	pragmas := func(db *sql.DB) string {
		var parts []string
		for _, p := range []string{"journal_mode", "synchronous", "foreign_keys", "busy_timeout", "query_only"} {
			var v string
			if err := db.QueryRowContext(ctx, "PRAGMA "+p).Scan(&v); err != nil {
				v = "ERR " + err.Error()
			}
			parts = append(parts, p+"="+v)
		}
		return strings.Join(parts, " ")
	}
	out["pragmas writer"] = pragmas(w)
	out["pragmas reader"] = pragmas(r)

	// Does BeginTx on the write connection take the write lock at once?
	// A probe connection with no busy timeout tries BEGIN IMMEDIATE while the
	// write transaction is open and has done nothing yet.
	lockedAtBegin := func(wdb *sql.DB) (string, error) {
		tx, err := wdb.BeginTx(ctx, nil)
		if err != nil {
			return "", err
		}
		defer tx.Rollback()
		probe, err := sql.Open(d.SQL, "file:"+path+"?_pragma=busy_timeout(0)")
		if err != nil {
			return "", err
		}
		defer probe.Close()
		probe.SetMaxOpenConns(1)
		_, err = probe.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil {
			probe.ExecContext(ctx, "ROLLBACK")
			return "no (BEGIN is deferred)", nil
		}
		if errKind(err) == "locked" {
			return "yes (BEGIN IMMEDIATE)", nil
		}
		return "probe error: " + err.Error(), nil
	}
	if out["write lock taken at BeginTx"], err = lockedAtBegin(w); err != nil {
		return nil, err
	}
	// The same without _txlock, to show each driver's default.
	plain, err := sql.Open(d.SQL, "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	plain.SetMaxOpenConns(1)
	out["...without _txlock in DSN"], err = lockedAtBegin(plain)
	plain.Close()
	if err != nil {
		return nil, err
	}

	rc, err := r.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := rc.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		out["BEGIN IMMEDIATE on query_only"] = "refused: " + firstN(err.Error(), 70)
	} else {
		out["BEGIN IMMEDIATE on query_only"] = "accepted (takes the write lock)"
		if _, err := rc.ExecContext(ctx, "ROLLBACK"); err != nil {
			return nil, err
		}
	}
	rc.Close()
	if tx, err := r.BeginTx(ctx, nil); err != nil {
		out["BeginTx on read pool"] = "ERR " + firstN(err.Error(), 70)
	} else {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members`).Scan(&n)
		tx.Rollback()
		if err != nil {
			out["BeginTx on read pool"] = "ERR " + firstN(err.Error(), 70)
		} else {
			out["BeginTx on read pool"] = "ok (deferred)"
		}
	}

	if _, err := r.ExecContext(ctx, insertPost, 1, "x", time.Now().UTC()); err != nil {
		out["read pool refuses writes"] = "yes: " + firstN(err.Error(), 70)
	} else {
		out["read pool refuses writes"] = "NO: the insert went through"
	}

	// time.Time on bind and scan, with the driver's defaults and with its
	// option to write an SQLite date format.
	if _, err := w.ExecContext(ctx, `CREATE TABLE times (ts TIMESTAMP, tx TEXT)`); err != nil {
		return nil, err
	}
	if err := timeChecks(ctx, w, "", out); err != nil {
		return nil, err
	}
	wt, err := sql.Open(d.SQL, sqlsetup.WriterDSN(path)+"&"+d.TimeOpt)
	if err != nil {
		return nil, err
	}
	defer wt.Close()
	wt.SetMaxOpenConns(1)
	if err := timeChecks(ctx, wt, d.TimeOpt+": ", out); err != nil {
		return nil, err
	}
	return out, nil
}

// timeChecks stores time.Time values through w and reads them back.
func timeChecks(ctx context.Context, w *sql.DB, prefix string, out map[string]string) error {
	cet := time.FixedZone("CET", 3600)
	for _, c := range []struct {
		name string
		t    time.Time
	}{
		{prefix + "time in CET", time.Date(2026, 11, 23, 9, 30, 15, 123456789, cet)},
		{prefix + "time.Now() (monotonic)", time.Now()},
	} {
		if _, err := w.ExecContext(ctx, `DELETE FROM times`); err != nil {
			return err
		}
		if _, err := w.ExecContext(ctx, `INSERT INTO times VALUES (?, ?)`, c.t, c.t); err != nil {
			out[c.name+" bind"] = "ERR " + err.Error()
			continue
		}
		var typ, stored string
		var fnOK bool
		if err := w.QueryRowContext(ctx, `SELECT typeof(ts), CAST(ts AS TEXT), datetime(ts) IS NOT NULL FROM times`).Scan(&typ, &stored, &fnOK); err != nil {
			return err
		}
		out[c.name+" stored as"] = fmt.Sprintf("%s %q; SQLite datetime() understands it: %v", typ, stored, fnOK)
		var back time.Time
		if err := w.QueryRowContext(ctx, `SELECT ts FROM times`).Scan(&back); err != nil {
			out[c.name+" scan TIMESTAMP col"] = "ERR " + firstN(err.Error(), 120)
		} else {
			out[c.name+" scan TIMESTAMP col"] = fmt.Sprintf("ok %s equal=%v", back.Format(time.RFC3339Nano), back.Equal(c.t))
		}
		if err := w.QueryRowContext(ctx, `SELECT tx FROM times`).Scan(&back); err != nil {
			out[c.name+" scan TEXT col"] = "ERR " + firstN(err.Error(), 120)
		} else {
			out[c.name+" scan TEXT col"] = fmt.Sprintf("ok %s equal=%v", back.Format(time.RFC3339Nano), back.Equal(c.t))
		}
	}
	return nil
}
