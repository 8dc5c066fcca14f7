package bench

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/metrics"
	"github.com/peercircle/peercircle/sqlstore/storetest"
	"github.com/peercircle/peercircle/web"
)

func TestMain(m *testing.M) { os.Exit(storetest.RunMain(m)) }

// servers returns the product and the baseline over a small generated data
// set, with the simulated people signed in.
func servers(t *testing.T, backend string) (product, baseline *httptest.Server, cast *Cast) {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t, backend)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if _, err := demo.National(ctx, s, demo.NationalOptions{Scale: demo.Scales["small"], Seed: 3, AsOf: today}); err != nil {
		t.Fatal(err)
	}
	cast, err := NewCast(ctx, s, 3)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(s, bundle, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{}, metrics.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	product = httptest.NewServer(srv.Handler())
	t.Cleanup(product.Close)
	baseline = httptest.NewServer(NewBaseline(s.DB, s.Keys))
	t.Cleanup(baseline.Close)
	return product, baseline, cast
}

// Every scenario's requests must succeed on the product and on the
// baseline: a page that moved or a baseline that no longer matches its
// page fails here, not in the middle of a benchmark run.
func TestEveryScenarioAnswersOnTheProductAndTheBaseline(t *testing.T) {
	for _, backend := range storetest.Backends {
		t.Run(backend, func(t *testing.T) {
			product, baseline, cast := servers(t, backend)
			pc, bc := newClient(product.URL, 4), newClient(baseline.URL, 4)
			r := rand.New(rand.NewPCG(1, 2))
			t.Run("bare_page", func(t *testing.T) {
				for range 5 {
					req := bareRequest(cast, r)
					res, err := http.Get(baseline.URL + req.Path)
					if err != nil {
						t.Fatal(err)
					}
					body, _ := io.ReadAll(res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "<h1>") || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
						t.Fatalf("%s: %d %.200s", req.Path, res.StatusCode, body)
					}
				}
			})
			for _, sc := range Scenarios {
				t.Run(sc.Name, func(t *testing.T) {
					for range 5 {
						if failure := pc.do(context.Background(), sc.product(cast, r)); failure != "" {
							t.Errorf("product: %s", failure)
						}
						if failure := bc.do(context.Background(), sc.baselineRequest(cast, r)); failure != "" {
							t.Errorf("baseline: %s", failure)
						}
					}
				})
			}
		})
	}
}

// The product pages the benchmark reads must be the real pages, not an
// error page that happens to answer 200.
func TestScenarioPagesShowTheirContent(t *testing.T) {
	product, _, cast := servers(t, "sqlite")
	r := rand.New(rand.NewPCG(1, 2))
	for _, sc := range Scenarios {
		if sc.Write {
			continue
		}
		req := sc.product(cast, r)
		httpReq, _ := http.NewRequest(req.Method, product.URL+req.Path, nil)
		httpReq.Header.Set("Cookie", "pc_session="+req.Cookie)
		res, err := http.DefaultClient.Do(httpReq)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		looksRight := strings.Contains(string(body), "<h1") && !strings.Contains(string(body), `class="error`)
		switch {
		case strings.HasSuffix(routeOf(req.Path), ".json"):
			looksRight = strings.Contains(string(body), `"state":"running"`)
		case strings.HasSuffix(req.Path, ".ics"):
			looksRight = strings.Contains(string(body), "BEGIN:VEVENT")
		}
		if !looksRight {
			t.Errorf("%s: %s does not look like its page:\n%.300s", sc.Name, routeOf(req.Path), body)
		}
	}
}

func TestOpenLoopMeasuresFromTheScheduledTime(t *testing.T) {
	// A server that answers in 20ms, asked at 100/s: every latency is at
	// least 20ms and the phase sends about as many requests as it should.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
	}))
	defer srv.Close()
	c := newClient(srv.URL, 8)
	l := openLoop(context.Background(), c, 100, 500*time.Millisecond, func() Request { return Request{Method: "GET", Path: "/"} })
	if l.Errors != 0 {
		t.Fatalf("errors: %d (%s)", l.Errors, l.FirstError)
	}
	if l.Requests < 45 || l.Requests > 55 {
		t.Errorf("%d requests in half a second at 100/s", l.Requests)
	}
	if l.P50 < 20 {
		t.Errorf("p50 %.1fms is below the server's 20ms", l.P50)
	}
}

func TestQuantileIsTheNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for q, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got := quantile(ds, q); got != want {
			t.Errorf("quantile %.2f = %v, want %v", q, got, want)
		}
	}
}

func TestParseCPUs(t *testing.T) {
	for in, want := range map[string][]int{"1": {1}, "0,2": {0, 2}, "0-3": {0, 1, 2, 3}} {
		if got, err := parseCPUs(in); err != nil || !slices.Equal(got, want) {
			t.Errorf("parseCPUs(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"x", "3-1", ""} {
		if _, err := parseCPUs(bad); err == nil {
			t.Errorf("parseCPUs(%q) did not fail", bad)
		}
	}
}

// A short soak through the real product: mixed pages and writes at a
// constant rate, in slices, each with the server's memory and open files;
// no error; the growth figures and targets are filled.
func TestASoakMeasuresEverySlice(t *testing.T) {
	product, _, cast := servers(t, "sqlite")
	stats := httptest.NewServer(StatsHandler())
	t.Cleanup(stats.Close)
	ch := &child{name: "product", app: product.URL, stats: stats.URL, logs: &logScan{}}
	var log strings.Builder
	res, err := runSoak(context.Background(), Options{Seed: 1}, ch, newClient(product.URL, 16), cast, 10*time.Second, 20, &log)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Slices) < 2 || res.Requests < 100 || res.Errors != 0 || len(res.Targets) != 4 {
		t.Fatalf("%d slices, %d requests, %d errors (%s), %d targets\n%s", len(res.Slices), res.Requests, res.Errors, res.FirstError, len(res.Targets), log.String())
	}
	if s := res.Slices[0]; s.RSSMB == 0 || s.OpenFiles == 0 || s.Goroutines == 0 {
		t.Fatalf("a slice without the server's figures: %+v", s)
	}
	// Each page's latencies over the run add up to the slices' requests.
	sum := 0
	for name, l := range res.Pages {
		if !knownScenarioName(name) || l.Requests == 0 || l.P99 <= 0 {
			t.Fatalf("page %q: %+v", name, l)
		}
		sum += l.Requests
	}
	if sum != res.Requests || len(res.Pages) < 5 {
		t.Fatalf("the pages hold %d requests in %d scenarios, the slices %d", sum, len(res.Pages), res.Requests)
	}
}

func knownScenarioName(name string) bool {
	for _, sc := range Scenarios {
		if sc.Name == name {
			return true
		}
	}
	return false
}

func TestSoakGrowthComparesTheHalves(t *testing.T) {
	ss := []SoakSlice{{RSSMB: 50, HeapMB: 10, OpenFiles: 20}, {RSSMB: 52, HeapMB: 11, OpenFiles: 20}, {RSSMB: 60, HeapMB: 15, OpenFiles: 21}, {RSSMB: 61, HeapMB: 16, OpenFiles: 26}}
	rss, heap, files := soakGrowth(ss)
	if rss != 9 || heap != 5 || files != 6 {
		t.Fatalf("growth %v %v %v", rss, heap, files)
	}
}
