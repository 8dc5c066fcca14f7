package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func orgRec(row int, typ, key, name, parent, zone string) peercircle.OrgRecord {
	return peercircle.OrgRecord{Row: row, Type: typ, Key: key, Name: name, Parent: parent, TimeZone: zone}
}

func TestImportOrg(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clean := []peercircle.OrgRecord{
			orgRec(2, "site", "S1", "Nuzha Health Centre", "A1", ""), // before its area: order does not matter
			orgRec(3, "region", "R1", "Amman", "", "Asia/Amman"),
			orgRec(4, "area", "A1", "Amman East", "R1", ""),
			orgRec(5, "site", "S2", "Marka Health Centre", "A1", ""),
		}
		count := func() string {
			tr, err := s.Tree(ctx)
			must(t, err)
			return fmt.Sprintf("%d/%d/%d", len(tr.Regions), len(tr.Areas), len(tr.Sites))
		}
		t.Run("a dry run checks every row and writes nothing", func(t *testing.T) {
			res, err := s.ImportOrg(ctx, clean, peercircle.ImportOptions{DryRun: true})
			must(t, err)
			if res.Written || len(res.Errors) != 0 || res.Created["site"] != 2 || count() != "0/0/0" {
				t.Fatalf("result %+v, tree %s", res, count())
			}
		})
		bad := append(append([]peercircle.OrgRecord{}, clean...),
			orgRec(6, "site", "S3", "Lost clinic", "A9", ""),
			orgRec(7, "site", "S1", "Twice", "A1", ""),
			orgRec(8, "region", "R2", "Zarqa", "", "Mars/Olympus"),
			orgRec(9, "?planet", "P1", "Mars", "", ""),
		)
		t.Run("errors are listed per row and column, and stop the file", func(t *testing.T) {
			res, err := s.ImportOrg(ctx, bad, peercircle.ImportOptions{})
			must(t, err)
			got := ""
			for _, e := range res.Errors {
				got += fmt.Sprintf("%d:%s:%s ", e.Row, e.Column, e.Key)
			}
			if got != "7:key:import.error.duplicate_key 9:type:import.error.type 8:time_zone:error.time_zone 6:parent:import.error.parent " || res.Written || count() != "0/0/0" {
				t.Fatalf("errors %q written %v tree %s", got, res.Written, count())
			}
		})
		t.Run("the clean rows are imported on choice, in one transaction", func(t *testing.T) {
			res, err := s.ImportOrg(ctx, bad, peercircle.ImportOptions{CleanRows: true})
			must(t, err)
			if !res.Written || len(res.Errors) != 4 || count() != "1/1/2" {
				t.Fatalf("result %+v tree %s", res, count())
			}
			tr, _ := s.Tree(ctx)
			if tr.Sites[0].TimeZone != "Asia/Amman" || tr.Sites[0].Kind != peercircle.SiteHealthCentre {
				t.Fatalf("site %+v", tr.Sites[0])
			}
		})
		t.Run("the same file again changes nothing; a renamed row updates its record", func(t *testing.T) {
			res, err := s.ImportOrg(ctx, clean, peercircle.ImportOptions{})
			must(t, err)
			if res.Unchanged["region"] != 1 || res.Unchanged["area"] != 1 || res.Unchanged["site"] != 2 || len(res.Created) != 0 || count() != "1/1/2" {
				t.Fatalf("result %+v tree %s", res, count())
			}
			renamed := append([]peercircle.OrgRecord{}, clean...)
			renamed[3].Name = "Marka Comprehensive Health Centre"
			res, err = s.ImportOrg(ctx, renamed, peercircle.ImportOptions{})
			must(t, err)
			tr, _ := s.Tree(ctx)
			if res.Updated["site"] != 1 || count() != "1/1/2" || tr.Sites[0].Name != "Marka Comprehensive Health Centre" {
				t.Fatalf("result %+v sites %+v", res, tr.Sites)
			}
		})
	})
}
