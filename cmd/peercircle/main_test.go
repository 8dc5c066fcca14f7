package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// run calls Main in-process and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpReadsWell(t *testing.T) {
	code, out, _ := run(t, "", "--help")
	if code != 0 || !strings.Contains(out, "peercircle <command>") || !strings.Contains(out, "PEERCIRCLE_DATA_DIR") {
		t.Fatalf("code %d:\n%s", code, out)
	}
	for _, c := range []string{"serve", "demo", "migrate", "user"} {
		if !strings.Contains(out, "  "+c) {
			t.Errorf("help does not list %s", c)
		}
	}
	if code, _, errOut := run(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "", "serve", "--help"); code != 0 || !strings.Contains(errOut, "-addr") || !strings.Contains(errOut, "-data-dir") {
		t.Fatalf("serve --help: %d %s", code, errOut)
	}
}

func TestMigrateAndUserCommands(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := run(t, "", "migrate", "--data-dir", dir); code != 0 || !strings.Contains(out, "applied 0001_foundation.sql") {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	if code, out, _ := run(t, "", "migrate", "--data-dir", dir); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second migrate: %d %s", code, out)
	}

	t.Run("a person added with a password can be granted a role", func(t *testing.T) {
		code, out, errOut := run(t, "a quiet morning\n", "user", "add", "--data-dir", dir, "--name", "Nadia Haddad", "--username", "nadia", "--password-stdin")
		if code != 0 || !strings.Contains(out, "can sign in now") {
			t.Fatalf("add: %d %s %s", code, out, errOut)
		}
		code, out, errOut = run(t, "", "user", "grant", "--data-dir", dir, "--login", "NADIA", "--role", "admin", "--scope", "organisation")
		if code != 0 || !strings.Contains(out, "admin of organisation") {
			t.Fatalf("grant: %d %s %s", code, out, errOut)
		}
	})

	t.Run("a person added without a password gets an invitation link", func(t *testing.T) {
		code, out, _ := run(t, "", "user", "add", "--data-dir", dir, "--name", "Karim Mansour", "--email", "karim@example.org", "--base-url", "https://pc.example.org")
		if code != 0 || !regexp.MustCompile(`https://pc\.example\.org/invite/[A-Za-z0-9_-]{43}`).MatchString(out) {
			t.Fatalf("add: %d %s", code, out)
		}
	})

	t.Run("bad input gets a clear message and changes nothing", func(t *testing.T) {
		cases := []struct {
			stdin string
			args  []string
			want  string
		}{
			{"", []string{"user", "add", "--data-dir", dir, "--name", "Nadia Again", "--username", "nadia"}, "already used"},
			{"short\n", []string{"user", "set-password", "--data-dir", dir, "--login", "nadia"}, "at least 8 characters"},
			{"password1\n", []string{"user", "set-password", "--data-dir", dir, "--login", "nadia"}, "too common"},
			{"", []string{"user", "grant", "--data-dir", dir, "--login", "nadia", "--role", "organiser", "--scope", "organisation"}, "please check"},
			{"", []string{"user", "grant", "--data-dir", dir, "--login", "nobody", "--role", "admin", "--scope", "organisation"}, "not found"},
			{"", []string{"user", "set-password", "--data-dir", dir, "--login", "nadia"}, "no password on standard input"},
		}
		for _, c := range cases {
			code, _, errOut := run(t, c.stdin, c.args...)
			if code != 1 || !strings.Contains(errOut, c.want) {
				t.Errorf("%v: %d %q, want %q", c.args, code, errOut, c.want)
			}
		}
	})
}

func TestADatabaseThatCannotBeOpenedIsExplained(t *testing.T) {
	dir := t.TempDir()
	// A directory where the database file should be.
	if err := os.MkdirAll(filepath.Join(dir, "peercircle.db"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "", "migrate", "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, "cannot open the database") {
		t.Fatalf("%d %s", code, errOut)
	}
	code, _, errOut = run(t, "", "migrate", "--database", "mysql://nope")
	if code != 1 || !strings.Contains(errOut, "--database must be") {
		t.Fatalf("%d %s", code, errOut)
	}
}

func TestEnvironmentVariablesSetFlags(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PEERCIRCLE_DATA_DIR", dir)
	if code, _, errOut := run(t, "", "migrate"); code != 0 {
		t.Fatalf("%d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "peercircle.db")); err != nil {
		t.Fatalf("PEERCIRCLE_DATA_DIR was not used: %v", err)
	}
	t.Setenv("PEERCIRCLE_LOG_FORMAT", "yaml")
	if code, _, errOut := run(t, "", "serve", "--addr", "127.0.0.1:0"); code != 2 || !strings.Contains(errOut, "text or json") {
		t.Fatalf("bad log format: %d %s", code, errOut)
	}
}

// syncBuffer is a bytes.Buffer safe to read while Main writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDemoStartsReusesItsDataAndStopsGracefully runs `demo` twice on one
// data directory: the first creates the organisation, the second reuses it.
func TestDemoStartsReusesItsDataAndStopsGracefully(t *testing.T) {
	dir := t.TempDir()
	for i, want := range []string{"creating the demo organisation", "reusing the data"} {
		ctx, cancel := context.WithCancel(context.Background())
		var out, errb syncBuffer
		done := make(chan int, 1)
		go func() {
			done <- Main(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--data-dir", dir}, strings.NewReader(""), &out, &errb)
		}()
		var url string
		deadline := time.Now().Add(time.Minute)
		for url == "" && time.Now().Before(deadline) {
			if m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(out.String()); m != nil {
				url = m[1]
			}
			time.Sleep(20 * time.Millisecond)
		}
		if url == "" {
			t.Fatalf("run %d did not start: %s %s", i, out.String(), errb.String())
		}
		if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "coordinator") {
			t.Errorf("run %d printed:\n%s", i, out.String())
		}
		res, err := http.Get(url + "/readyz")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("readyz: %v %v", res, err)
		}
		res.Body.Close()
		cancel() // as SIGTERM does
		select {
		case code := <-done:
			if code != 0 {
				t.Fatalf("run %d exited %d: %s", i, code, errb.String())
			}
		case <-time.After(30 * time.Second):
			t.Fatal("demo did not stop")
		}
	}
}

func TestTheHeapIsProfiledOnlyWhenAsked(t *testing.T) {
	for godebug, want := range map[string]bool{
		"":                                    false,
		"madvdontneed=1":                      false,
		"memprofilerate=524288":               true,
		"gctrace=1,memprofilerate=1":          true,
		"gctrace=1, memprofilerate=0":         true, // asked for, even if to turn it off
		"xmemprofilerate=1":                   false,
		"memprofilerate":                      false,
		"asyncpreemptoff=1,memprofileratex=1": false,
	} {
		if got := heapProfiled(godebug); got != want {
			t.Errorf("heapProfiled(%q) = %v, want %v", godebug, got, want)
		}
	}
}
