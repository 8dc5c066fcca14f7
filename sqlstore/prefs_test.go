package sqlstore_test

import (
	"context"
	"testing"

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
