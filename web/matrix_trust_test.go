package web_test

import (
	"context"
	"net/url"

	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/totp"
)

// Routes of issue 10 (trust). The field-level rules of POST /people/{person}
// have their own matrix: fieldRules in identity_test.go.
var _ = addRules(
	// The owner's own e-mail: signed in, the handler checks the password.
	accessRule{Pattern: "POST /profile/email", Expect: signedIn},
	// No proposal waits in the fixture: nothing to confirm or decline.
	accessRule{Pattern: "POST /profile/email/confirm", Expect: "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "POST /profile/email/decline", Expect: "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"},
	// The undo link works for whoever holds it (the old address).
	accessRule{Pattern: "GET /email/undo/{token}", Expect: everyone},
	accessRule{Pattern: "POST /email/undo/{token}", Expect: everyone},
)

// The second factor (issue 10, item 8). The fixture's {person} of each half
// has one set up (fixtureSteps below), so an admin can reset it.
var _ = addRules(
	// Without the password step's cookie the code page sends back to sign in.
	accessRule{Pattern: "GET /signin/code", Expect: everyone},
	accessRule{Pattern: "POST /signin/code", Form: url.Values{"code": {"123456"}},
		Expect: "anon:L admin:L coordinator:L organiser:L facilitator:L member:L supervisor:L trainer:L"},
	accessRule{Pattern: "GET /profile/second-factor", Expect: signedIn},
	// An unknown operation is not found; the operations have their own test.
	accessRule{Pattern: "POST /profile/second-factor", Form: url.Values{"op": {"nothing"}},
		Expect: "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "POST /people/{person}/second-factor/reset", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/second-factor", Form: url.Values{"role": {"admin"}}, Expect: adminOnly},
	// A reminder's one-tap link: the token is the key; an unknown one is
	// not found for everyone.
	accessRule{Pattern: "GET /answer/{token}", Expect: "anon:N admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "POST /answer/{token}", Form: url.Values{"answer": {"expected"}}, Expect: "anon:N admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"},
)

var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		for _, half := range []map[string]int64{f.In, f.Out} {
			secret, err := s.BeginSecondFactor(ctx, half["person"])
			if err != nil {
				return err
			}
			if _, err := s.ConfirmSecondFactor(ctx, half["person"], totp.Code(secret, totp.StepAt(s.Now()), totp.Digits)); err != nil {
				return err
			}
		}
		return nil
	})
	return true
}()
