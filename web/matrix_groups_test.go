package web_test

import "net/url"

// Who may do what in the groups area (see peercircle.Can).
const (
	// siteManagers: the site's organisers and admins (ActManageSite,
	// ActManageGroup).
	siteManagers = "anon:L admin:Y coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"
	// groupViewers: members, facilitators, organisers, coordinators above,
	// admins (ActViewGroup).
	groupViewers = "anon:L admin:Y coordinator:YN organiser:YN facilitator:YN member:YN supervisor:N trainer:N"
	// groupManagers: the group's facilitators and the site's organisers,
	// never admins or coordinators (ActManageMembership).
	groupManagers = "anon:L admin:N coordinator:N organiser:YN facilitator:YN member:N supervisor:N trainer:N"
	// groupParticipants: the group's members and facilitators (ActParticipate).
	groupParticipants = "anon:L admin:N coordinator:N organiser:N facilitator:YN member:YN supervisor:N trainer:N"
	// siteResidents: anyone signed in whose home is the group's site (joining an
	// unlisted group).
	siteResidents = "anon:L admin:YN coordinator:YN organiser:YN facilitator:YN member:YN supervisor:YN trainer:YN"
	// secretLink: a secret link that does not exist answers 404 to everyone.
	secretLink = "anon:N admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"
)

var groupForm = url.Values{"name": {"A new group"}, "kind": {"staff"}, "membership": {"closed"}, "structure": {"formal"}, "lang": {"ar"}, "status": {"active"}}

var _ = addRules(
	accessRule{Pattern: "GET /groups/{group}", Expect: groupViewers},
	accessRule{Pattern: "GET /sites/{site}/groups/new", Expect: siteManagers},
	accessRule{Pattern: "POST /sites/{site}/groups", Form: groupForm, Expect: siteManagers},
	accessRule{Pattern: "GET /groups/{group}/settings", Expect: siteManagers},
	accessRule{Pattern: "POST /groups/{group}/settings", Form: groupForm, Expect: siteManagers},
	accessRule{Pattern: "POST /groups/{group}/reminders", Form: url.Values{"hours": {"24, 3"}}, Expect: siteManagers},
	accessRule{Pattern: "POST /groups/{group}/end", Form: url.Values{"confirm": {"1"}}, Expect: siteManagers},
	accessRule{Pattern: "GET /groups/{group}/split", Expect: siteManagers},
	accessRule{Pattern: "POST /groups/{group}/split", Form: url.Values{"name": {"Split"}}, Expect: siteManagers},

	accessRule{Pattern: "GET /sites/{site}/venues", Expect: siteManagers},
	accessRule{Pattern: "POST /sites/{site}/venues", Form: url.Values{"name": {"Room B"}}, Expect: siteManagers},
	accessRule{Pattern: "POST /sites/{site}/venues/{venue}", Form: url.Values{"name": {"Room A"}}, Expect: siteManagers},
	accessRule{Pattern: "GET /sites/{site}/agendas", Expect: siteManagers},
	accessRule{Pattern: "POST /sites/{site}/agendas", Form: url.Values{"name": {"Mine"}, "seg_kind": {"welcome"}, "seg_name": {"Hello"}, "seg_minutes": {"10"}}, Expect: siteManagers},
	accessRule{Pattern: "POST /sites/{site}/agendas/{template}", Form: url.Values{"name": {"Mine"}, "seg_kind": {"welcome"}, "seg_name": {"Hello"}, "seg_minutes": {"10"}}, Expect: siteManagers},

	accessRule{Pattern: "GET /groups/{group}/ethics", Expect: groupViewers},
	accessRule{Pattern: "POST /groups/{group}/ethics", Form: url.Values{"body": {"Be kind."}}, Expect: groupManagers},
	accessRule{Pattern: "POST /groups/{group}/ethics/acknowledge", Expect: groupParticipants},

	accessRule{Pattern: "GET /groups/{group}/join", Expect: siteResidents},
	accessRule{Pattern: "POST /groups/{group}/join", Expect: siteResidents},
	accessRule{Pattern: "GET /groups/{group}/orientation", Expect: groupViewers},
	accessRule{Pattern: "GET /groups/{group}/members", Expect: groupManagers},
	accessRule{Pattern: "POST /groups/{group}/members/add", Form: url.Values{"full_name": {"Added Person"}}, Expect: groupManagers},
	accessRule{Pattern: "POST /memberships/{membership}/orientation", Expect: groupManagers},
	accessRule{Pattern: "POST /memberships/{membership}/decide", Form: url.Values{"decision": {"accept"}}, Expect: groupManagers},
	accessRule{Pattern: "POST /memberships/{membership}/leave", Expect: groupManagers},

	accessRule{Pattern: "GET /groups/{group}/me", Expect: groupParticipants},
	accessRule{Pattern: "POST /groups/{group}/me", Form: url.Values{"display_name": {"Me"}}, Expect: groupParticipants},
	accessRule{Pattern: "POST /groups/{group}/me/consent", Form: url.Values{"kind": {"contact"}, "give": {"1"}}, Expect: groupParticipants},
	accessRule{Pattern: "POST /groups/{group}/me/volunteer", Form: url.Values{"role": {"greeter"}}, Expect: groupParticipants},
	accessRule{Pattern: "POST /groups/{group}/me/leave", Form: url.Values{"on_leave": {"1"}}, Expect: groupParticipants},
	accessRule{Pattern: "POST /groups/{group}/me/quit", Form: url.Values{"confirm": {"1"}}, Expect: groupParticipants},

	accessRule{Pattern: "GET /groups/{group}/schedule", Expect: siteManagers},
	accessRule{Pattern: "POST /groups/{group}/schedule", Form: url.Values{"preset": {"weekly"}, "weekday": {"2"}, "start_date": {"2026-01-01"}, "start_time": {"14:00"}, "minutes": {"90"}}, Expect: siteManagers},
	accessRule{Pattern: "GET /sessions/{session}/plan", Expect: groupManagers},
	accessRule{Pattern: "POST /sessions/{session}/cancel", Form: url.Values{"reason": {"Holiday"}}, Expect: groupManagers},
	// Part 2 (issue 11): clearing the topic is allowed to those who plan.
	accessRule{Pattern: "POST /sessions/{session}/topic", Form: url.Values{"topic": {""}}, Expect: groupManagers},
	accessRule{Pattern: "GET /sites/{site}/topics", Expect: siteManagers},
	accessRule{Pattern: "POST /sites/{site}/topics", Form: url.Values{"title": {"Sleep and shift work"}}, Expect: siteManagers},
	accessRule{Pattern: "POST /sites/{site}/topics/{topic}", Form: url.Values{"title": {"Sleep and night shifts"}}, Expect: siteManagers},
	accessRule{Pattern: "POST /sessions/{session}/postpone", Form: url.Values{"reason": {"Holiday"}}, Expect: groupManagers},
	accessRule{Pattern: "POST /sessions/{session}/substitute", Form: url.Values{"role": {"greeter"}}, Expect: groupManagers},
	accessRule{Pattern: "POST /sessions/{session}/rsvp", Form: url.Values{"answer": {"apologies"}}, Expect: groupParticipants},

	accessRule{Pattern: "GET /calendar", Expect: signedIn},
	accessRule{Pattern: "POST /calendar/renew", Expect: signedIn},
	accessRule{Pattern: "GET /calendar/{token}", Expect: secretLink},
)
