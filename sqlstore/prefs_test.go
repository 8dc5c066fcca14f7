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

// Notification choices on both backends: set, replaced, removed, refused
// for an unknown channel; the outbox follows them.
func TestNotifyPrefs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := person(t, s, "prefs")
		if err := s.SetNotifyPref(ctx, p.ID, "*", "pigeon"); peercircle.ErrorCode(err) != peercircle.EINVALID {
			t.Fatalf("an unknown channel: %v", err)
		}
		must(t, s.SetNotifyPref(ctx, p.ID, "*", peercircle.ChannelInApp))
		must(t, s.SetNotifyPref(ctx, p.ID, "*", peercircle.ChannelEmail))
		must(t, s.SetNotifyPref(ctx, p.ID, "session_cancelled", peercircle.ChannelInApp))
		prefs, err := s.NotifyPrefs(ctx, p.ID)
		if err != nil || len(prefs) != 2 || prefs["*"] != peercircle.ChannelEmail || prefs["session_cancelled"] != peercircle.ChannelInApp {
			t.Fatalf("prefs %v (%v)", prefs, err)
		}
		must(t, s.Notify(ctx, &peercircle.Notification{PersonID: p.ID, Kind: "session_cancelled", Params: []string{"G", "2026-12-08"}, Link: "/groups/1"}))
		must(t, s.Notify(ctx, &peercircle.Notification{PersonID: p.ID, Kind: "session_postponed", Params: []string{"G", "2026-12-08"}, Link: "/groups/1"}))
		var cancelled, postponed int
		s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE person_id = ? AND kind = 'session_cancelled'", p.ID).Scan(&cancelled)
		s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE person_id = ? AND kind = 'session_postponed'", p.ID).Scan(&postponed)
		if cancelled != 0 || postponed != 1 {
			t.Fatalf("outbox: %d cancelled (kept in the app), %d postponed (by e-mail)", cancelled, postponed)
		}
		must(t, s.SetNotifyPref(ctx, p.ID, "session_cancelled", ""))
		if prefs, _ := s.NotifyPrefs(ctx, p.ID); len(prefs) != 1 {
			t.Fatalf("after removing: %v", prefs)
		}
	})
}

// A message leaving the app never names a group to a person unlisted in it
// (issue 12); the bell, inside the app, keeps the name.
func TestMessagesDoNotNameAGroupToItsUnlistedMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		rana := m.members[1]
		ms, err := s.Membership(ctx, m.group.ID, rana.ID)
		if err != nil {
			t.Fatal(err)
		}
		ms.Unlisted = true
		must(t, s.SaveMembership(ctx, ms))
		must(t, s.SetNotifyPref(ctx, rana.ID, "*", peercircle.ChannelEmail))
		must(t, s.SetNotifyPref(ctx, m.members[0].ID, "*", peercircle.ChannelEmail))
		future := m.addSession(t, 72*time.Hour)
		must(t, s.CancelSession(ctx, future.ID, "The room is taken", m.organiser.ID))
		params := func(p *peercircle.Person) string {
			var out string
			if err := s.DB.QueryRow(ctx, "SELECT params FROM outbox WHERE person_id = ? AND kind = 'session_cancelled'", p.ID).Scan(&out); err != nil {
				t.Fatalf("%s: %v", p.FullName, err)
			}
			return out
		}
		if got := params(rana); strings.Contains(got, m.group.Name) || !strings.Contains(got, "@notify.your_group") {
			t.Fatalf("the unlisted member's message: %s", got)
		}
		if got := params(m.members[0]); !strings.Contains(got, m.group.Name) {
			t.Fatalf("a listed member's message: %s", got)
		}
		ns, _ := s.Notifications(ctx, rana.ID, false, 10)
		if len(ns) == 0 || ns[0].Params[0] != m.group.Name {
			t.Fatalf("the bell: %+v", ns)
		}
	})
}
