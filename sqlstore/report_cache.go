package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
)

// The dashboards draw each site's trend over the quarters before the one
// shown, and recounting them was half of a roll-up's time. A quarter that
// has ended at a group's site keeps its figures unless someone changes one
// of its meetings, so each instance keeps the trend points of closed
// quarters per group, with two guards:
//
//   - the report version, a counter in the settings table that every change
//     to a meeting or an attendance of a past month bumps in its own
//     transaction (pastMeetingChangedTx); it is read in the roll-up's
//     snapshot, so a change made by any instance is seen on the next request;
//   - a fingerprint of what else the figures depend on (the group's site,
//     kind, status and dates, its site's zone and joining date, its
//     schedule, the first month of the year), compared on every read, so
//     changes to groups, schedules and sites need no bump.
//
// Writes to meetings of the running month (the live page, Sheet 2 of this
// week's meeting) do not bump the version: they cannot change a quarter
// that has ended.

// reportVersionKey is the settings row holding the report version.
const reportVersionKey = "report.past_version"

// maxTrendEntries bounds the cache: the national organisation with twenty
// quarters of trend is 12 000 entries.
const maxTrendEntries = 100_000

// BumpReportVersion marks figures of past quarters changed, inside the
// transaction that changes them. The store's own methods do it; code that
// writes meetings or attendance directly (the data generator) must too.
func BumpReportVersion(tx *Tx) error {
	_, err := tx.Exec(`INSERT INTO settings (key, value) VALUES (?, '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)`, reportVersionKey)
	return err
}

// pastMonth reports whether a meeting on localDate (the date at its site)
// may belong to a quarter that has ended somewhere. A quarter ends on the
// last day of a month, and the date at any site is at most the day after
// the date in UTC, so a meeting in a month before the one UTC's tomorrow
// is in may; one in a later month cannot.
func pastMonth(localDate string, now time.Time) bool {
	if len(localDate) < 7 {
		return true
	}
	return localDate[:7] < now.UTC().Add(24*time.Hour).Format("2006-01")
}

// pastMeetingChangedTx bumps the report version when a change to the
// meeting may change the figures of a quarter that has ended.
func pastMeetingChangedTx(tx *Tx, sessionID int64, now time.Time) error {
	var date string
	if err := tx.QueryRow("SELECT local_date FROM sessions WHERE id = ?", sessionID).Scan(&date); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	}
	if !pastMonth(date, now) {
		return nil
	}
	return BumpReportVersion(tx)
}

// reportVersionTx reads the report version in the transaction's snapshot.
func reportVersionTx(tx *Tx) (int64, error) {
	var v string
	err := tx.QueryRow("SELECT value FROM settings WHERE key = ?", reportVersionKey).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n, nil
}

type trendKey struct {
	group int64
	q     peercircle.Quarter
}

type trendEntry struct {
	fp    string // groupPrint when it was counted
	point peercircle.TrendPoint
}

// trendCache holds trend points of closed quarters counted at one report
// version.
type trendCache struct {
	mu      sync.Mutex
	version int64
	points  map[trendKey]trendEntry
}

// get returns the cached point, if it was counted at version with the
// same fingerprint.
func (c *trendCache) get(version int64, k trendKey, fp string) (peercircle.TrendPoint, bool) {
	if c.version != version {
		return peercircle.TrendPoint{}, false
	}
	e, ok := c.points[k]
	if !ok || e.fp != fp {
		return peercircle.TrendPoint{}, false
	}
	return e.point, true
}

// put keeps points counted at version; points counted at an older version
// than the cache's are dropped, a newer version empties the cache first.
func (c *trendCache) put(version int64, k trendKey, e trendEntry) {
	if version < c.version {
		return
	}
	if version > c.version || c.points == nil || len(c.points) >= maxTrendEntries {
		c.version, c.points = version, map[trendKey]trendEntry{}
	}
	c.points[k] = e
}

// groupPrint is everything besides the group's meetings that its figures
// for a closed quarter depend on.
func groupPrint(g *rgroup, schedule string, start int) string {
	var ended int64
	if g.EndedAt != nil {
		ended = g.EndedAt.UnixNano()
	}
	var joined string
	if g.site.JoinedProgramme != nil {
		joined = g.site.JoinedProgramme.Format(time.DateOnly)
	}
	return fmt.Sprintf("%d|%s|%s|%d|%d|%s|%s|%d|%s", g.SiteID, g.Kind, g.Status, g.CreatedAt.UnixNano(), ended,
		g.site.TimeZone, joined, start, schedule)
}

// closedAt reports whether quarter q has ended at the group's site.
func closedAt(g *rgroup, q peercircle.Quarter, start int, now time.Time) bool {
	return !now.Before(q.End(start, siteLoc(g.site)))
}

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
// span [lo, hi): the span's occurrences are expanded once and counted by
// binary search after.
func countBetween(sc *schedule.Schedule, lo, hi, from, to time.Time) int {
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
	return j - i
}
