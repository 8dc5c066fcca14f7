package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/peercircle/peercircle/bench"
	"github.com/peercircle/peercircle/demo"
)

const benchUsage = `Usage: peercircle bench [flags]

Measures PeerCircle on the national-scale data set (generated on first use and
kept under --dir): starts the product and a bare net/http baseline that runs the
same SQL, drives both over loopback with simulated people, and prints per
scenario the maximum throughput, p50/p95/p99 at half of it (open loop), the
product's throughput as a share of the baseline's, allocations per request and
memory, on SQLite and PostgreSQL. Writes the figures as JSON (and in Go's
benchmark format for benchstat) under --dir/results/. See bench/README.md.

Examples:
  peercircle bench
  peercircle bench --backends sqlite --only member_home,group_page --profile
  peercircle bench --postgres postgres://peercircle@db/bench_empty

Flags:
`

func runBench(ctx context.Context, args []string, e *env) int {
	var c Config
	fs := flag.NewFlagSet("peercircle bench", flag.ContinueOnError)
	var child, backends, only, out, asOf string
	var o bench.Options
	var pin bool
	fs.StringVar(&child, "child", "", "internal: serve as the benchmark's product or baseline server")
	storageFlags(fs, &c)
	fs.StringVar(&backends, "backends", "sqlite,postgres", "backends to measure, comma-separated")
	fs.StringVar(&o.PostgresURL, "postgres", "", "an empty PostgreSQL database to use (default: start a throwaway server, if PostgreSQL is installed)")
	fs.StringVar(&o.Dir, "dir", filepath.Join("build", "bench"), "where data sets, results and profiles are kept")
	fs.StringVar(&o.Scale, "scale", "national", "the generated data set: national (300 sites, five years) or country (3 000 sites, ten years; generating it takes minutes)")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the data set and of the simulated people")
	fs.StringVar(&asOf, "as-of", "", "the data set's today, YYYY-MM-DD (default: today)")
	fs.DurationVar(&o.Warmup, "warmup", 200*time.Millisecond, "warm-up before each measured phase")
	fs.DurationVar(&o.MaxFor, "max", 1200*time.Millisecond, "length of each side's maximum-throughput phase, split into --rounds")
	fs.IntVar(&o.Rounds, "rounds", 3, "rounds alternating between product and baseline in the maximum phase (the median counts; their spread is reported)")
	fs.DurationVar(&o.Soak, "soak", 0, "run the soak instead of the scenarios for this long (e.g. 10m): mixed traffic on one core with a 256 MB memory limit")
	fs.Float64Var(&o.SoakRate, "soak-rate", 20, "the soak's requests per second")
	fs.IntVar(&o.MinRequests, "min-requests", 300, "fewest requests in a warm-up or a maximum round, however long that takes (heavy pages reach their steady state)")
	fs.DurationVar(&o.RateFor, "rate", 2*time.Second, "length of each constant-rate phase (at half the maximum)")
	fs.IntVar(&o.Clients, "clients", 8, "closed-loop clients for the maximum throughput of pages")
	fs.IntVar(&o.Writers, "writers", 50, "concurrent writers for the write scenarios")
	fs.BoolVar(&pin, "pin", runtime.NumCPU() >= 2, "run the servers and the load on different cores")
	fs.StringVar(&o.ServerCPUs, "server-cpus", "0", "cores for the servers when pinning (taskset list)")
	fs.StringVar(&o.LoadCPUs, "load-cpus", "1", "cores for the load when pinning")
	fs.StringVar(&only, "only", "", "scenarios to run, comma-separated (default: all)")
	fs.BoolVar(&o.Profile, "profile", false, "record a CPU profile of the product during each maximum-throughput phase (and the middle half of a soak), and its heap after the run")
	fs.IntVar(&o.StartupRuns, "startup-runs", 3, "times to measure start-up to ready (the median is reported)")
	fs.StringVar(&out, "out", "", "the JSON result file (default: <dir>/results/<time>.json)")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, benchUsage)
		fs.PrintDefaults()
		fmt.Fprintf(e.stderr, "\nScenarios: ")
		for i, sc := range bench.Scenarios {
			if i > 0 {
				fmt.Fprint(e.stderr, ", ")
			}
			fmt.Fprint(e.stderr, sc.Name)
		}
		fmt.Fprintln(e.stderr)
	}
	if err := parse(fs, args, e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if child != "" {
		if err := benchChild(ctx, child, &c, e); err != nil {
			fmt.Fprintln(e.stderr, "peercircle bench:", err)
			return 1
		}
		return 0
	}

	so := seedOptions{AsOf: asOf}
	var err error
	if o.AsOf, err = so.asOf(); err != nil {
		fmt.Fprintln(e.stderr, "peercircle bench:", err)
		return 2
	}
	if o.Exe, err = os.Executable(); err != nil {
		fmt.Fprintln(e.stderr, "peercircle bench:", err)
		return 1
	}
	if _, ok := demo.Scales[o.Scale]; !ok {
		fmt.Fprintf(e.stderr, "peercircle bench: --scale %q: unknown scale (national or country)\n", o.Scale)
		return 2
	}
	o.Backends = split(backends)
	o.Only = split(only)
	for _, name := range o.Only {
		if !knownScenario(name) {
			fmt.Fprintf(e.stderr, "peercircle bench: unknown scenario %q\n", name)
			return 2
		}
	}
	if !pin {
		o.ServerCPUs, o.LoadCPUs = "", ""
	}
	o.Out = e.stdout
	res, err := bench.Run(ctx, o)
	if res != nil && len(res.Backends) > 0 {
		res.WriteTable(e.stdout)
		if out == "" {
			out = filepath.Join(o.Dir, "results", res.Started.Format("20060102-150405")+".json")
		}
		if werr := res.WriteJSON(out); werr != nil {
			fmt.Fprintln(e.stderr, "peercircle bench:", werr)
			return 1
		}
		txt := strings.TrimSuffix(out, ".json") + ".txt"
		if f, werr := os.Create(txt); werr == nil {
			res.WriteBenchfmt(f)
			f.Close()
		}
		fmt.Fprintf(e.stdout, "\n%s\nresults: %s (benchstat: %s)\n", res.Summary(), out, txt)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle bench:", err)
		return 1
	}
	return 0
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func knownScenario(name string) bool {
	for _, sc := range bench.Scenarios {
		if sc.Name == name {
			return true
		}
	}
	return false
}

// benchChild serves the product (wired exactly as `serve` wires it, job
// runner included) or the baseline, for the benchmark that started it.
func benchChild(ctx context.Context, kind string, c *Config, e *env) error {
	log, err := c.logger(e.stderr)
	if err != nil {
		return err
	}
	switch kind {
	case "product":
		a, err := openApp(ctx, c, log)
		if err != nil {
			return err
		}
		defer a.close()
		return bench.ServeChild(ctx, e.stdout, a.serve)
	case "baseline":
		keys, err := c.keys()
		if err != nil {
			return err
		}
		db, err := c.openDB()
		if err != nil {
			return err
		}
		defer db.Close()
		h := bench.NewBaseline(db, keys)
		return bench.ServeChild(ctx, e.stdout, func(ctx context.Context, ln net.Listener) error {
			return bench.ServeHandler(ctx, ln, h)
		})
	}
	return fmt.Errorf("--child must be product or baseline")
}
