package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver" // for checking a backup file before restoring it

	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

const backupUsage = `Usage: peercircle backup --out FILE [flags]

Writes a consistent copy of the SQLite database to FILE while PeerCircle keeps
serving (SQLite's VACUUM INTO). The copy does not hold the key for confidential
text: keep the key file (<data-dir>/secret.key) somewhere else, and safe. With
PostgreSQL, use pg_dump instead.

Flags:
`

func runBackup(ctx context.Context, args []string, e *env) int {
	var c Config
	var out string
	fs := flag.NewFlagSet("peercircle backup", flag.ContinueOnError)
	storageFlags(fs, &c)
	fs.StringVar(&out, "out", "", "file to write the backup to (must not exist)")
	fs.Usage = func() { fmt.Fprint(e.stderr, backupUsage); fs.PrintDefaults() }
	if err := parse(fs, args, e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if c.Database != "" && !strings.HasPrefix(c.Database, "sqlite:") {
		fmt.Fprintln(e.stderr, "peercircle: backup copies the SQLite file; for PostgreSQL use pg_dump (see docs/operations.md)")
		return 2
	}
	if out == "" {
		fmt.Fprintln(e.stderr, "peercircle: --out is required")
		return 2
	}
	// The backup holds everything the database does: only its owner reads
	// it. The empty file is made first with that mode (VACUUM INTO fills
	// an empty file), and the mode is set again after.
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		fmt.Fprintf(e.stderr, "peercircle: %s already exists; choose a new file name\n", out)
		return 1
	} else if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	f.Close()
	db, err := c.openDB()
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	defer db.Close()
	start := time.Now()
	// VACUUM INTO reads one snapshot and writes a compact copy; writers of
	// the running server are not blocked (WAL).
	if _, err := db.WritePool().ExecContext(ctx, "VACUUM INTO ?", out); err != nil {
		os.Remove(out)
		fmt.Fprintln(e.stderr, "peercircle: backup failed, nothing was written:", err)
		return 1
	}
	if err := os.Chmod(out, 0o600); err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	info, _ := os.Stat(out)
	fmt.Fprintf(e.stdout, "backed up to %s (%d bytes) in %s\n", out, info.Size(), time.Since(start).Round(time.Millisecond))
	return 0
}

const restoreUsage = `Usage: peercircle restore --from FILE [flags]

Replaces the SQLite database in --data-dir with a backup made by
"peercircle backup". Stop PeerCircle first. The current database is kept next
to it as peercircle.db.before-restore-<time>, so a restore can be undone. The
backup is checked (integrity and schema) before anything is replaced.

Flags:
`

func runRestore(ctx context.Context, args []string, e *env) int {
	var c Config
	var from string
	fs := flag.NewFlagSet("peercircle restore", flag.ContinueOnError)
	storageFlags(fs, &c)
	fs.StringVar(&from, "from", "", "backup file to restore")
	fs.Usage = func() { fmt.Fprint(e.stderr, restoreUsage); fs.PrintDefaults() }
	if err := parse(fs, args, e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if c.Database != "" {
		fmt.Fprintln(e.stderr, "peercircle: restore replaces the SQLite file in --data-dir; for PostgreSQL use pg_restore")
		return 2
	}
	if from == "" {
		fmt.Fprintln(e.stderr, "peercircle: --from is required")
		return 2
	}
	if err := checkBackup(ctx, from); err != nil {
		fmt.Fprintf(e.stderr, "peercircle: %s is not a usable PeerCircle backup, nothing was changed: %v\n", from, err)
		return 1
	}
	target := filepath.Join(c.DataDir, "peercircle.db")
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	tmp := target + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		fmt.Fprintln(e.stderr, "peercircle: copying the backup failed, nothing was changed:", err)
		return 1
	}
	if _, err := os.Stat(target); err == nil {
		// Fold the current WAL into the file so the kept copy is whole.
		if db, err := sqlite.Open(target); err == nil {
			db.WritePool().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
			db.Close()
		}
		kept := target + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(target, kept); err != nil {
			os.Remove(tmp)
			fmt.Fprintln(e.stderr, "peercircle: cannot move the current database aside, nothing was changed:", err)
			return 1
		}
		fmt.Fprintf(e.stdout, "kept the current database as %s\n", kept)
	}
	os.Remove(target + "-wal")
	os.Remove(target + "-shm")
	if err := os.Rename(tmp, target); err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "restored %s into %s; start PeerCircle with the same key file as before\n", from, target)
	return 0
}

// checkBackup opens the file read-only and checks it is a whole SQLite
// database with PeerCircle's schema.
func checkBackup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return fmt.Errorf("integrity check: %s", result)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("no PeerCircle schema in it")
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
