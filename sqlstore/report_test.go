package sqlstore_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

var (
	q1      = peercircle.Quarter{Year: 2027, N: 1}
	genFrom = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	genTo   = time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)
	// The clock stands in the middle of 2027Q2: Q1 is closed, Q2 runs.
	reportNow = time.Date(2027, 5, 17, 9, 0, 0, 0, time.UTC)
)

// expectedFigures recomputes a site's Sheet 3 for calendar quarter q
// straight from the raw tables, one session at a time, deciding the
// quarter from each meeting's planned start in the site's zone (not from
// local_date), so it shares no code or shortcut with the store.
func expectedFigures(t *testing.T, s *sqlstore.Store, site *peercircle.Site, year int, months [3]time.Month, now time.Time) (map[int64]peercircle.Figures, peercircle.Figures) {
	t.Helper()
	ctx := context.Background()
	loc, _ := time.LoadLocation(site.TimeZone)
	inQuarter := func(tm time.Time) bool {
		l := tm.In(loc)
		return l.Year() == year && (l.Month() == months[0] || l.Month() == months[1] || l.Month() == months[2])
	}
	type grp struct {
		id           int64
		kind, status string
		created      time.Time
		ended        *time.Time
	}
	var groups []grp
	rows, err := s.DB.Query(ctx, "SELECT id, kind, status, created_at, ended_at FROM groups WHERE site_id = ?", site.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var g grp
		if err := rows.Scan(&g.id, &g.kind, &g.status, &g.created, &g.ended); err != nil {
			t.Fatal(err)
		}
		groups = append(groups, g)
	}
	rows.Close()
	unlisted := map[[2]int64]bool{}
	names := map[int64]string{}
	rows, _ = s.DB.Query(ctx, "SELECT group_id, person_id, unlisted FROM memberships")
	for rows.Next() {
		var g, p int64
		var u bool
		rows.Scan(&g, &p, &u)
		unlisted[[2]int64{g, p}] = u
	}
	rows.Close()
	rows, _ = s.DB.Query(ctx, "SELECT id, full_name FROM people")
	for rows.Next() {
		var id int64
		var n string
		rows.Scan(&id, &n)
		names[id] = n
	}
	rows.Close()

	today := now.In(loc).Format(time.DateOnly)
	per := map[int64]peercircle.Figures{}
	totalPeople := map[string]uint8{}
	var total peercircle.Figures
	for _, g := range groups {
		var f peercircle.Figures
		people := map[string]uint8{}
		type sess struct {
			id, fac, co int64
			start       time.Time
			status      string
			topic       string
		}
		var ss []sess
		rows, err := s.DB.Query(ctx, "SELECT id, planned_start, status, topic, facilitator_id, co_facilitator_id FROM sessions WHERE group_id = ?", g.id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var x sess
			rows.Scan(&x.id, &x.start, &x.status, &x.topic, &x.fac, &x.co)
			ss = append(ss, x)
		}
		rows.Close()
		topics := map[string]int{}
		facs := map[string]int{}
		fbSum, fbN := map[string]int64{}, map[string]int64{}
		support := map[string]int{}
		for _, x := range ss {
			if !inQuarter(x.start) {
				continue
			}
			date := x.start.In(loc).Format(time.DateOnly)
			switch x.status {
			case "postponed":
				f.Postponed++
				continue
			case "cancelled":
				f.Planned++
				f.Cancelled++
				continue
			case "planned":
				f.Planned++
				if date < today {
					f.NotRecorded++
				} else {
					f.Upcoming++
				}
				continue
			}
			f.Planned++
			f.Held++
			f.DatesHeld = append(f.DatesHeld, date)
			var state, stopic string
			var cases int64
			err := s.DB.QueryRow(ctx, "SELECT state, topic, cases_discussed FROM summaries WHERE session_id = ?", x.id).Scan(&state, &stopic, &cases)
			switch {
			case err != nil:
				f.SummariesMissing++
			case state == "accepted":
				f.SummariesAccepted++
			default:
				f.SummariesPending++
			}
			f.CasesDiscussed += int(cases)
			topic := x.topic
			if stopic != "" {
				topic = stopic
			}
			if topic != "" {
				topics[topic]++
			}
			for i, p := range []int64{x.fac, x.co} {
				if p == 0 || (i == 1 && p == x.fac) {
					continue
				}
				if unlisted[[2]int64{g.id, p}] {
					f.UnlistedFacilitations++
				} else {
					facs[names[p]]++
				}
			}
			var responses int64
			s.DB.QueryRow(ctx, "SELECT responses FROM feedback_rounds WHERE session_id = ?", x.id).Scan(&responses)
			f.FeedbackResponses += int(responses)
			frows, _ := s.DB.Query(ctx, "SELECT question, value, n FROM feedback_counts WHERE session_id = ?", x.id)
			for frows.Next() {
				var q string
				var v, n int64
				frows.Scan(&q, &v, &n)
				fbSum[q] += v * n
				fbN[q] += n
			}
			frows.Close()
			srows, _ := s.DB.Query(ctx, "SELECT kind, n FROM summary_support WHERE session_id = ?", x.id)
			for srows.Next() {
				var kind string
				var n int64
				srows.Scan(&kind, &n)
				support[kind] += int(n)
			}
			srows.Close()
			arows, _ := s.DB.Query(ctx, "SELECT kind, person_id, guest_name, status FROM attendance WHERE session_id = ?", x.id)
			for arows.Next() {
				var kind, guest, status string
				var pid int64
				arows.Scan(&kind, &pid, &guest, &status)
				if status != "present" {
					continue
				}
				key := fmt.Sprint("p", pid)
				if pid == 0 {
					key = "n" + strings.ToLower(guest)
				}
				switch kind {
				case "member":
					f.Members++
					f.Attendance++
					people[key] |= 1
				case "visitor":
					f.Visitors++
					f.Attendance++
					people[key] |= 2
				case "guest":
					f.Guests++
					people[key] |= 4
				}
			}
			arows.Close()
		}
		for k, n := range topics {
			f.Topics = append(f.Topics, peercircle.Tally{Key: strings.ToLower(k), Name: k, Count: n})
		}
		for k, n := range facs {
			f.Facilitators = append(f.Facilitators, peercircle.Tally{Key: k, Name: k, Count: n})
		}
		for _, q := range peercircle.FeedbackQuestions {
			if fbN[q] > 0 {
				f.Feedback = append(f.Feedback, peercircle.FeedbackAvg{Question: q, Average: float64(fbSum[q]) / float64(fbN[q]), Count: int(fbN[q])})
			}
		}
		for k, n := range support {
			f.Support = append(f.Support, peercircle.Tally{Key: k, Name: k, Count: n})
		}
		countPeople(&f, people)
		for k, b := range people {
			totalPeople[k] |= b
		}
		// Expected: two a month for staff groups in months that began.
		if g.kind == peercircle.KindStaff {
			if g.status != "forming" && g.status != "paused" {
				for _, m := range months {
					first := time.Date(year, m, 1, 0, 0, 0, 0, loc)
					last := first.AddDate(0, 1, -1).Format(time.DateOnly)
					if first.Format(time.DateOnly) > today || g.created.In(loc).Format(time.DateOnly) > last {
						continue
					}
					if site.JoinedProgramme == nil || site.JoinedProgramme.Format(time.DateOnly) > last {
						continue
					}
					f.Expected += 2
				}
			}
		} else {
			f.Expected = f.Planned
		}
		sort.Strings(f.DatesHeld)
		total.Add(&f)
		if f.FeedbackResponses < peercircle.DefaultK {
			f.Feedback = nil // shown only from k responses
		}
		per[g.id] = f
	}
	countPeople(&total, totalPeople)
	sort.Strings(total.DatesHeld)
	if total.FeedbackResponses < peercircle.DefaultK {
		total.Feedback = nil
	}
	return per, total
}

func countPeople(f *peercircle.Figures, people map[string]uint8) {
	for _, b := range people {
		if b&3 != 0 {
			f.People++
		}
		if b&1 != 0 {
			f.MemberPeople++
		}
		if b&2 != 0 {
			f.VisitorPeople++
		}
		if b&4 != 0 {
			f.GuestPeople++
		}
	}
}

// sameFigures compares everything but tally keys and order.
func sameFigures(t *testing.T, what string, got, want peercircle.Figures) {
	t.Helper()
	norm := func(ts []peercircle.Tally) map[string]int {
		m := map[string]int{}
		for _, x := range ts {
			m[x.Name] += x.Count
		}
		return m
	}
	if !reflect.DeepEqual(norm(got.Topics), norm(want.Topics)) {
		t.Errorf("%s topics: got %v, want %v", what, norm(got.Topics), norm(want.Topics))
	}
	if !reflect.DeepEqual(norm(got.Facilitators), norm(want.Facilitators)) {
		t.Errorf("%s facilitators: got %v, want %v", what, norm(got.Facilitators), norm(want.Facilitators))
	}
	if !reflect.DeepEqual(norm(got.Support), norm(want.Support)) {
		t.Errorf("%s support: got %v, want %v", what, norm(got.Support), norm(want.Support))
	}
	fb := func(fs []peercircle.FeedbackAvg) map[string]string {
		m := map[string]string{}
		for _, x := range fs {
			m[x.Question] = fmt.Sprintf("%.6f/%d", x.Average, x.Count)
		}
		return m
	}
	if !reflect.DeepEqual(fb(got.Feedback), fb(want.Feedback)) {
		t.Errorf("%s feedback: got %v, want %v", what, fb(got.Feedback), fb(want.Feedback))
	}
	got.Topics, want.Topics, got.Facilitators, want.Facilitators = nil, nil, nil, nil
	got.Support, want.Support, got.Feedback, want.Feedback = nil, nil, nil, nil
	if len(got.DatesHeld) == 0 {
		got.DatesHeld = nil
	}
	if len(want.DatesHeld) == 0 {
		want.DatesHeld = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func reportStore(t *testing.T, s *sqlstore.Store, sites int) (*genWorld, *storetest.Clock) {
	t.Helper()
	clock := storetest.NewClock(reportNow)
	s.Now = clock.Now
	return generate(t, s, sites, 7, genFrom, genTo), clock
}

func TestSheet3MatchesAnIndependentCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w, _ := reportStore(t, s, 3)
		// Meetings at quarter boundaries. Amman is UTC+3: 00:30 on 1 April
		// there is still 31 March in UTC, yet it belongs to Q2 at the site.
		// New York is behind UTC: 21:00 on 31 March there is already
		// 1 April in UTC, yet it belongs to Q1 at the site.
		edge := func(site *peercircle.Site, local time.Time) {
			t.Helper()
			var g int64
			for _, gr := range w.Groups {
				if gr.SiteID == site.ID && gr.Kind == peercircle.KindStaff {
					g = gr.ID
				}
			}
			m := &peercircle.Session{GroupID: g, PlannedStart: local, PlannedEnd: local.Add(time.Hour), LocalDate: local.Format(time.DateOnly),
				Status: peercircle.SessionHeld, Topic: "Boundary topic"}
			if err := s.AddSession(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		amman, newYork := w.Sites[0], w.Sites[1]
		edge(amman, time.Date(2027, 4, 1, 0, 30, 0, 0, amman.Location()))
		edge(amman, time.Date(2026, 12, 31, 23, 30, 0, 0, amman.Location()))
		edge(newYork, time.Date(2027, 3, 31, 21, 0, 0, 0, newYork.Location()))
		if amman.Location().String() != "Asia/Amman" || newYork.Location().String() != "America/New_York" {
			t.Fatal("the generator's zones changed")
		}

		for _, tc := range []struct {
			name   string
			q      peercircle.Quarter
			months [3]time.Month
		}{
			{"a closed quarter", q1, [3]time.Month{1, 2, 3}},
			{"the running quarter", peercircle.Quarter{Year: 2027, N: 2}, [3]time.Month{4, 5, 6}},
		} {
			for _, site := range w.Sites {
				t.Run(tc.name+" at "+site.TimeZone+" matches the raw tables", func(t *testing.T) {
					sh, err := s.Sheet3(ctx, site.ID, tc.q)
					if err != nil {
						t.Fatal(err)
					}
					per, total := expectedFigures(t, s, site, tc.q.Year, tc.months, reportNow)
					if len(sh.Groups) != len(per) {
						t.Fatalf("groups: got %d, want %d", len(sh.Groups), len(per))
					}
					for _, g := range sh.Groups {
						sameFigures(t, g.Name, g.Figures, per[g.GroupID])
					}
					sameFigures(t, "total", sh.Total, total)
					if tc.q == q1 && (sh.Total.Held == 0 || sh.Total.Cancelled+sh.Total.Postponed == 0 || sh.Total.People == 0 || len(sh.Total.Feedback) == 0 || len(sh.Total.Support) == 0) {
						t.Fatalf("the generated data should cover held, cancelled and postponed meetings: %+v", sh.Total)
					}
					if sh.Running != (tc.q.N == 2) {
						t.Fatalf("running = %v", sh.Running)
					}
				})
			}
		}

		t.Run("a meeting early on 1 April in Amman counts in Q2 there", func(t *testing.T) {
			sh1, _ := s.Sheet3(ctx, amman.ID, q1)
			sh2, _ := s.Sheet3(ctx, amman.ID, q1.Next())
			if has(sh1.Total.DatesHeld, "2027-04-01") || !has(sh2.Total.DatesHeld, "2027-04-01") {
				t.Fatalf("Q1 dates %v, Q2 dates %v", sh1.Total.DatesHeld, sh2.Total.DatesHeld)
			}
			sh4, _ := s.Sheet3(ctx, amman.ID, peercircle.Quarter{Year: 2026, N: 4})
			if !has(sh4.Total.DatesHeld, "2026-12-31") {
				t.Fatalf("2026Q4 dates %v", sh4.Total.DatesHeld)
			}
		})
		t.Run("a meeting late on 31 March in New York counts in Q1 there", func(t *testing.T) {
			sh1, _ := s.Sheet3(ctx, newYork.ID, q1)
			if !has(sh1.Total.DatesHeld, "2027-03-31") {
				t.Fatalf("Q1 dates %v", sh1.Total.DatesHeld)
			}
		})
		t.Run("unlisted facilitators are counted but never named", func(t *testing.T) {
			var unlistedNames []string
			rows, _ := s.DB.Query(ctx, "SELECT p.full_name FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.unlisted")
			for rows.Next() {
				var n string
				rows.Scan(&n)
				unlistedNames = append(unlistedNames, n)
			}
			rows.Close()
			total := 0
			for _, site := range w.Sites {
				sh, _ := s.Sheet3(ctx, site.ID, q1)
				total += sh.Total.UnlistedFacilitations
				for _, f := range sh.Total.Facilitators {
					if has(unlistedNames, f.Name) {
						t.Fatalf("%s is unlisted but named", f.Name)
					}
				}
			}
			if total == 0 {
				t.Fatal("the data should have unlisted facilitators")
			}
		})
		t.Run("facilitators are named as they chose, never by a name chosen for one group", func(t *testing.T) {
			var pid, gid int64
			var full string
			err := s.DB.QueryRow(ctx, `SELECT m.facilitator_id, m.group_id, p.full_name FROM sessions m JOIN people p ON p.id = m.facilitator_id
				JOIN memberships ms ON ms.person_id = p.id AND ms.group_id = m.group_id
				JOIN groups g ON g.id = m.group_id
				WHERE m.status = 'held' AND NOT ms.unlisted AND g.site_id = ? AND m.local_date BETWEEN '2027-01-01' AND '2027-03-31'
				ORDER BY m.id LIMIT 1`, amman.ID).Scan(&pid, &gid, &full)
			if err != nil {
				t.Fatal(err)
			}
			err = s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
				if _, err := tx.Exec("UPDATE people SET display_name = 'هدى' WHERE id = ?", pid); err != nil {
					return err
				}
				_, err := tx.Exec("UPDATE memberships SET display_name = 'Umm Ali' WHERE person_id = ? AND group_id = ?", pid, gid)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			sh, err := s.Sheet3(ctx, amman.ID, q1)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range sh.Total.Facilitators {
				names = append(names, f.Name)
			}
			if !has(names, "هدى") || has(names, full) || has(names, "Umm Ali") {
				t.Fatalf("facilitators %q: want هدى for %s, never the full name or the group's name", names, full)
			}
		})
		t.Run("a future quarter is refused with a clear message", func(t *testing.T) {
			_, err := s.Sheet3(ctx, amman.ID, peercircle.Quarter{Year: 2027, N: 3})
			if peercircle.ErrorKey(err) != "report.future_quarter" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("an unknown site is not found", func(t *testing.T) {
			if _, err := s.Sheet3(ctx, 99999, q1); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func TestRollUpSumsItsSites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w, _ := reportStore(t, s, 4)
		ru, err := s.RollUp(ctx, peercircle.LevelRegion, w.Region.ID, q1, 4)
		if err != nil {
			t.Fatal(err)
		}
		if len(ru.Sites) != 4 || len(ru.Areas) != 2 || len(ru.Regions) != 1 {
			t.Fatalf("rows: %d sites, %d areas, %d regions", len(ru.Sites), len(ru.Areas), len(ru.Regions))
		}
		t.Run("each site's row is its Sheet 3 total", func(t *testing.T) {
			for _, row := range ru.Sites {
				sh, err := s.Sheet3(ctx, row.Site.ID, q1)
				if err != nil {
					t.Fatal(err)
				}
				sameFigures(t, row.Site.Name, row.Figures, sh.Total)
			}
		})
		t.Run("the region's figures are its sites' sums, different people counted once", func(t *testing.T) {
			var sum peercircle.Figures
			people := map[string]uint8{}
			for _, site := range w.Sites {
				_, total := expectedFigures(t, s, site, 2027, [3]time.Month{1, 2, 3}, reportNow)
				sum.Add(&total)
				rows, _ := s.DB.Query(ctx, `SELECT at.kind, at.person_id, at.guest_name FROM attendance at JOIN sessions m ON m.id = at.session_id
					JOIN groups g ON g.id = m.group_id WHERE g.site_id = ? AND m.status = 'held' AND at.status = 'present'
					AND m.local_date >= '2027-01-01' AND m.local_date <= '2027-03-31'`, site.ID)
				for rows.Next() {
					var kind, guest string
					var pid int64
					rows.Scan(&kind, &pid, &guest)
					key := fmt.Sprint("p", pid)
					if pid == 0 {
						key = "n" + strings.ToLower(guest)
					}
					people[key] |= map[string]uint8{"member": 1, "visitor": 2, "guest": 4}[kind]
				}
				rows.Close()
			}
			sum.People, sum.MemberPeople, sum.VisitorPeople, sum.GuestPeople = 0, 0, 0, 0
			countPeople(&sum, people)
			sort.Strings(sum.DatesHeld)
			sameFigures(t, "region", ru.Total, sum)
			sameFigures(t, "region row", ru.Regions[0].Figures, sum)
			if ru.Total.GuestPeople >= sum.Guests {
				t.Fatalf("guests should be counted once across sites: %d people, %d presences", ru.Total.GuestPeople, sum.Guests)
			}
		})
		t.Run("trends cover four quarters ending with the one asked for", func(t *testing.T) {
			if len(ru.Trend) != 4 || ru.Trend[3].Quarter != q1 || ru.Trend[3].Held != ru.Total.Held || ru.Trend[3].Attendance != ru.Total.Attendance {
				t.Fatalf("trend = %+v, total held %d", ru.Trend, ru.Total.Held)
			}
			if ru.Trend[0].Held != 0 || ru.Trend[2].Held == 0 {
				t.Fatalf("2026Q2 had no meetings, 2026Q4 had: %+v", ru.Trend)
			}
		})
		t.Run("sites needing attention come first", func(t *testing.T) {
			for i, row := range ru.Sites {
				if i > 0 && len(row.Attention) > 0 && len(ru.Sites[i-1].Attention) == 0 {
					t.Fatalf("site %d has attention after one without", i)
				}
				if !row.Late || !has(row.Attention, peercircle.AttentionLate) {
					t.Fatalf("the due date has passed without a report: %+v", row)
				}
			}
		})
		t.Run("an area's roll-up holds its own sites only", func(t *testing.T) {
			ra, err := s.RollUp(ctx, peercircle.LevelArea, w.Areas[0].ID, q1, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(ra.Sites) != 2 || len(ra.Areas) != 1 || len(ra.Regions) != 0 {
				t.Fatalf("rows: %d sites, %d areas, %d regions", len(ra.Sites), len(ra.Areas), len(ra.Regions))
			}
			for _, row := range ra.Sites {
				if row.AreaID != w.Areas[0].ID {
					t.Fatalf("site %s is in another area", row.Site.Name)
				}
			}
		})
		t.Run("an unknown area is not found and a bad level is refused", func(t *testing.T) {
			if _, err := s.RollUp(ctx, peercircle.LevelArea, 9999, q1, 0); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
			if _, err := s.RollUp(ctx, "galaxy", 1, q1, 0); peercircle.ErrorCode(err) != peercircle.EINVALID {
				t.Fatalf("err = %v", err)
			}
			if _, err := s.RollUp(ctx, peercircle.LevelOrganisation, 0, peercircle.Quarter{Year: 2030, N: 1}, 0); peercircle.ErrorKey(err) != "report.future_quarter" {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func TestReportReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w, clock := reportStore(t, s, 2)
		site := w.Sites[0]
		org, coord := w.Organiser.ID, w.Coordinator.ID

		t.Run("the running quarter cannot be submitted yet", func(t *testing.T) {
			_, err := s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: site.ID, Quarter: q1.Next(), ActorID: org})
			if peercircle.ErrorKey(err) != "report.quarter_running" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("no meetings cannot be claimed for a quarter with meetings held", func(t *testing.T) {
			_, err := s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: site.ID, Quarter: q1, ActorID: org, NoMeetings: true, NoMeetingsReason: "Ramadan"})
			if peercircle.ErrorFields(err)["no_meetings"] != "report.meetings_held" {
				t.Fatalf("err = %v", err)
			}
			_, err = s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: site.ID, Quarter: q1, ActorID: org, NoMeetings: true})
			if peercircle.ErrorFields(err)["no_meetings_reason"] != "report.reason_required" {
				t.Fatalf("err = %v", err)
			}
		})

		var submitted *peercircle.Report
		t.Run("a submitted report is frozen and the coordinators are told", func(t *testing.T) {
			var err error
			submitted, err = s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: site.ID, Quarter: q1, ActorID: org, Comment: "Good quarter; the room was a problem."})
			if err != nil {
				t.Fatal(err)
			}
			if submitted.State != peercircle.ReviewSubmitted || submitted.Snapshot == nil || !submitted.Frozen() || submitted.Version != 1 {
				t.Fatalf("report = %+v", submitted)
			}
			ns, _ := s.Notifications(ctx, coord, true, 10)
			if len(ns) != 1 || ns[0].Kind != "report_submitted" || ns[0].Params[0] != site.Name || strings.Contains(strings.Join(ns[0].Params, " "), "room") {
				t.Fatalf("notifications = %+v", ns)
			}
		})
		t.Run("a later edit to the sessions does not change the submitted figures", func(t *testing.T) {
			var sid int64
			s.DB.QueryRow(ctx, `SELECT m.id FROM sessions m JOIN groups g ON g.id = m.group_id WHERE g.site_id = ? AND m.status = 'cancelled'
				AND m.local_date >= '2027-01-01' AND m.local_date <= '2027-03-31' ORDER BY m.id LIMIT 1`, site.ID).Scan(&sid)
			if sid == 0 {
				t.Fatal("no cancelled session to edit")
			}
			s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
				_, err := tx.Exec("UPDATE sessions SET status = 'held' WHERE id = ?", sid)
				return err
			})
			r, err := s.Report(ctx, site.ID, q1)
			if err != nil {
				t.Fatal(err)
			}
			live, _ := s.Sheet3(ctx, site.ID, q1)
			if r.Snapshot.Total.Held != submitted.Snapshot.Total.Held || live.Total.Held != r.Snapshot.Total.Held+1 {
				t.Fatalf("snapshot %d, live %d", r.Snapshot.Total.Held, live.Total.Held)
			}
			changes := peercircle.DiffSheets(r.Snapshot, live)
			found := false
			for _, c := range changes {
				if c.Group == "" && c.Figure == "sessions_held" {
					found = c.After == fmt.Sprint(live.Total.Held)
				}
			}
			if !found {
				t.Fatalf("changes = %+v", changes)
			}
		})
		t.Run("the organiser cannot submit twice", func(t *testing.T) {
			_, err := s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: site.ID, Quarter: q1, ActorID: org, Version: 1})
			if peercircle.ErrorKey(err) != "report.not_open" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("a return needs a comment", func(t *testing.T) {
			_, err := s.ReviewReport(ctx, &peercircle.ReportReview{SiteID: site.ID, Quarter: q1, ActorID: coord, Version: 1})
			if peercircle.ErrorFields(err)["review_comment"] != "report.return_comment_required" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("a review of a version the coordinator did not see is a conflict", func(t *testing.T) {
			_, err := s.ReviewReport(ctx, &peercircle.ReportReview{SiteID: site.ID, Quarter: q1, ActorID: coord, Accept: true, Version: 7})
			if peercircle.ErrorCode(err) != peercircle.ECONFLICT {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("returned, fixed and submitted again, then accepted", func(t *testing.T) {
			r, err := s.ReviewReport(ctx, &peercircle.ReportReview{SiteID: site.ID, Quarter: q1, ActorID: coord, Comment: "Please record the meeting of 12 January.", Version: 1})
			if err != nil || r.State != peercircle.ReviewReturned || r.Frozen() {
				t.Fatalf("report = %+v, %v", r, err)
			}
			ns, _ := s.Notifications(ctx, org, true, 10)
			if len(ns) != 1 || ns[0].Kind != "report_returned" {
				t.Fatalf("notifications = %+v", ns)
			}
			clock.Add(time.Hour)
			r, err = s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: site.ID, Quarter: q1, ActorID: org, Comment: "Fixed.", Version: r.Version})
			if err != nil || r.Previous == nil || r.Snapshot.Total.Held != r.Previous.Total.Held+1 {
				t.Fatalf("report = %+v, %v", r, err)
			}
			r, err = s.ReviewReport(ctx, &peercircle.ReportReview{SiteID: site.ID, Quarter: q1, ActorID: coord, Accept: true, Version: r.Version})
			if err != nil || r.State != peercircle.ReviewAccepted || len(r.History) != 4 {
				t.Fatalf("report = %+v, %v", r, err)
			}
			states := []string{}
			for _, h := range r.History {
				states = append(states, h.State)
			}
			if strings.Join(states, ",") != "submitted,returned,submitted,accepted" || r.History[1].ActorName != "Coordinator" {
				t.Fatalf("history = %+v", r.History)
			}
		})
		t.Run("no meetings this quarter is a valid report with a reason", func(t *testing.T) {
			// 2026Q2 is before the generated meetings.
			q := peercircle.Quarter{Year: 2026, N: 2}
			r, err := s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: site.ID, Quarter: q, ActorID: org, NoMeetings: true, NoMeetingsReason: "The centre was closed for renovation."})
			if err != nil || !r.NoMeetings || r.State != peercircle.ReviewSubmitted {
				t.Fatalf("report = %+v, %v", r, err)
			}
		})
		t.Run("the site's list of reports shows each quarter's state", func(t *testing.T) {
			rows, err := s.SiteReports(ctx, site.ID, peercircle.Quarter{Year: 2026, N: 1}, peercircle.Quarter{Year: 2027, N: 4})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, r := range rows {
				got[r.Quarter.String()] = r.State
			}
			want := map[string]string{"2027Q2": "draft", "2027Q1": "accepted", "2026Q4": "draft", "2026Q3": "draft", "2026Q2": "submitted", "2026Q1": "draft"}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %v", got)
			}
		})
	})
}

func TestReportNudges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w, clock := reportStore(t, s, 2)
		for _, site := range w.Sites[1:] { // the second site is organised too
			s.AddGrant(ctx, &peercircle.Grant{PersonID: w.Organiser.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: site.ID})
		}
		kinds := func() map[string]int {
			ns, err := s.Notifications(ctx, w.Organiser.ID, false, 100)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, n := range ns {
				out[n.Kind]++
			}
			return out
		}
		// again runs the job once more, when it has nothing new to tell:
		// it finds that by reading, and begins no write transaction (it
		// runs every hour, and a report stays late for weeks).
		again := func() {
			t.Helper()
			before := sqlstore.Writes()
			if err := s.ReportNudges(ctx, ""); err != nil {
				t.Fatal(err)
			}
			if n := sqlstore.Writes() - before; n != 0 {
				t.Errorf("a run with nothing new to tell began %d write transactions", n)
			}
		}
		// 2027Q2 closes on 30 June; its report is due 14 July; reminders
		// start 5 days before.
		clock.Add(time.Date(2027, 7, 2, 9, 0, 0, 0, time.UTC).Sub(clock.Now()))
		t.Run("a closed quarter with summaries missing is told once per site", func(t *testing.T) {
			if err := s.ReportNudges(ctx, ""); err != nil {
				t.Fatal(err)
			}
			again()
			if got := kinds(); got["report_summaries_missing"] != 2 || got["report_due_soon"] != 0 {
				t.Fatalf("notifications = %v", got)
			}
		})
		t.Run("days before the due date, sites that have not submitted are reminded once", func(t *testing.T) {
			if _, err := s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: w.Sites[1].ID, Quarter: q1.Next(), ActorID: w.Organiser.ID}); err != nil {
				t.Fatal(err)
			}
			clock.Add(8 * 24 * time.Hour) // 10 July
			s.ReportNudges(ctx, "")
			again()
			if got := kinds(); got["report_due_soon"] != 1 {
				t.Fatalf("notifications = %v", got)
			}
			ns, _ := s.Notifications(ctx, w.Organiser.ID, false, 1)
			if ns[0].Params[0] != w.Sites[0].Name || ns[0].Params[2] != "2027-07-14" || !strings.HasPrefix(ns[0].Link, "/sites/") {
				t.Fatalf("notification = %+v", ns[0])
			}
		})
		t.Run("on the due date and after it, each once; coordinators get a weekly digest", func(t *testing.T) {
			clock.Add(4 * 24 * time.Hour) // 14 July: due today
			s.ReportNudges(ctx, "")
			again()
			if got := kinds(); got["report_due_today"] != 1 || got["report_late"] != 0 {
				t.Fatalf("notifications = %v", got)
			}
			clock.Add(24 * time.Hour) // 15 July: late
			s.ReportNudges(ctx, "")
			again()
			if got := kinds(); got["report_late"] != 1 {
				t.Fatalf("notifications = %v", got)
			}
			digests := func() []*peercircle.Notification {
				ns, _ := s.Notifications(ctx, w.Coordinator.ID, false, 100)
				var out []*peercircle.Notification
				for _, n := range ns {
					if n.Kind == sqlstore.KindDigest {
						out = append(out, n)
					}
				}
				return out
			}
			d := digests()
			// One site late; the other, in another area, is not theirs.
			if len(d) != 1 || d[0].Params[0] != "1" || d[0].Params[1] != "0" {
				t.Fatalf("digests %+v", *d[0])
			}
			// Made coordinator of the region, they also see the other
			// site's report waiting, from the next week.
			s.AddGrant(ctx, &peercircle.Grant{PersonID: w.Coordinator.ID, Role: peercircle.RoleCoordinator, ScopeKind: peercircle.ScopeRegion, ScopeID: w.Region.ID})
			clock.Add(7 * 24 * time.Hour)
			s.ReportNudges(ctx, "")
			d = digests()
			if len(d) != 2 || d[0].Params[0] != "1" || d[0].Params[1] != "1" {
				t.Fatalf("digests %+v", *d[0])
			}
			clock.Add(24 * time.Hour) // the same week: no third digest
			again()
			if len(digests()) != 2 {
				t.Fatalf("two digests in a week: %+v", digests())
			}
		})
		t.Run("the number of days is a setting", func(t *testing.T) {
			s.SetSetting(ctx, peercircle.SettingDue, "30")
			s.SetSetting(ctx, peercircle.SettingNudgeDays, "3")
			rows, _ := s.SiteReports(ctx, w.Sites[0].ID, q1.Next(), q1.Next())
			if rows[0].Due != "2027-07-30" || rows[0].Late {
				t.Fatalf("row = %+v", rows[0])
			}
		})
	})
}

func TestExpectedMeetingsFollowTheGroupsSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w, _ := reportStore(t, s, 1)
		site := w.Sites[0]
		var community *peercircle.Group
		for _, g := range w.Groups {
			if g.Kind == peercircle.KindCommunity {
				community = g
			}
		}
		sched := &peercircle.GroupSchedule{GroupID: community.ID, Preset: "custom", Rule: "FREQ=WEEKLY;BYDAY=TH", StartDate: "2026-10-01",
			StartTime: "18:00", Minutes: 90, TimeZone: site.TimeZone, Exceptions: []string{"2027-02-11"}}
		if err := s.SaveSchedule(ctx, sched); err != nil {
			t.Fatal(err)
		}
		// Thursdays of 2027Q1, counted by hand, less the exception.
		want := 0
		for d := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2027 && d.Month() <= 3; d = d.AddDate(0, 0, 1) {
			if d.Weekday() == time.Thursday && d.Format(time.DateOnly) != "2027-02-11" {
				want++
			}
		}
		sh, err := s.Sheet3(ctx, site.ID, q1)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range sh.Groups {
			switch g.Kind {
			case peercircle.KindCommunity:
				if g.Figures.Expected != want {
					t.Errorf("weekly group expected %d, want %d", g.Figures.Expected, want)
				}
			case peercircle.KindStaff: // no schedule: two a month (000)
				if g.Figures.Expected != 6 {
					t.Errorf("staff group expected %d, want 6", g.Figures.Expected)
				}
			}
		}
		t.Run("in the running quarter only the meetings due so far", func(t *testing.T) {
			sh, _ := s.Sheet3(ctx, site.ID, q1.Next())
			so := 0
			for d := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC); d.Before(reportNow); d = d.AddDate(0, 0, 1) {
				if d.Weekday() == time.Thursday {
					so++
				}
			}
			for _, g := range sh.Groups {
				if g.Kind == peercircle.KindCommunity && g.Figures.Expected != so {
					t.Errorf("expected so far %d, want %d", g.Figures.Expected, so)
				}
			}
		})
	})
}

// The nudges roll up region by region (an organisation-wide roll-up held
// every group's figures at once): a site in every region is told.
func TestReportNudgesReachEveryRegion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w, clock := reportStore(t, s, 2)
		south := &peercircle.Region{Name: "South", TimeZone: "Asia/Amman"}
		if err := s.CreateRegion(ctx, south); err != nil {
			t.Fatal(err)
		}
		moved := w.Areas[1] // the second site's area
		moved.RegionID = south.ID
		if err := s.UpdateArea(ctx, &moved); err != nil {
			t.Fatal(err)
		}
		for _, site := range w.Sites[1:] {
			if err := s.AddGrant(ctx, &peercircle.Grant{PersonID: w.Organiser.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: site.ID}); err != nil {
				t.Fatal(err)
			}
		}
		clock.Add(time.Date(2027, 7, 2, 9, 0, 0, 0, time.UTC).Sub(clock.Now()))
		if err := s.ReportNudges(ctx, ""); err != nil {
			t.Fatal(err)
		}
		ns, err := s.Notifications(ctx, w.Organiser.ID, false, 100)
		if err != nil {
			t.Fatal(err)
		}
		told := map[string]bool{}
		for _, n := range ns {
			if n.Kind == "report_summaries_missing" {
				told[n.Params[0]] = true
			}
		}
		if !told[w.Sites[0].Name] || !told[w.Sites[1].Name] {
			t.Fatalf("sites told %v: want both %s (region %s) and %s (region %s)", told, w.Sites[0].Name, w.Region.Name, w.Sites[1].Name, south.Name)
		}
	})
}

// The nudges roll up last quarter region by region, without a trend: no
// page asks for those, so they are not kept (the same roll-up asked for
// by a page is).
func TestReportNudgesKeepNoRollUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w, clock := reportStore(t, s, 2)
		clock.Add(time.Date(2027, 7, 2, 9, 0, 0, 0, time.UTC).Sub(clock.Now()))
		if err := s.ReportNudges(ctx, ""); err != nil {
			t.Fatal(err)
		}
		if n := sqlstore.KeptViews(s); n != 0 {
			t.Fatalf("after the nudges the store keeps %d roll-ups, want none", n)
		}
		q := peercircle.QuarterOf(clock.Now(), 1).Prev()
		if _, err := s.RollUp(ctx, peercircle.LevelRegion, w.Region.ID, q, 0); err != nil {
			t.Fatal(err)
		}
		if n := sqlstore.KeptViews(s); n != 1 {
			t.Fatalf("after a page's roll-up the store keeps %d roll-ups, want 1", n)
		}
	})
}
