package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"time"
)

// The soak (issue 14, goal 7): "one core, all day". The product runs with
// GOMAXPROCS=1 and a 256 MB memory limit and takes mixed traffic at a
// constant rate (every page scenario, and one request in ten a write: a
// member saving their profile or a facilitator marking attendance) for the
// whole run, measured in slices: each slice's latencies, and the server's
// resident memory, live heap, open files and goroutines after it. Targets:
// p99 under 25 ms in every slice, no error, and no growth of memory or open
// files from the first half of the run to the second.

// SoakSlice is one slice of the soak.
type SoakSlice struct {
	AtS        float64   `json:"at_s"`
	Latency    Latencies `json:"latency"`
	RSSMB      float64   `json:"rss_mb"`
	HeapMB     float64   `json:"heap_mb"`
	OpenFiles  int       `json:"open_files"`
	Goroutines int       `json:"goroutines"`
}

// SoakResult is the soak of one backend.
type SoakResult struct {
	Seconds    float64     `json:"seconds"`
	Rate       float64     `json:"rate_rps"`
	MemLimitMB int         `json:"mem_limit_mb"`
	Slices     []SoakSlice `json:"slices"`
	Requests   int         `json:"requests"`
	Errors     int         `json:"errors"`
	WorstP99   float64     `json:"worst_p99_ms"`
	// Growth compares the medians of the second half's slices with the
	// first half's.
	RSSGrowthMB     float64 `json:"rss_growth_mb"`
	HeapGrowthMB    float64 `json:"heap_growth_mb"`
	OpenFilesGrowth int     `json:"open_files_growth"`
	FirstError      string  `json:"first_error,omitempty"`
	// Pages are each scenario's latencies over the whole soak (after the
	// warm-up): what compares one data set with another at the same rate.
	Pages   map[string]Latencies `json:"pages"`
	Targets []Target             `json:"targets"`
}

// soakEnv is the product's environment during the soak.
var soakEnv = []string{"GOMAXPROCS=1", "GOMEMLIMIT=256MiB"}

const (
	soakMemLimitMB = 256
	soakP99        = 25.0 // ms
)

// soakMix returns the soak's request generator: a page scenario, or one
// time in ten a repeatable write. Once pages is set, each request's latency
// is also added to its scenario's recorder there.
func soakMix(cast *Cast, seed uint64, pages *pageRecorders) func() Request {
	var reads, writes []*Scenario
	for _, sc := range Scenarios {
		switch {
		case !sc.Write:
			reads = append(reads, sc)
		case sc.Name == "profile_save" || sc.Name == "attendance_tap":
			writes = append(writes, sc)
		}
	}
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(seed, 0x50a4))
	return func() Request {
		mu.Lock()
		defer mu.Unlock()
		sc := reads[r.IntN(len(reads))]
		if len(writes) > 0 && r.IntN(10) == 0 {
			sc = writes[r.IntN(len(writes))]
		}
		req := sc.product(cast, r)
		if rec := pages.of(sc.Name); rec != nil {
			req.Observe = rec.add
		}
		return req
	}
}

// pageRecorders keep each scenario's latencies; until on is set they keep
// nothing (the warm-up).
type pageRecorders struct {
	mu   sync.Mutex
	on   bool
	recs map[string]*recorder
}

func (p *pageRecorders) of(name string) *recorder {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.on {
		return nil
	}
	if p.recs == nil {
		p.recs = map[string]*recorder{}
	}
	rec := p.recs[name]
	if rec == nil {
		rec = &recorder{}
		p.recs[name] = rec
	}
	return rec
}

func (p *pageRecorders) start() {
	p.mu.Lock()
	p.on = true
	p.mu.Unlock()
}

func (p *pageRecorders) summaries(elapsed time.Duration) map[string]Latencies {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]Latencies, len(p.recs))
	for name, rec := range p.recs {
		out[name] = rec.summary(elapsed)
	}
	return out
}

// runSoak soaks the product for d at rate, in slices.
func runSoak(ctx context.Context, opt Options, product *child, pc *client, cast *Cast, d time.Duration, rate float64, log io.Writer) (*SoakResult, error) {
	pages := &pageRecorders{}
	next := soakMix(cast, opt.Seed, pages)
	res := &SoakResult{Seconds: d.Seconds(), Rate: rate, MemLimitMB: soakMemLimitMB}
	// Warm up at the rate, so the first slice is not the cold start.
	openLoop(ctx, pc, rate, min(d/10, 20*time.Second), next)
	slice := min(30*time.Second, max(d/20, 5*time.Second))
	pages.start()
	start := time.Now()
	for time.Since(start) < d && ctx.Err() == nil {
		l := openLoop(ctx, pc, rate, min(slice, d-time.Since(start)), next)
		st, err := product.readStats(ctx, false)
		if err != nil {
			return nil, err
		}
		s := SoakSlice{AtS: round(time.Since(start).Seconds(), 0), Latency: l, RSSMB: mb(st.RSS), HeapMB: mb(st.HeapBytes),
			OpenFiles: st.OpenFiles, Goroutines: st.Goroutines}
		res.Slices = append(res.Slices, s)
		res.Requests += l.Requests
		res.Errors += l.Errors
		res.WorstP99 = max(res.WorstP99, l.P99)
		if res.FirstError == "" {
			res.FirstError = l.FirstError
		}
		if log != nil {
			fmt.Fprintf(log, "soak %4.0fs: p99 %5.1f ms  errors %d  rss %5.1f MB  heap %5.1f MB  files %d  goroutines %d\n",
				s.AtS, l.P99, l.Errors, s.RSSMB, s.HeapMB, s.OpenFiles, s.Goroutines)
		}
	}
	res.Pages = pages.summaries(time.Since(start))
	if log != nil {
		names := make([]string, 0, len(res.Pages))
		for n := range res.Pages {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(log, "soak, each page over the run:\n")
		for _, n := range names {
			l := res.Pages[n]
			fmt.Fprintf(log, "  %-22s %5d requests  p50 %6.1f ms  p99 %6.1f ms  errors %d\n", n, l.Requests, l.P50, l.P99, l.Errors)
		}
	}
	res.RSSGrowthMB, res.HeapGrowthMB, res.OpenFilesGrowth = soakGrowth(res.Slices)
	res.Targets = []Target{
		{What: "soak: worst slice's p99", Want: fmt.Sprintf("< %.0f ms", soakP99), Got: res.WorstP99, Unit: "ms", Met: res.WorstP99 < soakP99},
		{What: "soak: failed requests", Want: "0", Got: float64(res.Errors), Met: res.Errors == 0},
		{What: "soak: resident memory growth, second half over first", Want: "< 5 MB", Got: res.RSSGrowthMB, Unit: "MB", Met: res.RSSGrowthMB < 5},
		{What: "soak: open files growth", Want: "≤ 2", Got: float64(res.OpenFilesGrowth), Met: res.OpenFilesGrowth <= 2},
	}
	return res, ctx.Err()
}

// soakGrowth compares the medians of the second half of the slices with
// the first half's.
func soakGrowth(slices_ []SoakSlice) (rss, heap float64, files int) {
	if len(slices_) < 2 {
		return 0, 0, 0
	}
	half := len(slices_) / 2
	median := func(ss []SoakSlice, f func(SoakSlice) float64) float64 {
		v := make([]float64, len(ss))
		for i, s := range ss {
			v[i] = f(s)
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	first, second := slices_[:half], slices_[half:]
	rssOf := func(s SoakSlice) float64 { return s.RSSMB }
	heapOf := func(s SoakSlice) float64 { return s.HeapMB }
	filesOf := func(s SoakSlice) float64 { return float64(s.OpenFiles) }
	rss = round(median(second, rssOf)-median(first, rssOf), 1)
	heap = round(median(second, heapOf)-median(first, heapOf), 1)
	files = int(slices.MaxFunc(second, func(a, b SoakSlice) int { return a.OpenFiles - b.OpenFiles }).OpenFiles) - int(median(first, filesOf))
	return rss, heap, files
}
