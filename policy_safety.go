package peercircle

// Actions of keeping everyone safe (safety.go). Can hands them to
// canSafety, so the whole policy of this area reads in one place.
const (
	// ActViewSupportFile: a group's file of external support: whoever may
	// view the group; a site's file: its organisers, the coordinators above,
	// admins, and everyone in a group at the site.
	ActViewSupportFile Action = "view_support_file"
	// ActManageSupportFile: a site's file: its organisers and admins; a
	// group's file: its standing facilitators and the site's organisers.
	ActManageSupportFile Action = "manage_support_file"
	// ActAskSupport: send a support request to a group's facilitators (its
	// members and facilitators) or to a site's organisers (people in a
	// group at the site).
	ActAskSupport Action = "ask_support"
	// ActHandleSupportRequest: read and answer a request: the group's
	// standing facilitators when it went to them, the site's organisers when
	// it went to the organiser. Never coordinators or admins.
	ActHandleSupportRequest Action = "handle_support_request"
	// ActHandleComplaint: read and answer a complaint, by where it was
	// routed: a site (its organisers; for a complaint about a group, not
	// the group's standing facilitators, who are its likely subject), an
	// area (its coordinators, area or region), or the organisation
	// (admins).
	ActHandleComplaint Action = "handle_complaint"
)

// canSafety decides the actions above; any other action is refused.
func canSafety(p *Principal, a Action, s Scope) bool {
	switch a {
	case ActViewSupportFile:
		if s.GroupID != 0 {
			return Can(p, ActViewGroup, s)
		}
		return s.SiteID != 0 && (Can(p, ActViewSite, s) || p.AnyGroupAtSite(s.SiteID))
	case ActManageSupportFile:
		if s.GroupID != 0 {
			return p.holds(RoleOrganiser, s) || p.inGroup(s, RoleFacilitator)
		}
		return s.SiteID != 0 && (p.holds(RoleAdmin, Scope{}) || p.holds(RoleOrganiser, s))
	case ActAskSupport:
		if s.GroupID != 0 {
			return p.inGroup(s, RoleMember, RoleFacilitator)
		}
		return s.SiteID != 0 && p.AnyGroupAtSite(s.SiteID)
	case ActHandleSupportRequest:
		if s.GroupID != 0 {
			return p.inGroup(s, RoleFacilitator)
		}
		return s.SiteID != 0 && p.holds(RoleOrganiser, s)
	case ActHandleComplaint:
		switch {
		case s.SiteID != 0:
			return p.holds(RoleOrganiser, s) && !p.inGroup(s, RoleFacilitator)
		case s.AreaID != 0:
			return p.holds(RoleCoordinator, s)
		case s.RegionID == 0 && s.GroupID == 0:
			return p.holds(RoleAdmin, Scope{})
		}
	}
	return false
}
