package sqlstore_test

import (
	"context"
	"slices"
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

// TestTheRotaIsAPlan: planned turns move only by recorded acts, each
// announced to those affected (issue 11).
func TestTheRotaIsAPlan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		a, b, c, d := w.people[0], w.people[1], w.people[2], w.people[3]
		for _, p := range []*peercircle.Person{a, b, c} {
			must(t, s.SetOffers(ctx, w.group.ID, p.ID, []string{peercircle.VolunteerFacilitator}))
		}
		w.staffSchedule(t)
		facs := func() []int64 {
			var out []int64
			for _, m := range w.upcoming(t) {
				out = append(out, m.FacilitatorID)
			}
			return out
		}
		ms := w.upcoming(t)
		plan := facs()
		if plan[0] != a.ID || plan[1] != b.ID || plan[2] != c.ID {
			t.Fatalf("first plan %v", plan)
		}
		notices := func(p *peercircle.Person) []string {
			ns, err := s.Notifications(ctx, p.ID, false, 50)
			must(t, err)
			var out []string
			for _, n := range ns {
				out = append(out, n.Kind)
			}
			return out
		}
		changes := func() []*peercircle.RotaChange {
			cs, err := s.RotaChanges(ctx, w.group.ID, w.clock.Now(), 50)
			must(t, err)
			return cs
		}

		t.Run("apologies alone, other members' answers and new meetings move no turn", func(t *testing.T) {
			must(t, s.RSVP(ctx, ms[0].ID, a.ID, peercircle.AttendApologies))
			must(t, s.RSVP(ctx, ms[1].ID, c.ID, peercircle.AttendApologies))
			must(t, s.RSVP(ctx, ms[2].ID, b.ID, peercircle.AttendExpected))
			extra := &peercircle.Session{GroupID: w.group.ID, PlannedStart: ms[0].PlannedStart.Add(48 * time.Hour), PlannedEnd: ms[0].PlannedEnd.Add(48 * time.Hour),
				LocalDate: ms[0].PlannedStart.Add(48 * time.Hour).Format(time.DateOnly), Status: peercircle.SessionPlanned}
			must(t, s.AddSession(ctx, extra))
			must(t, s.AssignRotation(ctx, w.group.ID))
			var now []int64
			for _, m := range w.upcoming(t) {
				if m.ID == extra.ID {
					if m.FacilitatorID == 0 {
						t.Errorf("the new meeting got no facilitator")
					}
					continue
				}
				now = append(now, m.FacilitatorID)
			}
			if !slices.Equal(now, plan) {
				t.Fatalf("the rota moved by itself: %v → %v", plan, now)
			}
			if len(changes()) != 0 {
				t.Fatalf("changes recorded: %+v", changes())
			}
			if !slices.Contains(notices(w.org), "facilitator_apologies") {
				t.Fatalf("the organiser was not told: %v", notices(w.org))
			}
		})

		t.Run("apologies with a substitute give the turn and tell them", func(t *testing.T) {
			err := s.Apologise(ctx, ms[1].ID, b.ID, c.ID)
			if peercircle.ErrorFields(err)["substitute"] != "rota.sent_apologies" {
				t.Fatalf("a substitute who sent apologies: %v", err)
			}
			must(t, s.Apologise(ctx, ms[1].ID, b.ID, d.ID))
			got, _ := s.Session(ctx, ms[1].ID)
			if got.FacilitatorID != d.ID || got.Sequence == ms[1].Sequence {
				t.Fatalf("after apologies %+v", got)
			}
			cs := changes()
			if len(cs) != 1 || cs[0].Kind != peercircle.RotaApologies || cs[0].OldPersonID != b.ID || cs[0].NewPersonID != d.ID || cs[0].ByPersonID != b.ID {
				t.Fatalf("changes %+v", cs)
			}
			if !slices.Contains(notices(d), "rota_yours") || !slices.Contains(notices(w.org), "rota_changed") || slices.Contains(notices(b), "rota_not_yours") {
				t.Fatalf("notices: substitute %v, organiser %v, b %v", notices(d), notices(w.org), notices(b))
			}
		})

		t.Run("a swap both accept", func(t *testing.T) {
			sw, err := s.ProposeSwap(ctx, ms[2].ID, c.ID, ms[3].ID, a.ID)
			must(t, err)
			if !slices.Contains(notices(a), "swap_proposed") {
				t.Fatalf("a was not asked: %v", notices(a))
			}
			if err := s.AnswerSwap(ctx, sw.ID, c.ID, true); peercircle.ErrorCode(err) != peercircle.EFORBIDDEN {
				t.Fatalf("the proposer answered: %v", err)
			}
			must(t, s.AnswerSwap(ctx, sw.ID, a.ID, true))
			m2, _ := s.Session(ctx, ms[2].ID)
			m3, _ := s.Session(ctx, ms[3].ID)
			if m2.FacilitatorID != a.ID || m3.FacilitatorID != c.ID {
				t.Fatalf("after the swap: %d, %d", m2.FacilitatorID, m3.FacilitatorID)
			}
			if n := len(changes()); n != 3 || changes()[0].Kind != peercircle.RotaSwapped {
				t.Fatalf("changes %+v", changes())
			}
			if !slices.Contains(notices(c), "swap_accepted") {
				t.Fatalf("c was not told: %v", notices(c))
			}
			if err := s.AnswerSwap(ctx, sw.ID, a.ID, true); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
				t.Fatalf("answered twice: %v", err)
			}
		})

		t.Run("the organiser puts any member on the rota and decides a turn", func(t *testing.T) {
			e := w.people[4]
			must(t, s.AddToRota(ctx, w.group.ID, e.ID, peercircle.VolunteerFacilitator, w.org.ID))
			offers, _ := s.Offers(ctx, w.group.ID)
			if !slices.ContainsFunc(offers, func(o *peercircle.Offer) bool { return o.PersonID == e.ID }) {
				t.Fatalf("offers %+v", offers)
			}
			old, _ := s.Session(ctx, ms[4].ID)
			must(t, s.AssignTurn(ctx, ms[4].ID, peercircle.VolunteerFacilitator, e.ID, w.org.ID))
			cs := changes()
			if cs[0].Kind != peercircle.RotaOrganiser || cs[0].OldPersonID != old.FacilitatorID || cs[0].NewPersonID != e.ID {
				t.Fatalf("change %+v", cs[0])
			}
			if !slices.Contains(notices(e), "rota_yours") {
				t.Fatalf("e was not told: %v", notices(e))
			}
			var oldP *peercircle.Person
			for _, p := range w.people {
				if p.ID == old.FacilitatorID {
					oldP = p
				}
			}
			if !slices.Contains(notices(oldP), "rota_not_yours") {
				t.Fatalf("the one who had it was not told: %v", notices(oldP))
			}
		})

		t.Run("a turn of someone who goes on leave goes to the next, recorded", func(t *testing.T) {
			held := 0
			for _, m := range w.upcoming(t) {
				if m.FacilitatorID == c.ID {
					held++
				}
			}
			mb, _ := s.Membership(ctx, w.group.ID, c.ID)
			must(t, s.SetLeave(ctx, mb.ID, true, ""))
			for _, m := range w.upcoming(t) {
				if m.FacilitatorID == c.ID {
					t.Fatalf("on leave but facilitating %s", m.LocalDate)
				}
			}
			n := 0
			for _, ch := range changes() {
				if ch.Kind == peercircle.RotaUnavailable && ch.OldPersonID == c.ID && ch.NewPersonID != 0 {
					n++
				}
			}
			if n != held || held == 0 {
				t.Fatalf("%d unavailable changes for %d turns", n, held)
			}
		})
	})
}
