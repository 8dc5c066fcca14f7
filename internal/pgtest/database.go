package pgtest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// templateState remembers one PrepareTemplate call, so that parallel tests
// asking for the same template migrate it once and all see the outcome.
type templateState struct {
	once sync.Once
	err  error
}

// admin runs statements on the maintenance database. CREATE and DROP
// DATABASE cannot run inside a transaction, and each call is rare enough
// that a fresh connection beats managing a pool.
func (s *Server) admin(ctx context.Context, sql string, args ...any) error {
	if s.stopped.Load() {
		return errors.New("pgtest: server already stopped")
	}
	conn, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		return fmt.Errorf("pgtest: connecting to %s: %w", s.DSN("postgres"), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql, args...)
	return err
}

// CreateDatabase creates the database name, as a copy of template when it is
// not empty (otherwise of template1, PostgreSQL's default). Copying a
// migrated template is what makes a fresh database per test affordable.
func (s *Server) CreateDatabase(ctx context.Context, name, template string) error {
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		sql += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if s.major >= 15 {
		// With fsync off, copying the files is two to three times faster
		// than PostgreSQL 15's default of writing every block to the WAL.
		sql += " STRATEGY FILE_COPY"
	}
	if err := s.admin(ctx, sql); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "55006" {
			// object_in_use: PostgreSQL cannot copy a database while anyone
			// is connected to it, the usual cause being a pool left open.
			return fmt.Errorf("pgtest: creating database %q from template %q: %w (close every connection to the template first)", name, template, err)
		}
		return fmt.Errorf("pgtest: creating database %q: %w", name, err)
	}
	return nil
}

// DropDatabase drops the database name, disconnecting anyone still using it:
// a test that forgot to close its pool should not make cleanup fail.
func (s *Server) DropDatabase(ctx context.Context, name string) error {
	if err := s.admin(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("pgtest: dropping database %q: %w", name, err)
	}
	return nil
}

// SetTemplate makes NewDatabase copy the database name from now on; "" goes
// back to empty databases. The template must have no open connections when a
// copy is made.
func (s *Server) SetTemplate(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.template = name
}

// PrepareTemplate creates the database name, runs setup on it (typically the
// migrations) and makes it the template of NewDatabase. Only the first call
// for a name does the work; later calls, also from parallel tests, wait for
// it and return its error. setup must close its connections before it
// returns; any it leaves open are terminated, since they would block copies.
func (s *Server) PrepareTemplate(ctx context.Context, name string, setup func(ctx context.Context, dsn string) error) error {
	s.mu.Lock()
	st := s.templates[name]
	if st == nil {
		st = &templateState{}
		s.templates[name] = st
	}
	s.mu.Unlock()

	st.once.Do(func() {
		if st.err = s.CreateDatabase(ctx, name, ""); st.err != nil {
			return
		}
		if err := setup(ctx, s.DSN(name)); err != nil {
			st.err = fmt.Errorf("pgtest: preparing template %q: %w", name, err)
			return
		}
		// Refuse new connections and end leftovers, so that a stray pool
		// cannot make a later CREATE DATABASE ... TEMPLATE fail.
		if err := s.admin(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH ALLOW_CONNECTIONS false"); err != nil {
			st.err = fmt.Errorf("pgtest: closing template %q: %w", name, err)
			return
		}
		if err := s.admin(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
			st.err = fmt.Errorf("pgtest: closing template %q: %w", name, err)
			return
		}
	})
	if st.err != nil {
		return st.err
	}
	s.SetTemplate(name)
	return nil
}

// NewDatabase creates a uniquely named database for this test, a copy of the
// template set with SetTemplate if any, drops it when the test ends, and
// returns its DSN. The name starts with the test's name, so a database left
// behind by a crash says where it came from.
func (s *Server) NewDatabase(tb testing.TB) string {
	tb.Helper()
	s.mu.Lock()
	template := s.template
	s.mu.Unlock()

	name := s.uniqueName(tb.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.CreateDatabase(ctx, name, template); err != nil {
		tb.Fatalf("%v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.DropDatabase(ctx, name); err != nil {
			tb.Errorf("%v", err)
		}
	})
	return s.DSN(name)
}

// uniqueName turns a test name into a database name: lower case letters,
// digits and underscores, short enough for PostgreSQL's 63-byte identifiers
// once the sequence number is added.
func (s *Server) uniqueName(testName string) string {
	var b strings.Builder
	b.WriteString("t_")
	for _, r := range strings.ToLower(testName) {
		if b.Len() >= 40 {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return fmt.Sprintf("%s_%d", b.String(), s.dbSeq.Add(1))
}
