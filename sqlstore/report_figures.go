package sqlstore

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
)

// The figures of Sheet 3 are computed in one place for a site and for any
// roll-up: a few set queries over the scope's sessions in the quarter (by
// local date, which is fixed in the site's zone when a meeting is planned),
// folded per group in Go. A roll-up is the same computation over more
// groups, so a region's totals are the sum of its sites by construction,
// and different people are counted once per level, not summed.

// scopeFilter returns the WHERE fragment that selects a level of the tree.
// Queries that use it join groups g, sites st and areas ar.
func scopeFilter(level string, id int64) (string, []any, error) {
	switch level {
	case peercircle.LevelSite:
		return "g.site_id = ?", []any{id}, nil
	case peercircle.LevelArea:
		return "st.area_id = ?", []any{id}, nil
	case peercircle.LevelRegion:
		return "ar.region_id = ?", []any{id}, nil
	case peercircle.LevelOrganisation:
		return "1 = 1", nil, nil
	}
	return "", nil, peercircle.Errorf(peercircle.EINVALID, "report.bad_level", "unknown level %q", level)
}

// dateSpan selects meetings by their local date. The bounds on the planned
// instant (a day wider than any zone's offset) let the database use the
// index on (group_id, planned_start) instead of reading years of meetings.
const dateSpan = "m.planned_start >= ? AND m.planned_start < ? AND m.local_date >= ? AND m.local_date <= ?"

// spanArgs appends dateSpan's arguments to a copy of args.
func spanArgs(args []any, first, last string) []any {
	f, _ := time.Parse(time.DateOnly, first)
	l, _ := time.Parse(time.DateOnly, last)
	return append(append([]any(nil), args...), f.AddDate(0, 0, -1), l.AddDate(0, 0, 2), first, last)
}

const scopeJoin = " JOIN groups g ON g.id = m.group_id JOIN sites st ON st.id = g.site_id JOIN areas ar ON ar.id = st.area_id "

// rgroup is a group as reports need it.
type rgroup struct {
	ID        int64
	SiteID    int64
	Name      string
	Kind      string
	Status    string
	CreatedAt time.Time
	EndedAt   *time.Time
	site      *peercircle.Site
}

// Person-key kinds, as bits: a person can attend as member in one group and
// as guest in another.
const (
	bitMember  = 1
	bitVisitor = 2
	bitGuest   = 4
)

// calc computes figures for a set of groups over one quarter.
type calc struct {
	q          peercircle.Quarter
	startMonth int
	first      string
	last       string
	k          int
	now        time.Time
	groups     map[int64]*rgroup
	figs       map[int64]*peercircle.Figures
	people     map[int64]map[pkey]uint8 // group → person → kinds
	planned    map[int64][]string       // group → local dates of meetings still planned
	schedules  schedules
	months     []string // the quarter's months, YYYY-MM

	// keep reads and keeps figures in group_figures (report_kept.go), by
	// their state (read by run when nil); pending is what this calc
	// counted or verified, to keep after the read.
	keep    bool
	memo    *keptMemo
	names   *namesMemo
	state   *figState
	pending []keptRow

	// h notes when the figures next change with time alone (nil: not
	// noted); named is whom finish named.
	h     *horizon
	named map[int64]bool
}

func newCalc(q peercircle.Quarter, startMonth, k int, now time.Time, groups []*rgroup) *calc {
	c := &calc{q: q, startMonth: startMonth, k: k, now: now, groups: map[int64]*rgroup{},
		figs: map[int64]*peercircle.Figures{}, people: map[int64]map[pkey]uint8{}, planned: map[int64][]string{}}
	c.first, c.last = q.Dates(startMonth)
	c.months = q.Months(startMonth)
	for _, g := range groups {
		c.groups[g.ID] = g
		c.figs[g.ID] = &peercircle.Figures{}
		c.people[g.ID] = map[pkey]uint8{}
	}
	return c
}

// today is the date at the group's site now.
func (c *calc) today(g *rgroup) string {
	return c.now.In(siteLoc(g.site)).Format(time.DateOnly)
}

// loadGroups reads the groups of a scope with their sites.
func loadGroups(tx *Tx, where string, args []any, sites map[int64]*peercircle.Site) ([]*rgroup, error) {
	rows, err := tx.Query(`SELECT g.id, g.site_id, g.name, g.kind, g.status, g.created_at, g.ended_at
		FROM groups g JOIN sites st ON st.id = g.site_id JOIN areas ar ON ar.id = st.area_id
		WHERE `+where+` ORDER BY g.site_id, CASE WHEN g.status = 'ended' THEN 1 ELSE 0 END, g.name, g.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rgroup
	for rows.Next() {
		g := &rgroup{}
		if err := rows.Scan(&g.ID, &g.SiteID, &g.Name, &g.Kind, &g.Status, &g.CreatedAt, &g.EndedAt); err != nil {
			return nil, err
		}
		g.site = sites[g.SiteID]
		if g.site == nil {
			continue
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// run fills the figures of every group: from group_figures where what is
// kept is current (when c.keep), else counted from the raw rows; then
// today, names and schedules are applied.
func (c *calc) run(tx *Tx, where string, args []any) error {
	if len(c.groups) == 0 {
		return nil
	}
	stale := make([]int64, 0, len(c.groups))
	own := c.keep && c.state == nil // else the caller keeps what its state verified
	if c.keep {
		if c.state == nil {
			gids := make([]int64, 0, len(c.groups))
			for gid := range c.groups {
				gids = append(gids, gid)
			}
			var err error
			if c.state, err = readState(tx, where, args, gids, len(gids), [][]string{c.months}); err != nil {
				return err
			}
		}
		// Current rows are loaded from the memo, or read and decoded.
		var read []int64
		for gid := range c.groups {
			key := keptKey{gid, c.months[0]}
			if r, ok := c.state.rows[key]; !ok {
				stale = append(stale, gid)
			} else if d := c.memo.get(key, r.version); d != nil {
				c.load(gid, d)
			} else {
				read = append(read, gid)
			}
		}
		if len(read) > 0 {
			data, err := readData(tx, read, c.months[0])
			if err != nil {
				return err
			}
			for _, gid := range read {
				key := keptKey{gid, c.months[0]}
				v := c.state.rows[key].version
				r, ok := data[gid]
				var d *decoded
				if ok && r.version == v {
					d, err = decode(r.data)
				}
				if d == nil || err != nil {
					stale = append(stale, gid)
					c.state.version[key] = v
					continue
				}
				c.memo.put(key, v, d)
				c.load(gid, d)
			}
		}
	} else {
		for gid := range c.groups {
			stale = append(stale, gid)
		}
	}
	if len(stale) > 0 {
		w, a := narrow(where, args, stale, len(c.groups))
		if err := c.count(tx, w, a); err != nil {
			return err
		}
		if c.keep {
			for _, gid := range stale {
				r, err := c.kept(gid, c.state.version[keptKey{gid, c.months[0]}], c.state.total[gid])
				if err != nil {
					return err
				}
				c.pending = append(c.pending, r)
				// The next read finds it in the memo instead of reading it back.
				if d, err := decode(r.data); err == nil {
					c.memo.put(r.key, r.version, d)
				}
			}
		}
	}
	if own {
		c.pending = append(c.pending, c.state.verify...)
	}
	var err error
	if c.schedules, err = loadSchedules(tx, where, args); err != nil {
		return err
	}
	if err := c.finish(tx); err != nil {
		return err
	}
	c.expected()
	return nil
}

// count counts the figures of the groups the scope selects from the raw
// rows, in the kept form.
func (c *calc) count(tx *Tx, where string, args []any) error {
	if err := c.sessions(tx, where, args); err != nil {
		return err
	}
	if err := c.attendance(tx, where, args); err != nil {
		return err
	}
	return c.feedbackAndSupport(tx, where, args)
}

// finish applies what changes with time to the counted figures: meetings
// still planned split against today, facilitators named as they are now,
// people counted, lists in order.
func (c *calc) finish(tx *Tx) error {
	ids := map[int64]bool{}
	for gid, f := range c.figs {
		g := c.groups[gid]
		today := c.today(g)
		for _, d := range c.planned[gid] {
			if d < today {
				f.NotRecorded++
			} else {
				f.Upcoming++
			}
		}
		for _, t := range f.Facilitators {
			if id, err := strconv.ParseInt(t.Key, 10, 64); err == nil {
				ids[id] = true
			}
		}
		setPeople(f, c.people[gid])
	}
	c.named = ids
	var names map[int64]string
	if len(ids) > 0 {
		var err error
		if names, err = c.names.of(tx, ids); err != nil {
			return err
		}
	}
	for _, f := range c.figs {
		for i := range f.Facilitators {
			id, _ := strconv.ParseInt(f.Facilitators[i].Key, 10, 64)
			f.Facilitators[i].Name = names[id]
		}
		peercircle.SortTallies(f.Facilitators)
		peercircle.SortTallies(f.Topics)
		peercircle.SortTallies(f.Support)
		sortFeedback(f.Feedback)
	}
	return nil
}

func (c *calc) sessions(tx *Tx, where string, args []any) error {
	rows, err := tx.Query(`SELECT m.group_id, m.local_date, m.status, m.topic, m.facilitator_id, m.co_facilitator_id,
			su.state, su.topic, su.cases_discussed
		FROM sessions m`+scopeJoin+`LEFT JOIN summaries su ON su.session_id = m.id
		WHERE `+where+` AND `+dateSpan+`
		ORDER BY m.local_date, m.planned_start, m.id`, spanArgs(args, c.first, c.last)...)
	if err != nil {
		return err
	}
	type fac struct{ group, person int64 }
	var facs []fac
	topicNames := map[int64]map[string]string{}
	for rows.Next() {
		var gid, f1, f2 int64
		var date, status, topic, sumState, sumTopic string
		var cases int64
		if err := rows.Scan(&gid, &date, &status, &topic, &f1, &f2, &sumState, &sumTopic, &cases); err != nil {
			rows.Close()
			return err
		}
		g, f := c.groups[gid], c.figs[gid]
		if g == nil {
			continue
		}
		switch status {
		case peercircle.SessionHeld:
			f.Planned++
			f.Held++
			f.DatesHeld = append(f.DatesHeld, date)
			switch sumState {
			case peercircle.ReviewAccepted:
				f.SummariesAccepted++
			case "":
				f.SummariesMissing++
			default:
				f.SummariesPending++
			}
			f.CasesDiscussed += int(cases)
			if t := strings.TrimSpace(sumTopic); t != "" {
				topic = t
			}
			if t := strings.TrimSpace(topic); t != "" {
				key := strings.ToLower(t)
				if topicNames[gid] == nil {
					topicNames[gid] = map[string]string{}
				}
				if _, ok := topicNames[gid][key]; !ok {
					topicNames[gid][key] = t
				}
				f.Topics = addTally(f.Topics, key, topicNames[gid][key])
			}
			if f1 != 0 {
				facs = append(facs, fac{gid, f1})
			}
			if f2 != 0 && f2 != f1 {
				facs = append(facs, fac{gid, f2})
			}
		case peercircle.SessionCancelled:
			f.Planned++
			f.Cancelled++
		case peercircle.SessionPostponed:
			f.Postponed++
		default: // planned
			f.Planned++
			c.planned[gid] = append(c.planned[gid], date)
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	rows.Close()
	if len(facs) == 0 {
		return nil
	}
	// Facilitators, by id (finish names them), unless they asked that
	// their participation in that group stays unlisted.
	unlisted := map[[2]int64]bool{}
	rows, err = tx.Query(`SELECT ms.group_id, ms.person_id FROM memberships ms JOIN groups g ON g.id = ms.group_id
		JOIN sites st ON st.id = g.site_id JOIN areas ar ON ar.id = st.area_id WHERE `+where+` AND ms.unlisted`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var g, p int64
		if err := rows.Scan(&g, &p); err != nil {
			rows.Close()
			return err
		}
		unlisted[[2]int64{g, p}] = true
	}
	rows.Close()
	for _, fc := range facs {
		f := c.figs[fc.group]
		if unlisted[[2]int64{fc.group, fc.person}] {
			f.UnlistedFacilitations++
			continue
		}
		f.Facilitators = addTally(f.Facilitators, strconv.FormatInt(fc.person, 10), "")
	}
	return nil
}

func addTally(ts []peercircle.Tally, key, name string) []peercircle.Tally {
	for i := range ts {
		if ts[i].Key == key {
			ts[i].Count++
			return ts
		}
	}
	return append(ts, peercircle.Tally{Key: key, Name: name, Count: 1})
}

// attendance counts presences at held sessions and the different people.
func (c *calc) attendance(tx *Tx, where string, args []any) error {
	rows, err := tx.Query(`SELECT m.group_id, at.kind, at.person_id, at.guest_name, COUNT(*)
		FROM attendance at JOIN sessions m ON m.id = at.session_id`+scopeJoin+`
		WHERE `+where+` AND `+dateSpan+` AND m.status = 'held' AND at.status = 'present'
		GROUP BY m.group_id, at.kind, at.person_id, at.guest_name`, spanArgs(args, c.first, c.last)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var gid, pid, n int64
		var kind, guest string
		if err := rows.Scan(&gid, &kind, &pid, &guest, &n); err != nil {
			return err
		}
		f := c.figs[gid]
		if f == nil {
			continue
		}
		key := personKey(pid, guest)
		var bit uint8
		switch kind {
		case peercircle.AttendMember:
			f.Members += int(n)
			f.Attendance += int(n)
			bit = bitMember
		case peercircle.AttendVisitor:
			f.Visitors += int(n)
			f.Attendance += int(n)
			bit = bitVisitor
		case peercircle.AttendGuest:
			f.Guests += int(n)
			bit = bitGuest
		default:
			continue
		}
		c.people[gid][key] |= bit
	}
	return rows.Err()
}

// zones caches loaded time zones: loading one reads the zone database, and
// a national roll-up asks for hundreds of sites' zones many times.
var zones sync.Map

// siteLoc is the site's zone (UTC for one that cannot be loaded, as
// Site.Location), cached.
func siteLoc(st *peercircle.Site) *time.Location {
	if v, ok := zones.Load(st.TimeZone); ok {
		return v.(*time.Location)
	}
	loc := st.Location()
	zones.Store(st.TimeZone, loc)
	return loc
}

// pkey identifies a person across groups: an account by its id (above
// zero), someone without one by a digest of the name recorded (below zero),
// so that kept figures hold no name (report_kept.go) and sets of people are
// sets of integers.
type pkey int64

func personKey(id int64, guestName string) pkey {
	if id != 0 {
		return pkey(id)
	}
	sum := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(guestName), " "))))
	return pkey(-int64(binary.BigEndian.Uint64(sum[:8])>>1) - 1)
}

// String is the key as kept: the account's id, or "#" and the digest.
func (k pkey) String() string {
	if k < 0 {
		return "#" + strconv.FormatInt(-int64(k)-1, 16)
	}
	return strconv.FormatInt(int64(k), 10)
}

// parseKey reads a key written by String.
func parseKey(s string) (pkey, error) {
	if d, ok := strings.CutPrefix(s, "#"); ok {
		n, err := strconv.ParseInt(d, 16, 64)
		return pkey(-n - 1), err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return pkey(n), err
}

// setPeople sets the different-people counts of f from a set of keys.
func setPeople(f *peercircle.Figures, set map[pkey]uint8) {
	f.People, f.MemberPeople, f.VisitorPeople, f.GuestPeople = 0, 0, 0, 0
	for _, bits := range set {
		if bits&(bitMember|bitVisitor) != 0 {
			f.People++
		}
		if bits&bitMember != 0 {
			f.MemberPeople++
		}
		if bits&bitVisitor != 0 {
			f.VisitorPeople++
		}
		if bits&bitGuest != 0 {
			f.GuestPeople++
		}
	}
}

// expected sets what each group's schedule asks of it in the quarter (see
// Expected).
func (c *calc) expected() {
	for gid, g := range c.groups {
		f := c.figs[gid]
		f.Expected = expectedMeetings(g, c.schedules.compiled[gid], f.Planned, c.q, c.startMonth, c.now, c.h)
	}
}

// schedules are the schedules of a scope's groups: compiled, and as read
// (for the trend cache's fingerprints).
type schedules struct {
	compiled map[int64]*schedule.Schedule
	raw      map[int64]string
}

// loadSchedules reads and compiles the schedules of a scope's groups. A
// schedule that no longer compiles is left out (the group then falls back
// to the default expectation) rather than failing a report.
func loadSchedules(tx *Tx, where string, args []any) (schedules, error) {
	out := schedules{compiled: map[int64]*schedule.Schedule{}, raw: map[int64]string{}}
	rows, err := tx.Query(`SELECT sc.group_id, sc.preset, sc.rule, sc.start_date, sc.start_time, sc.minutes, sc.time_zone, sc.exceptions, sc.extras
		FROM schedules sc JOIN groups g ON g.id = sc.group_id JOIN sites st ON st.id = g.site_id JOIN areas ar ON ar.id = st.area_id
		WHERE `+where, args...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var g peercircle.GroupSchedule
		var exc, ext string
		if err := rows.Scan(&g.GroupID, &g.Preset, &g.Rule, &g.StartDate, &g.StartTime, &g.Minutes, &g.TimeZone, &exc, &ext); err != nil {
			return out, err
		}
		out.raw[g.GroupID] = strings.Join([]string{g.Preset, g.Rule, g.StartDate, g.StartTime, strconv.Itoa(g.Minutes), g.TimeZone, exc, ext}, "\x1f")
		g.Exceptions, g.Extras = splitList(exc), splitList(ext)
		if sc, err := compileSchedule(out.raw[g.GroupID], &g); err == nil {
			out.compiled[g.GroupID] = sc
		}
	}
	return out, rows.Err()
}

// expectedMeetings is how many meetings a group is expected to hold in
// quarter q, as of now. A forming or paused group is expected nothing. A
// group with a schedule is expected the meetings its schedule plans in the
// quarter (up to now, and while the group existed). Without a schedule, a
// staff group is expected two a month (000) in every month of the quarter
// that has begun, in which it existed and its site had joined the
// programme, and any other group the meetings it put on its calendar.
//
// h notes when the count next changes with time (a scheduled meeting's
// start); a count without a schedule changes with the date only, which the
// caller notes.
func expectedMeetings(g *rgroup, sc *schedule.Schedule, planned int, q peercircle.Quarter, start int, now time.Time, h *horizon) int {
	if g.Status == peercircle.GroupForming || g.Status == peercircle.GroupPaused {
		return 0
	}
	last := dayOf(q.End(start, time.UTC).AddDate(0, 0, -1))
	if sc != nil && day(sc.Start.Year*10000+int(sc.Start.Month)*100+sc.Start.Day) <= last {
		loc := siteLoc(g.site)
		lo, hi := q.Start(start, loc), q.End(start, loc)
		from, to := lo, hi
		if g.CreatedAt.After(from) {
			from = g.CreatedAt
		}
		if g.EndedAt != nil && g.EndedAt.Before(to) {
			to = *g.EndedAt
		}
		if now.Before(to) {
			to = now
		} else {
			h = nil // the count no longer changes with time
		}
		return countBetween(sc, lo, hi, from, to, h)
	}
	if g.Kind != peercircle.KindStaff {
		return planned
	}
	return MeetingsExpected(g.Status, g.CreatedAt, g.EndedAt, g.site, q, start, now)
}

// MeetingsExpected is how many meetings a staff group without a schedule
// is expected to hold in quarter q, as of now: two a month (000).
func MeetingsExpected(status string, created time.Time, ended *time.Time, site *peercircle.Site, q peercircle.Quarter, startMonth int, now time.Time) int {
	if status == peercircle.GroupForming || status == peercircle.GroupPaused {
		return 0
	}
	loc := siteLoc(site)
	today, createdOn := dayOf(now.In(loc)), dayOf(created.In(loc))
	first := q.Start(startMonth, time.UTC)
	n := 0
	for i := range 3 {
		month := first.AddDate(0, i, 0)
		monthFirst, monthLast := dayOf(month), dayOf(month.AddDate(0, 1, -1))
		if monthFirst > today || createdOn > monthLast {
			continue
		}
		if ended != nil && dayOf(ended.In(loc)) < monthFirst {
			continue
		}
		if site.JoinedProgramme == nil || dayOf(*site.JoinedProgramme) > monthLast {
			continue
		}
		n += peercircle.MeetingsPerMonth
	}
	return n
}

// day is a calendar date as the number yyyymmdd: dates compare as numbers
// without being formatted (a region's roll-up compared thousands of them
// as strings, a tenth of its allocations).
type day int

// dayOf is t's date in t's own location.
func dayOf(t time.Time) day {
	y, m, d := t.Date()
	return day(y*10000 + int(m)*100 + d)
}

// sumGroups adds the figures of groups into one, counting different people
// once across them. Tallies are merged in maps and sorted once: a national
// roll-up merges thousands of them.
func (c *calc) sumGroups(ids []int64) peercircle.Figures {
	var total peercircle.Figures
	var people, topicN, facN, supportN, dates int
	for _, id := range ids {
		f := c.figs[id]
		people += len(c.people[id])
		topicN += len(f.Topics)
		facN += len(f.Facilitators)
		supportN += len(f.Support)
		dates += len(f.DatesHeld)
	}
	set := make(map[pkey]uint8, people)
	topics, facs, support := newTallies(topicN), newTallies(facN), newTallies(supportN)
	total.DatesHeld = make([]string, 0, dates)
	for _, id := range ids {
		f := *c.figs[id]
		topics.add(f.Topics)
		facs.add(f.Facilitators)
		support.add(f.Support)
		f.Topics, f.Facilitators, f.Support = nil, nil, nil
		total.Add(&f)
		for k, b := range c.people[id] {
			set[k] |= b
		}
	}
	total.Topics, total.Facilitators, total.Support = topics.list(), facs.list(), support.list()
	if len(total.DatesHeld) == 0 {
		total.DatesHeld = nil
	}
	sort.Strings(total.DatesHeld)
	setPeople(&total, set)
	return total
}

// tallies merges tallies by key into one list. A site's few are found by
// looking through the list; a map is built once there are more.
type tallies struct {
	at  map[string]int // key → index in out, once out is long
	out []peercircle.Tally
}

// smallTallies is how many tallies are merged without a map.
const smallTallies = 8

// newTallies returns tallies room for n.
func newTallies(n int) tallies {
	if n == 0 {
		return tallies{}
	}
	return tallies{out: make([]peercircle.Tally, 0, n)}
}

func (m *tallies) add(ts []peercircle.Tally) {
	for _, t := range ts {
		if i := m.index(t.Key); i >= 0 {
			m.out[i].Count += t.Count
			continue
		}
		m.out = append(m.out, t)
		switch {
		case m.at != nil:
			m.at[t.Key] = len(m.out) - 1
		case len(m.out) > smallTallies:
			m.at = make(map[string]int, cap(m.out))
			for i, x := range m.out {
				m.at[x.Key] = i
			}
		}
	}
}

// index is where key is in the list, or -1.
func (m *tallies) index(key string) int {
	if m.at != nil {
		if i, ok := m.at[key]; ok {
			return i
		}
		return -1
	}
	for i := range m.out {
		if m.out[i].Key == key {
			return i
		}
	}
	return -1
}

// list is the merged tallies, most frequent first.
//
// The room made for every tally merged is mostly spare once equal keys are
// merged (a region's sites name the same few topics), and a roll-up is kept
// to be served again (report_views.go): a list with much spare room is
// copied to its length, which was an eighth of the heap after the bench.
func (m *tallies) list() []peercircle.Tally {
	peercircle.SortTallies(m.out)
	if cap(m.out) > 2*len(m.out)+smallTallies {
		return slices.Clone(m.out)
	}
	return m.out
}

// finish sorts lists and applies the k rule to feedback.
func finishFigures(f *peercircle.Figures, k int) {
	sort.Strings(f.DatesHeld)
	peercircle.SortTallies(f.Topics)
	peercircle.SortTallies(f.Facilitators)
	sortFeedback(f.Feedback)
	if f.FeedbackResponses < k {
		f.Feedback = nil
	}
}

// feedbackAndSupport sums the anonymous feedback (counts per answer, never
// a response) and the support information given, from held sessions.
func (c *calc) feedbackAndSupport(tx *Tx, where string, args []any) error {
	span := spanArgs(args, c.first, c.last)
	rows, err := tx.Query(`SELECT m.group_id, SUM(fr.responses) FROM feedback_rounds fr JOIN sessions m ON m.id = fr.session_id`+scopeJoin+`
		WHERE `+where+` AND `+dateSpan+` AND m.status = 'held' GROUP BY m.group_id`, span...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var gid, n int64
		if err := rows.Scan(&gid, &n); err != nil {
			rows.Close()
			return err
		}
		if f := c.figs[gid]; f != nil {
			f.FeedbackResponses += int(n)
		}
	}
	rows.Close()
	rows, err = tx.Query(`SELECT m.group_id, fc.question, SUM(fc.value * fc.n), SUM(fc.n) FROM feedback_counts fc JOIN sessions m ON m.id = fc.session_id`+scopeJoin+`
		WHERE `+where+` AND `+dateSpan+` AND m.status = 'held' GROUP BY m.group_id, fc.question`, span...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var gid, sum, n int64
		var q string
		if err := rows.Scan(&gid, &q, &sum, &n); err != nil {
			rows.Close()
			return err
		}
		if f := c.figs[gid]; f != nil && n > 0 {
			f.Feedback = append(f.Feedback, peercircle.FeedbackAvg{Question: q, Average: float64(sum) / float64(n), Count: int(n)})
		}
	}
	rows.Close()
	for _, f := range c.figs {
		sortFeedback(f.Feedback)
	}
	rows, err = tx.Query(`SELECT m.group_id, ss.kind, SUM(ss.n) FROM summary_support ss JOIN sessions m ON m.id = ss.session_id`+scopeJoin+`
		WHERE `+where+` AND `+dateSpan+` AND m.status = 'held' GROUP BY m.group_id, ss.kind`, span...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var gid, n int64
		var kind string
		if err := rows.Scan(&gid, &kind, &n); err != nil {
			return err
		}
		if f := c.figs[gid]; f != nil && n > 0 {
			f.Support = append(f.Support, peercircle.Tally{Key: kind, Name: kind, Count: int(n)})
		}
	}
	for _, f := range c.figs {
		peercircle.SortTallies(f.Support)
	}
	return rows.Err()
}

// sortFeedback orders questions as the feedback form asks them.
func sortFeedback(fs []peercircle.FeedbackAvg) {
	pos := func(q string) int {
		for i, x := range peercircle.FeedbackQuestions {
			if x == q {
				return i
			}
		}
		return len(peercircle.FeedbackQuestions)
	}
	sort.SliceStable(fs, func(i, j int) bool { return pos(fs[i].Question) < pos(fs[j].Question) })
}
