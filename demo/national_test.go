package demo

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.RunMain(m)) }

// asOf is a fixed "today", so that generated rows are the same on every run.
var asOf = time.Date(2025, time.March, 15, 0, 0, 0, 0, time.UTC)

func generateSmall(t *testing.T, s *sqlstore.Store, seed uint64) *NationalStats {
	t.Helper()
	st, err := National(context.Background(), s, NationalOptions{Scale: Scales["small"], Seed: seed, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func count(t *testing.T, s *sqlstore.Store, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.DB.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestTheSameSeedGivesTheSameRowsOnBothBackends(t *testing.T) {
	digests := map[string]string{}
	for _, backend := range storetest.Backends {
		t.Run(backend, func(t *testing.T) {
			s := storetest.Open(t, backend)
			st := generateSmall(t, s, 42)
			digests[backend] = st.Digest
			for table, n := range st.Rows {
				if got := count(t, s, "SELECT COUNT(*) FROM "+table); got != n {
					t.Errorf("%s holds %d rows, the generator wrote %d", table, got, n)
				}
			}
			again := storetest.Open(t, backend)
			if st2 := generateSmall(t, again, 42); st2.Digest != st.Digest {
				for table, d := range st.Digests {
					if st2.Digests[table] != d {
						t.Errorf("a second run with the same seed wrote other rows into %s", table)
					}
				}
			}
			other := storetest.Open(t, backend)
			if st3 := generateSmall(t, other, 43); st3.Digest == st.Digest {
				t.Errorf("seeds 42 and 43 gave the same rows")
			}
		})
	}
	if len(digests) == 2 && digests["sqlite"] != digests["postgres"] {
		t.Errorf("SQLite and PostgreSQL got different rows: %s and %s", digests["sqlite"], digests["postgres"])
	}
}

func TestNationalRefusesADatabaseThatHoldsAnOrganisation(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	generateSmall(t, s, 1)
	if _, err := National(context.Background(), s, NationalOptions{Scale: Scales["small"], Seed: 1, AsOf: asOf}); err == nil {
		t.Fatal("generating into a database that holds an organisation did not fail")
	}
}

// The generated rows must make sense to the product's own code: the store
// reads them back, the ids continue after them, and the review states of
// Sheet 2 and Sheet 3 are where the story says.
func TestGeneratedDataReadsBackThroughTheStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		generateSmall(t, s, 7)

		tree, err := s.Tree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sc := Scales["small"]
		if len(tree.Regions) != sc.Regions || len(tree.Areas) != sc.Regions*sc.AreasPerRegion || len(tree.Sites) != sc.Regions*sc.AreasPerRegion*sc.SitesPerArea {
			t.Errorf("tree has %d regions, %d areas, %d sites", len(tree.Regions), len(tree.Areas), len(tree.Sites))
		}
		if n := count(t, s, "SELECT COUNT(*) FROM people"); n != int64(sc.People) {
			t.Errorf("%d people, want %d", n, sc.People)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM sessions m WHERE m.status = 'held' AND NOT EXISTS (SELECT 1 FROM summaries WHERE session_id = m.id)"); n != 0 {
			t.Errorf("%d held meetings without a summary", n)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM sessions WHERE status = 'planned' AND planned_start < ?", asOf); n != 0 {
			t.Errorf("%d meetings before today are still planned", n)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM sessions WHERE status = 'planned' AND planned_start >= ?", asOf); n == 0 {
			t.Errorf("no meetings planned after today")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM attendance a JOIN sessions m ON m.id = a.session_id WHERE m.status <> 'held'"); n != 0 {
			t.Errorf("%d attendance rows at meetings that were not held", n)
		}

		// A new row gets an id after the generated ones on both backends.
		p := &peercircle.Person{FullName: "Someone New", Email: "someone.new@example.org", Status: peercircle.PersonInvited}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatalf("adding a person after generating: %v", err)
		}
		if p.ID != int64(sc.People)+1 {
			t.Errorf("the next person got id %d, want %d", p.ID, sc.People+1)
		}

		// The demo sign-ins exist at this scale too.
		for _, login := range []string{"admin", "coordinator", "organiser"} {
			if _, err := s.PersonByLogin(ctx, login); err != nil {
				t.Errorf("sign-in %q: %v", login, err)
			}
		}

		// Sheet 2: sealed sections open with the store's keys.
		var session int64
		if err := s.DB.QueryRow(ctx, "SELECT session_id FROM summaries WHERE state = 'accepted' ORDER BY session_id LIMIT 1").Scan(&session); err != nil {
			t.Fatal(err)
		}
		su, err := s.Summary(ctx, session, true)
		if err != nil {
			t.Fatalf("summary of session %d: %v", session, err)
		}
		if su.Notes[peercircle.NoteKeyIssues] == "" {
			t.Errorf("summary %d has no key issues", session)
		}

		// Sheet 3: last quarter's reports are in review, earlier ones accepted
		// with their frozen figures.
		var site int64
		var quarter string
		if err := s.DB.QueryRow(ctx, "SELECT site_id, quarter FROM reports WHERE state = 'accepted' ORDER BY id LIMIT 1").Scan(&site, &quarter); err != nil {
			t.Fatal(err)
		}
		q, err := peercircle.ParseQuarter(quarter)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Report(ctx, site, q)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Frozen() || r.Snapshot == nil || r.Snapshot.SiteID != site {
			t.Errorf("accepted report %d %s is not frozen with its figures: %+v", site, quarter, r)
		}
		if _, err := s.Sheet3(ctx, site, q); err != nil {
			t.Errorf("Sheet 3 of site %d %s: %v", site, quarter, err)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM reports WHERE quarter = ? AND state = 'submitted'", "2024Q4"); n == 0 {
			t.Errorf("no report of last quarter waits for a coordinator")
		}
	})
}

// TestNationalScaleTiming generates the full national data set; it takes
// half a minute to a minute and a half, so it only runs when asked:
// NATIONAL=sqlite or NATIONAL=postgres.
func TestNationalScaleTiming(t *testing.T) {
	backend := os.Getenv("NATIONAL")
	if backend == "" {
		t.Skip("set NATIONAL=sqlite or NATIONAL=postgres to time the national scale")
	}
	s := storetest.Open(t, backend)
	st, err := National(context.Background(), s, NationalOptions{Scale: Scales["national"], Seed: 1, AsOf: asOf,
		Progress: func(step string, rows int64, took time.Duration) { t.Logf("%-14s %8d rows %v", step, rows, took) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows in %v: %v", st.Total, st.Took, st.Rows)
	if st.Took > 2*time.Minute {
		t.Errorf("took %v, the issue asks for under two minutes", st.Took)
	}
}
