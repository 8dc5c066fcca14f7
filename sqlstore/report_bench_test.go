package sqlstore_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
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
		})
	}
}
