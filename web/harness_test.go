package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/metrics"
	"github.com/peercircle/peercircle/seal"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
	"github.com/peercircle/peercircle/web"
)

// The fixture is a small organisation with everything twice: an "in" half
// (region R1, area A1, site S1, group G1) where each role's test person
// holds their role, and an "out" half (R2, A2, S2, G2) where nobody does.
// Access tests ask every route for both halves.
//
// Other areas of the product add their own records (sessions, reports, ...)
// with fixtureSteps, in their own test files, and name them in In and Out
// under the path placeholder they fill, e.g. In["session"].
type fixture struct {
	In, Out map[string]int64
	People  map[string]*peercircle.Person // by role name; "anon" has none
	dbPath  string
}

// fixtureSteps add records to the fixture after the core ones exist.
var fixtureSteps []func(ctx context.Context, s *sqlstore.Store, f *fixture) error

// Roles the tests sign in as; "anon" is the public.
var testRoles = []string{"anon", "admin", "coordinator", "organiser", "facilitator", "member", "supervisor", "trainer"}

const testPassword = "a calm evening walk"

var (
	fixtureOnce sync.Once
	fixtureMain *fixture
	fixtureErr  error
)

// fixtureKeys is the one keyring of the test binary: text the fixture
// sealed must open in every copy of it.
var fixtureKeys = sync.OnceValue(func() *seal.Keyring {
	keys, err := seal.NewKeyring(seal.GenerateKey(1))
	if err != nil {
		panic(err)
	}
	return keys
})

// sharedFixture builds the fixture database once per test binary; tests
// get their own copy of the file with clone.
func sharedFixture(t testing.TB) *fixture {
	t.Helper()
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "peercircle-web-fixture-")
		if err != nil {
			fixtureErr = err
			return
		}
		fixtureMain, fixtureErr = buildFixture(filepath.Join(dir, "fixture.db"))
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureMain
}

func buildFixture(path string) (*fixture, error) {
	ctx := context.Background()
	db, err := sqlite.Open(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	s := sqlstore.New(db, fixtureKeys())
	f := &fixture{In: map[string]int64{}, Out: map[string]int64{}, People: map[string]*peercircle.Person{}, dbPath: path}
	if err := s.UpdateOrganisation(ctx, &peercircle.Organisation{Name: "Test Programme", QuarterStartMonth: 1}); err != nil {
		return nil, err
	}
	// The access tests ask every route as every role: no role must set up
	// a second factor first here. web/secondfactor_test.go turns the rule
	// on as a real installation has it.
	if err := s.SetSetting(ctx, peercircle.SettingSecondFactorRoles, ""); err != nil {
		return nil, err
	}
	for _, half := range []struct {
		ids map[string]int64
		tag string
	}{{f.In, "1"}, {f.Out, "2"}} {
		r := &peercircle.Region{Name: "Region " + half.tag, TimeZone: "Asia/Amman"}
		if err := s.CreateRegion(ctx, r); err != nil {
			return nil, err
		}
		a := &peercircle.Area{RegionID: r.ID, Name: "Area " + half.tag}
		if err := s.CreateArea(ctx, a); err != nil {
			return nil, err
		}
		st := &peercircle.Site{AreaID: a.ID, Name: "Site " + half.tag, Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
		if err := s.CreateSite(ctx, st); err != nil {
			return nil, err
		}
		g := &peercircle.Group{SiteID: st.ID, Name: "Group " + half.tag, Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
			Structure: peercircle.StructureFormal, Lang: "en", Status: peercircle.GroupActive}
		if err := s.CreateGroup(ctx, g); err != nil {
			return nil, err
		}
		// A peer at the site, with a grant to delete in access tests.
		peer := &peercircle.Person{Username: "peer" + half.tag, FullName: "Peer " + half.tag, HomeSiteID: st.ID, Status: peercircle.PersonActive}
		if err := s.CreatePerson(ctx, peer); err != nil {
			return nil, err
		}
		gr := &peercircle.Grant{PersonID: peer.ID, Role: peercircle.RoleTrainer, ScopeKind: peercircle.ScopeSite, ScopeID: st.ID}
		if err := s.AddGrant(ctx, gr); err != nil {
			return nil, err
		}
		half.ids["region"], half.ids["area"], half.ids["site"], half.ids["group"] = r.ID, a.ID, st.ID, g.ID
		half.ids["person"], half.ids["grant"] = peer.ID, gr.ID
	}
	in := f.In
	for _, role := range testRoles[1:] {
		p := &peercircle.Person{Username: role, Email: role + "@test.invalid", FullName: "Test " + strings.Title(role), HomeSiteID: in["site"], Status: peercircle.PersonActive}
		if err := s.CreatePerson(ctx, p); err != nil {
			return nil, err
		}
		if err := s.SetPassword(ctx, p.ID, testPassword); err != nil {
			return nil, err
		}
		f.People[role] = p
		var g *peercircle.Grant
		switch role {
		case "admin":
			g = &peercircle.Grant{Role: role, ScopeKind: peercircle.ScopeOrganisation}
		case "coordinator":
			g = &peercircle.Grant{Role: role, ScopeKind: peercircle.ScopeArea, ScopeID: in["area"]}
		case "organiser", "trainer":
			g = &peercircle.Grant{Role: role, ScopeKind: peercircle.ScopeSite, ScopeID: in["site"]}
		case "supervisor":
			g = &peercircle.Grant{Role: role, ScopeKind: peercircle.ScopeRegion, ScopeID: in["region"]}
		case "facilitator", "member":
			m := &peercircle.Membership{GroupID: in["group"], PersonID: p.ID, Role: role, Status: peercircle.MemberActive}
			if err := s.SaveMembership(ctx, m); err != nil {
				return nil, err
			}
			continue
		}
		g.PersonID = p.ID
		if err := s.AddGrant(ctx, g); err != nil {
			return nil, err
		}
	}
	for _, step := range fixtureSteps {
		if err := step(ctx, s, f); err != nil {
			return nil, err
		}
	}
	// Fold the WAL into the file so a plain copy is the whole database.
	if _, err := db.WritePool().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return nil, err
	}
	return f, nil
}

// env is one running copy of the fixture: its own database file and server.
type env struct {
	*fixture
	t     testing.TB
	Store *sqlstore.Store
	Web   *web.Server
	URL   string
	Log   *logBuffer
}

// logBuffer keeps what the server logged, so tests can check that no
// confidential text or secret reached the logs.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newEnv starts a server on a fresh copy of the fixture database.
func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith is newEnv with a chance to set up the server (a mailer, a
// configuration) before it serves its first request.
func newEnvWith(t testing.TB, setup func(*web.Server)) *env {
	t.Helper()
	f := sharedFixture(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "peercircle.db")
	b, err := os.ReadFile(f.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store := sqlstore.New(db, fixtureKeys())
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	srv, err := web.New(store, bundle, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), web.Config{}, metrics.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(srv)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	srv.Listening(hs.Listener.Addr())
	return &env{fixture: f, t: t, Store: store, Web: srv, URL: hs.URL, Log: logs}
}

// client is a browser-like HTTP client: cookies, no automatic redirects.
type client struct {
	e    *env
	http *http.Client
	csrf string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// as returns a client signed in as the fixture person with that role;
// "anon" stays signed out. The session is made in the store directly (the
// sign-in form has its own tests; a password hash per request would make
// the access matrix slow).
func (e *env) as(role string) *client {
	e.t.Helper()
	c := e.client()
	if role == "anon" {
		c.get("/signin")
		return c
	}
	token, _, err := e.Store.CreateAuthSession(context.Background(), e.People[role].ID)
	if err != nil {
		e.t.Fatal(err)
	}
	u, _ := url.Parse(e.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "pc_session", Value: token, Path: "/"}})
	c.get("/profile")
	return c
}

// signIn signs in through the real form, as a person would.
func (c *client) signIn(login, password string) *response {
	c.e.t.Helper()
	c.get("/signin")
	return c.post("/signin", url.Values{"login": {login}, "password": {password}})
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// do sends a request and remembers the CSRF token of the page it gets.
func (c *client) do(req *http.Request) *response {
	c.e.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfRE.FindSubmatch(body); m != nil {
		c.csrf = string(m[1])
	}
	return &response{Response: res, Body: string(body)}
}

type response struct {
	*http.Response
	Body string
}

func (c *client) get(path string) *response {
	req, _ := http.NewRequest(http.MethodGet, c.e.URL+path, nil)
	return c.do(req)
}

// post submits a form with the client's current CSRF token.
func (c *client) post(path string, form url.Values) *response {
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.e.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func id(n int64) string { return strconv.FormatInt(n, 10) }
