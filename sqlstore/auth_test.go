package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

const goodPassword = "olive trees at dusk"

// person adds an active person with a password.
func person(t *testing.T, s *sqlstore.Store, username string) *peercircle.Person {
	t.Helper()
	ctx := context.Background()
	p := &peercircle.Person{Username: username, Email: username + "@example.org", FullName: "Test " + username, Status: peercircle.PersonActive}
	if err := s.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, p.ID, goodPassword); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		_, _, site := tree(t, s)
		huda := person(t, s, "huda")

		t.Run("a username is taken whatever its case", func(t *testing.T) {
			dup := &peercircle.Person{Username: "HUDA", FullName: "Another Huda", Status: peercircle.PersonActive}
			err := s.CreatePerson(ctx, dup)
			if peercircle.ErrorCode(err) != peercircle.ECONFLICT || peercircle.ErrorKey(err) != "people.login_taken" {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("a person is found by e-mail or username in any case", func(t *testing.T) {
			for _, login := range []string{"huda", "HUDA@example.org", " Huda "} {
				p, err := s.PersonByLogin(ctx, login)
				if err != nil || p.ID != huda.ID {
					t.Fatalf("%q: %+v, %v", login, p, err)
				}
			}
			if _, err := s.PersonByLogin(ctx, "nobody"); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("someone without a login cannot be saved as able to sign in", func(t *testing.T) {
			err := s.CreatePerson(ctx, &peercircle.Person{FullName: "No Login", Status: peercircle.PersonActive})
			if peercircle.ErrorFields(err)["email"] != "error.login_required" {
				t.Fatalf("err = %v", err)
			}
			if err := s.CreatePerson(ctx, &peercircle.Person{FullName: "Visitor", Status: peercircle.PersonNoLogin}); err != nil {
				t.Fatalf("a person without an account: %v", err)
			}
		})

		t.Run("people are found by part of a name", func(t *testing.T) {
			ps, total, err := s.FindPeople(ctx, peercircle.PersonFilter{Query: "UDA"})
			if err != nil || total != 1 || len(ps) != 1 || ps[0].ID != huda.ID {
				t.Fatalf("found %d (%d), %v", len(ps), total, err)
			}
		})

		t.Run("a common password is refused", func(t *testing.T) {
			err := s.SetPassword(ctx, huda.ID, "password123")
			if peercircle.ErrorKey(err) != "auth.password_common" {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("grants are added, listed and removed", func(t *testing.T) {
			g := &peercircle.Grant{PersonID: huda.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: site.ID}
			if err := s.AddGrant(ctx, g); err != nil {
				t.Fatal(err)
			}
			if err := s.AddGrant(ctx, &peercircle.Grant{PersonID: huda.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: site.ID}); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
				t.Fatalf("duplicate grant: %v", err)
			}
			if err := s.AddGrant(ctx, &peercircle.Grant{PersonID: huda.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeArea, ScopeID: 1}); peercircle.ErrorCode(err) != peercircle.EINVALID {
				t.Fatalf("organiser of an area: %v", err)
			}
			if err := s.AddGrant(ctx, &peercircle.Grant{PersonID: huda.ID, Role: peercircle.RoleCoordinator, ScopeKind: peercircle.ScopeArea, ScopeID: 999}); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("grant in a missing area: %v", err)
			}
			gs, err := s.Grants(ctx, huda.ID)
			if err != nil || len(gs) != 1 {
				t.Fatalf("grants = %v, %v", gs, err)
			}
			p, err := s.Principal(ctx, huda.ID)
			if err != nil || !p.HasRole(peercircle.RoleOrganiser) {
				t.Fatalf("principal = %+v, %v", p, err)
			}
			if err := s.RemoveGrant(ctx, g.ID); err != nil {
				t.Fatal(err)
			}
			if gs, _ := s.Grants(ctx, huda.ID); len(gs) != 0 {
				t.Fatalf("grants after removal = %v", gs)
			}
		})
	})
}

func TestSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := storetest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		s.Now = clock.Now
		rana := person(t, s, "rana")

		t.Run("the right password signs in by username or e-mail", func(t *testing.T) {
			for _, login := range []string{"rana", "Rana@Example.org"} {
				p, device, err := s.Authenticate(ctx, peercircle.SignIn{Login: login, Password: goodPassword, Addr: "10.0.0.1"})
				if err != nil || p.ID != rana.ID || device == "" {
					t.Fatalf("%s: %+v %q %v", login, p, device, err)
				}
			}
		})

		t.Run("a wrong password and an unknown account give the same answer", func(t *testing.T) {
			_, _, e1 := s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: "not her password", Addr: "10.0.0.2"})
			_, _, e2 := s.Authenticate(ctx, peercircle.SignIn{Login: "nobody", Password: "not her password", Addr: "10.0.0.2"})
			if peercircle.ErrorKey(e1) != "auth.signin_failed" || e1.Error() != e2.Error() {
				t.Fatalf("e1 = %v, e2 = %v", e1, e2)
			}
		})

		t.Run("five failures from one address stop that address for that account", func(t *testing.T) {
			for i := 0; i < peercircle.ThrottlePerLoginAddr; i++ {
				s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: "guess guess", Addr: "10.0.0.3"})
			}
			_, _, err := s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: goodPassword, Addr: "10.0.0.3"})
			if peercircle.ErrorCode(err) != peercircle.ETOOMANY {
				t.Fatalf("err = %v", err)
			}
			if _, _, err := s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: goodPassword, Addr: "10.0.0.4"}); err != nil {
				t.Fatalf("another address is refused: %v", err)
			}
			clock.Add(peercircle.ThrottleWindow + time.Second)
			if _, _, err := s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: goodPassword, Addr: "10.0.0.3"}); err != nil {
				t.Fatalf("after the window: %v", err)
			}
		})

		t.Run("an attack on an account from many addresses does not lock out the owner's phone", func(t *testing.T) {
			_, device, err := s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: goodPassword, Addr: "10.1.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < peercircle.ThrottlePerLogin; i++ {
				s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: "guess guess", Addr: "192.0.2." + string(rune('a'+i))})
			}
			if _, _, err := s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: goodPassword, Addr: "10.1.0.9"}); peercircle.ErrorCode(err) != peercircle.ETOOMANY {
				t.Fatalf("unknown browser during the attack: %v", err)
			}
			if _, _, err := s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: goodPassword, Addr: "10.1.0.9", Device: device}); err != nil {
				t.Fatalf("the owner's known browser: %v", err)
			}
		})
		clock.Add(peercircle.ThrottleWindow + time.Second)

		t.Run("a session ends after two idle hours", func(t *testing.T) {
			token, _, err := s.CreateAuthSession(ctx, rana.ID)
			if err != nil {
				t.Fatal(err)
			}
			clock.Add(peercircle.SessionIdle - time.Minute)
			if _, err := s.AuthSession(ctx, token); err != nil {
				t.Fatalf("within the idle limit: %v", err)
			}
			clock.Add(peercircle.SessionIdle + time.Minute)
			if _, err := s.AuthSession(ctx, token); peercircle.ErrorCode(err) != peercircle.EUNAUTHORIZED {
				t.Fatalf("after the idle limit: %v", err)
			}
		})

		t.Run("a busy session still ends after twelve hours", func(t *testing.T) {
			token, _, _ := s.CreateAuthSession(ctx, rana.ID)
			for i := 0; i < 13; i++ {
				clock.Add(time.Hour)
				_, err := s.AuthSession(ctx, token)
				if i < 11 && err != nil {
					t.Fatalf("hour %d: %v", i+1, err)
				}
				if i >= 12 && peercircle.ErrorCode(err) != peercircle.EUNAUTHORIZED {
					t.Fatalf("hour %d: %v", i+1, err)
				}
			}
		})

		t.Run("sign-out ends the session on the server", func(t *testing.T) {
			token, as, _ := s.CreateAuthSession(ctx, rana.ID)
			if as.CSRFToken == "" || token == "" {
				t.Fatal("empty tokens")
			}
			if err := s.EndAuthSession(ctx, token); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AuthSession(ctx, token); peercircle.ErrorCode(err) != peercircle.EUNAUTHORIZED {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("a disabled person's sessions end", func(t *testing.T) {
			token, _, _ := s.CreateAuthSession(ctx, rana.ID)
			p, _ := s.Person(ctx, rana.ID)
			p.Status = peercircle.PersonDisabled
			if err := s.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AuthSession(ctx, token); peercircle.ErrorCode(err) != peercircle.EUNAUTHORIZED {
				t.Fatalf("err = %v", err)
			}
			if _, _, err := s.Authenticate(ctx, peercircle.SignIn{Login: "rana", Password: goodPassword, Addr: "10.9.9.9"}); peercircle.ErrorKey(err) != "auth.signin_failed" {
				t.Fatalf("disabled sign-in: %v", err)
			}
		})
	})
}

func TestLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := storetest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		s.Now = clock.Now
		organiser := person(t, s, "organiser")
		newcomer := &peercircle.Person{Email: "newcomer@example.org", FullName: "Newcomer", Status: peercircle.PersonInvited}
		if err := s.CreatePerson(ctx, newcomer); err != nil {
			t.Fatal(err)
		}

		t.Run("an invitation sets the password once", func(t *testing.T) {
			token, err := s.CreateInvitation(ctx, newcomer.ID, organiser.ID)
			if err != nil {
				t.Fatal(err)
			}
			inv, p, err := s.Invitation(ctx, token)
			if err != nil || p.ID != newcomer.ID || inv.InvitedBy != organiser.ID {
				t.Fatalf("%+v %+v %v", inv, p, err)
			}
			if _, err := s.AcceptInvitation(ctx, token, "short"); peercircle.ErrorKey(err) != "auth.password_too_short" {
				t.Fatalf("short password: %v", err)
			}
			p, err = s.AcceptInvitation(ctx, token, goodPassword)
			if err != nil || p.Status != peercircle.PersonActive {
				t.Fatalf("%+v %v", p, err)
			}
			if _, err := s.AcceptInvitation(ctx, token, goodPassword); peercircle.ErrorKey(err) != "auth.link_expired" {
				t.Fatalf("second use: %v", err)
			}
			if _, err := s.CreateInvitation(ctx, newcomer.ID, organiser.ID); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
				t.Fatalf("inviting an active person: %v", err)
			}
		})

		t.Run("an expired invitation is refused", func(t *testing.T) {
			late := &peercircle.Person{Email: "late@example.org", FullName: "Late", Status: peercircle.PersonInvited}
			s.CreatePerson(ctx, late)
			token, _ := s.CreateInvitation(ctx, late.ID, organiser.ID)
			clock.Add(peercircle.InvitationValid + time.Minute)
			if _, _, err := s.Invitation(ctx, token); peercircle.ErrorKey(err) != "auth.link_expired" {
				t.Fatalf("err = %v", err)
			}
			if _, err := s.AcceptInvitation(ctx, token, goodPassword); peercircle.ErrorKey(err) != "auth.link_expired" {
				t.Fatalf("err = %v", err)
			}
		})

		t.Run("a reset for an unknown login says nothing", func(t *testing.T) {
			token, p, err := s.CreateReset(ctx, "nobody@example.org", "192.0.2.1")
			if token != "" || p != nil || err != nil {
				t.Fatalf("%q %v %v", token, p, err)
			}
		})

		t.Run("a reset sets a new password and signs out everywhere", func(t *testing.T) {
			session, _, _ := s.CreateAuthSession(ctx, organiser.ID)
			token, p, err := s.CreateReset(ctx, "ORGANISER", "192.0.2.1")
			if err != nil || p.ID != organiser.ID || token == "" {
				t.Fatalf("%q %v %v", token, p, err)
			}
			if _, err := s.ResetPassword(ctx, token, "a brand new phrase"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AuthSession(ctx, session); peercircle.ErrorCode(err) != peercircle.EUNAUTHORIZED {
				t.Fatalf("old session survived: %v", err)
			}
			if _, _, err := s.Authenticate(ctx, peercircle.SignIn{Login: "organiser", Password: "a brand new phrase", Addr: "10.0.0.1"}); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestConcurrentWritersQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := person(t, s, "writer")
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 5; j++ {
					if err := s.Notify(ctx, &peercircle.Notification{PersonID: p.ID, Kind: "test"}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("a writer failed: %v", err)
		}
		if n, err := s.UnreadCount(ctx, p.ID); err != nil || n != 250 {
			t.Fatalf("notifications = %d, %v", n, err)
		}
	})
}

func TestTimesKeepTheirOrderAndPrecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := person(t, s, "timer")
		base := time.Date(2026, 3, 27, 23, 59, 59, 0, time.FixedZone("Amman", 3*3600))
		for i, d := range []time.Duration{500 * time.Millisecond, 0, 1500 * time.Microsecond} {
			s.Now = func() time.Time { return base.Add(d) }
			if err := s.Audit(ctx, &peercircle.AuditEvent{ActorID: p.ID, Action: "tick", TargetKind: "t", TargetID: int64(i)}); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := s.DB.Query(ctx, "SELECT target_id, at FROM audit_events WHERE action = 'tick' ORDER BY at")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var order []int64
		var times []time.Time
		for rows.Next() {
			var id int64
			var at time.Time
			if err := rows.Scan(&id, &at); err != nil {
				t.Fatal(err)
			}
			order = append(order, id)
			times = append(times, at)
		}
		if len(order) != 3 || order[0] != 1 || order[1] != 2 || order[2] != 0 {
			t.Fatalf("order = %v", order)
		}
		if !times[1].Equal(base.Add(1500*time.Microsecond)) || times[1].Location() != time.UTC {
			t.Fatalf("time = %v", times[1])
		}
	})
}
