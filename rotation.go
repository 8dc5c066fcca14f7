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

// Rota change kinds: the explicit acts by which a planned turn changes
// (issue 11). Nothing else moves a turn once it is planned.
const (
	// RotaApologies: the person sent apologies and proposed who takes
	// their turn.
	RotaApologies = "apologies"
	// RotaSwapped: two people swapped turns in a role; both agreed.
	RotaSwapped = "swap"
	// RotaOrganiser: the site's organiser (or a facilitator managing the
	// group) decided.
	RotaOrganiser = "organiser"
	// RotaUnavailable: the person left the group or is on leave that day;
	// the next on the rota takes the turn.
	RotaUnavailable = "unavailable"
)

// RotaChange is one recorded change to a planned turn: which meeting,
// which role, the old and the new person (0 for nobody), what act changed
// it and who did it. It is written in the same transaction as the change
// and the in-app notices to those affected; messages by e-mail, SMS or
// WhatsApp are derived from it (never from free text).
type RotaChange struct {
	ID          int64
	SessionID   int64
	GroupID     int64
	Role        string
	OldPersonID int64
	NewPersonID int64
	Kind        string
	ByPersonID  int64
	SwapID      int64
	CreatedAt   time.Time
	// LocalDate and PlannedStart are the meeting's, for readers.
	LocalDate    string
	PlannedStart time.Time
}

// Swap states.
const (
	SwapProposed = "proposed"
	SwapAccepted = "accepted"
	SwapDeclined = "declined"
)

// RotaSwap is a swap one member (A) proposes to another (B): A's turn in
// Role at SessionA for B's turn in the same role at SessionB.
type RotaSwap struct {
	ID                int64
	GroupID           int64
	Role              string
	SessionA, PersonA int64
	SessionB, PersonB int64
	State             string
	CreatedAt         time.Time
	DecidedAt         *time.Time
	DateA, DateB      string // the meetings' local dates, for readers
	StartA, StartB    time.Time
}

// RotationService keeps the volunteer sign-up and the rotas.
//
// The rota is a plan: AssignRotation gives a turn to every upcoming
// planned session's empty slot (from those who offered, fairly:
// NextInRota) and never moves a planned turn, except one whose holder
// left the group or is on leave that day (RotaUnavailable). Every other
// change is an explicit act, recorded as a RotaChange and announced to
// those affected in the same transaction: Apologise with a substitute,
// a swap both accept (ProposeSwap, AnswerSwap), the organiser's AssignTurn.
//
// SetOffers replaces a member's offers in a group (EINVALID for an
// unknown role, EFORBIDDEN for someone not a current member); AddToRota
// puts any current member on a role's rota (the organiser: 000 rotates
// facilitation among all participants). Substitute suggests who could
// step in for a session's facilitator who sent apologies: the next person
// on the rota. AssignTurn sets a turn by hand (personID 0 gives the slot
// back to the rotation). Turn changes refuse people who are not current
// members, or already hold another role at that meeting (EINVALID), and
// meetings that are not upcoming (ECONFLICT "session.not_upcoming").
type RotationService interface {
	SetOffers(ctx context.Context, groupID, personID int64, roles []string) error
	AddToRota(ctx context.Context, groupID, personID int64, role string, by int64) error
	Offers(ctx context.Context, groupID int64) ([]*Offer, error)
	AssignRotation(ctx context.Context, groupID int64) error
	Turns(ctx context.Context, sessionIDs []int64) ([]RotaTurn, error)
	// TurnsAndLive is Turns with the live state (running or ended) of
	// each meeting that was started and, when personID is not 0, that
	// person's own answer to each (their attendance status), in the same
	// statement: what a list of meetings shows.
	TurnsAndLive(ctx context.Context, personID int64, sessionIDs []int64) (turns []RotaTurn, live, answers map[int64]string, err error)
	Substitute(ctx context.Context, sessionID int64) (int64, error)
	AssignTurn(ctx context.Context, sessionID int64, role string, personID, by int64) error

	// Apologise records a member's apologies for a meeting and, when they
	// hold a turn there and propose a substitute, gives the turn to the
	// substitute (RotaApologies). Without a substitute the turn stays
	// theirs and, for the facilitator, the site's organisers are told.
	Apologise(ctx context.Context, sessionID, personID, substituteID int64) error
	// ProposeSwap asks otherPersonID to swap personID's turn at sessionID
	// for their turn in the same role at otherSessionID.
	ProposeSwap(ctx context.Context, sessionID, personID, otherSessionID, otherPersonID int64) (*RotaSwap, error)
	// AnswerSwap is the other person's answer; accepting swaps the turns
	// (two RotaSwapped changes) if both are still as proposed (ECONFLICT
	// "rota.swap_stale" otherwise).
	AnswerSwap(ctx context.Context, swapID, personID int64, accept bool) error
	// Swaps lists a group's proposed swaps; Swap returns one.
	Swaps(ctx context.Context, groupID int64) ([]*RotaSwap, error)
	Swap(ctx context.Context, id int64) (*RotaSwap, error)
	// RotaChanges lists a group's recorded changes to meetings from since
	// on, newest first.
	RotaChanges(ctx context.Context, groupID int64, since time.Time, limit int) ([]*RotaChange, error)
}
