package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/internal/browser"
)

var groupURL = regexp.MustCompile(`/groups/(\d+)`)

// TestAClosedStaffGroupIsSetUpJoinedAndPlanned is the groups issue's walk
// through, in two browsers: the organiser creates a closed staff group with
// the staff-group schedule of the guidance and previews its dates; a member
// of the health centre asks to join, reads the newcomers' pack, is met
// first and accepted, acknowledges the code of ethics, offers to
// facilitate, and then sees the next meetings with their turns on them.
func TestAClosedStaffGroupIsSetUpJoinedAndPlanned(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t)
	org := browser.NewContext(t, root)
	signIn(t, org, a, "organiser")
	peer := browser.NewContext(t, root)
	signIn(t, peer, a, "member")

	// 1. The organiser creates a closed staff group at the health centre.
	browser.Navigate(t, org, a.URL+"/sites/1/groups/new")
	browser.Screenshot(t, org, "groups/group-new-en")
	checkAccessibility(t, org, "new group")
	browser.Fill(t, org, "#f-name", "Nuzha afternoon staff group")
	browser.Fill(t, org, "#f-purpose", "A second staff group for the afternoon shift, to share experience and support each other.")
	if !browser.Eval[bool](t, org, `document.querySelector('input[name=kind][value=staff]').checked && document.querySelector('input[name=membership][value=closed]').checked`) {
		t.Fatal("a new group should start as a closed staff group")
	}
	browser.Submit(t, org, "#f-name")
	m := groupURL.FindStringSubmatch(browser.URL(t, org))
	if m == nil || !strings.HasSuffix(browser.URL(t, org), "/schedule") {
		t.Fatalf("after creating, the organiser is at %s, not the schedule", browser.URL(t, org))
	}
	group := "/groups/" + m[1]

	// 2. The schedule editor starts from the staff-group preset; the next
	// dates are shown before anything is saved.
	if !browser.Eval[bool](t, org, `document.querySelector('input[name=preset][value=staff]').checked`) {
		t.Fatal("the staff preset is not chosen for a staff group")
	}
	browser.Submit(t, org, `button[value=preview]`)
	preview := browser.Text(t, org, ".preview")
	if !strings.Contains(preview, "Second and last Tuesday of each month, 14:00–16:00") {
		t.Fatalf("preview in plain words = %q", preview)
	}
	if n := browser.Eval[int](t, org, `document.querySelectorAll('.preview .dates li').length`); n != 6 {
		t.Fatalf("%d dates previewed, want 6", n)
	}
	browser.Screenshot(t, org, "groups/schedule-preview-en")
	checkAccessibility(t, org, "schedule preview")
	browser.Submit(t, org, `button[value=save]`)
	if u := browser.URL(t, org); !strings.HasSuffix(u, group) {
		t.Fatalf("after saving the schedule the organiser is at %s", u)
	}
	if n := browser.Eval[int](t, org, `document.querySelectorAll('.meetings .meeting').length`); n < 3 {
		t.Fatalf("only %d meetings planned on the group page", n)
	}

	// 3. A member of the health centre asks to join and reads what
	// newcomers like to know.
	browser.Navigate(t, peer, a.URL+group+"/join")
	browser.Screenshot(t, peer, "groups/join-en")
	browser.Submit(t, peer, `form[action$="/join"] button`)
	if u := browser.URL(t, peer); !strings.HasSuffix(u, group+"/orientation") {
		t.Fatalf("after asking, the peer is at %s", u)
	}
	pack := browser.Text(t, peer, "main")
	for _, want := range []string{"Who to contact", "When and where", "Values and confidentiality", "Being on time", "How meetings run", "What peer support is", "Second and last Tuesday"} {
		if !strings.Contains(pack, want) {
			t.Errorf("the orientation pack lacks %q", want)
		}
	}
	browser.Screenshot(t, peer, "groups/orientation-en")
	checkAccessibility(t, peer, "orientation")

	// 4. The organiser meets them first, then welcomes them.
	browser.Navigate(t, org, a.URL+group+"/members")
	if got := browser.Text(t, org, ".request"); !strings.Contains(got, "Yara Nasser") {
		t.Fatalf("the request is not shown: %q", got)
	}
	browser.Submit(t, org, `form[action$="/orientation"] button`)
	browser.Screenshot(t, org, "groups/members-request-en")
	checkAccessibility(t, org, "members")
	browser.Submit(t, org, `form[action$="/decide"]:has(input[value=accept]) button`)
	if msg := browser.Text(t, org, ".flash"); !strings.Contains(msg, "now a member") {
		t.Fatalf("flash after accepting = %q", msg)
	}

	// 5. The new member acknowledges the code of ethics...
	browser.Navigate(t, peer, a.URL+group+"/ethics")
	browser.Submit(t, peer, `form[action$="/ethics/acknowledge"] button`)
	if msg := browser.Text(t, peer, ".flash"); !strings.Contains(msg, "acknowledgement is recorded") {
		t.Fatalf("flash after acknowledging = %q", msg)
	}
	browser.Navigate(t, org, a.URL+group+"/members")
	if got := browser.Text(t, org, "main"); strings.Contains(got, "Yara Nasser · code of ethics not yet acknowledged") {
		t.Error("the organiser still sees the code as not acknowledged")
	}

	// 6. ... offers to facilitate, and sees the next meetings with their
	// turn on them.
	browser.Navigate(t, peer, a.URL+group+"/me")
	browser.Screenshot(t, peer, "groups/mine-en")
	checkAccessibility(t, peer, "my place in the group")
	browser.Click(t, peer, `input[name=role][value=facilitator]`)
	browser.Submit(t, peer, `form[action$="/me/volunteer"] button`)
	if u := browser.URL(t, peer); !strings.HasSuffix(u, group) {
		t.Fatalf("after offering, the peer is at %s", u)
	}
	turns := browser.Eval[int](t, peer, `document.querySelectorAll('.meeting-mine').length`)
	if turns == 0 || !strings.Contains(browser.Text(t, peer, ".meeting-mine"), "Your turn") {
		t.Fatalf("the peer's turns are not on the next meetings (%d marked)", turns)
	}
	if got := browser.Text(t, peer, "#h-rota + p"); !strings.Contains(got, "Yara Nasser") {
		t.Errorf("rota = %q", got)
	}
	browser.Screenshot(t, peer, "groups/group-with-my-turns-en")
	checkAccessibility(t, peer, "group page")

	// The home page's first card is the next meeting, with the answers.
	browser.Navigate(t, peer, a.URL+"/")
	card := browser.Text(t, peer, ".next-meeting")
	for _, want := range []string{"Your next meeting", "I'll be there", "Send apologies", "Add to calendar"} {
		if !strings.Contains(card, want) {
			t.Errorf("the next-meeting card lacks %q: %q", want, card)
		}
	}
	browser.Submit(t, peer, `.next-meeting button[value=apologies]`)
	if msg := browser.Text(t, peer, ".flash"); !strings.Contains(msg, "apologies are sent") {
		t.Errorf("flash after apologies = %q", msg)
	}
	browser.Screenshot(t, peer, "groups/home-next-meeting-en")
	if out := a.Output(); strings.Contains(out, "Yara") || strings.Contains(out, "/calendar/") {
		t.Error("a name or a calendar link reached the logs")
	}
}

// TestGroupPagesInBothLanguages photographs the groups area's pages in
// English and Arabic as the person who uses each, and checks each has one
// h1, no missing message and no accessibility violation.
func TestGroupPagesInBothLanguages(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t)
	pages := []struct{ role, path, name string }{
		{"member", "/", "home"},
		{"member", "/groups/1", "group"},
		{"member", "/groups/1/me", "mine"},
		{"member", "/groups/1/ethics", "ethics"},
		{"member", "/groups/1/orientation", "orientation"},
		{"member", "/groups/4/join", "join-open"},
		{"member", "/calendar", "calendar"},
		{"facilitator", "/groups/1/members", "members"},
		{"organiser", "/sites/1", "site"},
		{"organiser", "/groups/1/schedule", "schedule"},
		{"organiser", "/groups/1/settings", "settings"},
		{"organiser", "/groups/1/split", "split"},
		{"organiser", "/sites/1/venues", "venues"},
		{"organiser", "/sites/1/agendas", "agendas"},
		{"organiser", "plan", "plan"},
	}
	for _, lang := range []string{"en", "ar"} {
		// One browser per person and language, for all their pages (made
		// here: a context made in a subtest ends with it).
		ctxs := map[string]context.Context{}
		for _, p := range pages {
			if _, ok := ctxs[p.role]; ok {
				continue
			}
			ctx := browser.NewContext(t, root)
			signIn(t, ctx, a, p.role)
			if lang == "ar" {
				browser.Click(t, ctx, `form.lang button[value="ar"]`)
				browser.WaitVisible(t, ctx, `html[dir="rtl"]`)
			}
			ctxs[p.role] = ctx
		}
		for _, p := range pages {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				ctx := ctxs[p.role]
				path := p.path
				if path == "plan" {
					browser.Navigate(t, ctx, a.URL+"/groups/1")
					path = browser.Attr(t, ctx, `a[href$="/plan"]`, "href")
				}
				browser.Navigate(t, ctx, a.URL+path)
				if n := browser.Eval[int](t, ctx, `document.querySelectorAll("h1").length`); n != 1 {
					t.Errorf("%s has %d h1 elements", path, n)
				}
				if missing := browser.Eval[string](t, ctx, `(document.body.innerText.match(/![a-z_.0-9-]+!/) || [""])[0]`); missing != "" {
					t.Errorf("%s shows a missing message key %s", path, missing)
				}
				if l := browser.Eval[string](t, ctx, "document.documentElement.lang"); l != lang {
					t.Errorf("lang = %q", l)
				}
				browser.Screenshot(t, ctx, "groups/"+p.name+"-"+lang)
				checkAccessibility(t, ctx, path)
			})
		}
	}
}
