package web_test

import "net/url"

const (
	viewReport   = "anon:L admin:Y coordinator:YN organiser:YN facilitator:N member:N supervisor:N trainer:N"
	submitReport = "anon:L admin:N coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"
	reviewReport = "anon:L admin:N coordinator:YN organiser:N facilitator:N member:N supervisor:N trainer:N"
	viewArea     = "anon:L admin:Y coordinator:YN organiser:N facilitator:N member:N supervisor:N trainer:N"
)

var _ = addRules(
	accessRule{Pattern: "GET /reports", Expect: signedIn},
	accessRule{Pattern: "GET /reports/organisation", Expect: adminOnly},
	accessRule{Pattern: "GET /reports/organisation/export/{format}", Path: "/reports/organisation/export/xlsx?quarter=2026Q2", Expect: adminOnly},
	accessRule{Pattern: "GET /regions/{region}", Expect: adminOnly},
	accessRule{Pattern: "GET /regions/{region}/export/{format}", Path: "/regions/{region}/export/csv?quarter=2026Q2", Expect: adminOnly},
	accessRule{Pattern: "GET /areas/{area}/export/{format}", Path: "/areas/{area}/export/csv?quarter=2026Q2", Expect: viewArea},
	accessRule{Pattern: "GET /sites/{site}/reports", Expect: viewReport},
	accessRule{Pattern: "GET /sites/{site}/reports/{quarter}", Path: "/sites/{site}/reports/2026Q2", Expect: viewReport},
	accessRule{Pattern: "GET /sites/{site}/reports/{quarter}/export/{format}", Path: "/sites/{site}/reports/2026Q2/export/csv", Expect: viewReport},
	accessRule{Pattern: "POST /sites/{site}/reports/{quarter}/submit", Path: "/sites/{site}/reports/2026Q2/submit",
		Form: url.Values{"comment": {"A calm quarter."}}, Expect: submitReport},
	accessRule{Pattern: "POST /sites/{site}/reports/{quarter}/review", Path: "/sites/{site}/reports/2026Q1/review",
		Form: url.Values{"decision": {"accept"}, "version": {"1"}}, Expect: reviewReport},
	accessRule{Pattern: "GET /admin/reports", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/reports", Form: url.Values{"k": {"3"}, "due": {"14"}, "nudge": {"5"}}, Expect: adminOnly},
)
