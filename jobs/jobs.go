// Package jobs runs PeerCircle's background work from the durable job table:
// a small pool of workers claims due jobs, runs the handler for their kind,
// and retries failures with back-off. Periodic work (materialising sessions,
// report nudges) is enqueued under a key per period, so with several
// instances each period's job is added once and run once.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/peercircle/peercircle"
)

// Handler does one job. A returned error is retried with back-off up to
// MaxAttempts; wrap it with Permanent to stop retrying.
type Handler func(ctx context.Context, payload string) error

// Periodic is work to run every Every; Key names the period's job.
type Periodic struct {
	Kind  string
	Every time.Duration
}

// MaxAttempts bounds retries; e-mail relays are sometimes down for hours.
const MaxAttempts = 8

// Runner claims and runs jobs.
type Runner struct {
	Store    peercircle.JobService
	Log      *slog.Logger
	Now      peercircle.Clock
	Workers  int
	Poll     time.Duration // how often an idle worker looks for work
	Lease    time.Duration // how long a claimed job is a worker's before others may retry it
	ID       string        // this instance's name in locked_by
	handlers map[string]Handler
	periodic []Periodic
}

// NewRunner returns a runner with sensible defaults.
func NewRunner(store peercircle.JobService, log *slog.Logger) *Runner {
	host, _ := os.Hostname()
	return &Runner{Store: store, Log: log, Now: peercircle.SystemClock, Workers: 2, Poll: 2 * time.Second,
		Lease: 5 * time.Minute, ID: fmt.Sprintf("%s-%d-%04x", host, os.Getpid(), rand.N(1<<16)), handlers: map[string]Handler{}}
}

// Handle registers the handler of a job kind.
func (r *Runner) Handle(kind string, h Handler) { r.handlers[kind] = h }

// Every runs kind every period, once across all instances.
func (r *Runner) Every(kind string, every time.Duration, h Handler) {
	r.Handle(kind, h)
	r.periodic = append(r.periodic, Periodic{Kind: kind, Every: every})
}

type permanent struct{ error }

// Permanent marks an error that retrying cannot fix.
func Permanent(err error) error { return permanent{err} }

// Run works until ctx ends, then waits for running jobs to finish.
func (r *Runner) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for i := 0; i < r.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(ctx)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.schedule(ctx)
	}()
	wg.Wait()
}

// schedule enqueues each periodic kind once per period.
func (r *Runner) schedule(ctx context.Context) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		r.EnqueuePeriodic(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// EnqueuePeriodic adds this period's job for each periodic kind, unless an
// instance already did.
func (r *Runner) EnqueuePeriodic(ctx context.Context) {
	now := r.Now()
	for _, p := range r.periodic {
		start := now.Truncate(p.Every)
		key := p.Kind + "@" + start.UTC().Format(time.RFC3339)
		if _, err := r.Store.Enqueue(ctx, &peercircle.Job{Kind: p.Kind, UniqueKey: key, RunAt: start}); err != nil && ctx.Err() == nil {
			r.Log.Error("jobs: enqueue periodic", "kind", p.Kind, "err", err)
		}
	}
}

func (r *Runner) work(ctx context.Context) {
	for ctx.Err() == nil {
		ran, err := r.RunOne(ctx)
		if err != nil && ctx.Err() == nil {
			r.Log.Error("jobs: claim", "err", err)
		}
		if ran {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(r.Poll + time.Duration(rand.N(int64(r.Poll/4)+1))):
		}
	}
}

// RunOne claims and runs one due job; it reports whether there was one.
// Tests and the benchmark call it directly.
func (r *Runner) RunOne(ctx context.Context) (bool, error) {
	j, err := r.Store.Claim(ctx, r.ID, r.Lease)
	if err != nil || j == nil {
		return false, err
	}
	h, ok := r.handlers[j.Kind]
	if !ok {
		return true, r.Store.Fail(context.WithoutCancel(ctx), j.ID, "no handler for kind "+j.Kind, nil)
	}
	jctx, cancel := context.WithTimeout(ctx, r.Lease/2)
	err = safeRun(jctx, h, j.Payload)
	cancel()
	done := context.WithoutCancel(ctx) // record the outcome even during shutdown
	if err == nil {
		return true, r.Store.Complete(done, j.ID)
	}
	var perm permanent
	if errors.As(err, &perm) || j.Attempts >= MaxAttempts {
		r.Log.Error("jobs: failed for good", "kind", j.Kind, "id", j.ID, "attempts", j.Attempts, "err", err)
		return true, r.Store.Fail(done, j.ID, err.Error(), nil)
	}
	retry := r.Now().Add(backoff(j.Attempts))
	r.Log.Warn("jobs: will retry", "kind", j.Kind, "id", j.ID, "attempts", j.Attempts, "at", retry, "err", err)
	return true, r.Store.Fail(done, j.ID, err.Error(), &retry)
}

// backoff doubles from 30 seconds, up to two hours.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second << min(attempts-1, 8)
	return min(d, 2*time.Hour)
}

func safeRun(ctx context.Context, h Handler, payload string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	return h(ctx, payload)
}
