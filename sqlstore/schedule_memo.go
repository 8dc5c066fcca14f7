package sqlstore

import (
	"slices"
	"sync"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
)

// Schedules are compiled, and expanded over a quarter, for every group on
// every roll-up; expanding walks the rule from the day the schedule began.
// Both are pure functions of what they are computed from, so they are kept
// by that (the schedule as stored; the compiled schedule and the quarter's
// bounds) and can never be stale.

// maxScheduleEntries bounds each of the two maps; a full map starts again.
const maxScheduleEntries = 20_000

type compiledSchedule struct {
	sc  *schedule.Schedule // nil: it does not compile
	err error
}

type spanKey struct {
	sc       *schedule.Schedule
	from, to int64 // Unix nanoseconds
}

var scheduleMemo struct {
	sync.Mutex
	compiled map[string]compiledSchedule
	starts   map[spanKey][]int64
}

// compileSchedule compiles a schedule as read, once per distinct text.
func compileSchedule(raw string, g *peercircle.GroupSchedule) (*schedule.Schedule, error) {
	scheduleMemo.Lock()
	c, ok := scheduleMemo.compiled[raw]
	scheduleMemo.Unlock()
	if ok {
		return c.sc, c.err
	}
	sc, err := g.Compile()
	scheduleMemo.Lock()
	if scheduleMemo.compiled == nil || len(scheduleMemo.compiled) >= maxScheduleEntries {
		scheduleMemo.compiled = map[string]compiledSchedule{}
	}
	scheduleMemo.compiled[raw] = compiledSchedule{sc, err}
	scheduleMemo.Unlock()
	return sc, err
}

// countBetween is len(sc.Between(from, to, 0)) for from and to inside the
// span [lo, hi) (0 when to is not after from): the span's occurrences are
// expanded once and counted by binary search after. When to is now, h
// notes when the count next changes: just after the first start from
// max(from, to) on.
func countBetween(sc *schedule.Schedule, lo, hi, from, to time.Time, h *horizon) int {
	k := spanKey{sc, lo.UnixNano(), hi.UnixNano()}
	scheduleMemo.Lock()
	starts, ok := scheduleMemo.starts[k]
	scheduleMemo.Unlock()
	if !ok {
		occ := sc.Between(lo, hi, 0)
		starts = make([]int64, len(occ))
		for i, o := range occ {
			starts[i] = o.Start.UnixNano()
		}
		scheduleMemo.Lock()
		if scheduleMemo.starts == nil || len(scheduleMemo.starts) >= maxScheduleEntries {
			scheduleMemo.starts = map[spanKey][]int64{}
		}
		scheduleMemo.starts[k] = starts
		scheduleMemo.Unlock()
	}
	i, _ := slices.BinarySearch(starts, from.UnixNano())
	j, _ := slices.BinarySearch(starts, to.UnixNano())
	if h != nil {
		if next := max(i, j); next < len(starts) {
			h.by(time.Unix(0, starts[next]+1))
		}
	}
	return max(j-i, 0)
}
