package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// Reminders on both backends: two days and two hours before, once per
// person, meeting and offset even when two instances send at once; none
// for someone who sent apologies or is on leave; withdrawn with a cancelled
// meeting; the one-tap link answers once, and not after the start.
func TestMeetingReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s) // members: Huda, Rana, Samir (on leave); the meeting is today
		next := m.addSession(t, 47*time.Hour)
		count := func(kind string) int {
			var n int
			if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE kind = ?", kind).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count(peercircle.KindMeetingReminder)
		rana := m.members[1]
		if err := s.RSVP(ctx, next.ID, rana.ID, peercircle.AttendApologies); err != nil {
			t.Fatal(err)
		}
		// Two instances at once.
		other := sqlstore.New(s.DB, s.Keys)
		other.Now = s.Now
		done := make(chan int, 2)
		for _, st := range []*sqlstore.Store{s, other} {
			go func() {
				n, err := st.SendReminders(ctx)
				if err != nil {
					t.Error(err)
				}
				done <- n
			}()
		}
		total := <-done + <-done
		var forNext int
		s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM meeting_reminders WHERE session_id = ? AND offset_minutes > 0", next.ID).Scan(&forNext)
		// Huda and the facilitator, not Rana (apologies) nor Samir (on leave).
		if forNext != 2 {
			t.Fatalf("%d reminders for the meeting in two days, want 2 (total sent %d)", forNext, total)
		}
		if n, _ := s.SendReminders(ctx); n != 0 {
			t.Fatalf("a second run sent %d", n)
		}
		if got := count(peercircle.KindMeetingReminder) - before + count(peercircle.KindTurnReminder); got != total {
			t.Fatalf("%d notices for %d reminders", got, total)
		}
		// The facilitator's turn, a week ahead: once, for each meeting.
		var turns int
		s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE person_id = ? AND kind = ? AND link = ?", m.facilitator.ID,
			peercircle.KindTurnReminder, "/sessions/"+itoa(next.ID)).Scan(&turns)
		if turns != 1 {
			t.Fatalf("%d turn reminders for the meeting in two days, want 1 (a week ahead)", turns)
		}
		ns, _ := s.Notifications(ctx, m.members[0].ID, false, 20)
		var link string
		for _, n := range ns {
			if n.Kind == peercircle.KindMeetingReminder && len(n.Params) == 3 && n.Params[0] == m.group.Name {
				link = n.Link
			}
		}
		if !strings.HasPrefix(link, "/answer/") {
			t.Fatalf("no answer link in Huda's reminder: %+v", ns)
		}
		token := strings.TrimPrefix(link, "/answer/")
		if err := s.AnswerByLink(ctx, token, peercircle.AttendApologies); err != nil {
			t.Fatal(err)
		}
		if err := s.AnswerByLink(ctx, token, peercircle.AttendExpected); peercircle.ErrorKey(err) != "reminder.link_used" {
			t.Fatalf("a second answer: %v", err)
		}
		var status string
		s.DB.QueryRow(ctx, "SELECT status FROM attendance WHERE session_id = ? AND person_id = ?", next.ID, m.members[0].ID).Scan(&status)
		if status != peercircle.AttendApologies {
			t.Fatalf("Huda's answer = %q", status)
		}

		// Two hours before, the facilitator gets the second reminder; a
		// cancelled meeting withdraws what was not sent.
		m.clock.Add(46 * time.Hour)
		was := count(peercircle.KindMeetingReminder)
		if _, err := s.SendReminders(ctx); err != nil {
			t.Fatal(err)
		}
		if got := count(peercircle.KindMeetingReminder) - was; got != 1 {
			t.Fatalf("two hours before: %d reminders, want 1 (the facilitator; Huda sent apologies)", got)
		}
		s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE person_id = ? AND kind = ? AND link = ?", m.facilitator.ID,
			peercircle.KindTurnReminder, "/sessions/"+itoa(next.ID)).Scan(&turns)
		if turns != 2 {
			t.Fatalf("%d turn reminders, want 2 (a week ahead and the day before)", turns)
		}
		if err := s.CancelSession(ctx, next.ID, "The room flooded", m.organiser.ID); err != nil {
			t.Fatal(err)
		}
		var queued int
		s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE ref = ? AND kind = ? AND state = 'queued'", "meeting:"+itoa(next.ID), peercircle.KindMeetingReminder).Scan(&queued)
		if queued != 0 {
			t.Fatalf("%d reminders still queued for a cancelled meeting", queued)
		}
		// A link after the start answers nothing.
		later := m.addSession(t, time.Hour)
		s.SendReminders(ctx)
		var tok string
		ns, _ = s.Notifications(ctx, m.facilitator.ID, false, 50)
		for _, n := range ns {
			if n.Kind == peercircle.KindMeetingReminder && strings.HasPrefix(n.Link, "/answer/") {
				if l, err := s.AnswerLink(ctx, strings.TrimPrefix(n.Link, "/answer/")); err == nil && l.SessionID == later.ID {
					tok = strings.TrimPrefix(n.Link, "/answer/")
				}
			}
		}
		if tok == "" {
			t.Fatal("no reminder for the meeting in an hour")
		}
		m.clock.Add(2 * time.Hour)
		if err := s.AnswerByLink(ctx, tok, peercircle.AttendExpected); peercircle.ErrorKey(err) != "reminder.link_expired" {
			t.Fatalf("an answer after the start: %v", err)
		}
	})
}

// A group's own reminder times: a meeting 47 hours ahead is not reminded
// in a group that reminds 24 and 3 hours before; at 23 hours it is, once.
func TestAGroupChoosesItsReminderTimes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		if err := s.SetSetting(ctx, peercircle.GroupReminderSetting(m.group.ID), "24, 3"); err != nil {
			t.Fatal(err)
		}
		far := m.addSession(t, 47*time.Hour)
		near := m.addSession(t, 23*time.Hour)
		if _, err := s.SendReminders(ctx); err != nil {
			t.Fatal(err)
		}
		offsets := func(id int64) []int {
			rows, err := s.DB.Query(ctx, "SELECT offset_minutes FROM meeting_reminders WHERE session_id = ? AND offset_minutes > 0 ORDER BY offset_minutes", id)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []int
			for rows.Next() {
				var n int
				rows.Scan(&n)
				out = append(out, n)
			}
			return out
		}
		if got := offsets(far.ID); len(got) != 0 {
			t.Fatalf("the meeting 47 hours ahead was reminded at %v", got)
		}
		if got := offsets(near.ID); len(got) == 0 || got[0] != 24*60 {
			t.Fatalf("the meeting 23 hours ahead: %v", got)
		}
	})
}
