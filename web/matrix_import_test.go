package web_test

import (
	"context"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// Importing a programme: only administrators see the page, take its
// templates and upload files; a kept file is imported only by the person
// who uploaded it (the "out" half's file is someone else's).
var _ = addRules(
	accessRule{Pattern: "GET /admin/import", Expect: adminOnly},
	accessRule{Pattern: "GET /admin/import/template/{kind}", Path: "/admin/import/template/groups?lang=ar&format=xlsx", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/import", Expect: adminOnly},
	accessRule{Pattern: "POST /admin/import/{upload}/run", Expect: "anon:L admin:YN coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"},
)

// The import fixture: a kept file in each half, the admin's and another
// person's.
var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		for _, half := range []struct {
			ids    map[string]int64
			person int64
		}{{f.In, f.People["admin"].ID}, {f.Out, f.Out["person"]}} {
			u := &peercircle.ImportUpload{PersonID: half.person, Kind: "memberships", Name: "m.csv", Data: []byte("Group key,Person key,Role\n")}
			if err := s.SaveUpload(ctx, u); err != nil {
				return err
			}
			half.ids["upload"] = u.ID
		}
		return nil
	})
	return true
}()
