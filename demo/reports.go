package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
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

	staffTopicsAr := []string{"الإسعاف النفسي الأولي", "الضغط النفسي والاحتراق", "الحزن والفقد", "مسارات الإحالة", "العناية بالذات", "الحديث الصعب مع المراجعين"}
	staffTopicsEn := []string{"Psychological first aid", "Stress and burnout", "Referral pathways", "Self-care for staff", "Grief and loss", "Talking with distressed clients"}
	topics := map[string][]string{
		"nuzha-staff": staffTopicsAr,
		"marka-staff": staffTopicsEn,
		"hope-circle": {"Sharing our stories", "Hope and recovery", "Sleep and routines", "Talking with family", "Rights and dignity"},
		"families":    {"Caring for the carer", "Understanding a diagnosis", "Setting boundaries with love"},
		"training":    {"Core values of peer support", "The six competency clusters", "The GROW worksheet", "Running a self-run group"},
	}
	coordinator := w.People["coordinator"].ID
	// The meetings follow each group's schedule (set by the schedules
	// step): the history is what the schedule planned, as it went.
	type plan struct {
		g     *peercircle.Group
		dates []schedule.Occurrence
	}
	var plans []plan
	for _, key := range []string{"nuzha-staff", "marka-staff", "hope-circle", "families", "training"} {
		g := w.Groups[key]
		gs, err := s.GroupScheduleOf(ctx, g.ID)
		if peercircle.ErrorCode(err) == peercircle.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		sc, err := gs.Compile()
		if err != nil {
			return err
		}
		plans = append(plans, plan{g, sc.Between(fromDate, today, 0)})
	}

	err = s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		// The groups have met for longer than the demo has existed.
		if _, err := tx.Exec("UPDATE groups SET created_at = ? WHERE status <> 'forming'", fromDate.AddDate(-1, 0, 0)); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE memberships SET joined_at = ? WHERE status = 'active'", fromDate.AddDate(-1, 0, 0)); err != nil {
			return err
		}
		for _, pl := range plans {
			g := pl.g
			var members []member
			rows, err := tx.Query("SELECT person_id, visiting FROM memberships WHERE group_id = ? AND status = 'active' ORDER BY id", g.ID)
			if err != nil {
				return err
			}
			for rows.Next() {
				var m member
				if err := rows.Scan(&m.id, &m.visiting); err != nil {
					rows.Close()
					return err
				}
				members = append(members, m)
			}
			rows.Close()
			var regular []int64
			for _, m := range members {
				if !m.visiting {
					regular = append(regular, m.id)
				}
			}
			if len(regular) == 0 {
				continue
			}
			turn := 0
			for _, o := range pl.dates {
				st := o.Start
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
				fac := regular[turn%len(regular)] // rotation: everyone takes a turn (000)
				turn++
				list := topics[keyOf(w, g)]
				topic := list[rng.IntN(len(list))]
				var id int64
				rows, err := tx.Query(`INSERT INTO sessions (group_id, planned_start, planned_end, local_date, occurrence, status, status_reason, facilitator_id, topic, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (group_id, occurrence) DO NOTHING RETURNING id`,
					g.ID, st, o.End, o.Date.String(), st, status, reason, fac, topic, st.AddDate(0, 0, -30), st)
				if err != nil {
					return err
				}
				if rows.Next() {
					rows.Scan(&id)
				}
				rows.Close()
				if id == 0 || status != peercircle.SessionHeld {
					continue // already planned by the schedule, or not held
				}
				firstOfMonth := o.Date.Day <= 7
				if err := demoAttendance(tx, rng, id, st, expected(members, firstOfMonth), coordinator); err != nil {
					return err
				}
				if err := demoSummary(tx, rng, id, st, fac, topic, today); err != nil {
					return err
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

// attendee is a person at a meeting and how they attend.
type attendee struct {
	id   int64
	kind string
}

// member is a person in a demo group.
type member struct {
	id       int64
	visiting bool
}

// expected lists who is expected at a meeting: the group's members, and
// its visiting members at the first meeting of the month (000: "once per
// month").
func expected(ms []member, firstOfMonth bool) []attendee {
	var out []attendee
	for _, m := range ms {
		switch {
		case !m.visiting:
			out = append(out, attendee{m.id, peercircle.AttendMember})
		case firstOfMonth:
			out = append(out, attendee{m.id, peercircle.AttendVisitor})
		}
	}
	return out
}

func demoAttendance(tx *sqlstore.Tx, rng *rand.Rand, session int64, at time.Time, people []attendee, coordinator int64) error {
	for _, p := range people {
		status := peercircle.AttendPresent
		if r := rng.IntN(10); r == 0 {
			status = peercircle.AttendApologies
		} else if r == 1 {
			status = peercircle.AttendAbsent
		}
		if _, err := tx.Exec("INSERT INTO attendance (session_id, person_id, kind, status, updated_at) VALUES (?, ?, ?, ?, ?)", session, p.id, p.kind, status, at); err != nil {
			return err
		}
	}
	if rng.IntN(5) == 0 { // the coordinator comes to support
		if _, err := tx.Exec("INSERT INTO attendance (session_id, person_id, kind, status, updated_at) VALUES (?, ?, 'guest', 'present', ?) ON CONFLICT (session_id, person_id) DO NOTHING", session, coordinator, at); err != nil {
			return err
		}
	}
	return nil
}

// keyOf finds a demo group's key.
func keyOf(w *World, g *peercircle.Group) string {
	for k, x := range w.Groups {
		if x.ID == g.ID {
			return k
		}
	}
	return ""
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
