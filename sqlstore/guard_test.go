package sqlstore_test

import (
	"context"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/guard"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// Supervision notes are about the supervisee's work with clients: the
// confidentiality guard refuses names and identifiers in them unless the
// supervisor confirms "not a person"; confirmations are counted in the
// audit log and not kept.
func TestSupervisionNotesAreGuarded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newGrowthWorld(t, s)
		v := &peercircle.SupervisionSession{SupervisorID: w.supervisor.ID, SuperviseeID: w.peer.ID, HeldOn: "2026-03-01",
			TaskNotes: "The client Rami missed two appointments", ProcessNotes: "Worried; call 079 555 1234", FollowUps: "Meet in a month"}
		err := s.SaveSupervision(ctx, v)
		f := peercircle.ErrorFields(err)
		if f["task_notes"] != "guard.unconfirmed" || f["process_notes"] != "guard.unconfirmed" || f["follow_ups"] != "" {
			t.Fatalf("err = %v, fields %v", err, f)
		}
		v.Allowed = map[string][]string{"task_notes": {guard.Key("Rami")}, "process_notes": {guard.Key("079 555 1234")}}
		must(t, s.SaveSupervision(ctx, v))
		if n := auditCount(t, s, "guard.confirm", v.ID); n != 1 {
			t.Fatalf("%d guard.confirm events", n)
		}
		var detail string
		must(t, s.DB.QueryRow(ctx, "SELECT detail FROM audit_events WHERE action = 'guard.confirm' AND target_id = ?", v.ID).Scan(&detail))
		if detail != "count=2" {
			t.Fatalf("detail %q", detail)
		}
		// The supervisee's name, as registered, is a name too.
		bad := &peercircle.SupervisionSession{SupervisorID: w.supervisor.ID, SuperviseeID: w.peer.ID, HeldOn: "2026-03-01", TaskNotes: "Peer was tired"}
		if peercircle.ErrorFields(s.SaveSupervision(ctx, bad))["task_notes"] != "guard.unconfirmed" {
			t.Fatal("the supervisee's own name went through")
		}
	})
}

// A support request's message is guarded; the way to be contacted has its
// own field and is not.
func TestSupportRequestMessageIsGuarded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newSafetyWorld(t, s)
		req := &peercircle.SupportRequest{PersonID: w.peer.ID, GroupID: w.group.ID, To: peercircle.RequestToFacilitators,
			Message: "My colleague Ziad shouts at me", Contact: peercircle.Contact{Channel: peercircle.ChannelWhatsApp, Address: "+962 79 123 4567"}}
		if f := peercircle.ErrorFields(s.CreateSupportRequest(ctx, req)); f["message"] != "guard.unconfirmed" {
			t.Fatalf("fields %v", f)
		}
		req.Allowed = []string{guard.Key("Ziad")}
		must(t, s.CreateSupportRequest(ctx, req))
		if n := auditCount(t, s, "guard.confirm", req.ID); n != 1 {
			t.Fatalf("%d guard.confirm events", n)
		}
		// The group's members are protected names.
		names, err := s.NamesOf(ctx, w.group.ID)
		must(t, err)
		if len(names) == 0 {
			t.Fatal("no names for the group")
		}
	})
}

// The walkthrough of issue 13: a member registered as "Dina Qasem" is
// written دينا قاسم in an Arabic Sheet 2, an agenda title and anonymous
// feedback; each save is refused until the name is removed or confirmed.
func TestGuardWalkthroughDinaQasemInArabic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		dina := &peercircle.Person{Username: "dina", FullName: "Dina Qasem", HomeSiteID: m.site.ID, Status: peercircle.PersonActive}
		must(t, s.CreatePerson(ctx, dina))
		must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: m.group.ID, PersonID: dina.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive}))
		sid := m.session.ID

		t.Run("an agenda title", func(t *testing.T) {
			it := &peercircle.AgendaItem{SessionID: sid, AuthorID: m.members[0].ID, Kind: peercircle.ItemIssue, Title: "ضغط العمل عند دينا"}
			if f := peercircle.ErrorFields(s.ProposeItem(ctx, it)); f["title"] != "guard.unconfirmed" {
				t.Fatalf("fields %v", f)
			}
		})
		t.Run("an Arabic Sheet 2", func(t *testing.T) {
			su := &peercircle.Summary{SessionID: sid, Topic: "الإسعاف النفسي الأولي", CasesDiscussed: 1,
				Notes: map[string]string{peercircle.NoteKeyIssues: "ناقشنا حالة صعبة، وقالت دينا قاسم إنها تحتاج إلى دعم."}}
			if f := peercircle.ErrorFields(s.SaveSummary(ctx, su, m.facilitator.ID)); f[peercircle.NoteKeyIssues] != "guard.unconfirmed" {
				t.Fatalf("fields %v", f)
			}
			su.Notes[peercircle.NoteKeyIssues] = "ناقشنا حالة صعبة، وقالت زميلة إنها تحتاج إلى دعم."
			must(t, s.SaveSummary(ctx, su, m.facilitator.ID))
		})
		t.Run("anonymous feedback", func(t *testing.T) {
			for _, p := range append([]*peercircle.Person{dina}, m.members[:2]...) {
				must(t, s.MarkPresent(ctx, sid, p.ID, true))
			}
			if _, err := s.StartLive(ctx, sid); err != nil {
				t.Fatal(err)
			}
			must(t, s.OpenFeedback(ctx, sid))
			code, err := s.ScreenCode(ctx, sid)
			must(t, err)
			must(t, s.OpenToken(ctx, sid, code))
			r := &peercircle.FeedbackResponse{Notes: map[string]string{"meaningful": "شكراً لدينا قاسم على التنظيم"}}
			if f := peercircle.ErrorFields(s.SubmitFeedback(ctx, sid, code, r)); f["meaningful"] != "guard.unconfirmed" {
				t.Fatalf("fields %v", f)
			}
		})
	})
}
