package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one versioned schema change: a file in migrations/ whose name
// (e.g. 0001_foundation.sql) is its version. A change the two databases
// write differently (triggers) is a pair of files named for the dialect,
// 1300_figure_marks.sqlite.sql and 1300_figure_marks.postgres.sql; each
// database applies its own, under the version 1300_figure_marks.sql.
type Migration struct {
	Version string
	SQL     string
}

// Migrations returns the embedded migrations in order, with the dialect's
// types substituted.
func (db *DB) Migrations() ([]Migration, error) {
	return loadMigrations(migrationFiles, db.Dialect)
}

func loadMigrations(fsys fs.FS, d Dialect) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Migration
	for _, name := range names {
		version := strings.TrimPrefix(name, "migrations/")
		if base, dialect, ok := dialectFile(version); ok {
			if dialect != d.Name {
				continue
			}
			version = base
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		text := string(b)
		for macro, typ := range d.Types {
			text = strings.ReplaceAll(text, "{{"+macro+"}}", typ)
		}
		if i := strings.Index(text, "{{"); i >= 0 {
			return nil, fmt.Errorf("migration %s: unknown macro near %q", name, text[i:min(len(text), i+20)])
		}
		out = append(out, Migration{Version: version, SQL: text})
	}
	return out, nil
}

// dialectFile splits a dialect's migration name, 1300_x.sqlite.sql, into
// its version (1300_x.sql) and dialect.
func dialectFile(name string) (version, dialect string, ok bool) {
	rest, found := strings.CutSuffix(name, ".sql")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return "", "", false
	}
	switch rest[i+1:] {
	case "sqlite", "postgres":
		return rest[:i] + ".sql", rest[i+1:], true
	}
	return "", "", false
}

// Migrate applies every embedded migration not yet applied, each in its own
// transaction: a migration that fails half-way leaves the database as it was
// before it, and the error names the file. It returns the versions applied.
// Migrations apply by name order but a missing one is applied even when a
// later one already was, so work merged from parallel branches lands.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	ms, err := db.Migrations()
	if err != nil {
		return nil, err
	}
	done, err := db.migrate(ctx, ms)
	if err != nil {
		return done, err
	}
	// A load that paused the figures' marks or the foreign keys and died
	// before resuming them must not leave them paused (figures_pause.go,
	// load.go).
	if err := db.ResumeFigureMarks(ctx); err != nil {
		return done, fmt.Errorf("resume the figures' marks: %w", err)
	}
	if err := db.ResumeForeignKeys(ctx); err != nil {
		return done, fmt.Errorf("put the foreign keys back: %w", err)
	}
	return done, nil
}

func (db *DB) migrate(ctx context.Context, ms []Migration) ([]string, error) {
	if db.Dialect.LockMigrations != nil {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return nil, err
		}
		unlock, err := db.Dialect.LockMigrations(ctx, conn)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("lock migrations: %w", err)
		}
		defer func() { unlock(); conn.Close() }()
	}
	err := db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version TEXT PRIMARY KEY,
			applied_at ` + db.Dialect.Types["time"] + ` NOT NULL)`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := map[string]bool{}
	rows, err := db.write.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		applied[v] = true
	}
	rows.Close()

	var done []string
	for _, m := range ms {
		if applied[m.Version] {
			continue
		}
		err := db.Write(ctx, func(tx *Tx) error {
			// Re-check inside the transaction: another instance may have
			// applied it while we waited for the lock.
			var n int
			if err := tx.QueryRow("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for i, stmt := range splitStatements(m.SQL) {
				if _, err := tx.tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("statement %d: %w", i+1, err)
				}
			}
			_, err := tx.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", m.Version, time.Now())
			return err
		})
		if err != nil {
			return done, fmt.Errorf("migration %s failed, nothing of it was applied: %w", m.Version, err)
		}
		done = append(done, m.Version)
	}
	return done, nil
}

// splitStatements splits a migration at semicolons that end a line, after
// dropping comment lines, which spares us relying on each driver's
// multi-statement exec. A trigger's body (from a line ending in BEGIN to the
// line END;) and a dollar-quoted function body ($$ ... $$) are one
// statement with the semicolons inside them.
func splitStatements(text string) []string {
	var out []string
	var cur strings.Builder
	inBody, dollars := false, 0
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		dollars += strings.Count(line, "$$")
		upper := strings.ToUpper(trimmed)
		switch {
		case strings.HasSuffix(upper, "BEGIN") && dollars%2 == 0:
			inBody = true
		case upper == "END;":
			inBody = false
		}
		if strings.HasSuffix(trimmed, ";") && !inBody && dollars%2 == 0 {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// MigrateWith applies the given migrations instead of the embedded ones;
// tests use it to prove that a broken migration leaves nothing behind.
func MigrateWith(ctx context.Context, db *DB, ms []Migration) ([]string, error) {
	return db.migrate(ctx, ms)
}
