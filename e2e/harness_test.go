package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/peercircle/peercircle/internal/browser"
	"github.com/peercircle/peercircle/internal/pgtest"
)

// binary is the peercircle executable built once for this test binary.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "peercircle-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "peercircle")
	// Built with the race detector, as `make test` builds the tests: every
	// package instrumented but SQLite's machine-translated engine (see the
	// Makefile's RACE).
	build := exec.Command("go", "build", "-race", "-gcflags=github.com/ncruces/go-sqlite3-wasm/v6=-race=false",
		"-o", binary, "github.com/peercircle/peercircle/cmd/peercircle")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building peercircle:", err)
		os.Exit(1)
	}
	code := pgtest.RunMain(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// app is one running peercircle process.
type app struct {
	URL     string // http://127.0.0.1:PORT
	DataDir string
	cmd     *exec.Cmd
	mu      sync.Mutex
	output  strings.Builder // what the process printed (stdout and logs)
}

// Output returns what the process printed so far: tests check that no
// confidential text or secret reached the logs.
func (a *app) Output() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.output.String()
}

// startDemo starts `peercircle demo` on a free port with a data directory
// of its own holding the demo organisation, and stops it (SIGTERM, as an
// operator would) when the test ends.
func startDemo(t testing.TB, extraArgs ...string) *app {
	t.Helper()
	return start(t, append([]string{"demo", "--addr", "127.0.0.1:0", "--data-dir", demoDataDir(t)}, extraArgs...)...)
}

// demoData is the demo organisation as `peercircle seed` generates it, made
// once per test run: generating it takes seconds under the race detector,
// copying it a few milliseconds. Each test gets its own copy, so what one
// test writes no other sees; `peercircle demo` then reuses the copy as it
// reuses any data directory (TestDemoStartsReusesItsDataAndStopsGracefully
// and the durability test cover a demo's first start).
var demoData struct {
	once sync.Once
	dir  string
	err  error
}

// demoDataDir returns a new directory holding a copy of demoData.
func demoDataDir(t testing.TB) string {
	t.Helper()
	demoData.once.Do(func() {
		demoData.dir = filepath.Join(filepath.Dir(binary), "demo")
		if out, err := exec.Command(binary, "seed", "--data-dir", demoData.dir).CombinedOutput(); err != nil {
			demoData.err = fmt.Errorf("peercircle seed: %v; it printed:\n%s", err, out)
		}
	})
	if demoData.err != nil {
		t.Fatal(demoData.err)
	}
	dst := t.TempDir()
	if err := copyDir(dst, demoData.dir); err != nil {
		t.Fatal(err)
	}
	return dst
}

// copyDir copies the files under src into dst, keeping their permissions
// (the key file stays readable by its owner only).
func copyDir(dst, src string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(to, info.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, info.Mode().Perm())
	})
}

// start runs the binary with args and waits for "listening on".
func start(t testing.TB, args ...string) *app {
	t.Helper()
	a := &app{cmd: exec.Command(binary, args...)}
	for i, arg := range args {
		if arg == "--data-dir" && i+1 < len(args) {
			a.DataDir = args[i+1]
		}
	}
	a.cmd.Env = append(os.Environ(), "PEERCIRCLE_LOG_LEVEL=debug")
	stdout, _ := a.cmd.StdoutPipe()
	a.cmd.Stderr = writerFunc(func(p []byte) (int, error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.output.Write(p)
	})
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.stop(t) })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			a.mu.Lock()
			a.output.WriteString(line + "\n")
			a.mu.Unlock()
			if u, ok := strings.CutPrefix(line, "listening on "); ok {
				ready <- u
			}
		}
	}()
	select {
	case a.URL = <-ready:
	case <-time.After(2 * time.Minute):
		t.Fatalf("peercircle did not start; it printed:\n%s", a.Output())
	}
	return a
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// stop ends the process gracefully and fails the test if it does not stop.
func (a *app) stop(t testing.TB) {
	if a.cmd.Process == nil || a.cmd.ProcessState != nil {
		return
	}
	a.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- a.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("peercircle exited with %v after SIGTERM; it printed:\n%s", err, a.Output())
		}
	case <-time.After(20 * time.Second):
		a.cmd.Process.Kill()
		t.Errorf("peercircle did not stop within 20s of SIGTERM")
	}
}

// demoPassword is the password of every demo sign-in.
const demoPassword = "peercircle-demo"

// signIn signs in through the form in a browser context and waits for the
// home page.
func signIn(t testing.TB, ctx context.Context, a *app, username string) {
	t.Helper()
	browser.Navigate(t, ctx, a.URL+"/signin")
	browser.Fill(t, ctx, "#f-login", username)
	browser.Fill(t, ctx, "#f-password", demoPassword)
	browser.Submit(t, ctx, "#f-password")
	browser.WaitVisible(t, ctx, "nav[aria-label]")
}

// signOut presses the footer's sign-out button.
func signOut(t testing.TB, ctx context.Context) {
	t.Helper()
	browser.Submit(t, ctx, "form.signout button")
	browser.WaitVisible(t, ctx, "#f-login")
}

// get fetches a URL without a browser (for headers and status codes).
func get(t testing.TB, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// toLanguage switches the page to lang with the language buttons every page
// has, and waits until the page's direction follows (rtl for Arabic).
func toLanguage(t *testing.T, ctx context.Context, lang string) {
	t.Helper()
	// Submit waits for the page the choice leads to; a click could return
	// while the old page, already in that language, was still shown.
	browser.Submit(t, ctx, `form.lang button[value="`+lang+`"]`)
	want := map[string]string{"ar": "rtl", "en": "ltr"}[lang]
	browser.WaitVisible(t, ctx, `html[dir="`+want+`"]`)
}
