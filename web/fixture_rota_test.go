package web_test

import (
	"context"
	"fmt"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// The rota fixture: in the "in" half, the facilitator asks the member to
// swap turns ({swap}); the "out" half's {swap} is one nobody can answer.
var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		ss, err := s.Sessions(ctx, peercircle.SessionFilter{GroupID: f.In["group"], From: time.Now(), Statuses: []string{peercircle.SessionPlanned}})
		if err != nil {
			return err
		}
		var mine, theirs int64
		for _, m := range ss {
			switch m.FacilitatorID {
			case f.People["facilitator"].ID:
				if mine == 0 {
					mine = m.ID
				}
			case f.People["member"].ID:
				if theirs == 0 {
					theirs = m.ID
				}
			}
		}
		if mine == 0 || theirs == 0 {
			return fmt.Errorf("rota fixture: no turns to swap in %d meetings", len(ss))
		}
		sw, err := s.ProposeSwap(ctx, mine, f.People["facilitator"].ID, theirs, f.People["member"].ID)
		if err != nil {
			return err
		}
		f.In["swap"], f.Out["swap"] = sw.ID, sw.ID+1000
		return nil
	})
	return true
}()
