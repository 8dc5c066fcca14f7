package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// The fixture's member has a support request to their group's facilitators
// (fixture_safety_test.go) with this text.
const memberRequestText = "I would like to talk after the meeting."

func TestMyDataPage(t *testing.T) {
	e := newEnv(t)
	c := e.as("member")
	t.Run("the profile links to it", func(t *testing.T) {
		if body := c.get("/profile").Body; !strings.Contains(body, `href="/me/data"`) {
			t.Fatal("no link on the profile")
		}
	})
	t.Run("it shows the account, groups and the member's own sealed request", func(t *testing.T) {
		res := c.get("/me/data")
		wantStatus(t, res, http.StatusOK)
		body := seen(res.Body)
		for _, want := range []string{"My data", "Test Member", "member@test.invalid", "Group 1", memberRequestText, `href="/me/data.json"`, `href="/me/erase"`,
			"Who else read your confidential records"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q", cc)
		}
	})
	t.Run("a facilitator's read of the request is listed, by name", func(t *testing.T) {
		f := e.as("facilitator")
		wantStatus(t, f.get("/support/requests/"+id(e.In["request"])), http.StatusOK)
		body := seen(c.get("/me/data").Body)
		if !strings.Contains(body, "Test Facilitator") || !strings.Contains(body, "read your support request") {
			t.Fatalf("the read is not listed:\n%s", excerpt(body))
		}
	})
	t.Run("in Arabic it is right to left and translated", func(t *testing.T) {
		a := e.as("member")
		a.post("/language", url.Values{"lang": {"ar"}, "next": {"/me/data"}})
		body := seen(a.get("/me/data").Body)
		if !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, "بياناتي") || !strings.Contains(body, "من غيرك قرأ سجلاتك السرّية") {
			t.Fatalf("not in Arabic:\n%s", excerpt(body))
		}
	})
	t.Run("nobody else's page shows the member's request", func(t *testing.T) {
		for _, role := range []string{"facilitator", "organiser", "admin"} {
			if strings.Contains(seen(e.as(role).get("/me/data").Body), memberRequestText) {
				t.Errorf("%s sees the member's request on their own page", role)
			}
		}
	})
	if strings.Contains(e.Log.String(), memberRequestText) {
		t.Error("the request's text reached the logs")
	}
}

func TestMyDataExport(t *testing.T) {
	e := newEnv(t)
	res := e.as("member").get("/me/data.json")
	wantStatus(t, res, http.StatusOK)
	for h, want := range map[string]string{
		"Content-Type":        "application/json; charset=utf-8",
		"Content-Disposition": `attachment; filename="peercircle-my-data.json"`,
		"Cache-Control":       "no-store",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	var d struct {
		Format string `json:"format"`
		peercircle.MyData
	}
	if err := json.Unmarshal([]byte(res.Body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Format != "peercircle.mydata/1" || d.Account.Username != "member" || len(d.Memberships) != 1 || d.Memberships[0].Group != "Group 1" {
		t.Errorf("export: %+v", d)
	}
	if len(d.SupportRequests) != 1 || d.SupportRequests[0].Message != memberRequestText {
		t.Errorf("support requests: %+v", d.SupportRequests)
	}
	if strings.Contains(res.Body, "password_hash") || strings.Contains(res.Body, "$argon2id$") {
		t.Error("the export holds the password hash")
	}
	if fac := e.as("facilitator").get("/me/data.json").Body; strings.Contains(fac, memberRequestText) {
		t.Error("the facilitator's export holds the member's request")
	}
}

func TestEraseMyself(t *testing.T) {
	e := newEnv(t)
	c := e.as("member")
	t.Run("the confirmation says what goes and what stays", func(t *testing.T) {
		body := seen(c.get("/me/erase").Body)
		for _, want := range []string{"What will be removed", "What stays, without your name", "Your requests for more support, with what you wrote and the answers (1)",
			`type="password"`, `autocomplete="current-password"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	t.Run("without the CSRF token nothing happens", func(t *testing.T) {
		res := c.post("/me/erase", url.Values{"password": {testPassword}, "csrf": {"forged"}})
		wantStatus(t, res, http.StatusForbidden)
		wantStatus(t, c.get("/me/data"), http.StatusOK)
	})
	t.Run("a wrong password is refused and nothing happens", func(t *testing.T) {
		c.get("/me/erase")
		res := c.post("/me/erase", url.Values{"password": {"not my password"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(seen(res.Body), "That password is not right. Nothing was erased.") {
			t.Errorf("no message:\n%s", excerpt(res.Body))
		}
		if strings.Contains(res.Body, "not my password") {
			t.Error("the password is shown again")
		}
		wantStatus(t, c.get("/me/data"), http.StatusOK)
	})
	t.Run("with the password the data goes and the session ends", func(t *testing.T) {
		c.get("/me/erase")
		res := c.post("/me/erase", url.Values{"password": {testPassword}})
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/signin" {
			t.Fatalf("sent to %q", loc)
		}
		if loc := c.get("/me/data").Header.Get("Location"); !strings.HasPrefix(loc, "/signin?next=") {
			t.Fatalf("still signed in (Location %q)", loc)
		}
		if res := e.client().signIn("member", testPassword); res.StatusCode == http.StatusSeeOther {
			t.Fatal("the erased account signed in")
		}
		p, err := e.Store.Person(context.Background(), e.People["member"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != peercircle.PersonErased || p.Username != "" {
			t.Fatalf("person: %+v", p)
		}
	})
	t.Run("others see a neutral label in their own language", func(t *testing.T) {
		a := e.as("admin")
		if body := seen(a.get("/people/" + id(e.People["member"].ID)).Body); !strings.Contains(body, "Erased account") || strings.Contains(body, peercircle.ErasedName) {
			t.Errorf("admin's page:\n%s", excerpt(body))
		}
		a.post("/language", url.Values{"lang": {"ar"}})
		if body := seen(a.get("/people/" + id(e.People["member"].ID)).Body); !strings.Contains(body, "حساب ممحو") {
			t.Errorf("admin's Arabic page:\n%s", excerpt(body))
		}
	})
	if strings.Contains(e.Log.String(), testPassword) || strings.Contains(e.Log.String(), "Test Member") {
		t.Error("the logs hold the password or the name")
	}
}

func TestAdminErasesAPersonWhoAsked(t *testing.T) {
	e := newEnv(t)
	a := e.as("admin")
	peer := "/people/" + id(e.In["person"])
	t.Run("the person page links to erasure", func(t *testing.T) {
		if !strings.Contains(a.get(peer).Body, `href="`+peer+`/erase"`) {
			t.Fatal("no link")
		}
	})
	t.Run("the confirmation names the person and shows no counts of their data", func(t *testing.T) {
		body := seen(a.get(peer + "/erase").Body)
		if !strings.Contains(body, "You are erasing the data of Peer 1") || strings.Contains(body, "answers (") {
			t.Errorf("page:\n%s", excerpt(body))
		}
	})
	t.Run("an organiser cannot", func(t *testing.T) {
		o := e.as("organiser")
		wantStatus(t, o.get(peer+"/erase"), http.StatusForbidden)
	})
	t.Run("the admin's own password is needed", func(t *testing.T) {
		a.get(peer + "/erase")
		wantStatus(t, a.post(peer+"/erase", url.Values{"password": {"wrong one"}}), http.StatusUnprocessableEntity)
		a.get(peer + "/erase")
		res := a.post(peer+"/erase", url.Values{"password": {testPassword}})
		wantStatus(t, res, http.StatusSeeOther)
		body := seen(a.get(peer).Body)
		if !strings.Contains(body, "Erased account") || strings.Contains(body, "Peer 1") || strings.Contains(body, `href="`+peer+`/erase"`) {
			t.Errorf("after:\n%s", excerpt(body))
		}
	})
	t.Run("the audit log says who erased whom, and nothing else", func(t *testing.T) {
		evs, err := e.Store.AuditEvents(context.Background(), "person", e.In["person"], 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 || evs[0].Action != "person.erased" || evs[0].ActorID != e.People["admin"].ID || strings.Contains(evs[0].Detail, "Peer") {
			t.Fatalf("audit: %+v", evs)
		}
	})
}
