package peercircle

import "slices"

// Actions of growing people (growth.go). Can hands them to canGrowth, so
// the whole policy of this area reads in one place. Scopes are the scope of
// the person the record is about (their home site, PersonID them).
const (
	// ActReadWorksheet: a GROW worksheet's owner, and the supervisor it is
	// shared with while their supervisor scope covers the owner's site.
	// Never coordinators, organisers or admins.
	ActReadWorksheet Action = "read_worksheet"
	// ActRecordSupervision: a supervisor whose scope covers the
	// supervisee's site, about someone other than themselves.
	ActRecordSupervision Action = "record_supervision"
	// ActReadSupervision: the supervisee, and the supervisor who wrote the
	// session while their scope covers the supervisee's site. Nobody else.
	ActReadSupervision Action = "read_supervision"
	// ActViewCompetencies: a person's own competency profile; supervisors
	// and trainers whose scope covers the person's site.
	ActViewCompetencies Action = "view_competencies"
	// ActReviewAssessment: a supervisor whose scope covers the person's
	// site, not on their own assessment.
	ActReviewAssessment Action = "review_assessment"
)

// canGrowth decides the actions above; any other action is refused.
func canGrowth(p *Principal, a Action, s Scope) bool {
	self := s.PersonID != 0 && s.PersonID == p.PersonID
	supervises := s.PersonID != 0 && s.SiteID != 0 && p.holds(RoleSupervisor, s)
	named := slices.Contains(s.Readers, p.PersonID)
	switch a {
	case ActReadWorksheet, ActReadSupervision:
		return self || (named && supervises)
	case ActRecordSupervision, ActReviewAssessment:
		return supervises && !self
	case ActViewCompetencies:
		return self || supervises || (s.PersonID != 0 && s.SiteID != 0 && p.holds(RoleTrainer, s))
	}
	return false
}
