package metrics

import (
	"bytes"
	"os"
	"runtime"
	rtmetrics "runtime/metrics"
	"strconv"
	"time"
)

// startTime stands in for the process start time. Package initialisation
// runs milliseconds after exec, which is precise enough to spot restarts,
// and works on every operating system.
var startTime = time.Now()

// RegisterRuntime adds the Go runtime and process metrics that dashboards
// and alerts expect, under their usual names: go_goroutines,
// go_memstats_heap_alloc_bytes, process_start_time_seconds and, where
// /proc/self/statm exists, process_resident_memory_bytes.
func RegisterRuntime(r *Registry) {
	r.NewGaugeFunc("go_goroutines", "Number of goroutines that currently exist.",
		func() float64 { return float64(runtime.NumGoroutine()) })
	r.NewGaugeFunc("go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and still in use.",
		heapAlloc)
	r.NewGaugeFunc("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
		func() float64 { return float64(startTime.UnixNano()) / 1e9 })
	if _, err := residentMemory(); err == nil {
		r.NewGaugeFunc("process_resident_memory_bytes", "Resident memory size in bytes.",
			func() float64 {
				n, err := residentMemory()
				if err != nil {
					return 0
				}
				return n
			})
	}
}

// heapAlloc reads the same figure as runtime.MemStats.HeapAlloc through
// runtime/metrics, which does not stop the world as ReadMemStats does.
func heapAlloc() float64 {
	s := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	rtmetrics.Read(s)
	if s[0].Value.Kind() != rtmetrics.KindUint64 {
		return 0
	}
	return float64(s[0].Value.Uint64())
}

// residentMemory reads the resident set size from /proc/self/statm, whose
// second field counts pages.
func residentMemory() (float64, error) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, err
	}
	fields := bytes.Fields(b)
	if len(fields) < 2 {
		return 0, strconv.ErrSyntax
	}
	pages, err := strconv.ParseUint(string(fields[1]), 10, 64)
	if err != nil {
		return 0, err
	}
	return float64(pages) * float64(os.Getpagesize()), nil
}
