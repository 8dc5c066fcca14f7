// Package bench measures PeerCircle on the national-scale data set: it
// starts the product and a bare baseline as servers, drives both over
// loopback with simulated people doing what real ones do, and reports per
// scenario the maximum throughput, the latency at half of it (open loop),
// the product's throughput as a share of the baseline's, allocations per
// request and memory, on SQLite and PostgreSQL. See bench/README.md.
package bench

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/internal/pgtest"
	"github.com/peercircle/peercircle/seal"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/postgres"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

// Options configure a run.
type Options struct {
	Exe         string   // the peercircle binary, run for the servers and the generator
	Backends    []string // "sqlite", "postgres"
	PostgresURL string   // an empty database to use; "" starts a throwaway server
	Dir         string   // where data sets, results and profiles go
	Scale       string   // the generated data set's scale: "national" (the default) or "country"
	Seed        uint64
	AsOf        time.Time
	Warmup      time.Duration
	MaxFor      time.Duration // each maximum-throughput phase
	RateFor     time.Duration // each constant-rate phase
	Rounds      int           // alternating product/baseline rounds in the maximum phase
	// MinRequests is the fewest requests a warm-up or a maximum round
	// takes, however long that is (up to ten times its length): a page at
	// twenty requests a second needs more than a second to reach its steady
	// state.
	MinRequests int
	// Soak, when set, runs the soak instead of the scenarios: mixed
	// traffic at SoakRate for that long on a product with GOMAXPROCS=1
	// and a 256 MB memory limit.
	Soak        time.Duration
	SoakRate    float64
	Clients     int      // closed-loop clients for reads
	Writers     int      // concurrent writers for writes
	ServerCPUs  string   // taskset list for the servers, "" for no pinning
	LoadCPUs    string   // for this process
	Only        []string // scenario names; empty runs all
	Profile     bool     // CPU-profile the product during each maximum phase and the middle of a soak
	StartupRuns int
	Out         io.Writer // the table and progress
}

// Result is one run, written as JSON so runs can be compared.
type Result struct {
	Version  int              `json:"version"`
	Started  time.Time        `json:"started"`
	Seconds  float64          `json:"seconds"`
	Commit   string           `json:"commit,omitempty"`
	Machine  Machine          `json:"machine"`
	Settings map[string]any   `json:"settings"`
	Backends []*BackendResult `json:"backends"`
}

// Machine describes where the run happened; the load average says how
// quiet the machine was.
type Machine struct {
	CPUs        int      `json:"cpus"`
	GOOS        string   `json:"goos"`
	GOARCH      string   `json:"goarch"`
	Go          string   `json:"go"`
	LoadBefore  string   `json:"load_before"`
	LoadAfter   string   `json:"load_after"`
	ServerCPUs  string   `json:"server_cpus"`
	LoadCPUs    string   `json:"load_cpus"`
	PinWarnings []string `json:"pin_warnings,omitempty"`
}

// BackendResult is one backend's figures.
type BackendResult struct {
	Backend          string    `json:"backend"`
	Dataset          Dataset   `json:"dataset"`
	StartupMS        float64   `json:"startup_ms"` // median, process start to /readyz answering
	StartupRuns      []float64 `json:"startup_runs_ms"`
	RSSAfterMB       float64   `json:"rss_after_mb"`           // the product's resident memory after the run
	RSSAfterGCMB     float64   `json:"rss_after_gc_mb"`        // the same after a GC returned what it could
	PeakMB           float64   `json:"peak_mb"`                // the product's highest resident memory
	HeapProfile      string    `json:"heap_profile,omitempty"` // what the product's heap held after the run (--profile)
	BaselinePeakMB   float64   `json:"baseline_peak_mb"`       // the baseline's
	Locked           int       `json:"database_is_locked"`     // log lines saying "database is locked"
	LogErrors        int       `json:"log_errors"`
	StartJobsSeconds float64   `json:"start_jobs_seconds"`    // how long the product's start-up jobs, and delivering what they queued, ran before the scenarios
	LogNotable       []string  `json:"log_notable,omitempty"` // the first warnings and errors the product logged
	// Bare is the bare page (one indexed query, one template) served by
	// the same binary on the same data: the physical limit of a page.
	Bare *Side `json:"bare,omitempty"`
	// Soak is the soak's figures when the run was one (--soak).
	Soak      *SoakResult       `json:"soak,omitempty"`
	Scenarios []*ScenarioResult `json:"scenarios"`
	Targets   []Target          `json:"targets"`
}

// Dataset says which data the backend ran on.
type Dataset struct {
	Key             string  `json:"key"`
	Generated       bool    `json:"generated"` // false: reused from an earlier run
	GenerateSeconds float64 `json:"generate_seconds,omitempty"`
	GeneratorOutput string  `json:"generator_output,omitempty"`
}

// ScenarioResult compares the product and the baseline on one scenario.
type ScenarioResult struct {
	Name      string  `json:"name"`
	What      string  `json:"what"`
	Write     bool    `json:"write"`
	Clients   int     `json:"clients"`
	Product   Side    `json:"product"`
	Baseline  Side    `json:"baseline"`
	Ratio     float64 `json:"ratio"`   // product max req/s ÷ baseline max req/s
	VsBare    float64 `json:"vs_bare"` // product max req/s ÷ the bare page's
	P99Target float64 `json:"p99_target_ms"`
	Profile   string  `json:"profile,omitempty"`
}

// Side is one server's figures on a scenario.
type Side struct {
	Max          Latencies `json:"max"`      // closed loop: the throughput
	Rate         Latencies `json:"at_half"`  // open loop at half the maximum: the latency
	RateRPS      float64   `json:"rate_rps"` // the rate asked for
	AllocsPerReq float64   `json:"allocs_per_req"`
	// QueriesPerReq is SQL statements per request (issue 14's budget: 6).
	QueriesPerReq float64 `json:"queries_per_req"`
	BytesPerReq   float64 `json:"bytes_per_req"`
	// MaxCPU and RateCPU are the server's CPU time over the phase's wall
	// time: near 1 (one core) at the maximum, near half at half of it. Much
	// less while latency grows means something else had the core.
	MaxCPU  float64 `json:"max_cpu"`
	RateCPU float64 `json:"rate_cpu"`
	// Rounds are each maximum round's throughput, in the order run;
	// Spread is (fastest − slowest) ÷ median, in per cent: above 10 % the
	// machine was not quiet or the page had not settled.
	Rounds []float64 `json:"rounds_rps"`
	Spread float64   `json:"spread_pct"`
	// RoundSeconds is the length of the longest round (a heavy page's
	// rounds last until they have MinRequests).
	RoundSeconds float64 `json:"round_s"`
}

// Target is one of the targets, met or not.
type Target struct {
	What string  `json:"what"`
	Want string  `json:"want"`
	Got  float64 `json:"got"`
	Unit string  `json:"unit"`
	Met  bool    `json:"met"`
}

// datasetVersion changes when the generator writes different rows, so an
// old cached data set is generated again.
const datasetVersion = 2

// Run runs the benchmark and returns its result.
func Run(ctx context.Context, opt Options) (*Result, error) {
	start := time.Now()
	res := &Result{Version: 1, Started: start.UTC(), Commit: gitCommit(), Machine: Machine{
		CPUs: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Go: runtime.Version(),
		LoadBefore: loadAverage(), ServerCPUs: opt.ServerCPUs, LoadCPUs: opt.LoadCPUs,
	}, Settings: map[string]any{
		"scale": opt.scale(), "seed": opt.Seed, "as_of": opt.AsOf.Format("2006-01-02"), "warmup_s": opt.Warmup.Seconds(),
		"max_s": opt.MaxFor.Seconds(), "rate_s": opt.RateFor.Seconds(), "rounds": opt.Rounds, "min_requests": opt.MinRequests, "soak_s": opt.Soak.Seconds(), "soak_rate": opt.SoakRate, "clients": opt.Clients, "writers": opt.Writers,
	}}
	if opt.ServerCPUs != "" {
		if _, err := exec.LookPath("taskset"); err != nil {
			res.Machine.PinWarnings = append(res.Machine.PinWarnings, "taskset not found: servers not pinned")
			opt.ServerCPUs = ""
		}
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, err
	}
	for _, backend := range opt.Backends {
		br, err := runBackend(ctx, opt, backend, res)
		if err != nil {
			return res, fmt.Errorf("%s: %w", backend, err)
		}
		res.Backends = append(res.Backends, br)
	}
	res.Machine.LoadAfter = loadAverage()
	res.Seconds = round(time.Since(start).Seconds(), 1)
	return res, nil
}

func (opt *Options) logf(format string, args ...any) {
	if opt.Out != nil {
		fmt.Fprintf(opt.Out, format+"\n", args...)
	}
}

// target is where a backend's data lives: the flags that point the
// product at it, and how to open it here.
type target struct {
	args  []string // --data-dir, --database
	open  func() (*sqlstore.DB, error)
	close func()
}

// scale is the data set's scale, national unless chosen.
func (opt *Options) scale() string { return cmp.Or(opt.Scale, "national") }

func datasetKey(opt Options) string {
	return fmt.Sprintf("%s-seed%d-%s-v%d-m%d", opt.scale(), opt.Seed, opt.AsOf.Format("20060102"), datasetVersion, migrationCount())
}

func migrationCount() int {
	db := sqlstore.NewDB(sqlite.Dialect, nil, nil)
	ms, _ := db.Migrations()
	return len(ms)
}

// prepare finds or generates the data set for a backend.
func prepare(ctx context.Context, opt Options, backend string) (*target, Dataset, error) {
	key := datasetKey(opt)
	ds := Dataset{Key: key}
	var t target
	switch backend {
	case "sqlite":
		dir := filepath.Join(opt.Dir, "data", "sqlite-"+key)
		t.args = []string{"--data-dir", dir}
		t.open = func() (*sqlstore.DB, error) { return sqlite.Open(filepath.Join(dir, "peercircle.db")) }
		t.close = func() {}
		if ok, err := hasDataset(t.open, key); err == nil && ok {
			return &t, ds, nil
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, ds, err
		}
	case "postgres":
		url := opt.PostgresURL
		t.close = func() {}
		if url == "" {
			srv, err := pgtest.Start(ctx)
			if err != nil {
				return nil, ds, fmt.Errorf("no --postgres URL given and no throwaway server: %w", err)
			}
			t.close = func() { srv.Stop() }
			if err := srv.CreateDatabase(ctx, "bench", ""); err != nil {
				t.close()
				return nil, ds, err
			}
			url = srv.DSN("bench")
			opt.logf("postgres: a throwaway server (fsync off: faster than a real one at writes)")
		}
		dir := filepath.Join(opt.Dir, "data", "postgres-key")
		t.args = []string{"--data-dir", dir, "--database", url}
		t.open = func() (*sqlstore.DB, error) { return postgres.Open(url) }
		if ok, err := hasDataset(t.open, key); err != nil {
			t.close()
			return nil, ds, err
		} else if ok {
			return &t, ds, nil
		}
	default:
		return nil, ds, fmt.Errorf("unknown backend %q", backend)
	}

	opt.logf("%s: generating the %s data set ...", backend, opt.scale())
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, opt.Exe, append([]string{"seed", "--scale", opt.scale(),
		"--seed", fmt.Sprint(opt.Seed), "--as-of", opt.AsOf.Format("2006-01-02")}, t.args...)...)
	out, err := cmd.CombinedOutput()
	ds.GenerateSeconds = round(time.Since(t0).Seconds(), 1)
	ds.GeneratorOutput = strings.TrimSpace(string(out))
	if err != nil {
		t.close()
		return nil, ds, fmt.Errorf("generating: %w\n%s", err, out)
	}
	ds.Generated = true
	opt.logf("%s: generated in %.1fs", backend, ds.GenerateSeconds)
	db, err := t.open()
	if err != nil {
		t.close()
		return nil, ds, err
	}
	defer db.Close()
	// Plan the meetings ahead once, as the product's first start does: each
	// run then starts like an installation that has run before, whose
	// start-up planning finds nothing changed (the first start after an
	// upgrade pays this once; it is logged here).
	store := sqlstore.New(db, nil)
	t0 = time.Now()
	planned, err := store.MaterialiseAll(ctx, store.Horizon(ctx))
	if err != nil {
		t.close()
		return nil, ds, fmt.Errorf("planning ahead: %w", err)
	}
	opt.logf("%s: planned meetings ahead for %d groups in %.1fs (added %d, updated %d)", backend, planned.Groups,
		time.Since(t0).Seconds(), planned.Added, planned.Updated)
	if err := store.SetSetting(ctx, "bench.dataset", key); err != nil {
		t.close()
		return nil, ds, err
	}
	return &t, ds, nil
}

// hasDataset reports whether the database holds the data set key; it is an
// error for it to hold something else (never overwrite someone's data).
func hasDataset(open func() (*sqlstore.DB, error), key string) (bool, error) {
	db, err := open()
	if err != nil {
		return false, err
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		return false, err
	}
	s := sqlstore.New(db, nil)
	got, err := s.Setting(ctx, "bench.dataset", "")
	if err != nil {
		return false, err
	}
	if got == key {
		return true, nil
	}
	if seeded, err := demo.Seeded(ctx, s); err != nil || seeded {
		if got == "" {
			return false, errors.New("the database holds data that is not a benchmark data set: give an empty one")
		}
		return false, fmt.Errorf("the database holds the data set %s, not %s: give an empty one", got, key)
	}
	return false, nil
}

func runBackend(ctx context.Context, opt Options, backend string, res *Result) (*BackendResult, error) {
	br := &BackendResult{Backend: backend}
	t, ds, err := prepare(ctx, opt, backend)
	br.Dataset = ds
	if err != nil {
		return nil, err
	}
	defer t.close()

	// From here on the load keeps to its own cores.
	if opt.LoadCPUs != "" {
		if err := pinSelf(opt.LoadCPUs); err != nil {
			res.Machine.PinWarnings = append(res.Machine.PinWarnings, "load not pinned: "+err.Error())
		}
	}

	// Each run writes: on SQLite it runs on a copy, so the generated data
	// set stays as it was for the next run.
	runArgs := t.args
	open := t.open
	if backend == "sqlite" {
		if runArgs, err = copySQLite(t.args, "run-product"); err != nil {
			return nil, err
		}
		dir := runArgs[1]
		open = func() (*sqlstore.DB, error) { return sqlite.Open(filepath.Join(dir, "peercircle.db")) }
	}
	db, err := open()
	if err != nil {
		return nil, err
	}
	keys, err := keysIn(runArgs)
	if err != nil {
		db.Close()
		return nil, err
	}
	cast, err := NewCast(ctx, sqlstore.New(db, keys), opt.Seed)
	db.Close()
	if err != nil {
		return nil, err
	}

	opt.logf("%s: start-up to ready ...", backend)
	for range max(1, opt.StartupRuns) {
		d, err := startup(ctx, opt, runArgs)
		if err != nil {
			return nil, err
		}
		br.StartupRuns = append(br.StartupRuns, ms(d))
	}
	sorted := slices.Clone(br.StartupRuns)
	sort.Float64s(sorted)
	br.StartupMS = sorted[len(sorted)/2]

	var env []string
	if opt.Soak > 0 {
		env = append(env, soakEnv...)
	}
	if opt.Profile {
		// The product keeps a heap profile only when asked (at Go's
		// default rate; a rate of the caller's own, later, wins), for the
		// heap profile taken after the run.
		godebug := "memprofilerate=524288"
		if g := os.Getenv("GODEBUG"); g != "" {
			godebug += "," + g
		}
		env = append(env, "GODEBUG="+godebug)
	}
	product, err := startChildEnv(ctx, "product", opt.ServerCPUs, opt.Exe, env, append([]string{"bench", "--child", "product"}, runArgs...)...)
	if err != nil {
		return nil, err
	}
	defer product.stop()
	// The product plans meetings ahead and sends nudges when it starts: let
	// that settle, so the scenarios measure the steady state.
	t0 := time.Now()
	if err := jobsSettled(ctx, backend, runArgs, 90*time.Second); err != nil {
		opt.logf("%s: background jobs still running after %v: %v", backend, time.Since(t0).Round(time.Second), err)
	}
	br.StartJobsSeconds = round(time.Since(t0).Seconds(), 1)
	if opt.Soak > 0 {
		opt.logf("%s: soak for %v at %.0f req/s (GOMAXPROCS=1, GOMEMLIMIT=256MiB) ...", backend, opt.Soak, opt.SoakRate)
		if opt.Profile {
			// A CPU profile of the soak's middle: what one core spends on
			// mixed traffic with writes, which a page's maximum phase
			// (reads only) does not show.
			path := filepath.Join(opt.Dir, "profiles", backend+"-soak.pprof")
			go func() {
				time.Sleep(opt.Soak / 4)
				if err := product.profile(ctx, max(opt.Soak/2, time.Second), path); err != nil {
					opt.logf("%s: soak profile: %v", backend, err)
				} else {
					opt.logf("%s: soak profile: %s", backend, path)
				}
			}()
		}
		if br.Soak, err = runSoak(ctx, opt, product, newClient(product.app, 64), cast, opt.Soak, opt.SoakRate, opt.Out); err != nil {
			return nil, err
		}
		if st, err := product.readStats(ctx, false); err == nil {
			br.RSSAfterMB, br.PeakMB = mb(st.RSS), mb(st.Peak)
		}
		br.Locked, br.LogErrors, br.LogNotable = product.logs.counts()
		br.Targets = br.Soak.Targets
		return br, nil
	}
	baseArgs := runArgs
	if backend == "sqlite" {
		// The baseline gets its own copy of the file: two processes
		// writing one SQLite file would queue on each other's locks, which
		// never happens to the product (one process per file).
		if baseArgs, err = copySQLite(runArgs, "run-baseline"); err != nil {
			return nil, err
		}
	}
	baseline, err := startChild(ctx, "baseline", opt.ServerCPUs, opt.Exe, append([]string{"bench", "--child", "baseline"}, baseArgs...)...)
	if err != nil {
		return nil, err
	}
	defer baseline.stop()

	conns := max(opt.Clients, opt.Writers)
	pc, bc := newClient(product.app, conns), newClient(baseline.app, conns)
	if len(cast.Members) > 0 {
		if br.Bare, err = measureBare(ctx, opt, cast, baseline, bc); err != nil {
			return nil, err
		}
		opt.logf("%s: %-14s %7.0f req/s (spread %.1f %%)  allocs/req %6.0f", backend, "bare_page", br.Bare.Max.RPS, br.Bare.Spread, br.Bare.AllocsPerReq)
	}
	for _, sc := range Scenarios {
		if len(opt.Only) > 0 && !slices.Contains(opt.Only, sc.Name) {
			continue
		}
		sr, err := runScenario(ctx, opt, backend, sc, cast, product, baseline, pc, bc)
		if err != nil {
			return nil, err
		}
		if br.Bare != nil && br.Bare.Max.RPS > 0 && !sc.Write {
			sr.VsBare = round(sr.Product.Max.RPS/br.Bare.Max.RPS, 3)
		}
		br.Scenarios = append(br.Scenarios, sr)
		opt.logf("%s: %-14s product %7.0f req/s  baseline %7.0f req/s  ratio %.2f  p99 %6.1f ms  allocs/req %6.0f",
			backend, sc.Name, sr.Product.Max.RPS, sr.Baseline.Max.RPS, sr.Ratio, sr.Product.Rate.P99, sr.Product.AllocsPerReq)
	}

	st, err := product.readStats(ctx, false)
	if err != nil {
		return nil, err
	}
	br.RSSAfterMB, br.PeakMB = mb(st.RSS), mb(st.Peak)
	if st, err := product.readStats(ctx, true); err == nil {
		br.RSSAfterGCMB = mb(st.RSS)
	}
	if opt.Profile {
		br.HeapProfile = filepath.Join(opt.Dir, "profiles", backend+"-heap.pprof")
		if err := product.heapProfile(ctx, br.HeapProfile); err != nil {
			opt.logf("heap profile: %v", err)
			br.HeapProfile = ""
		}
	}
	if st, err := baseline.readStats(ctx, false); err == nil {
		br.BaselinePeakMB = mb(st.Peak)
	}
	br.Locked, br.LogErrors, br.LogNotable = product.logs.counts()
	br.Targets = targets(br)
	return br, nil
}

func mb(b uint64) float64 { return round(float64(b)/(1<<20), 1) }

// startup runs `peercircle serve` on the data set and measures from the
// process start to /readyz answering 200.
func startup(ctx context.Context, opt Options, dbArgs []string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := command(ctx, opt.ServerCPUs, opt.Exe, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, dbArgs...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		cmd.Cancel()
		cmd.Wait()
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				addr <- a
			}
		}
		close(addr)
	}()
	base, ok := <-addr
	if !ok {
		return 0, fmt.Errorf("peercircle serve did not start:\n%s", stderr.String())
	}
	cl := &http.Client{Timeout: time.Second}
	for ctx.Err() == nil {
		res, err := cl.Get(base + "/readyz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(t0), nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	return 0, fmt.Errorf("peercircle serve was not ready within a minute:\n%s", stderr.String())
}

// runScenario measures one scenario on the product and the baseline. The
// maximum throughput is measured in rounds that alternate between the two,
// so that a burst of other work on the machine hits both alike, and each
// side's figure is the median of its rounds; then each side's latency is
// measured at half its own maximum.
func runScenario(ctx context.Context, opt Options, backend string, sc *Scenario, cast *Cast,
	product, baseline *child, pc, bc *client) (*ScenarioResult, error) {
	clients := opt.Clients
	if sc.Write {
		clients = opt.Writers
	}
	sr := &ScenarioResult{Name: sc.Name, What: sc.What, Write: sc.Write, Clients: clients, P99Target: sc.P99Target}
	h := fnv.New64a()
	h.Write([]byte(sc.Name))
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(opt.Seed, h.Sum64()))
	next := func(build func(*Cast, *rand.Rand) Request) func() Request {
		return func() Request {
			mu.Lock()
			defer mu.Unlock()
			return build(cast, r)
		}
	}
	sides := []*side{
		{ch: product, cl: pc, next: next(sc.product), out: &sr.Product},
		{ch: baseline, cl: bc, next: next(sc.baselineRequest), out: &sr.Baseline},
	}
	if opt.Profile {
		sr.Profile = filepath.Join(opt.Dir, "profiles", backend+"-"+sc.Name+".pprof")
		os.MkdirAll(filepath.Dir(sr.Profile), 0o755)
	}
	for _, sd := range sides {
		closedLoopAtLeast(ctx, sd.cl, clients, opt.Warmup, opt.MinRequests, sd.next)
	}
	var profErr error
	var wg sync.WaitGroup
	if sr.Profile != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := max(time.Second, (2 * opt.MaxFor).Truncate(time.Second))
			profErr = product.profile(ctx, d, sr.Profile)
		}()
	}
	rounds := max(1, opt.Rounds)
	for range rounds {
		for _, sd := range sides {
			if err := sd.round(ctx, clients, opt.MaxFor/time.Duration(rounds), opt.MinRequests); err != nil {
				return nil, err
			}
		}
	}
	wg.Wait()
	if profErr != nil {
		opt.logf("profile: %v", profErr)
	}
	for _, sd := range sides {
		sd.finish()
		if err := sd.rate(ctx, opt.RateFor); err != nil {
			return nil, err
		}
	}
	if sr.Baseline.Max.RPS > 0 {
		sr.Ratio = round(sr.Product.Max.RPS/sr.Baseline.Max.RPS, 2)
	}
	return sr, nil
}

// side is one server's measurement on a scenario.
type side struct {
	ch         *child
	cl         *client
	next       func() Request
	out        *Side
	rounds     []Latencies
	allocs     uint64
	statements int64
	bytes      uint64
	cpu        float64
	wall       time.Duration
}

// round runs one closed-loop round, counting the server's allocations.
func (sd *side) round(ctx context.Context, clients int, d time.Duration, minRequests int) error {
	before, err := sd.ch.readStats(ctx, false)
	if err != nil {
		return err
	}
	t0 := time.Now()
	l := closedLoopAtLeast(ctx, sd.cl, clients, d, minRequests, sd.next)
	after, err := sd.ch.readStats(ctx, false)
	if err != nil {
		return err
	}
	sd.rounds = append(sd.rounds, l)
	sd.allocs += after.Allocs - before.Allocs
	sd.statements += after.Statements - before.Statements
	sd.bytes += after.AllocBytes - before.AllocBytes
	sd.cpu += after.CPU - before.CPU
	sd.wall += time.Since(t0)
	return nil
}

// rate runs the constant-rate phase at half the maximum.
func (sd *side) rate(ctx context.Context, d time.Duration) error {
	before, err := sd.ch.readStats(ctx, false)
	if err != nil {
		return err
	}
	t0 := time.Now()
	sd.out.Rate = openLoop(ctx, sd.cl, sd.out.RateRPS, d, sd.next)
	after, err := sd.ch.readStats(ctx, false)
	if err != nil {
		return err
	}
	sd.out.RateCPU = round((after.CPU-before.CPU)/time.Since(t0).Seconds(), 2)
	return ctx.Err()
}

// finish takes the median round as the maximum and sets the rate.
func (sd *side) finish() {
	rs := slices.Clone(sd.rounds)
	slices.SortFunc(rs, func(a, b Latencies) int { return cmp.Compare(a.RPS, b.RPS) })
	sd.out.Max = rs[len(rs)/2]
	total, errs := 0, 0
	for _, l := range sd.rounds {
		total += l.Requests
		errs += l.Errors
		if sd.out.Max.FirstError == "" {
			sd.out.Max.FirstError = l.FirstError
		}
	}
	sd.out.Max.Errors = errs
	sd.out.Rounds = nil
	for _, l := range sd.rounds {
		sd.out.Rounds = append(sd.out.Rounds, round(l.RPS, 1))
	}
	if med := sd.out.Max.RPS; med > 0 {
		sd.out.Spread = round(100*(rs[len(rs)-1].RPS-rs[0].RPS)/med, 1)
	}
	if n := len(sd.rounds); n > 0 && sd.wall > 0 {
		sd.out.RoundSeconds = round(sd.wall.Seconds()/float64(n), 1)
	}
	if total > 0 {
		sd.out.AllocsPerReq = round(float64(sd.allocs)/float64(total), 0)
		sd.out.QueriesPerReq = round(float64(sd.statements)/float64(total), 1)
		sd.out.BytesPerReq = round(float64(sd.bytes)/float64(total), 0)
	}
	sd.out.RateRPS = round(sd.out.Max.RPS/2, 1)
	if sd.wall > 0 {
		sd.out.MaxCPU = round(sd.cpu/sd.wall.Seconds(), 2)
	}
}

// targets checks the targets against a backend's figures. They are
// set for SQLite on a 2-core machine; PostgreSQL's are reported the same way.
func targets(br *BackendResult) []Target {
	var out []Target
	for _, sc := range br.Scenarios {
		if !sc.Write {
			out = append(out, Target{What: sc.Name + " throughput ÷ baseline", Want: fmt.Sprintf("≥ %.1f", targetRatio),
				Got: sc.Ratio, Unit: "×", Met: sc.Ratio >= targetRatio})
		}
		p99 := sc.Product.Rate.P99
		out = append(out, Target{What: sc.Name + " p99 at half the maximum rate", Want: fmt.Sprintf("< %.0f ms", sc.P99Target),
			Got: p99, Unit: "ms", Met: p99 < sc.P99Target && sc.Product.Rate.Errors == 0})
		if sc.Write {
			errs := float64(sc.Product.Max.Errors + sc.Product.Rate.Errors)
			out = append(out, Target{What: sc.Name + " failed writes", Want: "0", Got: errs, Unit: "", Met: errs == 0})
		}
	}
	out = append(out,
		Target{What: `"database is locked" in the log`, Want: "0", Got: float64(br.Locked), Met: br.Locked == 0},
		Target{What: "start-up to ready", Want: fmt.Sprintf("< %.0f ms", targetStartup), Got: br.StartupMS, Unit: "ms", Met: br.StartupMS < targetStartup},
		Target{What: "resident memory after the run", Want: fmt.Sprintf("< %.0f MB", targetRSS), Got: br.RSSAfterMB, Unit: "MB", Met: br.RSSAfterMB < targetRSS},
	)
	return out
}

// WriteJSON writes the result to path.
func (r *Result) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// copySQLite copies the SQLite data directory in args (--data-dir DIR) to
// a sibling directory named name and returns args pointing there. The
// source is closed, so its write-ahead log was checkpointed into the file.
func copySQLite(args []string, name string) ([]string, error) {
	out := slices.Clone(args)
	for i := 0; i+1 < len(out); i++ {
		if out[i] != "--data-dir" {
			continue
		}
		src := out[i+1]
		dst := filepath.Join(filepath.Dir(src), name)
		if err := os.RemoveAll(dst); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dst, 0o750); err != nil {
			return nil, err
		}
		for _, name := range []string{"peercircle.db", "peercircle.db-wal", "secret.key"} {
			if err := copyFile(filepath.Join(src, name), filepath.Join(dst, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
		}
		out[i+1] = dst
		return out, nil
	}
	return nil, errors.New("no --data-dir to copy")
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// keysIn loads the key file of the data directory in args, which the
// generator created: the simulated people's writes seal text with it.
func keysIn(args []string) (*seal.Keyring, error) {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "--data-dir" {
			k, err := seal.LoadOrCreateKeyFile(filepath.Join(args[i+1], "secret.key"))
			if err != nil {
				return nil, err
			}
			return seal.NewKeyring(k)
		}
	}
	return nil, errors.New("no --data-dir for the key file")
}

// jobsSettled waits until the database has no queued or running job and
// no message due in the outbox, read through a read-only connection of its
// own. The jobs at start-up queue thousands of reminders on the national
// set; delivering them (two write transactions each) took a fifth of the
// product's core during the first scenarios.
func jobsSettled(ctx context.Context, backend string, args []string, limit time.Duration) error {
	var db *sql.DB
	var err error
	switch backend {
	case "sqlite":
		dir := ""
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "--data-dir" {
				dir = args[i+1]
			}
		}
		db, err = sql.Open("sqlite3", "file:"+filepath.Join(dir, "peercircle.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	default:
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "--database" {
				db, err = sql.Open("pgx", args[i+1])
			}
		}
	}
	if err != nil {
		return err
	}
	if db == nil {
		return errors.New("no database")
	}
	defer db.Close()
	deadline := time.Now().Add(limit)
	for {
		var now any = time.Now().UTC()
		if backend == "sqlite" {
			now = now.(time.Time).Format(time.RFC3339Nano) // as the product writes times there
		}
		var jobs, due int
		err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')),
			(SELECT COUNT(*) FROM outbox WHERE state = 'sending' OR (state = 'queued' AND run_at <= $1))`, now).Scan(&jobs, &due)
		if err == nil && jobs == 0 && due == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("%d jobs queued or running, %d messages due", jobs, due)
			}
			return err
		}
		time.Sleep(250 * time.Millisecond)
	}
}
