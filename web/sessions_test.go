package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/metrics"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
	"github.com/peercircle/peercircle/web"
)

// newMeetingIn plans a meeting of the "in" group that started start ago,
// facilitated by the fixture's facilitator.
func newMeetingIn(t *testing.T, e *env, ago time.Duration) int64 {
	t.Helper()
	start := time.Now().UTC().Add(-ago).Truncate(time.Minute)
	ses := &peercircle.Session{GroupID: e.In["group"], PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
		LocalDate: start.Format(time.DateOnly), Status: peercircle.SessionPlanned, FacilitatorID: e.People["facilitator"].ID}
	if err := e.Store.AddSession(context.Background(), ses); err != nil {
		t.Fatal(err)
	}
	return ses.ID
}

// wantStatus fails unless the response has the status.
func wantStatus(t *testing.T, res *response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d; body:\n%s", res.StatusCode, status, excerpt(res.Body))
	}
}

func excerpt(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return body
}

var linkRE = regexp.MustCompile(`id="code-link" class="copy" readonly value="([^"]+)"`)

func TestProposingAnAgendaItem(t *testing.T) {
	e := newEnv(t)
	id := newMeetingIn(t, e, -24*time.Hour) // tomorrow
	member := e.as("member")
	path := fmt.Sprintf("/sessions/%d/agenda", id)

	t.Run("a colleague's name is highlighted, not saved", func(t *testing.T) {
		res := member.post(path, url.Values{"kind": {"case"}, "title": {"What Test Facilitator said on 0791234567"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if fs := guardFindings(res.Body); !strings.Contains(res.Body, `class="finding"`) || len(fs) != 2 {
			t.Fatalf("findings %v: %s", fs, excerpt(res.Body))
		}
		if items, _ := e.Store.AgendaItems(context.Background(), id); len(items) != 0 {
			t.Fatal("an item with a name was saved")
		}
	})

	t.Run("remove puts a placeholder in its place and the item is saved in the same submit", func(t *testing.T) {
		form := url.Values{"kind": {"case"}, "title": {"Night shift with Test Facilitator"}}
		res := member.post(path, form)
		if fs := guardFindings(res.Body); len(fs) != 1 || fs[0].Text != "Test Facilitator" {
			t.Fatalf("findings = %v", fs)
		}
		res = member.post(path, decideAll(form, res.Body, "remove"))
		wantStatus(t, res, http.StatusSeeOther)
		items, _ := e.Store.AgendaItems(context.Background(), id)
		if len(items) != 1 || items[0].Title != "Night shift with [name]" {
			t.Fatalf("items = %+v", items)
		}
	})

	t.Run("not a person keeps the word and is counted in the audit log", func(t *testing.T) {
		form := url.Values{"kind": {"issue"}, "title": {"A member of the public asked for help"}}
		res := member.post(path, form)
		if fs := guardFindings(res.Body); len(fs) != 1 || fs[0].Text != "member" {
			t.Fatalf("'member' (the fixture surname) should be flagged: %v", fs)
		}
		res = member.post(path, decideAll(form, res.Body, "allow"))
		wantStatus(t, res, http.StatusSeeOther)
		all, _ := e.Store.AuditEvents(context.Background(), "", 0, 100)
		found := false
		for _, ev := range all {
			if ev.Action == "guard.confirm" && ev.Detail == "count=1" {
				found = true
			}
			if strings.Contains(ev.Detail, "member") || strings.Contains(ev.Detail, "public") {
				t.Fatalf("the audit log holds text: %+v", ev)
			}
		}
		if !found {
			t.Fatal("the confirmation was not audited")
		}
	})

	t.Run("someone who is not a member gets a clear message and nothing changes", func(t *testing.T) {
		res := e.as("organiser").post(path, url.Values{"kind": {"topic"}, "title": {"Sleep"}})
		wantStatus(t, res, http.StatusForbidden)
		if !strings.Contains(res.Body, "Only members of this group can propose") {
			t.Fatalf("message: %s", excerpt(res.Body))
		}
		if items, _ := e.Store.AgendaItems(context.Background(), id); len(items) != 2 {
			t.Fatalf("items = %d", len(items))
		}
	})

	t.Run("the facilitator orders the items and sees the time available", func(t *testing.T) {
		items, _ := e.Store.AgendaItems(context.Background(), id)
		fac := e.as("facilitator")
		fac.get(fmt.Sprintf("/sessions/%d", id))
		res := fac.post(fmt.Sprintf("/sessions/%d/agenda/%d", id, items[1].ID), url.Values{"op": {"up"}})
		wantStatus(t, res, http.StatusSeeOther)
		res = fac.post(fmt.Sprintf("/sessions/%d/agenda/%d", id, items[1].ID), url.Values{"op": {"minutes"}, "minutes": {"٧٠"}})
		wantStatus(t, res, http.StatusSeeOther)
		page := fac.get(fmt.Sprintf("/sessions/%d", id))
		if !strings.Contains(page.Body, "60 minutes for cases and sharing") || !strings.Contains(page.Body, "70 minutes planned") ||
			!strings.Contains(page.Body, "beyond the time available") {
			t.Fatalf("time available not shown: %s", excerpt(page.Body))
		}
		if strings.Index(page.Body, "A member of the public") > strings.Index(page.Body, "Night shift with") {
			t.Fatal("the order did not change")
		}
		if !strings.Contains(page.Body, "Who is expected") {
			t.Fatal("the facilitator does not see who is expected")
		}
	})

	t.Run("a member may withdraw only their own item", func(t *testing.T) {
		items, _ := e.Store.AgendaItems(context.Background(), id)
		ctx := context.Background()
		p := &peercircle.Person{Username: "member2", FullName: "Second Peer", HomeSiteID: e.In["site"], Status: peercircle.PersonActive}
		if err := e.Store.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := e.Store.SaveMembership(ctx, &peercircle.Membership{GroupID: e.In["group"], PersonID: p.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive}); err != nil {
			t.Fatal(err)
		}
		second := e.signedInAs(p.ID)
		second.get(fmt.Sprintf("/sessions/%d", id))
		res := second.post(fmt.Sprintf("/sessions/%d/agenda/%d", id, items[0].ID), url.Values{"op": {"delete"}})
		wantStatus(t, res, http.StatusForbidden)
		res = member.post(fmt.Sprintf("/sessions/%d/agenda/%d", id, items[0].ID), url.Values{"op": {"delete"}})
		wantStatus(t, res, http.StatusSeeOther)
	})
}

// signedInAs is as() for any person of the fixture's database.
func (e *env) signedInAs(personID int64) *client {
	e.t.Helper()
	c := e.client()
	token, _, err := e.Store.CreateAuthSession(context.Background(), personID)
	if err != nil {
		e.t.Fatal(err)
	}
	u, _ := url.Parse(e.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "pc_session", Value: token, Path: "/"}})
	c.get("/profile")
	return c
}

func TestRunningAMeeting(t *testing.T) {
	e := newEnv(t)
	id := newMeetingIn(t, e, 5*time.Minute)
	fac := e.as("facilitator")
	member := e.as("member")
	live := fmt.Sprintf("/sessions/%d/live", id)
	liveJSON := func(c *client) map[string]any {
		t.Helper()
		res := c.get(live + ".json")
		wantStatus(t, res, http.StatusOK)
		var m map[string]any
		if err := json.Unmarshal([]byte(res.Body), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}

	t.Run("before the start the page offers to start", func(t *testing.T) {
		res := fac.get(live)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, "Start the meeting") {
			t.Fatal(excerpt(res.Body))
		}
		if st := liveJSON(member); st["state"] != "planned" || st["version"].(float64) != 0 {
			t.Fatalf("state = %v", st)
		}
	})

	t.Run("a member cannot check in before the meeting starts", func(t *testing.T) {
		member.get(fmt.Sprintf("/sessions/%d", id))
		res := member.post(fmt.Sprintf("/sessions/%d/here", id), nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "opens when the meeting starts") {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("starting opens with the confidentiality reminder and the clock", func(t *testing.T) {
		wantStatus(t, fac.post(live, url.Values{"op": {"start"}}), http.StatusSeeOther)
		member.get(fmt.Sprintf("/sessions/%d", id))
		wantStatus(t, member.post(fmt.Sprintf("/sessions/%d/here", id), nil), http.StatusSeeOther)
		res := fac.get(live)
		for _, want := range []string{"What is said here stays here.", "Welcome and Circle of Emotions", `data-clock="remaining"`, "Part 1 of 4", "Test Member"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the live page lacks %q", want)
			}
		}
		wantStatus(t, fac.post(live, url.Values{"op": {"reminder"}}), http.StatusSeeOther)
		if strings.Contains(fac.get(live).Body, "What is said here stays here.") {
			t.Error("the reminder is still shown after it was given")
		}
	})

	t.Run("the check-in round, feelings and attendance", func(t *testing.T) {
		lv, _ := e.Store.Live(context.Background(), id)
		att := lv.Checkin[0].AttendanceID
		wantStatus(t, fac.post(live+"/checkin", url.Values{"attendance": {id2(att)}, "state": {"speaking"}}), http.StatusSeeOther)
		wantStatus(t, fac.post(live+"/checkin", url.Values{"attendance": {id2(att)}, "state": {"passed"}}), http.StatusSeeOther)
		wantStatus(t, fac.post(live+"/attendance", url.Values{"op": {"add"}, "guest_name": {"Visiting nurse"}, "guest_kind": {"visitor"}}), http.StatusSeeOther)
		res := fac.post(live+"/attendance", url.Values{"op": {"add"}, "guest_name": {""}, "guest_kind": {"guest"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantStatus(t, fac.post(live+"/attendance", url.Values{"person": {id2(e.People["facilitator"].ID)}, "present": {"1"}}), http.StatusSeeOther)
		member.get(fmt.Sprintf("/sessions/%d", id))
		wantStatus(t, member.post(fmt.Sprintf("/sessions/%d/feeling", id), url.Values{"feeling": {"tired"}}), http.StatusSeeOther)
		wantStatus(t, fac.post(live+"/feelings", url.Values{"feeling": {"hopeful"}}), http.StatusSeeOther)
		page := fac.get(live)
		if !strings.Contains(page.Body, "1 of 3 had their turn") || !strings.Contains(page.Body, "2 people shared") || !strings.Contains(page.Body, "3 present") {
			t.Fatalf("live page: %s", excerpt(page.Body))
		}
		if !strings.Contains(member.get(fmt.Sprintf("/sessions/%d", id)).Body, "Thank you for sharing how you feel.") {
			t.Error("the member's page does not show the feeling was shared")
		}
	})

	t.Run("next moves the segment and the state survives on a second instance", func(t *testing.T) {
		wantStatus(t, fac.post(live, url.Values{"op": {"goto:1"}}), http.StatusSeeOther)
		second := e.secondInstance(t)
		res := second.get(live)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, "Part 2 of 4") || !strings.Contains(res.Body, "Topic") {
			t.Fatalf("the second instance shows: %s", excerpt(res.Body))
		}
		st := liveJSON(member)
		if st["segment"].(float64) != 1 || st["state"] != "running" || st["remaining"].(float64) > 20*60 {
			t.Fatalf("state = %v", st)
		}
	})

	t.Run("the member sees the meeting but not the live page", func(t *testing.T) {
		wantStatus(t, member.get(live), http.StatusForbidden)
		if !strings.Contains(member.get(fmt.Sprintf("/sessions/%d", id)).Body, "The meeting is on") {
			t.Error("the member's page does not show the running meeting")
		}
	})

	var token string
	t.Run("feedback: a code on the screen, one response each", func(t *testing.T) {
		wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/feedback", id), url.Values{"op": {"open"}}), http.StatusSeeOther)
		page := fac.get(live)
		m := linkRE.FindStringSubmatch(page.Body)
		if m == nil || !strings.Contains(page.Body, `<svg class="qr"`) {
			t.Fatalf("no code on the live page: %s", excerpt(page.Body))
		}
		u, _ := url.Parse(html.UnescapeString(m[1]))
		anon := e.client()
		form := anon.get(u.Path)
		wantStatus(t, form, http.StatusOK)
		token = u.Path[strings.LastIndex(u.Path, "/")+1:]
		if next := linkRE.FindStringSubmatch(fac.get(live).Body); next == nil || next[1] == m[1] {
			t.Fatal("the screen did not move on to a new code after this one was opened")
		}
		res := anon.post(u.Path, url.Values{"rating_safe": {"5"}, "rating_heard": {"4"}, "grateful": {"Being listened to"}})
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, "Thank you") {
			t.Fatal(excerpt(res.Body))
		}
		res = anon.post(u.Path, url.Values{"rating_safe": {"1"}})
		wantStatus(t, res, http.StatusConflict)
		if !strings.Contains(res.Body, "already been used") {
			t.Fatal(excerpt(res.Body))
		}
	})

	t.Run("a token from another meeting is refused", func(t *testing.T) {
		other := e.Out["session"]
		anon := e.client()
		res := anon.get(fmt.Sprintf("/feedback/%d/%s", other, token))
		wantStatus(t, res, http.StatusNotFound)
		if !strings.Contains(res.Body, "not valid for this meeting") {
			t.Fatal(excerpt(res.Body))
		}
	})

	t.Run("a member takes their own code once", func(t *testing.T) {
		member.get(fmt.Sprintf("/sessions/%d", id))
		res := member.post(fmt.Sprintf("/sessions/%d/feedback/claim", id), nil)
		wantStatus(t, res, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, fmt.Sprintf("/feedback/%d/", id)) {
			t.Fatalf("location %q", loc)
		}
		res = member.post(fmt.Sprintf("/sessions/%d/feedback/claim", id), nil)
		wantStatus(t, res, http.StatusSeeOther)
		if again := res.Header.Get("Location"); again != loc {
			t.Fatalf("taking the code again led to %q, not back to %q", again, loc)
		}
		wantStatus(t, member.get(loc), http.StatusOK)
		res = member.post(loc, url.Values{"meaningful": {"Test Member found words"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if len(guardFindings(res.Body)) == 0 {
			t.Fatal("a name in feedback was not highlighted")
		}
		res = member.post(loc, url.Values{"rating_useful": {"4"}})
		wantStatus(t, res, http.StatusOK)
	})

	t.Run("results stay hidden below k", func(t *testing.T) {
		res := fac.get(fmt.Sprintf("/sessions/%d/feedback", id))
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, "Fewer than 3 responses") || strings.Contains(res.Body, "Being listened to") {
			t.Fatal(excerpt(res.Body))
		}
	})

	t.Run("ending the meeting leads to the summary", func(t *testing.T) {
		wantStatus(t, fac.post(live, url.Values{"op": {"end"}}), http.StatusSeeOther)
		res := fac.get(live)
		if !strings.Contains(res.Body, "The meeting has ended") || !strings.Contains(res.Body, "/summary/edit") {
			t.Fatal(excerpt(res.Body))
		}
		wantStatus(t, fac.post(live, url.Values{"op": {"goto:2"}}), http.StatusConflict)
	})
}

func id2(n int64) string { return fmt.Sprint(n) }

// secondInstance starts another server on the same database file, as a
// second app instance behind a load balancer would be, and signs the
// facilitator in there.
func (e *env) secondInstance(t *testing.T) *client {
	t.Helper()
	path := e.dbFile(t)
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store := sqlstore.New(db, fixtureKeys())
	bundle, _ := i18n.Load()
	srv, err := web.New(store, bundle, slog.New(slog.NewTextHandler(e.Log, nil)), web.Config{}, metrics.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	other := &env{fixture: e.fixture, t: t, Store: store, Web: srv, URL: hs.URL, Log: e.Log}
	return other.as("facilitator")
}

// dbFile finds the database file of this env's store.
func (e *env) dbFile(t *testing.T) string {
	t.Helper()
	var path string
	if err := e.Store.DB.ReadPool().QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	return filepath.Clean(path)
}
