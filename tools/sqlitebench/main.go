// Command sqlitebench chooses PeerCircle's SQLite driver by measurement.
//
// It runs the same scenarios on github.com/ncruces/go-sqlite3 and
// modernc.org/sqlite in one process, each scenario alternating the drivers
// (A B A B) so that drift on a shared machine hits both alike, with the
// product's fixed set-up (see package sqlsetup). It prints a table with the
// ratio ncruces ÷ modernc per figure and writes the results as JSON.
//
//	cd tools/sqlitebench && go run . -out results.json
package main

import (
	"context"
	"database/sql"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver"
	_ "modernc.org/sqlite"

	"github.com/peercircle/peercircle/tools/sqlitebench/sqlsetup"
)

// driverSpec names one candidate.
type driverSpec struct {
	Name    string // short name used in the results
	SQL     string // name registered with database/sql
	Module  string // Go module path
	Tiny    string // package of the tiny program, relative to this module
	TimeOpt string // DSN parameter that stores time.Time in an SQLite date format
}

var drivers = []driverSpec{
	{"ncruces", "sqlite3", "github.com/ncruces/go-sqlite3", "./cmd/tinyncruces", "_timefmt=sqlite"},
	{"modernc", "sqlite", "modernc.org/sqlite", "./cmd/tinymodernc", "_time_format=sqlite"},
}

type config struct {
	rows     int
	dur      time.Duration
	rounds   int
	opens    int
	execs    int
	writers  int
	out      string
	dir      string
	noBuild  bool
	verbose  bool
	only     string
	startAll time.Time
}

// Figure is one measured quantity for both drivers.
type Figure struct {
	Scenario string               `json:"scenario"`
	Metric   string               `json:"metric"`
	Unit     string               `json:"unit"`
	Higher   bool                 `json:"higher_is_better"`
	Samples  map[string][]float64 `json:"samples"` // per driver, one per round (or per open/exec)
	Value    map[string]float64   `json:"value"`   // per driver: mean of rounds, or median of samples
	Ratio    float64              `json:"ratio_ncruces_over_modernc"`
	median   bool
}

// Results is what -out receives.
type Results struct {
	Date       string                       `json:"date"`
	GoVersion  string                       `json:"go"`
	OS         string                       `json:"os"`
	CPUs       int                          `json:"cpus"`
	Versions   map[string]string            `json:"driver_versions"`
	SQLite     map[string]string            `json:"sqlite_versions"`
	Config     map[string]any               `json:"config"`
	Figures    []*Figure                    `json:"figures"`
	Builds     map[string]*BuildInfo        `json:"builds,omitempty"`
	Behaviour  map[string]map[string]string `json:"behaviour"`
	Errors     map[string]map[string]int64  `json:"errors"`
	LoadAvg    []string                     `json:"load_average_start_end"`
	WallTimeS  float64                      `json:"wall_time_s"`
	BuildTimeS float64                      `json:"build_time_s,omitempty"`
}

// BuildInfo describes the tiny program built for one driver.
type BuildInfo struct {
	CGOEnabled0 bool    `json:"built_with_cgo_enabled_0"`
	Static      bool    `json:"static_no_interp"`
	Bytes       int64   `json:"bytes"`
	MiB         float64 `json:"mib"`
	Error       string  `json:"error,omitempty"`
	path        string
}

type bench struct {
	cfg     config
	res     *Results
	figs    map[string]*Figure
	errsMu  sync.Mutex
	seeded  map[string]string // driver -> seeded database file
	counter atomic.Int64
}

func main() {
	var cfg config
	flag.IntVar(&cfg.rows, "n", 100_000, "rows in each seeded table (members, sessions, attendance)")
	flag.DurationVar(&cfg.dur, "duration", 3*time.Second, "measuring time of each timed scenario run")
	flag.StringVar(&cfg.out, "out", "results.json", "file to write the JSON results to (empty: none)")
	flag.IntVar(&cfg.rounds, "rounds", 2, "rounds per scenario; each round runs every driver once (A B A B)")
	flag.IntVar(&cfg.opens, "opens", 20, "open samples per driver (the median is reported)")
	flag.IntVar(&cfg.execs, "execs", 10, "cold-start samples per driver (a new process each)")
	flag.IntVar(&cfg.writers, "writers", 50, "goroutines in insert-50-writers")
	flag.StringVar(&cfg.dir, "dir", "", "parent of the temporary directory (default: the system temp dir)")
	flag.BoolVar(&cfg.noBuild, "nobuild", false, "skip building the tiny programs (no binary sizes, no cold start)")
	flag.BoolVar(&cfg.verbose, "v", false, "log each run")
	flag.StringVar(&cfg.only, "only", "", "comma-separated scenarios to run (default: all); seed runs when a read scenario does")
	flag.Parse()
	cfg.startAll = time.Now()

	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "sqlitebench:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	dir, err := os.MkdirTemp(cfg.dir, "sqlitebench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.dir = dir
	startLoad := loadAvg()

	b := &bench{
		cfg:    cfg,
		figs:   map[string]*Figure{},
		seeded: map[string]string{},
		res: &Results{
			Date:      time.Now().UTC().Format("2006-01-02"),
			GoVersion: runtime.Version(),
			OS:        runtime.GOOS + "/" + runtime.GOARCH,
			CPUs:      runtime.NumCPU(),
			Versions:  moduleVersions(),
			SQLite:    map[string]string{},
			Behaviour: map[string]map[string]string{},
			Errors:    map[string]map[string]int64{},
			Config: map[string]any{
				"rows": cfg.rows, "duration": cfg.dur.String(), "rounds": cfg.rounds,
				"opens": cfg.opens, "execs": cfg.execs, "writers": cfg.writers,
				"read_pool":  sqlsetup.ReadPoolSize,
				"writer_dsn": sqlsetup.WriterDSN("PATH"),
				"reader_dsn": sqlsetup.ReaderDSN("PATH"),
			},
		},
	}

	if !cfg.noBuild {
		t0 := time.Now()
		b.res.Builds = b.buildTiny()
		b.res.BuildTimeS = round(time.Since(t0).Seconds(), 1)
	}

	for _, d := range drivers {
		b.res.Behaviour[d.Name], err = b.behaviour(d)
		if err != nil {
			return fmt.Errorf("%s: behaviour: %w", d.Name, err)
		}
	}

	want := func(name string) bool {
		return cfg.only == "" || slices.Contains(strings.Split(cfg.only, ","), name)
	}
	if want("open") {
		if err := b.openScenario(); err != nil {
			return err
		}
	}
	if !cfg.noBuild && want("cold-start") {
		b.execScenario()
	}

	steps := []struct {
		name string
		fn   func(driverSpec) error
	}{
		{"seed", b.seedScenario},
		{"insert-serial", b.insertSerial},
		{"insert-50-writers", b.insertWriters},
		{"read-point", b.readPoint},
		{"read-join-agg", b.readJoinAgg},
		{"mixed", b.mixed},
	}
	for _, s := range steps {
		needSeed := want("read-point") || want("read-join-agg") || want("mixed")
		if !want(s.name) && (s.name != "seed" || !needSeed) {
			continue
		}
		for r := 0; r < cfg.rounds; r++ {
			for _, d := range drivers {
				t0 := time.Now()
				if err := s.fn(d); err != nil {
					return fmt.Errorf("%s %s round %d: %w", s.name, d.Name, r+1, err)
				}
				b.logf("%-18s %-8s round %d  %.1fs", s.name, d.Name, r+1, time.Since(t0).Seconds())
			}
		}
	}

	b.finish()
	b.res.LoadAvg = []string{startLoad, loadAvg()}
	b.res.WallTimeS = round(time.Since(cfg.startAll).Seconds(), 1)
	b.printTable(os.Stdout)
	if cfg.out != "" {
		data, err := json.MarshalIndent(b.res, "", " ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(cfg.out, append(data, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Printf("\nwrote %s (%d bytes)\n", cfg.out, len(data)+1)
	}
	return nil
}

func (b *bench) logf(format string, args ...any) {
	if b.cfg.verbose {
		fmt.Fprintf(os.Stderr, "[%5.1fs] %s\n", time.Since(b.cfg.startAll).Seconds(),
			fmt.Sprintf(format, args...))
	}
}

// freshPath returns a database path in a new directory of its own.
func (b *bench) freshPath(tag string) (string, error) {
	d := filepath.Join(b.cfg.dir, fmt.Sprintf("%03d-%s", b.counter.Add(1), tag))
	if err := os.Mkdir(d, 0o755); err != nil {
		return "", err
	}
	return filepath.Join(d, "peercircle.db"), nil
}

// record adds one sample of a figure for one driver.
func (b *bench) record(scenario, metric, unit string, higher bool, drv string, v float64) {
	key := scenario + "/" + metric
	f := b.figs[key]
	if f == nil {
		f = &Figure{Scenario: scenario, Metric: metric, Unit: unit, Higher: higher,
			Samples: map[string][]float64{}, Value: map[string]float64{}}
		b.figs[key] = f
		b.res.Figures = append(b.res.Figures, f)
	}
	f.Samples[drv] = append(f.Samples[drv], v)
}

func (b *bench) countErr(drv, scenario string, err error) {
	b.errsMu.Lock()
	defer b.errsMu.Unlock()
	m := b.res.Errors[drv]
	if m == nil {
		m = map[string]int64{}
		b.res.Errors[drv] = m
	}
	m[scenario+" "+errKind(err)]++
}

// errKind classifies an error; "locked" is SQLITE_BUSY / "database is locked".
func errKind(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "database is locked"), strings.Contains(s, "SQLITE_BUSY"):
		return "locked"
	case strings.Contains(s, "readonly"), strings.Contains(s, "read-only"):
		return "readonly"
	default:
		return "other: " + firstN(s, 80)
	}
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (b *bench) finish() {
	for _, f := range b.res.Figures {
		for d, xs := range f.Samples {
			if f.median {
				f.Value[d] = median(xs)
			} else {
				f.Value[d] = mean(xs)
			}
			for i := range xs {
				xs[i] = round(xs[i], 3)
			}
		}
		a, c := f.Value["ncruces"], f.Value["modernc"]
		if c != 0 {
			f.Ratio = round(a/c, 3)
		}
		for d, v := range f.Value {
			f.Value[d] = round(v, 3)
		}
	}
	for _, d := range drivers {
		if b.res.Errors[d.Name] == nil {
			b.res.Errors[d.Name] = map[string]int64{}
		}
	}
}

func (b *bench) printTable(w io.Writer) {
	fmt.Fprintf(w, "sqlitebench  %s  %s  %d CPUs  rows=%d  duration=%s  rounds=%d\n",
		b.res.Date, b.res.GoVersion, b.res.CPUs, b.cfg.rows, b.cfg.dur, b.cfg.rounds)
	for _, d := range drivers {
		fmt.Fprintf(w, "  %-8s %s  (SQLite %s)\n", d.Name, b.res.Versions[d.Name], b.res.SQLite[d.Name])
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tmetric\tunit\tncruces\tmodernc\tratio n/m\tbetter\t")
	for _, f := range b.res.Figures {
		better := "modernc"
		if (f.Ratio > 1) == f.Higher {
			better = "ncruces"
		}
		if math.Abs(f.Ratio-1) < 0.05 {
			better = "~same"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t\n", f.Scenario, f.Metric, f.Unit,
			fmtNum(f.Value["ncruces"]), fmtNum(f.Value["modernc"]), f.Ratio, better)
	}
	tw.Flush()
	if b.res.Builds != nil {
		fmt.Fprintln(w)
		for _, d := range drivers {
			bi := b.res.Builds[d.Name]
			fmt.Fprintf(w, "tiny %-8s CGO_ENABLED=0 build ok=%v static=%v size=%.2f MiB %s\n",
				d.Name, bi.CGOEnabled0, bi.Static, bi.MiB, bi.Error)
		}
	}
	fmt.Fprintln(w)
	for _, d := range drivers {
		var keys []string
		for k := range b.res.Errors[d.Name] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s=%d", k, b.res.Errors[d.Name][k]))
		}
		if len(parts) == 0 {
			parts = []string{"none"}
		}
		fmt.Fprintf(w, "errors %-8s %s\n", d.Name, strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	for _, d := range drivers {
		beh := b.res.Behaviour[d.Name]
		var keys []string
		for k := range beh {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "%-8s %-28s %s\n", d.Name, k, beh[k])
		}
	}
	fmt.Fprintf(w, "\nwall time %.1fs (of which building the tiny programs %.1fs); load average at start and end: %s\n",
		b.res.WallTimeS, b.res.BuildTimeS, strings.Join(b.res.LoadAvg, " / "))
}

func fmtNum(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// ---------------------------------------------------------------- schema

const schema = `
CREATE TABLE sites (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL
);
CREATE TABLE members (
	id        INTEGER PRIMARY KEY,
	site_id   INTEGER NOT NULL REFERENCES sites(id),
	name      TEXT NOT NULL,
	email     TEXT NOT NULL,
	joined_at TIMESTAMP NOT NULL
);
CREATE TABLE sessions (
	id        INTEGER PRIMARY KEY,
	site_id   INTEGER NOT NULL REFERENCES sites(id),
	starts_at TIMESTAMP NOT NULL,
	topic     TEXT NOT NULL
);
CREATE INDEX sessions_site ON sessions(site_id);
CREATE TABLE attendance (
	id         INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES sessions(id),
	member_id  INTEGER NOT NULL REFERENCES members(id),
	minutes    INTEGER NOT NULL
);
CREATE INDEX attendance_session ON attendance(session_id);
CREATE INDEX attendance_member ON attendance(member_id);
CREATE TABLE posts (
	id         INTEGER PRIMARY KEY,
	member_id  INTEGER NOT NULL REFERENCES members(id),
	body       TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX posts_member ON posts(member_id);
`

const (
	nSites       = 50
	insertPost   = `INSERT INTO posts (member_id, body, created_at) VALUES (?, ?, ?)`
	selectMember = `SELECT id, site_id, name, email, joined_at FROM members WHERE id = ?`
	// A quarterly-report-like query: every attendance row joined to its
	// session and grouped by site.
	reportQuery = `
SELECT s.site_id, COUNT(*), COUNT(DISTINCT a.member_id), SUM(a.minutes)
FROM attendance a JOIN sessions s ON s.id = a.session_id
GROUP BY s.site_id
ORDER BY s.site_id`
	postBody = "Thanks everyone for tonight's circle — notes and next steps are in the shared folder. " +
		"Please bring one question you could not answer this week."
)

var epoch = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// createDB creates the schema and members rows in a new file through the
// write connection, in one transaction.
func createDB(w *sql.DB, members int) error {
	ctx := context.Background()
	if _, err := w.ExecContext(ctx, schema); err != nil {
		return err
	}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := 1; i <= nSites; i++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sites (id, name) VALUES (?, ?)`, i, fmt.Sprintf("Site %02d", i)); err != nil {
			return err
		}
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO members (id, site_id, name, email, joined_at) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := 1; i <= members; i++ {
		if _, err := st.ExecContext(ctx, i, 1+i%nSites, fmt.Sprintf("Member %d", i),
			fmt.Sprintf("member%d@example.org", i), epoch.Add(time.Duration(i)*time.Minute)); err != nil {
			return err
		}
	}
	if err := st.Close(); err != nil {
		return err
	}
	return tx.Commit()
}

// seedRest fills sessions and attendance (rows each) in one transaction.
func seedRest(w *sql.DB, rows int) error {
	ctx := context.Background()
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ss, err := tx.PrepareContext(ctx, `INSERT INTO sessions (id, site_id, starts_at, topic) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 1; i <= rows; i++ {
		if _, err := ss.ExecContext(ctx, i, 1+rng.IntN(nSites),
			epoch.Add(time.Duration(rng.IntN(90*24*60))*time.Minute), "Topic of the week"); err != nil {
			return err
		}
	}
	as, err := tx.PrepareContext(ctx, `INSERT INTO attendance (session_id, member_id, minutes) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := 1; i <= rows; i++ {
		if _, err := as.ExecContext(ctx, 1+rng.IntN(rows), 1+rng.IntN(rows), 30+rng.IntN(90)); err != nil {
			return err
		}
	}
	if err := errors.Join(ss.Close(), as.Close()); err != nil {
		return err
	}
	return tx.Commit()
}

// copyFile copies a closed (checkpointed) database file.
func copyFile(dst, src string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// ---------------------------------------------------------------- scenarios

// openScenario: sql.Open of the write pool on a fresh file up to the first
// successful query (pragmas applied, file created, WAL set). The drivers
// alternate sample by sample.
func (b *bench) openScenario() error {
	ctx := context.Background()
	for i := 0; i < b.cfg.opens; i++ {
		for _, d := range drivers {
			path, err := b.freshPath("open-" + d.Name)
			if err != nil {
				return err
			}
			t0 := time.Now()
			w, err := sqlsetup.OpenWriter(d.SQL, path)
			if err != nil {
				return err
			}
			var n int
			err = w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n)
			el := time.Since(t0)
			w.Close()
			if err != nil {
				return fmt.Errorf("open %s: %w", d.Name, err)
			}
			b.record("open", "sql.Open to first query (median)", "ms", false, d.Name, ms(el))
		}
	}
	b.figs["open/sql.Open to first query (median)"].median = true
	return nil
}

// execScenario: a new process (the tiny program) from exec to exit, opening a
// fresh file and running a first query: the cold start of the product.
func (b *bench) execScenario() {
	for i := 0; i < b.cfg.execs; i++ {
		for _, d := range drivers {
			bi := b.res.Builds[d.Name]
			if bi == nil || bi.path == "" {
				continue
			}
			path, err := b.freshPath("exec-" + d.Name)
			if err != nil {
				b.countErr(d.Name, "cold-start", err)
				continue
			}
			t0 := time.Now()
			out, err := exec.Command(bi.path, path).Output()
			el := time.Since(t0)
			if err != nil {
				b.countErr(d.Name, "cold-start", fmt.Errorf("%w: %s", err, out))
				continue
			}
			b.record("cold-start", "exec to first query done (median)", "ms", false, d.Name, ms(el))
			var ver string
			var us int64
			if _, err := fmt.Sscan(string(out), &ver, &us); err == nil {
				b.record("cold-start", "in-process open to first query (median)", "ms", false, d.Name, float64(us)/1000)
			}
		}
	}
	for _, f := range b.res.Figures {
		if f.Scenario == "cold-start" {
			f.median = true
		}
	}
}

// seedScenario builds the read data set (members, sessions, attendance of
// b.cfg.rows rows each) through the write connection, one transaction per
// table group, and keeps the file for the read scenarios.
func (b *bench) seedScenario(d driverSpec) error {
	path, err := b.freshPath("seed-" + d.Name)
	if err != nil {
		return err
	}
	w, err := sqlsetup.OpenWriter(d.SQL, path)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := createDB(w, b.cfg.rows); err != nil {
		w.Close()
		return err
	}
	if err := seedRest(w, b.cfg.rows); err != nil {
		w.Close()
		return err
	}
	el := time.Since(t0)
	if err := w.Close(); err != nil { // checkpoints the WAL into the file
		return err
	}
	b.record("seed", "bulk insert, 3 tables in 2 transactions", "rows/s", true, d.Name,
		float64(3*b.cfg.rows+nSites)/el.Seconds())
	b.seeded[d.Name] = path
	return nil
}

// readyCopy returns a fresh copy of the seeded file of driver d.
func (b *bench) readyCopy(d driverSpec, tag string) (string, error) {
	path, err := b.freshPath(tag + "-" + d.Name)
	if err != nil {
		return "", err
	}
	return path, copyFile(path, b.seeded[d.Name])
}

// writeOnce runs one single-row write transaction (BEGIN IMMEDIATE … COMMIT).
func writeOnce(ctx context.Context, w *sql.DB, member int) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, insertPost, member, postBody, time.Now().UTC()); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// writers runs n goroutines doing single-row write transactions for dur and
// returns the commit count and latencies (BeginTx call to Commit return).
func (b *bench) writers(d driverSpec, scenario string, w *sql.DB, n, members int, dur time.Duration) (int, []time.Duration) {
	ctx := context.Background()
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	deadline := time.Now().Add(dur)
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			var lat []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := writeOnce(ctx, w, 1+rng.IntN(members)); err != nil {
					b.countErr(d.Name, scenario, err)
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}(g)
	}
	wg.Wait()
	return len(all), all
}

func (b *bench) insertSerial(d driverSpec) error {
	path, err := b.freshPath("serial-" + d.Name)
	if err != nil {
		return err
	}
	w, err := sqlsetup.OpenWriter(d.SQL, path)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := createDB(w, 1000); err != nil {
		return err
	}
	t0, c0 := time.Now(), cpuTime()
	n, lat := b.writers(d, "insert-serial", w, 1, 1000, b.cfg.dur)
	el, cpu := time.Since(t0), cpuTime()-c0
	b.record("insert-serial", "commits", "commits/s", true, d.Name, float64(n)/el.Seconds())
	b.record("insert-serial", "p99 latency", "ms", false, d.Name, ms(pct(lat, 0.99)))
	b.record("insert-serial", "CPU per commit", "µs", false, d.Name, perOp(cpu, n))
	return nil
}

func (b *bench) insertWriters(d driverSpec) error {
	path, err := b.freshPath("writers-" + d.Name)
	if err != nil {
		return err
	}
	w, err := sqlsetup.OpenWriter(d.SQL, path)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := createDB(w, 1000); err != nil {
		return err
	}
	t0, c0 := time.Now(), cpuTime()
	n, lat := b.writers(d, "insert-50-writers", w, b.cfg.writers, 1000, b.cfg.dur)
	el, cpu := time.Since(t0), cpuTime()-c0
	b.record("insert-50-writers", "commits", "commits/s", true, d.Name, float64(n)/el.Seconds())
	b.record("insert-50-writers", "p50 latency", "ms", false, d.Name, ms(pct(lat, 0.50)))
	b.record("insert-50-writers", "p99 latency", "ms", false, d.Name, ms(pct(lat, 0.99)))
	b.record("insert-50-writers", "CPU per commit", "µs", false, d.Name, perOp(cpu, n))
	return nil
}

// readers runs n goroutines calling fn for dur and returns the call count and
// latencies.
func (b *bench) readers(d driverSpec, scenario string, n int, dur time.Duration, fn func(*rand.Rand) error) (int, []time.Duration) {
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	deadline := time.Now().Add(dur)
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 11))
			var lat []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := fn(rng); err != nil {
					b.countErr(d.Name, scenario, err)
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}(g)
	}
	wg.Wait()
	return len(all), all
}

func pointLookup(r *sql.DB, rows int) func(*rand.Rand) error {
	ctx := context.Background()
	return func(rng *rand.Rand) error {
		var id, site int64
		var name, email string
		var joined time.Time
		return r.QueryRowContext(ctx, selectMember, 1+rng.IntN(rows)).Scan(&id, &site, &name, &email, &joined)
	}
}

func (b *bench) readPoint(d driverSpec) error {
	path, err := b.readyCopy(d, "point")
	if err != nil {
		return err
	}
	r, err := sqlsetup.OpenReader(d.SQL, path)
	if err != nil {
		return err
	}
	defer r.Close()
	t0, c0 := time.Now(), cpuTime()
	n, lat := b.readers(d, "read-point", sqlsetup.ReadPoolSize, b.cfg.dur, pointLookup(r, b.cfg.rows))
	el, cpu := time.Since(t0), cpuTime()-c0
	b.record("read-point", "queries", "queries/s", true, d.Name, float64(n)/el.Seconds())
	b.record("read-point", "p99 latency", "ms", false, d.Name, ms(pct(lat, 0.99)))
	b.record("read-point", "CPU per query", "µs", false, d.Name, perOp(cpu, n))
	return nil
}

func (b *bench) readJoinAgg(d driverSpec) error {
	path, err := b.readyCopy(d, "join")
	if err != nil {
		return err
	}
	r, err := sqlsetup.OpenReader(d.SQL, path)
	if err != nil {
		return err
	}
	defer r.Close()
	ctx := context.Background()
	want := b.cfg.rows
	report := func(*rand.Rand) error {
		rows, err := r.QueryContext(ctx, reportQuery)
		if err != nil {
			return err
		}
		defer rows.Close()
		total := 0
		for rows.Next() {
			var site, count, distinct, minutes int64
			if err := rows.Scan(&site, &count, &distinct, &minutes); err != nil {
				return err
			}
			total += int(count)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if total != want {
			return fmt.Errorf("report counted %d attendance rows, want %d", total, want)
		}
		return nil
	}
	t0, c0 := time.Now(), cpuTime()
	n, lat := b.readers(d, "read-join-agg", sqlsetup.ReadPoolSize, b.cfg.dur, report)
	el, cpu := time.Since(t0), cpuTime()-c0
	b.record("read-join-agg", "queries", "queries/s", true, d.Name, float64(n)/el.Seconds())
	b.record("read-join-agg", "p99 latency", "ms", false, d.Name, ms(pct(lat, 0.99)))
	b.record("read-join-agg", "CPU per query", "µs", false, d.Name, perOp(cpu, n))
	return nil
}

func (b *bench) mixed(d driverSpec) error {
	path, err := b.readyCopy(d, "mixed")
	if err != nil {
		return err
	}
	w, err := sqlsetup.OpenWriter(d.SQL, path)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Ping(); err != nil {
		return err
	}
	r, err := sqlsetup.OpenReader(d.SQL, path)
	if err != nil {
		return err
	}
	defer r.Close()
	var wg sync.WaitGroup
	var wn, rn int
	var wlat, rlat []time.Duration
	t0 := time.Now()
	wg.Add(2)
	go func() {
		defer wg.Done()
		wn, wlat = b.writers(d, "mixed", w, 1, b.cfg.rows, b.cfg.dur)
	}()
	go func() {
		defer wg.Done()
		rn, rlat = b.readers(d, "mixed", sqlsetup.ReadPoolSize, b.cfg.dur, pointLookup(r, b.cfg.rows))
	}()
	wg.Wait()
	el := time.Since(t0)
	b.record("mixed", "reads (4 readers)", "queries/s", true, d.Name, float64(rn)/el.Seconds())
	b.record("mixed", "writes (1 writer)", "commits/s", true, d.Name, float64(wn)/el.Seconds())
	b.record("mixed", "read p99 latency", "ms", false, d.Name, ms(pct(rlat, 0.99)))
	b.record("mixed", "write p99 latency", "ms", false, d.Name, ms(pct(wlat, 0.99)))
	return nil
}

// ---------------------------------------------------------------- builds

// buildTiny builds each tiny program with CGO_ENABLED=0 and weighs it.
func (b *bench) buildTiny() map[string]*BuildInfo {
	res := map[string]*BuildInfo{}
	for _, d := range drivers {
		bi := &BuildInfo{}
		res[d.Name] = bi
		bin := filepath.Join(b.cfg.dir, "tiny-"+d.Name)
		cmd := exec.Command("go", "build", "-o", bin, d.Tiny)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		t0 := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			bi.Error = fmt.Sprintf("%v: %s", err, firstN(string(out), 300))
			continue
		}
		b.logf("built tiny %s in %.1fs", d.Name, time.Since(t0).Seconds())
		bi.CGOEnabled0 = true
		bi.path = bin
		if st, err := os.Stat(bin); err == nil {
			bi.Bytes = st.Size()
			bi.MiB = round(float64(st.Size())/(1<<20), 2)
		}
		if f, err := elf.Open(bin); err == nil {
			bi.Static = true
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					bi.Static = false
				}
			}
			f.Close()
		}
		if info, err := buildinfo.ReadFile(bin); err == nil {
			for _, s := range info.Settings {
				if s.Key == "CGO_ENABLED" && s.Value != "0" {
					bi.CGOEnabled0 = false
				}
			}
		}
		b.record("binary", "tiny program size (CGO_ENABLED=0)", "MiB", false, d.Name, bi.MiB)
	}
	return res
}

func moduleVersions() map[string]string {
	out := map[string]string{}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return out
	}
	for _, m := range info.Deps {
		for _, d := range drivers {
			if m.Path == d.Module {
				out[d.Name] = m.Version
			}
		}
	}
	return out
}

// ---------------------------------------------------------------- stats

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// perOp is CPU time per operation in microseconds.
func perOp(cpu time.Duration, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(cpu) / float64(time.Microsecond) / float64(n)
}

func pct(xs []time.Duration, p float64) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(i, 0)]
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
