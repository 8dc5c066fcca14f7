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

// sitePlan prepares the organiser's view of a site's groups.
func (s *Server) sitePlan(r *http.Request, groups []*peercircle.Group) ([]siteGroupRow, error) {
	var rows []siteGroupRow
	for _, g := range groups {
		row := siteGroupRow{Group: g}
		if g.Status != peercircle.GroupEnded {
			sessions, err := s.Store.Sessions(r.Context(), peercircle.SessionFilter{GroupID: g.ID, From: s.now(), Statuses: []string{peercircle.SessionPlanned}, Limit: 3})
			if err != nil {
				return nil, err
			}
			views, err := s.meetingViews(r, 0, sessions)
			if err != nil {
				return nil, err
			}
			for i := range views {
				if i == 0 {
					row.Next = &views[0]
				} else if views[i].Facilitator != "" {
					row.RotaNext = append(row.RotaNext, views[i].Facilitator)
				}
			}
			ms, err := s.Store.Memberships(r.Context(), g.ID)
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
	return rows, nil
}
