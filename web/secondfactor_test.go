package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/totp"
)

var (
	secretRE   = regexp.MustCompile(`<code id="secret" dir="ltr" class="secret">([A-Z2-7 ]+)</code>`)
	recoveryRE = regexp.MustCompile(`<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>`)
)

// testClock is the store's clock in TestSecondFactor, moved by the test.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// Issue 10, item 8: a stolen password alone opens no account of an admin,
// coordinator or supervisor. Real codes are computed from the secret the
// page shows, as the person's app would.
func TestSecondFactor(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	clock := &testClock{now: time.Now().UTC()}
	e.Store.Now = clock.Now
	// What the person's app shows, steps after the store's now.
	codeAt := func(secret []byte, steps int64) string {
		return totp.Code(secret, totp.StepAt(clock.Now())+steps, totp.Digits)
	}
	if err := e.Store.SetSetting(ctx, peercircle.SettingSecondFactorRoles, peercircle.DefaultSecondFactorRoles); err != nil {
		t.Fatal(err)
	}
	coord := e.client()
	var secret []byte
	var recovery []string

	t.Run("a coordinator sets one up before anything else", func(t *testing.T) {
		wantStatus(t, coord.signIn("coordinator", testPassword), http.StatusSeeOther)
		res := coord.get("/")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/profile/second-factor" {
			t.Fatalf("home: %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		if res := coord.post("/support/requests", url.Values{"kind": {"talk"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("a change before setting up: %d", res.StatusCode)
		}
		page := coord.get("/profile/second-factor")
		m := secretRE.FindStringSubmatch(page.Body)
		if page.StatusCode != 200 || m == nil || !strings.Contains(page.Body, "<svg") || page.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("set-up page: %d %q", page.StatusCode, page.Header.Get("Cache-Control"))
		}
		wrong, _ := totp.Decode(m[1])
		res = coord.post("/profile/second-factor", url.Values{"op": {"confirm"}, "code": {codeAt(wrong, 5)}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "That code is not right") {
			t.Fatalf("a wrong first code: %d", res.StatusCode)
		}
		// A wrong first code gives a new key: nothing half-set stays.
		m = secretRE.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatal("no new key after a wrong code")
		}
		secret, _ = totp.Decode(m[1])
		res = coord.post("/profile/second-factor", url.Values{"op": {"confirm"}, "code": {codeAt(secret, 0)}})
		for _, c := range recoveryRE.FindAllStringSubmatch(res.Body, -1) {
			recovery = append(recovery, c[1])
		}
		if res.StatusCode != 200 || len(recovery) != peercircle.RecoveryCodeCount {
			t.Fatalf("confirming: %d with %d recovery codes", res.StatusCode, len(recovery))
		}
		wantStatus(t, coord.get("/"), http.StatusOK)
		wantStatus(t, coord.post("/signout", nil), http.StatusSeeOther)
	})

	signInAgain := func(t *testing.T, c *client) *response {
		t.Helper()
		res := c.signIn("coordinator", testPassword)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin/code") {
			t.Fatalf("password step: %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		return c.get(res.Header.Get("Location"))
	}

	t.Run("signing in asks for a code; a replayed code is refused", func(t *testing.T) {
		page := signInAgain(t, coord)
		if page.StatusCode != 200 || !strings.Contains(page.Body, `autocomplete="one-time-code"`) {
			t.Fatalf("code page: %d", page.StatusCode)
		}
		if res := coord.get("/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
			t.Fatal("the password alone signed the coordinator in")
		}
		// The code used to set it up, within its 30 seconds: a replay.
		if res := coord.post("/signin/code", url.Values{"code": {codeAt(secret, 0)}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a replayed code: %d", res.StatusCode)
		}
		// Two steps away is outside the window either side.
		if res := coord.post("/signin/code", url.Values{"code": {codeAt(secret, 3)}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a code from far ahead: %d", res.StatusCode)
		}
		// The next step (a phone a little fast) is taken.
		wantStatus(t, coord.post("/signin/code", url.Values{"code": {codeAt(secret, 1)}}), http.StatusSeeOther)
		wantStatus(t, coord.get("/"), http.StatusOK)
		wantStatus(t, coord.post("/signout", nil), http.StatusSeeOther)
	})

	t.Run("a recovery code works once", func(t *testing.T) {
		signInAgain(t, coord)
		wantStatus(t, coord.post("/signin/code", url.Values{"code": {strings.ToLower(recovery[0])}}), http.StatusSeeOther)
		wantStatus(t, coord.get("/"), http.StatusOK)
		if page := coord.get("/profile/second-factor"); !strings.Contains(page.Body, "Recovery codes not yet used</dt><dd>9</dd>") {
			t.Fatalf("nine recovery codes should be left: %s", excerpt(page.Body))
		}
		wantStatus(t, coord.post("/signout", nil), http.StatusSeeOther)
		signInAgain(t, coord)
		if res := coord.post("/signin/code", url.Values{"code": {recovery[0]}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a used recovery code: %d", res.StatusCode)
		}
	})

	t.Run("wrong codes are throttled like wrong passwords", func(t *testing.T) {
		c := e.client()
		signInAgain(t, c)
		var res *response
		for range peercircle.ThrottlePerLoginAddr + 1 {
			res = c.post("/signin/code", url.Values{"code": {"000000"}})
		}
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("after many wrong codes: %d", res.StatusCode)
		}
		// Even the right code waits for the window to pass.
		if res := c.post("/signin/code", url.Values{"code": {codeAt(secret, 2)}}); res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("the right code while throttled: %d", res.StatusCode)
		}
		clock.Add(peercircle.ThrottleWindow + time.Minute)
	})

	t.Run("a remembered browser skips the code for 30 days", func(t *testing.T) {
		c := e.client()
		signInAgain(t, c)
		wantStatus(t, c.post("/signin/code", url.Values{"code": {codeAt(secret, 0)}, "remember": {"1"}}), http.StatusSeeOther)
		c.get("/")
		wantStatus(t, c.post("/signout", nil), http.StatusSeeOther)
		res := c.signIn("coordinator", testPassword)
		if res.StatusCode != http.StatusSeeOther || strings.HasPrefix(res.Header.Get("Location"), "/signin/code") {
			t.Fatalf("a remembered browser was asked for a code: %q", res.Header.Get("Location"))
		}
		c.get("/")
		wantStatus(t, c.post("/signout", nil), http.StatusSeeOther)
		clock.Add(peercircle.RememberDevice + time.Hour)
		if res := c.signIn("coordinator", testPassword); !strings.HasPrefix(res.Header.Get("Location"), "/signin/code") {
			t.Fatalf("after 30 days the browser is still remembered: %q", res.Header.Get("Location"))
		}
	})

	t.Run("a coordinator cannot turn it off; a member may use it and turn it off", func(t *testing.T) {
		c := e.as("coordinator")
		if res := c.post("/profile/second-factor", url.Values{"op": {"off"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("turning it off: %d", res.StatusCode)
		}
		m := e.as("member")
		wantStatus(t, m.get("/"), http.StatusOK) // not required of members
		page := m.get("/profile/second-factor?start=1")
		sm := secretRE.FindStringSubmatch(page.Body)
		if sm == nil {
			t.Fatal("a member cannot set one up")
		}
		ms, _ := totp.Decode(sm[1])
		wantStatus(t, m.post("/profile/second-factor", url.Values{"op": {"confirm"}, "code": {codeAt(ms, 0)}}), http.StatusOK)
		wantStatus(t, m.post("/profile/second-factor", url.Values{"op": {"off"}}), http.StatusSeeOther)
		if _, err := e.Store.SecondFactor(ctx, e.People["member"].ID); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Fatal("the member's factor is still on")
		}
	})

	t.Run("an admin resets it, audited; the coordinator sets a new one up", func(t *testing.T) {
		// The admin must use one too.
		as, err := e.Store.BeginSecondFactor(ctx, e.People["admin"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Store.ConfirmSecondFactor(ctx, e.People["admin"].ID, codeAt(as, 0)); err != nil {
			t.Fatal(err)
		}
		admin := e.as("admin")
		admin.get("/people/" + id(e.People["coordinator"].ID))
		wantStatus(t, admin.post("/people/"+id(e.People["coordinator"].ID)+"/second-factor/reset", nil), http.StatusSeeOther)
		events, _ := e.Store.AuditEvents(ctx, "person", e.People["coordinator"].ID, 20)
		found := false
		for _, ev := range events {
			found = found || (ev.Action == "person.second_factor_reset" && ev.ActorID == e.People["admin"].ID)
		}
		if !found {
			t.Fatal("the reset is not audited")
		}
		if res := e.as("coordinator").get("/"); res.Header.Get("Location") != "/profile/second-factor" {
			t.Fatalf("after a reset the coordinator is not asked to set one up: %q", res.Header.Get("Location"))
		}
	})

	t.Run("an admin chooses the roles", func(t *testing.T) {
		admin := e.as("admin")
		admin.get("/admin/org")
		wantStatus(t, admin.post("/admin/second-factor", url.Values{"role": {"admin", "supervisor"}}), http.StatusSeeOther)
		if v, _ := e.Store.Setting(ctx, peercircle.SettingSecondFactorRoles, ""); v != "admin,supervisor" {
			t.Fatalf("setting %q", v)
		}
		wantStatus(t, e.as("coordinator").get("/"), http.StatusOK)
	})
}
