package sqlstore_test

import (
	"context"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// A site's calendar link on both backends: apart from the person's own
// link and their group links, found by its token with its site, renewed
// on its own.
func TestSiteCalendarFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := newMeeting(t, s)
		mine, err := s.CalendarFeed(ctx, m.organiser.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		site, err := s.SiteCalendarFeed(ctx, m.organiser.ID, m.site.ID)
		if err != nil || site.Token == mine.Token || site.SiteID != m.site.ID {
			t.Fatalf("site feed %+v (%v)", site, err)
		}
		again, _ := s.SiteCalendarFeed(ctx, m.organiser.ID, m.site.ID)
		if again.Token != site.Token {
			t.Fatal("asking twice made a second link")
		}
		if mine2, _ := s.CalendarFeed(ctx, m.organiser.ID, 0); mine2.Token != mine.Token {
			t.Fatal("the site link replaced the person's own")
		}
		f, err := s.FeedByToken(ctx, site.Token)
		if err != nil || f.SiteID != m.site.ID || f.GroupID != 0 || f.PersonID != m.organiser.ID {
			t.Fatalf("by token %+v (%v)", f, err)
		}
		if _, err := s.RenewSiteCalendarFeed(ctx, m.organiser.ID, m.site.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FeedByToken(ctx, site.Token); peercircle.ErrorKey(err) != "feed.renewed" {
			t.Fatalf("the old site link: %v", err)
		}
		if _, err := s.FeedByToken(ctx, mine.Token); err != nil {
			t.Fatalf("renewing the site link ended the person's own: %v", err)
		}
	})
}
