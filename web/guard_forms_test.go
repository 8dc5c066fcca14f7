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
	// "Not a person" keeps it; the form comes back with the word confirmed.
	form.Set("op", "allow|task_notes|Rami")
	res = sup.post("/growth/supervision", form)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, `class="finding"`) || !strings.Contains(res.Body, `name="allow.task_notes" value="rami"`) {
		t.Fatalf("after not a person: status %d:\n%s", res.StatusCode, excerpt(seen(res.Body)))
	}
	form.Del("op")
	form.Set("allow.task_notes", "rami")
	res = sup.post("/growth/supervision", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save after confirming: status %d:\n%s", res.StatusCode, excerpt(seen(res.Body)))
	}
	// "Remove" takes the name out of the text.
	form = url.Values{"supervisee": {id(e.People["facilitator"].ID)}, "held_on": {"2026-01-21"},
		"follow_ups": {"Call 079 555 1234 next week"}, "op": {"remove|follow_ups|5|17|079 555 1234"}}
	res = sup.post("/growth/supervision", form)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "555 1234") || !strings.Contains(res.Body, "Call next week") {
		t.Fatalf("after remove: status %d:\n%s", res.StatusCode, excerpt(seen(res.Body)))
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
