package web_test

import "net/url"

// Keeping everyone safe: the files of external support, support requests
// and anonymous complaints.
const (
	viewSiteFile    = "anon:L admin:Y coordinator:YN organiser:YN facilitator:YN member:YN supervisor:N trainer:N"
	manageSiteFile  = "anon:L admin:Y coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"
	manageGroupFile = "anon:L admin:N coordinator:N organiser:YN facilitator:YN member:N supervisor:N trainer:N"
	askSupport      = "anon:L admin:N coordinator:N organiser:N facilitator:YN member:YN supervisor:N trainer:N"
	readRequest     = "anon:L admin:N coordinator:N organiser:N facilitator:YN member:YN supervisor:N trainer:N"
	answerRequest   = "anon:L admin:N coordinator:N organiser:N facilitator:YN member:N supervisor:N trainer:N"
	withdrawOwn     = "anon:L admin:N coordinator:N organiser:N facilitator:N member:YN supervisor:N trainer:N"
	handleComplaint = "anon:L admin:N coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"
)

var resourceForm = url.Values{"name": {"Family doctor"}, "kind": {"gp"}, "phone": {"+962 6 555 0101"}}

var _ = addRules(

	accessRule{Pattern: "GET /sites/{site}/support", Expect: viewSiteFile},
	accessRule{Pattern: "GET /sites/{site}/support/handout", Expect: viewSiteFile},
	accessRule{Pattern: "POST /sites/{site}/support", Form: resourceForm, Expect: manageSiteFile},
	accessRule{Pattern: "POST /sites/{site}/support/{resource}", Form: resourceForm, Expect: manageSiteFile},
	accessRule{Pattern: "POST /sites/{site}/support/{resource}/delete", Expect: manageSiteFile},
	accessRule{Pattern: "GET /groups/{group}/support", Expect: viewGroup},
	accessRule{Pattern: "GET /groups/{group}/support/handout", Expect: viewGroup},
	accessRule{Pattern: "POST /groups/{group}/support", Form: resourceForm, Expect: manageGroupFile},
	accessRule{Pattern: "POST /groups/{group}/support/{group_resource}", Form: resourceForm, Expect: manageGroupFile},
	accessRule{Pattern: "POST /groups/{group}/support/{group_resource}/delete", Expect: manageGroupFile},

	accessRule{Pattern: "GET /support/requests", Expect: signedIn},
	accessRule{Pattern: "GET /support/requests/new", Expect: signedIn},
	accessRule{Pattern: "POST /support/requests", Form: url.Values{"to": {"g:{group}"}, "contact_channel": {"in_person"}}, Expect: askSupport},
	accessRule{Pattern: "GET /support/requests/{request}", Expect: readRequest},
	accessRule{Pattern: "POST /support/requests/{request}", Form: url.Values{"op": {"take"}}, Expect: answerRequest},
	accessRule{Pattern: "POST /support/requests/{request}/withdraw", Expect: withdrawOwn},

	accessRule{Pattern: "GET /complaints/new", Expect: everyone},
	accessRule{Pattern: "POST /complaints/new", Form: url.Values{"about": {"programme"}, "text": {"Meetings are always in work hours."}}, Expect: everyone},
	accessRule{Pattern: "GET /complaints/filed", Expect: everyone},
	accessRule{Pattern: "GET /complaints/track", Expect: everyone},
	accessRule{Pattern: "POST /complaints/track", Form: url.Values{"code": {"AAAA-BBBB-CCCC-DDDD"}}, Expect: everyone},
	accessRule{Pattern: "GET /complaints", Expect: signedIn},
	accessRule{Pattern: "GET /complaints/{complaint}", Expect: handleComplaint},
	accessRule{Pattern: "POST /complaints/{complaint}", Form: url.Values{"note": {"Thank you, we are looking at it."}}, Expect: handleComplaint},
)
