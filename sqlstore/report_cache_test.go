package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// TestCachedTrendsFollowChangesToPastQuarters checks that the trend points
// an instance keeps for closed quarters are dropped when one of their
// meetings changes, through this instance or another one, and stay those
// of a store that keeps nothing.
func TestCachedTrendsFollowChangesToPastQuarters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w, clock := reportStore(t, s, 2)
		// A second instance on the same database, and a reference that
		// computes every time (a fresh store has an empty cache).
		other := sqlstore.New(s.DB, s.Keys)
		other.Now = clock.Now
		fresh := func() *peercircle.RollUp {
			t.Helper()
			ref := sqlstore.New(s.DB, s.Keys)
			ref.Now = clock.Now
			ru, err := ref.RollUp(ctx, peercircle.LevelRegion, w.Region.ID, q1, 4)
			if err != nil {
				t.Fatal(err)
			}
			return ru
		}
		rollUp := func(st *sqlstore.Store) *peercircle.RollUp {
			t.Helper()
			ru, err := st.RollUp(ctx, peercircle.LevelRegion, w.Region.ID, q1, 4)
			if err != nil {
				t.Fatal(err)
			}
			return ru
		}
		same := func(what string, got, want *peercircle.RollUp) {
			t.Helper()
			if !reflect.DeepEqual(got.Trend, want.Trend) {
				t.Fatalf("%s: trend\n got %+v\nwant %+v", what, got.Trend, want.Trend)
			}
			for i := range want.Sites {
				if !reflect.DeepEqual(got.Sites[i].Trend, want.Sites[i].Trend) {
					t.Fatalf("%s: trend of %s\n got %+v\nwant %+v", what, want.Sites[i].Site.Name, got.Sites[i].Trend, want.Sites[i].Trend)
				}
			}
		}
		version := func() string {
			t.Helper()
			v, err := s.Setting(ctx, "report.past_version", "0")
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		const q4 = 2 // 2026Q4 in the trend of 2027Q1
		before := rollUp(s)
		rollUp(other)
		same("counted", before, fresh())
		same("from the cache", rollUp(s), fresh())
		if before.Trend[q4].Held == 0 || before.Trend[q4].Attendance == 0 {
			t.Fatalf("2026Q4 should have meetings: %+v", before.Trend)
		}

		t.Run("a presence recorded afterwards at a meeting of a closed quarter", func(t *testing.T) {
			var sessionID, personID int64
			err := s.DB.QueryRow(ctx, `SELECT m.id, ms.person_id FROM sessions m JOIN memberships ms ON ms.group_id = m.group_id
				WHERE m.status = 'held' AND m.local_date >= '2026-10-01' AND m.local_date <= '2026-12-31'
				AND ms.status IN ('active', 'on_leave')
				AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = m.id AND a.person_id = ms.person_id AND a.status = 'present')
				AND NOT EXISTS (SELECT 1 FROM summaries su WHERE su.session_id = m.id AND su.state IN ('submitted', 'accepted'))
				ORDER BY m.id, ms.person_id LIMIT 1`).Scan(&sessionID, &personID)
			if err != nil {
				t.Fatal(err)
			}
			was := rollUp(s).Trend[q4].Attendance
			if err := s.MarkPresent(ctx, sessionID, personID, true); err != nil {
				t.Fatal(err)
			}
			after := rollUp(s)
			if after.Trend[q4].Attendance != was+1 {
				t.Fatalf("attendance in 2026Q4: %d, was %d", after.Trend[q4].Attendance, was)
			}
			same("this instance", after, fresh())
			same("the other instance", rollUp(other), fresh())
		})

		t.Run("a meeting of a closed quarter recorded afterwards", func(t *testing.T) {
			was := rollUp(other).Trend[q4].Held
			g := w.Groups[0]
			at := time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)
			m := &peercircle.Session{GroupID: g.ID, PlannedStart: at, PlannedEnd: at.Add(2 * time.Hour),
				LocalDate: "2026-11-18", Status: peercircle.SessionHeld}
			if err := s.AddSession(ctx, m); err != nil {
				t.Fatal(err)
			}
			after := rollUp(other)
			if after.Trend[q4].Held != was+1 {
				t.Fatalf("held in 2026Q4 seen by the other instance: %d, was %d", after.Trend[q4].Held, was)
			}
			same("the other instance", after, fresh())
			same("this instance", rollUp(s), fresh())
		})

		t.Run("a group paused since expects nothing, even in a closed quarter", func(t *testing.T) {
			var g *peercircle.Group
			for _, x := range w.Groups {
				if x.Status == peercircle.GroupActive {
					g = x
					break
				}
			}
			was := rollUp(s).Trend[q4].Expected
			g.Status = peercircle.GroupPaused
			if err := s.UpdateGroup(ctx, g); err != nil {
				t.Fatal(err)
			}
			after := rollUp(s)
			if after.Trend[q4].Expected >= was {
				t.Fatalf("expected in 2026Q4: %d, was %d", after.Trend[q4].Expected, was)
			}
			same("after the pause", after, fresh())
			same("the other instance", rollUp(other), fresh())
		})

		t.Run("meetings of the running month leave closed quarters cached", func(t *testing.T) {
			var sessionID, personID int64
			err := s.DB.QueryRow(ctx, `SELECT m.id, ms.person_id FROM sessions m JOIN memberships ms ON ms.group_id = m.group_id
				WHERE m.status = 'held' AND m.local_date >= '2027-05-01' AND ms.status IN ('active', 'on_leave')
				AND NOT EXISTS (SELECT 1 FROM summaries su WHERE su.session_id = m.id AND su.state IN ('submitted', 'accepted'))
				ORDER BY m.id, ms.person_id LIMIT 1`).Scan(&sessionID, &personID)
			if err != nil {
				t.Fatal(err)
			}
			v := version()
			if err := s.MarkPresent(ctx, sessionID, personID, false); err != nil {
				t.Fatal(err)
			}
			if got := version(); got != v {
				t.Fatalf("a change in May 2027 bumped the report version from %s to %s", v, got)
			}
			same("after a change this month", rollUp(s), fresh())
		})
	})
}
