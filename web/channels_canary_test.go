package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/internal/smtptest"
	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/sms"
	"github.com/peercircle/peercircle/webhook"
	"github.com/peercircle/peercircle/whatsapp"
)

// wire is what left PeerCircle on each channel, as the relay and the
// providers' servers received it.
type wire struct {
	mu   sync.Mutex
	sent map[string][]string // channel → raw messages
	smtp *smtptest.Server
}

func (w *wire) add(channel string, raw []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sent[channel] = append(w.sent[channel], string(raw))
}

// all returns every raw message, with the SMTP relay's.
func (w *wire) all() map[string][]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string][]string{}
	for k, v := range w.sent {
		out[k] = append([]string(nil), v...)
	}
	for _, m := range w.smtp.Messages() {
		out[peercircle.ChannelEmail] = append(out[peercircle.ChannelEmail], string(m.Raw))
	}
	return out
}

// providers starts a real SMTP relay and local servers standing for the
// SMS and WhatsApp providers and a webhook gateway, each keeping what it
// receives, and returns the senders that talk to them.
func providers(t *testing.T) (*wire, map[string]notify.Sender, *webhook.Client) {
	w := &wire{sent: map[string][]string{}, smtp: smtptest.Start(t, false)}
	keep := func(channel, answer string) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.add(channel, b)
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(http.StatusCreated)
			io.WriteString(rw, answer)
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	twilio := keep(peercircle.ChannelSMS, `{"sid":"SM1"}`)
	cloud := keep(peercircle.ChannelWhatsApp, `{"messages":[{"id":"wamid.1"}]}`)
	gw := keep("webhook", `{"id":"gw-1"}`)
	senders := map[string]notify.Sender{
		peercircle.ChannelEmail:    &notify.SMTP{Addr: w.smtp.Addr, From: "PeerCircle <no-reply@pc.example>", User: w.smtp.User, Password: w.smtp.Password, TLS: w.smtp.TLS},
		peercircle.ChannelSMS:      &sms.Client{BaseURL: twilio.URL, AccountSID: "AC1", AuthToken: "tok", From: "+15005550006"},
		peercircle.ChannelWhatsApp: &whatsapp.Client{BaseURL: cloud.URL, Version: "v21.0", PhoneNumberID: "1", Token: "t"},
	}
	return w, senders, &webhook.Client{URL: gw.URL, Secret: "s"}
}

// spreadChannels gives the fixture's people a phone and each a channel in
// turn (e-mail, SMS, WhatsApp), so what the flows send leaves by all three.
func spreadChannels(t *testing.T, e *env) {
	ctx := context.Background()
	chans := []string{peercircle.ChannelEmail, peercircle.ChannelSMS, peercircle.ChannelWhatsApp}
	i := 0
	for _, p := range e.People {
		if p == nil {
			continue
		}
		if err := e.Store.SaveMessageSettings(ctx, &peercircle.MessageSettings{PersonID: p.ID, Phone: "+96279555" + strings.Repeat("0", 3) + string(rune('1'+i%9))}); err != nil {
			t.Fatal(err)
		}
		if err := e.Store.SetNotifyPref(ctx, p.ID, "*", chans[i%len(chans)]); err != nil {
			t.Fatal(err)
		}
		i++
	}
}

// deliverAll sends everything in the outbox to the providers and returns
// what they received.
func deliverAll(t *testing.T, e *env) map[string][]string {
	w, senders, _ := providers(t)
	bundle, _ := i18n.Load()
	o := notify.NewOutbox(e.Store, bundle, slog.New(slog.NewTextHandler(io.Discard, nil)))
	o.Senders, o.BaseURL, o.Now = senders, "https://pc.example", e.Store.Now
	o.Attach = notify.MeetingAttachment(e.Store)
	for {
		ran, err := o.RunOne(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			break
		}
	}
	return w.all()
}

// Every kind of message, by every channel, for someone unlisted in the
// group it is about: the group's name (the canary here) never leaves; the
// message says "your group" in the person's language, and each provider
// gets the request its format needs.
func TestEveryKindByEveryChannelKeepsAnUnlistedGroupsName(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const canary = "Quokkaberry Circle"
	g := &peercircle.Group{SiteID: e.In["site"], Name: canary, Kind: peercircle.KindCommunity, Membership: peercircle.MembershipClosed,
		Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive}
	if err := e.Store.CreateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	member := e.People["member"]
	if err := e.Store.SaveMembership(ctx, &peercircle.Membership{GroupID: g.ID, PersonID: member.ID, Role: peercircle.RoleMember,
		Status: peercircle.MemberActive, Unlisted: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SaveMessageSettings(ctx, &peercircle.MessageSettings{PersonID: member.ID, Phone: "+962795550101"}); err != nil {
		t.Fatal(err)
	}
	bundle, _ := i18n.Load()
	var kinds []string
	for _, k := range bundle.Keys("en") {
		if kind, ok := strings.CutPrefix(k, "notify."); ok && kind != "your_group" {
			kinds = append(kinds, kind)
		}
	}
	if len(kinds) < 30 {
		t.Fatalf("only %d kinds of message in the catalogue", len(kinds))
	}
	w, senders, hook := providers(t)
	senders["webhook"] = hook
	for _, ch := range []string{peercircle.ChannelEmail, peercircle.ChannelSMS, peercircle.ChannelWhatsApp, "webhook"} {
		pref := ch
		if ch == "webhook" {
			pref = peercircle.ChannelSMS // a gateway that carries text messages
		}
		if err := e.Store.SetNotifyPref(ctx, member.ID, "*", pref); err != nil {
			t.Fatal(err)
		}
		for _, kind := range kinds {
			if err := e.Store.SetNotifyPref(ctx, member.ID, kind, ""); err != nil {
				t.Fatal(err)
			}
			if err := e.Store.Notify(ctx, &peercircle.Notification{PersonID: member.ID, Kind: kind,
				Params: []string{canary, "2026-12-08", "14:00", "3"}, Link: "/groups/" + id(g.ID)}); err != nil {
				t.Fatal(err)
			}
		}
		o := notify.NewOutbox(e.Store, bundle, slog.New(slog.NewTextHandler(io.Discard, nil)))
		o.Senders, o.BaseURL, o.Now = map[string]notify.Sender{pref: senders[ch]}, "https://pc.example", e.Store.Now
		for {
			ran, err := o.RunOne(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !ran {
				break
			}
		}
	}
	got := w.all()
	for _, ch := range []string{peercircle.ChannelEmail, peercircle.ChannelSMS, peercircle.ChannelWhatsApp, "webhook"} {
		if len(got[ch]) < len(kinds) {
			t.Errorf("%s: %d messages for %d kinds", ch, len(got[ch]), len(kinds))
		}
		for _, raw := range got[ch] {
			if strings.Contains(raw, "Quokkaberry") {
				t.Fatalf("the unlisted group's name left by %s:\n%s", ch, raw)
			}
		}
	}
	// A WhatsApp request names its template and fills its body.
	var sample struct {
		Template struct {
			Name       string `json:"name"`
			Components []struct {
				Parameters []struct{ Text string } `json:"parameters"`
			} `json:"components"`
		} `json:"template"`
	}
	json.Unmarshal([]byte(got[peercircle.ChannelWhatsApp][0]), &sample)
	if !strings.HasPrefix(sample.Template.Name, "peercircle_") || len(sample.Template.Components) == 0 {
		t.Fatalf("a WhatsApp request: %s", got[peercircle.ChannelWhatsApp][0])
	}
}
