package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// keptWorld is a generated region read through two instances that keep
// figures in group_figures and a reference that counts everything from
// the raw rows every time.
type keptWorld struct {
	t      *testing.T
	ctx    context.Context
	s      *sqlstore.Store
	other  *sqlstore.Store
	raw    *sqlstore.Store
	w      *genWorld
	rng    *rand.Rand
	quarts []peercircle.Quarter
	clock  *storetest.Clock
}

func newKeptWorld(t *testing.T, s *sqlstore.Store, sites int) *keptWorld {
	w, clock := reportStore(t, s, sites)
	other := sqlstore.New(s.DB, s.Keys)
	other.Now = clock.Now
	raw := sqlstore.New(s.DB, s.Keys)
	raw.Now, raw.CountRaw = clock.Now, true
	return &keptWorld{t: t, ctx: context.Background(), s: s, other: other, raw: raw, w: w, rng: rand.New(rand.NewPCG(14, 1)),
		quarts: []peercircle.Quarter{{Year: 2026, N: 4}, q1, {Year: 2027, N: 2}}, clock: clock}
}

// same checks that every level the kept figures feed (each site's Sheet 3,
// the region's roll-up with its trend lines) reads the same through st as
// through the raw reference, for every quarter of the data.
func (k *keptWorld) same(what string, st *sqlstore.Store) {
	k.t.Helper()
	for _, q := range k.quarts {
		got, err := st.RollUp(k.ctx, peercircle.LevelRegion, k.w.Region.ID, q, 4)
		if err != nil {
			k.t.Fatal(err)
		}
		want, err := k.raw.RollUp(k.ctx, peercircle.LevelRegion, k.w.Region.ID, q, 4)
		if err != nil {
			k.t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			k.t.Fatalf("%s: roll-up of %s differs from a count over the raw rows\n got %+v\nwant %+v", what, q, got, want)
		}
		for _, site := range k.w.Sites {
			got, err := st.Sheet3(k.ctx, site.ID, q)
			if err != nil {
				k.t.Fatal(err)
			}
			want, err := k.raw.Sheet3(k.ctx, site.ID, q)
			if err != nil {
				k.t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				k.t.Fatalf("%s: Sheet 3 of %s for %s differs from a count over the raw rows\n got %+v\nwant %+v", what, site.Name, q, got, want)
			}
		}
	}
}

// exec runs one statement in its own transaction.
func (k *keptWorld) exec(query string, args ...any) {
	k.t.Helper()
	if err := k.s.DB.Write(k.ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.Exec(query, args...)
		return err
	}); err != nil {
		k.t.Fatalf("%s: %v", query, err)
	}
}

// pick returns one id the query selects, at random, or 0.
func (k *keptWorld) pick(query string, args ...any) int64 {
	k.t.Helper()
	var n int64
	if err := k.s.DB.QueryRow(k.ctx, "SELECT COUNT(*) FROM ("+query+") x", args...).Scan(&n); err != nil {
		k.t.Fatal(err)
	}
	if n == 0 {
		return 0
	}
	var id int64
	if err := k.s.DB.QueryRow(k.ctx, query+fmt.Sprintf(" ORDER BY 1 LIMIT 1 OFFSET %d", k.rng.Int64N(n)), args...).Scan(&id); err != nil {
		k.t.Fatal(err)
	}
	return id
}

// TestKeptFiguresMatchARawCount runs random sequences of the writes that
// change figures (presences, late meetings, cancellations, meetings moved
// across months and quarters, deletions, erasures, Sheet 2 reviews,
// feedback, support, unlisted facilitators, renamed people, paused and
// moved groups, schedule changes, reports, time passing), through the
// store and in plain SQL, and after each
// checks every Sheet 3 and roll-up read through two instances that keep
// figures against a count over the raw rows.
func TestKeptFiguresMatchARawCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		k := newKeptWorld(t, s, 2)
		k.same("counted", k.s)
		k.same("kept", k.s)
		var n int64
		if err := s.DB.QueryRow(k.ctx, "SELECT COUNT(*) FROM group_figures").Scan(&n); err != nil || n == 0 {
			t.Fatalf("nothing kept after two reads: %d %v", n, err)
		}
		steps := k.steps()
		for i := range 40 {
			st := steps[k.rng.IntN(len(steps))]
			st.do()
			who := k.s
			if i%2 == 1 {
				who = k.other
			}
			k.same(fmt.Sprintf("step %d (%s)", i+1, st.name), who)
			k.totalsAddUp(fmt.Sprintf("step %d (%s)", i+1, st.name))
		}
	})
}

// totalsAddUp checks that every group's total counter (month '*') is the
// sum of its other marks, as the triggers of migration 1305 keep it.
func (k *keptWorld) totalsAddUp(what string) {
	k.t.Helper()
	var groups, wrong int64
	err := k.s.DB.QueryRow(k.ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN t <> n THEN 1 ELSE 0 END), 0) FROM (
		SELECT group_id, SUM(CASE WHEN month = '*' THEN stamp ELSE 0 END) AS t, SUM(CASE WHEN month <> '*' THEN stamp ELSE 0 END) AS n
		FROM figure_marks GROUP BY group_id) x`).Scan(&groups, &wrong)
	if err != nil {
		k.t.Fatal(err)
	}
	if groups == 0 || wrong != 0 {
		k.t.Fatalf("%s: %d of %d groups' total counters are not the sum of their marks", what, wrong, groups)
	}
}

type keptStep struct {
	name string
	do   func()
}

func (k *keptWorld) steps() []keptStep {
	session := func(where string) int64 {
		return k.pick("SELECT m.id FROM sessions m WHERE " + where)
	}
	return []keptStep{
		{"presence marked at a past meeting", func() {
			var sid, pid int64
			err := k.s.DB.QueryRow(k.ctx, `SELECT m.id, ms.person_id FROM sessions m JOIN memberships ms ON ms.group_id = m.group_id
				WHERE m.status = 'held' AND ms.status IN ('active', 'on_leave')
				AND NOT EXISTS (SELECT 1 FROM summaries su WHERE su.session_id = m.id AND su.state IN ('submitted', 'accepted'))
				ORDER BY m.id, ms.person_id LIMIT 1 OFFSET ?`, k.rng.IntN(50)).Scan(&sid, &pid)
			if err != nil {
				k.t.Fatal(err)
			}
			if err := k.s.MarkPresent(k.ctx, sid, pid, k.rng.IntN(2) == 0); err != nil {
				k.t.Fatal(err)
			}
		}},
		{"a meeting recorded late in a closed quarter", func() {
			g := k.w.Groups[k.rng.IntN(len(k.w.Groups))]
			day := 1 + k.rng.IntN(28)
			month := time.Month(10 + k.rng.IntN(3))
			at := time.Date(2026, month, day, 15, 0, 0, 0, time.UTC)
			m := &peercircle.Session{GroupID: g.ID, PlannedStart: at, PlannedEnd: at.Add(time.Hour),
				LocalDate: at.Format(time.DateOnly), Status: peercircle.SessionHeld, Topic: "Late topic"}
			if err := k.s.AddSession(k.ctx, m); err != nil {
				k.t.Fatal(err)
			}
		}},
		{"a held meeting cancelled", func() {
			if id := session("m.status = 'held'"); id != 0 {
				k.exec("UPDATE sessions SET status = 'cancelled' WHERE id = ?", id)
			}
		}},
		{"a planned meeting left unrecorded, then recorded", func() {
			if id := session("m.status = 'planned'"); id != 0 {
				k.exec("UPDATE sessions SET status = 'held' WHERE id = ?", id)
			}
		}},
		{"a meeting moved to another month", func() {
			if id := session("m.local_date < '2027-04-01'"); id != 0 {
				k.exec("UPDATE sessions SET local_date = ? WHERE id = ?", fmt.Sprintf("2027-0%d-1%d", 1+k.rng.IntN(5), k.rng.IntN(9)), id)
			}
		}},
		{"a meeting deleted with its rows", func() {
			if id := session("1 = 1"); id != 0 {
				k.exec("DELETE FROM sessions WHERE id = ?", id)
			}
		}},
		{"a person's presences erased", func() {
			if id := k.pick("SELECT DISTINCT person_id FROM attendance WHERE person_id IS NOT NULL"); id != 0 {
				k.exec("DELETE FROM attendance WHERE person_id = ?", id)
			}
		}},
		{"a guest recorded by name", func() {
			if id := session("m.status = 'held'"); id != 0 {
				k.exec(`INSERT INTO attendance (session_id, person_id, guest_name, kind, status, updated_at) VALUES (?, NULL, ?, 'guest', 'present', ?)`,
					id, fmt.Sprintf("Guest %d", k.rng.IntN(3)), time.Now().UTC())
			}
		}},
		{"a Sheet 2 accepted or returned", func() {
			if id := k.pick("SELECT session_id FROM summaries"); id != 0 {
				k.exec("UPDATE summaries SET state = ?, topic = ?, cases_discussed = ? WHERE session_id = ?",
					[]string{"accepted", "returned", "submitted"}[k.rng.IntN(3)], genTopics[k.rng.IntN(len(genTopics))], k.rng.IntN(4), id)
			}
		}},
		{"feedback answered", func() {
			if id := session("m.status = 'held'"); id != 0 {
				k.exec(`INSERT INTO feedback_rounds (session_id, open, tokens_issued, responses) VALUES (?, FALSE, 5, 3)
					ON CONFLICT (session_id) DO UPDATE SET responses = feedback_rounds.responses + 1`, id)
				k.exec(`INSERT INTO feedback_counts (session_id, question, value, n) VALUES (?, 'safe', ?, 1)
					ON CONFLICT (session_id, question, value) DO UPDATE SET n = feedback_counts.n + 1`, id, 1+k.rng.IntN(5))
			}
		}},
		{"support given", func() {
			if id := k.pick("SELECT session_id FROM summaries"); id != 0 {
				k.exec(`INSERT INTO summary_support (session_id, kind, n) VALUES (?, 'referral', 1)
					ON CONFLICT (session_id, kind) DO UPDATE SET n = summary_support.n + 1`, id)
			}
		}},
		{"a facilitator asks to stay unlisted", func() {
			if id := k.pick("SELECT ms.id FROM memberships ms WHERE EXISTS (SELECT 1 FROM sessions m WHERE m.facilitator_id = ms.person_id AND m.group_id = ms.group_id)"); id != 0 {
				k.exec("UPDATE memberships SET unlisted = NOT unlisted WHERE id = ?", id)
			}
		}},
		{"a facilitator renamed", func() {
			if id := k.pick("SELECT DISTINCT facilitator_id FROM sessions WHERE facilitator_id IS NOT NULL"); id != 0 {
				k.exec("UPDATE people SET display_name = ? WHERE id = ?", fmt.Sprintf("Renamed %d", k.rng.IntN(100)), id)
			}
		}},
		{"a group paused or resumed", func() {
			g := k.w.Groups[k.rng.IntN(len(k.w.Groups))]
			got, err := k.s.Group(k.ctx, g.ID)
			if err != nil {
				k.t.Fatal(err)
			}
			got.Status = map[string]string{peercircle.GroupPaused: peercircle.GroupActive}[got.Status]
			if got.Status == "" {
				got.Status = peercircle.GroupPaused
			}
			if err := k.s.UpdateGroup(k.ctx, got); err != nil {
				k.t.Fatal(err)
			}
		}},
		{"time passes (across meetings' starts and midnights)", func() {
			k.clock.Add(time.Duration(1+k.rng.IntN(30))*time.Hour + time.Duration(k.rng.IntN(60))*time.Minute)
		}},
		{"a report submitted, accepted or returned", func() {
			site := k.w.Sites[k.rng.IntN(len(k.w.Sites))]
			q := k.quarts[k.rng.IntN(len(k.quarts))]
			at := k.clock.Now().AddDate(0, 0, -k.rng.IntN(60))
			k.exec(`INSERT INTO reports (site_id, quarter, state, submitted_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (site_id, quarter) DO UPDATE SET state = excluded.state, submitted_at = excluded.submitted_at`,
				site.ID, q.String(), []string{"submitted", "accepted", "returned"}[k.rng.IntN(3)], at, at, at)
		}},
		{"a group moved to another site", func() {
			g := k.w.Groups[k.rng.IntN(len(k.w.Groups))]
			k.exec("UPDATE groups SET site_id = ? WHERE id = ?", k.w.Sites[k.rng.IntN(len(k.w.Sites))].ID, g.ID)
		}},
		{"a schedule changed", func() {
			g := k.w.Groups[k.rng.IntN(len(k.w.Groups))]
			sc := &peercircle.GroupSchedule{GroupID: g.ID, Preset: "staff", Rule: []string{"FREQ=MONTHLY;BYDAY=2WE,-1WE", "FREQ=WEEKLY;BYDAY=TU"}[k.rng.IntN(2)],
				StartDate: "2026-11-0" + fmt.Sprint(1+k.rng.IntN(9)), StartTime: "10:00", Minutes: 90, TimeZone: "Asia/Amman"}
			if err := k.s.SaveSchedule(k.ctx, sc); err != nil {
				k.t.Fatal(err)
			}
		}},
	}
}

// presenceThisQuarter marks a member present at a held meeting of the
// running quarter (2027Q2) whose Sheet 2 is still open, and returns the
// meeting's group.
func (k *keptWorld) presenceThisQuarter() (group int64) {
	k.t.Helper()
	var sid, pid int64
	err := k.s.DB.QueryRow(k.ctx, `SELECT m.id, ms.person_id, m.group_id FROM sessions m JOIN memberships ms ON ms.group_id = m.group_id
		WHERE m.status = 'held' AND m.local_date >= '2027-04-01' AND ms.status IN ('active', 'on_leave')
		AND NOT EXISTS (SELECT 1 FROM summaries su WHERE su.session_id = m.id AND su.state IN ('submitted', 'accepted'))
		ORDER BY m.id, ms.person_id LIMIT 1`).Scan(&sid, &pid, &group)
	if err != nil {
		k.t.Fatal(err)
	}
	if err := k.s.MarkPresent(k.ctx, sid, pid, false); err != nil {
		k.t.Fatal(err)
	}
	return group
}

// TestRunningMonthLeavesClosedQuartersKept checks that a presence marked
// in the running quarter does not touch the marks of a quarter that has ended.
func TestRunningMonthLeavesClosedQuartersKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		k := newKeptWorld(t, s, 2)
		sum := func() (n int64) {
			t.Helper()
			if err := s.DB.QueryRow(k.ctx, "SELECT COALESCE(SUM(stamp), 0) FROM figure_marks WHERE month >= '2026-10' AND month <= '2027-03'").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := sum()
		k.presenceThisQuarter()
		if after := sum(); after != before {
			t.Fatalf("a presence in 2027Q2 moved the marks of 2026Q4–2027Q1 from %d to %d", before, after)
		}
		k.same("after a change this month", k.s)
	})
}

// TestAnUnchangedRollUpReadsOneCounterPerGroup checks that a roll-up whose
// kept figures are current reads their state in one statement (each
// group's total counter beside its kept rows) instead of summing the
// marks of every month it shows; that a presence marked in one group has
// that group's months read once, its closed quarters found current and
// verified at its new total, and nothing else counted again; and that the
// read after that is back to the one statement.
func TestAnUnchangedRollUpReadsOneCounterPerGroup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		k := newKeptWorld(t, s, 2)
		q := peercircle.Quarter{Year: 2027, N: 2}
		read := func() int64 {
			t.Helper()
			before := sqlstore.Statements()
			if _, err := s.RollUp(k.ctx, peercircle.LevelRegion, k.w.Region.ID, q, 4); err != nil {
				t.Fatal(err)
			}
			return sqlstore.Statements() - before
		}
		read() // counts and keeps
		read() // decodes what was kept into the memo
		// Served whole from memory (report_views.go): the settings, the
		// tree's version and the stamp.
		if unchanged := read(); unchanged > 3 {
			t.Errorf("an unchanged roll-up sent %d statements, want at most 3", unchanged)
		}
		// Computed from the kept figures: a roll-up of another instance, or
		// of this one after the roll-ups it keeps whole are forgotten.
		other := sqlstore.New(s.DB, s.Keys)
		other.Now = k.clock.Now
		if _, err := other.RollUp(k.ctx, peercircle.LevelRegion, k.w.Region.ID, q, 4); err != nil {
			t.Fatal(err)
		}
		read = func() int64 {
			t.Helper()
			before := sqlstore.Statements()
			other.ForgetRollUps()
			if _, err := other.RollUp(k.ctx, peercircle.LevelRegion, k.w.Region.ID, q, 4); err != nil {
				t.Fatal(err)
			}
			return sqlstore.Statements() - before
		}
		unchanged := read()
		// The settings, the tree's version, the stamp, the groups, the kept
		// figures' state, the schedules, the facilitators' names and the
		// reports' states.
		if unchanged > 8 {
			t.Errorf("an unchanged roll-up not kept whole sent %d statements, want at most 8", unchanged)
		}
		k.totalsAddUp("before")
		gid := k.presenceThisQuarter()
		k.totalsAddUp("after a presence")
		type row struct {
			group int64
			first string
		}
		versions := func() map[row][2]int64 {
			t.Helper()
			rows, err := s.DB.Query(k.ctx, "SELECT group_id, first_month, version, verified FROM group_figures ORDER BY group_id, first_month")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[row][2]int64{}
			for rows.Next() {
				var r row
				var v, ver int64
				if err := rows.Scan(&r.group, &r.first, &v, &ver); err != nil {
					t.Fatal(err)
				}
				out[r] = [2]int64{v, ver}
			}
			return out
		}
		before := versions()
		if changed := read(); changed <= unchanged {
			t.Errorf("the roll-up after a presence sent %d statements, no more than the unchanged one's %d", changed, unchanged)
		}
		after := versions()
		var total int64
		if err := s.DB.QueryRow(k.ctx, "SELECT stamp FROM figure_marks WHERE group_id = ? AND month = '*'", gid).Scan(&total); err != nil {
			t.Fatal(err)
		}
		for key, b := range before {
			a := after[key]
			mine, running := key.group == gid, key.first == "2027-04"
			switch {
			case !mine && a != b:
				t.Errorf("row %v of another group moved from %v to %v", key, b, a)
			case mine && running && a[0] <= b[0]:
				t.Errorf("the running quarter's row %v was not counted again: %v then %v", key, b, a)
			case mine && a[1] != total:
				t.Errorf("row %v of the changed group is at total %d, want %d", key, a[1], total)
			case mine && !running && a[0] != b[0]:
				t.Errorf("closed quarter %v was counted again: version %d then %d", key, b[0], a[0])
			}
		}
		if again := read(); again != unchanged {
			t.Errorf("the roll-up after that sent %d statements, want %d as before the change", again, unchanged)
		}
		k.same("after a presence this quarter", k.s)
	})
}

// TestReportsNameFacilitatorsAsTheyAreNamedNow checks that a roll-up and
// Sheet 3 read again after a facilitator's name changes, in plain SQL or
// by another instance, name them as they are named now, though the
// instance that read them first keeps the names it has read (names.go).
func TestReportsNameFacilitatorsAsTheyAreNamedNow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		k := newKeptWorld(t, s, 2)
		k.same("first read", k.s)
		k.same("names kept", k.s)
		var id int64
		if err := s.DB.QueryRow(k.ctx, `SELECT facilitator_id FROM sessions
			WHERE facilitator_id IS NOT NULL AND status = 'held' AND local_date >= '2027-01-01' ORDER BY id LIMIT 1`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		k.exec("UPDATE people SET display_name = 'Renamed in SQL' WHERE id = ?", id)
		k.same("renamed in SQL", k.s)
		p, err := k.other.Person(k.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		p.FullName, p.DisplayName = "Renamed Elsewhere", ""
		if err := k.other.UpdatePerson(k.ctx, p); err != nil {
			t.Fatal(err)
		}
		k.same("renamed by another instance", k.s)
		k.same("read again", k.s)
	})
}

// TestARollUpKeptWholeFollowsTheClock checks that a roll-up served again
// from memory (report_views.go) reads as a count over the raw rows at every
// stop of a clock moving through four days in steps of 37 minutes: across
// the starts of weekly meetings (the meetings expected so far) and the
// sites' midnights (meetings not recorded), in Amman and New York. Between
// two such moments the roll-up is served without being computed again.
func TestARollUpKeptWholeFollowsTheClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		k := newKeptWorld(t, s, 2)
		for i, g := range k.w.Groups {
			if i%2 == 1 {
				continue
			}
			sc := &peercircle.GroupSchedule{GroupID: g.ID, Preset: "staff", Rule: "FREQ=WEEKLY;BYDAY=MO,WE,FR",
				StartDate: "2027-04-02", StartTime: fmt.Sprintf("%02d:%02d", 8+i%9, 7*i%60), Minutes: 90, TimeZone: "Asia/Amman"}
			if err := k.s.SaveSchedule(k.ctx, sc); err != nil {
				t.Fatal(err)
			}
		}
		q := peercircle.Quarter{Year: 2027, N: 2}
		served := 0
		for step := range 4 * 24 * 60 / 37 {
			before := sqlstore.Statements()
			got, err := k.s.RollUp(k.ctx, peercircle.LevelRegion, k.w.Region.ID, q, 4)
			if err != nil {
				t.Fatal(err)
			}
			if sqlstore.Statements()-before <= 3 {
				served++
			}
			want, err := k.raw.RollUp(k.ctx, peercircle.LevelRegion, k.w.Region.ID, q, 4)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("at %s (step %d) the roll-up differs from a count over the raw rows\n got %+v\nwant %+v",
					k.clock.Now().Format(time.RFC3339), step, got, want)
			}
			k.clock.Add(37 * time.Minute)
		}
		if served < 50 {
			t.Errorf("%d of %d roll-ups were served whole from memory, want most", served, 4*24*60/37)
		}
	})
}

// TestRenamingSomeoneElseKeepsTheRollUpWhole checks that a roll-up kept
// whole still holds after someone it does not name is renamed (it reads
// who was renamed, migration 1309, not every name), that renaming someone
// it names makes it computed again, and that a log that no longer reaches
// back to its version makes it computed again too.
func TestRenamingSomeoneElseKeepsTheRollUpWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		k := newKeptWorld(t, s, 2)
		q := peercircle.Quarter{Year: 2027, N: 2}
		read := func(what string) int64 {
			t.Helper()
			before := sqlstore.Statements()
			got, err := k.s.RollUp(k.ctx, peercircle.LevelRegion, k.w.Region.ID, q, 4)
			if err != nil {
				t.Fatal(err)
			}
			n := sqlstore.Statements() - before
			want, err := k.raw.RollUp(k.ctx, peercircle.LevelRegion, k.w.Region.ID, q, 4)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: the roll-up differs from a count over the raw rows\n got %+v\nwant %+v", what, got, want)
			}
			return n
		}
		read("first")
		whole := read("kept whole")
		var named, other int64
		if err := s.DB.QueryRow(k.ctx, `SELECT facilitator_id FROM sessions
			WHERE facilitator_id IS NOT NULL AND status = 'held' AND local_date >= '2027-04-01' ORDER BY id LIMIT 1`).Scan(&named); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.QueryRow(k.ctx, `SELECT id FROM people p WHERE NOT EXISTS (SELECT 1 FROM sessions m
			WHERE m.facilitator_id = p.id OR m.co_facilitator_id = p.id) ORDER BY id LIMIT 1`).Scan(&other); err != nil {
			t.Fatal(err)
		}
		k.exec("UPDATE people SET display_name = 'Someone else' WHERE id = ?", other)
		if n := read("someone else renamed"); n > whole+1 {
			t.Errorf("after renaming someone it does not name, the roll-up sent %d statements, want at most %d (kept whole, and who was renamed)", n, whole+1)
		}
		if n := read("again"); n != whole {
			t.Errorf("the roll-up after that sent %d statements, want %d", n, whole)
		}
		k.exec("UPDATE people SET display_name = 'A facilitator renamed' WHERE id = ?", named)
		if n := read("a facilitator renamed"); n <= whole+1 {
			t.Errorf("after renaming a facilitator it names, the roll-up sent %d statements: not computed again", n)
		}
		read("kept whole again")
		k.exec("UPDATE people SET display_name = 'Someone else again' WHERE id = ?", other)
		k.exec("UPDATE people SET display_name = 'Someone else once more' WHERE id = ?", other)
		k.exec("DELETE FROM name_changes WHERE version < (SELECT MAX(version) FROM name_changes)")
		if n := read("with the log cut short"); n <= whole+1 {
			t.Errorf("with the log not reaching back, the roll-up sent %d statements: not computed again", n)
		}
	})
}
