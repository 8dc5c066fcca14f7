package sqlstore_test

import (
	"context"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// The organisation tree is kept between requests; every change to it, by
// this instance or another one on the same database, is seen at once.
func TestTheTreeSeesEveryChangeFromEveryInstance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, a *sqlstore.Store) {
		ctx := context.Background()
		b := sqlstore.New(a.DB, a.Keys) // a second instance on the same database
		names := func(s *sqlstore.Store) (regions, areas, sites []string, org string) {
			t.Helper()
			tr, err := s.Tree(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tr.Regions {
				regions = append(regions, r.Name)
			}
			for _, x := range tr.Areas {
				areas = append(areas, x.Name)
			}
			for _, x := range tr.Sites {
				sites = append(sites, x.Name)
			}
			return regions, areas, sites, tr.Organisation.Name
		}
		step := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		both := func(what string, check func(regions, areas, sites []string, org string) bool) {
			t.Helper()
			for i, s := range []*sqlstore.Store{a, b} {
				if r, ar, st, o := names(s); !check(r, ar, st, o) {
					t.Errorf("after %s, instance %d sees regions %v, areas %v, sites %v, organisation %q", what, i+1, r, ar, st, o)
				}
			}
		}
		names(a) // both read (and keep) the empty tree first
		names(b)

		step("organisation", a.UpdateOrganisation(ctx, &peercircle.Organisation{Name: "Programme", QuarterStartMonth: 1}))
		both("naming the organisation", func(_, _, _ []string, o string) bool { return o == "Programme" })
		r := &peercircle.Region{Name: "North", TimeZone: "Asia/Amman"}
		step("region", b.CreateRegion(ctx, r))
		both("adding a region", func(rs, _, _ []string, _ string) bool { return len(rs) == 1 && rs[0] == "North" })
		r.Name = "North and East"
		step("rename region", a.UpdateRegion(ctx, r))
		both("renaming the region", func(rs, _, _ []string, _ string) bool { return len(rs) == 1 && rs[0] == "North and East" })
		ar := &peercircle.Area{RegionID: r.ID, Name: "Irbid"}
		step("area", a.CreateArea(ctx, ar))
		ar.Name = "Irbid and Ramtha"
		step("rename area", b.UpdateArea(ctx, ar))
		both("adding and renaming an area", func(_, as, _ []string, _ string) bool { return len(as) == 1 && as[0] == "Irbid and Ramtha" })
		st := &peercircle.Site{AreaID: ar.ID, Name: "Al-Hashmi Health Centre", Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
		step("site", b.CreateSite(ctx, st))
		st.Name = "Al-Hashmi Comprehensive Health Centre"
		step("rename site", a.UpdateSite(ctx, st))
		both("adding and renaming a site", func(_, _, ss []string, _ string) bool {
			return len(ss) == 1 && ss[0] == "Al-Hashmi Comprehensive Health Centre"
		})
		step("delete site", b.DeleteSite(ctx, st.ID))
		step("delete area", a.DeleteArea(ctx, ar.ID))
		step("delete region", b.DeleteRegion(ctx, r.ID))
		both("deleting the site, the area and the region", func(rs, as, ss []string, _ string) bool { return len(rs)+len(as)+len(ss) == 0 })

		// Every caller gets the same tree until it changes (callers must
		// not change it: web's TestAccessMatrix checks every page).
		step("region again", a.CreateRegion(ctx, &peercircle.Region{Name: "South", TimeZone: "Asia/Amman"}))
		tr, err := a.Tree(ctx)
		step("tree", err)
		again, err := a.Tree(ctx)
		step("tree again", err)
		if again != tr {
			t.Error("an unchanged tree was read again or copied")
		}
		both("a region added", func(rs, _, _ []string, _ string) bool { return len(rs) == 1 && rs[0] == "South" })

		// Writes that bypass the store's methods bump the version themselves.
		step("raw write", a.DB.Write(ctx, func(tx *sqlstore.Tx) error {
			if _, err := tx.Exec("UPDATE regions SET name = ?", "South (renamed directly)"); err != nil {
				return err
			}
			return sqlstore.BumpTreeVersion(tx)
		}))
		both("a direct write with a bump", func(rs, _, _ []string, _ string) bool { return len(rs) == 1 && rs[0] == "South (renamed directly)" })
	})
}
