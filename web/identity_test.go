package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/web"
)

// fakeMail records what the server asked to send.
type fakeMail struct {
	mu   sync.Mutex
	sent []sentMail
}

type sentMail struct{ Kind, To, Link string }

func (m *fakeMail) SendReset(ctx context.Context, p *peercircle.Person, link string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, sentMail{"reset", p.Email, link})
	return nil
}

func (m *fakeMail) SendEmailChanged(ctx context.Context, p *peercircle.Person, old, link string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, sentMail{"email_changed", old, link})
	return nil
}

func (m *fakeMail) SendInvitation(ctx context.Context, p *peercircle.Person, link string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, sentMail{"invitation", p.Email, link})
	return nil
}

func (m *fakeMail) all() []sentMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sentMail(nil), m.sent...)
}

func newEnvMail(t *testing.T) (*env, *fakeMail) {
	m := &fakeMail{}
	return newEnvWith(t, func(s *web.Server) { s.Mail = m }), m
}

// The field-level access matrix (issue 10, item 1): who may change which
// field of which person through POST /people/{person}. Y changed at once,
// P a proposal waiting for the owner, R refused on the form (nothing
// saved), N the person is not theirs to open at all. Targets are the
// fixture's people by role, all at the "in" site, plus a person with no
// role ("plain"), an invited one, and the "out" site's peer.
var fieldRules = map[string]map[string]string{
	// target:      field: "actor:outcome ..."
	"admin":       {"full_name": "admin:Y organiser:Y", "username": "admin:R organiser:R", "email": "admin:R organiser:R", "status": "admin:R organiser:R"},
	"coordinator": {"full_name": "admin:Y organiser:Y", "username": "admin:Y organiser:R", "email": "admin:P organiser:R", "status": "admin:Y organiser:R"},
	"organiser":   {"full_name": "admin:Y organiser:Y", "username": "admin:Y organiser:R", "email": "admin:P organiser:R", "status": "admin:Y organiser:R"},
	"facilitator": {"full_name": "admin:Y organiser:Y", "username": "admin:Y organiser:R", "email": "admin:P organiser:R", "status": "admin:Y organiser:R"},
	"member":      {"full_name": "admin:Y organiser:Y", "username": "admin:Y organiser:Y", "email": "admin:P organiser:P", "status": "admin:Y organiser:R"},
	"supervisor":  {"full_name": "admin:Y organiser:Y", "username": "admin:Y organiser:R", "email": "admin:P organiser:R", "status": "admin:Y organiser:R"},
	"trainer":     {"full_name": "admin:Y organiser:Y", "username": "admin:Y organiser:R", "email": "admin:P organiser:R", "status": "admin:Y organiser:R"},
	"plain":       {"full_name": "admin:Y organiser:Y", "username": "admin:Y organiser:Y", "email": "admin:P organiser:P", "status": "admin:Y organiser:R"},
	"invited":     {"full_name": "admin:Y organiser:Y", "username": "admin:Y organiser:Y", "email": "admin:Y organiser:Y", "status": "admin:Y organiser:R"},
	"out":         {"full_name": "admin:Y organiser:N", "username": "admin:Y organiser:N", "email": "admin:P organiser:N", "status": "admin:Y organiser:N"},
}

func TestPersonFieldRules(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	targets := map[string]int64{"out": e.Out["person"]}
	for _, role := range testRoles[1:] {
		targets[role] = e.People[role].ID
	}
	for _, name := range []string{"plain", "invited"} {
		p := &peercircle.Person{Username: name + "x", Email: name + "@test.invalid", FullName: "Test " + name, HomeSiteID: e.In["site"], Status: peercircle.PersonActive}
		if name == "invited" {
			p.Status = peercircle.PersonInvited
		}
		if err := e.Store.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		targets[name] = p.ID
	}
	n := 0
	// Roles without a say on people come first, then organisers, then
	// admins, whose changes (status, usernames) end other people's sessions.
	for _, actor := range []string{"coordinator", "member", "supervisor", "organiser", "admin"} {
		c := e.as(actor)
		for _, target := range []string{"admin", "coordinator", "organiser", "facilitator", "member", "supervisor", "trainer", "plain", "invited", "out"} {
			for _, field := range []string{"full_name", "username", "email", "status"} {
				n++
				want := "N"
				for _, part := range strings.Fields(fieldRules[target][field]) {
					if a, o, _ := strings.Cut(part, ":"); a == actor {
						want = o
					}
				}
				id := targets[target]
				before, err := e.Store.Person(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				value := map[string]string{"full_name": fmt.Sprintf("Renamed %d", n), "username": fmt.Sprintf("renamed%d", n),
					"email": fmt.Sprintf("new%d@test.invalid", n), "status": peercircle.PersonDisabled}[field]
				c.get(fmt.Sprintf("/people/%d", id))
				if c.csrf == "" {
					c.get("/profile")
				}
				res := c.post(fmt.Sprintf("/people/%d", id), url.Values{field: {value}})
				after, err := e.Store.Person(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				got := "?"
				changed := map[string]bool{"full_name": after.FullName != before.FullName, "username": after.Username != before.Username,
					"email": after.Email != before.Email, "status": after.Status != before.Status}
				others := false
				for f, ch := range changed {
					others = others || (ch && f != field)
				}
				switch {
				case others:
					got = "changed another field"
				case res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusNotFound:
					if !changed[field] {
						got = "N"
					}
				case res.StatusCode == http.StatusUnprocessableEntity && strings.Contains(res.Body, "You may not change this for this person."):
					if !changed[field] {
						got = "R"
					}
				case res.StatusCode == http.StatusSeeOther && changed[field]:
					got = "Y"
				case res.StatusCode == http.StatusSeeOther && field == "email":
					if pc, err := e.Store.PendingEmail(ctx, id); err == nil && pc.NewEmail == value {
						got = "P"
					}
				}
				if got != want {
					t.Errorf("%s changing %s of %s: got %s (status %d), want %s", actor, field, target, got, res.StatusCode, want)
				}
			}
		}
	}
}

// The attack of issue 10, item 1: an organiser puts their own address on
// the site's facilitator (or on an admin) and asks for a reset link.
func TestEmailTakeoverThroughPeopleRefused(t *testing.T) {
	e, mail := newEnvMail(t)
	org := e.as("organiser")
	for _, victim := range []string{"facilitator", "admin"} {
		p := e.People[victim]
		org.get(fmt.Sprintf("/people/%d", p.ID))
		res := org.post(fmt.Sprintf("/people/%d", p.ID), url.Values{"full_name": {p.FullName}, "display_name": {""},
			"email": {"attacker@evil.example"}, "username": {p.Username}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", victim, res.StatusCode)
		}
		anon := e.client()
		anon.get("/reset")
		anon.post("/reset", url.Values{"login": {victim}})
	}
	for _, m := range mail.all() {
		if m.To == "attacker@evil.example" {
			t.Fatalf("a reset link went to the attacker: %+v", m)
		}
	}
	if got := len(mail.all()); got != 2 {
		t.Fatalf("%d mails, want the 2 resets to the owners", got)
	}
}

// An admin's proposal waits for the owner, who confirms it on their
// profile; the owner's other sessions end.
func TestEmailProposalConfirmedByOwner(t *testing.T) {
	e := newEnv(t)
	admin := e.as("admin")
	m := e.People["member"]
	admin.get(fmt.Sprintf("/people/%d", m.ID))
	res := admin.post(fmt.Sprintf("/people/%d", m.ID), url.Values{"email": {"member.new@test.invalid"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", res.StatusCode)
	}
	other := e.as("member")
	owner := e.as("member")
	page := owner.get("/profile")
	if !strings.Contains(page.Body, "member.new@test.invalid") {
		t.Fatal("the profile does not show the proposal")
	}
	pc, err := e.Store.PendingEmail(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	res = owner.post("/profile/email/confirm", url.Values{"change": {id(pc.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: status %d", res.StatusCode)
	}
	if p, _ := e.Store.Person(context.Background(), m.ID); p.Email != "member.new@test.invalid" {
		t.Fatalf("e-mail = %q", p.Email)
	}
	if res := owner.get("/profile"); res.StatusCode != http.StatusOK {
		t.Fatalf("the confirming session ended: %d", res.StatusCode)
	}
	if res := other.get("/profile"); res.StatusCode == http.StatusOK {
		t.Fatal("another session of the account survived the change")
	}
}

// The owner changes their own e-mail with their password; the old address
// gets a link that puts it back and signs everyone out.
func TestOwnEmailChangeAndUndo(t *testing.T) {
	e, mail := newEnvMail(t)
	owner := e.as("member")
	owner.get("/profile")
	res := owner.post("/profile/email", url.Values{"new_email": {"mine@test.invalid"}, "current_password": {"wrong password here"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "That is not your password.") {
		t.Fatalf("wrong password: status %d", res.StatusCode)
	}
	res = owner.post("/profile/email", url.Values{"new_email": {"mine@test.invalid"}, "current_password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", res.StatusCode)
	}
	sent := mail.all()
	if len(sent) != 1 || sent[0].Kind != "email_changed" || sent[0].To != "member@test.invalid" {
		t.Fatalf("mail = %+v", sent)
	}
	u, _ := url.Parse(sent[0].Link)
	anon := e.client()
	if res := anon.get(u.Path); res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("undo page: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if p, _ := e.Store.Person(context.Background(), e.People["member"].ID); p.Email != "mine@test.invalid" {
		t.Fatalf("opening the link changed the e-mail: %q", p.Email)
	}
	if res := anon.post(u.Path, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("undo: %d", res.StatusCode)
	}
	if p, _ := e.Store.Person(context.Background(), e.People["member"].ID); p.Email != "member@test.invalid" {
		t.Fatalf("e-mail = %q", p.Email)
	}
	if res := owner.get("/profile"); res.StatusCode == http.StatusOK {
		t.Fatal("the session survived the undo")
	}
}
