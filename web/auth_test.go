package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

func TestSignInAndOut(t *testing.T) {
	e := newEnv(t)

	t.Run("the right password starts a session with a new id", func(t *testing.T) {
		c := e.client()
		c.get("/signin")
		before := c.http.Jar.Cookies(mustURL(e.URL))
		res := c.signIn("member", testPassword)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Fatalf("status %d location %q", res.StatusCode, res.Header.Get("Location"))
		}
		var session *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == "pc_session" {
				session = ck
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie = %+v", session)
		}
		for _, ck := range before {
			if ck.Value == session.Value {
				t.Fatal("the session id was known before sign-in")
			}
		}
		if home := c.get("/"); home.StatusCode != 200 || !strings.Contains(home.Body, "Test Member") {
			t.Fatalf("home: %d", home.StatusCode)
		}
	})

	t.Run("a wrong password shows the same message as an unknown account and keeps no password", func(t *testing.T) {
		c := e.client()
		wrong := c.signIn("member", "not my password")
		unknown := c.signIn("nobody-here", "not my password")
		if wrong.StatusCode != 422 || unknown.StatusCode != 422 {
			t.Fatalf("statuses %d %d", wrong.StatusCode, unknown.StatusCode)
		}
		msg := "The username, e-mail or password is not right"
		if !strings.Contains(wrong.Body, msg) || !strings.Contains(unknown.Body, msg) {
			t.Fatal("the messages differ or are missing")
		}
		if strings.Contains(wrong.Body, "not my password") {
			t.Fatal("the password was echoed into the page")
		}
	})

	t.Run("sign-in goes back only to a local page", func(t *testing.T) {
		for next, want := range map[string]string{"/profile": "/profile", "https://evil.example/": "/", "//evil.example": "/", "/\\evil": "/"} {
			c := e.client()
			c.get("/signin")
			res := c.post("/signin", url.Values{"login": {"member"}, "password": {testPassword}, "next": {next}})
			if got := res.Header.Get("Location"); got != want {
				t.Errorf("next=%q: location %q, want %q", next, got, want)
			}
		}
	})

	t.Run("sign-out ends the session on the server", func(t *testing.T) {
		c := e.client()
		c.signIn("member", testPassword)
		var token string
		for _, ck := range c.http.Jar.Cookies(mustURL(e.URL)) {
			if ck.Name == "pc_session" {
				token = ck.Value
			}
		}
		c.get("/")
		if res := c.post("/signout", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-out: %d", res.StatusCode)
		}
		if _, err := e.Store.AuthSession(context.Background(), token); peercircle.ErrorCode(err) != peercircle.EUNAUTHORIZED {
			t.Fatalf("the session survived sign-out: %v", err)
		}
		// Replaying the old cookie does not work either.
		replay := e.client()
		replay.http.Jar.SetCookies(mustURL(e.URL), []*http.Cookie{{Name: "pc_session", Value: token, Path: "/"}})
		if res := replay.get("/profile"); !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
			t.Fatalf("replayed session: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.as("member")

	t.Run("a form without the token changes nothing", func(t *testing.T) {
		res := c.post("/profile", url.Values{"csrf": {"forged"}, "display_name": {"Forged"}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "This form expired") {
			t.Fatalf("status %d", res.StatusCode)
		}
		p, _ := e.Store.Person(context.Background(), e.People["member"].ID)
		if p.DisplayName == "Forged" {
			t.Fatal("the forged form was saved")
		}
	})

	t.Run("a cross-site request is refused even with a token", func(t *testing.T) {
		form := url.Values{"csrf": {c.csrf}, "display_name": {"Cross"}}
		req, _ := http.NewRequest(http.MethodPost, e.URL+"/profile", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := c.do(req); res.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("the sign-in form needs the token too", func(t *testing.T) {
		anon := e.client()
		res := anon.post("/signin", url.Values{"csrf": {"x"}, "login": {"member"}, "password": {testPassword}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("with the token the form is saved", func(t *testing.T) {
		c.get("/profile")
		if res := c.post("/profile", url.Values{"display_name": {"Yara"}, "lang": {""}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		p, _ := e.Store.Person(context.Background(), e.People["member"].ID)
		if p.DisplayName != "Yara" {
			t.Fatalf("display name = %q", p.DisplayName)
		}
	})
}

func TestLanguage(t *testing.T) {
	e := newEnv(t)

	t.Run("the browser's language is used before sign-in", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/signin", nil)
		req.Header.Set("Accept-Language", "ar-JO,ar;q=0.9,en;q=0.5")
		res := e.client().do(req)
		if !strings.Contains(res.Body, `<html lang="ar" dir="rtl">`) || !strings.Contains(res.Body, "تسجيل الدخول") {
			t.Fatal("the sign-in page is not in Arabic")
		}
	})

	t.Run("a signed-in person's choice is kept on the account", func(t *testing.T) {
		c := e.as("facilitator")
		res := c.post("/language", url.Values{"lang": {"ar"}, "next": {"/profile"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/profile" {
			t.Fatalf("status %d location %q", res.StatusCode, res.Header.Get("Location"))
		}
		p, _ := e.Store.Person(context.Background(), e.People["facilitator"].ID)
		if p.Lang != "ar" {
			t.Fatalf("lang = %q", p.Lang)
		}
		if page := c.get("/profile"); !strings.Contains(page.Body, `dir="rtl"`) {
			t.Fatal("the profile is not right-to-left")
		}
	})

	t.Run("an unknown language is refused", func(t *testing.T) {
		c := e.as("member")
		if res := c.post("/language", url.Values{"lang": {"xx"}}); res.StatusCode != 422 {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
}

func TestInvitationAndReset(t *testing.T) {
	e := newEnv(t)
	org := e.as("organiser")

	var link string
	t.Run("an organiser adds a person and gets an invitation link", func(t *testing.T) {
		org.get("/people")
		res := org.post("/people", url.Values{"full_name": {"Newcomer Person"}, "email": {"newcomer@example.org"}, "site": {id(e.In["site"])}})
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		i := strings.Index(res.Body, "/invite/")
		if i < 0 {
			t.Fatal("no invitation link on the page")
		}
		link = res.Body[i : i+strings.IndexByte(res.Body[i:], '"')]
	})

	t.Run("an organiser cannot add people at another site", func(t *testing.T) {
		res := org.post("/people", url.Values{"full_name": {"Elsewhere"}, "email": {"elsewhere@example.org"}, "site": {id(e.Out["site"])}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", res.StatusCode)
		}
		if _, err := e.Store.PersonByLogin(context.Background(), "elsewhere@example.org"); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Fatalf("the person was added: %v", err)
		}
	})

	t.Run("the newcomer sets a password, which must not be common", func(t *testing.T) {
		c := e.client()
		page := c.get(link)
		if page.StatusCode != 200 || !strings.Contains(page.Body, "Newcomer Person") {
			t.Fatalf("invitation page: %d", page.StatusCode)
		}
		// It names the invitee: no browser or proxy may keep it.
		if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("invitation page Cache-Control = %q, want no-store", cc)
		}
		if cc := c.get("/reset/some-token").Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("reset page Cache-Control = %q, want no-store", cc)
		}
		if res := c.post(link, url.Values{"password": {"password1"}, "password2": {"password1"}}); res.StatusCode != 422 || !strings.Contains(res.Body, "too easy to guess") {
			t.Fatalf("common password: %d", res.StatusCode)
		}
		if res := c.post(link, url.Values{"password": {"figs and olives"}, "password2": {"figs and olivez"}}); res.StatusCode != 422 {
			t.Fatalf("different passwords: %d", res.StatusCode)
		}
		if res := c.post(link, url.Values{"password": {"figs and olives"}, "password2": {"figs and olives"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("good password: %d", res.StatusCode)
		}
		if res := c.signIn("newcomer@example.org", "figs and olives"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.StatusCode)
		}
		if res := e.client().get(link); res.StatusCode != 422 || !strings.Contains(res.Body, "already been used") {
			t.Fatalf("second use: %d", res.StatusCode)
		}
	})

	t.Run("a reset request answers the same for known and unknown accounts", func(t *testing.T) {
		c := e.client()
		c.get("/reset")
		known := c.post("/reset", url.Values{"login": {"member"}})
		c.get("/reset")
		unknown := c.post("/reset", url.Values{"login": {"nobody@example.org"}})
		if known.StatusCode != 200 || unknown.StatusCode != 200 || stripCSRF(known.Body) != stripCSRF(unknown.Body) {
			t.Fatal("the answers differ")
		}
	})
}

func TestErrorsAreClearAndChangeNothing(t *testing.T) {
	e := newEnv(t)
	admin := e.as("admin")

	t.Run("an unknown page is a 404 in the person's language", func(t *testing.T) {
		res := admin.get("/groups/999999")
		if res.StatusCode != 404 || !strings.Contains(res.Body, "We couldn’t find this page") {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("a malformed id is not found", func(t *testing.T) {
		if res := admin.get("/sites/abc"); res.StatusCode != 404 {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("a site with a bad time zone is refused with the field marked", func(t *testing.T) {
		admin.get("/admin/org")
		res := admin.post("/admin/sites", url.Values{"area": {id(e.In["area"])}, "name": {"New HC"}, "kind": {"health_centre"}, "time_zone": {"Mars/Base"}})
		if res.StatusCode != 422 || !strings.Contains(res.Body, "Please correct the highlighted fields") {
			t.Fatalf("status %d", res.StatusCode)
		}
		tree, _ := e.Store.Tree(context.Background())
		for _, s := range tree.Sites {
			if s.Name == "New HC" {
				t.Fatal("the site was saved")
			}
		}
	})

	t.Run("an area that still has sites is not deleted", func(t *testing.T) {
		res := admin.post("/admin/areas/"+id(e.In["area"])+"/delete", nil)
		if res.StatusCode != 409 {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("a date typed with Arabic digits is understood", func(t *testing.T) {
		admin.get("/admin/org")
		res := admin.post("/admin/sites", url.Values{"area": {id(e.In["area"])}, "name": {"Joined HC"}, "kind": {"health_centre"},
			"time_zone": {"Asia/Amman"}, "joined": {"٢٠٢٥-٠٣-٠١"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// stripCSRF removes the per-request token so two pages can be compared.
func stripCSRF(body string) string { return csrfRE.ReplaceAllString(body, "") }
