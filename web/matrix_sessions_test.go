package web_test

import "net/url"

// The sessions area: who may see a meeting, run it, propose for it, give
// feedback on it and read or review its summary.
const (
	viewGroup   = "anon:L admin:Y coordinator:YN organiser:YN facilitator:YN member:YN supervisor:N trainer:N"
	participate = "anon:L admin:N coordinator:N organiser:N facilitator:YN member:YN supervisor:N trainer:N"
	runSession  = "anon:L admin:N coordinator:N organiser:YN facilitator:YN member:N supervisor:N trainer:N"
	viewSummary = "anon:L admin:Y coordinator:YN organiser:YN facilitator:YN member:N supervisor:N trainer:N"
	review      = "anon:L admin:N coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"
	badToken    = "anon:N admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"
)

var _ = addRules(
	accessRule{Pattern: "GET /sessions/{session}", Expect: viewGroup},
	accessRule{Pattern: "POST /sessions/{session}/agenda", Form: url.Values{"kind": {"topic"}, "title": {"Sleep and shifts"}}, Expect: participate},
	accessRule{Pattern: "POST /sessions/{session}/agenda/{item}", Form: url.Values{"op": {"down"}}, Expect: runSession},
	accessRule{Pattern: "POST /sessions/{session}/here", Expect: participate},
	accessRule{Pattern: "POST /sessions/{session}/feeling", Form: url.Values{"feeling": {"calm"}}, Expect: participate},
	accessRule{Pattern: "GET /suggest", Expect: signedIn},

	accessRule{Pattern: "GET /sessions/{session}/live", Expect: runSession},
	accessRule{Pattern: "POST /sessions/{session}/live", Form: url.Values{"op": {"reminder"}}, Expect: runSession},
	accessRule{Pattern: "POST /sessions/{session}/live/checkin", Form: url.Values{"op": {"shuffle"}}, Expect: runSession},
	accessRule{Pattern: "POST /sessions/{session}/live/attendance", Form: url.Values{"op": {"add"}, "guest_name": {"Area nurse"}, "guest_kind": {"guest"}}, Expect: runSession},
	accessRule{Pattern: "POST /sessions/{session}/live/feelings", Form: url.Values{"feeling": {"tired"}}, Expect: runSession},
	accessRule{Pattern: "GET /sessions/{session}/live.json", Expect: "anon:L admin:N coordinator:N organiser:YN facilitator:YN member:YN supervisor:N trainer:N"},

	accessRule{Pattern: "POST /sessions/{session}/feedback", Form: url.Values{"op": {"close"}}, Expect: runSession},
	accessRule{Pattern: "GET /sessions/{session}/feedback", Expect: viewSummary},
	accessRule{Pattern: "GET /sessions/{session}/feedback/code", Expect: runSession},
	accessRule{Pattern: "POST /sessions/{session}/feedback/claim", Expect: participate},
	accessRule{Pattern: "GET /feedback/{session}/{token}", Expect: badToken},
	accessRule{Pattern: "POST /feedback/{session}/{token}", Form: url.Values{"rating_safe": {"5"}}, Expect: badToken},

	accessRule{Pattern: "GET /sessions/{session}/summary", Expect: viewSummary},
	accessRule{Pattern: "GET /sessions/{session}/summary/edit", Expect: runSession},
	accessRule{Pattern: "POST /sessions/{session}/summary", Form: url.Values{"op": {"save"}, "topic": {"Sleep"}}, Expect: runSession},
	accessRule{Pattern: "POST /sessions/{session}/summary/review", Form: url.Values{"decision": {"accept"}}, Expect: review},
	accessRule{Pattern: "GET /summaries", Expect: signedIn},
	accessRule{Pattern: "GET /summaries.csv", Expect: signedIn},
)
