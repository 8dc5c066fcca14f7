package sqlstore_test

import (
	"context"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// Issue 10, item 1: a change of sign-in identity is the owner's, ends the
// account's other sessions and voids its reset and invitation links.
func TestIdentityChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		alive := func(token string) bool { _, err := s.AuthSession(ctx, token); return err == nil }

		t.Run("an e-mail changed by UpdatePerson ends sessions and voids reset links", func(t *testing.T) {
			p := person(t, s, "rana")
			tok, _, _ := s.CreateAuthSession(ctx, p.ID)
			reset, _, err := s.CreateReset(ctx, "rana", "192.0.2.1")
			if err != nil || reset == "" {
				t.Fatal(err)
			}
			p.Email = "rana2@example.org"
			if err := s.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			if alive(tok) {
				t.Fatal("the session survived")
			}
			if _, err := s.ResetPassword(ctx, reset, "a brand new long password"); peercircle.ErrorKey(err) != "auth.link_expired" {
				t.Fatalf("reset link still works: %v", err)
			}
		})

		t.Run("a proposal changes nothing until the owner confirms it", func(t *testing.T) {
			owner := person(t, s, "salma")
			admin := person(t, s, "admin1")
			mine, _, _ := s.CreateAuthSession(ctx, owner.ID)
			other, _, _ := s.CreateAuthSession(ctx, owner.ID)
			reset, _, err := s.CreateReset(ctx, "salma", "192.0.2.1")
			if err != nil || reset == "" {
				t.Fatal(err)
			}
			c, err := s.ProposeEmail(ctx, owner.ID, admin.ID, "Salma.New@Example.org")
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Person(ctx, owner.ID); got.Email != "salma@example.org" {
				t.Fatalf("e-mail changed before confirmation: %q", got.Email)
			}
			pending, err := s.PendingEmail(ctx, owner.ID)
			if err != nil || pending.ID != c.ID || pending.NewEmail != "salma.new@example.org" || pending.ProposedBy != admin.ID {
				t.Fatalf("pending = %+v, %v", pending, err)
			}
			ns, _ := s.Notifications(ctx, owner.ID, true, 10)
			if len(ns) != 1 || ns[0].Kind != "email_proposed" {
				t.Fatalf("notifications = %+v", ns)
			}
			if err := s.ConfirmEmail(ctx, owner.ID, c.ID, mine); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Person(ctx, owner.ID); got.Email != "salma.new@example.org" {
				t.Fatalf("e-mail = %q", got.Email)
			}
			if !alive(mine) || alive(other) {
				t.Fatalf("sessions: mine %v, other %v", alive(mine), alive(other))
			}
			if _, err := s.ResetPassword(ctx, reset, "a brand new long password"); peercircle.ErrorKey(err) != "auth.link_expired" {
				t.Fatalf("the reset link sent before the change still works: %v", err)
			}
			if _, err := s.PendingEmail(ctx, owner.ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("still pending: %v", err)
			}
		})

		t.Run("a declined proposal cannot be confirmed", func(t *testing.T) {
			owner := person(t, s, "nour")
			c, err := s.ProposeEmail(ctx, owner.ID, 0, "nour2@example.org")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DeclineEmail(ctx, owner.ID, c.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.ConfirmEmail(ctx, owner.ID, c.ID, ""); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("someone else's pending proposal cannot be confirmed", func(t *testing.T) {
			a, b := person(t, s, "amal"), person(t, s, "badr")
			c, err := s.ProposeEmail(ctx, a.ID, 0, "amal2@example.org")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ConfirmEmail(ctx, b.ID, c.ID, ""); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("a taken address cannot be proposed", func(t *testing.T) {
			a := person(t, s, "dana")
			person(t, s, "eman")
			if _, err := s.ProposeEmail(ctx, a.ID, 0, "eman@example.org"); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("the owner changes their e-mail with their password and the old address can undo it", func(t *testing.T) {
			owner := person(t, s, "farah")
			mine, _, _ := s.CreateAuthSession(ctx, owner.ID)
			other, _, _ := s.CreateAuthSession(ctx, owner.ID)
			if _, _, err := s.ChangeOwnEmail(ctx, owner.ID, "not my password", "farah2@example.org", mine); peercircle.ErrorFields(err)["current_password"] != "auth.password_wrong" {
				t.Fatalf("wrong password: %v", err)
			}
			if !alive(other) {
				t.Fatal("a refused change ended a session")
			}
			undo, old, err := s.ChangeOwnEmail(ctx, owner.ID, goodPassword, "farah2@example.org", mine)
			if err != nil || undo == "" || old != "farah@example.org" {
				t.Fatalf("undo %q old %q err %v", undo, old, err)
			}
			if !alive(mine) || alive(other) {
				t.Fatalf("sessions: mine %v, other %v", alive(mine), alive(other))
			}
			p, err := s.UndoEmail(ctx, undo)
			if err != nil || p.Email != "farah@example.org" {
				t.Fatalf("undo: %+v %v", p, err)
			}
			if alive(mine) {
				t.Fatal("undo left a session signed in")
			}
			if _, err := s.UndoEmail(ctx, undo); peercircle.ErrorKey(err) != "auth.link_expired" {
				t.Fatalf("undo twice: %v", err)
			}
		})

		t.Run("a changed username ends sessions and voids invitations", func(t *testing.T) {
			p := &peercircle.Person{Username: "ghada", FullName: "Ghada", Status: peercircle.PersonInvited}
			if err := s.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			inv, err := s.CreateInvitation(ctx, p.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			p.Username = "ghada2"
			p.Email = "ghada@example.org" // no password yet: no owner to ask
			if err := s.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Invitation(ctx, inv); peercircle.ErrorKey(err) != "auth.link_expired" {
				t.Fatalf("invitation still works: %v", err)
			}
		})
	})
}
