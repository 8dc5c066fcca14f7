package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

// Tests of the language details shared by every page: lists, digits,
// isolation of text in the other direction, one naming rule.

// inArabic makes the fixture person of role read the product in Arabic.
func inArabic(t *testing.T, e *env, role string) *client {
	t.Helper()
	if err := e.Store.SetLanguage(context.Background(), e.People[role].ID, "ar"); err != nil {
		t.Fatal(err)
	}
	return e.as(role)
}

func TestArabicListsUseTheArabicComma(t *testing.T) {
	e := newEnv(t)
	member := e.People["member"]
	member.DisplayName = "هدى"
	if err := e.Store.UpdatePerson(context.Background(), member); err != nil {
		t.Fatal(err)
	}
	body := inArabic(t, e, "organiser").get("/groups/" + id(e.In["group"])).Body
	want := "\u2068Test Facilitator\u2069، \u2068هدى\u2069"
	if !strings.Contains(body, want) {
		t.Errorf("the rota does not read %q (each name isolated, the Arabic comma between):\n%s", want, section(body, "h-rota"))
	}
	if strings.Contains(body, "Test Member") {
		t.Errorf("the group page names the member by her full name, not the name she chose")
	}
}

// section returns the HTML from the element with the id to the end of its
// section, for short failure messages.
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return "(no #" + id + ")"
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// TestNotificationsSayDatesInWords: notices keep their dates as
// "2026-12-08" and quarters as "2026Q4" so they can be said in any
// language; the bell's page says them in words, in the reader's language.
func TestNotificationsSayDatesInWords(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	member := e.People["member"]
	for _, n := range []*peercircle.Notification{
		{PersonID: member.ID, Kind: "session_cancelled", Params: []string{"Night shifts", "2026-12-08"}, Link: "/"},
		{PersonID: member.ID, Kind: "report_due_soon", Params: []string{"North clinic", "2026Q4", "2027-01-15"}, Link: "/"},
	} {
		if err := e.Store.Notify(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{"Tuesday 8 December 2026", "Q4 2026", "Friday 15 January 2027"}},
		{"fr", []string{"mardi 8 décembre 2026", "T4 2026", "vendredi 15 janvier 2027"}},
		{"ar", []string{"\u2068Night shifts\u2069 في الثلاثاء، ٨ كانون الأول ٢٠٢٦", "الربع ٤ من ٢٠٢٦", "١٥ كانون الثاني ٢٠٢٧"}},
	}
	for _, tt := range tests {
		t.Run("in "+tt.lang, func(t *testing.T) {
			if err := e.Store.SetLanguage(ctx, member.ID, tt.lang); err != nil {
				t.Fatal(err)
			}
			body := e.as("member").get("/notifications").Body
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the notices do not say %q:\n%s", w, section(body, "main"))
				}
			}
			for _, iso := range []string{"2026-12-08", "2027-01-15", "2026Q4"} {
				if strings.Contains(body, iso) {
					t.Errorf("a notice shows %q", iso)
				}
			}
		})
	}
}

// TestTheLiveProgressBarReadsInThePagesDirection: on an Arabic page the
// agenda's first part is at the right end of the bar, where the line
// starts, as on paper; on an English page at the left.
func TestTheLiveProgressBarReadsInThePagesDirection(t *testing.T) {
	e := newEnv(t)
	id := newMeetingIn(t, e, 5*time.Minute)
	live := fmt.Sprintf("/sessions/%d/live", id)
	wantStatus(t, e.as("facilitator").post(live, url.Values{"op": {"start"}}), http.StatusSeeOther)
	rectRE := regexp.MustCompile(`<rect class="bar-(\w+)" x="(-?\d+)" y="0" width="(\d+)"`)
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			if err := e.Store.SetLanguage(context.Background(), e.People["facilitator"].ID, lang); err != nil {
				t.Fatal(err)
			}
			bars := rectRE.FindAllStringSubmatch(e.as("facilitator").get(live).Body, -1)
			if len(bars) < 2 {
				t.Fatalf("%d bars on the live page", len(bars))
			}
			first, _ := strconv.Atoi(bars[0][2])
			width, _ := strconv.Atoi(bars[0][3])
			second, _ := strconv.Atoi(bars[1][2])
			if bars[0][1] != "current" {
				t.Errorf("the first part is %q, want current", bars[0][1])
			}
			switch lang {
			case "ar":
				if first+width < 990 || second >= first {
					t.Errorf("part 1 is drawn at x=%d (width %d), part 2 at x=%d: not from the right", first, width, second)
				}
			default:
				if first != 0 || second <= first {
					t.Errorf("part 1 is drawn at x=%d, part 2 at x=%d: not from the left", first, second)
				}
			}
		})
	}
}

// TestTheFeedbackFormFollowsTheMeetingsLanguage: a code scanned at an
// Arabic meeting opens an Arabic, right-to-left form even on a phone set to
// English, with a switch to another language that the answer keeps.
func TestTheFeedbackFormFollowsTheMeetingsLanguage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	g, err := e.Store.Group(ctx, e.In["group"])
	if err != nil {
		t.Fatal(err)
	}
	g.Lang = "ar"
	if err := e.Store.UpdateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	id := newMeetingIn(t, e, 5*time.Minute)
	fac := e.as("facilitator")
	live := fmt.Sprintf("/sessions/%d/live", id)
	member := e.as("member")
	fac.get(fmt.Sprintf("/sessions/%d", id))
	wantStatus(t, fac.post(live, url.Values{"op": {"start"}}), http.StatusSeeOther)
	member.get(fmt.Sprintf("/sessions/%d", id))
	wantStatus(t, member.post(fmt.Sprintf("/sessions/%d/here", id), nil), http.StatusSeeOther)
	fac.get(fmt.Sprintf("/sessions/%d", id))
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/here", id), nil), http.StatusSeeOther)
	wantStatus(t, fac.post(fmt.Sprintf("/sessions/%d/feedback", id), url.Values{"op": {"open"}}), http.StatusSeeOther)
	m := linkRE.FindStringSubmatch(fac.get(live).Body)
	if m == nil {
		t.Fatal("no feedback code on the live page")
	}
	u, _ := url.Parse(html.UnescapeString(m[1]))
	phone := e.client()
	englishPhone := func(path string) *response {
		req, _ := http.NewRequest(http.MethodGet, e.URL+path, nil)
		req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
		return phone.do(req)
	}

	form := englishPhone(u.Path)
	wantStatus(t, form, http.StatusOK)
	if !strings.Contains(form.Body, `<html lang="ar" dir="rtl">`) || !strings.Contains(form.Body, "<h1>التقييم</h1>") {
		t.Fatalf("an English phone got the form of an Arabic meeting in another language:\n%s", excerpt(form.Body))
	}
	if !strings.Contains(form.Body, `href="`+u.Path+`?lang=en"`) {
		t.Fatalf("the form has no switch to English:\n%s", excerpt(form.Body))
	}

	english := englishPhone(u.Path + "?lang=en")
	wantStatus(t, english, http.StatusOK)
	if !strings.Contains(english.Body, `<html lang="en" dir="ltr">`) || !strings.Contains(english.Body, `action="`+u.Path+`?lang=en"`) {
		t.Fatalf("the switch did not give an English form that stays English:\n%s", excerpt(english.Body))
	}
	thanks := phone.post(u.Path+"?lang=en", url.Values{"rating_safe": {"5"}})
	wantStatus(t, thanks, http.StatusOK)
	if !strings.Contains(thanks.Body, "Thank you") {
		t.Fatalf("the answer to the English form is not thanked in English:\n%s", excerpt(thanks.Body))
	}

	// The member, signed in, opens their own form from the meeting page:
	// it speaks the language the rest of the app speaks to them.
	res := member.post(fmt.Sprintf("/sessions/%d/feedback/claim", id), nil)
	wantStatus(t, res, http.StatusSeeOther)
	own := member.get(res.Header.Get("Location"))
	wantStatus(t, own, http.StatusOK)
	if !strings.Contains(own.Body, `<html lang="en" dir="ltr">`) {
		t.Fatalf("a signed-in member's own form left the app's language for the meeting's:\n%s", excerpt(own.Body))
	}
	thanks = member.post(res.Header.Get("Location"), url.Values{"rating_safe": {"4"}})
	if !strings.Contains(thanks.Body, "Thank you") {
		t.Fatalf("the member's answer is not thanked in the app's language:\n%s", excerpt(thanks.Body))
	}
}

// TestLongEnglishNamesInArabicHeadings: a group's English name in the
// heading of an Arabic page is isolated, so its words and its bracket stay
// in order when it wraps, and headings wrap rather than overflow.
func TestLongEnglishNamesInArabicHeadings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	g, err := e.Store.Group(ctx, e.In["group"])
	if err != nil {
		t.Fatal(err)
	}
	g.Name = "Night-shift nurses' peer support (Emergency Department, North Wing)"
	if err := e.Store.UpdateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	c := inArabic(t, e, "organiser")
	for _, path := range []string{"/groups/" + id(g.ID), "/groups/" + id(g.ID) + "/join"} {
		body := c.get(path).Body
		if want := "<h1><bdi>" + html.EscapeString(g.Name) + "</bdi></h1>"; !strings.Contains(body, want) {
			t.Errorf("%s: the heading is not %s:\n%s", path, want, excerpt(body))
		}
	}
	css := c.get("/static/app.css").Body
	if !strings.Contains(css, "h1, h2, h3 { overflow-wrap: break-word;") {
		t.Error("headings do not wrap long words")
	}
}
