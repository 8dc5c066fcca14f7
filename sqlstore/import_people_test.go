package sqlstore_test

import (
	"context"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// Importing people on both backends: sites by the organisation file's
// keys, a dry run that writes nothing, row errors that stop the file unless
// clean rows are asked for, the same file twice changing nothing, and an
// account in use keeping its sign-in identity.
func TestImportPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		org := []peercircle.OrgRecord{
			{Row: 2, Type: peercircle.ImportRegion, Key: "R-1", Name: "Centre", TimeZone: "Asia/Amman"},
			{Row: 3, Type: peercircle.ImportArea, Key: "A-1", Name: "East", Parent: "R-1"},
			{Row: 4, Type: peercircle.ImportSite, Key: "S-1", Name: "Nuzha HC", Parent: "A-1"},
		}
		if res, err := s.ImportOrg(ctx, org, peercircle.ImportOptions{}); err != nil || !res.Written {
			t.Fatalf("org: %+v %v", res, err)
		}
		recs := []peercircle.PersonRecord{
			{Row: 2, Key: "N-1", FullName: "Huda Saleh", DisplayName: "Huda", Email: "huda@example.org", Site: "S-1", Lang: "ar"},
			{Row: 3, Key: "N-2", FullName: "Sami Odeh", Site: "S-1"},
			{Row: 4, Key: "N-3", FullName: "Nowhere Person", Site: "S-9"},
			{Row: 5, Key: "N-2", FullName: "Twice", Site: "S-1"},
			{Row: 6, Key: "N-4", FullName: "Bad Mail", Email: "not an address", Site: "S-1"},
		}
		res, err := s.ImportPeople(ctx, recs, peercircle.ImportOptions{})
		if err != nil || res.Written || len(res.Errors) != 3 {
			t.Fatalf("a file with errors: %+v %v", res, err)
		}
		if _, err := s.PersonByLogin(ctx, "huda@example.org"); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Fatal("a file with errors wrote someone")
		}
		res, err = s.ImportPeople(ctx, recs, peercircle.ImportOptions{CleanRows: true})
		if err != nil || !res.Written || res.Created[peercircle.ImportPerson] != 2 {
			t.Fatalf("clean rows: %+v %v", res, err)
		}
		huda, err := s.PersonByLogin(ctx, "huda@example.org")
		if err != nil || huda.Status != peercircle.PersonInvited || huda.Lang != "ar" || huda.HomeSiteID == 0 {
			t.Fatalf("huda %+v %v", huda, err)
		}
		res, _ = s.ImportPeople(ctx, recs[:2], peercircle.ImportOptions{})
		if res.Unchanged[peercircle.ImportPerson] != 2 || res.Created[peercircle.ImportPerson] != 0 {
			t.Fatalf("the same rows again: %+v", res)
		}
		// Huda signs in; a later file cannot change her e-mail, only her names.
		must(t, s.SetPassword(ctx, huda.ID, "a calm evening walk"))
		changed := []peercircle.PersonRecord{{Row: 2, Key: "N-1", FullName: "Huda Saleh", DisplayName: "Huda S.", Email: "other@example.org", Site: "S-1", Lang: "ar"}}
		res, _ = s.ImportPeople(ctx, changed, peercircle.ImportOptions{})
		if len(res.Errors) != 1 || res.Errors[0].Key != "import.error.identity" || res.Written {
			t.Fatalf("changing an account's e-mail: %+v", res)
		}
		changed[0].Email = "huda@example.org"
		res, _ = s.ImportPeople(ctx, changed, peercircle.ImportOptions{})
		if res.Updated[peercircle.ImportPerson] != 1 || !res.Written {
			t.Fatalf("changing her name in groups: %+v", res)
		}
	})
}
