package web

import (
	"net/http"

	"github.com/peercircle/peercircle"
)

// clashView is one clash as a page says it: when, and what is double-booked.
type clashView struct {
	When string
	Key  string // clash.room or clash.person
	Args []any  // the room or person, then the two groups
}

// siteClashes reads the clashes of a site's next twelve weeks, for the site
// page, or only those that involve groupID (0: all).
func (s *Server) siteClashes(r *http.Request, siteID, groupID int64) ([]clashView, error) {
	ctx := r.Context()
	now := s.now()
	clashes, err := s.Store.SiteClashes(ctx, siteID, now, now.Add(peercircle.ClashHorizon))
	if err != nil || len(clashes) == 0 {
		return nil, err
	}
	venues, err := s.Store.VenuesAtSite(ctx, siteID)
	if err != nil {
		return nil, err
	}
	room := map[int64]string{}
	for _, v := range venues {
		room[v.ID] = v.Name
	}
	groups := map[int64]*peercircle.Group{}
	group := func(id int64) *peercircle.Group {
		if g, ok := groups[id]; ok {
			return g
		}
		g, err := s.Store.Group(ctx, id)
		if err != nil {
			g = &peercircle.Group{ID: id}
		}
		groups[id] = g
		return g
	}
	nm := s.names(ctx)
	var out []clashView
	for _, c := range clashes {
		if groupID != 0 && c.A.GroupID != groupID && c.B.GroupID != groupID {
			continue
		}
		a, b := group(c.A.GroupID), group(c.B.GroupID)
		v := clashView{When: s.meetingWhen(r, a, c.A.PlannedStart)}
		switch c.Kind {
		case peercircle.ClashRoom:
			v.Key, v.Args = "clash.room", []any{room[c.VenueID], a.Name, b.Name}
		default:
			v.Key, v.Args = "clash.person", []any{nm.of(a.ID, c.PersonID), a.Name, b.Name}
		}
		out = append(out, v)
	}
	return out, nil
}
