package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/postgres"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var bundle = func() *i18n.Bundle {
	b, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	return b
}()

// recorder is a sender that keeps what it was given and fails while
// failing is set.
type recorder struct {
	mu      sync.Mutex
	sent    []notify.Message
	failing error
}

func (r *recorder) Send(ctx context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failing != nil {
		return r.failing
	}
	r.sent = append(r.sent, m)
	return nil
}

func (r *recorder) messages() []notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Message(nil), r.sent...)
}

func worker(s *sqlstore.Store, id string, senders map[string]notify.Sender) *notify.Outbox {
	o := notify.NewOutbox(s, bundle, slog.New(slog.NewTextHandler(io.Discard, nil)))
	o.ID, o.Now, o.Senders, o.BaseURL = id, s.Now, senders, "https://pc.example.org"
	return o
}

func person(t testing.TB, s *sqlstore.Store, user, email, lang string) *peercircle.Person {
	t.Helper()
	p := &peercircle.Person{Username: user, Email: email, FullName: user + " test", Lang: lang, Status: peercircle.PersonActive}
	must(t, s.CreatePerson(context.Background(), p))
	return p
}

// drain runs a worker until nothing is due.
func drain(t testing.TB, o *notify.Outbox) {
	t.Helper()
	for {
		ran, err := o.RunOne(context.Background())
		must(t, err)
		if !ran {
			return
		}
	}
}

// TestWorkerRetriesWithBackoffThenGivesUp: a relay that is down gets the
// message again after a growing wait; after the limit the message waits,
// failed with the relay's reason, for an admin; sent again it goes.
func TestWorkerRetriesWithBackoffThenGivesUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := storetest.NewClock(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
		s.Now = clock.Now
		p := person(t, s, "huda", "huda@example.org", "ar")
		admin := person(t, s, "admin", "", "")
		rec := &recorder{failing: errors.New("421 4.3.0 relay busy")}
		o := worker(s, "w1", map[string]notify.Sender{peercircle.ChannelEmail: rec})
		o.MaxAttempts = 3
		must(t, s.Notify(ctx, &peercircle.Notification{PersonID: p.ID, Kind: "buddy_paired", Link: "/"}))

		var waits []time.Duration
		for attempt := 1; attempt <= 3; attempt++ {
			ran, err := o.RunOne(ctx)
			must(t, err)
			if !ran {
				t.Fatalf("attempt %d: nothing was due", attempt)
			}
			ms, _ := s.OutboxMessages(ctx, "", 1)
			if attempt < 3 {
				if ms[0].State != peercircle.OutboxQueued {
					t.Fatalf("after attempt %d the message is %s", attempt, ms[0].State)
				}
				if ran, _ := o.RunOne(ctx); ran {
					t.Fatalf("after attempt %d the retry did not wait", attempt)
				}
				waits = append(waits, ms[0].RunAt.Sub(clock.Now()))
				clock.Add(ms[0].RunAt.Sub(clock.Now()))
			}
		}
		if len(waits) != 2 || waits[0] != time.Minute || waits[1] != 2*time.Minute {
			t.Errorf("waits between attempts %v, want 1m then 2m", waits)
		}
		m, attempts, err := s.OutboxMessage(ctx, mustOnly(t, s).ID)
		must(t, err)
		if m.State != peercircle.OutboxFailed || m.LastError != "421 4.3.0 relay busy" || len(attempts) != 3 {
			t.Fatalf("after the limit: %+v with %d attempts", m, len(attempts))
		}

		rec.failing = nil
		must(t, s.RetryMessage(ctx, m.ID, admin.ID))
		drain(t, o)
		sent := rec.messages()
		if len(sent) != 1 || sent[0].To != "huda@example.org" || sent[0].Lang != "ar" {
			t.Fatalf("sent %+v", sent)
		}
		if m, _, _ := s.OutboxMessage(ctx, m.ID); m.State != peercircle.OutboxSent {
			t.Errorf("after send again the message is %s", m.State)
		}
	})
}

func mustOnly(t *testing.T, s *sqlstore.Store) *peercircle.OutboxMessage {
	t.Helper()
	ms, err := s.OutboxMessages(context.Background(), "", 2)
	must(t, err)
	if len(ms) != 1 {
		t.Fatalf("%d messages in the outbox, want 1", len(ms))
	}
	return ms[0]
}

// TestWorkerGivesUpAtOnceWhenRetryCannotHelp: no address on the channel,
// or an error the sender calls permanent, fails the message on its first
// attempt.
func TestWorkerGivesUpAtOnceWhenRetryCannotHelp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := person(t, s, "rana", "rana@example.org", "en")
		rec := &recorder{failing: notify.Permanent(errors.New("550 5.1.1 no such user"))}
		o := worker(s, "w1", map[string]notify.Sender{peercircle.ChannelEmail: rec, peercircle.ChannelSMS: &recorder{}})
		_, err := s.EnqueueMessage(ctx, &peercircle.OutboxMessage{PersonID: p.ID, Kind: "buddy_paired", Channel: peercircle.ChannelEmail})
		must(t, err)
		_, err = s.EnqueueMessage(ctx, &peercircle.OutboxMessage{PersonID: p.ID, Kind: "buddy_paired", Channel: peercircle.ChannelSMS})
		must(t, err)
		drain(t, o)
		failed, err := s.OutboxMessages(ctx, peercircle.OutboxFailed, 10)
		must(t, err)
		reasons := map[string]string{}
		for _, m := range failed {
			reasons[m.Channel] = m.LastError
			if m.Attempts != 1 {
				t.Errorf("%s: %d attempts, want 1", m.Channel, m.Attempts)
			}
		}
		if reasons[peercircle.ChannelEmail] != "550 5.1.1 no such user" || reasons[peercircle.ChannelSMS] != notify.ErrNoAddress.Error() {
			t.Errorf("reasons %v", reasons)
		}
	})
}

// instances opens the same database twice, as two app instances would.
func instances(t *testing.T, backend string) (*sqlstore.Store, *sqlstore.Store) {
	t.Helper()
	keys := storetest.Keys(t)
	open := func() *sqlstore.DB { return nil }
	switch backend {
	case "sqlite":
		path := filepath.Join(t.TempDir(), "shared.db")
		open = func() *sqlstore.DB {
			db, err := sqlite.Open(path)
			must(t, err)
			_, err = db.Migrate(context.Background())
			must(t, err)
			return db
		}
	case "postgres":
		url := storetest.PostgresURL(t)
		open = func() *sqlstore.DB {
			db, err := postgres.Open(url)
			must(t, err)
			return db
		}
	}
	a, b := open(), open()
	t.Cleanup(func() { a.Close(); b.Close() })
	return sqlstore.New(a, keys), sqlstore.New(b, keys)
}

// TestTwoInstancesNeverSendOneMessageTwice: two instances on one database,
// each with three workers, drain the outbox together; every message is
// delivered exactly once.
func TestTwoInstancesNeverSendOneMessageTwice(t *testing.T) {
	for _, backend := range storetest.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			a, b := instances(t, backend)
			const n = 60
			var people []*peercircle.Person
			for i := range 3 {
				people = append(people, person(t, a, fmt.Sprintf("p%d", i), fmt.Sprintf("p%d@example.org", i), "en"))
			}
			for i := range n {
				_, err := a.EnqueueMessage(ctx, &peercircle.OutboxMessage{PersonID: people[i%3].ID, Kind: "buddy_paired", Channel: peercircle.ChannelEmail, Link: fmt.Sprintf("/m/%d", i)})
				must(t, err)
			}
			rec := &recorder{}
			var wg sync.WaitGroup
			for i, s := range []*sqlstore.Store{a, b, a, b, a, b} {
				o := worker(s, fmt.Sprintf("instance-%d", i), map[string]notify.Sender{peercircle.ChannelEmail: rec})
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						ran, err := o.RunOne(ctx)
						if err != nil {
							t.Error(err)
							return
						}
						if !ran {
							return
						}
					}
				}()
			}
			wg.Wait()
			seen := map[string]int{}
			for _, m := range rec.messages() {
				seen[m.ID]++
			}
			if len(seen) != n {
				t.Errorf("%d distinct messages delivered, want %d", len(seen), n)
			}
			for id, k := range seen {
				if k != 1 {
					t.Errorf("message %s delivered %d times", id, k)
				}
			}
			if sent, _ := b.OutboxCounts(ctx); sent[peercircle.OutboxSent] != n {
				t.Errorf("counts %v", sent)
			}
		})
	}
}

// TestComposeSaysItInThePersonsLanguage: the message is the notice in the
// person's language, dates in words, with a link back and where to change
// what they receive.
func TestComposeSaysItInThePersonsLanguage(t *testing.T) {
	o := notify.NewOutbox(nil, bundle, slog.New(slog.NewTextHandler(io.Discard, nil)))
	o.BaseURL = "https://pc.example.org"
	m := &peercircle.OutboxMessage{ID: 7, Kind: "session_cancelled", Params: []string{"Staff PSG", "2026-12-08"}, Link: "/groups/3", Lang: "ar", To: "a@example.org"}
	msg := o.Compose(m)
	l := bundle.Localizer("ar")
	want := l.T("notify.session_cancelled", "Staff PSG", l.Date(time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)))
	if msg.Body[:len(want)] != want {
		t.Errorf("body starts %q, want %q", msg.Body, want)
	}
	for _, part := range []string{"https://pc.example.org/groups/3", "https://pc.example.org/profile"} {
		if !contains(msg.Body, part) || !contains(msg.HTML, part) {
			t.Errorf("message lacks %s:\n%s\n%s", part, msg.Body, msg.HTML)
		}
	}
	if msg.Unsubscribe != "https://pc.example.org/profile" || msg.ID == "" || !contains(msg.HTML, `dir="rtl"`) {
		t.Errorf("message %+v", msg)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
