package metrics

import (
	"bufio"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// mustText returns r's exposition text, failing the test on error.
func mustText(tb testing.TB, r *Registry) string {
	tb.Helper()
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

func TestWriteTextMatchesGolden(t *testing.T) {
	r := NewRegistry()
	reqs := r.NewCounterVec("http_requests_total", "Requests served, by route and status.", "route", "code")
	reqs.WithLabelValues("GET /groups", "200").Add(3)
	reqs.WithLabelValues("GET /groups", "404").Inc()
	reqs.WithLabelValues("POST /sessions", "303").Inc()
	jobs := r.NewGauge("jobs_waiting", "Jobs in the queue.")
	jobs.Set(7)
	jobs.Dec()
	r.NewGaugeFunc("db_open_connections", "Open database connections.", func() float64 { return 2 })
	sent := r.NewCounter("emails_sent_total", "E-mails handed to the SMTP server.")
	sent.Add(0.5)
	sent.Inc()
	dur := r.NewHistogram("job_duration_seconds", "Time to run one job.", []float64{0.1, 1, 10})
	for _, v := range []float64{0.0625, 0.09375, 0.5, 20} {
		dur.Observe(v)
	}
	lat := r.NewHistogramVec("http_request_duration_seconds", "Request latency.", []float64{0.25}, "route")
	lat.WithLabelValues("GET /").Observe(0.125)
	r.NewCounterVec("never_used_total", "A family with no series yet.", "kind")

	const want = `# HELP db_open_connections Open database connections.
# TYPE db_open_connections gauge
db_open_connections 2
# HELP emails_sent_total E-mails handed to the SMTP server.
# TYPE emails_sent_total counter
emails_sent_total 1.5
# HELP http_request_duration_seconds Request latency.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{route="GET /",le="0.25"} 1
http_request_duration_seconds_bucket{route="GET /",le="+Inf"} 1
http_request_duration_seconds_sum{route="GET /"} 0.125
http_request_duration_seconds_count{route="GET /"} 1
# HELP http_requests_total Requests served, by route and status.
# TYPE http_requests_total counter
http_requests_total{route="GET /groups",code="200"} 3
http_requests_total{route="GET /groups",code="404"} 1
http_requests_total{route="POST /sessions",code="303"} 1
# HELP job_duration_seconds Time to run one job.
# TYPE job_duration_seconds histogram
job_duration_seconds_bucket{le="0.1"} 2
job_duration_seconds_bucket{le="1"} 3
job_duration_seconds_bucket{le="10"} 3
job_duration_seconds_bucket{le="+Inf"} 4
job_duration_seconds_sum 20.65625
job_duration_seconds_count 4
# HELP jobs_waiting Jobs in the queue.
# TYPE jobs_waiting gauge
jobs_waiting 6
`
	if got := mustText(t, r); got != want {
		t.Errorf("WriteText() =\n%s\nwant\n%s", got, want)
	}
}

func TestEscaping(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  string
	}{
		{"a plain value is written as it is", "GET /groups/{id}", `GET /groups/{id}`},
		{"a backslash is doubled", `C:\data`, `C:\\data`},
		{"a double quote is escaped", `say "hi"`, `say \"hi\"`},
		{"a newline becomes backslash n", "two\nlines", `two\nlines`},
		{"all three together are escaped in order", "\\\"\n", `\\\"\n`},
		{"Arabic text passes through", "المجموعات", "المجموعات"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRegistry()
			r.NewCounterVec("x_total", "h", "v").WithLabelValues(tt.value).Inc()
			want := `x_total{v="` + tt.want + `"} 1`
			if got := mustText(t, r); !strings.Contains(got, want+"\n") {
				t.Errorf("WriteText() =\n%s\nwant a line %s", got, want)
			}
		})
	}

	t.Run("help text escapes backslash and newline but not quotes", func(t *testing.T) {
		r := NewRegistry()
		r.NewGauge("g", "a \"quoted\" path C:\\x\nsecond line").Set(1)
		want := `# HELP g a "quoted" path C:\\x\nsecond line` + "\n"
		if got := mustText(t, r); !strings.HasPrefix(got, want) {
			t.Errorf("WriteText() =\n%s\nwant it to start with\n%s", got, want)
		}
	})
}

func TestHistogramBuckets(t *testing.T) {
	tests := []struct {
		name    string
		buckets []float64
		observe []float64
		want    []string // bucket lines, sum and count
	}{
		{
			name:    "a value on a bound counts in that bucket",
			buckets: []float64{1, 2},
			observe: []float64{1, 2},
			want:    []string{`h_bucket{le="1"} 1`, `h_bucket{le="2"} 2`, `h_bucket{le="+Inf"} 2`, `h_sum 3`, `h_count 2`},
		},
		{
			name:    "values above every bound count only in +Inf",
			buckets: []float64{1},
			observe: []float64{5, 6},
			want:    []string{`h_bucket{le="1"} 0`, `h_bucket{le="+Inf"} 2`, `h_sum 11`, `h_count 2`},
		},
		{
			name:    "negative values count in the lowest bucket",
			buckets: []float64{0, 1},
			observe: []float64{-3},
			want:    []string{`h_bucket{le="0"} 1`, `h_bucket{le="1"} 1`, `h_bucket{le="+Inf"} 1`, `h_sum -3`, `h_count 1`},
		},
		{
			name:    "an explicit +Inf bound is not written twice",
			buckets: []float64{1, math.Inf(1)},
			observe: []float64{0.5},
			want:    []string{`h_bucket{le="1"} 1`, `h_bucket{le="+Inf"} 1`, `h_sum 0.5`, `h_count 1`},
		},
		{
			name:    "no bounds leaves only the +Inf bucket",
			buckets: nil,
			observe: []float64{0.5},
			want:    []string{`h_bucket{le="+Inf"} 1`, `h_sum 0.5`, `h_count 1`},
		},
		{
			name:    "an unobserved histogram reports zeros",
			buckets: []float64{1},
			want:    []string{`h_bucket{le="1"} 0`, `h_bucket{le="+Inf"} 0`, `h_sum 0`, `h_count 0`},
		},
		{
			name:    "small and large bounds are spelled as Prometheus parses them",
			buckets: []float64{0.005, 1e6},
			observe: []float64{0.001},
			want:    []string{`h_bucket{le="0.005"} 1`, `h_bucket{le="1e+06"} 1`, `h_bucket{le="+Inf"} 1`, `h_sum 0.001`, `h_count 1`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRegistry()
			h := r.NewHistogram("h", "help", tt.buckets)
			for _, v := range tt.observe {
				h.Observe(v)
			}
			want := "# HELP h help\n# TYPE h histogram\n" + strings.Join(tt.want, "\n") + "\n"
			if got := mustText(t, r); got != want {
				t.Errorf("WriteText() =\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestConcurrentUpdates(t *testing.T) {
	r := NewRegistry()
	c := r.NewCounter("c_total", "h")
	f := r.NewCounter("f_total", "h")
	g := r.NewGauge("g", "h")
	cv := r.NewCounterVec("cv_total", "h", "route", "code")
	h := r.NewHistogram("h", "h", []float64{1, 2})
	hv := r.NewHistogramVec("hv", "h", []float64{1}, "kind")

	const workers, each = 8, 1000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				c.Inc()
				f.Add(0.5)
				g.Inc()
				g.Dec()
				cv.WithLabelValues("GET /", fmt.Sprint(200+i%3)).Inc()
				h.Observe(float64(i % 3))
				hv.WithLabelValues(fmt.Sprint("k", w%2)).Observe(1)
			}
		})
	}
	// A scrape during the updates must not race with them.
	wg.Go(func() {
		for range 20 {
			mustText(t, r)
		}
	})
	wg.Wait()

	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"every integer increment is counted", c.Value(), workers * each},
		{"every fractional add is counted", f.Value(), workers * each / 2},
		{"paired gauge moves cancel out", g.Value(), 0},
		{"a labelled series gets its share", cv.WithLabelValues("GET /", "200").Value(), workers * 334},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %g, want %g", tt.got, tt.want)
			}
		})
	}
	t.Run("every observation lands in the histogram", func(t *testing.T) {
		text := mustText(t, r)
		for _, line := range []string{
			fmt.Sprintf(`h_count %d`, workers*each),
			fmt.Sprintf(`hv_count{kind="k0"} %d`, workers/2*each),
			fmt.Sprintf(`hv_count{kind="k1"} %d`, workers/2*each),
		} {
			if !strings.Contains(text, line+"\n") {
				t.Errorf("output lacks %q", line)
			}
		}
	})
}

func TestRegistrationMistakesPanic(t *testing.T) {
	tests := []struct {
		name string
		f    func(r *Registry)
	}{
		{"a name used twice", func(r *Registry) { r.NewCounter("a", "h"); r.NewGauge("a", "h") }},
		{"a metric name with a dash", func(r *Registry) { r.NewCounter("http-requests", "h") }},
		{"a metric name starting with a digit", func(r *Registry) { r.NewGauge("1x", "h") }},
		{"a label name with a dot", func(r *Registry) { r.NewCounterVec("a", "h", "route.name") }},
		{"a reserved label name", func(r *Registry) { r.NewCounterVec("a", "h", "__name") }},
		{"a duplicate label name", func(r *Registry) { r.NewCounterVec("a", "h", "x", "x") }},
		{"le as a histogram label", func(r *Registry) { r.NewHistogramVec("a", "h", nil, "le") }},
		{"buckets out of order", func(r *Registry) { r.NewHistogram("a", "h", []float64{2, 1}) }},
		{"a repeated bucket", func(r *Registry) { r.NewHistogram("a", "h", []float64{1, 1}) }},
		{"a NaN bucket", func(r *Registry) { r.NewHistogram("a", "h", []float64{math.NaN()}) }},
		{"a counter decreasing", func(r *Registry) { r.NewCounter("a", "h").Add(-1) }},
		{"too few label values", func(r *Registry) { r.NewCounterVec("a", "h", "x", "y").WithLabelValues("1") }},
		{"too many label values", func(r *Registry) { r.NewGaugeVec("a", "h", "x").WithLabelValues("1", "2") }},
	}
	for _, tt := range tests {
		t.Run("it panics on "+tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tt.f(NewRegistry())
		})
	}
}

// The checker below reads exposition text the way a strict scraper would.
var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^\\"\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^\\"\n])*")*)\})? ([-+]?(Inf|NaN|[0-9.]+(e[-+]?[0-9]+)?))$`)
	helpLine   = regexp.MustCompile(`^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$`)
	typeLine   = regexp.MustCompile(`^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$`)
)

// checkExposition returns the problems a scraper would have with text: lines
// that are neither comments nor samples, samples not preceded by their
// family's TYPE line, and families out of order or repeated.
func checkExposition(text string) []string {
	var problems []string
	var family, typ string
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case helpLine.MatchString(line):
			name := helpLine.FindStringSubmatch(line)[1]
			if seen[name] || name < family {
				problems = append(problems, fmt.Sprintf("line %d: family %s repeated or out of order", n, name))
			}
			family, typ = name, ""
			seen[name] = true
		case typeLine.MatchString(line):
			m := typeLine.FindStringSubmatch(line)
			if m[1] != family {
				problems = append(problems, fmt.Sprintf("line %d: TYPE for %s after HELP for %s", n, m[1], family))
			}
			typ = m[2]
		case sampleLine.MatchString(line):
			name := sampleLine.FindStringSubmatch(line)[1]
			ok := name == family
			if typ == "histogram" {
				ok = name == family+"_bucket" || name == family+"_sum" || name == family+"_count"
			}
			if !ok || typ == "" {
				problems = append(problems, fmt.Sprintf("line %d: sample %s outside its family %s", n, name, family))
			}
		default:
			problems = append(problems, fmt.Sprintf("line %d: malformed: %q", n, line))
		}
	}
	return problems
}

func TestOutputParsesLineByLine(t *testing.T) {
	r := NewRegistry()
	RegisterRuntime(r)
	r.NewCounterVec("odd_labels_total", "Labels that need escaping.", "v").WithLabelValues("a\\b\"c\nd").Inc()
	r.NewGauge("special_values", "h").Set(math.Inf(-1))
	r.NewGaugeFunc("not_a_number", "h", func() float64 { return math.NaN() })
	r.NewHistogramVec("lat_seconds", "h", DefBuckets, "route", "code").WithLabelValues("/", "200").Observe(0.3)
	text := mustText(t, r)

	t.Run("every line is a comment or a well-formed sample", func(t *testing.T) {
		for _, p := range checkExposition(text) {
			t.Error(p)
		}
	})

	t.Run("the checker itself catches malformed lines", func(t *testing.T) {
		bad := "# HELP a h\n# TYPE a gauge\na{x=\"unterminated} 1\nb 2\na 1 2 3\n"
		if got := len(checkExposition(bad)); got != 3 {
			t.Errorf("checker found %d problems in bad text, want 3", got)
		}
	})

	t.Run("the runtime metrics are present with plausible values", func(t *testing.T) {
		for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_start_time_seconds", "process_resident_memory_bytes"} {
			re := regexp.MustCompile(`(?m)^` + name + ` ([0-9.e+]+)$`)
			m := re.FindStringSubmatch(text)
			if m == nil {
				t.Errorf("no sample for %s in\n%s", name, text)
				continue
			}
			if m[1] == "0" {
				t.Errorf("%s is 0", name)
			}
		}
	})
}

func TestHandler(t *testing.T) {
	r := NewRegistry()
	r.NewCounter("hits_total", "h").Inc()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))

	tests := []struct {
		name string
		got  string
		want string
	}{
		{"it answers 200", fmt.Sprint(rec.Code), "200"},
		{"it declares the text format version", rec.Header().Get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8"},
		{"it serves the registry", rec.Body.String(), "# HELP hits_total h\n# TYPE hits_total counter\nhits_total 1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestDefaultRegistryIsUsable(t *testing.T) {
	// Default is shared by the whole test binary, so use a unique name.
	Default.NewCounter("metrics_test_default_total", "h").Inc()
	if !strings.Contains(mustText(t, Default), "metrics_test_default_total 1\n") {
		t.Error("Default does not expose what was registered on it")
	}
}

func BenchmarkCounterInc(b *testing.B) {
	c := NewRegistry().NewCounter("c_total", "h")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Inc()
		}
	})
}

func BenchmarkCounterVecWithLabelValues(b *testing.B) {
	cv := NewRegistry().NewCounterVec("c_total", "h", "route", "code")
	b.ReportAllocs()
	for b.Loop() {
		cv.WithLabelValues("GET /groups/{id}", "200").Inc()
	}
}

func BenchmarkHistogramObserve(b *testing.B) {
	h := NewRegistry().NewHistogram("h", "h", DefBuckets)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			h.Observe(0.042)
		}
	})
}
