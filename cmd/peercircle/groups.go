package main

import (
	"context"
	"time"

	"github.com/peercircle/peercircle/jobs"
	"github.com/peercircle/peercircle/sqlstore"
)

// materialiseEvery is how often the planning horizon moves: meetings are
// planned twelve weeks ahead (setting schedule.horizon_weeks), so a few
// hours' delay changes nothing a person sees.
const materialiseEvery = 6 * time.Hour

// registerGroupJobs adds the groups area's periodic work: planning every
// scheduled group's meetings ahead, once per period across instances.
func registerGroupJobs(r *jobs.Runner, store *sqlstore.Store) {
	r.Every("groups.materialise", materialiseEvery, func(ctx context.Context, _ string) error {
		res, err := store.MaterialiseAll(ctx, store.Horizon(ctx))
		if err == nil {
			r.Log.Info("planned meetings ahead", "groups", res.Groups, "unchanged", res.Unchanged, "added", res.Added, "updated", res.Updated, "removed", res.Removed)
		}
		return err
	})
}
