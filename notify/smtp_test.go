package notify_test

import (
	"context"
	"io"
	"mime"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/internal/smtptest"
	"github.com/peercircle/peercircle/notify"
)

// E-mail through a real SMTP server, both ways a relay takes it: STARTTLS
// on a plain port and TLS from the first byte (465), with AUTH PLAIN; the
// server parses what it got: headers, both parts, Message-ID and
// List-Unsubscribe; a refused address is permanent, a wrong password too.
func TestSMTPDeliversOverTLSWithAuth(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		srv := smtptest.Start(t, implicit)
		s := &notify.SMTP{Addr: srv.Addr, From: "PeerCircle <no-reply@pc.example>", User: srv.User, Password: srv.Password, ImplicitTLS: implicit, TLS: srv.TLS}
		m := notify.Message{To: "huda@example.org", Subject: "تذكير: لقاء الثلاثاء", Body: "نص الرسالة\n", HTML: "<p>نص</p>", ID: "outbox-7", Unsubscribe: "https://pc.example/profile",
			Attachments: []notify.Attachment{{Name: "meeting.ics", ContentType: "text/calendar; method=PUBLISH", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}}}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("implicit %v: %v", implicit, err)
		}
		got := srv.Messages()
		if len(got) != 1 || got[0].From != "no-reply@pc.example" || got[0].To[0] != "huda@example.org" {
			t.Fatalf("implicit %v: %+v", implicit, got)
		}
		h := got[0].Msg.Header
		subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
		if subject != "تذكير: لقاء الثلاثاء" || !strings.Contains(h.Get("Message-Id"), "outbox-7") || !strings.Contains(h.Get("List-Unsubscribe"), "https://pc.example/profile") ||
			!strings.HasPrefix(h.Get("Content-Type"), "multipart/") {
			t.Fatalf("headers %v (subject %q)", h, subject)
		}
		body, _ := io.ReadAll(got[0].Msg.Body)
		if !strings.Contains(string(body), "text/plain") || !strings.Contains(string(body), "text/html") || !strings.Contains(string(body), "meeting.ics") {
			t.Fatalf("body:\n%s", body)
		}
		m.To = "refused@example.org"
		if err := s.Send(context.Background(), m); !notify.IsPermanent(err) {
			t.Fatalf("a refused address: %v", err)
		}
		s.Password = "wrong"
		if err := s.Send(context.Background(), m); !notify.IsPermanent(err) {
			t.Fatalf("a wrong password: %v", err)
		}
	}
}
