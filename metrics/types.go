package metrics

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// sampler is one labelled series: a counter, a gauge or a histogram.
type sampler interface {
	sample(b *bytes.Buffer, name string, labelNames, labelValues []string)
}

// single is a family without labels: one series.
type single struct {
	d desc
	s sampler
}

func (f *single) desc() *desc { return &f.d }

func (f *single) write(b *bytes.Buffer) { f.s.sample(b, f.d.name, nil, nil) }

// atomicFloat is a float64 updated with compare-and-swap, because sync/atomic
// has no floating-point add.
type atomicFloat struct{ bits atomic.Uint64 }

func (f *atomicFloat) load() float64 { return math.Float64frombits(f.bits.Load()) }

func (f *atomicFloat) store(v float64) { f.bits.Store(math.Float64bits(v)) }

func (f *atomicFloat) add(v float64) {
	for {
		old := f.bits.Load()
		if f.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// Counter is a value that only goes up, such as requests served. Prometheus
// derives rates from it and treats a decrease as a process restart.
type Counter struct {
	whole atomic.Uint64 // integer increments: one atomic add, the common case
	frac  atomicFloat   // everything else
}

// NewCounter registers and returns a counter without labels.
func (r *Registry) NewCounter(name, help string) *Counter {
	c := new(Counter)
	r.register(&single{desc{name: name, help: help, typ: "counter"}, c})
	return c
}

// Inc adds one.
func (c *Counter) Inc() { c.whole.Add(1) }

// Add adds v, which must not be negative: a counter that went down would be
// read as a restart. A negative v panics so the bug shows in tests.
func (c *Counter) Add(v float64) {
	switch {
	case v < 0:
		panic(fmt.Sprintf("metrics: counter decreased by %g", -v))
	case v == math.Trunc(v) && v < 1<<53:
		c.whole.Add(uint64(v))
	default:
		c.frac.add(v)
	}
}

// Value returns the current count, for tests and status pages.
func (c *Counter) Value() float64 { return float64(c.whole.Load()) + c.frac.load() }

func (c *Counter) sample(b *bytes.Buffer, name string, names, values []string) {
	writeSample(b, name, names, values, "", "", c.Value())
}

// Gauge is a value that goes up and down, such as jobs waiting.
type Gauge struct{ v atomicFloat }

// NewGauge registers and returns a gauge without labels.
func (r *Registry) NewGauge(name, help string) *Gauge {
	g := new(Gauge)
	r.register(&single{desc{name: name, help: help, typ: "gauge"}, g})
	return g
}

// Set sets the gauge to v.
func (g *Gauge) Set(v float64) { g.v.store(v) }

// Add adds v, which may be negative.
func (g *Gauge) Add(v float64) { g.v.add(v) }

// Inc adds one.
func (g *Gauge) Inc() { g.v.add(1) }

// Dec subtracts one.
func (g *Gauge) Dec() { g.v.add(-1) }

// Value returns the current value, for tests and status pages.
func (g *Gauge) Value() float64 { return g.v.load() }

func (g *Gauge) sample(b *bytes.Buffer, name string, names, values []string) {
	writeSample(b, name, names, values, "", "", g.Value())
}

type gaugeFunc func() float64

func (f gaugeFunc) sample(b *bytes.Buffer, name string, names, values []string) {
	writeSample(b, name, names, values, "", "", f())
}

// NewGaugeFunc registers a gauge whose value is f's result at each scrape,
// for values that already live elsewhere (pool sizes, queue lengths) and
// would otherwise need copying on every change. f must be safe to call from
// any goroutine and should be quick: it runs inside the scrape.
func (r *Registry) NewGaugeFunc(name, help string, f func() float64) {
	r.register(&single{desc{name: name, help: help, typ: "gauge"}, gaugeFunc(f)})
}

// DefBuckets suit request latencies in seconds, from 5 ms to 10 s.
var DefBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Histogram counts observations (such as request durations) into buckets
// fixed at registration, from which Prometheus estimates quantiles across
// instances.
type Histogram struct {
	upper  []float64       // bucket upper bounds, increasing, without +Inf
	counts []atomic.Uint64 // per bucket, not cumulative; the last is +Inf
	sum    atomicFloat
}

// NewHistogram registers and returns a histogram without labels. buckets are
// the upper bounds, strictly increasing; the +Inf bucket is always added.
func (r *Registry) NewHistogram(name, help string, buckets []float64) *Histogram {
	upper := checkBuckets(name, buckets)
	h := newHistogram(upper)
	r.register(&single{desc{name: name, help: help, typ: "histogram"}, h})
	return h
}

func checkBuckets(name string, buckets []float64) []float64 {
	upper := slices.Clone(buckets)
	if n := len(upper); n > 0 && math.IsInf(upper[n-1], 1) {
		upper = upper[:n-1]
	}
	for i, u := range upper {
		if math.IsNaN(u) || (i > 0 && u <= upper[i-1]) {
			panic(fmt.Sprintf("metrics: %s: buckets must be strictly increasing numbers", name))
		}
	}
	return upper
}

func newHistogram(upper []float64) *Histogram {
	return &Histogram{upper: upper, counts: make([]atomic.Uint64, len(upper)+1)}
}

// Observe records one value. A value equal to a bucket's bound counts in
// that bucket, as the le ("less or equal") label says.
func (h *Histogram) Observe(v float64) {
	h.counts[sort.SearchFloat64s(h.upper, v)].Add(1)
	h.sum.add(v)
}

func (h *Histogram) sample(b *bytes.Buffer, name string, names, values []string) {
	// The count is the sum of the buckets read here, so _count always
	// equals the +Inf bucket even while observations arrive.
	var cum uint64
	for i, u := range h.upper {
		cum += h.counts[i].Load()
		writeSample(b, name+"_bucket", names, values, "le", formatFloat(u), float64(cum))
	}
	cum += h.counts[len(h.upper)].Load()
	writeSample(b, name+"_bucket", names, values, "le", "+Inf", float64(cum))
	writeSample(b, name+"_sum", names, values, "", "", h.sum.load())
	writeSample(b, name+"_count", names, values, "", "", float64(cum))
}

// vec is a family with labels: one series per distinct tuple of values,
// created on first use.
type vec[T sampler] struct {
	d        desc
	newChild func() T

	mu       sync.RWMutex
	children map[string]*child[T]
}

type child[T sampler] struct {
	values []string
	s      T
}

func newVec[T sampler](d desc, newChild func() T) *vec[T] {
	d.labels = slices.Clone(d.labels) // the caller's variadic slice may be reused
	return &vec[T]{d: d, newChild: newChild, children: make(map[string]*child[T])}
}

func (v *vec[T]) desc() *desc { return &v.d }

// keySep joins label values into a map key. It is not valid UTF-8, so it
// does not occur in label values that are.
const keySep = 0xff

// with returns the series for values. The lookup takes a read lock and, for
// up to a few short labels, allocates nothing.
func (v *vec[T]) with(values []string) T {
	if len(values) != len(v.d.labels) {
		panic(fmt.Sprintf("metrics: %s: got %d label values, want %d (%v)",
			v.d.name, len(values), len(v.d.labels), v.d.labels))
	}
	var buf [128]byte
	key := buf[:0]
	for i, val := range values {
		if i > 0 {
			key = append(key, keySep)
		}
		key = append(key, val...)
	}

	v.mu.RLock()
	c, ok := v.children[string(key)]
	v.mu.RUnlock()
	if ok {
		return c.s
	}

	v.mu.Lock()
	defer v.mu.Unlock()
	if c, ok := v.children[string(key)]; ok {
		return c.s
	}
	c = &child[T]{values: slices.Clone(values), s: v.newChild()}
	v.children[string(key)] = c
	return c.s
}

func (v *vec[T]) write(b *bytes.Buffer) {
	v.mu.RLock()
	cs := make([]*child[T], 0, len(v.children))
	for _, c := range v.children {
		cs = append(cs, c)
	}
	v.mu.RUnlock()
	slices.SortFunc(cs, func(a, b *child[T]) int { return slices.Compare(a.values, b.values) })
	for _, c := range cs {
		c.s.sample(b, v.d.name, v.d.labels, c.values)
	}
}

// CounterVec is a counter per tuple of label values, such as requests by
// route and status.
type CounterVec struct{ v *vec[*Counter] }

// NewCounterVec registers a counter family with the given label names.
func (r *Registry) NewCounterVec(name, help string, labels ...string) *CounterVec {
	v := newVec(desc{name: name, help: help, typ: "counter", labels: labels}, func() *Counter { return new(Counter) })
	r.register(v)
	return &CounterVec{v}
}

// WithLabelValues returns the counter for the given values, in the order of
// the label names, creating it on first use. A wrong number of values
// panics. Hold on to the result where a loop would look it up repeatedly.
func (cv *CounterVec) WithLabelValues(values ...string) *Counter { return cv.v.with(values) }

// GaugeVec is a gauge per tuple of label values, such as jobs waiting by
// kind.
type GaugeVec struct{ v *vec[*Gauge] }

// NewGaugeVec registers a gauge family with the given label names.
func (r *Registry) NewGaugeVec(name, help string, labels ...string) *GaugeVec {
	v := newVec(desc{name: name, help: help, typ: "gauge", labels: labels}, func() *Gauge { return new(Gauge) })
	r.register(v)
	return &GaugeVec{v}
}

// WithLabelValues returns the gauge for the given values; see
// CounterVec.WithLabelValues.
func (gv *GaugeVec) WithLabelValues(values ...string) *Gauge { return gv.v.with(values) }

// HistogramVec is a histogram per tuple of label values, all with the same
// buckets, such as request durations by route.
type HistogramVec struct{ v *vec[*Histogram] }

// NewHistogramVec registers a histogram family with the given buckets (see
// NewHistogram) and label names.
func (r *Registry) NewHistogramVec(name, help string, buckets []float64, labels ...string) *HistogramVec {
	upper := checkBuckets(name, buckets)
	v := newVec(desc{name: name, help: help, typ: "histogram", labels: labels}, func() *Histogram { return newHistogram(upper) })
	r.register(v)
	return &HistogramVec{v}
}

// WithLabelValues returns the histogram for the given values; see
// CounterVec.WithLabelValues.
func (hv *HistogramVec) WithLabelValues(values ...string) *Histogram { return hv.v.with(values) }
