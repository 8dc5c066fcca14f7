package sqlstore_test

import (
	"context"
	"testing"

	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// A request that only reads carries a memo: a site, the organisation's
// quarters and the report settings are read once for it, whichever store
// methods ask for them; what the caller does to a site it got does not
// change what the next caller gets; and a context without the memo reads
// every time, so a change is seen by the next request.
func TestAMemoReadsSitesQuartersAndSettingsOncePerRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		bg := context.Background()
		_, _, site := tree(t, s)
		statements := func(fn func(ctx context.Context)) func(ctx context.Context) int64 {
			return func(ctx context.Context) int64 {
				before := sqlstore.Statements()
				fn(ctx)
				return sqlstore.Statements() - before
			}
		}
		read := statements(func(ctx context.Context) {
			st, err := s.Site(ctx, site.ID)
			if err != nil {
				t.Fatal(err)
			}
			st.Name = "changed by a caller"
			q, err := s.CurrentQuarter(ctx, site.ID)
			if err != nil {
				t.Fatal(err)
			}
			// The due dates: the site, the quarters and the settings again.
			if _, err := s.SiteReports(ctx, site.ID, q, q); err != nil {
				t.Fatal(err)
			}
		})
		plain := read(bg)
		ctx := sqlstore.WithMemo(bg)
		first, again := read(ctx), read(ctx)
		// With a memo the site, the first month and the settings are read
		// once: the first time three statements more than the reports
		// themselves, which are read every time.
		if again != 1 || first != again+3 || plain <= first {
			t.Errorf("statements without a memo %d, with one the first time %d and again %d: want the reports and three more, then the reports alone", plain, first, again)
		}
		if st, _ := s.Site(ctx, site.ID); st.Name != site.Name {
			t.Errorf("the memo's site is %q: a caller changed it", st.Name)
		}

		renamed := site
		renamed.Name = "Marka Health Centre"
		if err := s.UpdateSite(bg, &renamed); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.Site(sqlstore.WithMemo(bg), site.ID); st.Name != renamed.Name {
			t.Errorf("the next request reads %q, want the new name", st.Name)
		}
		if st, _ := s.Site(bg, site.ID); st.Name != renamed.Name {
			t.Errorf("without a memo: %q, want the new name", st.Name)
		}
	})
}
