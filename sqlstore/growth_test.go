package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// growthWorld is a site with a peer, a supervisor of its region and a
// supervisor of another region.
type growthWorld struct {
	s                          *sqlstore.Store
	site                       peercircle.Site
	peer, supervisor, far, org *peercircle.Person
}

func newGrowthWorld(t *testing.T, s *sqlstore.Store) *growthWorld {
	t.Helper()
	ctx := context.Background()
	s.Now = storetest.NewClock(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)).Now
	w := &growthWorld{s: s}
	var region peercircle.Region
	region, _, w.site = tree(t, s)
	other := &peercircle.Region{Name: "Irbid", TimeZone: "Asia/Amman"}
	must(t, s.CreateRegion(ctx, other))
	w.peer, w.supervisor, w.far, w.org = member(t, s, "peer", w.site.ID), member(t, s, "supervisor", 0), member(t, s, "far", 0), member(t, s, "orgsup", 0)
	for _, g := range []peercircle.Grant{
		{PersonID: w.supervisor.ID, Role: peercircle.RoleSupervisor, ScopeKind: peercircle.ScopeRegion, ScopeID: region.ID},
		{PersonID: w.far.ID, Role: peercircle.RoleSupervisor, ScopeKind: peercircle.ScopeRegion, ScopeID: other.ID},
		{PersonID: w.org.ID, Role: peercircle.RoleSupervisor, ScopeKind: peercircle.ScopeOrganisation},
	} {
		must(t, s.AddGrant(ctx, &g))
	}
	return w
}

func sampleWorksheet(owner int64) *peercircle.GrowWorksheet {
	return &peercircle.GrowWorksheet{OwnerID: owner, Goal: "Sleep before midnight after night shifts",
		Reality: "I scroll my phone until 2am", Options: []peercircle.GrowOption{{Text: "Phone out of the bedroom", Score: 8}, {Text: "Walk after work", Score: 6}},
		Actions: []peercircle.GrowAction{{Text: "Buy an alarm clock", Due: "2026-03-09"}}, Commitment: 7, RaiseCommitment: "A colleague to check in with"}
}

func TestWorksheets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGrowthWorld(t, s)
		ws := sampleWorksheet(w.peer.ID)
		must(t, s.SaveWorksheet(ctx, ws))

		t.Run("the text is sealed at rest", func(t *testing.T) {
			for _, needle := range []string{"midnight", "alarm clock", "colleague"} {
				if safetyRawContains(t, s, "grow_worksheets", needle) {
					t.Errorf("%q stored in clear", needle)
				}
			}
		})
		t.Run("the owner reads it back whole, without an audit row", func(t *testing.T) {
			got, err := s.Worksheet(ctx, ws.ID, w.peer.ID)
			must(t, err)
			if got.Goal != ws.Goal || len(got.Options) != 2 || got.Options[0].Score != 8 || got.Actions[0].Due != "2026-03-09" || got.Commitment != 7 {
				t.Fatalf("got %+v", got)
			}
			if n := auditCount(t, s, "grow_worksheet.read", ws.ID); n != 0 {
				t.Errorf("%d read events for the owner", n)
			}
		})
		t.Run("bad scores are refused and nothing changes", func(t *testing.T) {
			bad := sampleWorksheet(w.peer.ID)
			bad.ID = ws.ID
			bad.Goal = "changed"
			bad.Options[1].Score = 11
			wantErr(t, s.SaveWorksheet(ctx, bad), peercircle.EINVALID, "growth.error.score")
			bad.Options[1].Score, bad.Commitment = 5, 0
			bad.Commitment = -1
			wantErr(t, s.SaveWorksheet(ctx, bad), peercircle.EINVALID, "growth.error.score")
			got, _ := s.Worksheet(ctx, ws.ID, w.peer.ID)
			if got.Goal != ws.Goal {
				t.Errorf("goal changed to %q", got.Goal)
			}
		})
		t.Run("someone else cannot update it", func(t *testing.T) {
			other := sampleWorksheet(w.supervisor.ID)
			other.ID = ws.ID
			wantErr(t, s.SaveWorksheet(ctx, other), peercircle.ENOTFOUND, "")
		})
		t.Run("sharing names the supervisor in the scope and is revocable", func(t *testing.T) {
			sc, err := s.WorksheetScope(ctx, ws.ID)
			must(t, err)
			if sc.SiteID != w.site.ID || sc.PersonID != w.peer.ID || len(sc.Readers) != 0 {
				t.Fatalf("private scope %+v", sc)
			}
			sups, err := s.SupervisorsCovering(ctx, w.site.ID)
			must(t, err)
			if len(sups) != 2 || (sups[0].ID != w.org.ID && sups[1].ID != w.org.ID) {
				t.Fatalf("supervisors covering the site: %v", sups)
			}
			must(t, s.ShareWorksheet(ctx, ws.ID, w.peer.ID, w.supervisor.ID))
			sc, _ = s.WorksheetScope(ctx, ws.ID)
			if len(sc.Readers) != 1 || sc.Readers[0] != w.supervisor.ID {
				t.Fatalf("shared scope %+v", sc)
			}
			list, err := s.WorksheetsSharedWith(ctx, w.supervisor.ID)
			must(t, err)
			if len(list) != 1 || list[0].Goal != "" || list[0].Title == "" {
				t.Fatalf("shared list %+v", list)
			}
			_, err = s.Worksheet(ctx, ws.ID, w.supervisor.ID)
			must(t, err)
			if n := auditCount(t, s, "grow_worksheet.read", ws.ID); n != 1 {
				t.Errorf("%d read events, want 1", n)
			}
			wantErr(t, s.ShareWorksheet(ctx, ws.ID, w.supervisor.ID, w.supervisor.ID), peercircle.ENOTFOUND, "")
			must(t, s.ShareWorksheet(ctx, ws.ID, w.peer.ID, 0))
			sc, _ = s.WorksheetScope(ctx, ws.ID)
			if len(sc.Readers) != 0 {
				t.Errorf("still shared: %+v", sc)
			}
		})
		t.Run("the owner deletes it", func(t *testing.T) {
			wantErr(t, s.DeleteWorksheet(ctx, ws.ID, w.supervisor.ID), peercircle.ENOTFOUND, "")
			must(t, s.DeleteWorksheet(ctx, ws.ID, w.peer.ID))
			list, _ := s.WorksheetsOf(ctx, w.peer.ID)
			if len(list) != 0 {
				t.Errorf("%d left", len(list))
			}
		})
	})
}

func auditCount(t *testing.T, s *sqlstore.Store, action string, target int64) int {
	t.Helper()
	var n int
	must(t, s.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE action = ? AND target_id = ?", action, target).Scan(&n))
	return n
}

func TestSupervision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGrowthWorld(t, s)
		v := &peercircle.SupervisionSession{SupervisorID: w.supervisor.ID, SuperviseeID: w.peer.ID, HeldOn: "2026-03-01",
			TaskNotes: "Ran the check-in round well", ProcessNotes: "Tired after the incident in February", FollowUps: "Meet again in a month"}
		must(t, s.SaveSupervision(ctx, v))

		t.Run("bad input is refused", func(t *testing.T) {
			for name, c := range map[string]struct {
				v   peercircle.SupervisionSession
				key string
			}{
				"a date in the future": {peercircle.SupervisionSession{SupervisorID: w.supervisor.ID, SuperviseeID: w.peer.ID, HeldOn: "2026-04-01", TaskNotes: "x"}, "growth.error.future"},
				"not a date":           {peercircle.SupervisionSession{SupervisorID: w.supervisor.ID, SuperviseeID: w.peer.ID, HeldOn: "1 March", TaskNotes: "x"}, "error.date"},
				"no notes":             {peercircle.SupervisionSession{SupervisorID: w.supervisor.ID, SuperviseeID: w.peer.ID, HeldOn: "2026-03-01"}, "growth.error.no_notes"},
				"oneself":              {peercircle.SupervisionSession{SupervisorID: w.supervisor.ID, SuperviseeID: w.supervisor.ID, HeldOn: "2026-03-01", TaskNotes: "x"}, "growth.error.self_supervision"},
			} {
				t.Run(name, func(t *testing.T) { wantErr(t, s.SaveSupervision(ctx, &c.v), peercircle.EINVALID, c.key) })
			}
			list, _ := s.SupervisionsOf(ctx, w.peer.ID, 10)
			if len(list) != 1 {
				t.Errorf("%d sessions after refusals", len(list))
			}
		})
		t.Run("notes are sealed at rest", func(t *testing.T) {
			for _, needle := range []string{"check-in round", "incident", "a month"} {
				if safetyRawContains(t, s, "supervision_sessions", needle) {
					t.Errorf("%q stored in clear", needle)
				}
			}
		})
		t.Run("the supervisee's read is audited, the supervisor's is not", func(t *testing.T) {
			got, err := s.Supervision(ctx, v.ID, w.supervisor.ID)
			must(t, err)
			if got.ProcessNotes != v.ProcessNotes || got.HeldOn != "2026-03-01" {
				t.Fatalf("got %+v", got)
			}
			if n := auditCount(t, s, "supervision.read", v.ID); n != 0 {
				t.Fatalf("%d reads audited for the author", n)
			}
			_, err = s.Supervision(ctx, v.ID, w.peer.ID)
			must(t, err)
			if n := auditCount(t, s, "supervision.read", v.ID); n != 1 {
				t.Fatalf("%d reads audited, want 1", n)
			}
		})
		t.Run("scope names the supervisee and the supervisor", func(t *testing.T) {
			sc, err := s.SupervisionScope(ctx, v.ID)
			must(t, err)
			if sc.PersonID != w.peer.ID || sc.SiteID != w.site.ID || len(sc.Readers) != 1 || sc.Readers[0] != w.supervisor.ID {
				t.Fatalf("scope %+v", sc)
			}
		})
		t.Run("both see it in their lists, without notes", func(t *testing.T) {
			for _, p := range []*peercircle.Person{w.peer, w.supervisor} {
				list, err := s.SupervisionsOf(ctx, p.ID, 10)
				must(t, err)
				if len(list) != 1 || list[0].TaskNotes != "" {
					t.Errorf("%s: %+v", p.Username, list)
				}
			}
			if list, _ := s.SupervisionsOf(ctx, w.far.ID, 10); len(list) != 0 {
				t.Errorf("another supervisor sees %d", len(list))
			}
		})
		t.Run("people at sites", func(t *testing.T) {
			ps, err := s.PeopleAtSites(ctx, []int64{w.site.ID})
			must(t, err)
			if len(ps) != 1 || ps[0].ID != w.peer.ID {
				t.Errorf("got %v", ps)
			}
		})
	})
}

func TestCompetencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGrowthWorld(t, s)
		fw, err := s.Competencies(ctx)
		must(t, err)
		n := 0
		for _, c := range fw {
			if c.Name["en"] == "" || c.Name["ar"] == "" {
				t.Errorf("cluster %s without a name", c.Code)
			}
			n += len(c.Competencies)
		}
		if len(fw) != 6 || n != 28 || fw[0].Code != "engage" || fw[0].Competencies[0].Name["en"] != "Initiates contact with peers" {
			t.Fatalf("framework: %d clusters, %d competencies", len(fw), n)
		}
		first, second := fw[0].Competencies[0].ID, fw[4].Competencies[1].ID

		t.Run("an unknown level or competency is refused", func(t *testing.T) {
			wantErr(t, s.SaveSelfAssessment(ctx, &peercircle.SelfAssessment{PersonID: w.peer.ID, Levels: map[int64]string{first: "expert"}}), peercircle.EINVALID, "growth.error.level")
			wantErr(t, s.SaveSelfAssessment(ctx, &peercircle.SelfAssessment{PersonID: w.peer.ID, Levels: map[int64]string{999999: "essential"}}), peercircle.EINVALID, "growth.error.level")
			wantErr(t, s.SaveSelfAssessment(ctx, &peercircle.SelfAssessment{PersonID: w.peer.ID, Levels: map[int64]string{first: ""}}), peercircle.EINVALID, "growth.error.no_levels")
		})
		a1 := &peercircle.SelfAssessment{PersonID: w.peer.ID, Levels: map[int64]string{first: "essential"}}
		must(t, s.SaveSelfAssessment(ctx, a1))
		s.Now = func() time.Time { return time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC) }
		a2 := &peercircle.SelfAssessment{PersonID: w.peer.ID, Levels: map[int64]string{first: "practitioner", second: "essential"}}
		must(t, s.SaveSelfAssessment(ctx, a2))

		t.Run("history is kept, newest first", func(t *testing.T) {
			list, err := s.SelfAssessments(ctx, w.peer.ID, w.peer.ID)
			must(t, err)
			if len(list) != 2 || list[0].ID != a2.ID || list[0].Levels[first] != "practitioner" || list[1].Levels[first] != "essential" {
				t.Fatalf("history %+v", list)
			}
		})
		t.Run("a supervisor reviews; the comment is sealed and the person told", func(t *testing.T) {
			wantErr(t, s.ReviewAssessment(ctx, a2.ID, w.supervisor.ID, "  "), peercircle.EINVALID, "error.required")
			must(t, s.ReviewAssessment(ctx, a2.ID, w.supervisor.ID, "Ready for the practitioner training"))
			if safetyRawContains(t, s, "self_assessments", "practitioner training") {
				t.Error("review stored in clear")
			}
			got, err := s.AssessmentReview(ctx, a2.ID)
			must(t, err)
			if got != "Ready for the practitioner training" {
				t.Errorf("review %q", got)
			}
			list, _ := s.SelfAssessments(ctx, w.peer.ID, w.supervisor.ID)
			if list[0].ReviewedBy != w.supervisor.ID || list[0].ReviewedAt == nil {
				t.Errorf("review not recorded: %+v", list[0])
			}
			var reads int
			must(t, s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'assessment.read' AND target_id = ? AND actor_id = ?", w.peer.ID, w.supervisor.ID).Scan(&reads))
			if reads != 1 {
				t.Errorf("%d reads by the supervisor audited", reads)
			}
			ns, _ := s.Notifications(ctx, w.peer.ID, false, 10)
			if len(ns) == 0 || ns[0].Kind != "assessment_reviewed" {
				t.Errorf("notifications %+v", ns)
			}
			sc, err := s.AssessmentScope(ctx, a2.ID)
			must(t, err)
			if sc.PersonID != w.peer.ID || sc.SiteID != w.site.ID {
				t.Errorf("scope %+v", sc)
			}
		})
	})
}

func TestGrowthInMyDataAndErasure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGrowthWorld(t, s)
		must(t, s.SetPassword(ctx, w.peer.ID, "a long walk by the river"))
		ws := sampleWorksheet(w.peer.ID)
		must(t, s.SaveWorksheet(ctx, ws))
		must(t, s.ShareWorksheet(ctx, ws.ID, w.peer.ID, w.supervisor.ID))
		_, err := s.Worksheet(ctx, ws.ID, w.supervisor.ID)
		must(t, err)
		mine := sampleWorksheet(w.supervisor.ID)
		must(t, s.SaveWorksheet(ctx, mine))
		fw, err := s.Competencies(ctx)
		must(t, err)
		must(t, s.SaveSelfAssessment(ctx, &peercircle.SelfAssessment{PersonID: w.peer.ID, Levels: map[int64]string{fw[0].Competencies[0].ID: "essential"}}))
		_, err = s.SelfAssessments(ctx, w.peer.ID, w.supervisor.ID)
		must(t, err)
		must(t, s.SaveSupervision(ctx, &peercircle.SupervisionSession{SupervisorID: w.supervisor.ID, SuperviseeID: w.peer.ID, HeldOn: "2026-03-01", TaskNotes: "Rota"}))

		t.Run("the person's data holds their growth and who read it", func(t *testing.T) {
			d, err := s.MyData(ctx, w.peer.ID)
			must(t, err)
			g := d.Growth
			if len(g.Worksheets) != 1 || g.Worksheets[0].Goal != ws.Goal || len(g.SelfAssessments) != 1 || g.SelfAssessments[0].Levels["engage.1"] != "essential" ||
				len(g.Supervision) != 1 || g.Supervision[0].Supervisor != w.supervisor.FullName {
				t.Fatalf("growth %+v", g)
			}
			reads := map[string]bool{}
			for _, e := range d.ReadsByOthers {
				reads[e.Action] = true
			}
			if !reads["grow_worksheet.read"] || !reads["assessment.read"] {
				t.Errorf("reads by others %+v", d.ReadsByOthers)
			}
		})
		t.Run("erasure removes it; the supervisor's own worksheet stays", func(t *testing.T) {
			c, err := s.ErasePerson(ctx, peercircle.Erasure{PersonID: w.peer.ID, ActorID: w.peer.ID, Password: "a long walk by the river"})
			must(t, err)
			if c.Worksheets != 1 {
				t.Errorf("%d worksheets erased", c.Worksheets)
			}
			for _, table := range []string{"grow_worksheets WHERE owner_id = ?", "self_assessments WHERE person_id = ?", "supervision_sessions WHERE supervisee_id = ?"} {
				var n int
				must(t, s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM "+table, w.peer.ID).Scan(&n))
				if n != 0 {
					t.Errorf("%s: %d left", table, n)
				}
			}
			if list, _ := s.WorksheetsOf(ctx, w.supervisor.ID); len(list) != 1 {
				t.Errorf("the supervisor's worksheet went too")
			}
		})
	})
}

func TestBuddiesAndTraining(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGrowthWorld(t, s)
		newcomer := member(t, s, "newcomer", w.site.ID)
		organiser := member(t, s, "organiser", w.site.ID)

		t.Run("a pairing needs two people of the site and a sensible period", func(t *testing.T) {
			for key, b := range map[string]peercircle.BuddyPairing{
				"growth.error.buddy_site":      {SiteID: w.site.ID, NewcomerID: newcomer.ID, BuddyID: w.supervisor.ID, StartsOn: "2026-03-01", EndsOn: "2026-06-01"},
				"growth.error.same_person":     {SiteID: w.site.ID, NewcomerID: newcomer.ID, BuddyID: newcomer.ID, StartsOn: "2026-03-01", EndsOn: "2026-06-01"},
				"growth.error.ends_before":     {SiteID: w.site.ID, NewcomerID: newcomer.ID, BuddyID: w.peer.ID, StartsOn: "2026-03-01", EndsOn: "2026-02-01"},
				"growth.error.too_long_period": {SiteID: w.site.ID, NewcomerID: newcomer.ID, BuddyID: w.peer.ID, StartsOn: "2026-03-01", EndsOn: "2028-03-01"},
			} {
				wantErr(t, s.CreatePairing(ctx, &b), peercircle.EINVALID, key)
			}
			if list, _ := s.PairingsAt(ctx, w.site.ID); len(list) != 0 {
				t.Errorf("%d pairings after refusals", len(list))
			}
		})
		b := &peercircle.BuddyPairing{SiteID: w.site.ID, NewcomerID: newcomer.ID, BuddyID: w.peer.ID, StartsOn: "2026-03-01", EndsOn: "2026-06-01", CreatedBy: organiser.ID}
		must(t, s.CreatePairing(ctx, b))
		t.Run("both see it and are told", func(t *testing.T) {
			for _, p := range []*peercircle.Person{newcomer, w.peer} {
				list, err := s.PairingsOf(ctx, p.ID)
				must(t, err)
				if len(list) != 1 || !list[0].Active("2026-03-02") || list[0].Active("2026-07-01") {
					t.Errorf("%s: %+v", p.Username, list)
				}
				ns, _ := s.Notifications(ctx, p.ID, false, 5)
				if len(ns) == 0 || ns[0].Kind != "buddy_paired" {
					t.Errorf("%s not told", p.Username)
				}
			}
		})
		t.Run("the organiser ends it early", func(t *testing.T) {
			wantErr(t, s.EndPairing(ctx, b.ID, 999999, organiser.ID), peercircle.ENOTFOUND, "")
			must(t, s.EndPairing(ctx, b.ID, w.site.ID, organiser.ID))
			list, _ := s.PairingsOf(ctx, newcomer.ID)
			if list[0].Active("2026-03-02") {
				t.Error("still active")
			}
		})
		t.Run("courses and completions", func(t *testing.T) {
			wantErr(t, s.CreateCourse(ctx, &peercircle.TrainingCourse{SiteID: w.site.ID, Name: "Peer supporter training", StartsOn: "March"}), peercircle.EINVALID, "error.date")
			c := &peercircle.TrainingCourse{SiteID: w.site.ID, TrainerID: organiser.ID, Name: "Peer supporter training", StartsOn: "2026-02-01", Modules: "Values; GROW; competencies"}
			must(t, s.CreateCourse(ctx, c))
			wantErr(t, s.RecordCompletion(ctx, &peercircle.TrainingRecord{CourseID: c.ID, PersonID: w.supervisor.ID, CompletedOn: "2026-03-01"}, organiser.ID), peercircle.EINVALID, "growth.error.course_site")
			wantErr(t, s.RecordCompletion(ctx, &peercircle.TrainingRecord{CourseID: c.ID, PersonID: w.peer.ID, CompletedOn: "soon"}, organiser.ID), peercircle.EINVALID, "error.date")
			future := s.Now().AddDate(0, 0, 2).Format(peercircle.DateLayout)
			wantErr(t, s.RecordCompletion(ctx, &peercircle.TrainingRecord{CourseID: c.ID, PersonID: w.peer.ID, CompletedOn: future}, organiser.ID), peercircle.EINVALID, "growth.error.completed_future")
			wantErr(t, s.RecordCompletion(ctx, &peercircle.TrainingRecord{CourseID: c.ID, CompletedOn: "2026-03-01"}, organiser.ID), peercircle.EINVALID, "growth.error.choose_person")
			must(t, s.RecordCompletion(ctx, &peercircle.TrainingRecord{CourseID: c.ID, PersonID: w.peer.ID, CompletedOn: "2026-03-01"}, organiser.ID))
			wantErr(t, s.RecordCompletion(ctx, &peercircle.TrainingRecord{CourseID: c.ID, PersonID: w.peer.ID, CompletedOn: "2026-03-02"}, organiser.ID), peercircle.ECONFLICT, "")
			got, err := s.TrainingOf(ctx, w.peer.ID)
			must(t, err)
			if len(got) != 1 || got[0].Course != "Peer supporter training" || got[0].CompletedOn != "2026-03-01" {
				t.Errorf("training of the peer: %+v", got)
			}
			if cs, _ := s.CoursesAt(ctx, []int64{w.site.ID}); len(cs) != 1 {
				t.Errorf("courses at the site: %d", len(cs))
			}
		})
		t.Run("both are in each person's exported data", func(t *testing.T) {
			d, err := s.MyData(ctx, w.peer.ID)
			must(t, err)
			if len(d.Growth.Buddies) != 1 || d.Growth.Buddies[0] != (peercircle.MyBuddyPairing{Role: "buddy", With: newcomer.FullName, StartsOn: "2026-03-01", EndsOn: "2026-06-01", Ended: true}) {
				t.Errorf("the buddy's pairings: %+v", d.Growth.Buddies)
			}
			if len(d.Growth.Training) != 1 || d.Growth.Training[0] != (peercircle.MyTraining{Course: "Peer supporter training", CompletedOn: "2026-03-01"}) {
				t.Errorf("the peer's training: %+v", d.Growth.Training)
			}
			d, err = s.MyData(ctx, newcomer.ID)
			must(t, err)
			if len(d.Growth.Buddies) != 1 || d.Growth.Buddies[0].Role != "newcomer" || d.Growth.Buddies[0].With != w.peer.FullName || len(d.Growth.Training) != 0 {
				t.Errorf("the newcomer's growth data: %+v", d.Growth)
			}
		})
	})
}
