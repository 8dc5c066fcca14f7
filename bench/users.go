package bench

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// Person is a simulated person: who they are, a signed-in session, and
// the places their pages are about.
type Person struct {
	ID      int64
	Cookie  string // the session token
	CSRF    string
	GroupID int64 // a group they belong to (members, facilitators)
	SiteID  int64 // the site they organise, or their group's site
	AreaID  int64 // the area they coordinate
	Region  int64 // the region they coordinate
	// Feed is the secret token of their calendar feed (members).
	Feed string
}

// Cast is everyone the benchmark signs in, by what they do.
type Cast struct {
	Members      []*Person
	Facilitators []*Person
	Organisers   []*Person
	Coordinators []*Person // of an area
	RegionLeads  []*Person // coordinators of a region
	Admins       []*Person
	Writers      []*Person // members who change their profile, one per writer
	// LastQuarter is the last quarter that ended: its reports are in every
	// state of their review.
	LastQuarter peercircle.Quarter
	// Live holds today's meetings and feedback codes, one pool per side.
	Live [2]*livePool
}

// How many people of each kind the benchmark signs in: enough that pages
// are not all served from one person's warm rows.
const (
	castMembers      = 400
	castFacilitators = 100
	castOrganisers   = 100
	castCoordinators = 20
	castRegionLeads  = 5
	castWriters      = 60
)

// NewCast picks people from the data set deterministically and signs each
// of them in (a session row, as the sign-in form would make; the password
// hash is not checked again for each).
func NewCast(ctx context.Context, s *sqlstore.Store, seed uint64) (*Cast, error) {
	r := rand.New(rand.NewPCG(seed, 7))
	c := &Cast{}
	q, err := s.CurrentQuarter(ctx, 0)
	if err != nil {
		return nil, err
	}
	c.LastQuarter = q.Prev()
	db := s.DB
	ids := func(q string, args ...any) ([][3]int64, error) {
		rows, err := db.Query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out [][3]int64
		for rows.Next() {
			var v [3]int64
			if err := rows.Scan(&v[0], &v[1], &v[2]); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
	sample := func(all [][3]int64, n int) [][3]int64 {
		r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		return all[:min(n, len(all))]
	}
	signIn := func(v [3]int64) (*Person, error) {
		token, as, err := s.CreateAuthSession(ctx, v[0])
		if err != nil {
			return nil, err
		}
		return &Person{ID: v[0], Cookie: token, CSRF: as.CSRFToken}, nil
	}

	// Members of active groups who are not staff: the people who open the
	// app most.
	members, err := ids(`SELECT m.person_id, m.group_id, g.site_id FROM memberships m
		JOIN groups g ON g.id = m.group_id JOIN people p ON p.id = m.person_id
		WHERE m.status = ? AND m.role = ? AND g.status = ? AND p.status = ? AND m.visiting = ?
		AND NOT EXISTS (SELECT 1 FROM grants WHERE person_id = m.person_id) ORDER BY m.id`,
		peercircle.MemberActive, peercircle.RoleMember, peercircle.GroupActive, peercircle.PersonActive, false)
	if err != nil {
		return nil, err
	}
	if len(members) < 20 {
		return nil, fmt.Errorf("the data set has %d members; is it a generated one?", len(members))
	}
	picked := sample(members, castMembers+castWriters)
	nMembers := len(picked) * castMembers / (castMembers + castWriters)
	for i, v := range picked {
		p, err := signIn(v)
		if err != nil {
			return nil, err
		}
		p.GroupID, p.SiteID = v[1], v[2]
		if i < nMembers {
			f, err := s.CalendarFeed(ctx, p.ID, 0)
			if err != nil {
				return nil, err
			}
			p.Feed = f.Token
			c.Members = append(c.Members, p)
		} else {
			c.Writers = append(c.Writers, p)
		}
	}
	facs, err := ids(`SELECT m.person_id, m.group_id, g.site_id FROM memberships m
		JOIN groups g ON g.id = m.group_id WHERE m.status = ? AND m.role = ? AND g.status = ? ORDER BY m.id`,
		peercircle.MemberActive, peercircle.RoleFacilitator, peercircle.GroupActive)
	if err != nil {
		return nil, err
	}
	for _, v := range sample(facs, castFacilitators) {
		p, err := signIn(v)
		if err != nil {
			return nil, err
		}
		p.GroupID, p.SiteID = v[1], v[2]
		c.Facilitators = append(c.Facilitators, p)
	}
	grants := func(role, kind string, n int) ([]*Person, error) {
		all, err := ids("SELECT person_id, scope_id, 0 FROM grants WHERE role = ? AND scope_kind = ? ORDER BY id", role, kind)
		if err != nil {
			return nil, err
		}
		var out []*Person
		for _, v := range sample(all, n) {
			p, err := signIn(v)
			if err != nil {
				return nil, err
			}
			switch kind {
			case peercircle.ScopeSite:
				p.SiteID = v[1]
			case peercircle.ScopeArea:
				p.AreaID = v[1]
			case peercircle.ScopeRegion:
				p.Region = v[1]
			}
			out = append(out, p)
		}
		return out, nil
	}
	if c.Organisers, err = grants(peercircle.RoleOrganiser, peercircle.ScopeSite, castOrganisers); err != nil {
		return nil, err
	}
	if c.Coordinators, err = grants(peercircle.RoleCoordinator, peercircle.ScopeArea, castCoordinators); err != nil {
		return nil, err
	}
	if c.RegionLeads, err = grants(peercircle.RoleCoordinator, peercircle.ScopeRegion, castRegionLeads); err != nil {
		return nil, err
	}
	if c.Admins, err = grants(peercircle.RoleAdmin, peercircle.ScopeOrganisation, 1); err != nil {
		return nil, err
	}
	if len(c.Organisers) == 0 || len(c.Coordinators) == 0 || len(c.RegionLeads) == 0 || len(c.Facilitators) == 0 || len(c.Admins) == 0 {
		return nil, fmt.Errorf("the data set lacks organisers, coordinators, facilitators or admins")
	}
	if err := c.startMeetings(ctx, s, r); err != nil {
		return nil, err
	}
	return c, nil
}

// pick returns a random person of a kind.
func pick(r *rand.Rand, ps []*Person) *Person { return ps[r.IntN(len(ps))] }
