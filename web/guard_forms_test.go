package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The supervision form runs the confidentiality guard over its notes: a
// name after a role word comes back highlighted with "Remove" and "Not a
// person"; confirming it lets the session be saved.
func TestSupervisionFormIsGuarded(t *testing.T) {
	e := newEnv(t)
	sup := e.as("supervisor")
	sup.get("/growth/supervision/new")
	form := url.Values{"supervisee": {id(e.People["facilitator"].ID)}, "held_on": {"2026-01-20"},
		"task_notes": {"The client Rami missed two appointments"}, "process_notes": {"Feels heard"}}
	res := sup.post("/growth/supervision", form)
	body := seen(res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `class="finding"`) || !strings.Contains(body, "Rami") {
		t.Fatalf("status %d:\n%s", res.StatusCode, excerpt(body))
	}
	// "Not a person" keeps it: the session is saved in the same submit.
	res = sup.post("/growth/supervision", decideAll(form, res.Body, "allow"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save after confirming: status %d:\n%s", res.StatusCode, excerpt(seen(res.Body)))
	}
	// "Remove" puts a placeholder in the number's place and saves.
	form = url.Values{"supervisee": {id(e.People["facilitator"].ID)}, "held_on": {"2026-01-21"},
		"follow_ups": {"Call 079 555 1234 next week"}}
	res = sup.post("/growth/supervision", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = sup.post("/growth/supervision", decideAll(form, res.Body, "remove"))
	wantStatus(t, res, http.StatusSeeOther)
	list := sup.get(res.Header.Get("Location"))
	if strings.Contains(list.Body, "555 1234") {
		t.Fatal("the number was kept")
	}
}

// The support request form runs the guard over the message, not over the
// way to be contacted.
func TestSupportRequestFormIsGuarded(t *testing.T) {
	e := newEnv(t)
	member := e.as("member")
	member.get("/support/requests/new")
	form := url.Values{"to": {"g:" + id(e.In["group"])}, "message": {"Dr Ahmad Saleh shouts at me"},
		"contact_channel": {"whatsapp"}, "contact_address": {"+962 79 555 0199"}}
	res := member.post("/support/requests", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `class="finding"`) {
		t.Fatalf("status %d:\n%s", res.StatusCode, excerpt(seen(res.Body)))
	}
	if strings.Count(res.Body, `class="finding"`) != 1 {
		t.Fatalf("the contact address was checked too:\n%s", excerpt(seen(res.Body)))
	}
	form.Set("allow.message", "ahmad saleh")
	res = member.post("/support/requests", form)
	wantStatus(t, res, http.StatusSeeOther)
}
