package web_test

import "net/url"

// Growing people: GROW worksheets, supervision, competencies. Worksheets
// and supervision notes are private: no admin, coordinator or organiser
// row says Y.
const (
	ownWorksheet     = "anon:L admin:N coordinator:N organiser:N facilitator:N member:YN supervisor:N trainer:N"
	readWorksheet    = "anon:L admin:N coordinator:N organiser:N facilitator:N member:YN supervisor:YN trainer:N"
	recordForm       = "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:Y trainer:N"
	recordInScope    = "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:YN trainer:N"
	readSupervision  = "anon:L admin:N coordinator:N organiser:N facilitator:YN member:N supervisor:YN trainer:N"
	viewCompetencies = "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:YN trainer:YN"
	manageBuddies    = "anon:L admin:Y coordinator:N organiser:YN facilitator:N member:N supervisor:N trainer:N"
	trainForm        = "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:Y"
	trainInScope     = "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:YN"
)

var worksheetForm = url.Values{"goal": {"Take my breaks"}, "option_text": {"Set an alarm"}, "option_score": {"6"}, "commitment": {"7"}}

var _ = addRules(
	accessRule{Pattern: "GET /growth", Expect: signedIn},
	accessRule{Pattern: "GET /growth/worksheets/new", Expect: signedIn},
	accessRule{Pattern: "POST /growth/worksheets", Form: worksheetForm, Expect: signedIn},
	accessRule{Pattern: "GET /growth/worksheets/{worksheet}", Expect: readWorksheet},
	accessRule{Pattern: "GET /growth/worksheets/{worksheet}/edit", Expect: ownWorksheet},
	accessRule{Pattern: "POST /growth/worksheets/{worksheet}", Form: worksheetForm, Expect: ownWorksheet},
	accessRule{Pattern: "POST /growth/worksheets/{worksheet}/share", Form: url.Values{"supervisor": {""}}, Expect: ownWorksheet},
	accessRule{Pattern: "POST /growth/worksheets/{worksheet}/delete", Expect: ownWorksheet},

	accessRule{Pattern: "GET /growth/supervision/new", Expect: recordForm},
	accessRule{Pattern: "POST /growth/supervision", Form: url.Values{"supervisee": {"{person}"}, "held_on": {"2026-01-20"}, "task_notes": {"Went through the rota"}}, Expect: recordInScope},
	accessRule{Pattern: "GET /growth/supervision/{supervision}", Expect: readSupervision},

	accessRule{Pattern: "GET /growth/competencies", Expect: signedIn},
	accessRule{Pattern: "POST /growth/competencies", Expect: signedIn},
	accessRule{Pattern: "GET /growth/people/{person}/competencies", Expect: viewCompetencies},
	accessRule{Pattern: "POST /growth/assessments/{assessment}/review", Form: url.Values{"review": {"Good start."}}, Expect: recordInScope},

	accessRule{Pattern: "GET /sites/{site}/buddies", Expect: manageBuddies},
	accessRule{Pattern: "POST /sites/{site}/buddies", Form: url.Values{"starts_on": {"2026-01-01"}, "ends_on": {"2026-03-01"}}, Expect: manageBuddies},
	accessRule{Pattern: "POST /sites/{site}/buddies/{buddy}/end", Expect: manageBuddies},

	accessRule{Pattern: "GET /growth/training", Expect: trainForm},
	accessRule{Pattern: "POST /growth/training", Form: url.Values{"site": {"{site}"}, "name": {"Refresher"}, "starts_on": {"2026-02-01"}}, Expect: trainInScope},
	accessRule{Pattern: "GET /growth/training/{course}", Expect: trainInScope},
	accessRule{Pattern: "POST /growth/training/{course}/completions", Form: url.Values{"person": {"{person}"}, "completed_on": {"2026-02-20"}}, Expect: trainInScope},
)
