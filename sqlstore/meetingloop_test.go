package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// TestStartingAMeeting: who starts it is recorded as its facilitator;
// held, cancelled and past meetings cannot be started (issue 11).
func TestStartingAMeeting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		huda := m.members[0]
		if _, err := s.StartLiveAs(ctx, m.session.ID, huda.ID, huda.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Session(ctx, m.session.ID); got.FacilitatorID != huda.ID {
			t.Fatalf("facilitator %d, want Huda %d", got.FacilitatorID, huda.ID)
		}
		t.Run("someone outside the group is refused", func(t *testing.T) {
			err := s.SetFacilitator(ctx, m.session.ID, m.coordinator.ID, m.facilitator.ID)
			if peercircle.ErrorCode(err) != peercircle.EINVALID || peercircle.ErrorFields(err)["facilitator"] == "" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("Sheet 2 corrects it until it is submitted", func(t *testing.T) {
			if err := s.SetFacilitator(ctx, m.session.ID, m.facilitator.ID, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.EndLive(ctx, m.session.ID); err != nil {
				t.Fatal(err)
			}
			su := &peercircle.Summary{SessionID: m.session.ID, Notes: map[string]string{}}
			if err := s.SaveSummary(ctx, su, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.SubmitSummary(ctx, m.session.ID, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.SetFacilitator(ctx, m.session.ID, huda.ID, m.facilitator.ID); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
				t.Fatalf("after submission: %v", err)
			}
		})
		t.Run("a held meeting is not started again", func(t *testing.T) {
			held := m.addSession(t, -30*time.Minute)
			su := &peercircle.Summary{SessionID: held.ID, Notes: map[string]string{}}
			if err := s.SaveSummary(ctx, su, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.SubmitSummary(ctx, held.ID, m.facilitator.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.StartLive(ctx, held.ID); peercircle.ErrorKey(err) != "live.already_held" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("a past meeting is not started", func(t *testing.T) {
			past := m.addSession(t, -3*time.Hour)
			if _, err := s.StartLive(ctx, past.ID); peercircle.ErrorKey(err) != "live.past" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("a cancelled meeting is not started", func(t *testing.T) {
			c := m.addSession(t, 2*time.Hour)
			if err := s.CancelSession(ctx, c.ID, "Room taken", m.organiser.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.StartLive(ctx, c.ID); peercircle.ErrorCode(err) == "" {
				t.Fatal("a cancelled meeting started")
			}
		})
	})
}
