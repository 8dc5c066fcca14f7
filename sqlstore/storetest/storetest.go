// Package storetest gives tests a migrated, empty store on each backend, so
// one suite runs unchanged against SQLite and PostgreSQL. PostgreSQL comes
// from a throwaway server (internal/pgtest) that the test binary starts
// itself; call RunMain from TestMain so it is stopped at the end.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/peercircle/peercircle/internal/pgtest"
	"github.com/peercircle/peercircle/seal"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/postgres"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

// Backends names the storage backends every storage test runs on.
var Backends = []string{"sqlite", "postgres"}

// RunMain runs the tests and stops the throwaway PostgreSQL server after.
func RunMain(m *testing.M) int { return pgtest.RunMain(m) }

// Clock is a settable clock for tests that move time (idle time-outs,
// link expiry, quarter boundaries).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock forward.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Keys returns a fresh keyring for sealing confidential text in tests.
func Keys(tb testing.TB) *seal.Keyring {
	tb.Helper()
	k, err := seal.LoadOrCreateKeyFile(filepath.Join(tb.TempDir(), "secret.key"))
	if err != nil {
		tb.Fatal(err)
	}
	ring, err := seal.NewKeyring(k)
	if err != nil {
		tb.Fatal(err)
	}
	return ring
}

// Open returns a migrated, empty store on the named backend. The store and
// its database are removed when the test ends.
func Open(tb testing.TB, backend string) *sqlstore.Store {
	tb.Helper()
	db := OpenDB(tb, backend)
	return sqlstore.New(db, Keys(tb))
}

// OpenDB returns a migrated, empty database on the named backend.
func OpenDB(tb testing.TB, backend string) *sqlstore.DB {
	tb.Helper()
	var db *sqlstore.DB
	var err error
	switch backend {
	case "sqlite":
		db, err = sqlite.Open(filepath.Join(tb.TempDir(), "peercircle.db"))
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := db.Migrate(context.Background()); err != nil {
			db.Close()
			tb.Fatal(err)
		}
	case "postgres":
		srv := pgtest.Shared(tb)
		err = srv.PrepareTemplate(context.Background(), "peercircle_template", func(ctx context.Context, dsn string) error {
			db, err := postgres.Open(dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			_, err = db.Migrate(ctx)
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
		db, err = postgres.Open(srv.NewDatabase(tb))
		if err != nil {
			tb.Fatal(err)
		}
	default:
		tb.Fatalf("unknown backend %q", backend)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL returns the URL of a fresh, migrated PostgreSQL database for
// tests that start the binary itself (several instances on one database).
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	OpenDB(tb, "postgres") // prepares the template
	return pgtest.Shared(tb).NewDatabase(tb)
}

// Each runs fn as a subtest on every backend.
func Each(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	for _, b := range Backends {
		t.Run(b, func(t *testing.T) {
			fn(t, Open(t, b))
		})
	}
}

// CI reports whether the tests run under CI, where nothing may be skipped.
func CI() bool { return os.Getenv("CI") == "true" }
