//go:build !unix

package bench

// cpuSeconds is unknown off Unix.
func cpuSeconds() float64 { return 0 }
