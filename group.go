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
	// VenuePublic shows the group's room on its public page; otherwise
	// the finder says "on request" (a group may keep its venue private).
	VenuePublic bool
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
	// DisplayName is the name the person chose for this group (001: people
	// decide the words used about them); empty means their usual name.
	DisplayName string
	RequestedAt *time.Time // when they asked to join a closed group
	OrientedBy  int64      // the facilitator or member who met them first
	OrientedAt  *time.Time
	// LeaveUntil is the last day of a leave (YYYY-MM-DD), or "" for an open
	// one; it only means something while Status is on_leave.
	LeaveUntil string
	// Contact is the person's preferred channel for this group; the address
	// is stored sealed and only loaded where it is needed.
	Contact Contact
}

// Current reports whether the membership gives access to the group: active
// members and members on leave still belong to it.
func (m *Membership) Current() bool {
	return m.Status == MemberActive || m.Status == MemberOnLeave
}

// Expected reports whether the member is expected at meetings: active
// members are; members on leave are skipped by rotations and never
// counted as absent.
func (m *Membership) Expected() bool { return m.Status == MemberActive }

// Pending reports whether the person asked to join and is waiting.
func (m *Membership) Pending() bool {
	return m.Status == MemberRequested || m.Status == MemberOrientation
}

// Name returns the name to show for a member inside the group: the name
// chosen for the group, else the person's own. It is
// NameFor(p, InGroup) (naming.go).
func (m *Membership) Name(p *Person) string { return m.NameFor(p, InGroup) }

// Validate checks the parts of a membership a person edits.
func (m *Membership) Validate() error {
	f := FieldErrors{}
	m.DisplayName = strings.TrimSpace(m.DisplayName)
	if utf8.RuneCountInString(m.DisplayName) > 120 {
		f.Add("display_name", "error.too_long")
	}
	if m.Role != RoleMember && m.Role != RoleFacilitator {
		f.Add("role", "error.choice")
	}
	if !contains([]string{MemberRequested, MemberOrientation, MemberActive, MemberOnLeave, MemberLeft, MemberDeclined}, m.Status) {
		f.Add("status", "error.choice")
	}
	if m.LeaveUntil != "" {
		if _, err := time.Parse(time.DateOnly, m.LeaveUntil); err != nil {
			f.Add("leave_until", "error.date")
		}
	}
	if err := m.Contact.validate(f); err != nil {
		return err
	}
	return f.Err()
}

// OpenToJoin reports whether a person may ask to join the group: it is not
// ended or paused, and it is listed publicly or at the person's own site.
// Everyone in scope may join an open group (001); a closed group takes a
// request, an orientation, then a decision.
func (g *Group) OpenToJoin(p *Person) bool {
	if g.Status == GroupEnded || g.Status == GroupPaused || p == nil {
		return false
	}
	return g.Listed || (p.HomeSiteID != 0 && p.HomeSiteID == g.SiteID)
}

// Join outcomes, for the person's notice.
const (
	JoinedOpen    = "joined"    // an open group: they are in
	JoinRequested = "requested" // a closed group: a facilitator will be in touch
)

// SplitRequest moves chosen members of a group that grew too large into a
// new group (001: a group of about 25 split in two); both keep their
// histories: past sessions stay with the old group, the moved members'
// old memberships are kept as left.
type SplitRequest struct {
	GroupID   int64
	Name      string
	MemberIDs []int64 // person ids to move
	By        int64
}

// GroupPerson is a person as seen in one group (the key of GroupNames).
type GroupPerson struct {
	GroupID, PersonID int64
}

// GroupService stores groups and memberships.
//
// CreateGroup and UpdateGroup return EINVALID when Validate fails (or the
// size limit is below the current membership: key group.size_below_members)
// and ENOTFOUND when the site, venue or template does not exist there.
// Group, Membership and MembershipByID return ENOTFOUND for unknown ids.
// RequestToJoin returns ECONFLICT when the person already belongs or
// waits, and EINVALID (group.full, group.closed_to_joining) when they
// cannot join. DecideMembership and ArrangeOrientation return ECONFLICT
// when the request is no longer waiting. SplitGroup returns EINVALID when
// no member or every member is chosen.
type GroupService interface {
	CreateGroup(ctx context.Context, g *Group) error
	UpdateGroup(ctx context.Context, g *Group) error
	EndGroup(ctx context.Context, groupID, by int64) error
	SplitGroup(ctx context.Context, req SplitRequest) (*Group, error)
	Group(ctx context.Context, id int64) (*Group, error)
	GroupScope(ctx context.Context, id int64) (Scope, error)
	// GroupInPlace is Group, its site and GroupScope in one read: what a
	// group's page starts from.
	GroupInPlace(ctx context.Context, id int64) (*GroupInPlace, error)
	GroupsAtSite(ctx context.Context, siteID int64) ([]*Group, error)
	GroupsOf(ctx context.Context, personID int64) ([]*Group, error)
	// GroupsInPlaceOf is GroupsOf with each group's site and scope, in
	// the same statement: what the member home starts from.
	GroupsInPlaceOf(ctx context.Context, personID int64) ([]*GroupInPlace, error)
	SaveMembership(ctx context.Context, m *Membership) error
	Memberships(ctx context.Context, groupID int64) ([]*Membership, error)
	Membership(ctx context.Context, groupID, personID int64) (*Membership, error)
	// GroupNames reads at once how people are shown in groups: for each
	// pair, the name the person chose for that group, else their own
	// (Person.Name). Pairs whose person does not exist are left out.
	GroupNames(ctx context.Context, pairs []GroupPerson) (map[GroupPerson]string, error)
	MembershipByID(ctx context.Context, id int64) (*Membership, error)
	MembershipsOf(ctx context.Context, personID int64) ([]*Membership, error)
	// AddMember is the organiser bringing someone into a group (issue
	// 11): an existing person of the group's site (personID), or a new
	// person (newPerson, personID 0) who gets an invitation link when they
	// have a username or e-mail. The membership starts in orientation, so
	// the group's orientation and code of ethics come first; the person is
	// told. EINVALID "members.other_site" for a person of another site,
	// ECONFLICT "group.already_member" for a current member.
	AddMember(ctx context.Context, groupID, personID int64, newPerson *Person, by int64) (m *Membership, inviteToken string, err error)
	RequestToJoin(ctx context.Context, groupID, personID int64) (outcome string, err error)
	ArrangeOrientation(ctx context.Context, membershipID, by int64) error
	DecideMembership(ctx context.Context, membershipID int64, accept bool, by int64) error
	SetLeave(ctx context.Context, membershipID int64, onLeave bool, until string) error
	LeaveGroup(ctx context.Context, membershipID int64) error
	// UpdateMembershipPrefs saves what a member chooses for themself:
	// display name, unlisted, contact preference (address sealed).
	UpdateMembershipPrefs(ctx context.Context, m *Membership) error
	// ContactAddress opens a member's sealed contact address, for the
	// member and the group's facilitators; callers audit the read.
	ContactAddress(ctx context.Context, membershipID int64) (string, error)
}

// GroupInPlace is a group with the site it belongs to and its scope.
type GroupInPlace struct {
	Group *Group
	Site  *Site
	Scope Scope
}
