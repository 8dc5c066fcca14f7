package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
	"github.com/peercircle/peercircle/totp"
)

// The second factor on both backends: codes computed as an app would, the
// window either side, a replayed step refused, recovery codes once, the
// secret sealed, remembered browsers, the principal's flag and a reset.
func TestSecondFactorStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := storetest.NewClock(time.Date(2026, 12, 4, 9, 0, 10, 0, time.UTC))
		s.Now = clock.Now
		p := person(t, s, "coordinator")
		code := func(secret []byte, steps int64) string {
			return totp.Code(secret, totp.StepAt(clock.Now())+steps, totp.Digits)
		}
		if _, err := s.SecondFactor(ctx, p.ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Fatalf("a factor before any: %v", err)
		}
		secret, err := s.BeginSecondFactor(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var raw []byte
		if err := s.DB.QueryRow(ctx, "SELECT secret FROM second_factors WHERE person_id = ?", p.ID).Scan(&raw); err != nil || string(raw) == string(secret) || len(raw) <= len(secret) {
			t.Fatalf("the secret is not sealed (%v)", err)
		}
		if err := s.CheckSecondFactor(ctx, p.ID, code(secret, 0), "192.0.2.1"); peercircle.ErrorKey(err) != "auth.2fa_wrong" {
			t.Fatalf("a code for a factor not confirmed yet: %v", err)
		}
		if _, err := s.ConfirmSecondFactor(ctx, p.ID, code(secret, 2)); peercircle.ErrorKey(err) != "auth.2fa_wrong" {
			t.Fatalf("a code two steps ahead confirmed it: %v", err)
		}
		recovery, err := s.ConfirmSecondFactor(ctx, p.ID, code(secret, -1))
		if err != nil || len(recovery) != peercircle.RecoveryCodeCount {
			t.Fatalf("confirm: %d codes, %v", len(recovery), err)
		}
		if pr, _ := s.Principal(ctx, p.ID); !pr.HasSecondFactor {
			t.Fatal("the principal does not know of the factor")
		}
		if _, err := s.BeginSecondFactor(ctx, p.ID); peercircle.ErrorCode(err) != peercircle.ECONFLICT {
			t.Fatalf("a second set-up over a confirmed one: %v", err)
		}

		for _, tc := range []struct {
			name  string
			code  string
			wrong bool
		}{
			{"the step used to confirm, replayed", code(secret, -1), true},
			{"this step", code(secret, 0), false},
			{"this step again", code(secret, 0), true},
			{"the step after", code(secret, 1), false},
			{"two steps after", code(secret, 2), true},
			{"a recovery code, with a lower-case letter and no dash", recovery[3][:5] + recovery[3][6:], false},
			{"the same recovery code again", recovery[3], true},
		} {
			err := s.CheckSecondFactor(ctx, p.ID, tc.code, "192.0.2.1")
			if (err != nil) != tc.wrong {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		f, _ := s.SecondFactor(ctx, p.ID)
		if f.RecoveryLeft != peercircle.RecoveryCodeCount-1 {
			t.Fatalf("recovery left %d", f.RecoveryLeft)
		}
		clock.Add(peercircle.ThrottleWindow + time.Minute)

		t.Run("remembered browsers", func(t *testing.T) {
			a, err := s.RememberBrowser(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := s.RememberBrowser(ctx, p.ID)
			if !s.Remembered(ctx, p.ID, a) || !s.Remembered(ctx, p.ID, b) || s.Remembered(ctx, p.ID+1, a) || s.Remembered(ctx, p.ID, "nothing") {
				t.Fatal("remembering two browsers")
			}
			clock.Add(peercircle.RememberDevice + time.Minute)
			if s.Remembered(ctx, p.ID, a) {
				t.Fatal("remembered after 30 days")
			}
		})

		t.Run("the password step's token", func(t *testing.T) {
			tok, err := s.StartSecondStep(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if id, err := s.SecondStep(ctx, tok); err != nil || id != p.ID {
				t.Fatalf("%d %v", id, err)
			}
			if err := s.EndSecondStep(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SecondStep(ctx, tok); peercircle.ErrorKey(err) != "auth.link_expired" {
				t.Fatalf("a used token: %v", err)
			}
			tok, _ = s.StartSecondStep(ctx, p.ID)
			clock.Add(peercircle.SecondStepValid + time.Second)
			if _, err := s.SecondStep(ctx, tok); peercircle.ErrorKey(err) != "auth.link_expired" {
				t.Fatalf("an old token: %v", err)
			}
		})

		t.Run("an admin's reset is audited and forgets everything", func(t *testing.T) {
			admin := person(t, s, "admin")
			tok, _ := s.RememberBrowser(ctx, p.ID)
			if err := s.ResetSecondFactor(ctx, p.ID, admin.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SecondFactor(ctx, p.ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatal("the factor is still there")
			}
			if s.Remembered(ctx, p.ID, tok) {
				t.Fatal("a remembered browser survived the reset")
			}
			var codes int
			s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE person_id = ?", p.ID).Scan(&codes)
			if codes != 0 {
				t.Fatalf("%d recovery codes left", codes)
			}
			events, _ := s.AuditEvents(ctx, "person", p.ID, 10)
			if len(events) == 0 || events[0].Action != "person.second_factor_reset" || events[0].ActorID != admin.ID {
				t.Fatalf("events %+v", events)
			}
			if err := s.ResetSecondFactor(ctx, p.ID, admin.ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("resetting nothing: %v", err)
			}
		})

		t.Run("the principal says who must set one up", func(t *testing.T) {
			if err := s.AddGrant(ctx, &peercircle.Grant{PersonID: p.ID, Role: peercircle.RoleAdmin, ScopeKind: peercircle.ScopeOrganisation}); err != nil {
				t.Fatal(err)
			}
			pr, _ := s.Principal(ctx, p.ID)
			if pr.HasSecondFactor || !pr.NeedsSecondFactor() {
				t.Fatalf("an admin without a factor under the default setting: %+v", pr.SecondFactorRoles)
			}
			if err := s.SetSetting(ctx, peercircle.SettingSecondFactorRoles, "coordinator,supervisor"); err != nil {
				t.Fatal(err)
			}
			if pr, _ := s.Principal(ctx, p.ID); pr.NeedsSecondFactor() {
				t.Fatal("required of an admin when only coordinators and supervisors must")
			}
		})
	})
}
