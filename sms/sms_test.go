package sms_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/sms"
)

// provider is a local server that checks each request against Twilio's
// Messages resource: the path with the account, basic auth, a form with
// To, From or MessagingServiceSid, Body and StatusCallback; it answers 201
// with a sid, or the error it is told to.
func provider(t *testing.T, status int) (*httptest.Server, *[]url.Values) {
	var got []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/AC123/Messages.json" || !ok || user != "AC123" || pass != "secret-token" ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("request %s %s auth %v %s %s", r.Method, r.URL.Path, ok, user, r.Header.Get("Content-Type"))
			http.Error(w, `{"code":20003,"message":"Authenticate"}`, http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("To") == "" || form.Get("Body") == "" || (form.Get("From") == "") == (form.Get("MessagingServiceSid") == "") {
			t.Errorf("form %v %v", form, err)
		}
		got = append(got, form)
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusCreated {
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]any{"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": status})
			return
		}
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"sid": "SM0123456789abcdef", "status": "queued", "to": form.Get("To")})
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func message() notify.Message {
	return notify.Message{To: "+962791234567", Subject: "s", Body: "Reminder: your group meets on Tuesday 8 December at 14:00.\n\nOpen: https://pc.example/sessions/4\n\n-- \nChange what you receive: https://pc.example/profile\n",
		Kind: "meeting_reminder", Lang: "en", Link: "https://pc.example/sessions/4", Channel: "sms"}
}

func TestSendPostsTheMessagesResource(t *testing.T) {
	srv, got := provider(t, http.StatusCreated)
	c := &sms.Client{BaseURL: srv.URL, AccountSID: "AC123", AuthToken: "secret-token", From: "+15005550006", StatusCallback: "https://pc.example/hooks/sms"}
	id, err := c.SendID(context.Background(), message())
	if err != nil || id != "SM0123456789abcdef" {
		t.Fatalf("%q %v", id, err)
	}
	f := (*got)[0]
	if f.Get("To") != "+962791234567" || f.Get("From") != "+15005550006" || f.Get("StatusCallback") != "https://pc.example/hooks/sms" ||
		!strings.Contains(f.Get("Body"), "https://pc.example/sessions/4") || strings.Contains(f.Get("Body"), "Change what you receive") {
		t.Fatalf("form %v", f)
	}
	c.From = "MG999"
	if _, err := c.SendID(context.Background(), message()); err != nil || (*got)[1].Get("MessagingServiceSid") != "MG999" {
		t.Fatalf("messaging service: %v %v", (*got)[1], err)
	}
}

func TestRefusalsArePermanentAndOutagesRetried(t *testing.T) {
	for _, c := range []struct {
		status    int
		permanent bool
	}{{http.StatusBadRequest, true}, {http.StatusTooManyRequests, false}, {http.StatusServiceUnavailable, false}} {
		srv, _ := provider(t, c.status)
		cl := &sms.Client{BaseURL: srv.URL, AccountSID: "AC123", AuthToken: "secret-token", From: "+15005550006"}
		_, err := cl.SendID(context.Background(), message())
		if err == nil || notify.IsPermanent(err) != c.permanent {
			t.Errorf("status %d: %v (permanent %v)", c.status, err, notify.IsPermanent(err))
		}
	}
}

// A status callback is taken only with Twilio's signature over the
// callback URL and the sorted parameters.
func TestReceiptsAreSigned(t *testing.T) {
	c := &sms.Client{AuthToken: "secret-token", StatusCallback: "https://pc.example/hooks/sms"}
	form := url.Values{"MessageSid": {"SM0123456789abcdef"}, "MessageStatus": {"delivered"}, "AccountSid": {"AC123"}}
	body := []byte(form.Encode())
	req := httptest.NewRequest(http.MethodPost, "/hooks/sms", nil)
	req.Header.Set("X-Twilio-Signature", sms.Signature("secret-token", "https://pc.example/hooks/sms", form))
	rs, err := c.Receipts(req, body)
	if err != nil || len(rs) != 1 || rs[0].ProviderID != "SM0123456789abcdef" || rs[0].Status != "delivered" {
		t.Fatalf("%+v %v", rs, err)
	}
	req.Header.Set("X-Twilio-Signature", sms.Signature("another-token", "https://pc.example/hooks/sms", form))
	if _, err := c.Receipts(req, body); err != sms.ErrSignature {
		t.Fatalf("a wrong signature: %v", err)
	}
	// Twilio's documented example: the signature of this URL and these
	// parameters with the token 12345 is 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
	doc := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"}, "From": {"+12349013030"}, "To": {"+18005551212"}}
	if got := sms.Signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", doc); got != "0/KCTR6DLpKmkAf8muzZqo1nDgQ=" {
		t.Fatalf("Twilio's example signs as %s", got)
	}
}

func TestTextIsShort(t *testing.T) {
	m := message()
	m.Body = strings.Repeat("ب", 900)
	if got := []rune(sms.Text(m)); len(got) != sms.MaxLength {
		t.Fatalf("%d runes", len(got))
	}
}
