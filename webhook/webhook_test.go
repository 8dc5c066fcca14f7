package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/webhook"
)

func gateway(t *testing.T, answer string) (*httptest.Server, *[][]byte) {
	var got [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Authorization") != "Bearer gw-key" || r.Header.Get("Content-Type") != "application/json" ||
			r.Header.Get("X-PeerCircle-Signature") != webhook.Sign("shared", body) || !json.Valid(body) {
			t.Errorf("request %s %v %s", r.Method, r.Header, body)
		}
		got = append(got, body)
		w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

var msg = notify.Message{ID: "outbox-9", To: "+33612345678", Body: "Votre groupe se réunit mardi.\n\n-- \npied", Kind: "meeting_reminder",
	Args: []string{"mardi"}, Lang: "fr", Link: "https://pc.example/sessions/4", Channel: "sms"}

func TestPostsPeerCirclesJSONOrTheTemplate(t *testing.T) {
	srv, got := gateway(t, `{"id": 4711}`)
	c := &webhook.Client{URL: srv.URL, Header: "Authorization: Bearer gw-key", Secret: "shared"}
	id, err := c.SendID(context.Background(), msg)
	if err != nil || id != "4711" {
		t.Fatalf("%q %v", id, err)
	}
	var p webhook.Payload
	json.Unmarshal((*got)[0], &p)
	if p.To != "+33612345678" || p.Text != "Votre groupe se réunit mardi." || p.Kind != "meeting_reminder" || p.Link != msg.Link || p.ID != "outbox-9" {
		t.Fatalf("payload %+v", p)
	}
	c.Body = `{"recipient": {{json .To}}, "message": {{json .Text}}, "ref": {{json .ID}}}`
	if err := c.Parse(); err != nil {
		t.Fatal(err)
	}
	srv2, got2 := gateway(t, `ok`)
	c.URL = srv2.URL
	id, err = c.SendID(context.Background(), msg)
	var body map[string]string
	json.Unmarshal((*got2)[0], &body)
	if err != nil || id != "outbox-9" || body["recipient"] != "+33612345678" || body["message"] != "Votre groupe se réunit mardi." {
		t.Fatalf("templated: %q %v %v", id, err, body)
	}
	c.Body = `{"broken": {{.To}}}`
	c.Parse()
	if _, err := c.SendID(context.Background(), msg); !notify.IsPermanent(err) {
		t.Fatalf("a template that makes no JSON: %v", err)
	}
}

func TestReceiptsAreSigned(t *testing.T) {
	c := &webhook.Client{Secret: "shared"}
	for _, body := range []string{`{"id":"4711","status":"delivered"}`, `[{"id":"4711","status":"delivered"}]`} {
		req := httptest.NewRequest(http.MethodPost, "/hooks/sms", nil)
		req.Header.Set("X-PeerCircle-Signature", webhook.Sign("shared", []byte(body)))
		rs, err := c.Receipts(req, []byte(body))
		if err != nil || len(rs) != 1 || rs[0].ProviderID != "4711" || rs[0].Status != "delivered" {
			t.Fatalf("%s: %+v %v", body, rs, err)
		}
		req.Header.Set("X-PeerCircle-Signature", "sha256=00")
		if _, err := c.Receipts(req, []byte(body)); err != webhook.ErrSignature {
			t.Fatalf("unsigned: %v", err)
		}
	}
}
