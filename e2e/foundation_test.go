package e2e

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle/internal/browser"
)

// navFor is the navigation each demo sign-in should see, in English.
var navFor = map[string][]string{
	"admin":       {"Home", "Reports", "People", "Complaints", "Organisation", "Outgoing messages", "My profile"},
	"coordinator": {"Home", "My areas", "Reports", "Complaints", "My profile"},
	"organiser":   {"Home", "My sites", "Reports", "People", "Complaints", "My profile"},
	"facilitator": {"Home", "Groups", "My profile"},
	"member":      {"Home", "Groups", "My profile"},
	"supervisor":  {"Home", "Growth", "My profile"},
	"trainer":     {"Home", "Groups", "Growth", "My profile"},
}

// TestEachRoleSignsInSeesItsNavigationReadsArabicAndSignsOut is the
// foundation's walk through the product: every demo sign-in, its menu, the
// switch to Arabic (right to left), and signing out.
func TestEachRoleSignsInSeesItsNavigationReadsArabicAndSignsOut(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t)

	anon := browser.NewContext(t, root)
	browser.Navigate(t, anon, a.URL+"/")
	if u := browser.URL(t, anon); !strings.Contains(u, "/signin") {
		t.Fatalf("the public was not sent to sign in: %s", u)
	}
	browser.Screenshot(t, anon, "foundation/signin-en")
	checkAccessibility(t, anon, "sign-in")
	browser.Fill(t, anon, "#f-login", "member")
	browser.Fill(t, anon, "#f-password", "not the password")
	browser.Submit(t, anon, "#f-password")
	if msg := browser.Text(t, anon, ".error-summary"); !strings.Contains(msg, "not right") {
		t.Errorf("wrong password message = %q", msg)
	}
	if v := browser.Attr(t, anon, "#f-password", "value"); v != "" {
		t.Errorf("the password was sent back into the form")
	}
	browser.Screenshot(t, anon, "foundation/signin-wrong-password-en")

	for _, role := range []string{"admin", "coordinator", "organiser", "facilitator", "member", "supervisor", "trainer"} {
		t.Run(role, func(t *testing.T) {
			ctx := browser.NewContext(t, root)
			signIn(t, ctx, a, role)
			got := browser.Eval[[]string](t, ctx, `[...document.querySelectorAll("header nav a")].map(a => a.textContent.trim())`)
			if !reflect.DeepEqual(got, navFor[role]) {
				t.Errorf("navigation = %q, want %q", got, navFor[role])
			}
			browser.Screenshot(t, ctx, "foundation/home-"+role+"-en")

			browser.Submit(t, ctx, `form.lang button[value="ar"]`)
			browser.WaitVisible(t, ctx, `html[dir="rtl"]`)
			if lang := browser.Eval[string](t, ctx, "document.documentElement.lang"); lang != "ar" {
				t.Errorf("lang = %q after choosing Arabic", lang)
			}
			if first := browser.Text(t, ctx, "header nav a"); first != "الرئيسية" {
				t.Errorf("first nav item in Arabic = %q", first)
			}
			browser.Screenshot(t, ctx, "foundation/home-"+role+"-ar")

			signOut(t, ctx)
			browser.Navigate(t, ctx, a.URL+"/profile")
			if u := browser.URL(t, ctx); !strings.Contains(u, "/signin") {
				t.Errorf("after sign-out /profile was still open: %s", u)
			}
		})
	}
}

// TestMainPagesInBothLanguages visits the main pages of the foundation as
// the person who uses each, in English and Arabic, for screenshots and a
// basic check that each page has one h1 and a lang and dir.
func TestMainPagesInBothLanguages(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t)
	pages := []struct{ role, path, name string }{
		{"admin", "/admin/org", "org"},
		{"admin", "/people", "people"},
		{"organiser", "/sites/1", "site"},
		{"coordinator", "/areas/1", "area"},
		{"member", "/groups/1", "group"},
		{"member", "/profile", "profile"},
		{"member", "/support", "support"},
	}
	for _, lang := range []string{"en", "ar"} {
		for _, p := range pages {
			t.Run(lang+p.path, func(t *testing.T) {
				ctx := browser.NewContext(t, root)
				signIn(t, ctx, a, p.role)
				if lang == "ar" {
					browser.Submit(t, ctx, `form.lang button[value="ar"]`)
					browser.WaitVisible(t, ctx, `html[dir="rtl"]`)
				}
				browser.Navigate(t, ctx, a.URL+p.path)
				if n := browser.Eval[int](t, ctx, `document.querySelectorAll("h1").length`); n != 1 {
					t.Errorf("%s has %d h1 elements", p.path, n)
				}
				if l := browser.Eval[string](t, ctx, "document.documentElement.lang"); l != lang {
					t.Errorf("lang = %q", l)
				}
				if missing := browser.Eval[string](t, ctx, `(document.body.innerText.match(/![a-z_.]+!/) || [""])[0]`); missing != "" {
					t.Errorf("%s shows a missing message key %s", p.path, missing)
				}
				browser.Screenshot(t, ctx, "foundation/"+p.name+"-"+lang)
				checkAccessibility(t, ctx, lang+p.path)
			})
		}
	}
}

// TestSecurityHeadersAndHealth checks what every response carries and the
// operators' endpoints.
var metricsAddrRE = regexp.MustCompile(`msg="serving metrics" addr=(\S+)`)

func TestSecurityHeadersAndHealth(t *testing.T) {
	a := startDemo(t)
	res, _ := get(t, a.URL+"/signin")
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, part := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %q", csp, part)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for _, c := range res.Cookies() {
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s: HttpOnly=%v SameSite=%v", c.Name, c.HttpOnly, c.SameSite)
		}
	}
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		res, body := get(t, a.URL+path)
		if res.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d %q", path, res.StatusCode, body)
		}
	}
	// Metrics are for operators, on their own address only (issue 10).
	if res, _ := get(t, a.URL+"/metrics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("the app serves /metrics: %d", res.StatusCode)
	}
	m := startDemo(t, "--metrics-addr", "127.0.0.1:0")
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if sm := metricsAddrRE.FindStringSubmatch(m.Output()); sm != nil {
			addr = sm[1]
		}
	}
	if addr == "" {
		t.Fatalf("started with --metrics-addr, it did not say where metrics are served:\n%s", m.Output())
	}
	get(t, m.URL+"/signin")
	if _, body := get(t, "http://"+addr+"/metrics"); !strings.Contains(body, `peercircle_http_requests_total{route="GET /signin"`) {
		t.Errorf("the metrics address lacks the request counter:\n%.500s", body)
	}
	// Started without --base-url, it says where its outside links point.
	if out := a.Output(); !strings.Contains(out, "no --base-url") || !strings.Contains(out, "links="+a.URL) {
		t.Errorf("serving without --base-url did not say so at start:\n%s", out)
	}
}
