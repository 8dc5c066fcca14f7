package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(RunMain(m)) }

// connect opens a connection that the test closes when it ends.
func connect(tb testing.TB, dsn string) *pgx.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect %s: %v", dsn, err)
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// databases lists the databases of a server, to see what was created and
// dropped.
func databases(tb testing.TB, s *Server) []string {
	tb.Helper()
	conn, err := pgx.Connect(context.Background(), s.DSN("postgres"))
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), "SELECT datname FROM pg_database ORDER BY datname")
	if err != nil {
		tb.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		tb.Fatal(err)
	}
	return names
}

func requireInstalled(t *testing.T) {
	t.Helper()
	if _, err := Available(); err != nil {
		unavailable(t, err)
	}
}

func TestStartCreateQueryStop(t *testing.T) {
	requireInstalled(t)
	ctx := context.Background()
	began := time.Now()
	s, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL started in %v on port %d (bin %s)", time.Since(began).Round(time.Millisecond), s.Port(), s.binDir)
	stopped := false
	defer func() {
		if !stopped {
			s.Stop()
		}
	}()

	for _, name := range []string{"alpha", "beta"} {
		if err := s.CreateDatabase(ctx, name, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := databases(t, s); !slices.Contains(got, "alpha") || !slices.Contains(got, "beta") {
		t.Fatalf("databases = %v, want alpha and beta among them", got)
	}

	conn := connect(t, s.DSN("alpha"))
	var db, enc string
	var sum int
	if err := conn.QueryRow(ctx, "SELECT current_database(), pg_encoding_to_char(encoding), 40 + 2 FROM pg_database WHERE datname = current_database()").Scan(&db, &enc, &sum); err != nil {
		t.Fatal(err)
	}
	if db != "alpha" || enc != "UTF8" || sum != 42 {
		t.Fatalf("got database %q encoding %q sum %d, want alpha UTF8 42", db, enc, sum)
	}
	// Arabic text must survive a round trip: the product stores it.
	var echoed string
	if err := conn.QueryRow(ctx, "SELECT $1::text", "حلقة الدعم").Scan(&echoed); err != nil || echoed != "حلقة الدعم" {
		t.Fatalf("Arabic round trip = %q, %v", echoed, err)
	}
	conn.Close(ctx)

	dir := s.Dir()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	stopped = true
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after Stop, %s still exists (stat error %v)", dir, err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop = %v, want nil", err)
	}
	if err := s.CreateDatabase(ctx, "gamma", ""); err == nil {
		t.Fatal("CreateDatabase after Stop succeeded")
	}
}

func TestNewDatabaseIsFreshAndDroppedAfterTheTest(t *testing.T) {
	t.Parallel()
	s := Shared(t)
	var names []string
	for i := range 2 {
		t.Run(fmt.Sprint("db", i), func(t *testing.T) {
			dsn := s.NewDatabase(t)
			conn := connect(t, dsn)
			var name string
			var tables int
			if err := conn.QueryRow(context.Background(), "SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')").Scan(&name, &tables); err != nil {
				t.Fatal(err)
			}
			if tables != 0 {
				t.Errorf("new database has %d tables, want none", tables)
			}
			if !strings.HasPrefix(name, "t_testnewdatabase") {
				t.Errorf("database name %q does not say which test made it", name)
			}
			names = append(names, name)
			// Left open on purpose: the drop must cope with a forgotten
			// connection.
			if _, err := pgx.Connect(context.Background(), dsn); err != nil {
				t.Fatal(err)
			}
		})
	}
	if len(names) != 2 || names[0] == names[1] {
		t.Fatalf("database names %v, want two different ones", names)
	}
	for _, name := range names {
		if slices.Contains(databases(t, s), name) {
			t.Errorf("database %s still exists after its test ended", name)
		}
	}
}

func TestPrepareTemplateClonesForEachTest(t *testing.T) {
	s := Shared(t)
	ctx := context.Background()
	var setups atomic.Int32
	migrate := func(ctx context.Context, dsn string) error {
		setups.Add(1)
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		// Deliberately left open, to check that PrepareTemplate ends it.
		_, err = conn.Exec(ctx, "CREATE TABLE circle (name text NOT NULL); INSERT INTO circle VALUES ('مجموعة الأمهات')")
		return err
	}
	t.Cleanup(func() { s.SetTemplate("") })

	t.Run("group", func(t *testing.T) {
		for i := range 4 {
			t.Run(fmt.Sprint("clone", i), func(t *testing.T) {
				t.Parallel()
				if err := s.PrepareTemplate(ctx, "tmpl_circles", migrate); err != nil {
					t.Fatal(err)
				}
				conn := connect(t, s.NewDatabase(t))
				var names []string
				rows, err := conn.Query(ctx, "SELECT name FROM circle")
				if err != nil {
					t.Fatal(err)
				}
				if names, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(names, []string{"مجموعة الأمهات"}) {
					t.Fatalf("clone has rows %q, want only the template's", names)
				}
				// Writes stay in this clone; the other clones check that.
				if _, err := conn.Exec(ctx, "INSERT INTO circle VALUES ($1)", t.Name()); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
	if n := setups.Load(); n != 1 {
		t.Errorf("setup ran %d times, want once", n)
	}
}

func TestCreateDatabaseExplainsABusyTemplate(t *testing.T) {
	s := Shared(t)
	ctx := context.Background()
	if err := s.CreateDatabase(ctx, "busy_tmpl", ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.DropDatabase(context.Background(), "busy_tmpl") })
	connect(t, s.DSN("busy_tmpl"))
	err := s.CreateDatabase(ctx, "busy_copy", "busy_tmpl")
	if err == nil || !strings.Contains(err.Error(), "close every connection to the template") {
		t.Fatalf("CreateDatabase from a template in use = %v, want a hint about open connections", err)
	}
}

func TestStartReusesTheCachedCluster(t *testing.T) {
	requireInstalled(t)
	for i := range 2 {
		began := time.Now()
		s, err := Start(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(began)
		conn := connect(t, s.DSN("postgres"))
		conn.Close(context.Background())
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
		t.Logf("start %d took %v", i+1, took.Round(time.Millisecond))
	}
	cached := cachedClusterDir(mustAvailable(t))
	if cached == "" {
		t.Skip("no user cache directory on this machine")
	}
	if _, err := os.Stat(filepath.Join(cached, "PG_VERSION")); err != nil {
		t.Fatalf("no cached cluster after two starts: %v", err)
	}
}

func mustAvailable(t *testing.T) string {
	t.Helper()
	dir, err := Available()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestWatchdogCleansUpWhenTheProcessDies(t *testing.T) {
	requireInstalled(t)
	s, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	// Closing the pipe is what the kernel does when the test binary dies.
	s.watchdogStdin.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(s.Dir()); errors.Is(err, os.ErrNotExist) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("watchdog did not remove %s", s.Dir())
		}
		time.Sleep(50 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, s.DSN("postgres")); err == nil {
		conn.Close(ctx)
		t.Fatal("server still accepts connections after the watchdog ran")
	}
}

func TestAvailable(t *testing.T) {
	t.Run("finds initdb and pg_ctl", func(t *testing.T) {
		requireInstalled(t)
		dir, err := Available()
		if err != nil {
			t.Fatal(err)
		}
		if checkBinDir(dir) != nil {
			t.Fatalf("Available() = %s, which lacks initdb or pg_ctl", dir)
		}
	})
	t.Run("a wrong override is an error, not a skip", func(t *testing.T) {
		t.Setenv(BinEnv, filepath.Join(t.TempDir(), "nowhere"))
		_, err := Available()
		if err == nil || errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), BinEnv) {
			t.Fatalf("Available() = %v, want an error naming %s that is not ErrNotInstalled", err, BinEnv)
		}
	})
}

func TestNewestVersionFirst(t *testing.T) {
	dirs := []string{"/usr/lib/postgresql/9.6/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"}
	slices.SortFunc(dirs, func(a, b string) int { return slices.Compare(versionOf(b), versionOf(a)) })
	if dirs[0] != "/usr/lib/postgresql/16/bin" || dirs[2] != "/usr/lib/postgresql/9.6/bin" {
		t.Fatalf("order = %v", dirs)
	}
}

// recordingTB stands in for a test to see whether unavailable skips or fails.
type recordingTB struct {
	testing.TB
	skipped, fatal string
}

func (r *recordingTB) Helper()                          {}
func (r *recordingTB) Skipf(format string, args ...any) { r.skipped = fmt.Sprintf(format, args...) }
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
}

func TestUnavailable(t *testing.T) {
	missing := fmt.Errorf("pgtest: %w (no initdb)", ErrNotInstalled)
	for _, tc := range []struct {
		name      string
		ci        string
		err       error
		wantFatal bool
	}{
		{"a missing server skips on a developer machine", "", missing, false},
		{"a missing server fails under CI", "true", missing, true},
		{"a broken server fails everywhere", "", errors.New("pg_ctl start: boom"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recordingTB{TB: t}
			unavailable(r, tc.err)
			got := r.skipped
			if tc.wantFatal {
				got = r.fatal
			}
			if got == "" {
				t.Fatalf("skipped %q, fatal %q; want the other one", r.skipped, r.fatal)
			}
			if errors.Is(tc.err, ErrNotInstalled) && !strings.Contains(got, "run scripts/test-deps.sh") {
				t.Errorf("message %q does not say how to install", got)
			}
		})
	}
}

func TestUniqueName(t *testing.T) {
	s := &Server{}
	a := s.uniqueName("TestSomething/with spaces and a very long description that goes on")
	b := s.uniqueName("TestSomething/with spaces and a very long description that goes on")
	if a == b || len(a) > 63 || strings.ContainsAny(a, " /ABC") {
		t.Fatalf("names %q and %q", a, b)
	}
}
