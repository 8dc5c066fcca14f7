package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sms"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/web"
	"github.com/peercircle/peercircle/webhook"
	"github.com/peercircle/peercircle/whatsapp"
)

// Delivery receipts through the real router: a provider's signed callback
// records the status against the message it names; an unsigned or
// wrongly signed one changes nothing; WhatsApp's verification is answered
// only for its token.
func TestReceiptsAreRecordedOnlyWhenSigned(t *testing.T) {
	var base string
	e := newEnvWith(t, func(s *web.Server) {
		s.Channels = []string{peercircle.ChannelSMS, peercircle.ChannelWhatsApp}
		s.Receipts = map[string]web.ReceiptReader{
			peercircle.ChannelSMS:      &sms.Client{AuthToken: "tok", StatusCallback: "https://pc.example/hooks/sms"},
			peercircle.ChannelWhatsApp: &whatsapp.Client{AppSecret: "app", VerifyToken: "verify-me"},
			"webhook":                  &webhook.Client{Secret: "shared"},
		}
	})
	base = e.URL
	ctx := context.Background()
	member := e.fixture.People["member"].ID
	m := &peercircle.OutboxMessage{PersonID: member, Kind: "session_cancelled", Channel: peercircle.ChannelSMS, Link: "/"}
	if _, err := e.Store.EnqueueMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// The provider took it and named it SMabc.
	must(e.Store.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.Exec("UPDATE outbox SET state = 'sent', provider_id = 'SMabc' WHERE id = ?", m.ID)
		return err
	}))

	post := func(path, body, header, sig string) int {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if header != "" {
			req.Header.Set(header, sig)
		}
		res, err := http.DefaultClient.Do(req)
		must(err)
		res.Body.Close()
		return res.StatusCode
	}
	form := url.Values{"MessageSid": {"SMabc"}, "MessageStatus": {"delivered"}}
	if got := post("/hooks/sms", form.Encode(), "X-Twilio-Signature", sms.Signature("wrong", "https://pc.example/hooks/sms", form)); got != http.StatusForbidden {
		t.Fatalf("a wrongly signed receipt: %d", got)
	}
	if got, _, _ := e.Store.OutboxMessage(ctx, m.ID); got.Receipt != "" {
		t.Fatalf("a wrongly signed receipt was recorded: %q", got.Receipt)
	}
	if got := post("/hooks/sms", form.Encode(), "X-Twilio-Signature", sms.Signature("tok", "https://pc.example/hooks/sms", form)); got != http.StatusNoContent {
		t.Fatalf("a signed receipt: %d", got)
	}
	if got, _, _ := e.Store.OutboxMessage(ctx, m.ID); got.Receipt != "delivered" || got.ReceiptAt == nil {
		t.Fatalf("the receipt %+v", got)
	}
	unknown := url.Values{"MessageSid": {"SMnobody"}, "MessageStatus": {"failed"}}
	if got := post("/hooks/sms", unknown.Encode(), "X-Twilio-Signature", sms.Signature("tok", "https://pc.example/hooks/sms", unknown)); got != http.StatusNoContent {
		t.Fatalf("a receipt for a message we do not know is acknowledged: %d", got)
	}
	if got := post("/hooks/fax", "x", "", ""); got != http.StatusNotFound {
		t.Fatalf("an unknown channel: %d", got)
	}
	res, err := http.Get(base + "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=8472")
	must(err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(body) != "8472" {
		t.Fatalf("verification %d %q", res.StatusCode, body)
	}
	admin := e.as("admin")
	if page := admin.get("/admin/outbox"); !strings.Contains(page.Body, "delivered") {
		t.Fatalf("the outbox page does not show the receipt:\n%s", excerpt(page.Body))
	}
}

// The profile offers SMS and WhatsApp where a provider is set up, asks for
// a phone number with its country code before them, and keeps quiet hours.
func TestTheProfileTakesAPhoneAndQuietHours(t *testing.T) {
	e := newEnvWith(t, func(s *web.Server) { s.Channels = []string{peercircle.ChannelSMS, peercircle.ChannelWhatsApp} })
	member := e.as("member")
	page := member.get("/profile")
	for _, want := range []string{`value="sms"`, `value="whatsapp"`, `name="topic_rota"`, `name="quiet_start"`, `type="tel"`} {
		if !strings.Contains(page.Body, want) {
			t.Fatalf("the profile lacks %s", want)
		}
	}
	res := member.post("/profile/messages", url.Values{"default": {"sms"}, "phone": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Give a mobile number") {
		t.Fatalf("no reason:\n%s", excerpt(res.Body))
	}
	res = member.post("/profile/messages", url.Values{"default": {"sms"}, "phone": {"079 123 4567"}})
	if !strings.Contains(res.Body, "country code") {
		t.Fatalf("a number without its country code:\n%s", excerpt(res.Body))
	}
	ctx := context.Background()
	id := e.fixture.People["member"].ID
	if got, _ := e.Store.MessageSettings(ctx, id); got.Phone != "" {
		t.Fatal("a refused form saved the phone")
	}
	res = member.post("/profile/messages", url.Values{"default": {"email"}, "topic_rota": {"whatsapp"}, "reminders": {"sms"},
		"phone": {"+٩٦٢ ٧٩ ١٢٣ ٤٥٦٧"}, "quiet_start": {"22:00"}, "quiet_end": {"07:00"}})
	wantStatus(t, res, http.StatusSeeOther)
	got, _ := e.Store.MessageSettings(ctx, id)
	prefs, _ := e.Store.NotifyPrefs(ctx, id)
	if got.Phone != "+962791234567" || got.QuietStart != "22:00" || prefs[peercircle.TopicPref("rota")] != "whatsapp" || prefs[peercircle.KindMeetingReminder] != "sms" {
		t.Fatalf("saved %+v %v", got, prefs)
	}
	// Without providers, SMS and WhatsApp are not offered or taken.
	plain := newEnv(t).as("member")
	if page := plain.get("/profile"); strings.Contains(page.Body, `value="whatsapp"`) {
		t.Fatal("WhatsApp offered without a provider")
	}
	wantStatus(t, plain.post("/profile/messages", url.Values{"default": {"whatsapp"}, "phone": {"+962791234567"}}), http.StatusUnprocessableEntity)
}

// An organiser sets the group's reminder times on its settings page, in
// any digits; a time that is not one is refused and nothing changes.
func TestAGroupsReminderTimes(t *testing.T) {
	e := newEnv(t)
	org := e.as("organiser")
	g := "/groups/" + id(e.In["group"])
	page := org.get(g + "/settings")
	if !strings.Contains(page.Body, `action="`+g+`/reminders"`) || !strings.Contains(page.Body, `placeholder="48, 2"`) {
		t.Fatalf("no reminder times on the settings page:\n%s", excerpt(page.Body))
	}
	wantStatus(t, org.post(g+"/reminders", url.Values{"hours": {"٢٤، ٣"}}), http.StatusSeeOther)
	ctx := context.Background()
	if v, _ := e.Store.Setting(ctx, peercircle.GroupReminderSetting(e.In["group"]), ""); v != "24, 3" {
		t.Fatalf("saved %q", v)
	}
	res := org.post(g+"/reminders", url.Values{"hours": {"500"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if v, _ := e.Store.Setting(ctx, peercircle.GroupReminderSetting(e.In["group"]), ""); v != "24, 3" || !strings.Contains(res.Body, "1 to 336") {
		t.Fatalf("a refused time changed %q", v)
	}
}

// An organiser notes how someone of their site wants to hear (they said so
// in person): a mobile number and WhatsApp; audited; refused without a
// number; not for people of other sites.
func TestAnOrganiserSetsHowSomeoneHears(t *testing.T) {
	e := newEnvWith(t, func(s *web.Server) { s.Channels = []string{peercircle.ChannelSMS, peercircle.ChannelWhatsApp} })
	ctx := context.Background()
	org := e.as("organiser")
	target := e.People["member"].ID
	path := "/people/" + id(target)
	if page := org.get(path); !strings.Contains(page.Body, `action="`+path+`/messages"`) {
		t.Fatalf("no form on the person page:\n%s", excerpt(page.Body))
	}
	wantStatus(t, org.post(path+"/messages", url.Values{"channel": {"whatsapp"}, "phone": {""}}), http.StatusUnprocessableEntity)
	wantStatus(t, org.post(path+"/messages", url.Values{"channel": {"whatsapp"}, "phone": {"0096279 555 0123"}}), http.StatusSeeOther)
	got, _ := e.Store.MessageSettings(ctx, target)
	prefs, _ := e.Store.NotifyPrefs(ctx, target)
	if got.Phone != "+962795550123" || prefs["*"] != "whatsapp" {
		t.Fatalf("saved %+v %v", got, prefs)
	}
	evs, _ := e.Store.AuditEvents(ctx, "", 0, 50)
	audited := false
	for _, ev := range evs {
		if ev.Action == "person.messages_set" && ev.TargetID == target {
			audited = true
		}
	}
	if !audited {
		t.Fatal("not audited")
	}
	if res := org.post("/people/"+id(e.Out["person"])+"/messages", url.Values{"channel": {"email"}}); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
		t.Fatalf("someone of another site: %d", res.StatusCode)
	}
}
