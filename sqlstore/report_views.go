package sqlstore

import (
	"database/sql"
	"sync"
	"time"

	"github.com/peercircle/peercircle"
)

// Roll-ups kept whole (issue 14). Once its figures are kept per group
// (report_kept.go), a region's roll-up still reads and merges hundreds of
// kept rows on every view, though nothing in it has changed since the last.
// So each instance keeps the roll-ups it computed in memory, each with the
// stamp of what it was computed from and the span of time it holds for,
// and serves one again while both are the same:
//
//   - the stamp is read in one statement at the start of every roll-up, in
//     the snapshot the roll-up is computed in: the sum of the scope's group
//     totals in figure_marks (counters that only grow, moved by every write
//     to a meeting, its attendance, Sheet 2, feedback or memberships), the
//     version of people's names (migration 1306) and the version of the
//     groups, schedules and reports (migration 1308). When only the names'
//     version moved, the people renamed since (migration 1309) are read: a
//     roll-up that names none of them still holds. The tree, the settings
//     and the request are the memo's key;
//   - time changes a roll-up only at a site's midnight (today's date) and
//     at the start of a scheduled meeting (the meetings expected so far).
//     The computation notes the first of these after now (horizon), and a
//     roll-up is served only between the moment it was computed and then.
//
// Another instance's write moves the stamp in the database, so no instance
// serves a roll-up older than what it reads.

// inputsVersionKey is the settings row holding the version of the groups,
// schedules and reports, moved by triggers (migration 1308).
const inputsVersionKey = "reports.inputs_version"

// maxViewSites bounds the memo by the site rows of the roll-ups it holds:
// a national organisation's every area and region, with room to spare.
const maxViewSites = 4000

// viewKey is what a roll-up is computed for, besides the database's state.
type viewKey struct {
	level  string
	id     int64
	q      peercircle.Quarter
	trend  int
	k, due int
	tree   *peercircle.Tree // one value per version of the tree
}

// viewStamp is the database's state a roll-up was computed from.
type viewStamp struct {
	names, inputs string
	total         int64
}

type view struct {
	stamp    viewStamp
	from, to time.Time // it holds for from <= now < to
	ru       *peercircle.RollUp
	named    map[int64]bool // the people it names (facilitators)
}

// viewMemo holds roll-ups as computed, oldest first out.
type viewMemo struct {
	mu    sync.Mutex
	views map[viewKey]*view
	order []viewKey
	sites int
}

// viewMemo is the store's memo of roll-ups, or nil for a store that counts
// everything from the raw rows.
func (s *Store) viewMemo() *viewMemo {
	if s.CountRaw {
		return nil
	}
	return s.views
}

// readStamp reads the stamp of a scope in tx (where selects it, joining
// groups g, sites st and areas ar).
func readStamp(tx *Tx, where string, args []any) (viewStamp, error) {
	var st viewStamp
	var names, inputs sql.NullString
	err := tx.QueryRow(`SELECT (SELECT value FROM settings WHERE key = ?), (SELECT value FROM settings WHERE key = ?),
		COALESCE(SUM(fm.stamp), 0)
		FROM groups g JOIN sites st ON st.id = g.site_id JOIN areas ar ON ar.id = st.area_id
		LEFT JOIN figure_marks fm ON fm.group_id = g.id AND fm.month = '*'
		WHERE `+where, append([]any{namesVersionKey, inputsVersionKey}, args...)...).Scan(&names, &inputs, &st.total)
	st.names, st.inputs = names.String, inputs.String
	return st, err
}

// ForgetRollUps forgets the roll-ups this store keeps whole, as a restart
// would: the next of each is computed from the kept figures.
func (s *Store) ForgetRollUps() {
	if m := s.viewMemo(); m != nil {
		m.mu.Lock()
		m.views, m.order, m.sites = nil, nil, 0
		m.mu.Unlock()
	}
}

// get returns the roll-up kept for k at stamp st that holds at now, or nil.
// The roll-up is shared: callers must not change it. When only the names'
// version moved, the people renamed since are read in tx: a roll-up that
// names none of them holds, and is kept at the new version.
func (m *viewMemo) get(tx *Tx, k viewKey, st viewStamp, now time.Time) (*peercircle.RollUp, error) {
	if m == nil {
		return nil, nil
	}
	m.mu.Lock()
	v, ok := m.views[k]
	m.mu.Unlock()
	if !ok || now.Before(v.from) || !now.Before(v.to) {
		return nil, nil
	}
	if v.stamp == st {
		return v.ru, nil
	}
	if was := v.stamp; was.total != st.total || was.inputs != st.inputs {
		return nil, nil
	}
	changed, ok, err := namesChangedSince(tx, v.stamp.names)
	if err != nil || !ok {
		return nil, err
	}
	for id := range changed {
		if v.named[id] {
			return nil, nil
		}
	}
	m.mu.Lock()
	if m.views[k] == v {
		again := *v
		again.stamp = st
		m.views[k] = &again
	}
	m.mu.Unlock()
	return v.ru, nil
}

// put keeps a roll-up computed at now from stamp st, holding until h; it
// names the people in named.
func (m *viewMemo) put(k viewKey, st viewStamp, now time.Time, h *horizon, ru *peercircle.RollUp, named map[int64]bool) {
	if m == nil || h.until.IsZero() || len(ru.Sites) > maxViewSites {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.views == nil {
		m.views = map[viewKey]*view{}
	}
	if old, ok := m.views[k]; ok {
		m.sites -= len(old.ru.Sites)
	} else {
		m.order = append(m.order, k)
	}
	m.views[k] = &view{stamp: st, from: now, to: h.until, ru: ru, named: named}
	m.sites += len(ru.Sites)
	for m.sites > maxViewSites && len(m.order) > 0 {
		out := m.order[0]
		m.order = m.order[1:]
		if v, ok := m.views[out]; ok {
			m.sites -= len(v.ru.Sites)
			delete(m.views, out)
		}
	}
}

// horizon is the first moment a computation may come out differently with
// time alone: it holds for every now before until. A nil horizon notes
// nothing.
type horizon struct {
	until time.Time
}

// by notes that the computation changes at t.
func (h *horizon) by(t time.Time) {
	if h != nil && (h.until.IsZero() || t.Before(h.until)) {
		h.until = t
	}
}

// midnights notes the next midnight after now at each site: the date
// there, and with it what is late, recorded or still to come, changes.
func (h *horizon) midnights(sites []*peercircle.Site, now time.Time) {
	if h == nil {
		return
	}
	seen := map[*time.Location]bool{}
	for _, st := range sites {
		loc := siteLoc(st)
		if seen[loc] {
			continue
		}
		seen[loc] = true
		y, m, d := now.In(loc).Date()
		h.by(time.Date(y, m, d+1, 0, 0, 0, 0, loc))
	}
}
