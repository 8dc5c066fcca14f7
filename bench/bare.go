package bench

import (
	"context"
	"html/template"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// The bare page (issue 14, goal 3) is the physical limit a page is
// measured against: the same binary, the same data and connection pools,
// one indexed query and one html/template, nothing else (no session, no
// access check, no middleware). Every page's throughput is reported as a
// share of it, beside the mirrored baseline that runs each page's own
// queries.
var bareTemplate = template.Must(template.New("bare").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Name}}</title></head>
<body><main><h1>{{.Name}}</h1><p>{{.Purpose}}</p><p>{{.Site}}</p></main></body></html>
`))

// barePage answers GET /bare?group=N: a group's name and purpose with its
// site's name, by primary key.
func (b *Baseline) barePage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("group"), 10, 64)
	var d struct{ Name, Purpose, Site string }
	q := "SELECT g.name, g.purpose, s.name FROM groups g JOIN sites s ON s.id = g.site_id WHERE g.id = ?"
	if b.numbered {
		q = "SELECT g.name, g.purpose, s.name FROM groups g JOIN sites s ON s.id = g.site_id WHERE g.id = $1"
	}
	if err := b.read.QueryRowContext(r.Context(), q, id).Scan(&d.Name, &d.Purpose, &d.Site); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := bareTemplate.Execute(w, d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// bareRequest asks the baseline for a member's group's bare page.
func bareRequest(c *Cast, r *rand.Rand) Request {
	return Request{Method: http.MethodGet, Path: "/bare?group=" + id(pick(r, c.Members).GroupID)}
}

// measureBare runs the bare page's maximum phase as a page scenario's is
// run (same clients, rounds and floor) and returns its side.
func measureBare(ctx context.Context, opt Options, cast *Cast, baseline *child, bc *client) (*Side, error) {
	r := rand.New(rand.NewPCG(opt.Seed, 0xba7e))
	next := func() Request { return bareRequest(cast, r) }
	sd := &side{ch: baseline, cl: bc, next: next, out: &Side{}}
	closedLoopAtLeast(ctx, bc, opt.Clients, opt.Warmup, opt.MinRequests, next)
	for range max(1, opt.Rounds) {
		if err := sd.round(ctx, opt.Clients, opt.MaxFor/time.Duration(max(1, opt.Rounds)), opt.MinRequests); err != nil {
			return nil, err
		}
	}
	sd.finish()
	return sd.out, nil
}
