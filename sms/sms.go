// Package sms sends text messages through a Twilio-style REST API (Twilio's
// Messages resource, which several gateways copy): a form POST to
// /2010-04-01/Accounts/{AccountSID}/Messages.json with HTTP basic auth, and
// delivery receipts posted back to a status callback, signed with
// X-Twilio-Signature (HMAC-SHA1 of the callback URL and the sorted form
// parameters, keyed by the auth token).
package sms

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/notify"
)

// Client sends SMS through one account.
type Client struct {
	BaseURL    string // https://api.twilio.com, or a compatible gateway
	AccountSID string
	AuthToken  string
	From       string // the sending number (E.164) or a messaging service SID (MG…)
	// StatusCallback is the public URL of PeerCircle's receipt endpoint
	// (…/hooks/sms); the signature covers it, so it must be exactly the
	// address the provider posts to.
	StatusCallback string
	HTTP           *http.Client
}

// MaxLength bounds a message: ten SMS segments of Unicode text.
const MaxLength = 670

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// Send delivers m (see SendID).
func (c *Client) Send(ctx context.Context, m notify.Message) error {
	_, err := c.SendID(ctx, m)
	return err
}

// SendID posts m's plain text (the notice and its link) and returns the
// provider's message SID. A refusal of the request (4xx but 429) is
// permanent; a server error or a timeout is retried by the outbox.
func (c *Client) SendID(ctx context.Context, m notify.Message) (string, error) {
	body := Text(m)
	form := url.Values{"To": {m.To}, "Body": {body}}
	if strings.HasPrefix(c.From, "MG") {
		form.Set("MessagingServiceSid", c.From)
	} else {
		form.Set("From", c.From)
	}
	if c.StatusCallback != "" {
		form.Set("StatusCallback", c.StatusCallback)
	}
	endpoint := strings.TrimRight(c.BaseURL, "/") + "/2010-04-01/Accounts/" + url.PathEscape(c.AccountSID) + "/Messages.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", notify.Permanent(err)
	}
	req.SetBasicAuth(c.AccountSID, c.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := c.http().Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	var out struct {
		SID     string `json:"sid"`
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	json.Unmarshal(raw, &out)
	if res.StatusCode >= 300 {
		err := fmt.Errorf("sms: %s: %d %s", res.Status, out.Code, out.Message)
		if res.StatusCode >= 400 && res.StatusCode < 500 && res.StatusCode != http.StatusTooManyRequests {
			return "", notify.Permanent(err)
		}
		return "", err
	}
	if out.SID == "" {
		return "", errors.New("sms: the provider answered without a message sid")
	}
	return out.SID, nil
}

// Text is what an SMS says: the notice and the link back, no more (no
// subject, no footer), within MaxLength.
func Text(m notify.Message) string {
	text := m.Body
	if i := strings.Index(text, "\n-- \n"); i >= 0 {
		text = text[:i] // the e-mail's footer
	}
	text = strings.TrimSpace(text)
	if r := []rune(text); len(r) > MaxLength {
		text = string(r[:MaxLength-1]) + "…"
	}
	return text
}

// ErrSignature is a receipt whose signature does not match.
var ErrSignature = errors.New("sms: the receipt's signature does not match")

// Signature computes X-Twilio-Signature for a POST to fullURL with form.
func Signature(authToken, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		for _, v := range form[k] {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Receipts reads a signed status callback: the message SID and its
// status. The signature is checked against StatusCallback, the address
// the provider was given.
func (c *Client) Receipts(r *http.Request, body []byte) ([]peercircle.DeliveryReceipt, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	want := Signature(c.AuthToken, c.StatusCallback, form)
	if !hmac.Equal([]byte(want), []byte(r.Header.Get("X-Twilio-Signature"))) {
		return nil, ErrSignature
	}
	id, status := form.Get("MessageSid"), form.Get("MessageStatus")
	if id == "" || status == "" {
		return nil, errors.New("sms: a receipt without MessageSid or MessageStatus")
	}
	return []peercircle.DeliveryReceipt{{ProviderID: id, Status: status}}, nil
}
