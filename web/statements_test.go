package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// Issue 14, goal 3: a page reads what it shows in few statements. The
// meeting page once sent one statement per thing it shows (the topic, the
// items, the times, the attendance, the live state, the feeling, the
// feedback code, the round, the summary), some of them twice; it now
// reads them together (20-23 statements before, 9-11 after; 8-10 since
// the segments or, before it runs, the template are one statement; the
// members and the records read in one cost more allocations than the
// statement they saved, and were put back). The budgets
// count every statement one request sends, signing in included, through
// the real router on SQLite.
func TestMeetingPageReadsInFewStatements(t *testing.T) {
	e := newEnv(t)
	id := newMeetingIn(t, e, 5*time.Minute)
	fac, member := e.as("facilitator"), e.as("member")
	page := fmt.Sprintf("/sessions/%d", id)
	wantStatus(t, member.post(page+"/agenda", url.Values{"kind": {"topic"}, "title": {"Night shifts"}}), http.StatusSeeOther)

	count := func(c *client) int64 {
		t.Helper()
		c.get(page) // the first view warms the caches (tree, translations)
		before := sqlstore.Statements()
		wantStatus(t, c.get(page), http.StatusOK)
		return sqlstore.Statements() - before
	}
	for _, step := range []struct {
		name   string
		do     func()
		budget int64
	}{
		{"planned", func() {}, 9},
		{"running, checked in, feedback open", func() {
			wantStatus(t, fac.post(page+"/live", url.Values{"op": {"start"}}), http.StatusSeeOther)
			wantStatus(t, member.post(page+"/here", nil), http.StatusSeeOther)
			wantStatus(t, fac.post(page+"/feedback", url.Values{"op": {"open"}}), http.StatusSeeOther)
		}, 11},
		{"ended", func() {
			wantStatus(t, fac.post(page+"/live", url.Values{"op": {"end"}}), http.StatusSeeOther)
		}, 11},
	} {
		step.do()
		for name, c := range map[string]*client{"facilitator": fac, "member": member} {
			if n := count(c); n > step.budget {
				t.Errorf("%s, as %s: %d statements, budget %d", step.name, name, n, step.budget)
			} else {
				t.Logf("%s, as %s: %d statements", step.name, name, n)
			}
		}
	}
}

// The group page, the home page and Sheet 3, by role: the group page once
// read the group, its scope and its site in three statements (24-27 in all
// before the fourth step of issue 14); Sheet 3 read its site six times, the
// organisation's first month four times and the report settings twice (26
// statements; a request that only reads now keeps them). The budgets are
// what they send now. The home read each meeting's site and
// scope apart (11 statements), and every list of meetings read the
// person's answers apart from the meetings' turns (eighth step of issue
// 14: GroupsInPlaceOf, TurnsAndLive with the person's answers).
func TestPagesReadInFewStatements(t *testing.T) {
	e := newEnv(t)
	group := "/groups/" + id(e.In["group"])
	sheet3 := sheet3Path(e, peercircle.QuarterOf(time.Now(), 1).Prev().String())
	for _, c := range []struct {
		role, path string
		budget     int64
	}{
		{"member", group, 13}, {"facilitator", group, 15}, {"organiser", group, 15},
		{"member", "/", 8}, {"facilitator", "/", 8},
		{"organiser", sheet3, 14},
	} {
		cl := e.as(c.role)
		cl.get(c.path)
		before := sqlstore.Statements()
		wantStatus(t, cl.get(c.path), http.StatusOK)
		if n := sqlstore.Statements() - before; n > c.budget {
			t.Errorf("%s as %s: %d statements, budget %d", c.path, c.role, n, c.budget)
		} else {
			t.Logf("%s as %s: %d statements", c.path, c.role, n)
		}
	}
}
