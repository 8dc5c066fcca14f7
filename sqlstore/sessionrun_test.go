package sqlstore_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/guard"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// meeting is a staff group with a facilitator, three members (one with an
// Arabic chosen name, one on leave), an organiser and a coordinator, and one
// session that started an hour ago.
type meeting struct {
	s           *sqlstore.Store
	clock       *storetest.Clock
	site        peercircle.Site
	group       *peercircle.Group
	session     *peercircle.Session
	facilitator *peercircle.Person
	members     []*peercircle.Person // Huda, Rana, Samir (on leave)
	organiser   *peercircle.Person
	coordinator *peercircle.Person
}

func newMeeting(t *testing.T, s *sqlstore.Store) *meeting {
	t.Helper()
	ctx := context.Background()
	_, a, st := tree(t, s)
	m := &meeting{s: s, site: st, clock: storetest.NewClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))}
	s.Now = m.clock.Now
	m.group = &peercircle.Group{SiteID: st.ID, Name: "Nuzha staff group", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
		Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive}
	if err := s.CreateGroup(ctx, m.group); err != nil {
		t.Fatal(err)
	}
	add := func(username, full, display string) *peercircle.Person {
		p := &peercircle.Person{Username: username, FullName: full, DisplayName: display, HomeSiteID: st.ID, Status: peercircle.PersonActive}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	join := func(p *peercircle.Person, role, status string) {
		if err := s.SaveMembership(ctx, &peercircle.Membership{GroupID: m.group.ID, PersonID: p.ID, Role: role, Status: status}); err != nil {
			t.Fatal(err)
		}
	}
	m.facilitator = add("sara", "Sara Khalil", "سارة")
	join(m.facilitator, peercircle.RoleFacilitator, peercircle.MemberActive)
	for _, p := range []struct{ user, full, display, status string }{
		{"huda", "Huda Al-Zoubi", "هدى", peercircle.MemberActive},
		{"rana", "Rana Haddad", "", peercircle.MemberActive},
		{"samir", "Samir Nasser", "", peercircle.MemberOnLeave},
	} {
		q := add(p.user, p.full, p.display)
		join(q, peercircle.RoleMember, p.status)
		m.members = append(m.members, q)
	}
	m.organiser = add("amal", "Amal Qasem", "")
	if err := s.AddGrant(ctx, &peercircle.Grant{PersonID: m.organiser.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: st.ID}); err != nil {
		t.Fatal(err)
	}
	m.coordinator = add("karim", "Karim Mansour", "")
	if err := s.AddGrant(ctx, &peercircle.Grant{PersonID: m.coordinator.ID, Role: peercircle.RoleCoordinator, ScopeKind: peercircle.ScopeArea, ScopeID: a.ID}); err != nil {
		t.Fatal(err)
	}
	m.session = m.addSession(t, -time.Hour)
	return m
}

// addSession plans a two-hour meeting starting at now+offset.
func (m *meeting) addSession(t *testing.T, offset time.Duration) *peercircle.Session {
	t.Helper()
	start := m.clock.Now().Add(offset)
	ses := &peercircle.Session{GroupID: m.group.ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
		LocalDate: start.Format(time.DateOnly), Status: peercircle.SessionPlanned, FacilitatorID: m.facilitator.ID}
	if err := m.s.AddSession(context.Background(), ses); err != nil {
		t.Fatal(err)
	}
	return ses
}

// wantCode fails the test unless err carries the code (and key, if given).
func wantCode(t *testing.T, err error, code, key string) {
	t.Helper()
	if peercircle.ErrorCode(err) != code {
		t.Fatalf("err = %v, want code %s", err, code)
	}
	if key != "" && peercircle.ErrorKey(err) != key {
		t.Fatalf("err key = %s, want %s", peercircle.ErrorKey(err), key)
	}
}

// rawContains reports whether any stored value of a table's column holds
// text: confidential text must only be there sealed.
func rawContains(t *testing.T, s *sqlstore.Store, table, column, text string) bool {
	t.Helper()
	rows, err := s.DB.Query(context.Background(), "SELECT "+column+" FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(text)) {
			return true
		}
	}
	return false
}

func TestAgendaItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		huda := m.members[0]

		t.Run("a proposed item is stored sealed and read back in order", func(t *testing.T) {
			for _, title := range []string{"Night shifts and sleep", "A difficult home visit", "Self-care refresher"} {
				it := &peercircle.AgendaItem{SessionID: m.session.ID, AuthorID: huda.ID, Kind: peercircle.ItemCase, Title: title}
				if err := s.ProposeItem(ctx, it); err != nil {
					t.Fatal(err)
				}
			}
			items, err := s.AgendaItems(ctx, m.session.ID)
			if err != nil || len(items) != 3 || items[0].Title != "Night shifts and sleep" || items[2].Position != 3 {
				t.Fatalf("items = %+v, %v", items, err)
			}
			if rawContains(t, s, "agenda_items", "title", "home visit") {
				t.Fatal("an agenda item's title is stored in clear")
			}
		})

		t.Run("a member's name in a title is refused until confirmed", func(t *testing.T) {
			it := &peercircle.AgendaItem{SessionID: m.session.ID, AuthorID: huda.ID, Kind: peercircle.ItemIssue, Title: "What Rana said about rotas"}
			err := s.ProposeItem(ctx, it)
			if peercircle.ErrorFields(err)["title"] != "guard.unconfirmed" {
				t.Fatalf("err = %v", err)
			}
			it = &peercircle.AgendaItem{SessionID: m.session.ID, AuthorID: huda.ID, Kind: peercircle.ItemTopic, Title: "ولهدى سؤال"}
			wantCode(t, s.ProposeItem(ctx, it), peercircle.EINVALID, "")
			it = &peercircle.AgendaItem{SessionID: m.session.ID, AuthorID: huda.ID, Kind: peercircle.ItemTopic, Title: "Visit Rana Camp clinic",
				Allowed: []string{guard.Key("Rana")}}
			if err := s.ProposeItem(ctx, it); err != nil {
				t.Fatal(err)
			}
			evs, _ := s.AuditEvents(ctx, "agenda_item", it.ID, 10)
			if len(evs) != 1 || evs[0].Action != "guard.confirm" || evs[0].Detail != "count=1" {
				t.Fatalf("audit = %+v", evs)
			}
		})

		t.Run("the facilitator reorders, estimates and marks items", func(t *testing.T) {
			items, _ := s.AgendaItems(ctx, m.session.ID)
			last := items[len(items)-1]
			if err := s.UpdateItem(ctx, m.session.ID, last.ID, "up", 0); err != nil {
				t.Fatal(err)
			}
			if err := s.UpdateItem(ctx, m.session.ID, items[0].ID, "up", 0); err != nil {
				t.Fatal("moving the first item up should do nothing:", err)
			}
			if err := s.UpdateItem(ctx, m.session.ID, last.ID, "minutes", 15); err != nil {
				t.Fatal(err)
			}
			if err := s.UpdateItem(ctx, m.session.ID, items[0].ID, peercircle.ItemDiscussed, 0); err != nil {
				t.Fatal(err)
			}
			got, _ := s.AgendaItems(ctx, m.session.ID)
			if got[len(got)-2].ID != last.ID || got[len(got)-2].Minutes != 15 || got[0].Status != peercircle.ItemDiscussed {
				t.Fatalf("after changes: %+v", got)
			}
			wantCode(t, s.UpdateItem(ctx, m.session.ID, last.ID, "minutes", 999), peercircle.EINVALID, "")
			wantCode(t, s.UpdateItem(ctx, m.session.ID, last.ID, "sideways", 0), peercircle.EINVALID, "")
			if err := s.UpdateItem(ctx, m.session.ID, last.ID, "delete", 0); err != nil {
				t.Fatal(err)
			}
			wantCode(t, s.UpdateItem(ctx, m.session.ID, last.ID, "up", 0), peercircle.ENOTFOUND, "")
		})

		t.Run("a title over the limit is refused", func(t *testing.T) {
			it := &peercircle.AgendaItem{SessionID: m.session.ID, AuthorID: huda.ID, Kind: peercircle.ItemTopic, Title: strings.Repeat("و", peercircle.MaxItemTitle+1)}
			if peercircle.ErrorFields(s.ProposeItem(ctx, it))["title"] != "board.title_too_long" {
				t.Fatal("a long title was not refused")
			}
		})

		t.Run("a cancelled session takes no items", func(t *testing.T) {
			c := m.addSession(t, 72*time.Hour)
			if _, err := s.DB.WritePool().Exec("UPDATE sessions SET status = 'cancelled' WHERE id = " + fmt.Sprint(c.ID)); err != nil {
				t.Fatal(err)
			}
			it := &peercircle.AgendaItem{SessionID: c.ID, AuthorID: huda.ID, Kind: peercircle.ItemTopic, Title: "Sleep"}
			wantCode(t, s.ProposeItem(ctx, it), peercircle.EINVALID, "meeting.not_running")
			if items, _ := s.AgendaItems(ctx, c.ID); len(items) != 0 {
				t.Fatal("an item was saved for a cancelled session")
			}
		})

		t.Run("the protected names are the group's, in both scripts", func(t *testing.T) {
			names, err := s.ProtectedNames(ctx, m.session.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"Sara Khalil", "سارة", "Huda Al-Zoubi", "هدى", "Samir Nasser"} {
				if !has(names, want) {
					t.Errorf("%q is not protected: %q", want, names)
				}
			}
			if has(names, "Amal Qasem") {
				t.Error("the organiser is not in the group and should not be protected here")
			}
		})
	})
}

func TestLiveSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		huda, rana, samir := m.members[0], m.members[1], m.members[2]

		t.Run("a meeting that has not started has no live state", func(t *testing.T) {
			wantCode(t, func() error { _, err := s.Live(ctx, m.session.ID); return err }(), peercircle.ENOTFOUND, "")
			if _, err := s.LiveVersion(ctx, m.session.ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatal(err)
			}
		})

		t.Run("a member who checks in before the start is in the round", func(t *testing.T) {
			if err := s.MarkPresent(ctx, m.session.ID, huda.ID, true); err != nil {
				t.Fatal(err)
			}
		})

		var l *peercircle.Live
		t.Run("starting copies the 000 agenda and starts the clock", func(t *testing.T) {
			var err error
			l, err = s.StartLive(ctx, m.session.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Segments) != 4 || l.Segments[0].Kind != peercircle.SegmentWelcome || l.Segments[2].Minutes != 60 || l.PlannedSeconds() != 120*60 {
				t.Fatalf("segments = %+v", l.Segments)
			}
			if len(l.Checkin) != 1 || l.Checkin[0].Name != "هدى" {
				t.Fatalf("check-in = %+v", l.Checkin)
			}
			again, err := s.StartLive(ctx, m.session.ID)
			if err != nil || again.Version != l.Version {
				t.Fatalf("starting twice should change nothing: %v %v", again, err)
			}
		})

		t.Run("the countdown and the running total follow the clock", func(t *testing.T) {
			m.clock.Add(25 * time.Minute)
			l, _ = s.Live(ctx, m.session.ID)
			now := m.clock.Now()
			if got := l.RemainingSeconds(now); got != 5*60 {
				t.Fatalf("remaining = %d", got)
			}
			m.clock.Add(10 * time.Minute)
			if got := l.RemainingSeconds(m.clock.Now()); got != -5*60 {
				t.Fatalf("an overrun should be negative: %d", got)
			}
		})

		t.Run("moving on records the actual time of the segment", func(t *testing.T) {
			if err := s.GoToSegment(ctx, m.session.ID, 1); err != nil {
				t.Fatal(err)
			}
			m.clock.Add(20 * time.Minute)
			if err := s.GoToSegment(ctx, m.session.ID, 0); err != nil { // back, by mistake
				t.Fatal(err)
			}
			m.clock.Add(time.Minute)
			if err := s.GoToSegment(ctx, m.session.ID, 1); err != nil {
				t.Fatal(err)
			}
			l, _ = s.Live(ctx, m.session.ID)
			if l.Segments[0].ActualSeconds != 36*60 || l.Segments[1].ActualSeconds != 20*60 || l.Segment != 1 {
				t.Fatalf("segments = %+v", l.Segments)
			}
			if got := l.TotalSeconds(m.clock.Now()); got != 56*60 {
				t.Fatalf("total = %d", got)
			}
			wantCode(t, s.GoToSegment(ctx, m.session.ID, 9), peercircle.ENOTFOUND, "")
		})

		t.Run("attendance taps keep the check-in round in step", func(t *testing.T) {
			if err := s.MarkPresent(ctx, m.session.ID, rana.ID, true); err != nil {
				t.Fatal(err)
			}
			guestID, err := s.AddGuest(ctx, m.session.ID, "Visiting nurse from Zarqa", peercircle.AttendVisitor)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.AddGuest(ctx, m.session.ID, "  ", peercircle.AttendGuest); peercircle.ErrorFields(err)["guest_name"] != "error.required" {
				t.Fatalf("a guest without a name: %v", err)
			}
			if err := s.MarkPresent(ctx, m.session.ID, m.organiser.ID, true); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("someone outside the group was marked present: %v", err)
			}
			l, _ = s.Live(ctx, m.session.ID)
			if len(l.Checkin) != 3 || l.Checkin[2].AttendanceID != guestID {
				t.Fatalf("check-in = %+v", l.Checkin)
			}
			if err := s.SetGuestPresent(ctx, m.session.ID, guestID, false); err != nil {
				t.Fatal(err)
			}
			if err := s.SetGuestPresent(ctx, m.session.ID, guestID, true); err != nil {
				t.Fatal(err)
			}
			es, _ := s.Attendance(ctx, m.session.ID)
			c := peercircle.CountAttendance(es)
			if c.Members != 3 || c.Visitors != 1 || c.Guests != 0 {
				t.Fatalf("counts = %+v (%d entries)", c, len(es))
			}
		})

		t.Run("the check-in round marks turns and shuffles only those waiting", func(t *testing.T) {
			l, _ = s.Live(ctx, m.session.ID)
			first, second := l.Checkin[0].AttendanceID, l.Checkin[1].AttendanceID
			if err := s.SetTurn(ctx, m.session.ID, first, peercircle.TurnSpeaking); err != nil {
				t.Fatal(err)
			}
			if err := s.SetTurn(ctx, m.session.ID, second, peercircle.TurnSpeaking); err != nil {
				t.Fatal(err)
			}
			if err := s.SetTurn(ctx, m.session.ID, second, peercircle.TurnPassed); err != nil {
				t.Fatal(err)
			}
			for range 5 {
				if err := s.ShuffleCheckin(ctx, m.session.ID); err != nil {
					t.Fatal(err)
				}
			}
			l, _ = s.Live(ctx, m.session.ID)
			if l.Checkin[0].AttendanceID != first || l.Checkin[0].State != peercircle.TurnSpoke || l.Checkin[1].State != peercircle.TurnPassed || l.Checkin[2].Done() {
				t.Fatalf("check-in = %+v", l.Checkin)
			}
			wantCode(t, s.SetTurn(ctx, m.session.ID, first, "shouting"), peercircle.EINVALID, "")
		})

		t.Run("feelings are counted, once per person, without who picked what", func(t *testing.T) {
			if err := s.PickFeeling(ctx, m.session.ID, huda.ID, "tired"); err != nil {
				t.Fatal(err)
			}
			wantCode(t, s.PickFeeling(ctx, m.session.ID, huda.ID, "calm"), peercircle.ECONFLICT, "feelings.already")
			if err := s.PickFeeling(ctx, m.session.ID, rana.ID, "tired"); err != nil {
				t.Fatal(err)
			}
			if err := s.PickFeeling(ctx, m.session.ID, 0, "hopeful"); err != nil {
				t.Fatal(err)
			}
			wantCode(t, s.PickFeeling(ctx, m.session.ID, rana.ID, "ecstatic"), peercircle.EINVALID, "")
			l, _ = s.Live(ctx, m.session.ID)
			if l.Feelings["tired"] != 2 || l.Feelings["hopeful"] != 1 || l.FeelingsCount() != 3 {
				t.Fatalf("feelings = %v", l.Feelings)
			}
			picked, _ := s.HasPickedFeeling(ctx, m.session.ID, huda.ID)
			if !picked {
				t.Fatal("huda's pick was not remembered")
			}
			var n int
			if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM feeling_picks WHERE person_id = ?", huda.ID).Scan(&n); err != nil || n != 1 {
				t.Fatal(n, err)
			}
			if err := s.DB.QueryRow(ctx, "SELECT feeling FROM feeling_picks").Scan(new(string)); err == nil {
				t.Fatal("feeling_picks must not hold the feeling")
			}
		})

		t.Run("every change moves the version on", func(t *testing.T) {
			v1, _ := s.LiveVersion(ctx, m.session.ID)
			if err := s.ReminderDone(ctx, m.session.ID); err != nil {
				t.Fatal(err)
			}
			v2, _ := s.LiveVersion(ctx, m.session.ID)
			if v2 <= v1 {
				t.Fatalf("version %d then %d", v1, v2)
			}
		})

		t.Run("ending the meeting stops the clock and records who was absent", func(t *testing.T) {
			m.clock.Add(5 * time.Minute)
			if err := s.EndLive(ctx, m.session.ID); err != nil {
				t.Fatal(err)
			}
			l, _ = s.Live(ctx, m.session.ID)
			if l.State != peercircle.LiveEnded || l.Segments[1].ActualSeconds != 25*60 {
				t.Fatalf("live = %+v", l)
			}
			m.clock.Add(time.Hour)
			if l2, _ := s.Live(ctx, m.session.ID); l2.TotalSeconds(m.clock.Now()) != 61*60 {
				t.Fatalf("the clock kept running after the end: %d", l2.TotalSeconds(m.clock.Now()))
			}
			ses, _ := s.Session(ctx, m.session.ID)
			if ses.Status != peercircle.SessionHeld {
				t.Fatalf("status = %s", ses.Status)
			}
			es, _ := s.Attendance(ctx, m.session.ID)
			for _, e := range es {
				switch e.PersonID {
				case m.facilitator.ID:
					if e.Status != peercircle.AttendAbsent {
						t.Errorf("the facilitator, never marked, should be absent: %+v", e)
					}
				case samir.ID:
					if e.Status != "" || !e.OnLeave {
						t.Errorf("a member on leave is not absent: %+v", e)
					}
				}
			}
			wantCode(t, s.GoToSegment(ctx, m.session.ID, 2), peercircle.ECONFLICT, "live.ended")
			wantCode(t, func() error { _, err := s.StartLive(ctx, m.session.ID); return err }(), peercircle.ECONFLICT, "live.ended")
		})

		t.Run("a meeting next month cannot be started today", func(t *testing.T) {
			later := m.addSession(t, 30*24*time.Hour)
			_, err := s.StartLive(ctx, later.ID)
			wantCode(t, err, peercircle.EINVALID, "live.too_early")
			// Nor can anyone say "I'm here" at it.
			wantCode(t, s.CheckIn(ctx, later.ID, rana.ID), peercircle.EINVALID, "meeting.checkin_not_now")
		})

		t.Run("after the end nobody checks in from a phone", func(t *testing.T) {
			var outsider *peercircle.Person
			es, _ := s.Attendance(ctx, m.session.ID)
			for _, p := range m.members {
				present := false
				for _, e := range es {
					present = present || (e.PersonID == p.ID && e.Status == peercircle.AttendPresent)
				}
				if !present {
					outsider = p
				}
			}
			if outsider == nil {
				t.Fatal("every member was present; the test needs one who was not")
			}
			wantCode(t, s.CheckIn(ctx, m.session.ID, outsider.ID), peercircle.EINVALID, "meeting.checkin_closed")
			after, _ := s.Attendance(ctx, m.session.ID)
			for _, e := range after {
				if e.PersonID == outsider.ID && e.Status == peercircle.AttendPresent {
					t.Fatal("a refused check-in was recorded")
				}
			}
		})
	})
}

func TestSummaryWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		sid := m.session.ID
		const secret = "the pharmacy stock problem"

		draft := func(v int) *peercircle.Summary {
			return &peercircle.Summary{SessionID: sid, Topic: "Psychological first aid", CasesDiscussed: 2, Version: v,
				Notes:   map[string]string{peercircle.NoteKeyIssues: "We discussed " + secret + ".", peercircle.NoteFollowUps: "Ask the area team."},
				Support: map[string]int{"gp": 1, "crisis": 2}}
		}

		t.Run("a summary of a meeting that has not happened is refused", func(t *testing.T) {
			later := m.addSession(t, 48*time.Hour)
			su := draft(0)
			su.SessionID = later.ID
			wantCode(t, s.SaveSummary(ctx, su, m.facilitator.ID), peercircle.EINVALID, "summary.not_held")
		})

		t.Run("a summary of a cancelled meeting is refused", func(t *testing.T) {
			c := m.addSession(t, -48*time.Hour)
			if _, err := s.DB.WritePool().Exec("UPDATE sessions SET status = 'cancelled' WHERE id = " + fmt.Sprint(c.ID)); err != nil {
				t.Fatal(err)
			}
			su := draft(0)
			su.SessionID = c.ID
			wantCode(t, s.SaveSummary(ctx, su, m.facilitator.ID), peercircle.EINVALID, "summary.session_cancelled")
			if _, err := s.Summary(ctx, c.ID, false); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatal("something was saved for a cancelled meeting")
			}
		})

		t.Run("a planted name stops the save until it is removed or confirmed", func(t *testing.T) {
			su := draft(0)
			su.Notes[peercircle.NoteDecisions] = "Huda will call the clinic"
			err := s.SaveSummary(ctx, su, m.facilitator.ID)
			if peercircle.ErrorFields(err)[peercircle.NoteDecisions] != "guard.unconfirmed" {
				t.Fatalf("err = %v", err)
			}
			su.Notes[peercircle.NoteDecisions] = "لهدى موعد"
			wantCode(t, s.SaveSummary(ctx, su, m.facilitator.ID), peercircle.EINVALID, "")
			su.Topic = "Rana's topic"
			su.Notes[peercircle.NoteDecisions] = ""
			if peercircle.ErrorFields(s.SaveSummary(ctx, su, m.facilitator.ID))["topic"] != "guard.unconfirmed" {
				t.Fatal("a name in the topic was not caught")
			}
			if _, err := s.Summary(ctx, sid, false); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatal("a refused summary was saved")
			}
		})

		t.Run("a note over the size limit is refused", func(t *testing.T) {
			su := draft(0)
			su.Notes[peercircle.NoteChallenges] = strings.Repeat("a ", peercircle.MaxNote)
			if peercircle.ErrorFields(s.SaveSummary(ctx, su, m.facilitator.ID))[peercircle.NoteChallenges] != "summary.note_too_long" {
				t.Fatal("a long note was not refused")
			}
		})

		t.Run("a draft is saved sealed, with confirmations counted in the audit log", func(t *testing.T) {
			su := draft(0)
			su.Notes[peercircle.NoteAchievements] = "Rana Camp clinic opened"
			su.Allowed = map[string][]string{peercircle.NoteAchievements: {guard.Key("Rana")}}
			if err := s.SaveSummary(ctx, su, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}
			got, err := s.Summary(ctx, sid, true)
			if err != nil || got.State != peercircle.ReviewDraft || got.Notes[peercircle.NoteKeyIssues] != "We discussed "+secret+"." ||
				got.Support["crisis"] != 2 || got.Version != 1 || got.AuthorID != m.facilitator.ID || len(got.Allowed[peercircle.NoteAchievements]) != 1 {
				t.Fatalf("summary = %+v, %v", got, err)
			}
			plain, _ := s.Summary(ctx, sid, false)
			if plain.Notes != nil || plain.Allowed != nil {
				t.Fatal("the sections were opened without being asked for")
			}
			for _, col := range append([]string{"allowed"}, peercircle.NoteFields...) {
				if rawContains(t, s, "summaries", col, "pharmacy") || rawContains(t, s, "summaries", col, "Rana") {
					t.Fatalf("summaries.%s holds clear text", col)
				}
			}
			evs, _ := s.AuditEvents(ctx, "summary", sid, 10)
			var confirm *peercircle.AuditEvent
			for _, e := range evs {
				if e.Action == "guard.confirm" {
					confirm = e
				}
				if strings.Contains(e.Detail, "Rana") || strings.Contains(e.Detail, "pharmacy") {
					t.Fatalf("the audit log holds text: %+v", e)
				}
			}
			if confirm == nil || confirm.Detail != "count=1" {
				t.Fatalf("audit = %+v", evs)
			}
		})

		t.Run("a save from an old version is refused", func(t *testing.T) {
			wantCode(t, s.SaveSummary(ctx, draft(0), m.facilitator.ID), peercircle.ECONFLICT, "summary.stale")
		})

		t.Run("the segment times can be corrected", func(t *testing.T) {
			if err := s.SetSegmentMinutes(ctx, sid, map[int]int{0: 35, 2: 55}); err != nil {
				t.Fatal(err)
			}
			ts, err := s.SegmentTimes(ctx, sid)
			if err != nil || len(ts) != 4 || ts[0].ActualMinutes != 35 || ts[2].ActualMinutes != 55 || ts[1].ActualMinutes != 0 {
				t.Fatalf("times = %+v, %v", ts, err)
			}
			wantCode(t, s.SetSegmentMinutes(ctx, sid, map[int]int{1: -3}), peercircle.EINVALID, "")
		})

		notices := func(p *peercircle.Person) []*peercircle.Notification {
			ns, err := s.Notifications(ctx, p.ID, false, 50)
			if err != nil {
				t.Fatal(err)
			}
			return ns
		}

		t.Run("submitting tells the organiser, without the text", func(t *testing.T) {
			if err := s.SubmitSummary(ctx, sid, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}
			ns := notices(m.organiser)
			if len(ns) != 1 || ns[0].Kind != "summary_submitted" || ns[0].Params[0] != m.group.Name || ns[0].Link != fmt.Sprintf("/sessions/%d/summary", sid) {
				t.Fatalf("notifications = %+v", ns)
			}
			wantCode(t, s.SubmitSummary(ctx, sid, m.facilitator.ID), peercircle.ECONFLICT, "summary.locked")
			got, _ := s.Summary(ctx, sid, false)
			wantCode(t, s.SaveSummary(ctx, draft(got.Version), m.facilitator.ID), peercircle.ECONFLICT, "summary.locked")
			if ses, _ := s.Session(ctx, sid); ses.Status != peercircle.SessionHeld {
				t.Fatal("a submitted summary should mark the meeting held")
			}
		})

		t.Run("a return needs a comment and tells the writer", func(t *testing.T) {
			confirms := summaryConfirms(t, s, sid) // Sheet 2's own
			if peercircle.ErrorFields(s.ReviewSummary(ctx, sid, m.organiser.ID, false, "  "))["comment"] != "summary.comment_required" {
				t.Fatal("a return without a comment was accepted")
			}
			if peercircle.ErrorFields(s.ReviewSummary(ctx, sid, m.organiser.ID, false, "Please remove Huda"))["comment"] != "summary.comment_guard" {
				t.Fatal("a name in the return comment was accepted")
			}
			if err := s.ReviewSummary(ctx, sid, m.organiser.ID, false, "Please add the follow-up dates."); err != nil {
				t.Fatal(err)
			}
			if n := summaryConfirms(t, s, sid); n != confirms {
				t.Fatalf("%d confirmations counted for a comment without findings", n)
			}
			ns := notices(m.facilitator)
			if len(ns) != 1 || ns[0].Kind != "summary_returned" {
				t.Fatalf("notifications = %+v", ns)
			}
			got, _ := s.Summary(ctx, sid, false)
			if got.State != peercircle.ReviewReturned || got.ReturnComment != "Please add the follow-up dates." {
				t.Fatalf("summary = %+v", got)
			}
			// Sealed like the rest of the summary (issue 10): no clear text
			// in either table.
			var clear, events int
			if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM summaries WHERE return_comment LIKE '%follow-up%' OR return_comment_sealed IS NULL AND session_id = ?", sid).Scan(&clear); err != nil {
				t.Fatal(err)
			}
			if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM summary_events WHERE comment LIKE '%follow-up%'").Scan(&events); err != nil {
				t.Fatal(err)
			}
			if clear != 0 || events != 0 {
				t.Fatalf("the return comment is in clear: %d summaries, %d events", clear, events)
			}
		})

		t.Run("comments kept in clear before are sealed at start", func(t *testing.T) {
			err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
				if _, err := tx.Exec("UPDATE summaries SET return_comment = 'Old clear comment', return_comment_sealed = NULL WHERE session_id = ?", sid); err != nil {
					return err
				}
				_, err := tx.Exec("UPDATE summary_events SET comment = 'Old clear event' WHERE session_id = ?", sid)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Summary(ctx, sid, false); got.ReturnComment != "Old clear comment" {
				t.Fatalf("an old clear comment reads %q", got.ReturnComment)
			}
			n, err := s.SealClearComments(ctx)
			if err != nil || n < 2 {
				t.Fatalf("sealed %d (%v)", n, err)
			}
			if n, _ := s.SealClearComments(ctx); n != 0 {
				t.Fatalf("a second run sealed %d", n)
			}
			var clear int
			s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM summary_events WHERE comment <> ''").Scan(&clear)
			if got, _ := s.Summary(ctx, sid, false); got.ReturnComment != "Old clear comment" || clear != 0 {
				t.Fatalf("after sealing: %q, %d clear events", got.ReturnComment, clear)
			}
		})

		t.Run("a returned summary is fixed and submitted again", func(t *testing.T) {
			got, _ := s.Summary(ctx, sid, true)
			got.Notes[peercircle.NoteFollowUps] = "Ask the area team by 20 March."
			if err := s.SaveSummary(ctx, got, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}
			if got.State != peercircle.ReviewReturned {
				t.Fatalf("a returned summary stays returned until submitted: %s", got.State)
			}
			if err := s.SubmitSummary(ctx, sid, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}

			// The reviewer confirms a word as not a person: the comment
			// goes back; the confirmation is counted, never stored.
			confirms := summaryConfirms(t, s, sid)
			if err := s.ReviewSummary(ctx, sid, m.organiser.ID, false, "Please ask Huda about the dates", guard.Key("Huda")); err != nil {
				t.Fatal(err)
			}
			if n := summaryConfirms(t, s, sid); n != confirms+1 {
				t.Fatalf("%d guard.confirm events for the comment", n)
			}
			if err := s.SubmitSummary(ctx, sid, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("acceptance tells the writer and the coordinator", func(t *testing.T) {
			if err := s.ReviewSummary(ctx, sid, m.organiser.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			if ns := notices(m.coordinator); len(ns) != 1 || ns[0].Kind != "summary_to_read" {
				t.Fatalf("coordinator notifications = %+v", ns)
			}
			// returned twice (the second time with a confirmed word), then accepted
			if ns := notices(m.facilitator); len(ns) != 3 || ns[0].Kind != "summary_accepted" {
				t.Fatalf("facilitator notifications = %+v", ns)
			}
			wantCode(t, s.ReviewSummary(ctx, sid, m.organiser.ID, false, "late"), peercircle.ECONFLICT, "summary.not_submitted")
			for _, p := range []*peercircle.Person{m.organiser, m.coordinator, m.facilitator} {
				for _, n := range notices(p) {
					if strings.Contains(strings.Join(n.Params, " "), "pharmacy") {
						t.Fatalf("a notification holds the text: %+v", n)
					}
				}
			}
		})

		t.Run("the coordinator's list has the figures and no text", func(t *testing.T) {
			rows, err := s.Summaries(ctx, peercircle.SummaryFilter{SiteIDs: []int64{m.site.ID}, States: []string{peercircle.ReviewAccepted}})
			if err != nil || len(rows) != 1 {
				t.Fatalf("rows = %+v, %v", rows, err)
			}
			r := rows[0]
			if r.Topic != "Psychological first aid" || r.CasesDiscussed != 2 || r.SupportGiven != 3 || r.GroupName != m.group.Name || r.State != peercircle.ReviewAccepted {
				t.Fatalf("row = %+v", r)
			}
			if none, _ := s.Summaries(ctx, peercircle.SummaryFilter{}); none != nil {
				t.Fatal("an empty filter listed summaries")
			}
		})
	})
}

func TestFeedback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		sid := m.session.ID
		huda, rana := m.members[0], m.members[1]
		other := m.addSession(t, -24*time.Hour)

		t.Run("feedback opens only once the meeting has started", func(t *testing.T) {
			wantCode(t, s.OpenFeedback(ctx, sid), peercircle.EINVALID, "feedback.not_started")
			for _, p := range []*peercircle.Person{huda, rana, m.facilitator} {
				if err := s.MarkPresent(ctx, sid, p.ID, true); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.AddGuest(ctx, sid, "Visiting nurse", peercircle.AttendVisitor); err != nil {
				t.Fatal(err)
			}
			if _, err := s.StartLive(ctx, sid); err != nil {
				t.Fatal(err)
			}
			if err := s.OpenFeedback(ctx, sid); err != nil {
				t.Fatal(err)
			}
			r, _ := s.FeedbackRound(ctx, sid)
			if !r.Open || r.Capacity != 4 {
				t.Fatalf("round = %+v", r)
			}
		})

		var screen string
		t.Run("the screen shows one code until someone opens it", func(t *testing.T) {
			var err error
			screen, err = s.ScreenCode(ctx, sid)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := s.ScreenCode(ctx, sid)
			if again != screen {
				t.Fatal("a reload showed a different code")
			}
			if err := s.OpenToken(ctx, sid, screen); err != nil {
				t.Fatal(err)
			}
			next, _ := s.ScreenCode(ctx, sid)
			if next == screen {
				t.Fatal("the screen kept an opened code")
			}
		})

		t.Run("a code from another session is not valid here", func(t *testing.T) {
			wantCode(t, s.OpenToken(ctx, other.ID, screen), peercircle.ENOTFOUND, "feedback.bad_token")
			r := &peercircle.FeedbackResponse{Ratings: map[string]int{"safe": 5}}
			wantCode(t, s.SubmitFeedback(ctx, other.ID, screen, r), peercircle.ENOTFOUND, "feedback.bad_token")
			wantCode(t, s.SubmitFeedback(ctx, sid, "made-up", r), peercircle.ENOTFOUND, "feedback.bad_token")
		})

		t.Run("a response spends its code", func(t *testing.T) {
			r := &peercircle.FeedbackResponse{Ratings: map[string]int{"safe": 5, "useful": 4},
				Notes: map[string]string{"grateful": "The breathing exercise", "better": ""}}
			if err := s.SubmitFeedback(ctx, sid, screen, r); err != nil {
				t.Fatal(err)
			}
			wantCode(t, s.SubmitFeedback(ctx, sid, screen, r), peercircle.ECONFLICT, "feedback.used")
			wantCode(t, s.OpenToken(ctx, sid, screen), peercircle.ECONFLICT, "feedback.used")
			if rawContains(t, s, "feedback_notes", "body", "breathing") {
				t.Fatal("a feedback answer is stored in clear")
			}
		})

		t.Run("an empty or out-of-range response is refused and spends nothing", func(t *testing.T) {
			code, _ := s.ScreenCode(ctx, sid)
			wantCode(t, s.SubmitFeedback(ctx, sid, code, &peercircle.FeedbackResponse{}), peercircle.EINVALID, "")
			wantCode(t, s.SubmitFeedback(ctx, sid, code, &peercircle.FeedbackResponse{Ratings: map[string]int{"safe": 9}}), peercircle.EINVALID, "")
			named := &peercircle.FeedbackResponse{Notes: map[string]string{"meaningful": "What Rana shared"}}
			if peercircle.ErrorFields(s.SubmitFeedback(ctx, sid, code, named))["meaningful"] != "guard.unconfirmed" {
				t.Fatal("a name in feedback was not caught")
			}
			if err := s.OpenToken(ctx, sid, code); err != nil {
				t.Fatal("the code was spent by a refused response:", err)
			}
		})

		t.Run("a member takes one code, only if present, and gets the same one back until it is used", func(t *testing.T) {
			if st, _ := s.FeedbackClaim(ctx, sid, huda.ID); st != peercircle.FeedbackNotTaken {
				t.Fatalf("before taking a code: %q", st)
			}
			tok, err := s.ClaimFeedback(ctx, sid, huda.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st, _ := s.FeedbackClaim(ctx, sid, huda.ID); st != peercircle.FeedbackTaken {
				t.Fatalf("after taking a code: %q", st)
			}
			before, _ := s.FeedbackRound(ctx, sid)
			again, err := s.ClaimFeedback(ctx, sid, huda.ID)
			if err != nil || again != tok {
				t.Fatalf("taking it again gave %q, %v; want the same code", again, err)
			}
			if after, _ := s.FeedbackRound(ctx, sid); after.TokensIssued != before.TokensIssued {
				t.Fatalf("taking the same code again handed out another: %d → %d", before.TokensIssued, after.TokensIssued)
			}
			if err := s.OpenToken(ctx, sid, tok); err != nil {
				t.Fatal("the form does not reopen:", err)
			}
			if rawContains(t, s, "feedback_claims", "code", tok) {
				t.Fatal("the claimed code is stored in clear")
			}
			_, err = s.ClaimFeedback(ctx, sid, m.members[2].ID)
			wantCode(t, err, peercircle.EFORBIDDEN, "feedback.not_present")
			if err := s.SubmitFeedback(ctx, sid, tok, &peercircle.FeedbackResponse{Ratings: map[string]int{"safe": 3, "heard": 4}}); err != nil {
				t.Fatal(err)
			}
			claimed, _ := s.HasClaimedFeedback(ctx, sid, huda.ID)
			if !claimed {
				t.Fatal("the claim was not remembered")
			}
			_, err = s.ClaimFeedback(ctx, sid, huda.ID)
			wantCode(t, err, peercircle.ECONFLICT, "feedback.answered")
			wantCode(t, s.SubmitFeedback(ctx, sid, tok, &peercircle.FeedbackResponse{Ratings: map[string]int{"safe": 1}}), peercircle.ECONFLICT, "feedback.used")
			if st, _ := s.FeedbackClaim(ctx, sid, huda.ID); st != peercircle.FeedbackAnswered {
				t.Fatalf("after answering: %q", st)
			}
		})

		t.Run("nothing is shown with fewer than k responses", func(t *testing.T) {
			res, err := s.FeedbackResults(ctx, sid, true)
			if err != nil || res.Responses != 2 || res.K != 3 || res.Enough() || res.Ratings != nil || res.Notes != nil {
				t.Fatalf("results = %+v, %v", res, err)
			}
		})

		t.Run("with k responses the aggregate appears", func(t *testing.T) {
			tok, err := s.ClaimFeedback(ctx, sid, rana.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SubmitFeedback(ctx, sid, tok, &peercircle.FeedbackResponse{Ratings: map[string]int{"safe": 4},
				Notes: map[string]string{"grateful": "Time to breathe"}}); err != nil {
				t.Fatal(err)
			}
			res, _ := s.FeedbackResults(ctx, sid, true)
			if !res.Enough() || res.Ratings[0].Question != "safe" || res.Ratings[0].Count != 3 || res.Ratings[0].Average != 4 || res.Ratings[0].Counts != [5]int{0, 0, 1, 1, 1} {
				t.Fatalf("results = %+v", res)
			}
			if len(res.Notes["grateful"]) != 2 {
				t.Fatalf("notes = %v", res.Notes)
			}
			plain, _ := s.FeedbackResults(ctx, sid, false)
			if plain.Notes != nil {
				t.Fatal("notes were opened without being asked for")
			}
		})

		t.Run("no more codes than people present", func(t *testing.T) {
			// 4 present: the screen code, the unused one, huda's and rana's.
			_, err := s.ScreenCode(ctx, sid)
			wantCode(t, err, peercircle.ECONFLICT, "feedback.all_issued")
		})

		t.Run("a code on the screen that nobody scanned takes nobody's place", func(t *testing.T) {
			small := m.addSession(t, -30*time.Minute)
			for _, p := range []*peercircle.Person{huda, rana} {
				if err := s.MarkPresent(ctx, small.ID, p.ID, true); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.StartLive(ctx, small.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.OpenFeedback(ctx, small.ID); err != nil {
				t.Fatal(err)
			}
			code, err := s.ScreenCode(ctx, small.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []*peercircle.Person{huda, rana} {
				if _, err := s.ClaimFeedback(ctx, small.ID, p.ID); err != nil {
					t.Fatalf("claim with a code on the screen: %v", err)
				}
			}
			wantCode(t, s.OpenToken(ctx, small.ID, code), peercircle.ECONFLICT, "feedback.all_issued")
			r, _ := s.FeedbackRound(ctx, small.ID)
			if r.TokensIssued != 2 || r.Capacity != 2 {
				t.Fatalf("round = %+v", r)
			}
			if err := s.CloseFeedback(ctx, small.ID); err != nil {
				t.Fatal(err)
			}
			_, err = s.ClaimFeedback(ctx, small.ID, huda.ID)
			wantCode(t, err, peercircle.EINVALID, "feedback.closed")
		})

		t.Run("closed feedback takes no answers", func(t *testing.T) {
			code, _ := s.ScreenCode(ctx, sid)
			_ = code
			if err := s.CloseFeedback(ctx, sid); err != nil {
				t.Fatal(err)
			}
			_, err := s.ClaimFeedback(ctx, sid, m.facilitator.ID)
			wantCode(t, err, peercircle.EINVALID, "feedback.closed")
		})

		t.Run("feedback closes by itself two days after the meeting", func(t *testing.T) {
			if err := s.OpenFeedback(ctx, sid); err != nil {
				t.Fatal(err)
			}
			m.clock.Add(sqlstore.FeedbackWindow + 2*time.Hour)
			r, _ := s.FeedbackRound(ctx, sid)
			if r.Open {
				t.Fatal("feedback is still open long after the meeting")
			}
		})
	})
}

// summaryConfirms counts the audit log's guard confirmations on a summary.
func summaryConfirms(t *testing.T, s *sqlstore.Store, sessionID int64) int {
	t.Helper()
	var n int
	must(t, s.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE action = 'guard.confirm' AND target_kind = 'summary' AND target_id = ?", sessionID).Scan(&n))
	return n
}

// TurnsAndLive reads in one statement a list of meetings' facilitators and
// roles, and which of them were started.
func TestTurnsAndLive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		later := m.addSession(t, 7*24*time.Hour)
		start := m.clock.Now().Add(14 * 24 * time.Hour)
		unled := &peercircle.Session{GroupID: m.group.ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
			LocalDate: start.Format(time.DateOnly), Status: peercircle.SessionPlanned}
		if err := s.AddSession(ctx, unled); err != nil {
			t.Fatal(err)
		}
		if err := s.AssignTurn(ctx, later.ID, peercircle.VolunteerTimekeeper, m.members[0].ID, m.organiser.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.StartLive(ctx, m.session.ID); err != nil {
			t.Fatal(err)
		}
		must(t, s.RSVP(ctx, later.ID, m.members[0].ID, peercircle.AttendApologies))
		must(t, s.RSVP(ctx, unled.ID, m.members[1].ID, peercircle.AttendExpected))
		ids := []int64{m.session.ID, later.ID, unled.ID}
		turns, live, answers, err := s.TurnsAndLive(ctx, m.members[0].ID, ids)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[int64]string{later.ID: peercircle.AttendApologies}; !maps.Equal(answers, want) {
			t.Errorf("answers %v, want %v (the person's own, no one else's)", answers, want)
		}
		if want, _ := s.Answers(ctx, m.members[0].ID, ids); !maps.Equal(answers, want) {
			t.Errorf("answers %v, Answers %v", answers, want)
		}
		if _, _, none, err := s.TurnsAndLive(ctx, 0, ids); err != nil || len(none) != 0 {
			t.Errorf("nobody's answers: %v %v", none, err)
		}
		type turn struct {
			session int64
			role    string
			person  int64
		}
		var got []turn
		for _, tr := range turns {
			got = append(got, turn{tr.SessionID, tr.Role, tr.PersonID})
		}
		key := func(a, b turn) int { return cmp.Or(cmp.Compare(a.session, b.session), cmp.Compare(a.role, b.role)) }
		slices.SortFunc(got, key)
		want := []turn{{m.session.ID, peercircle.VolunteerFacilitator, m.facilitator.ID},
			{later.ID, peercircle.VolunteerFacilitator, m.facilitator.ID}, {later.ID, peercircle.VolunteerTimekeeper, m.members[0].ID}}
		slices.SortFunc(want, key)
		if !slices.Equal(got, want) {
			t.Errorf("turns %+v, want %+v", got, want)
		}
		if len(live) != 1 || live[m.session.ID] != peercircle.LiveRunning {
			t.Errorf("live %v, want only the first meeting, running", live)
		}
		if only, _ := s.Turns(ctx, ids); len(only) != len(turns) {
			t.Errorf("Turns gives %d turns, TurnsAndLive %d", len(only), len(turns))
		}
		if turns, live, _, err := s.TurnsAndLive(ctx, m.members[0].ID, nil); err != nil || len(turns) != 0 || live == nil {
			t.Errorf("no meetings: %v %v %v", turns, live, err)
		}
	})
}
