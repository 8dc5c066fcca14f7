package web_test

import (
	"context"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
)

// TestTemplatesUseOnlyKnownMessages finds every literal message key in the
// templates and checks the English catalogue has it, so no page shows a
// key instead of words. Keys built at run time (printf) are checked by the
// browser tests, which look for the !key! marker on every page they visit.
func TestTemplatesUseOnlyKnownMessages(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := bundle.Localizer("en")
	keyRE := regexp.MustCompile(`\.T "([a-z0-9_.]+)"|"(?:Label|Hint|Title)" "([a-z0-9_.]+)"`)
	err = fs.WalkDir(os.DirFS("templates"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(filepath.Join("templates", path))
		if err != nil {
			return err
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			key := m[1] + m[2]
			if !en.Has(key) {
				t.Errorf("%s uses %q, which is not in the English catalogue", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPagesAreLight keeps each main page, with its stylesheet and script,
// under 100 KB: people open PeerCircle on cheap phones over slow links.
func TestPagesAreLight(t *testing.T) {
	e := newEnv(t)
	assetRE := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	pages := map[string][]string{
		"admin":     {"/", "/admin/org", "/people"},
		"organiser": {"/sites/" + id(e.In["site"])},
		"member":    {"/", "/groups/" + id(e.In["group"]), "/profile", "/support"},
		"anon":      {"/signin"},
	}
	for role, paths := range pages {
		c := e.as(role)
		for _, p := range paths {
			res := c.get(p)
			if res.StatusCode != 200 {
				t.Errorf("%s as %s: status %d", p, role, res.StatusCode)
				continue
			}
			total := len(res.Body)
			for _, m := range assetRE.FindAllStringSubmatch(res.Body, -1) {
				total += len(c.get(strings.ReplaceAll(m[1], "&amp;", "&")).Body)
			}
			if total > 100*1024 {
				t.Errorf("%s as %s weighs %d bytes with its assets", p, role, total)
			}
		}
	}
}

// The bell in the header counts the person's unread notifications on every
// page, and reading them clears it; another person's never count.
func TestBellCountsUnreadNotifications(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	member := e.People["member"]
	bell := regexp.MustCompile(`class="bell"[^>]*>(?s:.*?)</a>`)
	count := func(c *client) string {
		t.Helper()
		res := c.get("/profile")
		m := bell.FindString(res.Body)
		if m == "" {
			t.Fatalf("no bell on the profile page")
		}
		if c := regexp.MustCompile(`<span class="count">([^<]*)</span>`).FindStringSubmatch(m); c != nil {
			return c[1]
		}
		return ""
	}
	c := e.as("member")
	before := count(c)
	for range 2 {
		if err := e.Store.Notify(ctx, &peercircle.Notification{PersonID: member.ID, Kind: "test", Link: "/"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Store.Notify(ctx, &peercircle.Notification{PersonID: e.People["organiser"].ID, Kind: "test", Link: "/"}); err != nil {
		t.Fatal(err)
	}
	want := "2"
	if before != "" {
		n, _ := strconv.Atoi(before)
		want = strconv.Itoa(n + 2)
	}
	if got := count(c); got != want {
		t.Errorf("bell shows %q after two notifications, want %q (was %q)", got, want, before)
	}
	c.post("/notifications/read", url.Values{"id": {"0"}})
	if got := count(c); got != "" {
		t.Errorf("bell shows %q after reading everything, want no count", got)
	}
}
