// Package whatsapp sends messages through the WhatsApp Business Cloud API.
// Outside the 24-hour window that follows a person's own message, WhatsApp
// only delivers approved template messages, so every message is one: the
// template named Prefix + kind (peercircle_meeting_reminder…) in the
// person's language, its body parameters the notice's words in that
// language and, last, the link back to the app. Delivery statuses come to
// a webhook signed with X-Hub-Signature-256 (HMAC-SHA256 of the body keyed
// by the app secret); the webhook's GET verification answers the
// challenge when the verify token matches.
package whatsapp

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
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/notify"
)

// Client sends through one business phone number.
type Client struct {
	BaseURL       string // https://graph.facebook.com
	Version       string // the Graph API version, e.g. v21.0
	PhoneNumberID string
	Token         string // a system user's access token
	AppSecret     string // signs the webhook's posts
	VerifyToken   string // answered in the webhook's GET verification
	Prefix        string // template names: Prefix + message kind
	HTTP          *http.Client
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// Request is the body the Cloud API takes for a template message.
type Request struct {
	MessagingProduct string   `json:"messaging_product"`
	RecipientType    string   `json:"recipient_type"`
	To               string   `json:"to"`
	Type             string   `json:"type"`
	Template         Template `json:"template"`
}

// Template names an approved template and fills it.
type Template struct {
	Name       string      `json:"name"`
	Language   Language    `json:"language"`
	Components []Component `json:"components"`
}

// Language is a template's language code.
type Language struct {
	Code string `json:"code"`
}

// Component is one part of a template; PeerCircle fills the body.
type Component struct {
	Type       string      `json:"type"`
	Parameters []Parameter `json:"parameters"`
}

// Parameter is one {{n}} of a template.
type Parameter struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// Build makes the request for m: the template of its kind, in its
// language, the notice's words and the link as body parameters.
func (c *Client) Build(m notify.Message) Request {
	prefix := c.Prefix
	if prefix == "" {
		prefix = "peercircle_"
	}
	var params []Parameter
	for _, a := range append(append([]string(nil), m.Args...), m.Link) {
		params = append(params, Parameter{Type: "text", Text: a})
	}
	return Request{MessagingProduct: "whatsapp", RecipientType: "individual", To: strings.TrimPrefix(m.To, "+"), Type: "template",
		Template: Template{Name: prefix + m.Kind, Language: Language{Code: m.Lang}, Components: []Component{{Type: "body", Parameters: params}}}}
}

// Send delivers m (see SendID).
func (c *Client) Send(ctx context.Context, m notify.Message) error {
	_, err := c.SendID(ctx, m)
	return err
}

// SendID posts the template message and returns its WhatsApp message id
// (wamid…). A refusal (4xx but 429) is permanent: a template that is not
// approved or a number that is not on WhatsApp will not change by
// retrying.
func (c *Client) SendID(ctx context.Context, m notify.Message) (string, error) {
	body, err := json.Marshal(c.Build(m))
	if err != nil {
		return "", notify.Permanent(err)
	}
	endpoint := strings.TrimRight(c.BaseURL, "/") + "/" + c.Version + "/" + c.PhoneNumberID + "/messages"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "", notify.Permanent(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http().Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	var out struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
		Error struct {
			Message string `json:"message"`
			Code    int    `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(raw, &out)
	if res.StatusCode >= 300 {
		err := fmt.Errorf("whatsapp: %s: %d %s", res.Status, out.Error.Code, out.Error.Message)
		if res.StatusCode >= 400 && res.StatusCode < 500 && res.StatusCode != http.StatusTooManyRequests {
			return "", notify.Permanent(err)
		}
		return "", err
	}
	if len(out.Messages) == 0 || out.Messages[0].ID == "" {
		return "", errors.New("whatsapp: the answer names no message id")
	}
	return out.Messages[0].ID, nil
}

// ErrSignature is a webhook post whose signature does not match.
var ErrSignature = errors.New("whatsapp: the webhook's signature does not match")

// Sign computes X-Hub-Signature-256 for a body.
func Sign(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Receipts reads the statuses of a signed webhook post (a post may carry
// several; one with messages but no statuses carries none).
func (c *Client) Receipts(r *http.Request, body []byte) ([]peercircle.DeliveryReceipt, error) {
	if c.AppSecret == "" || !hmac.Equal([]byte(Sign(c.AppSecret, body)), []byte(r.Header.Get("X-Hub-Signature-256"))) {
		return nil, ErrSignature
	}
	var post struct {
		Entry []struct {
			Changes []struct {
				Value struct {
					Statuses []struct {
						ID     string `json:"id"`
						Status string `json:"status"`
					} `json:"statuses"`
				} `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(body, &post); err != nil {
		return nil, err
	}
	var out []peercircle.DeliveryReceipt
	for _, e := range post.Entry {
		for _, ch := range e.Changes {
			for _, s := range ch.Value.Statuses {
				if s.ID != "" && s.Status != "" {
					out = append(out, peercircle.DeliveryReceipt{ProviderID: s.ID, Status: s.Status})
				}
			}
		}
	}
	return out, nil
}

// Verify answers the webhook's GET verification: the challenge when the
// mode is subscribe and the verify token matches.
func (c *Client) Verify(r *http.Request) (string, bool) {
	q := r.URL.Query()
	if c.VerifyToken == "" || q.Get("hub.mode") != "subscribe" ||
		!hmac.Equal([]byte(q.Get("hub.verify_token")), []byte(c.VerifyToken)) {
		return "", false
	}
	return q.Get("hub.challenge"), true
}
