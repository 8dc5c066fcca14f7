package peercircle

import (
	"context"
	"sort"
	"time"
)

// Clashes (issue 11): two meetings at the same time in the same room, or
// one person due to facilitate two meetings at once. Nothing forbids them —
// a room may really be big enough, a plan may be about to change — but the
// organiser is told wherever a schedule, a meeting or a rota turn is
// changed, and the site page lists them.

// Clash kinds.
const (
	ClashRoom   = "room"
	ClashPerson = "person"
)

// Clash is two planned meetings that overlap in time and share a room
// (VenueID) or a facilitator (PersonID).
type Clash struct {
	Kind     string
	A, B     *Session
	VenueID  int64
	PersonID int64
}

// ClashHorizon is how far ahead clashes are looked for.
const ClashHorizon = 12 * 7 * 24 * time.Hour

// FindClashes lists the clashes among planned meetings. room gives a
// meeting's room (its own, else its group's) and whether the room is
// virtual: online rooms never clash.
func FindClashes(sessions []*Session, room func(*Session) (venueID int64, virtual bool)) []Clash {
	planned := make([]*Session, 0, len(sessions))
	for _, s := range sessions {
		if s.Status == SessionPlanned {
			planned = append(planned, s)
		}
	}
	sort.Slice(planned, func(i, j int) bool {
		if !planned[i].PlannedStart.Equal(planned[j].PlannedStart) {
			return planned[i].PlannedStart.Before(planned[j].PlannedStart)
		}
		return planned[i].ID < planned[j].ID
	})
	var out []Clash
	for i, a := range planned {
		va, virtualA := room(a)
		for _, b := range planned[i+1:] {
			if !b.PlannedStart.Before(a.PlannedEnd) {
				break // sorted by start: nothing later overlaps a
			}
			if a.ID == b.ID {
				continue
			}
			if vb, virtualB := room(b); va != 0 && va == vb && !virtualA && !virtualB {
				out = append(out, Clash{Kind: ClashRoom, A: a, B: b, VenueID: va})
			}
			for _, p := range []int64{a.FacilitatorID, a.CoFacilitatorID} {
				if p != 0 && (p == b.FacilitatorID || p == b.CoFacilitatorID) {
					out = append(out, Clash{Kind: ClashPerson, A: a, B: b, PersonID: p})
				}
			}
		}
	}
	return out
}

// ClashService finds the clashes that concern a site: its rooms, and the
// people facilitating its meetings wherever else they facilitate.
type ClashService interface {
	SiteClashes(ctx context.Context, siteID int64, from, to time.Time) ([]Clash, error)
}
