package peercircle

// Roles. A role is always held in a scope: a person is organiser *of a site*,
// coordinator *of an area or region*, facilitator *of a group*. Access is
// decided by scope (see Can), never by role name alone.
const (
	RoleAdmin       = "admin"       // runs the installation (organisation scope)
	RoleCoordinator = "coordinator" // oversees an area or a region
	RoleOrganiser   = "organiser"   // runs groups at a site (the senior staff nurse)
	RoleFacilitator = "facilitator" // standing facilitator or co-facilitator of a group
	RoleMember      = "member"      // a peer in a group
	RoleSupervisor  = "supervisor"  // supervises facilitators and peer workers in a scope
	RoleTrainer     = "trainer"     // runs training courses in a scope
)

// Roles lists every role, widest first.
var Roles = []string{RoleAdmin, RoleCoordinator, RoleOrganiser, RoleFacilitator, RoleMember, RoleSupervisor, RoleTrainer}

// Scope kinds: the level of the tree a grant applies to.
const (
	ScopeOrganisation = "organisation"
	ScopeRegion       = "region"
	ScopeArea         = "area"
	ScopeSite         = "site"
	ScopeGroup        = "group"
)

// grantScopes lists, per role, the scope kinds it can be granted at.
// Facilitator and member come from group memberships, not from grants.
var grantScopes = map[string][]string{
	RoleAdmin:       {ScopeOrganisation},
	RoleCoordinator: {ScopeArea, ScopeRegion},
	RoleOrganiser:   {ScopeSite},
	RoleSupervisor:  {ScopeOrganisation, ScopeRegion, ScopeArea, ScopeSite},
	RoleTrainer:     {ScopeOrganisation, ScopeRegion, ScopeArea, ScopeSite},
	RoleFacilitator: {ScopeGroup},
	RoleMember:      {ScopeGroup},
}

// Grant is a role held in a scope. ScopeID is 0 for the organisation scope.
type Grant struct {
	ID        int64
	PersonID  int64
	Role      string
	ScopeKind string
	ScopeID   int64
}

// Validate checks that the role can be held at the scope kind.
func (g *Grant) Validate() error {
	f := FieldErrors{}
	kinds, ok := grantScopes[g.Role]
	if !ok {
		f.Add("role", "error.choice")
	}
	switch {
	case g.ScopeKind == "" || (g.ScopeKind != ScopeOrganisation && g.ScopeID == 0):
		f.Add("scope", "error.required")
	case ok && !contains(kinds, g.ScopeKind):
		// Say where this role is given, not only that this is wrong.
		f.Add("scope", "grant.scope_for."+g.Role)
	}
	return f.Err()
}

// GrantScopes returns the scope kinds a role can be granted at.
func GrantScopes(role string) []string { return grantScopes[role] }

// Scope locates a record in the organisation tree: the group, site, area and
// region it belongs to (zero where it does not apply). Handlers load it with
// the record and pass it to Can. A scope is always complete upwards: a scope
// naming a site also names its area and region (stores build it so).
type Scope struct {
	RegionID int64
	AreaID   int64
	SiteID   int64
	GroupID  int64
	// PersonID is the person a record is about or belongs to (a worksheet's
	// owner, a profile), for actions a person may take on their own records.
	PersonID int64
	// SessionFacilitators are the people facilitating one session by
	// rotation; they run that session without being standing facilitators.
	SessionFacilitators []int64
	// Readers are the people a private record names besides its owner:
	// the supervisor a GROW worksheet is shared with, the supervisor who
	// wrote a supervision session (growth.go).
	Readers []int64
}

// GroupRole is a person's role in one group, from an active membership.
type GroupRole struct {
	GroupID int64
	SiteID  int64
	Role    string // RoleFacilitator or RoleMember
}

// Principal is the signed-in person with everything access checks need,
// loaded once per request. A nil *Principal is the public (no account).
type Principal struct {
	PersonID   int64
	Name       string
	Lang       string
	Grants     []Grant
	GroupRoles []GroupRole
	SessionID  string // the auth session, for sign-out and CSRF
	CSRFToken  string
	// Areas maps every area to its region, so region-scoped grants can be
	// checked against a scope that only names an area or a site.
	AreaRegion map[int64]int64
	// Unread is the number of the person's unread notifications, read in
	// the same statement as the rest for the bell on every page.
	Unread int
	// HasSecondFactor: the person confirmed a second factor.
	HasSecondFactor bool
	// SecondFactorRoles are the roles that must use one (the setting).
	SecondFactorRoles []string
}

// NeedsSecondFactor reports whether the person must set up a second
// factor before anything else: a role that requires one, and none yet.
func (p *Principal) NeedsSecondFactor() bool {
	return p != nil && !p.HasSecondFactor && SecondFactorRequired(p.Grants, p.SecondFactorRoles)
}

// HasRole reports whether p holds role anywhere (for navigation only; access
// decisions use Can with a scope).
func (p *Principal) HasRole(role string) bool {
	if p == nil {
		return false
	}
	for _, g := range p.Grants {
		if g.Role == role {
			return true
		}
	}
	for _, g := range p.GroupRoles {
		if g.Role == role || (role == RoleMember && g.Role == RoleFacilitator) {
			return true
		}
	}
	return false
}

// Roles returns the distinct roles p holds, in the order of Roles.
func (p *Principal) Roles() []string {
	var out []string
	for _, r := range Roles {
		if p.HasRole(r) {
			out = append(out, r)
		}
	}
	return out
}

// grantCovers reports whether a grant's scope contains s.
func (p *Principal) grantCovers(g Grant, s Scope) bool {
	switch g.ScopeKind {
	case ScopeOrganisation:
		return true
	case ScopeRegion:
		return s.RegionID != 0 && s.RegionID == g.ScopeID
	case ScopeArea:
		return s.AreaID != 0 && s.AreaID == g.ScopeID
	case ScopeSite:
		return s.SiteID != 0 && s.SiteID == g.ScopeID
	case ScopeGroup:
		return s.GroupID != 0 && s.GroupID == g.ScopeID
	}
	return false
}

// holds reports whether p holds role in a scope that contains s.
func (p *Principal) holds(role string, s Scope) bool {
	for _, g := range p.Grants {
		if g.Role == role && p.grantCovers(g, s) {
			return true
		}
	}
	return false
}

// inGroup reports whether p has an active membership of s's group with one
// of the given roles.
func (p *Principal) inGroup(s Scope, roles ...string) bool {
	if s.GroupID == 0 {
		return false
	}
	for _, g := range p.GroupRoles {
		if g.GroupID == s.GroupID && contains(roles, g.Role) {
			return true
		}
	}
	return false
}

// facilitates reports whether p facilitates s's group, as a standing
// facilitator or by rotation for the session in s.
func (p *Principal) facilitates(s Scope) bool {
	if p.inGroup(s, RoleFacilitator) {
		return true
	}
	for _, id := range s.SessionFacilitators {
		if id == p.PersonID && p.inGroup(s, RoleMember, RoleFacilitator) {
			return true
		}
	}
	return false
}

// AnyGroupAtSite reports whether p is in any group at the site (for open
// groups: "anyone in scope joins").
func (p *Principal) AnyGroupAtSite(siteID int64) bool {
	for _, g := range p.GroupRoles {
		if g.SiteID == siteID {
			return true
		}
	}
	return false
}
