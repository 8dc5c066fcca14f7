package web_test

import (
	"context"
	"fmt"
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
	if !strings.Contains(first.Body, "page 1 of 2") || !strings.Contains(first.Body, `rel="next" href="/people?page=2"`) {
		t.Fatal("no way to the second page")
	}
	if !strings.Contains(first.Body, ">Peer 1</a></td>\n      <td>Trainer</td>") {
		t.Error("the roles column does not say who organises")
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
