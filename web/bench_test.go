package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/metrics"
	"github.com/peercircle/peercircle/sqlstore/storetest"
	"github.com/peercircle/peercircle/web"
)

// BenchmarkPage serves whole pages through the product's handler (session,
// access check, the page's queries, template, middleware) on the demo
// organisation in SQLite, without the network: the cost of a page in one
// process. `peercircle bench` measures the same over loopback at national
// scale, against a baseline.
func BenchmarkPage(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b, "sqlite")
	w, err := demo.Seed(ctx, s)
	if err != nil {
		b.Fatal(err)
	}
	bundle, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(s, bundle, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{}, metrics.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	session := func(login string) string {
		token, _, err := s.CreateAuthSession(ctx, w.People[login].ID)
		if err != nil {
			b.Fatal(err)
		}
		return token
	}
	q, err := s.CurrentQuarter(ctx, 0)
	if err != nil {
		b.Fatal(err)
	}
	nuzha := w.Sites["nuzha"].ID
	pages := []struct{ name, login, path string }{
		{"member_home", "member", "/"},
		{"group", "member", "/groups/" + strconv.FormatInt(w.Groups["nuzha-staff"].ID, 10)},
		{"site", "organiser", "/sites/" + strconv.FormatInt(nuzha, 10)},
		{"sheet3", "organiser", "/sites/" + strconv.FormatInt(nuzha, 10) + "/reports/" + q.Prev().String()},
		{"area_dashboard", "coordinator", "/areas/" + strconv.FormatInt(w.Areas["Amman East"].ID, 10)},
		{"people", "admin", "/people"},
	}
	for _, pg := range pages {
		b.Run(pg.name, func(b *testing.B) {
			cookie := "pc_session=" + session(pg.login)
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, pg.path, nil)
				req.Header.Set("Cookie", cookie)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: status %d", pg.path, rec.Code)
				}
			}
		})
	}
}

// BenchmarkMessagePage renders the smallest page (a message) for a signed-in
// person: the layout, navigation and the per-request work every page pays.
func BenchmarkMessagePage(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b, "sqlite")
	p := &peercircle.Person{Username: "someone", FullName: "Someone Here", Status: peercircle.PersonActive, Lang: "ar"}
	if err := s.CreatePerson(ctx, p); err != nil {
		b.Fatal(err)
	}
	token, _, err := s.CreateAuthSession(ctx, p.ID)
	if err != nil {
		b.Fatal(err)
	}
	bundle, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(s, bundle, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{}, metrics.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/groups/999999", nil) // not found: the message page
		req.Header.Set("Cookie", "pc_session="+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotFound {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
