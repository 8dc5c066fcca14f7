package e2e

import (
	"context"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/internal/browser"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

var answerLinkRE = regexp.MustCompile(`https?://\S+/answer/[A-Za-z0-9_-]+`)

// reminderLink waits for the reminder e-mail to addr in the data dir's mail
// folder and returns the one-tap link in its text.
func reminderLink(t *testing.T, dir, addr string) string {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		entries, _ := os.ReadDir(filepath.Join(dir, "mail"))
		for _, e := range entries {
			f, err := os.Open(filepath.Join(dir, "mail", e.Name()))
			if err != nil {
				continue
			}
			msg, err := mail.ReadMessage(f)
			if err != nil || !strings.Contains(msg.Header.Get("To"), addr) {
				f.Close()
				continue
			}
			text, err := mailText(msg.Header.Get("Content-Type"), msg.Body)
			f.Close()
			if err == nil {
				if link := answerLinkRE.FindString(text); link != "" {
					return link
				}
			}
		}
	}
	t.Fatalf("no reminder e-mail with an answer link reached %s", addr)
	return ""
}

// TestFromAReminderEmailToAnAnswer (issue 12): a meeting is planned a day
// and a half ahead; at start the reminders job e-mails each member. The
// member opens the link from the e-mail in English and says they will be
// there; a member whose language is Arabic sends apologies from theirs;
// the meeting's plan shows both answers. Opening a link answers nothing.
func TestFromAReminderEmailToAnAnswer(t *testing.T) {
	dir := t.TempDir()
	first := start(t, "demo", "--addr", "127.0.0.1:0", "--data-dir", dir)
	first.stop(t)

	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(dir, "peercircle.db"))
	if err != nil {
		t.Fatal(err)
	}
	s := sqlstore.New(db, nil)
	member, err := s.PersonByLogin(ctx, "member")
	if err != nil {
		t.Fatal(err)
	}
	fac, err := s.PersonByLogin(ctx, "facilitator")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetLanguage(ctx, fac.ID, "ar"); err != nil {
		t.Fatal(err)
	}
	groups, err := s.GroupsOf(ctx, member.ID)
	if err != nil || len(groups) == 0 {
		t.Fatalf("the demo member has no group: %v", err)
	}
	amman, _ := time.LoadLocation("Asia/Amman")
	startAt := time.Now().In(amman).Add(36 * time.Hour).Truncate(time.Hour)
	m := &peercircle.Session{GroupID: groups[0].ID, PlannedStart: startAt, PlannedEnd: startAt.Add(2 * time.Hour),
		LocalDate: startAt.Format(time.DateOnly), Status: peercircle.SessionPlanned, FacilitatorID: fac.ID}
	if err := s.AddSession(ctx, m); err != nil {
		t.Fatal(err)
	}
	db.Close()

	a := start(t, "demo", "--addr", "127.0.0.1:0", "--data-dir", dir)
	a.DataDir = dir
	root := browser.New(t, browser.WithPhone(390, 844))

	phone := browser.NewContext(t, root)
	link := reminderLink(t, dir, member.Email)
	link = a.URL + link[strings.Index(link, "/answer/"):] // the address this instance serves
	browser.Navigate(t, phone, link)
	browser.WaitVisible(t, phone, `button[value="expected"]`)
	if h := browser.Text(t, phone, "h1"); h != "Will you be there?" {
		t.Errorf("h1 = %q", h)
	}
	browser.Screenshot(t, phone, "reminders/answer-en")
	checkAccessibility(t, phone, "answer from a reminder (en)")
	browser.Submit(t, phone, `button[value="expected"]`)
	if msg := browser.Text(t, phone, "main"); !strings.Contains(msg, "the group knows you will be there") {
		t.Fatalf("after answering: %q", msg)
	}

	arPhone := browser.NewContext(t, root)
	arLink := reminderLink(t, dir, fac.Email)
	browser.Navigate(t, arPhone, a.URL+arLink[strings.Index(arLink, "/answer/"):])
	browser.WaitVisible(t, arPhone, `button[value="apologies"]`)
	if dir := browser.Eval[string](t, arPhone, "document.documentElement.dir"); dir != "rtl" {
		t.Errorf("the Arabic member's answer page is %q", dir)
	}
	browser.Screenshot(t, arPhone, "reminders/answer-ar")
	checkAccessibility(t, arPhone, "answer from a reminder (ar)")
	browser.Submit(t, arPhone, `button[value="apologies"]`)
	if msg := browser.Text(t, arPhone, "main"); !strings.Contains(msg, "أُرسل اعتذارك") {
		t.Fatalf("after the apologies: %q", msg)
	}

	org := browser.NewContext(t, root)
	signIn(t, org, a, "organiser")
	browser.Navigate(t, org, a.URL+"/sessions/"+strconv.FormatInt(m.ID, 10)+"/plan")
	answers := browser.Text(t, org, "main")
	if !strings.Contains(answers, "1 will be there") || !strings.Contains(answers, "1 sent apologies") {
		t.Fatalf("the plan does not show the answers: %q", answers)
	}
}
