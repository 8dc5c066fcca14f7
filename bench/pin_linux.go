package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// pinSelf moves every thread of this process onto cpus ("1" or "0-1,3"):
// the load generator then keeps off the server's cores. Threads the Go
// runtime starts later inherit the mask from the thread that starts them.
func pinSelf(cpus string) error {
	var mask [16]uint64 // 1024 CPUs
	set, err := parseCPUs(cpus)
	if err != nil {
		return err
	}
	for _, c := range set {
		if c >= 1024 {
			return fmt.Errorf("cpu %d out of range", c)
		}
		mask[c/64] |= 1 << (c % 64)
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask)))
		if errno != 0 && errno != syscall.ESRCH { // a thread may have exited meanwhile
			return fmt.Errorf("sched_setaffinity: %w", errno)
		}
	}
	return nil
}

// parseCPUs reads a taskset-style list: "1", "0,2", "0-3".
func parseCPUs(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("bad cpu list %q", s)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("bad cpu list %q", s)
			}
		}
		for c := a; c <= b; c++ {
			out = append(out, c)
		}
	}
	return out, nil
}
