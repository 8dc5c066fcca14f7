package sqlstore_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// BenchmarkReports times Sheet 3 of one site and the roll-up of a region
// (with four quarters of trend lines) on generated data of one region at
// national scale: 60 sites (the national data set has 300 in 5 regions),
// two groups each, five years of meetings twice a month with attendance,
// summaries, feedback and support. PEERCIRCLE_BENCH_SITES changes the
// number of sites. The national-scale data set and its benchmark command
// belong to the performance work (issue 6); this stands in until then.
func BenchmarkReports(b *testing.B) {
	sites := 60
	if n, err := strconv.Atoi(os.Getenv("PEERCIRCLE_BENCH_SITES")); err == nil && n > 0 {
		sites = n
	}
	for _, backend := range storetest.Backends {
		b.Run(backend, func(b *testing.B) {
			s := storetest.Open(b, backend)
			clock := storetest.NewClock(reportNow)
			s.Now = clock.Now
			start := time.Now()
			w := generate(b, s, sites, 11, time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC))
			b.Logf("%s: %d sites, %d groups, %d sessions generated in %v", backend, sites, len(w.Groups), w.Sessions, time.Since(start).Round(time.Millisecond))
			ctx := context.Background()
			b.Run("sheet3-one-site", func(b *testing.B) {
				for b.Loop() {
					sh, err := s.Sheet3(ctx, w.Sites[0].ID, q1)
					if err != nil || sh.Total.Held == 0 {
						b.Fatalf("%v %+v", err, sh)
					}
				}
			})
			b.Run("region-rollup", func(b *testing.B) {
				for b.Loop() {
					ru, err := s.RollUp(ctx, peercircle.LevelRegion, w.Region.ID, q1, 4)
					if err != nil || len(ru.Sites) != sites {
						b.Fatalf("%v", err)
					}
				}
			})
			// The same roll-up counted from the raw rows every time, as
			// before figures were kept (issue 14): the ratio of the two is
			// what keeping them saves.
			raw := sqlstore.New(s.DB, s.Keys)
			raw.Now, raw.CountRaw = clock.Now, true
			b.Run("region-rollup-raw", func(b *testing.B) {
				for b.Loop() {
					if _, err := raw.RollUp(ctx, peercircle.LevelRegion, w.Region.ID, q1, 4); err != nil {
						b.Fatal(err)
					}
				}
			})
			// The incremental path: a presence recorded late at a meeting of
			// the quarter shown, then the roll-up, which counts that one group
			// again and keeps it.
			var sessionID, personID int64
			err := s.DB.QueryRow(ctx, `SELECT m.id, ms.person_id FROM sessions m JOIN memberships ms ON ms.group_id = m.group_id
				WHERE m.status = 'held' AND m.local_date >= '2027-01-01' AND m.local_date <= '2027-03-31' AND ms.status = 'active'
				AND NOT EXISTS (SELECT 1 FROM summaries su WHERE su.session_id = m.id AND su.state IN ('submitted', 'accepted'))
				ORDER BY m.id, ms.person_id LIMIT 1`).Scan(&sessionID, &personID)
			if err != nil {
				b.Fatal(err)
			}
			present := false
			b.Run("presence-then-region-rollup", func(b *testing.B) {
				for b.Loop() {
					present = !present
					if err := s.MarkPresent(ctx, sessionID, personID, present); err != nil {
						b.Fatal(err)
					}
					if _, err := s.RollUp(ctx, peercircle.LevelRegion, w.Region.ID, q1, 4); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkNationalReports times Sheet 3 and the region and organisation
// roll-ups on the national data set of issue 6, made with
// `peercircle seed --scale national --data-dir DIR`; set
// PEERCIRCLE_NATIONAL_DB=DIR/peercircle.db to run it (it only reads).
func BenchmarkNationalReports(b *testing.B) {
	path := os.Getenv("PEERCIRCLE_NATIONAL_DB")
	if path == "" {
		b.Skip("set PEERCIRCLE_NATIONAL_DB to a national data set (peercircle seed --scale national)")
	}
	db, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s := sqlstore.New(db, storetest.Keys(b))
	ctx := context.Background()
	tree, err := s.Tree(ctx)
	if err != nil || len(tree.Regions) == 0 {
		b.Fatalf("tree: %v", err)
	}
	// The data set's last closed quarter, as of its own today.
	var last string
	if err := db.ReadPool().QueryRowContext(ctx, "SELECT MAX(local_date) FROM sessions WHERE status = 'held'").Scan(&last); err != nil {
		b.Fatal(err)
	}
	q, _ := peercircle.QuarterOfDate(last, tree.Organisation.QuarterStartMonth)
	q = q.Prev()
	asOf, _ := time.Parse(time.DateOnly, last)
	s.Now = func() time.Time { return asOf.Add(12 * time.Hour) }
	site, region := tree.Sites[0].ID, tree.Regions[0].ID
	b.Run("sheet3-one-site", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Sheet3(ctx, site, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("region-rollup", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.RollUp(ctx, peercircle.LevelRegion, region, q, 4); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The dashboards' default: the running quarter, with three closed
	// quarters of trend.
	cur := peercircle.QuarterOf(s.Now(), tree.Organisation.QuarterStartMonth)
	area := tree.Areas[0].ID
	b.Run("region-rollup-running", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.RollUp(ctx, peercircle.LevelRegion, region, cur, 4); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("area-rollup-running", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.RollUp(ctx, peercircle.LevelArea, area, cur, 4); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("organisation-rollup", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.RollUp(ctx, peercircle.LevelOrganisation, 0, q, 4); err != nil {
				b.Fatal(err)
			}
		}
	})
}
