package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

// readsOf counts the audit events of one action on one record.
func readsOf(t *testing.T, e *env, kind, action string, id int64) int {
	t.Helper()
	evs, err := e.Store.AuditEvents(context.Background(), kind, id, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Action == action {
			n++
		}
	}
	return n
}

// newWorksheet writes a worksheet through the form and returns its id.
func newWorksheet(t *testing.T, c *client, goal string) int64 {
	t.Helper()
	c.get("/growth/worksheets/new")
	res := c.post("/growth/worksheets", url.Values{"goal": {goal}, "reality": {"Three night shifts in a row"},
		"option_text": {"Swap a shift", "Talk to the nurse in charge", ""}, "option_score": {"4", "8", ""},
		"action_text": {"Ask on Monday", ""}, "action_due": {"2026-03-09", ""}, "commitment": {"7"}, "raise": {"Someone to ask with me"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/growth/worksheets/") {
		t.Fatalf("saving a worksheet: status %d, location %q\n%s", res.StatusCode, loc, seen(res.Body))
	}
	var id int64
	for _, ch := range strings.TrimPrefix(loc, "/growth/worksheets/") {
		id = id*10 + int64(ch-'0')
	}
	return id
}

func TestGrowWorksheetPrivacy(t *testing.T) {
	e := newEnv(t)
	member, sup := e.as("member"), e.as("supervisor")
	const goal = "Stop taking work calls at home"
	ws := newWorksheet(t, member, goal)
	path := "/growth/worksheets/" + id(ws)

	t.Run("the owner reads it, scores and dates as written", func(t *testing.T) {
		body := seen(member.get(path).Body)
		for _, want := range []string{goal, "Talk to the nurse in charge", "8 out of 10", "7 out of 10", "Someone to ask with me"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	t.Run("no supervisor, coordinator, organiser or admin reads an unshared worksheet", func(t *testing.T) {
		for _, role := range []string{"supervisor", "coordinator", "organiser", "admin", "facilitator"} {
			res := e.as(role).get(path)
			if res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, goal) {
				t.Errorf("%s: status %d", role, res.StatusCode)
			}
		}
		if n := readsOf(t, e, "grow_worksheet", "grow_worksheet.read", ws); n != 0 {
			t.Errorf("%d reads recorded", n)
		}
	})
	t.Run("sharing with someone who is not a covering supervisor is refused", func(t *testing.T) {
		member.get(path)
		res := member.post(path+"/share", url.Values{"supervisor": {id(e.People["coordinator"].ID)}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(seen(res.Body), "Choose one of the supervisors who cover your site.") {
			t.Errorf("status %d", res.StatusCode)
		}
		if sup.get(path).StatusCode != http.StatusForbidden {
			t.Error("the supervisor reads it after a refused share")
		}
	})
	t.Run("shared, the supervisor reads it and every read is audited", func(t *testing.T) {
		page := seen(member.get(path).Body)
		if !strings.Contains(page, "Test Supervisor") {
			t.Fatalf("the share form does not offer the supervisor")
		}
		res := member.post(path+"/share", url.Values{"supervisor": {id(e.People["supervisor"].ID)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("share: status %d", res.StatusCode)
		}
		for i := 0; i < 2; i++ {
			res = sup.get(path)
			if res.StatusCode != http.StatusOK || !strings.Contains(seen(res.Body), goal) {
				t.Fatalf("the supervisor cannot read it: %d", res.StatusCode)
			}
		}
		if n := readsOf(t, e, "grow_worksheet", "grow_worksheet.read", ws); n != 2 {
			t.Errorf("%d reads audited, want 2", n)
		}
		if !strings.Contains(seen(sup.get("/growth").Body), goal) {
			t.Error("My growth does not list the shared worksheet")
		}
		for _, role := range []string{"coordinator", "organiser", "admin"} {
			if e.as(role).get(path).StatusCode != http.StatusForbidden {
				t.Errorf("%s reads a worksheet shared with a supervisor", role)
			}
		}
		if sup.post(path, url.Values{"goal": {"x"}}).StatusCode != http.StatusForbidden {
			t.Error("the supervisor may change it")
		}
	})
	t.Run("sharing is revocable", func(t *testing.T) {
		member.get(path)
		if res := member.post(path+"/share", url.Values{"supervisor": {""}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("unshare: status %d", res.StatusCode)
		}
		if sup.get(path).StatusCode != http.StatusForbidden {
			t.Error("the supervisor still reads it")
		}
	})
	t.Run("nothing of it reaches the logs", func(t *testing.T) {
		if strings.Contains(e.Log.String(), goal) {
			t.Error("the goal is in the logs")
		}
	})
}

func TestGrowWorksheetBadInput(t *testing.T) {
	e := newEnv(t)
	member := e.as("member")
	count := func() int {
		ws, err := e.Store.WorksheetsOf(context.Background(), e.People["member"].ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(ws)
	}
	before := count()
	for name, c := range map[string]struct {
		form url.Values
		msg  string
	}{
		"a score of 11":          {url.Values{"goal": {"g"}, "option_text": {"a"}, "option_score": {"11"}}, "Give a whole number from 1 to 10."},
		"a score of 0":           {url.Values{"goal": {"g"}, "option_text": {"a"}, "option_score": {"0"}}, "Give a whole number from 1 to 10."},
		"a commitment of twelve": {url.Values{"goal": {"g"}, "commitment": {"12"}}, "Give a whole number from 1 to 10."},
		"a commitment in words":  {url.Values{"goal": {"g"}, "commitment": {"very"}}, "Give a whole number from 1 to 10."},
		"no goal":                {url.Values{"reality": {"r"}}, "Please correct the highlighted fields."},
		"a date that is not one": {url.Values{"goal": {"g"}, "action_text": {"a"}, "action_due": {"soon"}}, "Please correct the highlighted fields."},
	} {
		t.Run(name, func(t *testing.T) {
			member.get("/growth/worksheets/new")
			res := member.post("/growth/worksheets", c.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(seen(res.Body), c.msg) {
				t.Errorf("status %d, want 422 with %q", res.StatusCode, c.msg)
			}
		})
	}
	if n := count(); n != before {
		t.Errorf("%d worksheets after refused forms, want %d", n, before)
	}
	t.Run("a bad change keeps the worksheet as it was", func(t *testing.T) {
		ws := e.In["worksheet"]
		member.get("/growth/worksheets/" + id(ws) + "/edit")
		res := member.post("/growth/worksheets/"+id(ws), url.Values{"goal": {"Changed"}, "option_text": {"x"}, "option_score": {"-3"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.StatusCode)
		}
		w, err := e.Store.Worksheet(context.Background(), ws, e.People["member"].ID)
		if err != nil || w.Goal != "Leave work on time on meeting days" {
			t.Errorf("goal now %q (%v)", w.Goal, err)
		}
	})
}

func TestSupervisionPages(t *testing.T) {
	e := newEnv(t)
	sup, fac := e.as("supervisor"), e.as("facilitator")
	session := "/growth/supervision/" + id(e.In["supervision"])

	t.Run("the supervisor's home lists the supervisee and the session", func(t *testing.T) {
		body := seen(sup.get("/").Body)
		for _, want := range []string{"People you supervise", "Test Facilitator", "Record a supervision session"} {
			if !strings.Contains(body, want) {
				t.Errorf("home lacks %q", want)
			}
		}
	})
	t.Run("nobody but the supervisor and the supervisee reads the notes", func(t *testing.T) {
		for _, role := range []string{"admin", "coordinator", "organiser", "member", "trainer"} {
			res := e.as(role).get(session)
			if res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "night shifts") {
				t.Errorf("%s: status %d", role, res.StatusCode)
			}
		}
	})
	t.Run("the supervisee reads them, and that read is audited", func(t *testing.T) {
		before := readsOf(t, e, "supervision", "supervision.read", e.In["supervision"])
		body := seen(fac.get(session).Body)
		if !strings.Contains(body, "Worn out by the night shifts") {
			t.Fatal("the supervisee does not see the process notes")
		}
		if n := readsOf(t, e, "supervision", "supervision.read", e.In["supervision"]); n != before+1 {
			t.Errorf("%d reads audited, want %d", n, before+1)
		}
		if !strings.Contains(seen(fac.get("/growth").Body), "with Test Supervisor") {
			t.Error("My growth does not list the session for the supervisee")
		}
	})
	t.Run("a session is recorded; a future date or no notes is refused", func(t *testing.T) {
		sup.get("/growth/supervision/new")
		who := id(e.People["facilitator"].ID)
		for msg, form := range map[string]url.Values{
			"This date is still to come":            {"supervisee": {who}, "held_on": {"2099-01-01"}, "task_notes": {"x"}},
			"Write at least one of the notes.":      {"supervisee": {who}, "held_on": {"2026-01-20"}},
			"Please correct the highlighted fields": {"held_on": {"2026-01-20"}, "task_notes": {"x"}},
		} {
			res := sup.post("/growth/supervision", form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(seen(res.Body), msg) {
				t.Errorf("%s: status %d", msg, res.StatusCode)
			}
		}
		res := sup.post("/growth/supervision", url.Values{"supervisee": {who}, "held_on": {"2026-01-20"},
			"task_notes": {"Co-facilitated well"}, "process_notes": {"Feels heard"}, "follow_ups": {"Read module 3"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d: %s", res.StatusCode, seen(res.Body))
		}
		if !strings.Contains(seen(sup.get(res.Header.Get("Location")).Body), "Read module 3") {
			t.Error("the session page lacks the follow-ups")
		}
		list, _ := e.Store.SupervisionsOf(context.Background(), e.People["facilitator"].ID, 10)
		if len(list) != 2 {
			t.Errorf("%d sessions, want 2", len(list))
		}
	})
}

func TestCompetencyPages(t *testing.T) {
	e := newEnv(t)
	member, sup := e.as("member"), e.as("supervisor")
	fw, err := e.Store.Competencies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	field := "c" + id(fw[1].Competencies[0].ID)

	t.Run("the six clusters are shown, in Arabic too", func(t *testing.T) {
		body := seen(member.get("/growth/competencies").Body)
		for _, c := range fw {
			if !strings.Contains(body, c.Name["en"]) {
				t.Errorf("no cluster %q", c.Name["en"])
			}
		}
		member.get("/profile")
		member.post("/profile", url.Values{"lang": {"ar"}, "full_name": {e.People["member"].FullName}})
		if body := seen(member.get("/growth/competencies").Body); !strings.Contains(body, fw[0].Name["ar"]) {
			t.Errorf("no Arabic cluster name")
		}
		member.get("/profile")
		member.post("/profile", url.Values{"lang": {"en"}, "full_name": {e.People["member"].FullName}})
	})
	t.Run("an unknown level is refused and nothing is saved", func(t *testing.T) {
		member.get("/growth/competencies")
		res := member.post("/growth/competencies", url.Values{field: {"expert"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(seen(res.Body), "Choose one of the levels") {
			t.Errorf("status %d", res.StatusCode)
		}
		list, _ := e.Store.SelfAssessments(context.Background(), e.People["member"].ID, e.People["member"].ID)
		if len(list) != 0 {
			t.Errorf("%d assessments saved", len(list))
		}
	})
	t.Run("a self-assessment is saved; the supervisor sees and reviews it", func(t *testing.T) {
		member.get("/growth/competencies")
		if res := member.post("/growth/competencies", url.Values{field: {peercircle.LevelPractitioner}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", res.StatusCode)
		}
		profile := "/growth/people/" + id(e.People["member"].ID) + "/competencies"
		body := seen(sup.get(profile).Body)
		if !strings.Contains(body, "Peer practitioner") {
			t.Fatal("the supervisor does not see the level")
		}
		list, _ := e.Store.SelfAssessments(context.Background(), e.People["member"].ID, e.People["member"].ID)
		res := sup.post("/growth/assessments/"+id(list[0].ID)+"/review", url.Values{"review": {"Ready to co-facilitate."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("review: status %d", res.StatusCode)
		}
		if !strings.Contains(seen(member.get("/growth/competencies").Body), "Ready to co-facilitate.") {
			t.Error("the member does not see the review")
		}
		if e.as("coordinator").get(profile).StatusCode != http.StatusForbidden {
			t.Error("a coordinator sees the profile")
		}
	})
}

func TestBuddyPairingAndTraining(t *testing.T) {
	e := newEnv(t)
	org, trainer := e.as("organiser"), e.as("trainer")
	today := time.Now().Format(peercircle.DateLayout)
	later := time.Now().AddDate(0, 2, 0).Format(peercircle.DateLayout)
	buddies := "/sites/" + id(e.In["site"]) + "/buddies"
	newcomer, buddy := id(e.People["member"].ID), id(e.People["supervisor"].ID)

	t.Run("a bad period or a second pairing of one person with themself is refused", func(t *testing.T) {
		org.get(buddies)
		for msg, form := range map[string]url.Values{
			"The end must come after the start.": {"newcomer": {newcomer}, "buddy": {buddy}, "starts_on": {later}, "ends_on": {today}},
			"Choose two different people.":       {"newcomer": {newcomer}, "buddy": {newcomer}, "starts_on": {today}, "ends_on": {later}},
		} {
			res := org.post(buddies, form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(seen(res.Body), msg) {
				t.Errorf("%s: status %d", msg, res.StatusCode)
			}
		}
	})
	t.Run("both people see the pairing on their home page", func(t *testing.T) {
		res := org.post(buddies, url.Values{"newcomer": {newcomer}, "buddy": {buddy}, "starts_on": {today}, "ends_on": {later}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d: %s", res.StatusCode, seen(res.Body))
		}
		if body := seen(e.as("member").get("/").Body); !strings.Contains(body, "Your buddy is Test Supervisor") {
			t.Error("the newcomer's home lacks the buddy")
		}
		if body := seen(e.as("supervisor").get("/").Body); !strings.Contains(body, "You are the buddy of Test Member") {
			t.Error("the buddy's home lacks the newcomer")
		}
	})
	t.Run("a trainer records a course and who completed it; the profile shows it", func(t *testing.T) {
		trainer.get("/growth/training")
		res := trainer.post("/growth/training", url.Values{"site": {id(e.In["site"])}, "name": {"GROW in practice"}, "starts_on": {"2026-02-01"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("course: status %d", res.StatusCode)
		}
		course := res.Header.Get("Location")
		trainer.get(course)
		// Issue 11, item 10: a date to come and an empty choice are
		// refused, each with its own reason beside its field.
		res = trainer.post(course+"/completions", url.Values{"person": {newcomer}, "completed_on": {"2030-01-15"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(seen(res.Body), "This date is still to come") {
			t.Fatalf("a completion in 2030: status %d: %s", res.StatusCode, seen(res.Body))
		}
		res = trainer.post(course+"/completions", url.Values{"person": {""}, "completed_on": {"2026-03-01"}})
		if body := seen(res.Body); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose who completed the course.") ||
			strings.Contains(body, "home site is the course's site") {
			t.Fatalf("an empty choice: status %d: %s", res.StatusCode, body)
		}
		if res := trainer.post(course+"/completions", url.Values{"person": {newcomer}, "completed_on": {"2026-03-01"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("completion: status %d", res.StatusCode)
		}
		res = trainer.post(course+"/completions", url.Values{"person": {newcomer}, "completed_on": {"2026-03-02"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(seen(res.Body), "already recorded") {
			t.Errorf("a second completion: status %d", res.StatusCode)
		}
		if !strings.Contains(seen(e.as("member").get("/growth/competencies").Body), "GROW in practice") {
			t.Error("the member's profile lacks the course")
		}
		if !strings.Contains(seen(trainer.get("/growth/people/"+newcomer+"/competencies").Body), "GROW in practice") {
			t.Error("the trainer does not see the course on the profile")
		}
	})
}
