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

// waitCached waits for the background preparation of statements.
func waitCached(t *testing.T, db *sqlstore.DB, atLeast int) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := sqlstore.CachedStatements(db, false)
		if n >= atLeast || time.Now().After(deadline) {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRepeatedQueriesRunPreparedAndGiveTheSameAnswers(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	ctx := context.Background()
	r := &peercircle.Region{Name: "North", TimeZone: "Asia/Amman"}
	if err := s.CreateRegion(ctx, r); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		tree, err := s.Tree(ctx)
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if len(tree.Regions) != 1 || tree.Regions[0].Name != "North" {
			t.Fatalf("round %d: regions %+v", i, tree.Regions)
		}
		if i == 0 {
			waitCached(t, s.DB, 4)
		}
	}
	if n := sqlstore.CachedStatements(s.DB, false); n < 4 {
		t.Errorf("%d statements cached after twenty trees, want the tree's four at least", n)
	}
	// Writes inside transactions on SQLite's one write connection use the
	// cache too, and never wait for themselves.
	done := make(chan error, 1)
	go func() {
		for i := range 50 {
			r.Name = fmt.Sprintf("North %d", i)
			if err := s.UpdateRegion(ctx, r); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("fifty updates did not finish in 30s: a transaction waits for its own connection")
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tree.Regions[0].Name != "North 49" {
		t.Errorf("region is %q after the updates", tree.Regions[0].Name)
	}
	if n := sqlstore.CachedStatements(s.DB, true); n == 0 {
		t.Errorf("no write statement was cached")
	}
}

func TestTheStatementCacheIsBounded(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	ctx := context.Background()
	for i := range 700 {
		var n int
		if err := s.DB.QueryRow(ctx, fmt.Sprintf("SELECT %d", i)).Scan(&n); err != nil || n != i {
			t.Fatalf("SELECT %d gave %d, %v", i, n, err)
		}
	}
	if n := waitCached(t, s.DB, 512); n > 512 {
		t.Errorf("%d statements cached, the bound is 512", n)
	} else if n < 500 {
		t.Errorf("only %d of 700 different queries cached", n)
	}
}

func TestPostgresKeepsItsOwnStatementCache(t *testing.T) {
	s := storetest.Open(t, "postgres")
	for range 3 {
		if _, err := s.Tree(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	if n := sqlstore.CachedStatements(s.DB, false) + sqlstore.CachedStatements(s.DB, true); n != 0 {
		t.Errorf("%d statements cached on PostgreSQL; pgx caches its own", n)
	}
}
