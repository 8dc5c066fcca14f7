package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/peercircle/peercircle/sqlstore"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The benchmark runs the product and the baseline each in a process of its
// own (pinned to the server's cores), so that allocations and memory are
// counted per side. Each child serves its handler on one port and its
// figures (and pprof) on another, and prints one line when ready:
//
//	bench-ready app=http://127.0.0.1:PORT stats=http://127.0.0.1:PORT
const readyPrefix = "bench-ready "

// Stats are a server process's figures at one moment.
type Stats struct {
	Allocs     uint64  `json:"allocs"`      // heap objects allocated since start
	AllocBytes uint64  `json:"alloc_bytes"` // bytes allocated since start
	GCs        uint64  `json:"gcs"`
	RSS        uint64  `json:"rss_bytes"`  // resident now
	Peak       uint64  `json:"peak_bytes"` // highest resident so far (VmHWM)
	Goroutines int     `json:"goroutines"`
	CPU        float64 `json:"cpu_seconds"` // user and system time used so far
	OpenFiles  int     `json:"open_files"`  // file descriptors open now (Linux)
	HeapBytes  uint64  `json:"heap_bytes"`  // live heap objects' bytes
	Statements int64   `json:"statements"`  // SQL statements sent so far (sqlstore.Statements)
}

// ReadStats reads this process's figures.
func ReadStats() Stats {
	s := []rtmetrics.Sample{
		{Name: "/gc/heap/allocs:objects"},
		{Name: "/gc/heap/allocs:bytes"},
		{Name: "/gc/cycles/total:gc-cycles"},
		{Name: "/gc/heap/live:bytes"},
	}
	rtmetrics.Read(s)
	st := Stats{Goroutines: runtime.NumGoroutine()}
	if s[0].Value.Kind() == rtmetrics.KindUint64 {
		st.Allocs = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == rtmetrics.KindUint64 {
		st.AllocBytes = s[1].Value.Uint64()
	}
	if s[2].Value.Kind() == rtmetrics.KindUint64 {
		st.GCs = s[2].Value.Uint64()
	}
	if s[3].Value.Kind() == rtmetrics.KindUint64 {
		st.HeapBytes = s[3].Value.Uint64()
	}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		st.OpenFiles = len(fds)
	}
	st.Statements = sqlstore.Statements()
	st.RSS, st.Peak = procMemory()
	st.CPU = cpuSeconds()
	return st
}

// procMemory reads VmRSS and VmHWM from /proc/self/status (Linux); zero
// elsewhere.
func procMemory() (rss, peak uint64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseUint(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = n << 10
		case "VmHWM:":
			peak = n << 10
		}
	}
	return rss, peak
}

// StatsHandler serves a child's figures at /stats (with ?gc=1 it first
// collects garbage and returns memory to the system, to tell live memory
// from what the runtime keeps) and pprof under /debug/pprof/.
func StatsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("gc") == "1" {
			runtime.GC()
			debug.FreeOSMemory()
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(ReadStats())
	})
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

// ServeChild listens for the app and its figures on free loopback ports,
// says so on out, and serves until ctx ends. serve runs the app on its
// listener (the product's own graceful serve, or a plain http.Server).
func ServeChild(ctx context.Context, out io.Writer, serve func(ctx context.Context, ln net.Listener) error) error {
	app, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	stats, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ss := &http.Server{Handler: StatsHandler(), ReadHeaderTimeout: 10 * time.Second}
	go ss.Serve(stats)
	defer ss.Close()
	fmt.Fprintf(out, "%sapp=http://%s stats=http://%s\n", readyPrefix, app.Addr(), stats.Addr())
	return serve(ctx, app)
}

// ServeHandler serves h on ln until ctx ends: the baseline's server.
func ServeHandler(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	if err := hs.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// child is a running server process.
type child struct {
	name  string
	cmd   *exec.Cmd
	app   string // base URL of the app
	stats string // base URL of the figures
	logs  *logScan
	done  chan error
}

// logScan keeps the tail of a child's log and counts lines that matter.
type logScan struct {
	mu      sync.Mutex
	tail    []string
	locked  int // "database is locked"
	errors  int // level=ERROR lines
	notable []string
}

func (l *logScan) line(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if strings.Contains(s, "database is locked") || strings.Contains(s, "SQLITE_BUSY") {
		l.locked++
	}
	if (strings.Contains(s, "level=ERROR") || strings.Contains(s, "level=WARN")) && len(l.notable) < 10 {
		l.notable = append(l.notable, s)
	}
	if strings.Contains(s, "level=ERROR") {
		l.errors++
	}
	l.tail = append(l.tail, s)
	if len(l.tail) > 20 {
		l.tail = l.tail[1:]
	}
}

func (l *logScan) counts() (locked, errors int, notable []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.locked, l.errors, append([]string(nil), l.notable...)
}

func (l *logScan) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.tail, "\n")
}

// command builds the command for a server process, pinned to cpus with
// taskset when cpus is set.
func command(ctx context.Context, cpus, exe string, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	if cpus != "" {
		cmd = exec.CommandContext(ctx, "taskset", append([]string{"-c", cpus, exe}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, exe, args...)
	}
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 20 * time.Second
	return cmd
}

// startChild starts a server child and waits for its ready line.
func startChild(ctx context.Context, name, cpus, exe string, args ...string) (*child, error) {
	return startChildEnv(ctx, name, cpus, exe, nil, args...)
}

// startChildEnv is startChild with variables added to the environment
// (GOMAXPROCS, GOMEMLIMIT for the soak).
func startChildEnv(ctx context.Context, name, cpus, exe string, env []string, args ...string) (*child, error) {
	cmd := command(ctx, cpus, exe, args...)
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	c := &child{name: name, cmd: cmd, logs: &logScan{}, done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the %s server: %w", name, err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, readyPrefix) {
				select {
				case ready <- line:
				default:
				}
				continue
			}
			c.logs.line(line)
		}
	}()
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			c.logs.line(sc.Text())
		}
	}()
	go func() { c.done <- cmd.Wait() }()
	select {
	case line := <-ready:
		for _, f := range strings.Fields(strings.TrimPrefix(line, readyPrefix)) {
			k, v, _ := strings.Cut(f, "=")
			switch k {
			case "app":
				c.app = v
			case "stats":
				c.stats = v
			}
		}
		return c, nil
	case err := <-c.done:
		return nil, fmt.Errorf("the %s server stopped before it was ready (%v):\n%s", name, err, c.logs)
	case <-time.After(2 * time.Minute):
		c.stop()
		return nil, fmt.Errorf("the %s server was not ready after two minutes:\n%s", name, c.logs)
	}
}

// readStats fetches a child's figures; gc asks it to collect first.
func (c *child) readStats(ctx context.Context, gc bool) (Stats, error) {
	u := c.stats + "/stats"
	if gc {
		u += "?gc=1"
	}
	var st Stats
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return st, err
	}
	defer res.Body.Close()
	return st, json.NewDecoder(res.Body).Decode(&st)
}

// profile records a CPU profile of the child for d into path.
func (c *child) profile(ctx context.Context, d time.Duration, path string) error {
	return c.fetchProfile(ctx, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", c.stats, int(d.Seconds())), path)
}

// heapProfile records what the child's heap holds now into path.
func (c *child) heapProfile(ctx context.Context, path string) error {
	return c.fetchProfile(ctx, c.stats+"/debug/pprof/heap", path)
}

func (c *child) fetchProfile(ctx context.Context, url, path string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: %s: %s", res.Status, b.String())
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// stop ends the child gracefully (SIGTERM) and waits for it.
func (c *child) stop() {
	if c.cmd.Process == nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(20 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
}
