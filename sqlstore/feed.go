package sqlstore

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

func feedContext(personID, groupID, siteID int64) string {
	if siteID != 0 {
		return "calendar_feed:" + strconv.FormatInt(personID, 10) + ":site:" + strconv.FormatInt(siteID, 10)
	}
	return "calendar_feed:" + strconv.FormatInt(personID, 10) + ":" + strconv.FormatInt(groupID, 10)
}

// feedClause selects a person's feed of all their groups (both 0), of one
// group, or of one site.
func feedClause(groupID, siteID int64) (string, []any) {
	switch {
	case groupID != 0:
		return "group_id = ?", []any{groupID}
	case siteID != 0:
		return "group_id IS NULL AND site_id = ?", []any{siteID}
	}
	return "group_id IS NULL AND site_id IS NULL", nil
}

// CalendarFeed returns a person's calendar link (all their groups when
// groupID is 0), making it the first time it is asked for.
func (s *Store) CalendarFeed(ctx context.Context, personID, groupID int64) (*peercircle.CalendarFeed, error) {
	return s.calendarFeed(ctx, personID, groupID, 0)
}

// SiteCalendarFeed returns a person's link to a site's calendar (every
// group of the site), making it the first time.
func (s *Store) SiteCalendarFeed(ctx context.Context, personID, siteID int64) (*peercircle.CalendarFeed, error) {
	return s.calendarFeed(ctx, personID, 0, siteID)
}

func (s *Store) calendarFeed(ctx context.Context, personID, groupID, siteID int64) (*peercircle.CalendarFeed, error) {
	f := &peercircle.CalendarFeed{PersonID: personID, GroupID: groupID, SiteID: siteID}
	var sealed []byte
	clause, args := feedClause(groupID, siteID)
	err := s.DB.QueryRow(ctx, "SELECT id, token_sealed, created_at FROM calendar_feeds WHERE person_id = ? AND "+clause+" AND renewed_at IS NULL ORDER BY id DESC LIMIT 1",
		append([]any{personID}, args...)...).Scan(&f.ID, &sealed, &f.CreatedAt)
	if err == nil {
		f.Token, err = s.Keys.OpenString(sealed, feedContext(personID, groupID, siteID))
		return f, err
	}
	if peercircle.ErrorCode(notFound(err, "")) != peercircle.ENOTFOUND {
		return nil, err
	}
	return s.renewCalendarFeed(ctx, personID, groupID, siteID)
}

// RenewCalendarFeed replaces a person's calendar link with a new secret
// one; the old link stops working and says so.
func (s *Store) RenewCalendarFeed(ctx context.Context, personID, groupID int64) (*peercircle.CalendarFeed, error) {
	return s.renewCalendarFeed(ctx, personID, groupID, 0)
}

// RenewSiteCalendarFeed is RenewCalendarFeed for a site's calendar.
func (s *Store) RenewSiteCalendarFeed(ctx context.Context, personID, siteID int64) (*peercircle.CalendarFeed, error) {
	return s.renewCalendarFeed(ctx, personID, 0, siteID)
}

func (s *Store) renewCalendarFeed(ctx context.Context, personID, groupID, siteID int64) (*peercircle.CalendarFeed, error) {
	f := &peercircle.CalendarFeed{PersonID: personID, GroupID: groupID, SiteID: siteID, Token: NewToken(), CreatedAt: s.Now()}
	clause, args := feedClause(groupID, siteID)
	err := s.DB.Write(ctx, func(tx *Tx) (err error) {
		if _, err := tx.Exec("UPDATE calendar_feeds SET renewed_at = ? WHERE person_id = ? AND "+clause+" AND renewed_at IS NULL",
			append([]any{f.CreatedAt, personID}, args...)...); err != nil {
			return err
		}
		f.ID, err = tx.Insert("INSERT INTO calendar_feeds (person_id, group_id, site_id, token_hash, token_sealed, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			personID, nullID(groupID), nullID(siteID), HashToken(f.Token), s.Keys.SealString(f.Token, feedContext(personID, groupID, siteID)), f.CreatedAt)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// FeedByToken finds the calendar link a token belongs to.
func (s *Store) FeedByToken(ctx context.Context, token string) (*peercircle.CalendarFeed, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "calendar feed not found")
	}
	f := &peercircle.CalendarFeed{}
	var renewed bool
	err := s.DB.QueryRow(ctx, "SELECT id, person_id, group_id, site_id, created_at, renewed_at IS NOT NULL FROM calendar_feeds WHERE token_hash = ?", HashToken(token)).
		Scan(&f.ID, &f.PersonID, &f.GroupID, &f.SiteID, &f.CreatedAt, &renewed)
	if err != nil {
		return nil, notFound(err, "calendar feed")
	}
	if renewed {
		return nil, peercircle.Errorf(peercircle.EINVALID, "feed.renewed", "calendar feed %d was renewed", f.ID)
	}
	return f, nil
}

// EventVersions compares each event's digest with the one the feed served
// before and counts a change when it differs. It writes only when an event
// is new to the feed or changed, so a feed polled with nothing new reads.
func (s *Store) EventVersions(ctx context.Context, feedID int64, digests map[int64]string) (map[int64]peercircle.EventVersion, error) {
	out := make(map[int64]peercircle.EventVersion, len(digests))
	if len(digests) == 0 {
		return out, nil
	}
	type row struct {
		digest string
		v      peercircle.EventVersion
	}
	// Two instances serving the same feed at once: the insert and the
	// update are no-ops for the second, so a change is counted once.
	load := func(tx *Tx) (map[int64]row, error) {
		rows, err := tx.Query("SELECT session_id, digest, bumps, changed_at FROM calendar_event_versions WHERE feed_id = ?", feedID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		have := map[int64]row{}
		for rows.Next() {
			var id int64
			var r row
			var changed *time.Time
			if err := rows.Scan(&id, &r.digest, &r.v.Bumps, &changed); err != nil {
				return nil, err
			}
			if changed != nil {
				r.v.ChangedAt = *changed
			}
			have[id] = r
		}
		return have, rows.Err()
	}
	var stale bool
	err := s.DB.Read(ctx, func(tx *Tx) error {
		have, err := load(tx)
		if err != nil {
			return err
		}
		for id, d := range digests {
			r, ok := have[id]
			if !ok || r.digest != d {
				stale = true
				return nil
			}
			out[id] = r.v
		}
		return nil
	})
	if err != nil || !stale {
		return out, err
	}
	now := s.Now()
	// Rows are written in one order, the meetings' ids: two requests for
	// one feed writing them in map order deadlocked on PostgreSQL, each
	// waiting for a row the other had inserted (found by the benchmark).
	ids := slices.Sorted(maps.Keys(digests))
	err = s.DB.Write(ctx, func(tx *Tx) error {
		have, err := load(tx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			d := digests[id]
			r, ok := have[id]
			switch {
			case !ok:
				if _, err := tx.Exec("INSERT INTO calendar_event_versions (feed_id, session_id, digest) VALUES (?, ?, ?) ON CONFLICT (feed_id, session_id) DO NOTHING",
					feedID, id, d); err != nil {
					return err
				}
				out[id] = peercircle.EventVersion{}
			case r.digest != d:
				if _, err := tx.Exec("UPDATE calendar_event_versions SET digest = ?, bumps = bumps + 1, changed_at = ? WHERE feed_id = ? AND session_id = ? AND digest <> ?",
					d, now, feedID, id, d); err != nil {
					return err
				}
				out[id] = peercircle.EventVersion{Bumps: r.v.Bumps + 1, ChangedAt: now}
			default:
				out[id] = r.v
			}
		}
		return nil
	})
	return out, err
}
