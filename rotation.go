package peercircle

import (
	"context"
	"slices"
	"time"
)

// Volunteer roles (001: "a volunteer sign-up sheet ... they will only be
// asked to do something if they can and are comfortable doing it").
// Facilitating rotates among those who offered (000: "facilitation of
// each session will be scheduled on rotational basis").
const (
	VolunteerFacilitator  = "facilitator"
	VolunteerGreeter      = "greeter"
	VolunteerRefreshments = "refreshments"
	VolunteerNoteTaker    = "note_taker"
	VolunteerTimekeeper   = "timekeeper"
)

// VolunteerRoles lists the roles in the order the sign-up shows them.
var VolunteerRoles = []string{VolunteerFacilitator, VolunteerGreeter, VolunteerRefreshments, VolunteerNoteTaker, VolunteerTimekeeper}

// Offer is a member's offer to take a role in turn. BaseTurns is the
// fewest turns anyone on that rota had when the offer was made, so a
// newcomer joins level with the others instead of taking every turn until
// they catch up.
type Offer struct {
	GroupID   int64
	PersonID  int64
	Role      string
	OfferedAt time.Time
	BaseTurns int
}

// RotaCandidate is one person on a rota when the next turn is chosen.
type RotaCandidate struct {
	PersonID int64
	Turns    int       // turns taken or planned, plus the offer's BaseTurns
	Last     time.Time // start of their latest turn; zero if none
	Away     bool      // on leave, or sent apologies for this meeting
}

// NextInRota chooses fairly: among those not away, fewest turns first,
// then the longest since their last turn, then the lowest id (so the
// choice is the same every time). It reports false when nobody is free.
func NextInRota(cands []RotaCandidate) (int64, bool) {
	free := slices.DeleteFunc(slices.Clone(cands), func(c RotaCandidate) bool { return c.Away })
	if len(free) == 0 {
		return 0, false
	}
	best := slices.MinFunc(free, func(a, b RotaCandidate) int {
		if a.Turns != b.Turns {
			return a.Turns - b.Turns
		}
		if c := a.Last.Compare(b.Last); c != 0 {
			return c
		}
		if a.PersonID < b.PersonID {
			return -1
		}
		return 1
	})
	return best.PersonID, true
}

// RotaTurn is one person's turn in a role at one session.
type RotaTurn struct {
	SessionID int64
	Role      string
	PersonID  int64
	Manual    bool // set by the organiser; rotation leaves it alone
}

// RotationService keeps the volunteer sign-up and the rotas.
//
// SetOffers replaces a member's offers in a group (EINVALID for an
// unknown role, EFORBIDDEN for someone not a current member).
// AssignRotation gives each upcoming planned session of the group a
// person for each role from those who offered, fairly (NextInRota),
// skipping members on leave and people who sent apologies, and moving a
// turn away from someone who went on leave or left. Turns set by hand are
// kept. Substitute suggests who could step in for a session's facilitator
// who sent apologies: the next person on the rota. AssignTurn sets a turn
// by hand (the organiser accepting a substitute).
type RotationService interface {
	SetOffers(ctx context.Context, groupID, personID int64, roles []string) error
	Offers(ctx context.Context, groupID int64) ([]*Offer, error)
	AssignRotation(ctx context.Context, groupID int64) error
	Turns(ctx context.Context, sessionIDs []int64) ([]RotaTurn, error)
	Substitute(ctx context.Context, sessionID int64) (int64, error)
	AssignTurn(ctx context.Context, sessionID int64, role string, personID int64) error
}
