package web_test

import "net/url"

// The rota's explicit acts: the group's members act on their own turns,
// the one asked answers a swap, organisers and facilitators put members on
// the rota.
var _ = addRules(
	accessRule{Pattern: "GET /sessions/{session}/turn", Expect: groupParticipants},
	accessRule{Pattern: "POST /sessions/{session}/apologies", Form: url.Values{"substitute": {"0"}}, Expect: groupParticipants},
	accessRule{Pattern: "POST /sessions/{session}/swap", Form: url.Values{"with": {"0:0"}}, Expect: groupParticipants},
	// Only the member asked may answer (the facilitator proposed it).
	accessRule{Pattern: "POST /swaps/{swap}/answer", Form: url.Values{"answer": {"decline"}},
		Expect: "anon:L admin:N coordinator:N organiser:N facilitator:N member:YN supervisor:N trainer:N"},
	accessRule{Pattern: "POST /groups/{group}/rota", Form: url.Values{"person": {"{person}"}, "role": {"greeter"}}, Expect: groupManagers},
)
