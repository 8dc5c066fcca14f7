// Package pgtest runs a throwaway PostgreSQL server for tests, so that
// `go test ./...` needs no database set up by hand.
//
// Most packages want one server per test binary and one fresh database per
// test:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.RunMain(m)) }
//
//	func TestSomething(t *testing.T) {
//		dsn := pgtest.Shared(t).NewDatabase(t)
//		...
//	}
//
// A suite that needs its schema in every database migrates once into a
// template and clones it per test, which is much faster than migrating again:
//
//	srv := pgtest.Shared(t)
//	if err := srv.PrepareTemplate(ctx, "migrated", migrate); err != nil {
//		t.Fatal(err)
//	}
//	dsn := srv.NewDatabase(t) // a copy of "migrated"
//
// The cluster trades durability for speed (fsync off and friends): it is for
// tests only and must never be used as advice for running the product.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Server is one running throwaway PostgreSQL cluster. Its methods are safe
// for concurrent use, so parallel tests can share it.
type Server struct {
	binDir  string
	dir     string // temp dir: data/, log, and the Unix socket
	dataDir string
	logPath string
	port    int
	runuser string // non-empty when running as root: step down to postgres
	major   int    // PostgreSQL major version, from the cluster's PG_VERSION

	watchdog      *exec.Cmd
	watchdogStdin io.WriteCloser

	dbSeq atomic.Int64

	mu        sync.Mutex
	template  string
	templates map[string]*templateState

	stopOnce sync.Once
	stopErr  error
	stopped  atomic.Bool
}

// portAttempts bounds the retries when another process grabs the port
// between our probe and the server's bind.
const portAttempts = 5

// Start creates a cluster in a new temporary directory and starts a server on
// a free port of 127.0.0.1. Stop it with [Server.Stop]; if the process dies
// first (a panic, a test timeout, a kill), a small watchdog process stops the
// server and removes the directory so that no postgres is left behind.
func Start(ctx context.Context) (*Server, error) {
	binDir, err := Available()
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s := &Server{
		binDir:    binDir,
		dir:       dir,
		dataDir:   filepath.Join(dir, "data"),
		logPath:   filepath.Join(dir, "log"),
		templates: make(map[string]*templateState),
	}
	if err := s.start(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("pgtest: %w", err), s.Stop())
	}
	return s, nil
}

func (s *Server) start(ctx context.Context) error {
	if os.Geteuid() == 0 {
		// initdb refuses to run as root, so the cluster belongs to the
		// postgres user, who needs to own the directory it lives in.
		path, err := runuserPath()
		if err != nil {
			return err
		}
		s.runuser = path
		if err := chownToPostgres(s.dir); err != nil {
			return err
		}
	}
	if err := s.startWatchdog(); err != nil {
		return fmt.Errorf("starting the watchdog: %w", err)
	}
	if err := s.initCluster(ctx); err != nil {
		return err
	}
	if b, err := os.ReadFile(filepath.Join(s.dataDir, "PG_VERSION")); err == nil {
		s.major, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	var err error
	for range portAttempts {
		if s.port, err = freePort(); err != nil {
			return err
		}
		if err = s.pgctlStart(ctx); err == nil || !s.portTaken() {
			break
		}
	}
	return err
}

func chownToPostgres(dir string) error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return err
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return err
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return err
	}
	return os.Chown(dir, uid, gid)
}

func (s *Server) initdb(ctx context.Context) error {
	base := []string{
		"-D", s.dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8",
		// Nobody will ever recover this cluster after a crash, so skip the
		// fsyncs that make initdb slow on busy disks.
		"--no-sync",
	}
	out, err := s.command(ctx, "initdb", append(base, "--locale=C.UTF-8")...).CombinedOutput()
	if err == nil {
		return nil
	}
	if !bytes.Contains(bytes.ToLower(out), []byte("locale")) {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	// Some minimal images lack C.UTF-8; byte-order collation is all the
	// tests need anyway, and initdb removed the half-made directory.
	out2, err2 := s.command(ctx, "initdb", append(base, "--no-locale")...).CombinedOutput()
	if err2 != nil {
		return fmt.Errorf("initdb --locale=C.UTF-8: %w\n%s\ninitdb --no-locale: %w\n%s", err, out, err2, out2)
	}
	return nil
}

func (s *Server) pgctlStart(ctx context.Context) error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1"+
		// Throwaway data: durability costs time and buys nothing here.
		" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"+
		// Parallel tests each hold a pool; the default 100 runs out.
		" -c max_connections=200", s.port, s.dir)
	out, err := s.command(ctx, "pg_ctl", "-D", s.dataDir, "-l", s.logPath, "-w", "-t", "60", "-o", opts, "start").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl start on port %d: %w\n%s\nlast lines of %s:\n%s", s.port, err, out, s.logPath, s.logTail())
	}
	return nil
}

// portTaken tells a lost race for the port, worth a retry, from other start
// failures, which would only fail again.
func (s *Server) portTaken() bool {
	tail := s.logTail()
	return strings.Contains(tail, "could not bind") || strings.Contains(tail, "Address already in use")
}

// freePort asks the kernel for an unused port. It is only a hint: another
// process may take it before postgres binds, hence the retries in start.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// logTail returns the end of the server log, which is where postgres explains
// why it did not start.
func (s *Server) logTail() string {
	const limit = 4 << 10
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	if len(b) > limit {
		b = b[len(b)-limit:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

// command runs a PostgreSQL program, as the postgres user when we are root.
func (s *Server) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	path := filepath.Join(s.binDir, name)
	var cmd *exec.Cmd
	if s.runuser != "" {
		cmd = exec.CommandContext(ctx, s.runuser, append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	// The postgres user may not be able to read the test's working
	// directory; the cluster's own directory is always readable.
	cmd.Dir = s.dir
	return cmd
}

// watchdogScript waits on its stdin. Stop writes "done" and it exits quietly;
// if instead the test process dies, the kernel closes the pipe, read sees end
// of file, and the script stops the server and removes the directory. Without
// it a panicking test or `go test -timeout` would leave postgres running.
const watchdogScript = `IFS= read -r line
[ "$line" = done ] && exit 0
if [ -n "$4" ]; then
	"$4" -u postgres -- "$1" -D "$2" -m immediate -w stop
else
	"$1" -D "$2" -m immediate -w stop
fi
rm -rf "$3"`

func (s *Server) startWatchdog() error {
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "pgtest-watchdog",
		filepath.Join(s.binDir, "pg_ctl"), s.dataDir, s.dir, s.runuser)
	// Its own session, so that Ctrl-C in the terminal, which signals the
	// whole foreground process group, does not kill it before it cleans up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	s.watchdog, s.watchdogStdin = cmd, stdin
	return nil
}

// DSN returns a connection string for the database dbname on this server. It
// uses TCP rather than the socket so that the same string works from any user
// and any library.
func (s *Server) DSN(dbname string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, url.PathEscape(dbname))
}

// Port returns the TCP port the server listens on, for tools that want host
// and port rather than a DSN.
func (s *Server) Port() int { return s.port }

// Dir returns the temporary directory holding the cluster and its log (file
// "log"), so that a puzzled test can point at it. Stop removes it.
func (s *Server) Dir() string { return s.dir }

// Stop shuts the server down without a checkpoint (there is nothing worth
// keeping) and removes its directory. Calling it again returns the first
// result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.stopped.Store(true)
		var errs []error
		if _, err := os.Stat(filepath.Join(s.dataDir, "postmaster.pid")); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			out, err := s.command(ctx, "pg_ctl", "-D", s.dataDir, "-m", "immediate", "-w", "stop").CombinedOutput()
			cancel()
			if err != nil {
				errs = append(errs, fmt.Errorf("pg_ctl stop: %w\n%s", err, out))
			}
		}
		if err := removeAll(s.dir); err != nil {
			errs = append(errs, err)
		}
		if s.watchdog != nil {
			_, _ = io.WriteString(s.watchdogStdin, "done\n")
			_ = s.watchdogStdin.Close()
			_ = s.watchdog.Wait()
		}
		if len(errs) > 0 {
			s.stopErr = fmt.Errorf("pgtest: stopping the server in %s: %w", s.dir, errors.Join(errs...))
		}
	})
	return s.stopErr
}

// removeAll retries briefly because a postgres child can still be closing
// files for a moment after pg_ctl reports the server gone.
func removeAll(dir string) error {
	var err error
	for range 10 {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}
