package whatsapp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/whatsapp"
)

// cloudAPI is a local server that checks each request against the Cloud
// API's documented template message: POST /{version}/{phone-number-id}/
// messages, a bearer token, JSON with messaging_product "whatsapp", the
// recipient's number, type "template" and a template with a name, a
// language code and body parameters of type text.
func cloudAPI(t *testing.T, status int) (*httptest.Server, *[]map[string]any) {
	var got []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v21.0/1055551234/messages" || r.Header.Get("Authorization") != "Bearer EAAG-token" ||
			r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("body: %v", err)
		}
		tmpl, _ := body["template"].(map[string]any)
		if body["messaging_product"] != "whatsapp" || body["type"] != "template" || body["to"] == "" || tmpl["name"] == "" ||
			tmpl["language"].(map[string]any)["code"] == "" {
			t.Errorf("body %v", body)
		}
		for _, c := range tmpl["components"].([]any) {
			comp := c.(map[string]any)
			if comp["type"] != "body" {
				t.Errorf("component %v", comp)
			}
			for _, p := range comp["parameters"].([]any) {
				if pm := p.(map[string]any); pm["type"] != "text" || pm["text"] == "" {
					t.Errorf("parameter %v", pm)
				}
			}
		}
		got = append(got, body)
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusOK {
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": "(#132001) Template name does not exist in the translation", "code": 132001}})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp", "contacts": []any{map[string]any{"input": body["to"], "wa_id": body["to"]}},
			"messages": []any{map[string]any{"id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3N0EzNDk5"}}})
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func TestSendsATemplateMessageInThePersonsLanguage(t *testing.T) {
	srv, got := cloudAPI(t, http.StatusOK)
	c := &whatsapp.Client{BaseURL: srv.URL, Version: "v21.0", PhoneNumberID: "1055551234", Token: "EAAG-token"}
	m := notify.Message{To: "+962791234567", Kind: "meeting_reminder", Lang: "ar", Args: []string{"مجموعتك", "الثلاثاء ٨ كانون الأول", "١٤:٠٠"},
		Link: "https://pc.example/sessions/4", Channel: "whatsapp"}
	id, err := c.SendID(context.Background(), m)
	if err != nil || id != "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3N0EzNDk5" {
		t.Fatalf("%q %v", id, err)
	}
	body := (*got)[0]
	tmpl := body["template"].(map[string]any)
	params := tmpl["components"].([]any)[0].(map[string]any)["parameters"].([]any)
	if body["to"] != "962791234567" || tmpl["name"] != "peercircle_meeting_reminder" || tmpl["language"].(map[string]any)["code"] != "ar" ||
		len(params) != 4 || params[1].(map[string]any)["text"] != "الثلاثاء ٨ كانون الأول" || params[3].(map[string]any)["text"] != "https://pc.example/sessions/4" {
		t.Fatalf("body %v", body)
	}
	srv2, _ := cloudAPI(t, http.StatusBadRequest)
	c.BaseURL = srv2.URL
	if _, err := c.SendID(context.Background(), m); !notify.IsPermanent(err) {
		t.Fatalf("an unknown template: %v", err)
	}
}

// Statuses are read only from a post signed with the app secret; the GET
// verification answers the challenge only for the verify token.
func TestWebhookIsSigned(t *testing.T) {
	c := &whatsapp.Client{AppSecret: "app-secret", VerifyToken: "verify-me"}
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"8856996819413533","changes":[{"value":{"messaging_product":"whatsapp",
		"metadata":{"display_phone_number":"16505553333","phone_number_id":"1055551234"},
		"statuses":[{"id":"wamid.A","status":"delivered","timestamp":"1733300000","recipient_id":"962791234567"},{"id":"wamid.B","status":"read","timestamp":"1733300001","recipient_id":"962791234567"}]},"field":"messages"}]}]}`)
	req := httptest.NewRequest(http.MethodPost, "/hooks/whatsapp", nil)
	req.Header.Set("X-Hub-Signature-256", whatsapp.Sign("app-secret", body))
	rs, err := c.Receipts(req, body)
	if err != nil || len(rs) != 2 || rs[0].ProviderID != "wamid.A" || rs[1].Status != "read" {
		t.Fatalf("%+v %v", rs, err)
	}
	req.Header.Set("X-Hub-Signature-256", whatsapp.Sign("other", body))
	if _, err := c.Receipts(req, body); err != whatsapp.ErrSignature {
		t.Fatalf("a wrong signature: %v", err)
	}
	get := httptest.NewRequest(http.MethodGet, "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", nil)
	if ch, ok := c.Verify(get); !ok || ch != "1158201444" {
		t.Fatalf("verification %q %v", ch, ok)
	}
	get = httptest.NewRequest(http.MethodGet, "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", nil)
	if _, ok := c.Verify(get); ok {
		t.Fatal("a wrong verify token was answered")
	}
}
