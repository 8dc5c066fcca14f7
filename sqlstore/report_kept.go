package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/peercircle/peercircle"
)

// Figures kept per group and quarter (issue 14). Counting a region's
// quarter from its meetings, attendance and feedback took most of a
// roll-up's time, and the trend lines counted every quarter before it
// again. So the part of a group's figures that depends only on its rows
// (not on today, the schedule or the names people go by) is kept in
// group_figures, with the version it was counted at:
//
//   - triggers (migration 1301) add one to a counter per group and month in
//     figure_marks in the transaction of every write to a meeting, its
//     attendance, Sheet 2, support given or feedback, and to a counter per
//     group for its memberships (who asked to stay unlisted); being in the
//     database, they see every code path, cascade, import and bulk load, on
//     every instance;
//   - a quarter's version for a group is the sum of its three months'
//     counters and the group's own. Counters only grow, so the sum is the
//     same if and only if nothing it covers changed;
//   - a read compares the kept version with the counters in the same
//     snapshot as the rows, counts again from the raw rows every group
//     whose version differs or that has nothing kept, and keeps what it
//     counted after the read (a write only replaces an older version, so
//     two readers can never put an older count over a newer one).
//
// What changes with time is applied on every read: meetings still planned
// are kept as dates and split into not recorded and upcoming against
// today; expected meetings come from the schedule; facilitators are kept
// as ids and named as they are named now; the k rule applies last.

// keptForm is what group_figures.data holds: the figures as counted from
// the rows, before today, names and the schedule are applied.
type keptForm struct {
	F       peercircle.Figures `json:"f"`
	Planned []string           `json:"planned,omitempty"` // local dates of meetings still "planned"
	People  []string           `json:"people,omitempty"`  // "bits:key" (personKey)
}

type keptKey struct {
	group int64
	first string // the quarter's first month, YYYY-MM
}

// keptRow is one row of group_figures.
type keptRow struct {
	key                       keptKey
	version, verified         int64
	planned, held, attendance int
	data                      string
}

// marks are the counters of figure_marks summed per group and quarter:
// group → the quarter's first month → the sum of its months' counters; the
// key "" holds the group's own counter.
type marks map[int64]map[string]int64

// readMarks reads the counters of the scope's groups for the quarters of
// the given months (each a quarter's three, YYYY-MM) and the groups' own,
// summed in the database: one row per group. The months are listed, so
// each group's are found by key.
func readMarks(tx *Tx, where string, args []any, quarters [][]string) (marks, error) {
	var cols strings.Builder
	var a []any
	in := []any{""}
	for _, months := range quarters {
		cols.WriteString(", SUM(CASE WHEN fm.month IN (?, ?, ?) THEN fm.stamp ELSE 0 END)")
		for _, m := range months {
			a = append(a, m)
			in = append(in, m)
		}
	}
	a = append(append(a, args...), in...)
	rows, err := tx.Query(`SELECT fm.group_id, SUM(CASE WHEN fm.month = '' THEN fm.stamp ELSE 0 END)`+cols.String()+`
		FROM figure_marks fm JOIN groups g ON g.id = fm.group_id JOIN sites st ON st.id = g.site_id JOIN areas ar ON ar.id = st.area_id
		WHERE `+where+` AND fm.month IN (`+placeholders(len(in))+`) GROUP BY fm.group_id`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := marks{}
	sums := make([]int64, len(quarters)+1)
	dest := make([]any, len(quarters)+2)
	var gid int64
	dest[0] = &gid
	for i := range sums {
		dest[i+1] = &sums[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		m := make(map[string]int64, len(sums))
		m[""] = sums[0]
		for i, months := range quarters {
			m[months[0]] = sums[i+1]
		}
		out[gid] = m
	}
	return out, rows.Err()
}

// version is the group's version for the quarter of the given months.
func (m marks) version(gid int64, months []string) int64 {
	g := m[gid]
	return g[""] + g[months[0]]
}

// figState is what one read knows of the kept figures of a scope's groups
// for some quarters: the rows that are current, and the version a count of
// each quarter that has none would be kept at.
//
// A group's total counter (month '*', migration 1305) sums all its marks,
// and a kept row remembers the total it was last known current at
// (verified). A row whose group's total has not moved since is current
// without summing its months; only the groups with a row that is missing
// or older than their total have their months' marks read. A row found
// current that way is verified again at the new total after the read.
type figState struct {
	rows    map[keptKey]keptRow // current rows
	version map[keptKey]int64   // the version of each quarter with no current row
	total   map[int64]int64     // group → its total counter
	// verify holds rows found current by their version, to record at the
	// group's total (keptRow.data is empty).
	verify []keptRow
}

// readState reads the state of the kept figures of the given groups (all
// in the scope where selects) for the quarters of the given months (each a
// quarter's three, YYYY-MM). all is the number of groups in the scope.
func readState(tx *Tx, where string, args []any, gids []int64, all int, quarters [][]string) (*figState, error) {
	st := &figState{rows: make(map[keptKey]keptRow, len(gids)*len(quarters)), version: map[keptKey]int64{}, total: make(map[int64]int64, len(gids))}
	if len(gids) == 0 {
		return st, nil
	}
	a := make([]any, 0, len(quarters)+len(args))
	for _, months := range quarters {
		a = append(a, months[0])
	}
	a = append(a, args...)
	// A group with no kept row reads one row with an empty first month.
	rows, err := tx.Query(`SELECT g.id, COALESCE(fm.stamp, 0), COALESCE(gf.first_month, ''), COALESCE(gf.version, 0),
			COALESCE(gf.verified, 0), COALESCE(gf.planned, 0), COALESCE(gf.held, 0), COALESCE(gf.attendance, 0)
		FROM groups g JOIN sites st ON st.id = g.site_id JOIN areas ar ON ar.id = st.area_id
		LEFT JOIN figure_marks fm ON fm.group_id = g.id AND fm.month = '*'
		LEFT JOIN group_figures gf ON gf.group_id = g.id AND gf.first_month IN (`+placeholders(len(quarters))+`)
		WHERE `+where, a...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r keptRow
		var total int64
		if err := rows.Scan(&r.key.group, &total, &r.key.first, &r.version, &r.verified, &r.planned, &r.held, &r.attendance); err != nil {
			rows.Close()
			return nil, err
		}
		st.total[r.key.group] = total
		if r.key.first != "" {
			st.rows[r.key] = r
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	var need []int64
	for _, gid := range gids {
		for _, months := range quarters {
			if r, ok := st.rows[keptKey{gid, months[0]}]; !ok || r.verified != st.total[gid] {
				need = append(need, gid)
				break
			}
		}
	}
	if len(need) == 0 {
		return st, nil
	}
	w, wa := narrow(where, args, need, all)
	m, err := readMarks(tx, w, wa, quarters)
	if err != nil {
		return nil, err
	}
	for _, gid := range need {
		total := st.total[gid]
		for _, months := range quarters {
			key := keptKey{gid, months[0]}
			r, ok := st.rows[key]
			if ok && r.verified == total {
				continue
			}
			v := m.version(gid, months)
			if ok && r.version == v {
				st.verify = append(st.verify, keptRow{key: key, version: v, verified: total})
				continue
			}
			delete(st.rows, key)
			st.version[key] = v
		}
	}
	return st, nil
}

// narrow adds "only these groups" to a scope's WHERE, unless they are all
// of it (or so many that the scope is as quick).
func narrow(where string, args []any, ids []int64, all int) (string, []any) {
	if len(ids) == all || len(ids) > 500 {
		return where, args
	}
	in, list := inIDs(ids)
	return where + " AND g.id IN (" + in + ")", append(append([]any(nil), args...), list...)
}

// kept returns group gid's counted figures in the kept form, at version,
// current at the group's total counter verified.
func (c *calc) kept(gid int64, version, verified int64) (keptRow, error) {
	f := c.figs[gid]
	k := keptForm{F: *f, Planned: c.planned[gid]}
	for key, bits := range c.people[gid] {
		k.People = append(k.People, strconv.Itoa(int(bits))+":"+key.String())
	}
	b, err := json.Marshal(&k)
	if err != nil {
		return keptRow{}, err
	}
	return keptRow{key: keptKey{gid, c.months[0]}, version: version, verified: verified,
		planned: f.Planned, held: f.Held, attendance: f.Attendance, data: string(b)}, nil
}

// decoded is a kept form as read: the people parsed. It is shared through
// the memo and never changed; load copies what finish changes.
type decoded struct {
	f       peercircle.Figures
	planned []string
	people  []personBits
}

type personBits struct {
	key  pkey
	bits uint8
}

func decode(data string) (*decoded, error) {
	var k keptForm
	if err := json.Unmarshal([]byte(data), &k); err != nil {
		return nil, err
	}
	d := &decoded{f: k.F, planned: k.Planned, people: make([]personBits, 0, len(k.People))}
	for _, p := range k.People {
		bits, key, ok := strings.Cut(p, ":")
		n, err := strconv.Atoi(bits)
		if !ok || err != nil || n <= 0 || n > 7 {
			return nil, errBadKept
		}
		k, err := parseKey(key)
		if err != nil {
			return nil, errBadKept
		}
		d.people = append(d.people, personBits{k, uint8(n)})
	}
	return d, nil
}

// load sets group gid's counted figures from a decoded kept form.
func (c *calc) load(gid int64, d *decoded) {
	f := c.figs[gid]
	*f = d.f
	f.Facilitators = slices.Clone(d.f.Facilitators)
	f.Topics = slices.Clone(d.f.Topics)
	f.Support = slices.Clone(d.f.Support)
	f.Feedback = slices.Clone(d.f.Feedback)
	f.DatesHeld = slices.Clone(d.f.DatesHeld)
	c.planned[gid] = d.planned
	set := c.people[gid]
	for _, p := range d.people {
		set[p.key] |= p.bits
	}
}

var errBadKept = peercircle.Errorf(peercircle.EINTERNAL, "", "kept figures: bad person entry")

// maxDecoded bounds the memo of decoded forms: the national organisation's
// 600 groups over twenty quarters are 12 000.
const maxDecoded = 20_000

// keptMemo keeps decoded forms by group, quarter and version, so a
// dashboard read again decodes nothing. A version names one content for
// good (report_kept.go), so an entry is never stale: a newer version is a
// miss, read from the database.
type keptMemo struct {
	mu sync.Mutex
	m  map[keptKey]memoEntry
}

type memoEntry struct {
	version int64
	d       *decoded
}

func (m *keptMemo) get(k keptKey, version int64) *decoded {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.m[k]; ok && e.version == version {
		return e.d
	}
	return nil
}

func (m *keptMemo) put(k keptKey, version int64, d *decoded) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil || len(m.m) >= maxDecoded {
		m.m = map[keptKey]memoEntry{}
	}
	m.m[k] = memoEntry{version, d}
}

// readData reads the data of the given groups' kept rows for the quarter
// beginning in first.
func readData(tx *Tx, ids []int64, first string) (map[int64]keptRow, error) {
	out := map[int64]keptRow{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		in, list := inIDs(ids[:n])
		a := append([]any{first}, list...)
		rows, err := tx.Query(`SELECT group_id, version, data FROM group_figures WHERE first_month = ? AND group_id IN (`+in+`)`, a...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r keptRow
			if err := rows.Scan(&r.key.group, &r.version, &r.data); err != nil {
				rows.Close()
				return nil, err
			}
			r.key.first = first
			out[r.key.group] = r
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// saveKept keeps counted figures, replacing only older versions (or the
// same version known current at an older total), and records the newer
// total of rows found current by their version. Rows are
// written in key order, so two readers keeping the same groups at once
// take their row locks in one order (PostgreSQL would otherwise find a
// deadlock between them).
func saveKept(tx *Tx, rows []keptRow) error {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b keptRow) int {
		if c := cmp.Compare(a.key.group, b.key.group); c != 0 {
			return c
		}
		return strings.Compare(a.key.first, b.key.first)
	})
	for _, r := range rows {
		var err error
		if r.data == "" { // found current by its version: verified at a newer total
			_, err = tx.Exec(`UPDATE group_figures SET verified = ?
				WHERE group_id = ? AND first_month = ? AND version = ? AND verified < ?`,
				r.verified, r.key.group, r.key.first, r.version, r.verified)
		} else {
			_, err = tx.Exec(`INSERT INTO group_figures (group_id, first_month, version, verified, planned, held, attendance, data)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (group_id, first_month) DO UPDATE SET version = excluded.version, verified = excluded.verified,
					planned = excluded.planned, held = excluded.held, attendance = excluded.attendance, data = excluded.data
				WHERE group_figures.version < excluded.version
					OR (group_figures.version = excluded.version AND group_figures.verified < excluded.verified)`,
				r.key.group, r.key.first, r.version, r.verified, r.planned, r.held, r.attendance, r.data)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// keep writes what a read counted, after the read. Failing to keep it
// only means the next read counts again, so it is logged, not returned.
func (s *Store) keep(ctx context.Context, rows []keptRow) {
	if len(rows) == 0 {
		return
	}
	if err := s.DB.Write(ctx, func(tx *Tx) error { return saveKept(tx, rows) }); err != nil {
		slog.WarnContext(ctx, "keeping counted figures", "rows", len(rows), "err", err)
	}
}
