package browser

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// page renders the self-test form in English or in Arabic, right to left.
func page(lang string) string {
	dir, title, label, send := "ltr", "Join a circle", "Your name", "Send"
	if lang == "ar" {
		dir, title, label, send = "rtl", "انضم إلى حلقة", "اسمك", "إرسال"
	}
	return fmt.Sprintf(`<!doctype html>
<html lang=%q dir=%q><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>body{font-family:sans-serif;margin:1rem} input,select,button{display:block;margin:.5rem 0;font-size:1.2rem;width:100%%}</style>
</head><body>
<h1>%s</h1>
<form method="post" action="/greet">
<label for="name">%s</label><input id="name" name="name" maxlength="40" required>
<select id="lang" name="lang"><option value="en">English</option><option value="ar">العربية</option></select>
<button id="send" type="submit" name="action" value="greet">%s</button>
</form>
<p>إن ما يقال في الحلقة يبقى في الحلقة.</p>
</body></html>`, lang, dir, title, title, label, send)
}

func testServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page("en")) })
	mux.HandleFunc("GET /ar", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page("ar")) })
	mux.HandleFunc("POST /greet", func(w http.ResponseWriter, r *http.Request) {
		lang := r.FormValue("lang")
		greeting, dir := "Hello", "ltr"
		if lang == "ar" {
			greeting, dir = "مرحبا", "rtl"
		}
		fmt.Fprintf(w, `<!doctype html><html lang=%q dir=%q><meta charset="utf-8"><p id="result" data-lang=%q>%s، %s (%s)</p>`,
			lang, dir, lang, greeting, html.EscapeString(r.FormValue("name")), html.EscapeString(r.FormValue("action")))
	})
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: r.FormValue("who"), Path: "/"})
		fmt.Fprint(w, `<p id="who">signed in</p>`)
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		who := "nobody"
		if c, err := r.Cookie("who"); err == nil {
			who = c.Value
		}
		fmt.Fprintf(w, `<meta name="viewport" content="width=device-width"><p id="who">%s</p>`, html.EscapeString(who))
	})
	// Declare the type: Go's content sniffing calls a page that starts with
	// <meta> plain text, and Chromium would show its source.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFormRoundTrip(t *testing.T) {
	srv := testServer(t)
	ctx := New(t)

	Navigate(t, ctx, srv.URL+"/")
	if w := Eval[int](t, ctx, "window.innerWidth"); w != PhoneWidth {
		t.Errorf("viewport width = %d, want the phone's %d", w, PhoneWidth)
	}
	if got := Attr(t, ctx, "#name", "maxlength"); got != "40" {
		t.Errorf("maxlength = %q, want 40", got)
	}
	Fill(t, ctx, "#name", "placeholder")
	Fill(t, ctx, "#name", "Amina") // replaces, does not append
	Fill(t, ctx, "#lang", "en")
	Submit(t, ctx, "#send")

	if got, want := Text(t, ctx, "#result"), "Hello، Amina (greet)"; got != want {
		t.Errorf("result = %q, want %q", got, want)
	}
	if got := Attr(t, ctx, "#result", "data-lang"); got != "en" {
		t.Errorf("data-lang = %q, want en", got)
	}
	if u := URL(t, ctx); !strings.HasSuffix(u, "/greet") {
		t.Errorf("URL after submit = %s, want …/greet", u)
	}
}

func TestArabicPageIsRightToLeftAndRendersGlyphs(t *testing.T) {
	srv := testServer(t)
	ctx := New(t)

	Navigate(t, ctx, srv.URL+"/ar")
	WaitVisible(t, ctx, "h1")
	if dir := Eval[string](t, ctx, "document.documentElement.dir"); dir != "rtl" {
		t.Fatalf("document dir = %q, want rtl", dir)
	}
	// In a right-to-left page the heading's text hugs the right edge.
	gap := Eval[[]float64](t, ctx, `(() => {
		const range = document.createRange();
		range.selectNodeContents(document.querySelector("h1"));
		const r = range.getBoundingClientRect();
		return [r.left, window.innerWidth - r.right];
	})()`)
	if left, right := gap[0], gap[1]; right > 40 || left < 40 {
		t.Errorf("heading text has %.0fpx on its left and %.0fpx on its right, want it against the right edge", left, right)
	}
	Fill(t, ctx, "#name", "أمينة")
	Fill(t, ctx, "#lang", "ar")
	path := Screenshot(t, ctx, "browser/selftest-arabic-form")
	Submit(t, ctx, "#name") // pressing Enter in the field: no submitter
	if got, want := Text(t, ctx, "#result"), "مرحبا، أمينة ()"; got != want {
		t.Errorf("result = %q, want %q", got, want)
	}

	if path == "" {
		t.Fatal("screenshot was not saved")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	if cfg.Width != PhoneWidth || cfg.Height < PhoneHeight {
		t.Errorf("screenshot is %dx%d, want %d wide and at least %d high", cfg.Width, cfg.Height, PhoneWidth, PhoneHeight)
	}
}

func TestContextsHaveSeparateCookies(t *testing.T) {
	srv := testServer(t)
	root := New(t)
	facilitator := NewContext(t, root)
	member := NewContext(t, root)

	Navigate(t, facilitator, srv.URL+"/login?who=facilitator")
	Navigate(t, member, srv.URL+"/whoami")
	if got := Text(t, member, "#who"); got != "nobody" {
		t.Errorf("member sees cookie of %q, want nobody", got)
	}
	Navigate(t, facilitator, srv.URL+"/whoami")
	if got := Text(t, facilitator, "#who"); got != "facilitator" {
		t.Errorf("facilitator is %q after signing in", got)
	}
	if w := Eval[int](t, member, "window.innerWidth"); w != PhoneWidth {
		t.Errorf("new context viewport width = %d, want the phone's %d", w, PhoneWidth)
	}
}

func TestWindowSizeOption(t *testing.T) {
	srv := testServer(t)
	ctx := New(t, WithWindowSize(1280, 800))
	Navigate(t, ctx, srv.URL+"/")
	if w := Eval[int](t, ctx, "window.innerWidth"); w != 1280 {
		t.Errorf("viewport width = %d, want 1280", w)
	}
}

// recordingTB stands in for a test to see how the helpers fail.
type recordingTB struct {
	testing.TB
	skipped, fatal string
}

func (r *recordingTB) Helper()                           {}
func (r *recordingTB) Skipf(format string, args ...any)  { r.skipped = fmt.Sprintf(format, args...) }
func (r *recordingTB) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }

func TestFailureNamesSelectorAndURL(t *testing.T) {
	srv := testServer(t)
	ctx := New(t)
	Navigate(t, ctx, srv.URL+"/")

	old := actionTimeout
	actionTimeout = 500 * time.Millisecond
	t.Cleanup(func() { actionTimeout = old })

	r := &recordingTB{TB: t}
	Click(r, ctx, "#no-such-button")
	for _, want := range []string{`"#no-such-button"`, srv.URL + "/", "nothing happened within"} {
		if !strings.Contains(r.fatal, want) {
			t.Errorf("failure %q does not mention %s", r.fatal, want)
		}
	}
}

func TestMissingChromium(t *testing.T) {
	t.Run("a wrong override fails even outside CI", func(t *testing.T) {
		t.Setenv("CI", "")
		t.Setenv(ChromiumEnv, filepath.Join(t.TempDir(), "no-chromium"))
		_, err := FindChromium()
		if err == nil || errors.Is(err, errNoChromium) {
			t.Fatalf("FindChromium() = %v, want an error that is not errNoChromium", err)
		}
		r := &recordingTB{TB: t}
		missing(r, err)
		if r.fatal == "" {
			t.Fatalf("a wrong %s skipped instead of failing", ChromiumEnv)
		}
	})
	notInstalled := fmt.Errorf("%w: run scripts/test-deps.sh", errNoChromium)
	for _, tc := range []struct {
		ci        string
		wantFatal bool
	}{{"", false}, {"true", true}} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recordingTB{TB: t}
			missing(r, notInstalled)
			got := r.skipped
			if tc.wantFatal {
				got = r.fatal
			}
			if !strings.Contains(got, "chromium is missing: run scripts/test-deps.sh") {
				t.Errorf("skipped %q, fatal %q", r.skipped, r.fatal)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"join/ar form":   "join/ar_form",
		"../../etc/x":    "etc/x",
		"/abs//path/":    "abs/path",
		"":               "screenshot",
		"حلقة":           "____",
		"report-2025.v1": "report-2025.v1",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
