package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// hostile sends a request as an attacker would, naming another host in Host
// and X-Forwarded-Host.
func (c *client) hostile(method, path string, form url.Values) *response {
	var req *http.Request
	if method == http.MethodPost {
		if form.Get("csrf") == "" {
			form.Set("csrf", c.csrf)
		}
		req, _ = http.NewRequest(method, c.e.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, _ = http.NewRequest(method, c.e.URL+path, nil)
	}
	// The client's cookie jar goes by the Host header; send its cookies
	// for the server's own address, as a browser tricked into this would.
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	req.Host = "evil.example"
	req.Header.Set("X-Forwarded-Host", "evil.example")
	return c.do(req)
}

// TestLinksNeverComeFromTheHostHeader (issue 10, item 2): every link that
// leaves the app — a reset mail, an invitation, the calendar feed, the
// feedback code, a flyer's QR code and the public feeds — starts with the
// configured address or, without one, the address the server listens on,
// whatever Host the request names.
func TestLinksNeverComeFromTheHostHeader(t *testing.T) {
	e, mail := newEnvMail(t)

	t.Run("a reset mail", func(t *testing.T) {
		anon := e.as("anon")
		anon.hostile(http.MethodGet, "/reset", nil)
		wantStatus(t, anon.hostile(http.MethodPost, "/reset", url.Values{"login": {"member"}}), http.StatusOK)
		sent := mail.all()
		if len(sent) != 1 {
			t.Fatalf("%d mails sent, want 1", len(sent))
		}
		if !strings.HasPrefix(sent[0].Link, e.URL+"/reset/") {
			t.Fatalf("the reset link is %q, want it on %s", sent[0].Link, e.URL)
		}
	})

	pages := map[string]func() *response{
		"an invitation": func() *response {
			org := e.as("organiser")
			return org.hostile(http.MethodPost, "/people", url.Values{"full_name": {"Hostile Newcomer"}, "email": {"hostile@example.org"}, "site": {id(e.In["site"])}})
		},
		"the calendar feed": func() *response {
			return e.as("member").hostile(http.MethodGet, "/calendar", nil)
		},
		"the feedback code": func() *response {
			sid := newMeetingIn(t, e, 5*time.Minute)
			fac := e.as("facilitator")
			live := fmt.Sprintf("/sessions/%d/live", sid)
			fac.get(live)
			wantStatus(t, fac.post(live, url.Values{"op": {"start"}}), http.StatusSeeOther)
			member := e.as("member")
			member.get(fmt.Sprintf("/sessions/%d", sid))
			wantStatus(t, member.post(fmt.Sprintf("/sessions/%d/here", sid), nil), http.StatusSeeOther)
			wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/feedback", sid), url.Values{"op": {"open"}}), http.StatusSeeOther)
			return fac.hostile(http.MethodGet, live, nil)
		},
		"a flyer": func() *response {
			return e.client().hostile(http.MethodGet, "/find/"+id(e.In["listed"])+"/flyer", nil)
		},
		"the public feed": func() *response {
			return e.client().hostile(http.MethodGet, "/find/meetings.json", nil)
		},
	}
	for name, get := range pages {
		t.Run(name, func(t *testing.T) {
			res := get()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d\n%s", res.StatusCode, res.Body)
			}
			if strings.Contains(res.Body, "evil.example") {
				t.Fatalf("a link was built from the Host header:\n%s", excerpt(res.Body))
			}
			if !strings.Contains(res.Body, e.URL+"/") {
				t.Fatalf("no link on the server's own address %s:\n%s", e.URL, res.Body)
			}
		})
	}
}
