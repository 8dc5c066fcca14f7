package peercircle

import (
	"context"
	"time"
)

// Job is a unit of background work in the durable job table: e-mails,
// reminders, materialising sessions ahead, report nudges. Several instances
// may run workers on one database; each job is claimed by exactly one.
type Job struct {
	ID        int64
	Kind      string
	Payload   string
	UniqueKey string // optional: a second job with the same key is not added
	RunAt     time.Time
	Attempts  int
}

// JobService stores jobs.
//
// Enqueue returns (false, nil) when a job with the same UniqueKey exists, so
// periodic work scheduled by every instance is added once. Claim returns
// (nil, nil) when no job is due.
type JobService interface {
	Enqueue(ctx context.Context, j *Job) (added bool, err error)
	Claim(ctx context.Context, worker string, lease time.Duration) (*Job, error)
	Complete(ctx context.Context, id int64) error
	Fail(ctx context.Context, id int64, reason string, retryAt *time.Time) error
}
