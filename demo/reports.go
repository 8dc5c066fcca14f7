package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// seedReportHistory gives the demo a past: the meetings of the last four
// quarters and of this one up to yesterday (held, a few cancelled or
// postponed, a few never recorded), their attendance with visiting staff
// from Zarqa Camp and supporting coordinators, summaries in every state,
// some anonymous feedback and support given, and Sheet 3 reports: accepted
// two quarters back, and for last quarter one waiting for the coordinator
// (Marka) and one still to submit (Nuzha), so the dashboards show
// something real. Rows go in with plain SQL in one transaction: hundreds of
// meetings through the services would slow the demo's start.
func seedReportHistory(ctx context.Context, s *sqlstore.Store, w *World) error {
	now := s.Now()
	loc, err := time.LoadLocation("Asia/Amman")
	if err != nil {
		return err
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return err
	}
	start := tree.Organisation.QuarterStartMonth
	cur := peercircle.QuarterOf(now.In(loc), start)
	from := cur
	for range 4 {
		from = from.Prev()
	}
	fromDate := from.Start(start, loc)
	today := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)
	rng := rand.New(rand.NewPCG(2027, 5))

	type plan struct {
		key    string
		days   func(month time.Time) []int
		hour   int
		topics []string
	}
	staffTopicsAr := []string{"الإسعاف النفسي الأولي", "الضغط النفسي والاحتراق", "الحزن والفقد", "مسارات الإحالة", "العناية بالذات", "الحديث الصعب مع المراجعين"}
	staffTopicsEn := []string{"Psychological first aid", "Stress and burnout", "Referral pathways", "Self-care for staff", "Grief and loss", "Talking with distressed clients"}
	communityTopics := []string{"Sharing our stories", "Hope and recovery", "Sleep and routines", "Talking with family", "Rights and dignity"}
	plans := []plan{
		{"nuzha-staff", secondAndLast(time.Tuesday), 14, staffTopicsAr},
		{"marka-staff", secondAndLast(time.Wednesday), 14, staffTopicsEn},
		{"hope-circle", firstAndThird(time.Thursday), 17, communityTopics},
		{"families", lastOf(time.Saturday), 11, []string{"Caring for the carer", "Understanding a diagnosis", "Setting boundaries with love"}},
	}
	var zarqaVisitors []int64
	for _, p := range w.Members["zarqa"] {
		zarqaVisitors = append(zarqaVisitors, p.ID)
	}
	coordinator := w.People["coordinator"].ID

	err = s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		// The groups have met for longer than the demo has existed.
		if _, err := tx.Exec("UPDATE groups SET created_at = ? WHERE status <> 'forming'", fromDate.AddDate(-1, 0, 0)); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE memberships SET joined_at = ?", fromDate.AddDate(-1, 0, 0)); err != nil {
			return err
		}
		for _, pl := range plans {
			g := w.Groups[pl.key]
			var members []int64
			rows, err := tx.Query("SELECT person_id FROM memberships WHERE group_id = ? ORDER BY id", g.ID)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				members = append(members, id)
			}
			rows.Close()
			if len(members) == 0 {
				continue
			}
			turn := 0
			for month := time.Date(fromDate.Year(), fromDate.Month(), 1, 0, 0, 0, 0, loc); month.Before(today); month = month.AddDate(0, 1, 0) {
				for _, day := range pl.days(month) {
					st := time.Date(month.Year(), month.Month(), day, pl.hour, 0, 0, 0, loc)
					if !st.Before(today) {
						continue
					}
					recent := today.Sub(st) < 30*24*time.Hour
					status, reason := peercircle.SessionHeld, ""
					switch r := rng.IntN(100); {
					case r < 7:
						status, reason = peercircle.SessionCancelled, []string{"Public holiday", "Staff shortage during the vaccination campaign"}[rng.IntN(2)]
					case r < 12:
						status, reason = peercircle.SessionPostponed, "Room needed for a clinic day"
					case r < 17 && recent:
						status = peercircle.SessionPlanned // nobody recorded what happened yet
					}
					fac := members[turn%len(members)] // rotation: everyone takes a turn (000)
					turn++
					topic := pl.topics[rng.IntN(len(pl.topics))]
					id, err := tx.Insert(`INSERT INTO sessions (group_id, planned_start, planned_end, local_date, status, status_reason, facilitator_id, topic, created_at, updated_at)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.ID, st, st.Add(2*time.Hour), st.Format(time.DateOnly), status, reason, fac, topic, st.AddDate(0, 0, -30), st)
					if err != nil {
						return err
					}
					if status != peercircle.SessionHeld {
						continue
					}
					if err := demoAttendance(tx, rng, id, st, members, g.ID == w.Groups["nuzha-staff"].ID && day < 15, zarqaVisitors, coordinator); err != nil {
						return err
					}
					if err := demoSummary(tx, rng, id, st, fac, topic, today); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return demoReports(ctx, s, w, cur)
}

func demoAttendance(tx *sqlstore.Tx, rng *rand.Rand, session int64, at time.Time, members []int64, visitors bool, zarqa []int64, coordinator int64) error {
	for _, p := range members {
		status := peercircle.AttendPresent
		if r := rng.IntN(10); r == 0 {
			status = peercircle.AttendApologies
		} else if r == 1 {
			status = peercircle.AttendAbsent
		}
		if _, err := tx.Exec("INSERT INTO attendance (session_id, person_id, kind, status, updated_at) VALUES (?, ?, 'member', ?, ?)", session, p, status, at); err != nil {
			return err
		}
	}
	if visitors { // Zarqa Camp's trained staff visit Nuzha once a month (000)
		for _, p := range zarqa {
			if rng.IntN(4) == 0 {
				continue
			}
			if _, err := tx.Exec("INSERT INTO attendance (session_id, person_id, kind, status, updated_at) VALUES (?, ?, 'visitor', 'present', ?)", session, p, at); err != nil {
				return err
			}
		}
	}
	if rng.IntN(5) == 0 { // the coordinator comes to support
		if _, err := tx.Exec("INSERT INTO attendance (session_id, person_id, kind, status, updated_at) VALUES (?, ?, 'guest', 'present', ?)", session, coordinator, at); err != nil {
			return err
		}
	}
	return nil
}

func demoSummary(tx *sqlstore.Tx, rng *rand.Rand, session int64, at time.Time, author int64, topic string, today time.Time) error {
	age := today.Sub(at)
	state := peercircle.ReviewAccepted
	switch r := rng.IntN(10); {
	case age < 21*24*time.Hour && r < 4:
		return nil // not written yet
	case age < 21*24*time.Hour && r < 7:
		state = peercircle.ReviewSubmitted
	case age < 45*24*time.Hour && r < 2:
		state = peercircle.ReviewDraft
	case r == 9 && age > 200*24*time.Hour:
		return nil // one that was never written
	}
	if _, err := tx.Exec(`INSERT INTO summaries (session_id, state, author_id, topic, cases_discussed, submitted_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, session, state, author, topic, rng.IntN(4), at.Add(48*time.Hour), at, at); err != nil {
		return err
	}
	if rng.IntN(3) == 0 {
		kind := peercircle.SupportKinds[rng.IntN(len(peercircle.SupportKinds))]
		if _, err := tx.Exec("INSERT INTO summary_support (session_id, kind, n) VALUES (?, ?, ?)", session, kind, 1+rng.IntN(2)); err != nil {
			return err
		}
	}
	if rng.IntN(2) == 0 { // anonymous feedback, as counts per answer
		n := 3 + rng.IntN(5)
		if _, err := tx.Exec("INSERT INTO feedback_rounds (session_id, open, tokens_issued, responses) VALUES (?, FALSE, ?, ?)", session, n, n); err != nil {
			return err
		}
		for _, q := range peercircle.FeedbackQuestions {
			four := rng.IntN(n + 1)
			for v, c := range map[int]int{4: four, 5: n - four} {
				if c == 0 {
					continue
				}
				if _, err := tx.Exec("INSERT INTO feedback_counts (session_id, question, value, n) VALUES (?, ?, ?, ?)", session, q, v, c); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// demoReports submits and reviews Sheet 3 through the service, as the
// organisers and coordinators would have.
func demoReports(ctx context.Context, s *sqlstore.Store, w *World, cur peercircle.Quarter) error {
	last, before := cur.Prev(), cur.Prev().Prev()
	coord := w.People["coordinator"].ID
	submit := func(site, user string, q peercircle.Quarter, comment string) (*peercircle.Report, error) {
		return s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: w.Sites[site].ID, Quarter: q, ActorID: w.People[user].ID, Comment: comment})
	}
	for _, x := range []struct{ site, user string }{{"nuzha", "organiser"}, {"marka", "organiser.marka"}} {
		r, err := submit(x.site, x.user, before, "The group met regularly. Finding a quiet room on clinic days remains hard.")
		if err != nil {
			return fmt.Errorf("report %s %s: %w", x.site, before, err)
		}
		if _, err := s.ReviewReport(ctx, &peercircle.ReportReview{SiteID: r.SiteID, Quarter: before, ActorID: coord, Accept: true,
			Comment: "Thank you. Well done keeping the meetings going.", Version: r.Version}); err != nil {
			return err
		}
	}
	if _, err := submit("marka", "organiser.marka", last, "Two meetings were cancelled for the vaccination campaign; members asked for a refresher on referral pathways."); err != nil {
		return err
	}
	r, err := submit("amal", "organiser.amal", before, "Hope Circle keeps growing; the families group needs a second facilitator.")
	if err != nil {
		return err
	}
	_, err = s.ReviewReport(ctx, &peercircle.ReportReview{SiteID: r.SiteID, Quarter: before, ActorID: w.People["coordinator.zarqa"].ID, Accept: false,
		Comment: "Please add the topics of the two family meetings in the second month.", Version: r.Version})
	return err
}

// secondAndLast is the staff-group default of 000: the second and the last
// week of the month, on the same weekday.
func secondAndLast(day time.Weekday) func(time.Time) []int {
	return func(month time.Time) []int {
		d := weekdays(month, day)
		return []int{d[1], d[len(d)-1]}
	}
}

func firstAndThird(day time.Weekday) func(time.Time) []int {
	return func(month time.Time) []int {
		d := weekdays(month, day)
		return []int{d[0], d[2]}
	}
}

func lastOf(day time.Weekday) func(time.Time) []int {
	return func(month time.Time) []int {
		d := weekdays(month, day)
		return []int{d[len(d)-1]}
	}
}

func weekdays(month time.Time, day time.Weekday) []int {
	var out []int
	for d := month; d.Month() == month.Month(); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == day {
			out = append(out, d.Day())
		}
	}
	return out
}
