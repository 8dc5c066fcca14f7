package notify

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
)

// OutboxStore is what the outbox worker needs from storage.
type OutboxStore interface {
	peercircle.OutboxService
}

// Outbox delivers the messages of the outbox table: it claims a due
// message, writes it in the person's language, hands it to the sender of
// its channel, and records the attempt. A failure is retried with back-off
// up to MaxAttempts, then the message waits, failed, for an admin.
type Outbox struct {
	Store   OutboxStore
	I18n    *i18n.Bundle
	Senders map[string]Sender // by channel (peercircle.ChannelEmail, ...)
	BaseURL string            // the public address, for links
	Log     *slog.Logger
	Now     peercircle.Clock
	ID      string        // this worker's name in locked_by and the attempts
	Lease   time.Duration // how long a claimed message is this worker's
	Poll    time.Duration // how often an idle worker looks for work
	// MaxAttempts bounds tries before a message waits for an admin.
	MaxAttempts int
	// Backoff gives the wait after a failed attempt (attempts so far).
	Backoff func(attempts int) time.Duration
	// Attach, when set, adds files to an e-mail (a meeting's .ics).
	Attach func(ctx context.Context, m *peercircle.OutboxMessage, msg Message) []Attachment
}

// NewOutbox returns a worker with sensible defaults.
func NewOutbox(store OutboxStore, bundle *i18n.Bundle, log *slog.Logger) *Outbox {
	host, _ := os.Hostname()
	return &Outbox{Store: store, I18n: bundle, Log: log, Now: peercircle.SystemClock, Senders: map[string]Sender{},
		ID: fmt.Sprintf("%s-%d-%04x", host, os.Getpid(), rand.N(1<<16)), Lease: 2 * time.Minute, Poll: 5 * time.Second,
		MaxAttempts: 6, Backoff: Backoff}
}

// Backoff doubles from one minute, up to two hours: a relay down for an
// afternoon still gets the message out the same day.
func Backoff(attempts int) time.Duration {
	d := time.Minute << min(max(attempts-1, 0), 7)
	return min(d, 2*time.Hour)
}

// ErrNoAddress is a message for someone with no address on its channel.
var ErrNoAddress = errors.New("no address on this channel")

// permanentError is a failure that retrying cannot fix.
type permanentError struct{ error }

// Permanent marks an error a retry cannot fix (a refused address, a bad
// template): the message waits for an admin at once.
func Permanent(err error) error { return permanentError{err} }

// Run works until ctx ends, with workers goroutines.
func (o *Outbox) Run(ctx context.Context, workers int) {
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				ran, err := o.RunOne(ctx)
				if err != nil && ctx.Err() == nil {
					o.Log.Error("outbox", "err", err)
				}
				if ran && err == nil {
					continue
				}
				select {
				case <-ctx.Done():
				case <-time.After(o.Poll + time.Duration(rand.N(int64(o.Poll/4)+1))):
				}
			}
		}()
	}
	wg.Wait()
}

// RunOne claims and delivers one due message; it reports whether there was
// one. Tests call it directly.
func (o *Outbox) RunOne(ctx context.Context) (bool, error) {
	m, err := o.Store.ClaimMessage(ctx, o.ID, o.Lease)
	if err != nil || m == nil {
		return false, err
	}
	done := context.WithoutCancel(ctx) // record the outcome even during shutdown
	sctx, cancel := context.WithTimeout(ctx, o.Lease/2)
	providerID, err := o.deliver(sctx, m)
	cancel()
	if err == nil {
		return true, o.Store.MessageSent(done, m.ID, o.ID, providerID)
	}
	var perm permanentError
	if errors.As(err, &perm) || errors.Is(err, ErrNoAddress) || m.Attempts >= o.MaxAttempts {
		o.Log.Warn("outbox: gave up", "id", m.ID, "kind", m.Kind, "channel", m.Channel, "attempts", m.Attempts, "err", err)
		return true, o.Store.MessageFailed(done, m.ID, o.ID, err.Error(), nil)
	}
	retry := o.Now().Add(o.Backoff(m.Attempts))
	o.Log.Info("outbox: will retry", "id", m.ID, "kind", m.Kind, "channel", m.Channel, "attempts", m.Attempts, "at", retry, "err", err)
	return true, o.Store.MessageFailed(done, m.ID, o.ID, err.Error(), &retry)
}

// Receipted is a sender that returns the provider's id for the message,
// which delivery receipts name.
type Receipted interface {
	SendID(ctx context.Context, m Message) (providerID string, err error)
}

func (o *Outbox) deliver(ctx context.Context, m *peercircle.OutboxMessage) (id string, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	s, ok := o.Senders[m.Channel]
	if !ok {
		return "", Permanent(fmt.Errorf("no sender for channel %s", m.Channel))
	}
	if m.To == "" {
		return "", ErrNoAddress
	}
	msg := o.Compose(m)
	if o.Attach != nil && m.Channel == peercircle.ChannelEmail {
		msg.Attachments = o.Attach(ctx, m, msg)
	}
	if r, ok := s.(Receipted); ok {
		return r.SendID(ctx, msg)
	}
	return msg.ID, s.Send(ctx, msg)
}

// Compose writes an outbox message in the person's language: the notice
// as the app shows it, dates in words, and a link back to the app.
func (o *Outbox) Compose(m *peercircle.OutboxMessage) Message {
	l := o.I18n.Localizer(m.Lang)
	text := Text(l, m.Kind, m.Params)
	link := o.BaseURL + m.Link
	profile := o.BaseURL + "/profile"
	body := text + "\n\n" + l.T("outbox.open_link", link) + "\n\n-- \n" + l.T("outbox.footer", profile) + "\n"
	var h strings.Builder
	fmt.Fprintf(&h, `<!DOCTYPE html><html lang="%s" dir="%s"><body>`, l.Lang(), l.Dir())
	fmt.Fprintf(&h, "<p>%s</p>", html.EscapeString(text))
	fmt.Fprintf(&h, `<p><a href="%s">%s</a></p>`, html.EscapeString(link), html.EscapeString(l.T("outbox.open")))
	fmt.Fprintf(&h, `<p style="color:#555;font-size:small"><a href="%s">%s</a></p>`, html.EscapeString(profile), html.EscapeString(l.T("outbox.change_prefs")))
	h.WriteString("</body></html>")
	return Message{
		To: m.To, Subject: l.T("outbox.subject", text), Body: body, HTML: h.String(),
		ID: fmt.Sprintf("outbox-%d", m.ID), Unsubscribe: profile,
		Kind: m.Kind, Params: m.Params, Args: Args(l, m.Params), Lang: l.Lang(), Link: link, Channel: m.Channel,
	}
}

// Text writes a notice in l's language. A "@key" parameter is a catalogue
// key said in the reader's language; a YYYY-MM-DD parameter is a date,
// said in words; an HH:MM parameter a time, in the reader's digits.
func Text(l *i18n.Localizer, kind string, params []string) string {
	words := Args(l, params)
	args := make([]any, len(words))
	for i, w := range words {
		args[i] = w
	}
	return l.T("notify."+kind, args...)
}

// Args are a notice's parameters as the reader reads them (keys said,
// dates in words, times in their digits): what a provider's template is
// filled with.
func Args(l *i18n.Localizer, params []string) []string {
	args := make([]string, len(params))
	for i, v := range params {
		args[i] = v
		if k, ok := strings.CutPrefix(v, "@"); ok && l.Has(k) {
			args[i] = l.T(k)
		} else if d, err := time.Parse(time.DateOnly, v); err == nil {
			args[i] = l.Date(d)
		} else if _, err := time.Parse("15:04", v); err == nil && len(v) == 5 {
			args[i] = l.Digits(v) // a time of day, in the reader's digits
		} else if n, err := strconv.Atoi(v); err == nil && len(v) < 10 {
			args[i] = l.Number(int64(n)) // a count
		}
	}
	return args
}

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var perm permanentError
	return errors.As(err, &perm)
}
