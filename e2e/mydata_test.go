package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/internal/browser"
)

// TestAMemberSeesTheirDataAndAThrowawayAccountErasesItself walks DESIGN.md
// rule 4 in a real browser: the demo member opens "My data" from their
// profile in English and Arabic; an admin invites a throwaway account,
// which sets its password, erases itself with that password, and can no
// longer sign in, while the admin sees only a neutral label where its
// name was.
func TestAMemberSeesTheirDataAndAThrowawayAccountErasesItself(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t)

	// 1. The member reads what is stored about them, from the profile.
	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")
	browser.Navigate(t, member, a.URL+"/profile")
	browser.Click(t, member, `a[href="/me/data"]`)
	browser.WaitVisible(t, member, "#h-account")
	if h := browser.Text(t, member, "h1"); h != "My data" {
		t.Fatalf("h1 = %q", h)
	}
	body := browser.Text(t, member, "main")
	for _, want := range []string{"Yara Nasser", "Groups", "Meetings and answers", "Who else read your confidential records"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if href := browser.Attr(t, member, `a[href="/me/data.json"]`, "href"); href != "/me/data.json" {
		t.Errorf("download link = %q", href)
	}
	browser.Screenshot(t, member, "mydata/mydata-en")
	checkAccessibility(t, member, "my data (en)")

	toLanguage(t, member, "ar")
	if h := browser.Text(t, member, "h1"); h != "بياناتي" {
		t.Errorf("Arabic h1 = %q", h)
	}
	browser.Screenshot(t, member, "mydata/mydata-ar")
	checkAccessibility(t, member, "my data (ar)")

	// 2. An admin invites a throwaway account, which sets its password.
	admin := browser.NewContext(t, root)
	signIn(t, admin, a, "admin")
	browser.Navigate(t, admin, a.URL+"/people")
	browser.Fill(t, admin, "#f-full_name", "Throwaway Tester")
	browser.Fill(t, admin, "#f-username", "throwaway")
	browser.Submit(t, admin, "#f-username")
	link := browser.Attr(t, admin, "input.copy", "value")
	if link == "" {
		t.Fatal("no invitation link")
	}
	browser.Navigate(t, admin, a.URL+"/people?q=Throwaway")
	personPath := browser.Attr(t, admin, "tbody a", "href")
	throwaway := browser.NewContext(t, root)
	browser.Navigate(t, throwaway, link)
	browser.Fill(t, throwaway, "#f-password", "a quiet morning by the sea")
	browser.Fill(t, throwaway, "#f-password2", "a quiet morning by the sea")
	browser.Submit(t, throwaway, "#f-password2")
	browser.WaitVisible(t, throwaway, "#f-login")
	browser.Fill(t, throwaway, "#f-login", "throwaway")
	browser.Fill(t, throwaway, "#f-password", "a quiet morning by the sea")
	browser.Submit(t, throwaway, "#f-password")
	browser.WaitVisible(t, throwaway, "nav[aria-label]")

	// 3. It erases itself: a wrong password first changes nothing.
	browser.Navigate(t, throwaway, a.URL+"/me/erase")
	checkAccessibility(t, throwaway, "erase my data")
	browser.Screenshot(t, throwaway, "mydata/erase-en")
	browser.Fill(t, throwaway, "#f-password", "not the password")
	browser.Submit(t, throwaway, "#f-password")
	if msg := browser.Text(t, throwaway, ".field-error"); !strings.Contains(msg, "Nothing was erased") {
		t.Fatalf("after a wrong password: %q", msg)
	}
	browser.Fill(t, throwaway, "#f-password", "a quiet morning by the sea")
	browser.Submit(t, throwaway, "#f-password")
	browser.WaitVisible(t, throwaway, "#f-login")
	if flash := browser.Text(t, throwaway, ".flash"); !strings.Contains(flash, "Your data was erased") {
		t.Errorf("flash = %q", flash)
	}

	// 4. It can no longer sign in.
	browser.Fill(t, throwaway, "#f-login", "throwaway")
	browser.Fill(t, throwaway, "#f-password", "a quiet morning by the sea")
	browser.Submit(t, throwaway, "#f-password")
	browser.WaitVisible(t, throwaway, "#f-login")
	if u := browser.URL(t, throwaway); !strings.Contains(u, "/signin") {
		t.Fatalf("the erased account signed in: at %s", u)
	}
	res, err := http.PostForm(a.URL+"/signin", url.Values{"login": {"throwaway"}, "password": {"a quiet morning by the sea"}})
	if err == nil {
		res.Body.Close()
		if res.StatusCode == http.StatusSeeOther {
			t.Error("the erased account signed in over plain HTTP")
		}
	}

	// 5. The admin sees the neutral label, never the old name.
	browser.Navigate(t, admin, a.URL+personPath)
	page := browser.Text(t, admin, "main")
	if strings.Contains(page, "Throwaway Tester") || !strings.Contains(page, "Erased account") {
		t.Errorf("the person page after erasure: %q", page)
	}
	if strings.Contains(a.Output(), "a quiet morning by the sea") || strings.Contains(a.Output(), "Throwaway Tester") {
		t.Error("the logs hold the password or the name")
	}
}
