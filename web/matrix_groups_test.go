package web_test

import "net/url"

// Who may do what in the groups area (see peercircle.Can).
const (
	// manageSite: the site's organisers and admins (ActManageSite,
	// ActManageGroup).
	manageSite = "anon:L admin:Y coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"
	// viewGroup: members, facilitators, organisers, coordinators above,
	// admins (ActViewGroup).
	viewGroup = "anon:L admin:Y coordinator:YN organiser:YN facilitator:YN member:YN supervisor:N trainer:N"
	// manageMembers: the group's facilitators and the site's organisers,
	// never admins or coordinators (ActManageMembership).
	manageMembers = "anon:L admin:N coordinator:N organiser:YN facilitator:YN member:N supervisor:N trainer:N"
	// participate: the group's members and facilitators (ActParticipate).
	participate = "anon:L admin:N coordinator:N organiser:N facilitator:YN member:YN supervisor:N trainer:N"
	// atSite: anyone signed in whose home is the group's site (joining an
	// unlisted group).
	atSite = "anon:L admin:YN coordinator:YN organiser:YN facilitator:YN member:YN supervisor:YN trainer:YN"
	// nobody: a secret link that does not exist answers 404 to everyone.
	nobody = "anon:N admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"
)

var groupForm = url.Values{"name": {"A new group"}, "kind": {"staff"}, "membership": {"closed"}, "structure": {"formal"}, "lang": {"ar"}, "status": {"active"}}

var _ = addRules(
	accessRule{Pattern: "GET /groups/{group}", Expect: viewGroup},
	accessRule{Pattern: "GET /sites/{site}/groups/new", Expect: manageSite},
	accessRule{Pattern: "POST /sites/{site}/groups", Form: groupForm, Expect: manageSite},
	accessRule{Pattern: "GET /groups/{group}/settings", Expect: manageSite},
	accessRule{Pattern: "POST /groups/{group}/settings", Form: groupForm, Expect: manageSite},
	accessRule{Pattern: "POST /groups/{group}/end", Form: url.Values{"confirm": {"1"}}, Expect: manageSite},
	accessRule{Pattern: "GET /groups/{group}/split", Expect: manageSite},
	accessRule{Pattern: "POST /groups/{group}/split", Form: url.Values{"name": {"Split"}}, Expect: manageSite},

	accessRule{Pattern: "GET /sites/{site}/venues", Expect: manageSite},
	accessRule{Pattern: "POST /sites/{site}/venues", Form: url.Values{"name": {"Room B"}}, Expect: manageSite},
	accessRule{Pattern: "POST /sites/{site}/venues/{venue}", Form: url.Values{"name": {"Room A"}}, Expect: manageSite},
	accessRule{Pattern: "GET /sites/{site}/agendas", Expect: manageSite},
	accessRule{Pattern: "POST /sites/{site}/agendas", Form: url.Values{"name": {"Mine"}, "seg_kind": {"welcome"}, "seg_name": {"Hello"}, "seg_minutes": {"10"}}, Expect: manageSite},
	accessRule{Pattern: "POST /sites/{site}/agendas/{template}", Form: url.Values{"name": {"Mine"}, "seg_kind": {"welcome"}, "seg_name": {"Hello"}, "seg_minutes": {"10"}}, Expect: manageSite},

	accessRule{Pattern: "GET /groups/{group}/ethics", Expect: viewGroup},
	accessRule{Pattern: "POST /groups/{group}/ethics", Form: url.Values{"body": {"Be kind."}}, Expect: manageMembers},
	accessRule{Pattern: "POST /groups/{group}/ethics/acknowledge", Expect: participate},

	accessRule{Pattern: "GET /groups/{group}/join", Expect: atSite},
	accessRule{Pattern: "POST /groups/{group}/join", Expect: atSite},
	accessRule{Pattern: "GET /groups/{group}/orientation", Expect: viewGroup},
	accessRule{Pattern: "GET /groups/{group}/members", Expect: manageMembers},
	accessRule{Pattern: "POST /memberships/{membership}/orientation", Expect: manageMembers},
	accessRule{Pattern: "POST /memberships/{membership}/decide", Form: url.Values{"decision": {"accept"}}, Expect: manageMembers},
	accessRule{Pattern: "POST /memberships/{membership}/leave", Expect: manageMembers},

	accessRule{Pattern: "GET /groups/{group}/me", Expect: participate},
	accessRule{Pattern: "POST /groups/{group}/me", Form: url.Values{"display_name": {"Me"}}, Expect: participate},
	accessRule{Pattern: "POST /groups/{group}/me/consent", Form: url.Values{"kind": {"contact"}, "give": {"1"}}, Expect: participate},
	accessRule{Pattern: "POST /groups/{group}/me/volunteer", Form: url.Values{"role": {"greeter"}}, Expect: participate},
	accessRule{Pattern: "POST /groups/{group}/me/leave", Form: url.Values{"on_leave": {"1"}}, Expect: participate},
	accessRule{Pattern: "POST /groups/{group}/me/quit", Form: url.Values{"confirm": {"1"}}, Expect: participate},

	accessRule{Pattern: "GET /groups/{group}/schedule", Expect: manageSite},
	accessRule{Pattern: "POST /groups/{group}/schedule", Form: url.Values{"preset": {"weekly"}, "weekday": {"2"}, "start_date": {"2026-01-01"}, "start_time": {"14:00"}, "minutes": {"90"}}, Expect: manageSite},
	accessRule{Pattern: "GET /sessions/{session}/plan", Expect: manageMembers},
	accessRule{Pattern: "POST /sessions/{session}/cancel", Form: url.Values{"reason": {"Holiday"}}, Expect: manageMembers},
	accessRule{Pattern: "POST /sessions/{session}/postpone", Form: url.Values{"reason": {"Holiday"}}, Expect: manageMembers},
	accessRule{Pattern: "POST /sessions/{session}/substitute", Form: url.Values{"role": {"greeter"}}, Expect: manageMembers},
	accessRule{Pattern: "POST /sessions/{session}/rsvp", Form: url.Values{"answer": {"apologies"}}, Expect: participate},

	accessRule{Pattern: "GET /calendar", Expect: signedIn},
	accessRule{Pattern: "POST /calendar/renew", Expect: signedIn},
	accessRule{Pattern: "GET /calendar/{token}", Expect: nobody},
)
