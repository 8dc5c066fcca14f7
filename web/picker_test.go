package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// Issue 11, item 10: person pickers listed people by a name two of them
// shared, with no way to tell them apart. They now list only the people
// the form may take, told apart by their username when names are the same,
// with a search box for long lists (app.js, data-search).
func TestPersonPickersTellPeopleApart(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, u := range []string{"huda.saleh", "huda.s2"} {
		p := &peercircle.Person{FullName: "Huda Saleh", Username: u, Status: peercircle.PersonActive, HomeSiteID: e.In["site"]}
		if err := e.Store.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	far := &peercircle.Person{FullName: "Far Away", Username: "faraway", Status: peercircle.PersonActive, HomeSiteID: e.Out["site"]}
	if err := e.Store.CreatePerson(ctx, far); err != nil {
		t.Fatal(err)
	}
	page := e.as("organiser").get("/sites/" + id(e.In["site"]) + "/buddies")
	wantStatus(t, page, 200)
	for _, want := range []string{">Huda Saleh (huda.saleh)</option>", ">Huda Saleh (huda.s2)</option>", `data-search="Search by name"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the buddies picker lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "Far Away") {
		t.Error("the picker offers someone of another site")
	}
	if members := e.as("organiser").get("/groups/" + id(e.In["group"]) + "/members").Body; !strings.Contains(members, ">Huda Saleh (huda.s2)</option>") {
		t.Error("the members page's picker does not tell the two apart")
	}
}
