package peercircle_test

import (
	"testing"

	"github.com/peercircle/peercircle"
)

func TestGrowWorksheetValidate(t *testing.T) {
	ok := func() *peercircle.GrowWorksheet {
		return &peercircle.GrowWorksheet{OwnerID: 1, Goal: " Say no to extra shifts ",
			Options:    []peercircle.GrowOption{{Text: "Ask the nurse in charge", Score: 7}, {}},
			Actions:    []peercircle.GrowAction{{Text: "Talk to her on Monday", Due: "2026-03-09"}, {}},
			Commitment: 8}
	}
	w := ok()
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	if w.Goal != "Say no to extra shifts" || len(w.Options) != 1 || len(w.Actions) != 1 {
		t.Errorf("not trimmed: %+v", w)
	}
	for name, c := range map[string]struct {
		change func(*peercircle.GrowWorksheet)
		field  string
		key    string
	}{
		"no goal":                {func(w *peercircle.GrowWorksheet) { w.Goal = "  " }, "goal", "error.required"},
		"a score of 0":           {func(w *peercircle.GrowWorksheet) { w.Options[0].Score = 0 }, "option0", "growth.error.score"},
		"a score of 11":          {func(w *peercircle.GrowWorksheet) { w.Options[0].Score = 11 }, "option0", "growth.error.score"},
		"a score without a text": {func(w *peercircle.GrowWorksheet) { w.Options[1] = peercircle.GrowOption{Score: 4} }, "option1", "growth.error.option_text"},
		"a commitment of 11":     {func(w *peercircle.GrowWorksheet) { w.Commitment = 11 }, "commitment", "growth.error.score"},
		"a date that is not one": {func(w *peercircle.GrowWorksheet) { w.Actions[0].Due = "next week" }, "action0", "error.date"},
		"a date without action":  {func(w *peercircle.GrowWorksheet) { w.Actions[1].Due = "2026-03-10" }, "action1", "growth.error.action_text"},
	} {
		t.Run(name, func(t *testing.T) {
			w := ok()
			c.change(w)
			if got := peercircle.ErrorFields(w.Validate())[c.field]; got != c.key {
				t.Errorf("field %s: got %q, want %q", c.field, got, c.key)
			}
		})
	}
}

func TestGrowthPolicy(t *testing.T) {
	site := peercircle.Scope{RegionID: 1, AreaID: 2, SiteID: 3}
	owner := &peercircle.Principal{PersonID: 10}
	sup := &peercircle.Principal{PersonID: 20, Grants: []peercircle.Grant{{Role: peercircle.RoleSupervisor, ScopeKind: peercircle.ScopeRegion, ScopeID: 1}}}
	farSup := &peercircle.Principal{PersonID: 21, Grants: []peercircle.Grant{{Role: peercircle.RoleSupervisor, ScopeKind: peercircle.ScopeRegion, ScopeID: 9}}}
	admin := &peercircle.Principal{PersonID: 30, Grants: []peercircle.Grant{{Role: peercircle.RoleAdmin, ScopeKind: peercircle.ScopeOrganisation}}}
	coord := &peercircle.Principal{PersonID: 31, Grants: []peercircle.Grant{{Role: peercircle.RoleCoordinator, ScopeKind: peercircle.ScopeArea, ScopeID: 2}}}
	trainer := &peercircle.Principal{PersonID: 32, Grants: []peercircle.Grant{{Role: peercircle.RoleTrainer, ScopeKind: peercircle.ScopeSite, ScopeID: 3}}}
	private := site
	private.PersonID = 10
	shared := private
	shared.Readers = []int64{20}
	sharedFar := private
	sharedFar.Readers = []int64{21}
	for _, c := range []struct {
		name string
		p    *peercircle.Principal
		a    peercircle.Action
		s    peercircle.Scope
		want bool
	}{
		{"the owner reads a private worksheet", owner, peercircle.ActReadWorksheet, private, true},
		{"a supervisor in scope cannot read an unshared worksheet", sup, peercircle.ActReadWorksheet, private, false},
		{"a supervisor in scope reads a worksheet shared with them", sup, peercircle.ActReadWorksheet, shared, true},
		{"a supervisor named but out of scope cannot read it", farSup, peercircle.ActReadWorksheet, sharedFar, false},
		{"an admin never reads a worksheet", admin, peercircle.ActReadWorksheet, shared, false},
		{"a coordinator never reads a worksheet", coord, peercircle.ActReadWorksheet, shared, false},
		{"a supervisor records supervision in scope", sup, peercircle.ActRecordSupervision, private, true},
		{"out of scope they do not", farSup, peercircle.ActRecordSupervision, private, false},
		{"nobody supervises themselves", sup, peercircle.ActRecordSupervision, peercircle.Scope{RegionID: 1, AreaID: 2, SiteID: 3, PersonID: 20}, false},
		{"the supervisee reads the notes", owner, peercircle.ActReadSupervision, shared, true},
		{"the supervisor who wrote them reads them", sup, peercircle.ActReadSupervision, shared, true},
		{"another supervisor in scope does not", sup, peercircle.ActReadSupervision, sharedFar, false},
		{"an admin does not", admin, peercircle.ActReadSupervision, shared, false},
		{"a trainer in scope sees the competency profile", trainer, peercircle.ActViewCompetencies, private, true},
		{"a coordinator does not", coord, peercircle.ActViewCompetencies, private, false},
		{"a supervisor reviews in scope", sup, peercircle.ActReviewAssessment, private, true},
	} {
		if got := peercircle.Can(c.p, c.a, c.s); got != c.want {
			t.Errorf("%s: got %v", c.name, got)
		}
	}
}
