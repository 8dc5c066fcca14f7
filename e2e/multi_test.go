package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/postgres"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// Several instances on one PostgreSQL database, behind a round-robin
// proxy: nothing an instance needs is in its memory, so a person signed in
// on one is signed in on the other, the live meeting one facilitator runs
// is the same on both, and background jobs run once across them.

// instances starts n `peercircle serve` processes on one fresh PostgreSQL
// database holding the demo organisation, sharing the key file, each with
// its own data directory (where its outgoing mail lands).
func instances(t *testing.T, n int) (dbURL string, apps []*app) {
	t.Helper()
	dbURL = storetest.PostgresURL(t)
	shared := t.TempDir()
	keyFile := filepath.Join(shared, "secret.key")
	seed := exec.Command(binary, "seed", "--scale", "demo", "--database", dbURL, "--key-file", keyFile, "--data-dir", filepath.Join(shared, "seed"))
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("seeding the demo: %v\n%s", err, out)
	}
	for i := range n {
		dir := filepath.Join(shared, fmt.Sprintf("instance-%d", i+1))
		apps = append(apps, start(t, "serve", "--addr", "127.0.0.1:0", "--database", dbURL, "--key-file", keyFile, "--data-dir", dir))
	}
	return dbURL, apps
}

// roundRobin is the small load balancer of the test: each request goes to
// the next instance.
func roundRobin(t *testing.T, apps []*app) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var next atomic.Int64
	targets := make([]*url.URL, len(apps))
	for i, a := range apps {
		u, err := url.Parse(a.URL)
		if err != nil {
			t.Fatal(err)
		}
		targets[i] = u
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		u := targets[int(next.Add(1)-1)%len(targets)]
		r.SetURL(u)
		r.Out.Host = r.In.Host // the instances check the origin of forms against the host
	}}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv, &next
}

// browserClient keeps cookies and does not follow redirects, like a form
// post seen from the test.
type browserClient struct {
	t    *testing.T
	http *http.Client
}

func newBrowser(t *testing.T) *browserClient {
	jar, _ := cookiejar.New(nil)
	return &browserClient{t: t, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browserClient) get(u string) (int, string) {
	b.t.Helper()
	res, err := b.http.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// post sends a form with the CSRF token taken from the page at from.
func (b *browserClient) post(from, to string, form url.Values) (int, string) {
	b.t.Helper()
	_, page := b.get(from)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s", from)
	}
	form.Set("csrf", m[1])
	res, err := b.http.PostForm(to, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// signInAt signs in with the demo password at base.
func (b *browserClient) signInAt(base, login string) {
	b.t.Helper()
	status, body := b.post(base+"/signin", base+"/signin", url.Values{"login": {login}, "password": {demoPassword}, "next": {"/"}})
	if status != http.StatusSeeOther {
		b.t.Fatalf("signing in as %s at %s: status %d\n%.500s", login, base, status, body)
	}
}

func TestTwoInstancesShareSignInLiveMeetingsAndJobs(t *testing.T) {
	dbURL, apps := instances(t, 2)
	a, b := apps[0], apps[1]
	ctx := context.Background()

	t.Run("a person signed in on one instance is signed in on the other", func(t *testing.T) {
		br := newBrowser(t)
		br.signInAt(a.URL, "member")
		// The cookie was set by a; present it to b.
		u, _ := url.Parse(a.URL)
		ub, _ := url.Parse(b.URL)
		br.http.Jar.SetCookies(ub, br.http.Jar.Cookies(u))
		status, body := br.get(b.URL + "/")
		if status != http.StatusOK || !strings.Contains(body, "Yara") {
			t.Fatalf("home page on the second instance: status %d, signed in as the member: %t", status, strings.Contains(body, "Yara"))
		}
		// Signing out on b ends the session on a too.
		if status, _ := br.post(b.URL+"/", b.URL+"/signout", url.Values{}); status != http.StatusSeeOther {
			t.Fatalf("sign-out on the second instance: status %d", status)
		}
		br.http.Jar.SetCookies(u, br.http.Jar.Cookies(ub))
		if status, _ := br.get(a.URL + "/"); status != http.StatusSeeOther {
			t.Errorf("after signing out on b, a still serves the home page (status %d)", status)
		}
	})

	t.Run("behind a round-robin proxy every page works", func(t *testing.T) {
		proxy, sent := roundRobin(t, apps)
		br := newBrowser(t)
		br.signInAt(proxy.URL, "organiser")
		before := sent.Load()
		for _, path := range []string{"/", "/groups", "/people", "/", "/reports"} {
			if status, _ := br.get(proxy.URL + path); status != http.StatusOK {
				t.Errorf("GET %s through the proxy: status %d", path, status)
			}
		}
		if sent.Load()-before != 5 {
			t.Fatalf("the proxy forwarded %d requests, want 5", sent.Load()-before)
		}
	})

	t.Run("a live meeting run on one instance is seen live on the other", func(t *testing.T) {
		db, err := postgres.Open(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		store := sqlstore.New(db, nil)
		fac, err := store.PersonByLogin(ctx, "facilitator")
		if err != nil {
			t.Fatal(err)
		}
		groups, err := store.GroupsOf(ctx, fac.ID)
		if err != nil || len(groups) == 0 {
			t.Fatalf("the facilitator's groups: %v, %v", groups, err)
		}
		start := time.Now().Add(time.Hour).Truncate(time.Minute)
		m := &peercircle.Session{GroupID: groups[0].ID, PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour),
			LocalDate: start.Format("2006-01-02"), Status: peercircle.SessionPlanned, FacilitatorID: fac.ID}
		if err := store.AddSession(ctx, m); err != nil {
			t.Fatal(err)
		}
		live := fmt.Sprintf("/sessions/%d/live", m.ID)

		onA, onB := newBrowser(t), newBrowser(t)
		onA.signInAt(a.URL, "facilitator")
		onB.signInAt(b.URL, "facilitator")
		if status, body := onA.post(a.URL+live, a.URL+live, url.Values{"op": {"start"}}); status != http.StatusSeeOther {
			t.Fatalf("starting the meeting on a: status %d\n%.500s", status, body)
		}
		state := func(br *browserClient, base string) map[string]any {
			t.Helper()
			status, body := br.get(base + live + ".json")
			if status != http.StatusOK {
				t.Fatalf("live state from %s: status %d", base, status)
			}
			var st map[string]any
			if err := json.Unmarshal([]byte(body), &st); err != nil {
				t.Fatalf("live state from %s: %v\n%s", base, err, body)
			}
			return st
		}
		if st := state(onB, b.URL); st["state"] != "running" {
			t.Fatalf("b sees the meeting a started as %v", st["state"])
		}
		first := state(onA, a.URL)["version"]
		// Move to the next agenda segment on b; a sees the change.
		if status, body := onB.post(b.URL+live, b.URL+live, url.Values{"op": {"goto:2"}}); status != http.StatusSeeOther {
			t.Fatalf("moving to segment 2 on b: status %d\n%.500s", status, body)
		}
		st := state(onA, a.URL)
		if st["segment"] != float64(2) || st["version"] == first {
			t.Errorf("a sees segment %v version %v after b moved to segment 2 (version before %v)", st["segment"], st["version"], first)
		}
	})

	t.Run("background jobs run once across the instances", func(t *testing.T) {
		// Password-reset mails, asked for through both instances.
		logins := []string{"admin", "coordinator", "organiser", "facilitator", "member", "supervisor", "trainer",
			"organiser.marka", "organiser.zarqa", "coordinator.zarqa"}
		for i, login := range logins {
			base := apps[i%2].URL
			br := newBrowser(t)
			if status, _ := br.post(base+"/reset", base+"/reset", url.Values{"login": {login}}); status != http.StatusOK {
				t.Fatalf("asking for a reset link for %s: status %d", login, status)
			}
		}
		db, err := postgres.Open(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := db.QueryRow(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		deadline := time.Now().Add(time.Minute)
		for count("SELECT COUNT(*) FROM jobs WHERE kind = 'mail' AND state <> 'done'") > 0 && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
		}
		if n := count("SELECT COUNT(*) FROM jobs WHERE kind = 'mail' AND state = 'done'"); n != len(logins) {
			t.Fatalf("%d mail jobs done, want %d", n, len(logins))
		}
		if n := count("SELECT COUNT(*) FROM jobs WHERE kind = 'mail' AND attempts <> 1"); n != 0 {
			t.Errorf("%d mail jobs were claimed more than once", n)
		}
		// The mail folder also holds the outbox's notices (the demo's own
		// reminders, the report nudges); a reset mail is the one that
		// carries a reset link, and every other one is a message the outbox
		// marked sent. The outbox may still be working: look again until
		// the folder and the outbox agree, for at most half a minute.
		readMail := func() (resets, others int) {
			for _, ap := range apps {
				dir := filepath.Join(ap.DataDir, "mail")
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					f, err := os.Open(filepath.Join(dir, e.Name()))
					if err != nil {
						t.Fatal(err)
					}
					msg, err := mail.ReadMessage(f)
					if err != nil {
						t.Fatalf("%s: %v", e.Name(), err)
					}
					body, err := mailText(msg.Header.Get("Content-Type"), msg.Body)
					f.Close()
					if err != nil {
						t.Fatalf("%s: %v", e.Name(), err)
					}
					if strings.Contains(string(body), "/reset/") {
						resets++
					} else {
						others++
					}
				}
			}
			return resets, others
		}
		sentMail := func() int {
			return count("SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND state = 'sent'")
		}
		resets, others := readMail()
		deadline = time.Now().Add(30 * time.Second)
		for others != sentMail() && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
			resets, others = readMail()
		}
		if resets != len(logins) {
			t.Errorf("%d reset e-mails written by the two instances, want %d (one per job)", resets, len(logins))
		}
		if sent := sentMail(); others != sent {
			t.Errorf("%d other e-mails written by the two instances, want %d (one per message the outbox sent)", others, sent)
		}
		// The hourly job both instances scheduled at start: one row, run once.
		if n := count("SELECT COUNT(*) FROM jobs WHERE kind = ?", sqlstore.JobReportNudges); n != 1 {
			t.Errorf("%d report-nudge jobs for this hour, want 1", n)
		}
		deadline = time.Now().Add(30 * time.Second)
		for count("SELECT COUNT(*) FROM jobs WHERE kind = ? AND state = 'done' AND attempts = 1", sqlstore.JobReportNudges) != 1 && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
		}
		if n := count("SELECT COUNT(*) FROM jobs WHERE kind = ? AND state = 'done' AND attempts = 1", sqlstore.JobReportNudges); n != 1 {
			t.Errorf("the report-nudge job did not run exactly once")
		}
	})
}

// mailText is an e-mail's plain text, as a mail client shows it: the
// text/plain part of a multipart message (the outbox's messages carry an
// HTML alternative too), base64-decoded.
func mailText(contentType string, body io.Reader) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, body))
		return string(b), err
	}
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err != nil {
			return "", fmt.Errorf("no text part: %w", err)
		}
		if ct := p.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/plain") || strings.HasPrefix(ct, "multipart/") {
			return mailText(ct, p)
		}
	}
}
