package web_test

import "net/url"

var _ = addRules(
	accessRule{Pattern: "GET /static/", Path: "/static/app.css", Expect: everyone},
	accessRule{Pattern: "GET /healthz", Expect: everyone},
	accessRule{Pattern: "GET /readyz", Expect: everyone},
	accessRule{Pattern: "GET /signin", Expect: everyone},
	accessRule{Pattern: "POST /signin", Expect: everyone},
	accessRule{Pattern: "POST /signout", Expect: everyone},
	accessRule{Pattern: "GET /invite/{token}", Expect: everyone},
	accessRule{Pattern: "POST /invite/{token}", Expect: everyone},
	accessRule{Pattern: "GET /reset", Expect: everyone},
	accessRule{Pattern: "POST /reset", Expect: everyone},
	accessRule{Pattern: "GET /reset/{token}", Expect: everyone},
	accessRule{Pattern: "POST /reset/{token}", Expect: everyone},
	accessRule{Pattern: "POST /language", Form: url.Values{"lang": {"ar"}}, Expect: everyone},
	accessRule{Pattern: "GET /support", Expect: everyone},

	accessRule{Pattern: "GET /{$}", Expect: signedIn},
	accessRule{Pattern: "GET /groups", Expect: signedIn},
	accessRule{Pattern: "GET /notifications", Expect: signedIn},
	accessRule{Pattern: "POST /notifications/read", Expect: signedIn},
	accessRule{Pattern: "GET /profile", Expect: signedIn},
	accessRule{Pattern: "POST /profile", Form: url.Values{"display_name": {"Me"}}, Expect: signedIn},
	accessRule{Pattern: "POST /profile/messages", Form: url.Values{"default": {"email"}}, Expect: signedIn},

	accessRule{Pattern: "GET /admin/org", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/org", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/regions", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/regions/{region}", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/regions/{region}/delete", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/areas", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/areas/{area}", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/areas/{area}/delete", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/sites", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/sites/{site}", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/sites/{site}/delete", Expect: adminOnly},

	accessRule{Pattern: "GET /sites", Expect: signedIn},
	accessRule{Pattern: "GET /sites/{site}", Expect: "anon:L admin:Y coordinator:YN organiser:YN facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "GET /areas", Expect: signedIn},
	accessRule{Pattern: "GET /areas/{area}", Expect: "anon:L admin:Y coordinator:YN organiser:N facilitator:N member:N supervisor:N trainer:N"},

	accessRule{Pattern: "GET /people", Expect: "anon:L admin:Y coordinator:N organiser:Y facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "POST /people", Form: url.Values{"site": {"{site}"}}, Expect: "anon:L admin:Y coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "GET /people/{person}", Expect: "anon:L admin:Y coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "POST /people/{person}", Expect: "anon:L admin:Y coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "POST /people/{person}/messages", Form: url.Values{"phone": {"+962795550199"}, "channel": {"email"}}, Expect: "anon:L admin:Y coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "POST /people/{person}/invite", Expect: "anon:L admin:Y coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "POST /people/{person}/grants", Expect: adminOnly},
	accessRule{Pattern: "POST /people/{person}/grants/{grant}/delete", Expect: adminOnly},
)
