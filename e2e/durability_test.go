package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/seal"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

var csrfInPage = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// httpSession is a signed-in HTTP client for tests that need no browser.
type httpSession struct {
	c    *http.Client
	base string
	csrf string
}

func signInHTTP(t *testing.T, base, username string) *httpSession {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &httpSession{c: &http.Client{Jar: jar, Timeout: 30 * time.Second}, base: base}
	s.get(t, "/signin")
	res, _ := s.post(t, "/signin", url.Values{"login": {username}, "password": {demoPassword}})
	if res != http.StatusOK { // redirect followed to the home page
		t.Fatalf("sign in as %s: %d", username, res)
	}
	s.get(t, "/people")
	return s
}

func (s *httpSession) get(t *testing.T, path string) string {
	res, err := s.c.Get(s.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := csrfInPage.FindSubmatch(b); m != nil {
		s.csrf = string(m[1])
	}
	return string(b)
}

func (s *httpSession) post(t *testing.T, path string, form url.Values) (int, error) {
	form.Set("csrf", s.csrf)
	res, err := s.c.PostForm(s.base+path, form)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// TestNoAcknowledgedWriteIsLostOnKill adds people from several clients at
// once, kills the server with SIGKILL in the middle, and checks that every
// addition the server had acknowledged is in the database after a restart:
// synchronous=FULL means an answer is only sent after the write is on disk.
func TestNoAcknowledgedWriteIsLostOnKill(t *testing.T) {
	a := startDemo(t)
	organiser := signInHTTP(t, a.URL, "organiser")

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Durable Person %d-%d", w, i)
				code, err := organiser.post(t, "/people", url.Values{"full_name": {name}, "site": {"1"},
					"email": {fmt.Sprintf("durable%d-%d@example.org", w, i)}})
				if err != nil {
					return // the server is gone
				}
				if code == http.StatusOK {
					mu.Lock()
					acked = append(acked, name)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(3 * time.Second)
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	a.cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 5 {
		t.Fatalf("only %d writes were acknowledged before the kill; the test proves little", len(acked))
	}

	db, err := sqlite.Open(filepath.Join(a.DataDir, "peercircle.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys, _ := seal.NewKeyring(seal.GenerateKey(1))
	store := sqlstore.New(db, keys)
	people, total, err := store.FindPeople(context.Background(), peercircle.PersonFilter{Query: "Durable Person", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, p := range people {
		found[p.FullName] = true
	}
	var lost []string
	for _, name := range acked {
		if !found[name] {
			lost = append(lost, name)
		}
	}
	if len(lost) > 0 {
		t.Fatalf("%d of %d acknowledged writes were lost: %s", len(lost), len(acked), strings.Join(lost, ", "))
	}
	t.Logf("%d writes acknowledged before SIGKILL, all %d present after (total in database %d)", len(acked), len(acked), total)

	// And the server starts again on the same data.
	again := start(t, "demo", "--addr", "127.0.0.1:0", "--data-dir", a.DataDir)
	if !strings.Contains(again.Output(), "reusing the data") {
		t.Fatalf("the restarted demo did not reuse its data:\n%s", again.Output())
	}
}
