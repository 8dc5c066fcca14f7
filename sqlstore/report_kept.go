package sqlstore

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"

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
	version                   int64
	planned, held, attendance int
	data                      string
}

// marks are the counters of figure_marks: group → month → stamp (the
// month "" is the group's own).
type marks map[int64]map[string]int64

// readMarks reads the counters of the scope's groups for the months from
// first to last (YYYY-MM, inclusive) and the groups' own.
func readMarks(tx *Tx, where string, args []any, first, last string) (marks, error) {
	rows, err := tx.Query(`SELECT fm.group_id, fm.month, fm.stamp FROM figure_marks fm
		JOIN groups g ON g.id = fm.group_id JOIN sites st ON st.id = g.site_id JOIN areas ar ON ar.id = st.area_id
		WHERE `+where+` AND (fm.month = '' OR (fm.month >= ? AND fm.month <= ?))`, append(append([]any(nil), args...), first, last)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := marks{}
	for rows.Next() {
		var gid, stamp int64
		var month string
		if err := rows.Scan(&gid, &month, &stamp); err != nil {
			return nil, err
		}
		m := out[gid]
		if m == nil {
			m = map[string]int64{}
			out[gid] = m
		}
		m[month] = stamp
	}
	return out, rows.Err()
}

// version is the group's version for the quarter of the given months.
func (m marks) version(gid int64, months []string) int64 {
	g := m[gid]
	v := g[""]
	for _, month := range months {
		v += g[month]
	}
	return v
}

// readKept reads the kept rows of the scope's groups for quarters
// beginning in the given months; data only when withData.
func readKept(tx *Tx, where string, args []any, firsts []string, withData bool) (map[keptKey]keptRow, error) {
	cols := "gf.group_id, gf.first_month, gf.version, gf.planned, gf.held, gf.attendance"
	if withData {
		cols += ", gf.data"
	}
	a := append([]any(nil), args...)
	for _, f := range firsts {
		a = append(a, f)
	}
	rows, err := tx.Query(`SELECT `+cols+` FROM group_figures gf
		JOIN groups g ON g.id = gf.group_id JOIN sites st ON st.id = g.site_id JOIN areas ar ON ar.id = st.area_id
		WHERE `+where+` AND gf.first_month IN (`+placeholders(len(firsts))+`)`, a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[keptKey]keptRow{}
	for rows.Next() {
		var r keptRow
		dest := []any{&r.key.group, &r.key.first, &r.version, &r.planned, &r.held, &r.attendance}
		if withData {
			dest = append(dest, &r.data)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out[r.key] = r
	}
	return out, rows.Err()
}

// narrow adds "only these groups" to a scope's WHERE, unless they are all
// of it (or so many that the scope is as quick).
func narrow(where string, args []any, ids []int64, all int) (string, []any) {
	if len(ids) == all || len(ids) > 500 {
		return where, args
	}
	a := append([]any(nil), args...)
	for _, id := range ids {
		a = append(a, id)
	}
	return where + " AND g.id IN (" + placeholders(len(ids)) + ")", a
}

// kept returns group gid's counted figures in the kept form, at version.
func (c *calc) kept(gid int64, version int64) (keptRow, error) {
	f := c.figs[gid]
	k := keptForm{F: *f, Planned: c.planned[gid]}
	for key, bits := range c.people[gid] {
		k.People = append(k.People, strconv.Itoa(int(bits))+":"+key.String())
	}
	b, err := json.Marshal(&k)
	if err != nil {
		return keptRow{}, err
	}
	return keptRow{key: keptKey{gid, c.months[0]}, version: version,
		planned: f.Planned, held: f.Held, attendance: f.Attendance, data: string(b)}, nil
}

// load sets group gid's counted figures from a kept row.
func (c *calc) load(gid int64, data string) error {
	var k keptForm
	if err := json.Unmarshal([]byte(data), &k); err != nil {
		return err
	}
	*c.figs[gid] = k.F
	c.planned[gid] = k.Planned
	set := c.people[gid]
	for _, p := range k.People {
		bits, key, ok := strings.Cut(p, ":")
		n, err := strconv.Atoi(bits)
		if !ok || err != nil {
			return errBadKept
		}
		set[parseKey(key)] |= uint8(n)
	}
	return nil
}

var errBadKept = peercircle.Errorf(peercircle.EINTERNAL, "", "kept figures: bad person entry")

// saveKept keeps counted figures, replacing only older versions.
func saveKept(tx *Tx, rows []keptRow) error {
	for _, r := range rows {
		_, err := tx.Exec(`INSERT INTO group_figures (group_id, first_month, version, planned, held, attendance, data)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (group_id, first_month) DO UPDATE SET version = excluded.version, planned = excluded.planned,
				held = excluded.held, attendance = excluded.attendance, data = excluded.data
			WHERE group_figures.version < excluded.version`,
			r.key.group, r.key.first, r.version, r.planned, r.held, r.attendance, r.data)
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
