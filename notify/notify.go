// Package notify sends the messages that leave PeerCircle: e-mail over SMTP
// (or, without a relay, as files an operator can read), through an outbox
// in the durable job table so nothing is lost while a relay is down.
// Confidential text never goes into a message (DESIGN.md rule 2); a message
// says that something happened and links back to the app.
package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/jobs"
	"github.com/peercircle/peercircle/seal"
)

// Message is one message on any channel: an e-mail uses every part; SMS
// and WhatsApp use the plain text, or the kind and parameters for a
// provider's template.
type Message struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`           // plain text
	HTML    string `json:"html,omitempty"` // the HTML part of an e-mail
	// ID makes the Message-ID; Unsubscribe is where the person changes
	// what they receive (List-Unsubscribe).
	ID          string       `json:"id,omitempty"`
	Unsubscribe string       `json:"unsubscribe,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Kind, Params, Lang and Link let a provider fill its own template.
	Kind    string   `json:"kind,omitempty"`
	Params  []string `json:"params,omitempty"`
	Args    []string `json:"args,omitempty"` // Params as the reader reads them
	Lang    string   `json:"lang,omitempty"`
	Link    string   `json:"link,omitempty"`
	Channel string   `json:"channel,omitempty"`
}

// Attachment is a file sent with an e-mail (a meeting as .ics).
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// Sender delivers a message now.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP sends through a relay: STARTTLS when the relay offers it, or TLS
// from the first byte (ImplicitTLS, port 465), with PLAIN authentication
// when a user is set (only over TLS, or to localhost, as net/smtp insists).
type SMTP struct {
	Addr        string // host:port
	From        string
	User        string
	Password    string
	ImplicitTLS bool
	// TLS overrides the TLS configuration (tests trust their own
	// certificate with it); nil verifies the relay's name.
	TLS *tls.Config
}

// Send delivers m.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return Permanent(err)
	}
	cfg := s.TLS
	if cfg == nil {
		cfg = &tls.Config{ServerName: host}
	}
	d := &net.Dialer{Timeout: 30 * time.Second}
	var conn net.Conn
	if s.ImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: cfg}).DialContext(ctx, "tcp", s.Addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.Addr)
	}
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if !s.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(cfg); err != nil {
				return err
			}
		}
	}
	if s.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, host)); err != nil {
			return Permanent(err)
		}
	}
	from := s.From
	if a, err := parseAddress(from); err == nil {
		from = a
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
		var te *textproto.Error
		if errors.As(err, &te) && te.Code >= 500 {
			return Permanent(err) // the relay refuses the address
		}
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(format(s.From, m)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// Files writes each SMS or WhatsApp message as a JSON file in a
// directory, as Dir does for e-mail: the demo's providers, so a person
// trying it can read what would have been sent.
type Files struct{ Path string }

// SendID writes m and returns the file's name as the message's id.
func (f *Files) SendID(ctx context.Context, m Message) (string, error) {
	if err := os.MkdirAll(f.Path, 0o700); err != nil {
		return "", err
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := time.Now().UTC().Format("20060102T150405Z") + "-" + base64.RawURLEncoding.EncodeToString(b) + ".json"
	out := struct {
		To   string   `json:"to"`
		Text string   `json:"text"`
		Kind string   `json:"kind"`
		Args []string `json:"args"`
		Lang string   `json:"lang"`
		Link string   `json:"link"`
	}{m.To, m.Body, m.Kind, m.Args, m.Lang, m.Link}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return "", err
	}
	return name, os.WriteFile(filepath.Join(f.Path, name), data, 0o600)
}

// Send writes m.
func (f *Files) Send(ctx context.Context, m Message) error {
	_, err := f.SendID(ctx, m)
	return err
}

// Dir writes each message as an .eml file in a directory: for the demo and
// for installations without a relay, where an operator forwards them.
type Dir struct{ Path string }

// Send writes m to a new file.
func (d *Dir) Send(ctx context.Context, m Message) error {
	if err := os.MkdirAll(d.Path, 0o700); err != nil {
		return err
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := time.Now().UTC().Format("20060102T150405Z") + "-" + base64.RawURLEncoding.EncodeToString(b) + ".eml"
	return os.WriteFile(filepath.Join(d.Path, name), format("PeerCircle <no-reply@localhost>", m), 0o600)
}

func parseAddress(s string) (string, error) {
	if i, j := strings.LastIndex(s, "<"), strings.LastIndex(s, ">"); i >= 0 && j > i {
		return s[i+1 : j], nil
	}
	if strings.Contains(s, "@") {
		return strings.TrimSpace(s), nil
	}
	return "", fmt.Errorf("bad address %q", s)
}

// format builds an RFC 5322 message with UTF-8 parts (Arabic included): the
// plain text alone, or with an HTML part as multipart/alternative, and any
// attachments in multipart/mixed around them. A message with an ID gets a
// Message-ID; one with an Unsubscribe address a List-Unsubscribe header
// (RFC 2369) leading to where the person changes what they receive.
func format(from string, m Message) []byte {
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from)
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", time.Now().UTC().Format(time.RFC1123Z))
	if m.ID != "" {
		domain := "peercircle.invalid"
		if a, err := parseAddress(from); err == nil {
			if _, d, ok := strings.Cut(a, "@"); ok && d != "" {
				domain = d
			}
		}
		header("Message-ID", "<"+m.ID+"@"+domain+">")
	}
	if m.Unsubscribe != "" {
		header("List-Unsubscribe", "<"+m.Unsubscribe+">")
	}
	header("MIME-Version", "1.0")
	if m.HTML == "" && len(m.Attachments) == 0 {
		writePart(&b, "text/plain; charset=utf-8", "", []byte(m.Body))
		return b.Bytes()
	}
	outer := multipart.NewWriter(&b)
	kind := "alternative"
	if len(m.Attachments) > 0 {
		kind = "mixed"
	}
	header("Content-Type", "multipart/"+kind+"; boundary="+outer.Boundary())
	b.WriteString("\r\n")
	texts := outer
	if kind == "mixed" && m.HTML != "" {
		inner := multipart.NewWriter(nil)
		w, _ := outer.CreatePart(textproto.MIMEHeader{"Content-Type": {"multipart/alternative; boundary=" + inner.Boundary()}})
		texts = multipart.NewWriter(w)
		texts.SetBoundary(inner.Boundary())
	}
	addPart(texts, "text/plain; charset=utf-8", "", []byte(m.Body))
	if m.HTML != "" {
		addPart(texts, "text/html; charset=utf-8", "", []byte(m.HTML))
	}
	if texts != outer {
		texts.Close()
	}
	for _, a := range m.Attachments {
		addPart(outer, a.ContentType, a.Name, a.Data)
	}
	outer.Close()
	return b.Bytes()
}

// writePart writes a single-part body (its headers, a blank line, base64).
func writePart(b *bytes.Buffer, contentType, name string, data []byte) {
	b.WriteString("Content-Type: " + contentType + "\r\n")
	if name != "" {
		b.WriteString("Content-Disposition: " + mime.FormatMediaType("attachment", map[string]string{"filename": name}) + "\r\n")
	}
	b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
	writeBase64(b, data)
}

func addPart(w *multipart.Writer, contentType, name string, data []byte) {
	h := textproto.MIMEHeader{"Content-Type": {contentType}, "Content-Transfer-Encoding": {"base64"}}
	if name != "" {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}
	pw, _ := w.CreatePart(h)
	var b bytes.Buffer
	writeBase64(&b, data)
	pw.Write(b.Bytes())
}

// writeBase64 writes data in base64 lines of 76 characters (RFC 2045).
func writeBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}

// KindMail is the job kind of outgoing e-mail.
const KindMail = "mail"

// Mailer queues e-mails in the job table. Payloads are sealed: a reset link
// is a secret until it is used.
type Mailer struct {
	Jobs peercircle.JobService
	Keys *seal.Keyring
	I18n *i18n.Bundle
}

// Queue adds a message to the outbox.
func (m *Mailer) Queue(ctx context.Context, msg Message) error {
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	payload := base64.StdEncoding.EncodeToString(m.Keys.Seal(b, "job:mail"))
	_, err = m.Jobs.Enqueue(ctx, &peercircle.Job{Kind: KindMail, Payload: payload})
	return err
}

// SendReset queues a password-reset link in the person's language.
func (m *Mailer) SendReset(ctx context.Context, p *peercircle.Person, link string) error {
	if p.Email == "" {
		return nil
	}
	l := m.I18n.Localizer(p.Lang)
	return m.Queue(ctx, Message{To: p.Email, Subject: l.T("mail.reset_subject"), Body: l.T("mail.reset_body", p.Name(), link)})
}

// SendEmailChanged tells the old address that the account's e-mail was
// changed, with a link to undo it (the new address is not named).
func (m *Mailer) SendEmailChanged(ctx context.Context, p *peercircle.Person, oldEmail, undoLink string) error {
	if oldEmail == "" {
		return nil
	}
	l := m.I18n.Localizer(p.Lang)
	return m.Queue(ctx, Message{To: oldEmail, Subject: l.T("mail.email_changed_subject"), Body: l.T("mail.email_changed_body", p.Name(), undoLink)})
}

// SendInvitation queues an invitation link in the person's language.
func (m *Mailer) SendInvitation(ctx context.Context, p *peercircle.Person, link string) error {
	if p.Email == "" {
		return nil
	}
	l := m.I18n.Localizer(p.Lang)
	return m.Queue(ctx, Message{To: p.Email, Subject: l.T("mail.invite_subject"), Body: l.T("mail.invite_body", p.Name(), link)})
}

// Handler returns the job handler that delivers queued mail with s.
func (m *Mailer) Handler(s Sender) jobs.Handler {
	return func(ctx context.Context, payload string) error {
		raw, err := base64.StdEncoding.DecodeString(payload)
		if err != nil {
			return jobs.Permanent(err)
		}
		plain, err := m.Keys.Open(raw, "job:mail")
		if err != nil {
			return jobs.Permanent(err)
		}
		var msg Message
		if err := json.Unmarshal(plain, &msg); err != nil {
			return jobs.Permanent(err)
		}
		return s.Send(ctx, msg)
	}
}
