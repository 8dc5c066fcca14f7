package web_test

import (
	"net/http"
	"net/http/httptest"
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

// TestMetricsCountRequestsByRoute checks the operators' counters count
// requests under their route pattern, never their path; that the app does
// not serve them; and that private acts move no counter (issue 10, item 5:
// /metrics was public and a support request or complaint moved a counter,
// dating it).
func TestMetricsCountRequestsByRoute(t *testing.T) {
	e := newEnv(t)
	c := e.as("member")
	c.get("/groups/" + id(e.In["group"]))
	scrape := func() string {
		rec := httptest.NewRecorder()
		e.Web.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		return rec.Body.String()
	}
	body := scrape()
	if !strings.Contains(body, `peercircle_http_requests_total{route="GET /groups/{group}",code="2xx"}`) {
		t.Fatalf("no counter for the group page:\n%s", body)
	}
	if strings.Contains(body, "/groups/"+id(e.In["group"])) {
		t.Fatal("a path with an id reached the metrics")
	}
	if res := e.client().get("/metrics"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the app serves /metrics to anyone: %d", res.StatusCode)
	}

	c.get("/support")
	c.post("/support/requests", url.Values{"kind": {"talk"}, "note": {"I would like to talk to someone"}})
	anon := e.client()
	anon.get("/complaints/new")
	anon.post("/complaints/new", url.Values{"about": {"other"}, "text": {"Something happened"}})
	after := scrape()
	for _, route := range []string{"POST /support/requests", "POST /complaints/new", "private"} {
		if strings.Contains(after, `route="`+route) {
			t.Errorf("a private act moved a counter: %s", route)
		}
	}
	logs := e.Log.String()
	if strings.Contains(logs, `route="POST /support/requests"`) || strings.Contains(logs, `route="POST /complaints/new"`) {
		t.Error("the log dates a private act under its route")
	}
	if !strings.Contains(logs, `route=private`) {
		t.Error("private acts are not logged at all")
	}
}
