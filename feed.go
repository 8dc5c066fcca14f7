package peercircle

import (
	"context"
	"time"
)

// CalendarFeed is a secret link to an iCalendar feed: a person's (all
// their groups, GroupID 0) or one group's as that person sees it. Only a
// hash finds it; the token is kept sealed so the person can copy their
// link again. Renewing replaces the token: the old link then answers with
// a clear message and no events.
type CalendarFeed struct {
	ID        int64
	PersonID  int64
	GroupID   int64
	SiteID    int64 // a site's calendar: every group of the site (organisers)
	Token     string
	CreatedAt time.Time
}

// EventVersion is what a feed remembers of one event it served: how many
// times the event as served changed (added to the meeting's own SEQUENCE)
// and when it last did (its DTSTAMP when later than the meeting's change).
type EventVersion struct {
	Bumps     int
	ChangedAt time.Time
}

// FeedService keeps calendar feed links.
//
// CalendarFeed returns the person's link, making one the first time.
// FeedByToken returns ENOTFOUND for an unknown token and EINVALID with key
// "feed.renewed" for a token that was renewed.
type FeedService interface {
	CalendarFeed(ctx context.Context, personID, groupID int64) (*CalendarFeed, error)
	RenewCalendarFeed(ctx context.Context, personID, groupID int64) (*CalendarFeed, error)
	// SiteCalendarFeed and RenewSiteCalendarFeed are the same for a site's
	// calendar, which the web layer offers to the site's organisers.
	SiteCalendarFeed(ctx context.Context, personID, siteID int64) (*CalendarFeed, error)
	RenewSiteCalendarFeed(ctx context.Context, personID, siteID int64) (*CalendarFeed, error)
	FeedByToken(ctx context.Context, token string) (*CalendarFeed, error)
	// EventVersions takes the digest of each event a feed serves now
	// (session id → digest) and returns each event's version, counting a
	// change whenever a digest differs from the one served before.
	EventVersions(ctx context.Context, feedID int64, digests map[int64]string) (map[int64]EventVersion, error)
}
