package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestLogsHoldNoSecrets signs in, invites someone and accepts the
// invitation, then checks that neither the passwords nor the link token
// reached the log: handlers log route patterns, not paths.
func TestLogsHoldNoSecrets(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.signIn("organiser", testPassword)
	c.signIn("organiser", "a wrong guess at it")
	org := e.as("organiser")
	org.get("/people")
	res := org.post("/people", url.Values{"full_name": {"Logged Nobody"}, "email": {"lognobody@example.org"}, "site": {id(e.In["site"])}})
	i := strings.Index(res.Body, "/invite/")
	if i < 0 {
		t.Fatal("no invitation link")
	}
	link := res.Body[i : i+strings.IndexByte(res.Body[i:], '"')]
	token := strings.TrimPrefix(link, "/invite/")
	newcomer := e.client()
	newcomer.get(link)
	newcomer.post(link, url.Values{"password": {"pomegranate season"}, "password2": {"pomegranate season"}})

	logs := e.Log.String()
	if !strings.Contains(logs, `route="POST /invite/{token}"`) {
		t.Fatalf("the log does not show the requests at all:\n%s", logs)
	}
	for _, secret := range []string{testPassword, "a wrong guess at it", "pomegranate season", token, "Logged Nobody"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

// TestMetricsCountRequestsByRoute checks the Prometheus endpoint counts
// requests under their route pattern, never their path.
func TestMetricsCountRequestsByRoute(t *testing.T) {
	e := newEnv(t)
	c := e.as("member")
	c.get("/groups/" + id(e.In["group"]))
	body := e.client().get("/metrics").Body
	if !strings.Contains(body, `peercircle_http_requests_total{route="GET /groups/{group}",code="2xx"}`) {
		t.Fatalf("no counter for the group page:\n%s", body)
	}
	if strings.Contains(body, "/groups/"+id(e.In["group"])) {
		t.Fatal("a path with an id reached the metrics")
	}
}
