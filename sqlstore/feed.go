package sqlstore

import (
	"context"
	"strconv"

	"github.com/peercircle/peercircle"
)

func feedContext(personID, groupID int64) string {
	return "calendar_feed:" + strconv.FormatInt(personID, 10) + ":" + strconv.FormatInt(groupID, 10)
}

func groupClause(groupID int64) (string, []any) {
	if groupID == 0 {
		return "group_id IS NULL", nil
	}
	return "group_id = ?", []any{groupID}
}

// CalendarFeed returns a person's calendar link (all their groups when
// groupID is 0), making it the first time it is asked for.
func (s *Store) CalendarFeed(ctx context.Context, personID, groupID int64) (*peercircle.CalendarFeed, error) {
	f := &peercircle.CalendarFeed{PersonID: personID, GroupID: groupID}
	var sealed []byte
	clause, args := groupClause(groupID)
	err := s.DB.QueryRow(ctx, "SELECT id, token_sealed, created_at FROM calendar_feeds WHERE person_id = ? AND "+clause+" AND renewed_at IS NULL ORDER BY id DESC LIMIT 1",
		append([]any{personID}, args...)...).Scan(&f.ID, &sealed, &f.CreatedAt)
	if err == nil {
		f.Token, err = s.Keys.OpenString(sealed, feedContext(personID, groupID))
		return f, err
	}
	if peercircle.ErrorCode(notFound(err, "")) != peercircle.ENOTFOUND {
		return nil, err
	}
	return s.RenewCalendarFeed(ctx, personID, groupID)
}

// RenewCalendarFeed replaces a person's calendar link with a new secret
// one; the old link stops working and says so.
func (s *Store) RenewCalendarFeed(ctx context.Context, personID, groupID int64) (*peercircle.CalendarFeed, error) {
	f := &peercircle.CalendarFeed{PersonID: personID, GroupID: groupID, Token: NewToken(), CreatedAt: s.Now()}
	clause, args := groupClause(groupID)
	err := s.DB.Write(ctx, func(tx *Tx) (err error) {
		if _, err := tx.Exec("UPDATE calendar_feeds SET renewed_at = ? WHERE person_id = ? AND "+clause+" AND renewed_at IS NULL",
			append([]any{f.CreatedAt, personID}, args...)...); err != nil {
			return err
		}
		f.ID, err = tx.Insert("INSERT INTO calendar_feeds (person_id, group_id, token_hash, token_sealed, created_at) VALUES (?, ?, ?, ?, ?)",
			personID, nullID(groupID), HashToken(f.Token), s.Keys.SealString(f.Token, feedContext(personID, groupID)), f.CreatedAt)
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
	err := s.DB.QueryRow(ctx, "SELECT id, person_id, group_id, created_at, renewed_at IS NOT NULL FROM calendar_feeds WHERE token_hash = ?", HashToken(token)).
		Scan(&f.ID, &f.PersonID, &f.GroupID, &f.CreatedAt, &renewed)
	if err != nil {
		return nil, notFound(err, "calendar feed")
	}
	if renewed {
		return nil, peercircle.Errorf(peercircle.EINVALID, "feed.renewed", "calendar feed %d was renewed", f.ID)
	}
	return f, nil
}
