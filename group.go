package peercircle

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Group kinds (DESIGN.md).
const (
	KindStaff     = "staff"     // staff peer support group at a health centre (000)
	KindCommunity = "community" // peer-led community group (001)
	KindFamily    = "family"    // family and care partners group (001)
	KindTraining  = "training"  // training cohort (004)
)

// GroupKinds lists the group kinds in display order.
var GroupKinds = []string{KindStaff, KindCommunity, KindFamily, KindTraining}

// Membership types and structures (001: "open or closed", "formal or informal").
const (
	MembershipOpen    = "open"
	MembershipClosed  = "closed"
	StructureFormal   = "formal"
	StructureInformal = "informal"
)

// Group statuses.
const (
	GroupForming = "forming"
	GroupActive  = "active"
	GroupPaused  = "paused"
	GroupEnded   = "ended"
)

// GroupStatuses lists the statuses in their usual order of life.
var GroupStatuses = []string{GroupForming, GroupActive, GroupPaused, GroupEnded}

// Group is a peer support group at a site.
type Group struct {
	ID               int64
	SiteID           int64
	Name             string
	Purpose          string
	Kind             string
	Membership       string
	Structure        string
	Lang             string
	SizeLimit        int // 0 = no limit
	Status           string
	VenueID          int64
	AgendaTemplateID int64
	Listed           bool // shown in the public meeting finder
	SplitFromID      int64
	CreatedAt        time.Time
	EndedAt          *time.Time
}

// Validate checks a group before it is saved.
func (g *Group) Validate() error {
	f := FieldErrors{}
	g.Name = strings.TrimSpace(g.Name)
	validateName(f, "name", g.Name)
	if utf8.RuneCountInString(g.Purpose) > 2000 {
		f.Add("purpose", "error.too_long")
	}
	if g.SiteID == 0 {
		f.Add("site", "error.required")
	}
	if !contains(GroupKinds, g.Kind) {
		f.Add("kind", "error.choice")
	}
	if g.Membership != MembershipOpen && g.Membership != MembershipClosed {
		f.Add("membership", "error.choice")
	}
	if g.Structure != StructureFormal && g.Structure != StructureInformal {
		f.Add("structure", "error.choice")
	}
	if !contains(Languages, g.Lang) {
		f.Add("lang", "error.choice")
	}
	if g.SizeLimit < 0 || g.SizeLimit > 500 {
		f.Add("size_limit", "error.range")
	}
	if !contains(GroupStatuses, g.Status) {
		f.Add("status", "error.choice")
	}
	return f.Err()
}

// Membership statuses (DESIGN.md: asked to join, orientation, active, on
// leave, left), plus declined for a closed group's kind "no".
const (
	MemberRequested   = "requested"
	MemberOrientation = "orientation"
	MemberActive      = "active"
	MemberOnLeave     = "on_leave"
	MemberLeft        = "left"
	MemberDeclined    = "declined"
)

// Membership is a person in a group.
type Membership struct {
	ID       int64
	GroupID  int64
	PersonID int64
	Role     string // RoleMember or RoleFacilitator
	Status   string
	// Visiting marks staff from a site not yet in the programme who attend a
	// host site's group once a month (000).
	Visiting bool
	// Unlisted keeps the person's participation out of rosters shown to other
	// members (DESIGN.md rule 4).
	Unlisted bool
	JoinedAt *time.Time
	LeftAt   *time.Time
}

// Current reports whether the membership gives access to the group: active
// members and members on leave still belong to it.
func (m *Membership) Current() bool {
	return m.Status == MemberActive || m.Status == MemberOnLeave
}

// GroupService stores groups and memberships. The groups issue grows it.
//
// CreateGroup returns EINVALID when Validate fails and ENOTFOUND when the
// site does not exist. Group returns ENOTFOUND for an unknown id.
type GroupService interface {
	CreateGroup(ctx context.Context, g *Group) error
	Group(ctx context.Context, id int64) (*Group, error)
	GroupScope(ctx context.Context, id int64) (Scope, error)
	GroupsAtSite(ctx context.Context, siteID int64) ([]*Group, error)
	GroupsOf(ctx context.Context, personID int64) ([]*Group, error)
	SaveMembership(ctx context.Context, m *Membership) error
	Memberships(ctx context.Context, groupID int64) ([]*Membership, error)
}
