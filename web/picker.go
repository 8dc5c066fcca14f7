package web

import (
	"context"
	"sort"

	"github.com/peercircle/peercircle"
)

// A person picker (supervision, buddies, training, a group's members) lists
// only the people the form may take, grouped by their site, each with a
// label that tells them apart: the name the organisation knows them by,
// and their username when two share a name. A search box (app.js) narrows
// a long list; without scripts the grouped list still works.

type pickSite struct {
	Site   string
	People []pickPerson
}

type pickPerson struct {
	ID    int64
	Label string
}

func (s *Server) picker(ctx context.Context, people []*peercircle.Person) ([]pickSite, error) {
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	siteName := map[int64]string{}
	for _, st := range tree.Sites {
		siteName[st.ID] = st.Name
	}
	seen := map[string]int{}
	for _, p := range people {
		seen[p.Name()]++
	}
	bySite := map[int64]*pickSite{}
	var order []int64
	for _, p := range people {
		g, ok := bySite[p.HomeSiteID]
		if !ok {
			g = &pickSite{Site: siteName[p.HomeSiteID]}
			bySite[p.HomeSiteID] = g
			order = append(order, p.HomeSiteID)
		}
		label := p.Name()
		if seen[label] > 1 {
			switch {
			case p.Username != "":
				label += " (" + p.Username + ")"
			case p.Email != "":
				label += " (" + p.Email + ")"
			}
		}
		g.People = append(g.People, pickPerson{ID: p.ID, Label: label})
	}
	sort.SliceStable(order, func(i, j int) bool { return bySite[order[i]].Site < bySite[order[j]].Site })
	out := make([]pickSite, 0, len(order))
	for _, id := range order {
		g := bySite[id]
		sort.SliceStable(g.People, func(i, j int) bool { return g.People[i].Label < g.People[j].Label })
		out = append(out, *g)
	}
	return out, nil
}
