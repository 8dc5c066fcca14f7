package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func TestBulkInsertsManyRowsAcrossStatementsAndIDsContinueAfterThem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		const n = 1234 // more than two full statements and a partial one
		var added int64
		err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
			regions := tx.Bulk("regions", "id", "name", "time_zone")
			areas := tx.Bulk("areas", "id", "region_id", "name")
			// Areas refer to regions: send the regions before each batch.
			areas.Before = regions.Flush
			for i := int64(1); i <= n; i++ {
				if err := regions.Add(i, fmt.Sprintf("Region %d", i), "Asia/Amman"); err != nil {
					return err
				}
				if err := areas.Add(i, i, fmt.Sprintf("Area %d", i)); err != nil {
					return err
				}
			}
			if err := regions.Close(); err != nil {
				return err
			}
			added = regions.Added()
			return areas.Close()
		})
		if err != nil {
			t.Fatal(err)
		}
		if added != n {
			t.Errorf("Added() = %d, want %d", added, n)
		}
		tree, err := s.Tree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(tree.Regions) != n || len(tree.Areas) != n {
			t.Fatalf("%d regions and %d areas, want %d each", len(tree.Regions), len(tree.Areas), n)
		}
		if err := s.DB.SyncIDs(ctx, "regions", "areas"); err != nil {
			t.Fatal(err)
		}
		r := &peercircle.Region{Name: "After the bulk", TimeZone: "Asia/Amman"}
		if err := s.CreateRegion(ctx, r); err != nil {
			t.Fatalf("an insert after the bulk: %v", err)
		}
		if r.ID != n+1 {
			t.Errorf("the next region got id %d, want %d", r.ID, n+1)
		}
	})
}

func TestBulkRefusesARowOfTheWrongWidth(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	err := s.DB.Write(context.Background(), func(tx *sqlstore.Tx) error {
		return tx.Bulk("regions", "id", "name", "time_zone").Add(int64(1), "only two")
	})
	if err == nil {
		t.Fatal("a row with two values for three columns was accepted")
	}
}

func TestBulkConvertsTimes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		when := time.Date(2024, 3, 1, 8, 30, 0, 0, time.FixedZone("Amman", 3*3600))
		err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
			b := tx.Bulk("settings", "key", "value")
			if err := b.Add("k", "v"); err != nil {
				return err
			}
			if err := b.Close(); err != nil {
				return err
			}
			r := tx.Bulk("regions", "id", "name", "time_zone")
			a := tx.Bulk("areas", "id", "region_id", "name")
			st := tx.Bulk("sites", "id", "area_id", "name", "kind", "time_zone", "joined_programme")
			if err := r.Add(int64(1), "R", "UTC"); err != nil {
				return err
			}
			if err := a.Add(int64(1), int64(1), "A"); err != nil {
				return err
			}
			if err := st.Add(int64(1), int64(1), "S", peercircle.SiteHealthCentre, "UTC", when); err != nil {
				return err
			}
			for _, w := range []*sqlstore.Bulk{r, a, st} {
				if err := w.Close(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		site, err := s.Site(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if site.JoinedProgramme == nil || !site.JoinedProgramme.Equal(when) {
			t.Errorf("joined %v, want %v", site.JoinedProgramme, when)
		}
	})
}
