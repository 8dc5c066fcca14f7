package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// Issue 11, item 10: the people list had no paging and no role column.
func TestThePeopleListPagesAndShowsRoles(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := range 60 {
		p := &peercircle.Person{FullName: fmt.Sprintf("Zz Listed %02d", i), Status: peercircle.PersonNoLogin, HomeSiteID: e.In["site"]}
		if err := e.Store.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	org := e.as("organiser")
	first := org.get("/people")
	wantStatus(t, first, 200)
	if n := strings.Count(first.Body, `<tr><td><a href="/people/`); n != 50 {
		t.Fatalf("%d people on the first page, want 50", n)
	}
	next := regexp.MustCompile(`rel="next" href="(/people\?after=\d+&amp;page=2)"`).FindStringSubmatch(first.Body)
	if !strings.Contains(first.Body, "page 1 of 2") || next == nil {
		t.Fatal("no way to the second page")
	}
	if byKey := org.get(html.UnescapeString(next[1])); !strings.Contains(byKey.Body, "Zz Listed 59") || strings.Contains(byKey.Body, "Zz Listed 00") ||
		!strings.Contains(byKey.Body, `rel="prev" href="/people"`) {
		t.Fatal("the second page by key does not hold the rest, or has no way back")
	}
	if !strings.Contains(first.Body, ">Peer 1</a></td>\n      <td>Trainer</td>") {
		t.Error("the roles column does not say who organises")
	}
	if !regexp.MustCompile(`>Zz Listed 00</a></td>\s*<td><span class="muted">—</span></td>\s*<td dir="ltr"></td><td>No account</td>`).MatchString(first.Body) {
		t.Error("someone with no role and no account is not shown as such")
	}
	second := org.get("/people?page=2")
	if !strings.Contains(second.Body, "Zz Listed 59") || strings.Contains(second.Body, "Zz Listed 00") {
		t.Fatal("the second page does not hold the rest")
	}
	if strings.Contains(first.Body+second.Body, ">Peer 2</a>") {
		t.Fatal("an organiser lists people of a site they do not run")
	}
	search := org.get("/people?q=listed+5")
	if !strings.Contains(search.Body, "Zz Listed 55") || strings.Contains(search.Body, "Zz Listed 44") {
		t.Fatal("search and paging together")
	}
}

// Issue 14, goal 2: lists that grow page by key. Walking the people list
// forward by its "next" links and back by its "previous" links shows every
// person once, in name order, whatever page a link was made on.
func TestThePeopleListPagesByKey(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i := range 170 {
		// Same names, so the order falls to the id.
		p := &peercircle.Person{FullName: fmt.Sprintf("Zz Keyed %02d", i/3), Status: peercircle.PersonNoLogin, HomeSiteID: e.In["site"]}
		if err := e.Store.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	org := e.as("organiser")
	row := regexp.MustCompile(`<tr><td><a href="/people/(\d+)">`)
	link := func(body, rel string) string {
		m := regexp.MustCompile(`rel="` + rel + `" href="([^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	var forward [][]string
	page := org.get("/people?q=keyed")
	for n := 1; ; n++ {
		wantStatus(t, page, 200)
		var ids []string
		for _, m := range row.FindAllStringSubmatch(page.Body, -1) {
			ids = append(ids, m[1])
		}
		forward = append(forward, ids)
		if !strings.Contains(page.Body, fmt.Sprintf("page %d of 4", n)) {
			t.Fatalf("page %d does not say so", n)
		}
		next := link(page.Body, "next")
		if next == "" {
			break
		}
		if !strings.Contains(next, "after=") || !strings.Contains(next, "q=keyed") {
			t.Fatalf("next link %q does not page by key within the search", next)
		}
		page = org.get(next)
	}
	seen := map[string]bool{}
	total := 0
	for _, ids := range forward {
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("person %s shown twice", id)
			}
			seen[id] = true
			total++
		}
	}
	if len(forward) != 4 || total != 170 {
		t.Fatalf("%d pages, %d people; want 4 and 170", len(forward), total)
	}
	for n := len(forward) - 1; n >= 1; n-- {
		prev := link(page.Body, "prev")
		page = org.get(prev)
		var ids []string
		for _, m := range row.FindAllStringSubmatch(page.Body, -1) {
			ids = append(ids, m[1])
		}
		if strings.Join(ids, ",") != strings.Join(forward[n-1], ",") {
			t.Fatalf("page %d going back (%s) differs from going forward", n, prev)
		}
	}
}

// Changing the language keeps the page as it was: its search, the page of a
// list it was on (issue 14's keyed pages), the quarter a dashboard showed.
// The form used to return to the path alone.
func TestChangingTheLanguageKeepsThePage(t *testing.T) {
	e := newEnv(t)
	org := e.as("organiser")
	page := org.get("/people?q=peer&page=1")
	wantStatus(t, page, 200)
	if !strings.Contains(page.Body, `name="next" value="/people?q=peer&amp;page=1"`) {
		t.Fatalf("the language form does not return to the page with its query: %s", excerpt(page.Body))
	}
	res := org.post("/language", url.Values{"lang": {"ar"}, "next": {"/people?q=peer&page=1"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/people?q=peer&page=1" {
		t.Fatalf("back to %q", loc)
	}
	if res := org.post("/language", url.Values{"lang": {"en"}, "next": {"//elsewhere.example/people?q=1"}}); res.Header.Get("Location") != "/" {
		t.Fatalf("an outside address is refused: %q", res.Header.Get("Location"))
	}
}
