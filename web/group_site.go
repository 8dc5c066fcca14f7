package web

import (
	"net/http"

	"github.com/peercircle/peercircle"
)

// siteGroupRow is one group on the organiser's site page: its next
// meeting and facilitator, who is on the rota after, and requests waiting.
type siteGroupRow struct {
	Group    *peercircle.Group
	Next     *meetingView
	RotaNext []string
	Waiting  int
}

// sitePlan prepares the organiser's view of a site's groups. Each group's
// next three meetings are read on their own (a limit per group), then
// prepared together: one query for their turns and one for every name.
func (s *Server) sitePlan(r *http.Request, site *peercircle.Site, groups []*peercircle.Group) ([]siteGroupRow, error) {
	ctx := r.Context()
	lk := s.lookups(r)
	rows := make([]siteGroupRow, 0, len(groups))
	var all []*peercircle.Session
	for _, g := range groups {
		lk.known(g, site)
		row := siteGroupRow{Group: g}
		if g.Status != peercircle.GroupEnded {
			sessions, err := s.Store.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, From: s.now(), Statuses: []string{peercircle.SessionPlanned}, Limit: 3})
			if err != nil {
				return nil, err
			}
			all = append(all, sessions...)
			ms, err := s.Store.Memberships(ctx, g.ID)
			if err != nil {
				return nil, err
			}
			for _, m := range ms {
				if m.Pending() {
					row.Waiting++
				}
			}
		}
		rows = append(rows, row)
	}
	views, err := s.meetingViewsWith(r, lk, 0, all)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		for j := range views {
			if views[j].Session.GroupID != rows[i].Group.ID {
				continue
			}
			if rows[i].Next == nil {
				rows[i].Next = &views[j]
			} else if views[j].Facilitator != "" {
				rows[i].RotaNext = append(rows[i].RotaNext, views[j].Facilitator)
			}
		}
	}
	return rows, nil
}
