package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// shared is the one server of this test binary. Starting PostgreSQL costs
// about a second, so every test in a package reuses it and gets its own
// database instead.
var shared struct {
	once sync.Once
	mu   sync.Mutex
	srv  *Server
	err  error
}

// Shared returns the server of this test binary, starting it on first use.
// Call [RunMain] from TestMain so that it stops as soon as the tests end (the
// watchdog would stop it anyway when the binary exits, only later).
//
// Without PostgreSQL on the machine the test is skipped, except under CI
// (CI=true) where it fails: a CI run that silently skips every database
// test would look green while testing nothing.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		srv, err := Start(ctx)
		shared.mu.Lock()
		shared.srv, shared.err = srv, err
		shared.mu.Unlock()
	})
	shared.mu.Lock()
	srv, err := shared.srv, shared.err
	shared.mu.Unlock()
	if err != nil {
		unavailable(tb, err)
		return nil
	}
	if srv.stopped.Load() {
		tb.Fatalf("pgtest: the shared server was already stopped by RunMain")
	}
	return srv
}

// unavailable fails or skips the test because no server could be started.
// Only a missing installation may skip, and only outside CI; a server that is
// installed but does not start is a real failure everywhere.
func unavailable(tb testing.TB, err error) {
	tb.Helper()
	if !errors.Is(err, ErrNotInstalled) {
		tb.Fatalf("%v", err)
		return
	}
	msg := fmt.Sprintf("%v: run scripts/test-deps.sh", err)
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s", msg)
		return
	}
	tb.Skipf("%s", msg)
}

// RunMain runs the tests and then stops the shared server, if one was
// started; use it as os.Exit(pgtest.RunMain(m)) in TestMain. The stop is
// deferred so that it also runs when TestMain's goroutine panics; a panic in
// a test kills the binary outright, and then the watchdog cleans up instead.
func RunMain(m *testing.M) int {
	defer stopShared()
	return m.Run()
}

func stopShared() {
	shared.mu.Lock()
	srv := shared.srv
	shared.mu.Unlock()
	if srv == nil {
		return
	}
	if err := srv.Stop(); err != nil {
		// Not a test failure: the tests have already reported. Say it so
		// that a leftover directory can be explained.
		fmt.Fprintln(os.Stderr, err)
	}
}
