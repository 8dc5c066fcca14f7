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
