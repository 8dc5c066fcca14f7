// Package webhook sends messages to any gateway that takes an HTTP POST:
// a URL, an optional header (Authorization: Bearer …), and a JSON body made
// from a template (text/template, its values JSON-escaped) or, without
// one, PeerCircle's own JSON. Delivery receipts come back as a JSON post
// {"id": …, "status": …} signed with X-PeerCircle-Signature: sha256=<hex
// HMAC-SHA256 of the body keyed by the shared secret>.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/template"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/sms"
)

// Client posts to one gateway.
type Client struct {
	URL    string
	Header string // "Name: value", e.g. "Authorization: Bearer abc"
	// Body is a text/template for the JSON body; its data is Payload and
	// {{json .Text}} writes a JSON string. Empty: Payload as JSON.
	Body   string
	Secret string // signs receipts (and the posts: X-PeerCircle-Signature)
	HTTP   *http.Client
	tmpl   *template.Template
}

// Payload is what a gateway is told about one message.
type Payload struct {
	ID      string   `json:"id"`
	To      string   `json:"to"`
	Channel string   `json:"channel"`
	Text    string   `json:"text"`
	Kind    string   `json:"kind"`
	Args    []string `json:"args"`
	Lang    string   `json:"lang"`
	Link    string   `json:"link"`
}

// Parse checks the body template; call it once at start.
func (c *Client) Parse() error {
	if c.Body == "" {
		return nil
	}
	t, err := template.New("body").Funcs(template.FuncMap{"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	}}).Option("missingkey=error").Parse(c.Body)
	if err != nil {
		return fmt.Errorf("webhook: the body template: %w", err)
	}
	c.tmpl = t
	return nil
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// Body makes the JSON body for m.
func (c *Client) body(m notify.Message) ([]byte, error) {
	p := Payload{ID: m.ID, To: m.To, Channel: m.Channel, Text: sms.Text(m), Kind: m.Kind, Args: m.Args, Lang: m.Lang, Link: m.Link}
	if c.Body != "" && c.tmpl == nil {
		if err := c.Parse(); err != nil {
			return nil, err
		}
	}
	if c.tmpl == nil {
		return json.Marshal(p)
	}
	var b bytes.Buffer
	if err := c.tmpl.Execute(&b, p); err != nil {
		return nil, err
	}
	if !json.Valid(b.Bytes()) {
		return nil, errors.New("webhook: the body template does not make JSON")
	}
	return b.Bytes(), nil
}

// Send delivers m (see SendID).
func (c *Client) Send(ctx context.Context, m notify.Message) error {
	_, err := c.SendID(ctx, m)
	return err
}

// SendID posts m and returns the gateway's id for it: the "id" of its JSON
// answer, else PeerCircle's own message id (receipts then name that).
func (c *Client) SendID(ctx context.Context, m notify.Message) (string, error) {
	body, err := c.body(m)
	if err != nil {
		return "", notify.Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return "", notify.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if name, value, ok := strings.Cut(c.Header, ":"); ok {
		req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if c.Secret != "" {
		req.Header.Set("X-PeerCircle-Signature", Sign(c.Secret, body))
	}
	res, err := c.http().Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode >= 300 {
		err := fmt.Errorf("webhook: %s", res.Status)
		if res.StatusCode >= 400 && res.StatusCode < 500 && res.StatusCode != http.StatusTooManyRequests {
			return "", notify.Permanent(err)
		}
		return "", err
	}
	var out struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(raw, &out) == nil && out.ID != nil {
		if id := fmt.Sprint(out.ID); id != "" {
			return id, nil
		}
	}
	return m.ID, nil
}

// Sign computes the signature of a body.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// ErrSignature is a receipt whose signature does not match.
var ErrSignature = errors.New("webhook: the receipt's signature does not match")

// Receipts reads a signed receipt: one {"id","status"} or a list of them.
func (c *Client) Receipts(r *http.Request, body []byte) ([]peercircle.DeliveryReceipt, error) {
	if c.Secret == "" || !hmac.Equal([]byte(Sign(c.Secret, body)), []byte(r.Header.Get("X-PeerCircle-Signature"))) {
		return nil, ErrSignature
	}
	type one struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	var list []one
	if err := json.Unmarshal(body, &list); err != nil {
		var single one
		if err := json.Unmarshal(body, &single); err != nil {
			return nil, err
		}
		list = []one{single}
	}
	var out []peercircle.DeliveryReceipt
	for _, o := range list {
		if o.ID != "" && o.Status != "" {
			out = append(out, peercircle.DeliveryReceipt{ProviderID: o.ID, Status: o.Status})
		}
	}
	return out, nil
}
