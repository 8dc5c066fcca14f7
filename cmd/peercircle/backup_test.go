package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/seal"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

// dump returns every row of every table, in a stable order, as text.
func dump(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		r, err := db.Query("SELECT * FROM " + table + " ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			r.Scan(ptrs...)
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		r.Close()
	}
	return b.String()
}

func TestBackupAndRestoreGiveBackTheSameData(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "peercircle.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	keys, _ := seal.NewKeyring(seal.GenerateKey(1))
	if _, err := demo.Seed(ctx, sqlstore.New(db, keys)); err != nil {
		t.Fatal(err)
	}
	// The database stays open, as a running server's would.
	defer db.Close()

	backup := filepath.Join(t.TempDir(), "backup.db")
	if code, out, errOut := run(t, "", "backup", "--data-dir", dir, "--out", backup); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	// The backup holds every record: only its owner may read it (issue 10:
	// it was written 0644).
	if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("backup file mode = %v (%v), want -rw-------", info.Mode().Perm(), err)
	}
	if code, _, errOut := run(t, "", "backup", "--data-dir", dir, "--out", backup); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("second backup to the same file: %d %s", code, errOut)
	}
	db.WritePool().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	want := dump(t, filepath.Join(dir, "peercircle.db"))

	restored := t.TempDir()
	if code, out, errOut := run(t, "", "restore", "--data-dir", restored, "--from", backup); code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	if got := dump(t, filepath.Join(restored, "peercircle.db")); got != want {
		t.Fatal("the restored database differs from the original")
	}
	if !strings.Contains(want, "people") || strings.Count(want, "\npeople ") < 50 {
		t.Fatal("the dump is suspiciously small")
	}

	t.Run("restoring over a database keeps the old one", func(t *testing.T) {
		code, out, _ := run(t, "", "restore", "--data-dir", restored, "--from", backup)
		if code != 0 || !strings.Contains(out, "kept the current database") {
			t.Fatalf("%d %s", code, out)
		}
		kept, _ := filepath.Glob(filepath.Join(restored, "peercircle.db.before-restore-*"))
		if len(kept) != 1 {
			t.Fatalf("kept = %v", kept)
		}
	})

	t.Run("a file that is not a backup changes nothing", func(t *testing.T) {
		junk := filepath.Join(t.TempDir(), "junk.db")
		os.WriteFile(junk, []byte("this is not a database"), 0o600)
		before := dump(t, filepath.Join(restored, "peercircle.db"))
		code, _, errOut := run(t, "", "restore", "--data-dir", restored, "--from", junk)
		if code != 1 || !strings.Contains(errOut, "nothing was changed") {
			t.Fatalf("%d %s", code, errOut)
		}
		if dump(t, filepath.Join(restored, "peercircle.db")) != before {
			t.Fatal("the database changed")
		}
	})
}
