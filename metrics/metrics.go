// Package metrics is a small Prometheus instrumentation library: counters,
// gauges and histograms, exposed in the text format (version 0.0.4).
//
// PeerCircle uses it instead of the official client to keep the binary and
// its dependency list small; it covers what the application needs and
// nothing more. Updates are lock-free atomic operations so that instrumenting
// a request handler costs nanoseconds.
//
// Metrics describe the running system, never the people in it: label values
// must come from a small fixed set (route patterns, status codes, job kinds),
// never from user input, names or anything said in a group. Each distinct set
// of label values is kept in memory for the life of the process.
//
// Registration panics on a bad or duplicate name, like a bad regexp in
// regexp.MustCompile: it is a programming error, found the first time the
// program starts, and metrics are registered once, at start-up.
package metrics

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ContentType is the media type of the text exposition format, which
// Prometheus uses to pick its parser.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Registry is a set of metrics exposed together. Most programs use Default;
// tests use NewRegistry so they do not share state.
type Registry struct {
	mu      sync.Mutex
	metrics map[string]metric
}

// Default is the registry the application exposes on its metrics endpoint.
var Default = NewRegistry()

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{metrics: make(map[string]metric)}
}

// metric is one metric family as the registry sees it.
type metric interface {
	desc() *desc
	// write appends the family's sample lines; it writes nothing when the
	// family has no samples yet (a vector with no children).
	write(b *bytes.Buffer)
}

// desc is what every family has: a name, help text, a type and label names.
type desc struct {
	name   string
	help   string
	typ    string
	labels []string
}

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

func (r *Registry) register(m metric) {
	d := m.desc()
	if !metricName.MatchString(d.name) {
		panic(fmt.Sprintf("metrics: invalid metric name %q", d.name))
	}
	for i, l := range d.labels {
		if !labelName.MatchString(l) || strings.HasPrefix(l, "__") {
			panic(fmt.Sprintf("metrics: %s: invalid label name %q", d.name, l))
		}
		if d.typ == "histogram" && l == "le" {
			panic(fmt.Sprintf("metrics: %s: label name le is reserved for histogram buckets", d.name))
		}
		if slices.Contains(d.labels[:i], l) {
			panic(fmt.Sprintf("metrics: %s: duplicate label name %q", d.name, l))
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.metrics[d.name]; dup {
		panic(fmt.Sprintf("metrics: %s registered twice", d.name))
	}
	r.metrics[d.name] = m
}

// WriteText writes every metric in the text exposition format, families
// sorted by name and samples by label values, so output is stable enough to
// compare in tests. Families without samples are left out.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	ms := make([]metric, 0, len(r.metrics))
	for _, m := range r.metrics {
		ms = append(ms, m)
	}
	r.mu.Unlock()
	slices.SortFunc(ms, func(a, b metric) int { return strings.Compare(a.desc().name, b.desc().name) })

	bw := bufio.NewWriter(w)
	var samples bytes.Buffer
	for _, m := range ms {
		samples.Reset()
		m.write(&samples)
		if samples.Len() == 0 {
			continue
		}
		d := m.desc()
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s %s\n", d.name, helpEscaper.Replace(d.help), d.name, d.typ)
		bw.Write(samples.Bytes())
	}
	return bw.Flush()
}

// Handler serves the registry for Prometheus to scrape. It does no access
// control: mount it where only the monitoring system can reach it.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		var buf bytes.Buffer
		if err := r.WriteText(&buf); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	})
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// writeSample appends one line: name{labels} value. Label names and values
// are given as parallel slices; extra holds a final pair such as le="0.5".
func writeSample(b *bytes.Buffer, name string, names, values []string, extraName, extraValue string, v float64) {
	b.WriteString(name)
	if len(names) > 0 || extraName != "" {
		b.WriteByte('{')
		sep := ""
		for i, n := range names {
			writeLabel(b, sep, n, values[i])
			sep = ","
		}
		if extraName != "" {
			writeLabel(b, sep, extraName, extraValue)
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatFloat(v))
	b.WriteByte('\n')
}

func writeLabel(b *bytes.Buffer, sep, name, value string) {
	b.WriteString(sep)
	b.WriteString(name)
	b.WriteString(`="`)
	valueEscaper.WriteString(b, value)
	b.WriteByte('"')
}

// formatFloat spells values the way Prometheus parses them, including the
// special values +Inf, -Inf and NaN.
func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
