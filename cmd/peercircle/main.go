// Command peercircle runs PeerCircle: the web app, its background work, and
// the command-line tools for operators.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	_ "time/tzdata" // site time zones work on machines without a zoneinfo database
)

func main() {
	if !heapProfiled(os.Getenv("GODEBUG")) {
		runtime.MemProfileRate = 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// heapProfiled reports whether the process keeps a heap profile. Go
// samples one allocation in every 512 KB and keeps, for the life of the
// process, a record of every distinct stack it sampled: 3 MB after the
// benchmark's run, in a server that serves no profile to anyone. So the
// program profiles its heap only when asked with the runtime's own
// setting, GODEBUG=memprofilerate=N (N bytes between samples), as
// "peercircle bench --profile" asks its product server.
func heapProfiled(godebug string) bool {
	for _, kv := range strings.Split(godebug, ",") {
		if k, _, ok := strings.Cut(strings.TrimSpace(kv), "="); ok && k == "memprofilerate" {
			return true
		}
	}
	return false
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, env *env) int
}

// env carries the process's streams, so tests run Main in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func commands() []command {
	return []command{
		{"serve", "serve the web app on an existing database", runServe},
		{"demo", "serve the web app with a generated demo organisation", runDemo},
		{"migrate", "bring the database schema up to date and exit", runMigrate},
		{"user", "add people, set passwords and grant roles", runUser},
		{"backup", "write a consistent copy of the SQLite database while serving", runBackup},
		{"restore", "replace the SQLite database with a backup (server stopped)", runRestore},
		{"guard", "check a text for protected names and personal identifiers", runGuard},
		{"report", "write a quarterly report or roll-up as csv, xlsx, pdf or dhis2", runReport},
		{"seed", "generate an organisation (demo or national scale) into an empty database", runSeed},
		{"bench", "measure the product against a bare baseline on the national data set", runBench},
		{"import", "import a programme's organisation tree from CSV files (dry run first)", runImport},
	}
}

const usage = `PeerCircle runs peer support group programmes.

Usage:
  peercircle <command> [flags]

Commands:
%s
Every flag can also be set with an environment variable: --data-dir is
PEERCIRCLE_DATA_DIR, --database is PEERCIRCLE_DATABASE, and so on. Flags win
over the environment.

Run "peercircle <command> --help" for the flags of a command.
`

// Main runs the command line and returns the exit status.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	cmds := commands()
	list := ""
	for _, c := range cmds {
		list += fmt.Sprintf("  %-9s %s\n", c.name, c.summary)
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(stdout, usage, list)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range cmds {
		if c.name == args[0] {
			return c.run(ctx, args[1:], e)
		}
	}
	fmt.Fprintf(stderr, "peercircle: unknown command %q\n\n", args[0])
	fmt.Fprintf(stderr, usage, list)
	return 2
}
