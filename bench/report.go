package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the result as tables, one per backend: the figures per
// scenario, then the targets met and not.
func (r *Result) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "\nPeerCircle benchmark  %s  commit %s  %d CPUs  load %s → %s  servers on CPU %s, load on CPU %s\n",
		r.Started.Format("2006-01-02 15:04"), r.Commit, r.Machine.CPUs, r.Machine.LoadBefore, r.Machine.LoadAfter,
		orAll(r.Machine.ServerCPUs), orAll(r.Machine.LoadCPUs))
	for _, warn := range r.Machine.PinWarnings {
		fmt.Fprintln(w, "warning:", warn)
	}
	for _, b := range r.Backends {
		fmt.Fprintf(w, "\n== %s  (data set %s", b.Backend, b.Dataset.Key)
		if b.Dataset.Generated {
			fmt.Fprintf(w, ", generated in %.1fs", b.Dataset.GenerateSeconds)
		}
		fmt.Fprintln(w, ")")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "scenario\tclients\tproduct req/s\tspread %\tround s\tbaseline req/s\tratio\t÷ bare\tp50 ms\tp95 ms\tp99 ms\tbase p99 ms\tallocs/req\tbase allocs\tqueries/req\tKB/req\tcpu max/half\terrors\t")
		for _, s := range b.Scenarios {
			errs := s.Product.Max.Errors + s.Product.Rate.Errors
			fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.1f\t%.1f\t%.0f\t%.2f\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%.0f\t%.1f\t%.1f\t%.2f/%.2f\t%d\t\n",
				s.Name, s.Clients, s.Product.Max.RPS, s.Product.Spread, s.Product.RoundSeconds, s.Baseline.Max.RPS, s.Ratio, s.VsBare,
				s.Product.Rate.P50, s.Product.Rate.P95, s.Product.Rate.P99, s.Baseline.Rate.P99,
				s.Product.AllocsPerReq, s.Baseline.AllocsPerReq, s.Product.QueriesPerReq, s.Product.BytesPerReq/1024, s.Product.MaxCPU, s.Product.RateCPU, errs)
		}
		tw.Flush()
		if sk := b.Soak; sk != nil {
			fmt.Fprintf(w, "soak: %.0f s at %.0f req/s, GOMAXPROCS=1, memory limit %d MB: %d requests, %d errors, worst slice p99 %.1f ms; growth second half over first: resident %+.1f MB, heap %+.1f MB, open files %+d\n",
				sk.Seconds, sk.Rate, sk.MemLimitMB, sk.Requests, sk.Errors, sk.WorstP99, sk.RSSGrowthMB, sk.HeapGrowthMB, sk.OpenFilesGrowth)
		}
		if b.Bare != nil {
			fmt.Fprintf(w, "bare page (one indexed query, one template, same binary and data): %.0f req/s, spread %.1f %%, %.0f allocs/req\n",
				b.Bare.Max.RPS, b.Bare.Spread, b.Bare.AllocsPerReq)
		}
		fmt.Fprintf(w, "start-up to ready %.0f ms (runs %v)  resident after the run %.1f MB (%.1f MB after GC), peak %.1f MB (baseline peak %.1f MB)\n",
			b.StartupMS, b.StartupRuns, b.RSSAfterMB, b.RSSAfterGCMB, b.PeakMB, b.BaselinePeakMB)
		for _, s := range b.Scenarios {
			if e := s.Product.Max.FirstError + s.Product.Rate.FirstError; e != "" {
				fmt.Fprintf(w, "  %s product error: %s\n", s.Name, e)
			}
			if e := s.Baseline.Max.FirstError + s.Baseline.Rate.FirstError; e != "" {
				fmt.Fprintf(w, "  %s baseline error: %s\n", s.Name, e)
			}
		}
		for _, l := range b.LogNotable {
			fmt.Fprintln(w, "  product log:", l)
		}
		var missed []string
		for _, t := range b.Targets {
			if !t.Met {
				missed = append(missed, fmt.Sprintf("%s: %g%s (want %s)", t.What, t.Got, t.Unit, t.Want))
			}
		}
		fmt.Fprintf(w, "targets met: %d of %d\n", len(b.Targets)-len(missed), len(b.Targets))
		for _, m := range missed {
			fmt.Fprintln(w, "  not met:", m)
		}
	}
}

func orAll(s string) string {
	if s == "" {
		return "any"
	}
	return s
}

// WriteBenchfmt writes the result in Go's benchmark format, so two runs
// can be compared with benchstat (custom units: req/s, p99-ms, ...).
func (r *Result) WriteBenchfmt(w io.Writer) {
	fmt.Fprintf(w, "goos: %s\ngoarch: %s\npkg: github.com/peercircle/peercircle/bench\n", r.Machine.GOOS, r.Machine.GOARCH)
	for _, b := range r.Backends {
		for _, s := range b.Scenarios {
			for _, side := range []struct {
				name string
				s    Side
			}{{"product", s.Product}, {"baseline", s.Baseline}} {
				fmt.Fprintf(w, "BenchmarkPeerCircle/%s/%s/%s 1 %.1f req/s %.2f p50-ms %.2f p99-ms %.0f allocs/op %.0f B/op\n",
					b.Backend, s.Name, side.name, side.s.Max.RPS, side.s.Rate.P50, side.s.Rate.P99, side.s.AllocsPerReq, side.s.BytesPerReq)
			}
			fmt.Fprintf(w, "BenchmarkPeerCircle/%s/%s/ratio 1 %.3f ratio\n", b.Backend, s.Name, s.Ratio)
		}
		fmt.Fprintf(w, "BenchmarkPeerCircle/%s/startup 1 %.1f ms %.1f rss-MB %.1f peak-MB\n",
			b.Backend, b.StartupMS, b.RSSAfterMB, b.PeakMB)
	}
}

// Summary is a one-line verdict per backend.
func (r *Result) Summary() string {
	var parts []string
	for _, b := range r.Backends {
		met := 0
		for _, t := range b.Targets {
			if t.Met {
				met++
			}
		}
		parts = append(parts, fmt.Sprintf("%s: %d of %d targets met", b.Backend, met, len(b.Targets)))
	}
	return strings.Join(parts, "; ")
}
