package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrNotInstalled is wrapped by the errors of [Available] and [Start] when the
// machine lacks the PostgreSQL server, so that [Shared] can tell "skip this
// test on a laptop without PostgreSQL" apart from "PostgreSQL is there but
// broken", which must always fail.
var ErrNotInstalled = errors.New("PostgreSQL server is not installed")

// BinEnv names the environment variable that points pgtest at the directory
// holding initdb and pg_ctl, for machines where they live somewhere unusual
// (a source build, Homebrew, a second major version).
const BinEnv = "PEERCIRCLE_PG_BIN"

// debianBinGlob is where Debian and Ubuntu put the server binaries, one
// directory per major version; they are not on PATH there.
const debianBinGlob = "/usr/lib/postgresql/*/bin"

// Available reports the directory holding initdb and pg_ctl without starting
// anything, so callers can decide early whether database tests can run. When
// the process runs as root it also checks for the postgres user and runuser,
// because initdb refuses to run as root and Start needs both to step down.
//
// A bad BinEnv is reported as a plain error, not ErrNotInstalled: someone set
// it on purpose and should hear that it is wrong rather than see tests skip.
func Available() (binDir string, err error) {
	if dir := os.Getenv(BinEnv); dir != "" {
		if err := checkBinDir(dir); err != nil {
			return "", fmt.Errorf("%s=%s: %w", BinEnv, dir, err)
		}
		binDir = dir
	} else {
		binDir = findBinDir()
		if binDir == "" {
			return "", fmt.Errorf("%w (no initdb and pg_ctl in %s, nor where `pg_config --bindir` points)", ErrNotInstalled, debianBinGlob)
		}
	}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return "", fmt.Errorf("%w: running as root needs the postgres user, which the postgresql package creates: %v", ErrNotInstalled, err)
		}
		if _, err := runuserPath(); err != nil {
			return "", fmt.Errorf("%w: running as root needs runuser to step down to the postgres user: %v", ErrNotInstalled, err)
		}
	}
	return binDir, nil
}

// findBinDir prefers the newest Debian-style versioned directory, then asks
// pg_config; it returns "" when neither has a usable server.
func findBinDir() string {
	dirs, _ := filepath.Glob(debianBinGlob)
	slices.SortFunc(dirs, func(a, b string) int {
		// Newest first; compare numerically so that 15 beats 9.6.
		return slices.Compare(versionOf(b), versionOf(a))
	})
	for _, dir := range dirs {
		if checkBinDir(dir) == nil {
			return dir
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "pg_config", "--bindir").Output()
	if err != nil {
		return ""
	}
	// pg_config ships with the client libraries too, so the directory it
	// names may lack the server: check before trusting it.
	if dir := strings.TrimSpace(string(out)); checkBinDir(dir) == nil {
		return dir
	}
	return ""
}

// checkBinDir makes sure both programs Start runs are present and executable.
func checkBinDir(dir string) error {
	for _, name := range []string{"initdb", "pg_ctl"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("no %s: %w", name, err)
		}
		if info.IsDir() || info.Mode().Perm()&0o111 == 0 {
			return fmt.Errorf("%s is not executable", filepath.Join(dir, name))
		}
	}
	return nil
}

// versionOf extracts the numeric parts of the version directory in
// /usr/lib/postgresql/VERSION/bin.
func versionOf(binDir string) []int {
	var v []int
	for _, part := range strings.Split(filepath.Base(filepath.Dir(binDir)), ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil
		}
		v = append(v, n)
	}
	return v
}

// runuserPath finds runuser, which lives in /usr/sbin and so is missing from
// PATH in some minimal environments.
func runuserPath() (string, error) {
	if p, err := exec.LookPath("runuser"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("runuser not found on PATH or in /usr/sbin")
}
