package demo_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// The demo's people hear by every channel: a notice to the member who
// chose WhatsApp and to the one who chose text messages leaves by those
// channels and is written, as the demo does, where a person trying it can
// read it; the organiser's paperwork stays in the app.
func TestDemoPeopleHearByEachChannel(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	w, err := demo.Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	// Midday in Amman, outside the WhatsApp member's quiet hours.
	amman, _ := time.LoadLocation("Asia/Amman")
	noon := time.Date(2026, 12, 10, 12, 0, 0, 0, amman)
	s.Now = func() time.Time { return noon }
	nuzha := w.Members["nuzha"]
	// The outbox may hold the demo's own messages; only these two count.
	for _, p := range nuzha[:2] {
		if err := s.Notify(ctx, &peercircle.Notification{PersonID: p.ID, Kind: "session_cancelled", Params: []string{"Nuzha staff group", "2026-12-08"}, Link: "/"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Notify(ctx, &peercircle.Notification{PersonID: w.People["organiser"].ID, Kind: "report_due_soon", Params: []string{"2026Q4"}, Link: "/"}); err != nil {
		t.Fatal(err)
	}
	bundle, _ := i18n.Load()
	dir := t.TempDir()
	o := notify.NewOutbox(s, bundle, slog.New(slog.NewTextHandler(io.Discard, nil)))
	o.Senders[peercircle.ChannelEmail] = &notify.Dir{Path: filepath.Join(dir, "mail")}
	o.Senders[peercircle.ChannelSMS] = &notify.Files{Path: filepath.Join(dir, "messages", "sms")}
	o.Senders[peercircle.ChannelWhatsApp] = &notify.Files{Path: filepath.Join(dir, "messages", "whatsapp")}
	o.Now = s.Now
	for {
		ran, err := o.RunOne(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			break
		}
	}
	for ch, phone := range map[string]string{"whatsapp": "+962795550101", "sms": "+962775550102"} {
		files, _ := os.ReadDir(filepath.Join(dir, "messages", ch))
		found := false
		for _, f := range files {
			b, _ := os.ReadFile(filepath.Join(dir, "messages", ch, f.Name()))
			var m struct{ To, Text, Kind string }
			json.Unmarshal(b, &m)
			if m.To == phone && m.Kind == "session_cancelled" && strings.Contains(m.Text, "Nuzha staff group") {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s message to %s among %d files", ch, phone, len(files))
		}
	}
	msgs, err := s.OutboxMessages(ctx, peercircle.OutboxSent, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.PersonID == w.People["organiser"].ID && m.Kind == "report_due_soon" {
			t.Fatalf("the organiser's paperwork left the app by %s", m.Channel)
		}
	}
}
