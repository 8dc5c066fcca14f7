// Package demo generates PeerCircle's demo organisation: a believable
// programme with a region, two areas, four sites, six groups of different
// kinds and about sixty people holding every role, so a new user can sign in
// and see the product working. The national-scale data set of the
// performance work lives next to it.
package demo

import (
	"context"
	"fmt"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/password"
	"github.com/peercircle/peercircle/sqlstore"
)

// Password is the password of every demo account.
const Password = "peercircle-demo"

// Logins are the demo sign-ins, one per role, in the order README lists them.
var Logins = []struct{ Username, Role, What string }{
	{"admin", peercircle.RoleAdmin, "runs the installation: organisation tree, accounts"},
	{"coordinator", peercircle.RoleCoordinator, "coordinator of the Amman East area"},
	{"organiser", peercircle.RoleOrganiser, "organiser (senior staff nurse) of Jabal Al-Nuzha Health Centre"},
	{"facilitator", peercircle.RoleFacilitator, "standing facilitator of the Nuzha staff peer support group"},
	{"member", peercircle.RoleMember, "member of the Nuzha staff peer support group"},
	{"supervisor", peercircle.RoleSupervisor, "supervises facilitators in the Central Jordan region"},
	{"trainer", peercircle.RoleTrainer, "runs the peer supporter training at Al-Amal Community Centre"},
}

// World is what the demo created, for later steps and tests to refer to.
type World struct {
	Region  peercircle.Region
	Areas   map[string]*peercircle.Area
	Sites   map[string]*peercircle.Site
	Groups  map[string]*peercircle.Group
	People  map[string]*peercircle.Person // by username
	Members map[string][]*peercircle.Person
}

// Step adds one part of the demo. Each area of the product adds its own
// step (schedules and sessions, summaries, reports) to Steps.
type Step struct {
	Name string
	Run  func(ctx context.Context, s *sqlstore.Store, w *World) error
}

// Steps run in order on an empty database.
var Steps = []Step{
	{"organisation", seedOrganisation},
	{"people", seedPeople},
	{"groups", seedGroups},
	{"message choices", seedMessageChoices},
	{"schedules", seedSchedules},
	{"report history", seedReportHistory},
	{"sessions", seedSessions},
	{"files of external support", seedSupportFiles},
	{"growth", seedGrowth},
}

// Seeded reports whether the database already holds an organisation, so
// `peercircle demo` on an existing data directory reuses it.
func Seeded(ctx context.Context, s *sqlstore.Store) (bool, error) {
	t, err := s.Tree(ctx)
	if err != nil {
		return false, err
	}
	return t.Organisation.ID != 0, nil
}

// Seed fills an empty database with the demo organisation.
func Seed(ctx context.Context, s *sqlstore.Store) (*World, error) {
	w := &World{Areas: map[string]*peercircle.Area{}, Sites: map[string]*peercircle.Site{},
		Groups: map[string]*peercircle.Group{}, People: map[string]*peercircle.Person{}, Members: map[string][]*peercircle.Person{}}
	for _, step := range Steps {
		if err := step.Run(ctx, s, w); err != nil {
			return nil, fmt.Errorf("demo %s: %w", step.Name, err)
		}
	}
	return w, nil
}

// passwordHash is computed once: hashing sixty identical passwords would
// only slow the start of the demo.
func passwordHash() (string, error) { return password.Hash(Password) }
