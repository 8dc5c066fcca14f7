package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A round goes on past its length until it has its fewest requests: a
// slow page is measured over enough of its requests to be at its steady
// state, not over its first few.
func TestARoundTakesItsFewestRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
	}))
	defer srv.Close()
	c := newClient(srv.URL, 2)
	next := func() Request { return Request{Method: http.MethodGet, Path: "/"} }
	l := closedLoopAtLeast(context.Background(), c, 2, time.Millisecond, 40, next)
	if l.Requests < 40 || l.Errors != 0 {
		t.Fatalf("%d requests, %d errors", l.Requests, l.Errors)
	}
	if short := closedLoop(context.Background(), c, 2, time.Millisecond, next); short.Requests >= 40 {
		t.Fatalf("without a floor the round took %d requests", short.Requests)
	}
	sd := &side{out: &Side{}, rounds: []Latencies{{RPS: 90}, {RPS: 100}, {RPS: 120}}}
	sd.finish()
	if sd.out.Max.RPS != 100 || sd.out.Spread != 30 || len(sd.out.Rounds) != 3 {
		t.Fatalf("median %v spread %v rounds %v", sd.out.Max.RPS, sd.out.Spread, sd.out.Rounds)
	}
}
