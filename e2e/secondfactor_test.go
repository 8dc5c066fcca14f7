package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle/internal/browser"
	"github.com/peercircle/peercircle/totp"
)

// codeNow is the code an authenticator app shows for the secret as the
// page printed it, steps after now.
func codeNow(t *testing.T, printed string, steps int64) string {
	t.Helper()
	secret, err := totp.Decode(printed)
	if err != nil {
		t.Fatalf("the page's key %q: %v", printed, err)
	}
	return totp.Code(secret, totp.StepAt(time.Now())+steps, totp.Digits)
}

// enrol sets up a second factor on the set-up page the browser is on, as a
// person with an authenticator app would: reads the key, types the code,
// and gets ten recovery codes.
func enrol(t *testing.T, ctx context.Context, lang string) string {
	t.Helper()
	browser.WaitVisible(t, ctx, "#secret")
	if n := browser.Eval[int](t, ctx, `document.querySelectorAll(".qr svg").length`); n != 1 {
		t.Errorf("%s: no QR code on the set-up page", lang)
	}
	printed := browser.Text(t, ctx, "#secret")
	browser.Screenshot(t, ctx, "second-factor/setup-"+lang)
	checkAccessibility(t, ctx, "second factor set-up ("+lang+")")
	browser.Fill(t, ctx, "#f-code", codeNow(t, printed, 0))
	browser.Submit(t, ctx, "#f-code")
	browser.WaitVisible(t, ctx, "#h-recovery")
	if n := browser.Eval[int](t, ctx, `document.querySelectorAll(".recovery-codes li").length`); n != 10 {
		t.Errorf("%s: %d recovery codes shown, want 10", lang, n)
	}
	browser.Screenshot(t, ctx, "second-factor/recovery-"+lang)
	checkAccessibility(t, ctx, "recovery codes ("+lang+")")
	return printed
}

// TestSecondFactorInEnglishAndArabic: an admin requires a second factor of
// supervisors; the demo supervisor, signing in, is taken to set one up (in
// English) and the next sign-in asks for a code; a member sets one up of
// their own accord in Arabic.
func TestSecondFactorInEnglishAndArabic(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t)

	admin := browser.NewContext(t, root)
	signIn(t, admin, a, "admin")
	browser.Navigate(t, admin, a.URL+"/admin/org")
	browser.Click(t, admin, "#f-2fa-supervisor")
	browser.Submit(t, admin, "#f-2fa-supervisor")
	browser.WaitVisible(t, admin, "#second-factor")
	if !browser.Eval[bool](t, admin, `document.querySelector("#f-2fa-supervisor").checked`) {
		t.Fatal("the setting did not keep supervisors")
	}

	sup := browser.NewContext(t, root)
	browser.Navigate(t, sup, a.URL+"/signin")
	browser.Fill(t, sup, "#f-login", "supervisor")
	browser.Fill(t, sup, "#f-password", demoPassword)
	browser.Submit(t, sup, "#f-password")
	if u := browser.URL(t, sup); !strings.HasSuffix(u, "/profile/second-factor") {
		t.Fatalf("after the password the supervisor is at %s, not the set-up page", u)
	}
	printed := enrol(t, sup, "en")
	signOut(t, sup)

	browser.Fill(t, sup, "#f-login", "supervisor")
	browser.Fill(t, sup, "#f-password", demoPassword)
	browser.Submit(t, sup, "#f-password")
	browser.WaitVisible(t, sup, "#f-code")
	if ac := browser.Attr(t, sup, "#f-code", "autocomplete"); ac != "one-time-code" {
		t.Errorf("the code field's autocomplete = %q", ac)
	}
	checkAccessibility(t, sup, "code at sign-in (en)")
	// The next step's code: the one used to set it up is never taken again.
	browser.Fill(t, sup, "#f-code", codeNow(t, printed, 1))
	browser.Submit(t, sup, "#f-code")
	browser.WaitVisible(t, sup, "nav[aria-label]")
	if u := browser.URL(t, sup); strings.Contains(u, "/signin") || strings.Contains(u, "second-factor") {
		t.Fatalf("after the code the supervisor is at %s", u)
	}

	member := browser.NewContext(t, root)
	signIn(t, member, a, "member")
	toLanguage(t, member, "ar")
	browser.Navigate(t, member, a.URL+"/profile")
	browser.Click(t, member, `a[href="/profile/second-factor"]`)
	browser.WaitVisible(t, member, `a[href="/profile/second-factor?start=1"]`)
	if h := browser.Text(t, member, "h1"); h != "العامل الثاني" {
		t.Errorf("Arabic h1 = %q", h)
	}
	browser.Click(t, member, `a[href="/profile/second-factor?start=1"]`)
	enrol(t, member, "ar")
	if dir := browser.Attr(t, member, ".recovery-codes", "dir"); dir != "ltr" {
		t.Errorf("recovery codes in an Arabic page should read left to right, dir=%q", dir)
	}
	browser.Navigate(t, member, a.URL+"/profile/second-factor")
	if body := browser.Text(t, member, "main"); !strings.Contains(body, "رموز استرداد لم تُستخدم بعد") {
		t.Errorf("the Arabic page does not say how many recovery codes are left: %s", body)
	}
}
