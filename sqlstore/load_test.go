package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// Issue 14, goal 2: the data generator checks references once, after it
// loads. While paused a row may refer to nothing; resuming refuses while
// one does, and checks every write again once it succeeds, whether the
// load resumes itself or the next start does (Migrate).
func TestForeignKeysPausedForALoadAreCheckedOnResume(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		orphan := func() error {
			return s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
				_, err := tx.Exec(`INSERT INTO attendance (session_id, person_id, guest_name, kind, status, updated_at)
					VALUES (987654, NULL, 'Nobody', 'guest', 'present', ?)`, time.Now())
				return err
			})
		}
		if orphan() == nil {
			t.Fatal("a presence at a meeting that does not exist was written before any pause")
		}
		for _, resume := range []struct {
			how string
			do  func() error
		}{
			{"ResumeForeignKeys", func() error { return s.DB.ResumeForeignKeys(ctx) }},
			{"the next start's Migrate", func() error { _, err := s.DB.Migrate(ctx); return err }},
		} {
			if err := s.DB.PauseForeignKeys(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.DB.PauseForeignKeys(ctx); err != nil {
				t.Fatalf("pausing twice: %v", err)
			}
			if err := orphan(); err != nil {
				t.Fatalf("while paused, a row referring to nothing is refused: %v", err)
			}
			if err := s.DB.ResumeForeignKeys(ctx); err == nil {
				t.Fatal("resumed with a presence at a meeting that does not exist")
			}
			if err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
				_, err := tx.Exec("DELETE FROM attendance WHERE session_id = 987654")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if err := resume.do(); err != nil {
				t.Fatalf("%s: %v", resume.how, err)
			}
			if orphan() == nil {
				t.Fatalf("after %s, a presence at a meeting that does not exist was written", resume.how)
			}
			if err := s.DB.ResumeForeignKeys(ctx); err != nil {
				t.Fatalf("resuming when not paused: %v", err)
			}
		}
	})
}
