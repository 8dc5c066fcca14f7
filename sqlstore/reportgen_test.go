package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// genWorld is generated report data: sites in two zones either side of
// UTC, staff and community groups, people who leave mid-quarter, unlisted
// members, visitors and guests, and meetings held, cancelled, postponed
// and never recorded, with summaries in every state.
type genWorld struct {
	Region      peercircle.Region
	Areas       []peercircle.Area
	Sites       []*peercircle.Site
	Groups      []*peercircle.Group
	Organiser   *peercircle.Person
	Coordinator *peercircle.Person
	Sessions    int
}

var genTopics = []string{"Psychological first aid", "Stress and burnout", "Grief and loss", "Working with children",
	"Self-care", "Referral pathways", "Difficult conversations", "Gender-based violence: safe referral"}

// generate fills s with sites×(2 groups) and their meetings from `from` to
// `to` (months), deterministically for a seed. It writes with plain SQL in
// few transactions, so large data sets are quick to make.
func generate(tb testing.TB, s *sqlstore.Store, sites int, seed uint64, from, to time.Time) *genWorld {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	w := &genWorld{}
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(s.UpdateOrganisation(ctx, &peercircle.Organisation{Name: "Generated Programme", QuarterStartMonth: 1}))
	w.Region = peercircle.Region{Name: "Region", TimeZone: "Asia/Amman"}
	must(s.CreateRegion(ctx, &w.Region))
	for i := range 2 {
		a := peercircle.Area{RegionID: w.Region.ID, Name: fmt.Sprintf("Area %d", i+1)}
		must(s.CreateArea(ctx, &a))
		w.Areas = append(w.Areas, a)
	}
	zones := []string{"Asia/Amman", "America/New_York", "Asia/Beirut"}
	joined := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range sites {
		st := &peercircle.Site{AreaID: w.Areas[i%2].ID, Name: fmt.Sprintf("Site %03d", i+1), Kind: peercircle.SiteHealthCentre,
			TimeZone: zones[i%len(zones)], JoinedProgramme: &joined}
		must(s.CreateSite(ctx, st))
		w.Sites = append(w.Sites, st)
	}
	w.Organiser = &peercircle.Person{Username: "organiser", FullName: "Organiser", Status: peercircle.PersonActive}
	must(s.CreatePerson(ctx, w.Organiser))
	must(s.AddGrant(ctx, &peercircle.Grant{PersonID: w.Organiser.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: w.Sites[0].ID}))
	w.Coordinator = &peercircle.Person{Username: "coordinator", FullName: "Coordinator", Status: peercircle.PersonActive}
	must(s.CreatePerson(ctx, w.Coordinator))
	must(s.AddGrant(ctx, &peercircle.Grant{PersonID: w.Coordinator.ID, Role: peercircle.RoleCoordinator, ScopeKind: peercircle.ScopeArea, ScopeID: w.Areas[0].ID}))

	created := from.AddDate(-1, 0, 0)
	err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		personN := 0
		newPerson := func(site int64) (int64, error) {
			personN++
			return tx.Insert(`INSERT INTO people (full_name, display_name, lang, home_site_id, status, created_at) VALUES (?, '', '', ?, 'no_login', ?)`,
				fmt.Sprintf("Peer %05d", personN), site, created)
		}
		for si, st := range w.Sites {
			loc := st.Location()
			for gi, kind := range []string{peercircle.KindStaff, peercircle.KindCommunity} {
				g := &peercircle.Group{SiteID: st.ID, Name: fmt.Sprintf("%s group %d", kind, gi+1), Kind: kind, Membership: peercircle.MembershipClosed,
					Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive, CreatedAt: created}
				var err error
				g.ID, err = tx.Insert(`INSERT INTO groups (site_id, name, kind, membership, structure, lang, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
					g.SiteID, g.Name, g.Kind, g.Membership, g.Structure, g.Lang, g.Status, g.CreatedAt)
				if err != nil {
					return err
				}
				w.Groups = append(w.Groups, g)
				type member struct {
					id   int64
					left time.Time // zero: still a member
					join time.Time
				}
				var members []member
				n := 8 + rng.IntN(7)
				for m := range n {
					pid, err := newPerson(st.ID)
					if err != nil {
						return err
					}
					mb := member{id: pid, join: created}
					status, unlisted := peercircle.MemberActive, m == 3
					var leftAt any
					if m == 4 { // leaves part-way through
						mb.left = from.Add(to.Sub(from) / 2)
						status, leftAt = peercircle.MemberLeft, mb.left
					}
					if m == 5 { // joins part-way through
						mb.join = from.Add(to.Sub(from) / 3)
					}
					role := peercircle.RoleMember
					if m < 2 {
						role = peercircle.RoleFacilitator
					}
					if _, err := tx.Exec(`INSERT INTO memberships (group_id, person_id, role, status, unlisted, joined_at, left_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
						g.ID, pid, role, status, unlisted, mb.join, leftAt); err != nil {
						return err
					}
					members = append(members, mb)
				}
				visitor, err := newPerson(w.Sites[(si+1)%len(w.Sites)].ID)
				if err != nil {
					return err
				}
				// Two meetings a month, second and last Tuesday, 14:00 local.
				for month := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc); month.Before(to); month = month.AddDate(0, 1, 0) {
					for _, day := range meetingDays(month) {
						start := time.Date(month.Year(), month.Month(), day, 14, 0, 0, 0, loc)
						if kind == peercircle.KindCommunity {
							start = start.AddDate(0, 0, 2).Add(4 * time.Hour)
						}
						status := peercircle.SessionHeld
						switch r := rng.IntN(100); {
						case start.After(s.Now()):
							status = peercircle.SessionPlanned
						case r < 10:
							status = peercircle.SessionCancelled
						case r < 17:
							status = peercircle.SessionPostponed
						case r < 22:
							status = peercircle.SessionPlanned
						}
						fac := members[rng.IntN(len(members))].id
						var co any
						if rng.IntN(3) == 0 {
							co = members[rng.IntN(len(members))].id
						}
						topic := ""
						if rng.IntN(5) > 0 {
							topic = genTopics[rng.IntN(len(genTopics))]
						}
						sid, err := tx.Insert(`INSERT INTO sessions (group_id, planned_start, planned_end, local_date, status, facilitator_id, co_facilitator_id, topic, created_at, updated_at)
							VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.ID, start, start.Add(2*time.Hour), start.In(loc).Format(time.DateOnly),
							status, fac, co, topic, created, created)
						if err != nil {
							return err
						}
						w.Sessions++
						if status != peercircle.SessionHeld {
							continue
						}
						for _, mb := range members {
							if start.Before(mb.join) || (!mb.left.IsZero() && start.After(mb.left)) {
								continue
							}
							att := peercircle.AttendPresent
							if rng.IntN(5) == 0 {
								att = []string{peercircle.AttendAbsent, peercircle.AttendApologies}[rng.IntN(2)]
							}
							if _, err := tx.Exec(`INSERT INTO attendance (session_id, person_id, kind, status, updated_at) VALUES (?, ?, 'member', ?, ?)`,
								sid, mb.id, att, created); err != nil {
								return err
							}
						}
						if kind == peercircle.KindStaff && day < 15 { // visiting staff once a month (000)
							if _, err := tx.Exec(`INSERT INTO attendance (session_id, person_id, kind, status, updated_at) VALUES (?, ?, 'visitor', 'present', ?)`,
								sid, visitor, created); err != nil {
								return err
							}
						}
						if rng.IntN(4) == 0 { // a coordinator or specialist supports the session
							if _, err := tx.Exec(`INSERT INTO attendance (session_id, person_id, guest_name, kind, status, updated_at) VALUES (?, NULL, ?, 'guest', 'present', ?)`,
								sid, []string{"Dr Salwa", "Area mental health specialist"}[rng.IntN(2)], created); err != nil {
								return err
							}
						}
						if rng.IntN(2) == 0 { // anonymous feedback: counts per answer only
							responses := 1 + rng.IntN(5)
							if _, err := tx.Exec(`INSERT INTO feedback_rounds (session_id, open, tokens_issued, responses) VALUES (?, FALSE, ?, ?)`,
								sid, responses, responses); err != nil {
								return err
							}
							for _, q := range peercircle.FeedbackQuestions {
								for v := 1; v <= 5; v++ {
									if n := rng.IntN(responses + 1); n > 0 && rng.IntN(3) == 0 {
										if _, err := tx.Exec(`INSERT INTO feedback_counts (session_id, question, value, n) VALUES (?, ?, ?, ?)`, sid, q, v, n); err != nil {
											return err
										}
									}
								}
							}
						}
						if rng.IntN(3) == 0 {
							if _, err := tx.Exec(`INSERT INTO summary_support (session_id, kind, n) VALUES (?, ?, ?)`,
								sid, peercircle.SupportKinds[rng.IntN(len(peercircle.SupportKinds))], 1+rng.IntN(3)); err != nil {
								return err
							}
						}
						switch r := rng.IntN(10); {
						case r < 6:
							_, err = tx.Exec(`INSERT INTO summaries (session_id, state, topic, cases_discussed, created_at, updated_at) VALUES (?, 'accepted', ?, ?, ?, ?)`,
								sid, topic, rng.IntN(4), created, created)
						case r < 8:
							_, err = tx.Exec(`INSERT INTO summaries (session_id, state, topic, cases_discussed, created_at, updated_at) VALUES (?, ?, '', ?, ?, ?)`,
								sid, []string{"draft", "submitted", "returned"}[rng.IntN(3)], rng.IntN(3), created, created)
						}
						if err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	})
	must(err)
	return w
}

// meetingDays are the second and last Tuesday of a month (the staff-group
// default of 000: "during the second and the last week of each month").
func meetingDays(month time.Time) []int {
	var tuesdays []int
	for d := month; d.Month() == month.Month(); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Tuesday {
			tuesdays = append(tuesdays, d.Day())
		}
	}
	return []int{tuesdays[1], tuesdays[len(tuesdays)-1]}
}
