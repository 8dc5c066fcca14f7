package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

func presentCount(t *testing.T, e *env, sessionID int64) int {
	t.Helper()
	entries, err := e.Store.Attendance(context.Background(), sessionID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range entries {
		if a.Status == peercircle.AttendPresent {
			n++
		}
	}
	return n
}

// Issue 10, item 4: "I'm here" worked for meetings held months ago (moving
// the figures of a reviewed Sheet 2) and for one planned in year 9999. It
// works only while the meeting runs; meetings are planned between 2000 and
// 2100.
func TestCheckInOnlyWhileTheMeetingRuns(t *testing.T) {
	e := newEnv(t)
	member, fac := e.as("member"), e.as("facilitator")
	here := func(id int64) *response {
		member.get(fmt.Sprintf("/sessions/%d", id))
		return member.post(fmt.Sprintf("/sessions/%d/here", id), nil)
	}

	t.Run("a meeting held months ago", func(t *testing.T) {
		id := newMeetingIn(t, e, 90*24*time.Hour)
		res := here(id)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "This meeting has ended") {
			t.Fatalf("status %d: %s", res.StatusCode, excerpt(res.Body))
		}
		if n := presentCount(t, e, id); n != 0 {
			t.Fatalf("%d present after a refused check-in", n)
		}
	})

	t.Run("a meeting still to come", func(t *testing.T) {
		id := newMeetingIn(t, e, -3*time.Hour)
		res := here(id)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "opens when the meeting starts") {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("a running meeting, then the same meeting ended", func(t *testing.T) {
		id := newMeetingIn(t, e, 5*time.Minute)
		live := fmt.Sprintf("/sessions/%d/live", id)
		fac.get(live)
		wantStatus(t, fac.post(live, url.Values{"op": {"start"}}), http.StatusSeeOther)
		wantStatus(t, here(id), http.StatusSeeOther)
		if n := presentCount(t, e, id); n != 1 {
			t.Fatalf("%d present, want 1", n)
		}
		wantStatus(t, fac.post(live, url.Values{"op": {"end"}}), http.StatusSeeOther)
		wantStatus(t, fac.post(live+"/attendance", url.Values{"person": {id2(e.People["member"].ID)}, "present": {"0"}}), http.StatusSeeOther)
		res := here(id)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "This meeting has ended") {
			t.Fatalf("status %d", res.StatusCode)
		}
		if n := presentCount(t, e, id); n != 0 {
			t.Fatalf("%d present after the meeting ended", n)
		}
	})

	t.Run("in Arabic", func(t *testing.T) {
		id := newMeetingIn(t, e, 90*24*time.Hour)
		member.post("/language", url.Values{"lang": {"ar"}})
		defer member.post("/language", url.Values{"lang": {"en"}})
		res := here(id)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "انتهى هذا الاجتماع") {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("nobody plans or postpones a meeting to year 9999 or 0000", func(t *testing.T) {
		ctx := context.Background()
		for _, year := range []int{1, 1999, 2101, 9999} {
			start := time.Date(year, 3, 1, 10, 0, 0, 0, time.UTC)
			ses := &peercircle.Session{GroupID: e.In["group"], PlannedStart: start, PlannedEnd: start.Add(time.Hour),
				LocalDate: start.Format(time.DateOnly), Status: peercircle.SessionPlanned}
			if err := e.Store.AddSession(ctx, ses); peercircle.ErrorFields(err)["start"] != "session.date_out_of_range" {
				t.Errorf("a meeting in year %d: %v", year, err)
			}
		}
		id := newMeetingIn(t, e, -48*time.Hour)
		org := e.as("organiser")
		org.get(fmt.Sprintf("/groups/%d", e.In["group"]))
		res := org.post(fmt.Sprintf("/sessions/%d/postpone", id), url.Values{"reason": {"The room is taken"}, "date": {"9999-01-05"}, "time": {"10:00"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "between the years 2000 and 2100") {
			t.Fatalf("status %d: %s", res.StatusCode, excerpt(res.Body))
		}
		m, err := e.Store.Session(ctx, id)
		if err != nil || m.Status != peercircle.SessionPlanned {
			t.Fatalf("the meeting changed: %v %v", m.Status, err)
		}
	})
}
