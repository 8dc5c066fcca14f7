package bench

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Request is one HTTP request a simulated person makes.
type Request struct {
	Method string
	Path   string // with the query
	Form   url.Values
	Cookie string // the session cookie's value, "" for none
	// CSRF, for a public form, is sent as the pre-sign-in CSRF cookie.
	CSRF string
	// OK is the status that counts as success (200 for pages, 303 for a
	// form that saved and redirects).
	OK int
	// Done, if set, hears whether the request succeeded (a writer takes
	// its next version, or gives a borrowed record back).
	Done func(ok bool)
	// Observe, if set, hears how long the request took, from when it was
	// due, and why it failed ("" when it did not): the soak keeps each
	// page's latencies over the whole run.
	Observe func(took time.Duration, failure string)
}

// Latencies summarises one phase.
type Latencies struct {
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50_ms"`
	P95      float64 `json:"p95_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
	// FirstError describes the first failure, to say why without a log.
	FirstError string `json:"first_error,omitempty"`
}

// client sends requests to one server over kept-alive connections.
type client struct {
	base string
	http *http.Client
}

func newClient(base string, conns int) *client {
	tr := &http.Transport{
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &client{base: base, http: &http.Client{
		Transport: tr,
		Timeout:   30 * time.Second,
		// A form's redirect is its answer: measure the POST alone.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends one request and reads the whole answer; it returns "" on
// success or what went wrong.
func (c *client) do(ctx context.Context, r Request) (failure string) {
	if r.Done != nil {
		defer func() { r.Done(failure == "") }()
	}
	if r.Method == "" {
		return r.Path // a request that could not be made (nothing left to write to)
	}
	var body io.Reader
	if r.Form != nil {
		body = strings.NewReader(r.Form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, c.base+r.Path, body)
	if err != nil {
		return err.Error()
	}
	if r.Form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	switch {
	case r.Cookie != "":
		req.Header.Set("Cookie", "pc_session="+r.Cookie)
	case r.CSRF != "":
		req.Header.Set("Cookie", "pc_csrf="+r.CSRF)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err.Error()
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil {
		return err.Error()
	}
	want := r.OK
	if want == 0 {
		want = http.StatusOK
	}
	if res.StatusCode != want {
		return r.Method + " " + routeOf(r.Path) + ": status " + res.Status
	}
	return ""
}

// routeOf drops ids and queries from a path for error messages.
func routeOf(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// recorder collects latencies from many goroutines.
type recorder struct {
	mu       sync.Mutex
	lat      []time.Duration
	errors   int
	firstErr string
}

func (r *recorder) add(d time.Duration, failure string) {
	r.mu.Lock()
	if failure != "" {
		r.errors++
		if r.firstErr == "" {
			r.firstErr = failure
		}
	} else {
		r.lat = append(r.lat, d)
	}
	r.mu.Unlock()
}

func (r *recorder) summary(elapsed time.Duration) Latencies {
	r.mu.Lock()
	defer r.mu.Unlock()
	slices.Sort(r.lat)
	out := Latencies{Requests: len(r.lat) + r.errors, Errors: r.errors, FirstError: r.firstErr}
	if elapsed > 0 {
		out.RPS = round(float64(len(r.lat))/elapsed.Seconds(), 1)
	}
	if len(r.lat) > 0 {
		out.P50 = ms(quantile(r.lat, 0.50))
		out.P95 = ms(quantile(r.lat, 0.95))
		out.P99 = ms(quantile(r.lat, 0.99))
		out.Max = ms(r.lat[len(r.lat)-1])
	}
	return out
}

// quantile returns the q-quantile of sorted durations (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 2) }

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// closedLoop runs clients that each send the next request as soon as the
// last one is answered, for d: the maximum throughput. Requests still
// running at the end are waited for and counted, so a page slower than the
// phase still gets a figure. Latencies measured this way flatter a slow
// server, so they are only used for the rate.
func closedLoop(ctx context.Context, c *client, clients int, d time.Duration, next func() Request) Latencies {
	return closedLoopAtLeast(ctx, c, clients, d, 0, next)
}

// closedLoopAtLeast is closedLoop that also goes on until at least
// minRequests were answered (and at most ten times d, or a minute more), so
// a heavy page, whose first requests warm caches, is measured at its steady
// state rather than in its first second.
func closedLoopAtLeast(ctx context.Context, c *client, clients int, d time.Duration, minRequests int, next func() Request) Latencies {
	rec := &recorder{}
	start := time.Now()
	deadline := start.Add(d)
	hardStop := start.Add(max(10*d, d+time.Minute))
	var done atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				now := time.Now()
				if !now.Before(hardStop) || (!now.Before(deadline) && done.Load() >= int64(minRequests)) {
					return
				}
				r := next()
				t0 := time.Now()
				failure := c.do(ctx, r)
				rec.add(time.Since(t0), failure)
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return rec.summary(time.Since(start))
}

// maxInFlight bounds the open loop: past it the server is not keeping up
// and further requests are counted as failures instead of piling up.
const maxInFlight = 2000

// openLoop sends requests at a constant rate for d, each at its scheduled
// time whether or not earlier ones were answered, and measures each
// latency from its scheduled time: a slow answer delays nothing else, so it
// cannot hide the requests that would have queued behind it (coordinated
// omission).
func openLoop(ctx context.Context, c *client, rate float64, d time.Duration, next func() Request) Latencies {
	rec := &recorder{}
	if rate <= 0 {
		return rec.summary(0)
	}
	interval := time.Duration(float64(time.Second) / rate)
	var wg sync.WaitGroup
	var inFlight atomic.Int64
	start := time.Now()
	end := start.Add(d)
	due := start
	for due.Before(end) && ctx.Err() == nil {
		now := time.Now()
		for !due.After(now) && due.Before(end) {
			r := next()
			scheduled := due
			due = due.Add(interval)
			if inFlight.Load() >= maxInFlight {
				rec.add(0, "more than 2000 requests waiting: the server does not keep up")
				continue
			}
			inFlight.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer inFlight.Add(-1)
				failure := c.do(ctx, r)
				took := time.Since(scheduled)
				rec.add(took, failure)
				if r.Observe != nil {
					r.Observe(took, failure)
				}
			}()
		}
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
	}
	wg.Wait()
	out := rec.summary(d)
	return out
}
