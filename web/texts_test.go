package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/web"
)

// TestWrittenMessagesReadAsTheirCalls opens every page in every language
// twice, with the messages of constant keys written into the page's
// templates and with every message called as the template asks, and wants
// the same bytes: writing them in must change nothing a person receives.
func TestWrittenMessagesReadAsTheirCalls(t *testing.T) {
	e := newEnv(t)
	withFeedback(t, e)
	pages := everyPage(t, e)
	compared := 0
	for _, lang := range []string{"en", "ar", "fr"} {
		for _, role := range testRoles {
			if p, ok := e.People[role]; ok {
				if err := e.Store.SetLanguage(context.Background(), p.ID, lang); err != nil {
					t.Fatal(err)
				}
			}
		}
		clients := map[string]*client{}
		for _, p := range pages {
			c, ok := clients[p.role]
			if !ok {
				c = e.as(p.role)
				clients[p.role] = c
			}
			path := p.path
			if p.role == "anon" || cacheablePublic(path) {
				path += map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")] + "lang=" + lang
			}
			web.CallEveryMessage(e.Web, false)
			written := c.get(path)
			web.CallEveryMessage(e.Web, true)
			called := c.get(path)
			if written.StatusCode != called.StatusCode {
				t.Errorf("%s as %s in %s: status %d written, %d called", path, p.role, lang, written.StatusCode, called.StatusCode)
				continue
			}
			if written.StatusCode != http.StatusOK || !strings.HasPrefix(written.Header.Get("Content-Type"), "text/html") {
				continue
			}
			if challengeRE.ReplaceAllString(written.Body, "") != challengeRE.ReplaceAllString(called.Body, "") {
				t.Errorf("%s as %s in %s differs:\n%s", path, p.role, lang, firstDifference(written.Body, called.Body))
				continue
			}
			compared++
		}
	}
	if compared < 200 {
		t.Errorf("only %d pages compared", compared)
	}
}

// challengeRE finds the values of the public forms' question for people,
// new on every request, with the second it was issued at (two requests a
// second apart differed there under -race).
var challengeRE = regexp.MustCompile(`name="(?:issued|a|b|stamp)" value="[^"]*"|<label for="f-answer">[^<]*`)

// firstDifference shows where two texts first differ.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return "written: …" + a[from:min(len(a), i+80)] + "\ncalled:  …" + b[from:min(len(b), i+80)]
}
