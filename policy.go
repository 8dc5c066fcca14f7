package peercircle

// Action is something a person wants to do to a record in a scope. Every
// access decision in PeerCircle goes through Can with one of these.
type Action string

// Actions. The comment on each says who may take it; Can is the single place
// that says it in code, and web's access-matrix test holds every route to it.
const (
	// ActSignedIn: anyone with an account (their own home page, profile).
	ActSignedIn Action = "signed_in"
	// ActSelf: the person the record belongs to (scope.PersonID).
	ActSelf Action = "self"
	// ActAdmin: admins only (organisation tree, accounts, settings).
	ActAdmin Action = "admin"
	// ActInvite: organisers of the site and admins invite people to a site.
	ActInvite Action = "invite"
	// ActViewSite: the site's organisers, the coordinators above it, admins.
	ActViewSite Action = "view_site"
	// ActManageSite: the site's organisers and admins (groups, venues).
	ActManageSite Action = "manage_site"
	// ActViewArea: coordinators of the area or its region, admins.
	ActViewArea Action = "view_area"
	// ActViewRegion: coordinators of the region, admins.
	ActViewRegion Action = "view_region"
	// ActViewGroup: the group's members and facilitators, the site's
	// organisers, the coordinators above, admins (purpose, schedule, counts).
	ActViewGroup Action = "view_group"
	// ActViewMembers: the group's members and facilitators and the site's
	// organisers. Not coordinators, not admins: a roster is personal data.
	ActViewMembers Action = "view_members"
	// ActManageGroup: the site's organisers and admins (configure, schedule,
	// split, end).
	ActManageGroup Action = "manage_group"
	// ActManageMembership: the group's facilitators and the site's organisers
	// (accept or decline, orientation, leave, rotation).
	ActManageMembership Action = "manage_membership"
	// ActParticipate: active members and facilitators of the group (confirm,
	// send apologies, propose agenda items, acknowledge the code of ethics).
	ActParticipate Action = "participate"
	// ActRunSession: the group's facilitators, the session's facilitator by
	// rotation, and the site's organisers (as substitute).
	ActRunSession Action = "run_session"
	// ActReadConfidential: the group's facilitators (standing or by rotation)
	// and the site's organisers who review summaries. Never coordinators,
	// never admins: rule 3 of DESIGN.md.
	ActReadConfidential Action = "read_confidential"
	// ActReviewSummary: the site's organisers (accept or return Sheet 2).
	ActReviewSummary Action = "review_summary"
	// ActViewSummary: counts and topics of a summary, without confidential
	// text: facilitators, organisers, coordinators above, admins.
	ActViewSummary Action = "view_summary"
	// ActViewReport: quarterly reports and dashboards of a site, area or
	// region: the site's organisers, coordinators above, admins.
	ActViewReport Action = "view_report"
	// ActSubmitReport: the site's organisers (Sheet 3).
	ActSubmitReport Action = "submit_report"
	// ActReviewReport: coordinators above the site (accept or return Sheet 3).
	ActReviewReport Action = "review_report"
	// ActSupervise: supervisors whose scope contains the supervisee's site.
	ActSupervise Action = "supervise"
	// ActTrain: trainers whose scope contains the course's site.
	ActTrain Action = "train"
	// ActSeeOwnData: the person themselves (scope.PersonID) sees and
	// exports what is stored about them (DESIGN.md rule 4). Nobody else,
	// not even admins: the export opens sealed text.
	ActSeeOwnData Action = "see_own_data"
	// ActErasePerson: the person themselves, or an admin for a person who
	// asked in person (rule 4).
	ActErasePerson Action = "erase_person"
)

// Can reports whether p may take action a on a record in scope s. It is the
// one policy function of PeerCircle: handlers and services ask it, never a
// role name. A nil p is the public, which may do none of these (public pages
// such as the meeting finder need no action).
func Can(p *Principal, a Action, s Scope) bool {
	if p == nil || p.PersonID == 0 {
		return false
	}
	admin := p.holds(RoleAdmin, Scope{})
	organiser := s.SiteID != 0 && p.holds(RoleOrganiser, s)
	coordinator := (s.AreaID != 0 || s.RegionID != 0) && p.holds(RoleCoordinator, s)

	switch a {
	case ActSignedIn:
		return true
	case ActSelf:
		return s.PersonID != 0 && s.PersonID == p.PersonID
	case ActAdmin:
		return admin
	case ActInvite, ActManageSite:
		return admin || organiser
	case ActViewSite:
		return admin || organiser || coordinator
	case ActViewArea:
		return s.AreaID != 0 && (admin || coordinator)
	case ActViewRegion:
		return s.RegionID != 0 && s.AreaID == 0 && (admin || coordinator)
	case ActViewGroup:
		return s.GroupID != 0 && (admin || organiser || coordinator || p.inGroup(s, RoleMember, RoleFacilitator))
	case ActViewMembers:
		return s.GroupID != 0 && (organiser || p.inGroup(s, RoleMember, RoleFacilitator))
	case ActManageGroup:
		return s.GroupID != 0 && (admin || organiser)
	case ActManageMembership:
		return s.GroupID != 0 && (organiser || p.inGroup(s, RoleFacilitator))
	case ActParticipate:
		return p.inGroup(s, RoleMember, RoleFacilitator)
	case ActRunSession, ActReadConfidential:
		return s.GroupID != 0 && (organiser || p.facilitates(s))
	case ActReviewSummary, ActSubmitReport:
		return organiser
	case ActViewSummary:
		return s.GroupID != 0 && (admin || organiser || coordinator || p.facilitates(s))
	case ActViewReport:
		return admin || organiser || coordinator
	case ActReviewReport:
		return s.SiteID != 0 && coordinator
	case ActSupervise:
		return (s.SiteID != 0 || s.AreaID != 0 || s.RegionID != 0) && p.holds(RoleSupervisor, s)
	case ActTrain:
		return p.holds(RoleTrainer, s)
	case ActSeeOwnData:
		return s.PersonID != 0 && s.PersonID == p.PersonID
	case ActErasePerson:
		return s.PersonID != 0 && (s.PersonID == p.PersonID || admin)
	}
	return canSafety(p, a, s) || canGrowth(p, a, s)
}
