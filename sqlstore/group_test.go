package sqlstore_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// groupWorld is a site with a closed staff group and six members, on a
// clock set to Monday 5 January 2026, 09:00 in Amman.
type groupWorld struct {
	s      *sqlstore.Store
	clock  *storetest.Clock
	site   peercircle.Site
	group  *peercircle.Group
	people []*peercircle.Person
	org    *peercircle.Person
}

func newGroupWorld(t *testing.T, s *sqlstore.Store) *groupWorld {
	t.Helper()
	ctx := context.Background()
	w := &groupWorld{s: s, clock: storetest.NewClock(time.Date(2026, 1, 5, 6, 0, 0, 0, time.UTC))}
	s.Now = w.clock.Now
	_, _, w.site = tree(t, s)
	w.group = &peercircle.Group{SiteID: w.site.ID, Name: "Staff PSG", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
		Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive, SizeLimit: 10}
	must(t, s.CreateGroup(ctx, w.group))
	w.org = member(t, s, "organiser", w.site.ID)
	must(t, s.AddGrant(ctx, &peercircle.Grant{PersonID: w.org.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: w.site.ID}))
	for _, name := range []string{"huda", "rana", "samir", "layla", "omar", "noor"} {
		p := member(t, s, name, w.site.ID)
		joined := w.clock.Now()
		must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: w.group.ID, PersonID: p.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive, JoinedAt: &joined}))
		w.people = append(w.people, p)
	}
	return w
}

func member(t *testing.T, s *sqlstore.Store, user string, site int64) *peercircle.Person {
	t.Helper()
	p := &peercircle.Person{Username: user, FullName: user + " test", HomeSiteID: site, Status: peercircle.PersonActive}
	must(t, s.CreatePerson(context.Background(), p))
	return p
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails unless err has the code and, if given, the key (as its
// message or a field's).
func wantErr(t *testing.T, err error, code, key string) {
	t.Helper()
	var e *peercircle.Error
	if peercircle.ErrorCode(err) != code {
		t.Fatalf("err = %v, want code %s", err, code)
	}
	if key != "" && (!asErr(err, &e) || (e.Key != key && e.Fields["size_limit"] != key && !slices.Contains(mapValues(e.Fields), key))) {
		t.Fatalf("err = %v, want key %s", err, key)
	}
}

func asErr(err error, e **peercircle.Error) bool {
	pe, ok := err.(*peercircle.Error)
	if ok {
		*e = pe
	}
	return ok
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func (w *groupWorld) staffSchedule(t *testing.T) {
	t.Helper()
	must(t, w.s.SaveSchedule(context.Background(), &peercircle.GroupSchedule{GroupID: w.group.ID, Preset: "staff", Rule: "FREQ=MONTHLY;BYDAY=2TU,-1TU",
		StartDate: "2026-01-01", StartTime: "14:00", Minutes: 120}))
}

func (w *groupWorld) upcoming(t *testing.T) []*peercircle.Session {
	t.Helper()
	ss, err := w.s.Sessions(context.Background(), peercircle.SessionFilter{GroupID: w.group.ID, From: w.clock.Now()})
	must(t, err)
	return ss
}

func dates(ss []*peercircle.Session) []string {
	var out []string
	for _, m := range ss {
		out = append(out, m.LocalDate+"/"+m.Status)
	}
	return out
}

func TestJoiningAClosedGroup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		newcomer := member(t, s, "newcomer", w.site.ID)

		t.Run("asking to join a closed group waits and tells the organiser", func(t *testing.T) {
			out, err := s.RequestToJoin(ctx, w.group.ID, newcomer.ID)
			must(t, err)
			if out != peercircle.JoinRequested {
				t.Fatalf("outcome %s", out)
			}
			ns, _ := s.Notifications(ctx, w.org.ID, true, 10)
			if len(ns) != 1 || ns[0].Kind != "join_request" {
				t.Fatalf("organiser notifications %+v", ns)
			}
			_, err = s.RequestToJoin(ctx, w.group.ID, newcomer.ID)
			wantErr(t, err, peercircle.ECONFLICT, "group.already_member")
		})
		m, err := s.Membership(ctx, w.group.ID, newcomer.ID)
		must(t, err)
		t.Run("an orientation is arranged, then the person is accepted with a kind message", func(t *testing.T) {
			must(t, s.ArrangeOrientation(ctx, m.ID, w.org.ID))
			must(t, s.DecideMembership(ctx, m.ID, true, w.org.ID))
			m, _ = s.Membership(ctx, w.group.ID, newcomer.ID)
			if m.Status != peercircle.MemberActive || m.OrientedBy != w.org.ID || m.JoinedAt == nil {
				t.Fatalf("membership %+v", m)
			}
			ns, _ := s.Notifications(ctx, newcomer.ID, true, 10)
			if len(ns) != 2 || ns[0].Kind != "join_accepted" || ns[1].Kind != "join_orientation" {
				t.Fatalf("notifications %+v", ns)
			}
			wantErr(t, s.DecideMembership(ctx, m.ID, false, w.org.ID), peercircle.ECONFLICT, "group.request_not_waiting")
		})
		t.Run("someone from another site cannot ask to join an unlisted group", func(t *testing.T) {
			other := member(t, s, "stranger", 0)
			_, err := s.RequestToJoin(ctx, w.group.ID, other.ID)
			wantErr(t, err, peercircle.EINVALID, "group.closed_to_joining")
		})
		t.Run("the size limit cannot go below the members", func(t *testing.T) {
			g := *w.group
			g.SizeLimit = 3
			wantErr(t, s.UpdateGroup(ctx, &g), peercircle.EINVALID, "group.size_below_members")
			got, _ := s.Group(ctx, w.group.ID)
			if got.SizeLimit != 10 {
				t.Fatalf("size limit changed to %d", got.SizeLimit)
			}
		})
		t.Run("a full group refuses the next request", func(t *testing.T) {
			g := *w.group
			g.SizeLimit = 7
			must(t, s.UpdateGroup(ctx, &g))
			_, err := s.RequestToJoin(ctx, w.group.ID, member(t, s, "eighth", w.site.ID).ID)
			wantErr(t, err, peercircle.EINVALID, "group.full")
		})
		t.Run("an open group lets people in at once", func(t *testing.T) {
			g := *w.group
			g.Membership, g.SizeLimit = peercircle.MembershipOpen, 0
			must(t, s.UpdateGroup(ctx, &g))
			out, err := s.RequestToJoin(ctx, w.group.ID, member(t, s, "walkin", w.site.ID).ID)
			must(t, err)
			if out != peercircle.JoinedOpen {
				t.Fatalf("outcome %s", out)
			}
		})
	})
}

func TestContactAddressIsSealedAndConsentsKeepTheirHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		m, _ := s.Membership(ctx, w.group.ID, w.people[0].ID)
		m.DisplayName, m.Unlisted = "Umm Ali", true
		m.Contact = peercircle.Contact{Channel: peercircle.ChannelWhatsApp, Address: "+962 79 555 0101"}
		must(t, s.UpdateMembershipPrefs(ctx, m))
		var raw []byte
		must(t, s.DB.QueryRow(ctx, "SELECT contact_sealed FROM memberships WHERE id = ?", m.ID).Scan(&raw))
		if bytes.Contains(raw, []byte("555")) {
			t.Fatal("the address is stored in clear")
		}
		if got, err := s.ContactAddress(ctx, m.ID); err != nil || got != "+962 79 555 0101" {
			t.Fatalf("address = %q, %v", got, err)
		}
		got, _ := s.Membership(ctx, w.group.ID, w.people[0].ID)
		if got.DisplayName != "Umm Ali" || !got.Unlisted || got.Contact.Channel != peercircle.ChannelWhatsApp {
			t.Fatalf("prefs %+v", got)
		}
		bad := *got
		bad.Contact = peercircle.Contact{Channel: peercircle.ChannelEmail, Address: "not an address"}
		wantErr(t, s.UpdateMembershipPrefs(ctx, &bad), peercircle.EINVALID, "error.email")

		must(t, s.GiveConsent(ctx, m.ID, peercircle.ConsentContact))
		wantErr(t, s.GiveConsent(ctx, m.ID, peercircle.ConsentContact), peercircle.ECONFLICT, "consent.already")
		w.clock.Add(time.Hour)
		must(t, s.WithdrawConsent(ctx, m.ID, peercircle.ConsentContact))
		w.clock.Add(time.Hour)
		must(t, s.GiveConsent(ctx, m.ID, peercircle.ConsentContact))
		cs, _ := s.Consents(ctx, m.ID)
		if len(cs) != 2 || !cs[0].Active() || cs[1].Active() {
			t.Fatalf("consents %+v", cs)
		}
	})
}

func TestEthicsVersionsAndAcknowledgements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		v1 := &peercircle.CodeOfEthics{GroupID: w.group.ID, Body: "Keep what is said here in the room.", AuthorID: w.org.ID}
		must(t, s.SaveEthics(ctx, v1))
		for _, p := range w.people[:4] {
			must(t, s.Acknowledge(ctx, v1.ID, p.ID))
		}
		missing, _ := s.NotAcknowledged(ctx, w.group.ID)
		if !slices.Equal(missing, []int64{w.people[4].ID, w.people[5].ID}) {
			t.Fatalf("not acknowledged %v", missing)
		}
		v2 := &peercircle.CodeOfEthics{GroupID: w.group.ID, Body: "Keep what is said here in the room.\nTake turns.", AuthorID: w.org.ID}
		must(t, s.SaveEthics(ctx, v2))
		if v2.Version != 2 {
			t.Fatalf("version %d", v2.Version)
		}
		missing, _ = s.NotAcknowledged(ctx, w.group.ID)
		if len(missing) != 6 {
			t.Fatalf("a new version should ask everyone again, missing %v", missing)
		}
		wantErr(t, s.Acknowledge(ctx, v1.ID, w.people[0].ID), peercircle.ECONFLICT, "ethics.not_current")

		// The group page reads the version in force and the reader's
		// acknowledgement in one statement.
		must(t, s.Acknowledge(ctx, v2.ID, w.people[1].ID))
		for _, p := range w.people[:3] {
			e, acked, err := s.EthicsFor(ctx, w.group.ID, p.ID)
			if err != nil || e.ID != v2.ID || e.Version != 2 || e.Body != v2.Body || acked != (p == w.people[1]) {
				t.Fatalf("%s: %+v acknowledged %v, %v", p.Username, e, acked, err)
			}
		}
		if _, _, err := s.EthicsFor(ctx, w.group.ID+1000, w.people[0].ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Fatalf("a group without a code: %v", err)
		}
	})
}

func TestMaterialisingTheStaffSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		w.staffSchedule(t)
		t.Run("twelve weeks ahead hold five meetings at 14:00 Amman time (the last Tuesday of March is the 31st)", func(t *testing.T) {
			got := dates(w.upcoming(t))
			want := []string{"2026-01-13/planned", "2026-01-27/planned", "2026-02-10/planned", "2026-02-24/planned", "2026-03-10/planned"}
			if !slices.Equal(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
			loc, _ := time.LoadLocation("Asia/Amman")
			for _, m := range w.upcoming(t) {
				if l := m.PlannedStart.In(loc); l.Hour() != 14 || m.PlannedEnd.Sub(m.PlannedStart) != 2*time.Hour || m.Occurrence == nil {
					t.Fatalf("session %+v", m)
				}
			}
		})
		t.Run("running it again changes nothing", func(t *testing.T) {
			r, err := s.Materialise(ctx, w.group.ID, peercircle.DefaultHorizon)
			must(t, err)
			if r.Added+r.Updated+r.Removed != 0 {
				t.Fatalf("result %+v", r)
			}
		})
		ss := w.upcoming(t)
		must(t, s.CancelSession(ctx, ss[1].ID, "Vaccination campaign", w.org.ID))
		must(t, s.RSVP(ctx, ss[2].ID, w.people[0].ID, peercircle.AttendExpected))
		t.Run("a changed rule moves untouched meetings, keeps edited ones and cancels answered ones", func(t *testing.T) {
			must(t, s.SaveSchedule(ctx, &peercircle.GroupSchedule{GroupID: w.group.ID, Preset: "staff", Rule: "FREQ=MONTHLY;BYDAY=2WE,-1WE",
				StartDate: "2026-01-01", StartTime: "13:00", Minutes: 120}))
			got := dates(w.upcoming(t))
			want := []string{"2026-01-14/planned", "2026-01-27/cancelled", "2026-01-28/planned", "2026-02-10/cancelled", "2026-02-11/planned",
				"2026-02-25/planned", "2026-03-11/planned", "2026-03-25/planned"}
			if !slices.Equal(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
			after := w.upcoming(t)
			if after[1].StatusReason != "Vaccination campaign" || after[3].StatusReason != "schedule.changed_reason" {
				t.Fatalf("reasons %q %q", after[1].StatusReason, after[3].StatusReason)
			}
		})
		t.Run("changing back brings the answered meeting back", func(t *testing.T) {
			w.staffSchedule(t)
			got := dates(w.upcoming(t))
			want := []string{"2026-01-13/planned", "2026-01-27/cancelled", "2026-02-10/planned", "2026-02-24/planned", "2026-03-10/planned"}
			if !slices.Equal(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
		})
		t.Run("the horizon moves with the periodic job", func(t *testing.T) {
			w.clock.Add(30 * 24 * time.Hour)
			r, err := s.MaterialiseAll(ctx, peercircle.DefaultHorizon)
			must(t, err)
			if r.Groups != 1 || r.Added != 3 {
				t.Fatalf("result %+v", r)
			}
		})
		t.Run("an impossible rule is refused and changes nothing", func(t *testing.T) {
			before := dates(w.upcoming(t))
			err := s.SaveSchedule(ctx, &peercircle.GroupSchedule{GroupID: w.group.ID, Rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31",
				StartDate: "2026-01-01", StartTime: "14:00", Minutes: 120})
			wantErr(t, err, peercircle.EINVALID, "schedule.error.never")
			err = s.SaveSchedule(ctx, &peercircle.GroupSchedule{GroupID: w.group.ID, Rule: "FREQ=WEEKLY", StartDate: "2026-01-01", StartTime: "14:00", Minutes: 13 * 60})
			wantErr(t, err, peercircle.EINVALID, "schedule.error.too_long")
			if after := dates(w.upcoming(t)); !slices.Equal(before, after) {
				t.Fatalf("sessions changed: %v → %v", before, after)
			}
		})
	})
}

func TestPostponingAndAnsweringAhead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		w.staffSchedule(t)
		ss := w.upcoming(t)
		to := ss[0].PlannedStart.Add(48 * time.Hour)
		moved, err := s.PostponeSession(ctx, ss[0].ID, "The room is needed for a clinic", &to, w.org.ID)
		must(t, err)
		if id, _ := s.MovedTo(ctx, ss[0].ID); id != moved.ID || moved.LocalDate != "2026-01-15" {
			t.Fatalf("moved to %d %+v", id, moved)
		}
		wantErr(t, s.CancelSession(ctx, ss[0].ID, "again", w.org.ID), peercircle.ECONFLICT, "session.not_upcoming")
		wantErr(t, s.CancelSession(ctx, ss[1].ID, "  ", w.org.ID), peercircle.EINVALID, "error.required")
		must(t, s.RSVP(ctx, moved.ID, w.people[1].ID, peercircle.AttendApologies))
		as, _ := s.Attendances(ctx, moved.ID)
		if len(as) != 1 || as[0].Status != peercircle.AttendApologies || as[0].Kind != peercircle.AttendMember {
			t.Fatalf("attendance %+v", as)
		}
		wantErr(t, s.RSVP(ctx, moved.ID, w.org.ID, peercircle.AttendExpected), peercircle.EFORBIDDEN, "")
		w.clock.Add(11 * 24 * time.Hour) // after the moved meeting started
		wantErr(t, s.RSVP(ctx, moved.ID, w.people[1].ID, peercircle.AttendExpected), peercircle.ECONFLICT, "session.rsvp_closed")
	})
}

func TestRotationIsFair(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		a, b, c := w.people[0], w.people[1], w.people[2]
		for _, p := range []*peercircle.Person{a, b, c} {
			must(t, s.SetOffers(ctx, w.group.ID, p.ID, []string{peercircle.VolunteerFacilitator}))
		}
		// The rota is planned as the schedule makes the meetings.
		w.staffSchedule(t)
		facs := func() []int64 {
			var out []int64
			for _, m := range w.upcoming(t) {
				if m.Status == peercircle.SessionPlanned {
					out = append(out, m.FacilitatorID)
				}
			}
			return out
		}
		t.Run("three who offered take turns in order", func(t *testing.T) {
			if got := facs(); !slices.Equal(got, []int64{a.ID, b.ID, c.ID, a.ID, b.ID}) {
				t.Fatalf("facilitators %v", got)
			}
		})
		t.Run("someone on leave is skipped and their turns go to the others", func(t *testing.T) {
			mb, _ := s.Membership(ctx, w.group.ID, b.ID)
			must(t, s.SetLeave(ctx, mb.ID, true, ""))
			got := facs()
			if slices.Contains(got, b.ID) {
				t.Fatalf("on leave but facilitating: %v", got)
			}
			n := map[int64]int{}
			for _, id := range got {
				n[id]++
			}
			if n[a.ID]+n[c.ID] != 5 || n[a.ID] < 2 || n[c.ID] < 2 {
				t.Fatalf("turns %v", n)
			}
			must(t, s.SetLeave(ctx, mb.ID, false, ""))
		})
		t.Run("a newcomer joins level instead of taking every turn, and moves nobody's planned turn", func(t *testing.T) {
			before := facs()
			d := w.people[3]
			must(t, s.SetOffers(ctx, w.group.ID, d.ID, []string{peercircle.VolunteerFacilitator, peercircle.VolunteerTimekeeper}))
			n := map[int64]int{}
			for _, id := range facs() {
				n[id]++
			}
			if n[d.ID] > 2 {
				t.Fatalf("the newcomer facilitates %d of 6", n[d.ID])
			}
			if got := facs(); !slices.Equal(got, before) {
				t.Fatalf("a new offer moved planned turns: %v → %v", before, got)
			}
		})
		t.Run("when the facilitator sends apologies the organiser is offered the next person", func(t *testing.T) {
			first := w.upcoming(t)[0]
			must(t, s.RSVP(ctx, first.ID, first.FacilitatorID, peercircle.AttendApologies))
			ns, _ := s.Notifications(ctx, w.org.ID, true, 10)
			if len(ns) == 0 || ns[0].Kind != "facilitator_apologies" {
				t.Fatalf("organiser notifications %+v", ns)
			}
			sub, err := s.Substitute(ctx, first.ID)
			must(t, err)
			if sub == first.FacilitatorID || sub == 0 {
				t.Fatalf("substitute %d for %d", sub, first.FacilitatorID)
			}
			must(t, s.AssignTurn(ctx, first.ID, peercircle.VolunteerFacilitator, sub, w.org.ID))
			got, _ := s.Session(ctx, first.ID)
			if got.FacilitatorID != sub || got.Sequence == first.Sequence {
				t.Fatalf("after substitute %+v", got)
			}
			turns, _ := s.Turns(ctx, []int64{first.ID})
			if len(turns) == 0 || !turns[0].Manual {
				t.Fatalf("turns %+v", turns)
			}
		})
		t.Run("other roles rotate the same way, and nobody holds two roles at one meeting", func(t *testing.T) {
			ss := w.upcoming(t)
			ids := []int64{}
			for _, m := range ss {
				ids = append(ids, m.ID)
			}
			turns, _ := s.Turns(ctx, ids)
			held := map[int64][]int64{}
			keepers := 0
			for _, tr := range turns {
				if slices.Contains(held[tr.SessionID], tr.PersonID) {
					t.Fatalf("person %d holds two roles at session %d", tr.PersonID, tr.SessionID)
				}
				held[tr.SessionID] = append(held[tr.SessionID], tr.PersonID)
				if tr.Role == peercircle.VolunteerTimekeeper {
					keepers++
				}
			}
			d := w.people[3].ID
			want := 0
			for _, m := range ss {
				if m.FacilitatorID != d {
					want++
				}
			}
			if keepers != want {
				t.Fatalf("%d timekeeper turns, want %d (the only timekeeper facilitates the others)", keepers, want)
			}
		})
	})
}

func TestSplittingAndEndingAGroup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		w.staffSchedule(t)
		must(t, s.SaveEthics(ctx, &peercircle.CodeOfEthics{GroupID: w.group.ID, Body: "Confidentiality."}))
		v, _ := s.CurrentEthics(ctx, w.group.ID)
		must(t, s.Acknowledge(ctx, v.ID, w.people[4].ID))
		ng, err := s.SplitGroup(ctx, peercircle.SplitRequest{GroupID: w.group.ID, Name: "Staff PSG (afternoon)", MemberIDs: []int64{w.people[4].ID, w.people[5].ID}, By: w.org.ID})
		must(t, err)
		if ng.SplitFromID != w.group.ID {
			t.Fatalf("new group %+v", ng)
		}
		old, _ := s.Membership(ctx, w.group.ID, w.people[4].ID)
		moved, _ := s.Membership(ctx, ng.ID, w.people[4].ID)
		if old.Status != peercircle.MemberLeft || moved.Status != peercircle.MemberActive {
			t.Fatalf("old %s, new %s", old.Status, moved.Status)
		}
		if missing, _ := s.NotAcknowledged(ctx, ng.ID); !slices.Equal(missing, []int64{w.people[5].ID}) {
			t.Fatalf("not acknowledged in the new group: %v", missing)
		}
		if n := len(w.upcomingOf(t, ng.ID)); n != 5 {
			t.Fatalf("the new group has %d sessions", n)
		}
		_, err = s.SplitGroup(ctx, peercircle.SplitRequest{GroupID: w.group.ID, Name: "Nobody", By: w.org.ID})
		wantErr(t, err, peercircle.EINVALID, "group.split_choose")

		must(t, s.EndGroup(ctx, ng.ID, w.org.ID))
		if n := len(w.upcomingOf(t, ng.ID)); n != 0 {
			t.Fatalf("an ended group still has %d meetings", n)
		}
		wantErr(t, s.EndGroup(ctx, ng.ID, w.org.ID), peercircle.ENOTFOUND, "")
	})
}

func (w *groupWorld) upcomingOf(t *testing.T, groupID int64) []*peercircle.Session {
	ss, err := w.s.Sessions(context.Background(), peercircle.SessionFilter{GroupID: groupID, From: w.clock.Now(), Statuses: []string{peercircle.SessionPlanned}})
	must(t, err)
	return ss
}

func TestCalendarFeedLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		f, err := s.CalendarFeed(ctx, w.people[0].ID, 0)
		must(t, err)
		again, _ := s.CalendarFeed(ctx, w.people[0].ID, 0)
		if again.Token != f.Token || len(f.Token) < 40 {
			t.Fatalf("tokens %q %q", f.Token, again.Token)
		}
		if got, err := s.FeedByToken(ctx, f.Token); err != nil || got.PersonID != w.people[0].ID {
			t.Fatalf("by token %+v %v", got, err)
		}
		renewed, err := s.RenewCalendarFeed(ctx, w.people[0].ID, 0)
		must(t, err)
		_, err = s.FeedByToken(ctx, f.Token)
		wantErr(t, err, peercircle.EINVALID, "feed.renewed")
		if got, err := s.FeedByToken(ctx, renewed.Token); err != nil || got.ID != renewed.ID {
			t.Fatalf("renewed %+v %v", got, err)
		}
		_, err = s.FeedByToken(ctx, "not-a-real-token-but-long-enough")
		wantErr(t, err, peercircle.ENOTFOUND, "")
		g, _ := s.CalendarFeed(ctx, w.people[0].ID, w.group.ID)
		if g.Token == renewed.Token || g.GroupID != w.group.ID {
			t.Fatalf("group feed %+v", g)
		}
	})
}

// Issue 11, item 12: a feed counts a change of an event whenever what it
// serves differs, once, and writes nothing when nothing changed.
func TestCalendarEventVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		start := w.clock.Now().Add(48 * time.Hour)
		a := &peercircle.Session{GroupID: w.group.ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour), LocalDate: start.Format(time.DateOnly), Status: peercircle.SessionPlanned}
		b := &peercircle.Session{GroupID: w.group.ID, PlannedStart: start.Add(7 * 24 * time.Hour), PlannedEnd: start.Add(7*24*time.Hour + 2*time.Hour), LocalDate: start.Add(7 * 24 * time.Hour).Format(time.DateOnly), Status: peercircle.SessionPlanned}
		must(t, s.AddSession(ctx, a))
		must(t, s.AddSession(ctx, b))
		f, err := s.CalendarFeed(ctx, w.people[0].ID, 0)
		must(t, err)
		v, err := s.EventVersions(ctx, f.ID, map[int64]string{a.ID: "x1", b.ID: "y1"})
		must(t, err)
		if v[a.ID].Bumps != 0 || !v[a.ID].ChangedAt.IsZero() || v[b.ID].Bumps != 0 {
			t.Fatalf("first time: %+v", v)
		}
		w.clock.Add(time.Hour)
		v, err = s.EventVersions(ctx, f.ID, map[int64]string{a.ID: "x2", b.ID: "y1"})
		must(t, err)
		if v[a.ID].Bumps != 1 || !v[a.ID].ChangedAt.Equal(w.clock.Now()) || v[b.ID].Bumps != 0 {
			t.Fatalf("after a's change: %+v", v)
		}
		w.clock.Add(time.Hour)
		v, err = s.EventVersions(ctx, f.ID, map[int64]string{a.ID: "x2", b.ID: "y1"})
		must(t, err)
		if v[a.ID].Bumps != 1 || v[a.ID].ChangedAt.Equal(w.clock.Now()) {
			t.Fatalf("nothing changed, yet: %+v", v)
		}
		other, _ := s.CalendarFeed(ctx, w.people[1].ID, 0)
		v, err = s.EventVersions(ctx, other.ID, map[int64]string{a.ID: "x2"})
		must(t, err)
		if v[a.ID].Bumps != 0 {
			t.Fatalf("another feed shares the count: %+v", v)
		}
	})
}

func TestVenuesAndAgendaTemplates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		v := &peercircle.Venue{SiteID: w.site.ID, Name: "Training room", Capacity: 14, Accessible: true, QuietPrivate: true, Toilets: true}
		must(t, s.SaveVenue(ctx, v))
		bad := &peercircle.Venue{SiteID: w.site.ID, Name: "Online", Virtual: true, MeetingLink: "http://insecure.example"}
		wantErr(t, s.SaveVenue(ctx, bad), peercircle.EINVALID, "venue.error.link")
		ts, err := s.Templates(ctx, w.site.ID)
		must(t, err)
		if len(ts) != 2 || ts[0].NameKey != peercircle.TemplateStaffKey || ts[0].Minutes() != 120 || len(ts[1].Segments) != 5 {
			t.Fatalf("built-in templates %+v", ts)
		}
		own := &peercircle.AgendaTemplate{SiteID: w.site.ID, Name: "Short", Segments: []peercircle.AgendaSegment{{Kind: peercircle.SegmentWelcome, Name: "Hello", Minutes: 10}}}
		must(t, s.SaveTemplate(ctx, own))
		wantErr(t, s.SaveTemplate(ctx, ts[0]), peercircle.EFORBIDDEN, "")
		g := *w.group
		g.VenueID, g.AgendaTemplateID = v.ID, own.ID
		must(t, s.UpdateGroup(ctx, &g))
		got, _ := s.Group(ctx, g.ID)
		if got.VenueID != v.ID || got.AgendaTemplateID != own.ID {
			t.Fatalf("group %+v", got)
		}
	})
}

// Issue 14's benchmark found calendar feeds failing with "deadlock
// detected" on PostgreSQL: requests for one feed at once wrote its events'
// rows in map order. They write in one order now; many at once all succeed.
func TestCalendarEventVersionsAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGroupWorld(t, s)
		start := w.clock.Now().Add(48 * time.Hour)
		var ids []int64
		for i := range 40 {
			at := start.Add(time.Duration(i) * 24 * time.Hour)
			m := &peercircle.Session{GroupID: w.group.ID, PlannedStart: at, PlannedEnd: at.Add(time.Hour), LocalDate: at.Format(time.DateOnly), Status: peercircle.SessionPlanned}
			must(t, s.AddSession(ctx, m))
			ids = append(ids, m.ID)
		}
		f, err := s.CalendarFeed(ctx, w.people[0].ID, 0)
		must(t, err)
		for round := range 4 {
			digests := map[int64]string{}
			for _, id := range ids {
				digests[id] = fmt.Sprintf("d%d-%d", round, id)
			}
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for range 8 {
				wg.Go(func() {
					if _, err := s.EventVersions(ctx, f.ID, digests); err != nil {
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	})
}
