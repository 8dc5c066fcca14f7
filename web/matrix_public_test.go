package web_test

import "net/url"

// The public meeting finder: everyone reaches a listed group ({listed} in
// the fixture's "in" half) and nobody reaches an unlisted one (the "out"
// half's {listed} is its unlisted group), signed in or not.
const listedOnly = "anon:YN admin:YN coordinator:YN organiser:YN facilitator:YN member:YN supervisor:YN trainer:YN"

var _ = addRules(
	accessRule{Pattern: "GET /find", Expect: everyone},
	accessRule{Pattern: "GET /find/meetings.json", Expect: everyone},
	accessRule{Pattern: "GET /find/{listed}", Expect: listedOnly},
	accessRule{Pattern: "GET /find/{listed}/calendar.ics", Expect: listedOnly},
	accessRule{Pattern: "GET /find/{listed}/flyer", Expect: listedOnly},
	accessRule{Pattern: "GET /find/{listed}/flyer.pdf", Expect: listedOnly},
	accessRule{Pattern: "GET /find/{listed}/contact", Expect: listedOnly},
	accessRule{Pattern: "POST /find/{listed}/contact", Form: url.Values{"text": {"When do you meet?"}}, Expect: listedOnly},
	accessRule{Pattern: "GET /find/{listed}/join", Expect: listedOnly},
	accessRule{Pattern: "POST /find/{listed}/join", Form: url.Values{"name": {"Rana"}}, Expect: listedOnly},
	accessRule{Pattern: "GET /groups/{group}/messages", Expect: groupManagers},
)
