package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// Issue 10, item 6: invalid UTF-8 and control characters were stored raw
// in 33 fields; "abc", "1.5" and "1e3" silently became 0; dates of year
// 0000 and 9999 were kept; a group could be created already ended; Sheet 3
// could be submitted for 1900Q1. One set of rules refuses each with a
// clear message, and nothing changes.
func TestBadInputIsRefusedClearlyAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	member := e.as("member")

	t.Run("text", func(t *testing.T) {
		before, _ := e.Store.Person(ctx, e.People["member"].ID)
		for name, v := range map[string]string{
			"NUL":                    "Rana\x00",
			"BEL":                    "Rana\a",
			"right-to-left override": "Rana\u202eanaR",
			"direction isolate":      "\u2066Rana\u2069",
			"byte-order mark":        "\ufeffRana",
			"invalid UTF-8":          "Ran\xffa",
			"escape":                 "Rana\x1b[31m",
		} {
			t.Run(name, func(t *testing.T) {
				member.get("/profile")
				res := member.post("/profile", url.Values{"display_name": {v}})
				if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Nothing was saved") {
					t.Fatalf("status %d", res.StatusCode)
				}
				after, _ := e.Store.Person(ctx, e.People["member"].ID)
				if after.DisplayName != before.DisplayName {
					t.Fatalf("the display name became %q", after.DisplayName)
				}
			})
		}
		t.Run("the marks people type in Arabic are text", func(t *testing.T) {
			member.get("/profile")
			name := "رنا\u200f (Rana)\u200e"
			wantStatus(t, member.post("/profile", url.Values{"display_name": {name}}), http.StatusSeeOther)
			if after, _ := e.Store.Person(ctx, e.People["member"].ID); after.DisplayName != name {
				t.Fatalf("display name %q", after.DisplayName)
			}
		})
		t.Run("a refused field is named in the reader's language", func(t *testing.T) {
			member.post("/language", url.Values{"lang": {"ar"}})
			defer member.post("/language", url.Values{"lang": {"en"}})
			member.get("/profile")
			res := member.post("/profile", url.Values{"display_name": {"Rana\u202e"}})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "محارف تحكّم غير مرئية") {
				t.Fatalf("status %d", res.StatusCode)
			}
		})
	})

	t.Run("numbers", func(t *testing.T) {
		org := e.as("organiser")
		venues := func() int {
			vs, err := e.Store.VenuesAtSite(ctx, e.In["site"])
			if err != nil {
				t.Fatal(err)
			}
			return len(vs)
		}
		was := venues()
		for _, capacity := range []string{"abc", "1.5", "1e3", "12 people", "0x10"} {
			org.get("/sites/" + id(e.In["site"]) + "/venues")
			res := org.post("/sites/"+id(e.In["site"])+"/venues", url.Values{"name": {"Room " + capacity}, "capacity": {capacity}})
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "whole number") {
				t.Fatalf("capacity %q: status %d", capacity, res.StatusCode)
			}
		}
		if venues() != was {
			t.Fatal("a venue was saved with a capacity that is no number")
		}
		org.get("/sites/" + id(e.In["site"]) + "/venues")
		wantStatus(t, org.post("/sites/"+id(e.In["site"])+"/venues", url.Values{"name": {"Room twelve"}, "capacity": {"١٢"}}), http.StatusSeeOther)
		if venues() != was+1 {
			t.Fatal("a capacity in Arabic digits was refused")
		}
		g, _ := e.Store.Group(ctx, e.In["group"])
		org.get("/groups/" + id(g.ID) + "/settings")
		res := org.post("/groups/"+id(g.ID)+"/settings", url.Values{"name": {g.Name}, "venue": {"abc"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("venue=abc: status %d", res.StatusCode)
		}
		if after, _ := e.Store.Group(ctx, g.ID); after.VenueID != g.VenueID {
			t.Fatal("the group's venue changed")
		}
	})

	t.Run("a group cannot be created already ended", func(t *testing.T) {
		org := e.as("organiser")
		before, _ := e.Store.GroupsAtSite(ctx, e.In["site"])
		org.get("/sites/" + id(e.In["site"]) + "/groups/new")
		res := org.post("/sites/"+id(e.In["site"])+"/groups", url.Values{"name": {"Born ended"}, "kind": {peercircle.KindStaff},
			"membership": {"open"}, "structure": {"formal"}, "lang": {"en"}, "status": {peercircle.GroupEnded}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "A new group starts as forming or active") {
			t.Fatalf("status %d: %s", res.StatusCode, excerpt(res.Body))
		}
		if after, _ := e.Store.GroupsAtSite(ctx, e.In["site"]); len(after) != len(before) {
			t.Fatal("the group was created")
		}
	})

	t.Run("Sheet 3 of 1900Q1 or 9999Q4 does not exist", func(t *testing.T) {
		org := e.as("organiser")
		for _, q := range []string{"1900Q1", "1999Q4", "9999Q4"} {
			path := "/sites/" + id(e.In["site"]) + "/reports/" + q
			if res := org.get(path); res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusNotFound {
				t.Fatalf("%s: status %d", q, res.StatusCode)
			}
			org.get("/sites/" + id(e.In["site"]) + "/reports/2026Q2")
			if res := org.post(path+"/submit", url.Values{"version": {"0"}}); res.StatusCode < 400 {
				t.Fatalf("submitting %s: status %d", q, res.StatusCode)
			}
		}
		ns, _ := e.Store.Notifications(ctx, e.People["coordinator"].ID, false, 50)
		for _, n := range ns {
			if strings.Contains(n.Link, "1900Q1") || strings.Contains(n.Link, "9999Q4") {
				t.Fatalf("the coordinator was told of %s", n.Link)
			}
		}
	})
}
