package notify

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
)

// parts reads every leaf part of a message, decoded, by content type.
func parts(t *testing.T, contentType string, body io.Reader, out map[string]string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		data, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, body))
		if err != nil {
			t.Fatalf("%s: %v", mt, err)
		}
		out[mt] = string(data)
		return
	}
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if cte := p.Header.Get("Content-Transfer-Encoding"); cte != "" && cte != "base64" {
			t.Fatalf("part encoded %q", cte)
		}
		parts(t, p.Header.Get("Content-Type"), p, out)
	}
}

// An e-mail as a mail client reads it: the plain text and the HTML as
// alternatives, Message-ID and List-Unsubscribe, an attachment beside them,
// Arabic intact.
func TestEmailsHaveEveryPart(t *testing.T) {
	body := "تذكير: تجتمع المجموعة يوم الثلاثاء.\n\nhttps://pc.example.org/answer/x"
	html := `<!DOCTYPE html><html lang="ar" dir="rtl"><body><p>تذكير</p></body></html>`
	for _, tc := range []struct {
		name   string
		m      Message
		types  []string
		header map[string]string
	}{
		{"plain only", Message{To: "rana@example.org", Subject: "Reset", Body: body}, []string{"text/plain"}, nil},
		{"plain and HTML", Message{To: "rana@example.org", Subject: "تذكير", Body: body, HTML: html, ID: "outbox-12", Unsubscribe: "https://pc.example.org/profile"},
			[]string{"text/plain", "text/html"}, map[string]string{"Message-Id": "<outbox-12@pc.example.org>", "List-Unsubscribe": "<https://pc.example.org/profile>"}},
		{"with a calendar file", Message{To: "rana@example.org", Subject: "تذكير", Body: body, HTML: html, ID: "outbox-13",
			Attachments: []Attachment{{Name: "meeting.ics", ContentType: "text/calendar; charset=utf-8", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}}},
			[]string{"text/plain", "text/html", "text/calendar"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, err := mail.ReadMessage(bytes.NewReader(format("PeerCircle <no-reply@pc.example.org>", tc.m)))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.header {
				if got := msg.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); subj != tc.m.Subject {
				t.Errorf("subject %q", subj)
			}
			got := map[string]string{}
			parts(t, msg.Header.Get("Content-Type"), msg.Body, got)
			if len(got) != len(tc.types) {
				t.Fatalf("parts %v, want %v", keys(got), tc.types)
			}
			if got["text/plain"] != body {
				t.Errorf("plain text %q", got["text/plain"])
			}
			if len(tc.types) > 1 && got["text/html"] != html {
				t.Errorf("html %q", got["text/html"])
			}
			if len(tc.types) > 2 && !strings.HasPrefix(got["text/calendar"], "BEGIN:VCALENDAR") {
				t.Errorf("calendar %q", got["text/calendar"])
			}
		})
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
