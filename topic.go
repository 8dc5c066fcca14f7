package peercircle

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Topic is one entry of a site's topic library (issue 11): what part 2 of
// a staff meeting refreshes — 000's "topic refresher: an assigned MHPSS
// topic" — with a summary, materials, and an optional guest speaker (001
// speaks of inviting speakers) whose contact is sealed and shown only to
// those who plan the meetings.
type Topic struct {
	ID             int64
	SiteID         int64
	Title          string
	Summary        string
	Link           string // materials: a web address, optional
	Lang           string // the language of the materials, "" for any
	SpeakerName    string // a guest speaker, optional
	SpeakerContact string // sealed; for the organisers and facilitators
	CreatedAt      time.Time
}

// Limits of a topic.
const (
	MaxTopicTitle   = 200
	MaxTopicSummary = 2000
)

// Validate trims and checks a topic.
func (t *Topic) Validate() error {
	f := FieldErrors{}
	t.Title, t.Summary, t.Link = strings.TrimSpace(t.Title), strings.TrimSpace(t.Summary), strings.TrimSpace(t.Link)
	t.SpeakerName, t.SpeakerContact = strings.TrimSpace(t.SpeakerName), strings.TrimSpace(t.SpeakerContact)
	switch n := utf8.RuneCountInString(t.Title); {
	case n == 0:
		f.Add("title", "error.required")
	case n > MaxTopicTitle:
		f.Add("title", "error.too_long")
	}
	if utf8.RuneCountInString(t.Summary) > MaxTopicSummary {
		f.Add("summary", "error.too_long")
	}
	if t.Link != "" {
		if u, err := url.Parse(t.Link); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(t.Link) > 500 {
			f.Add("link", "topic.error.link")
		}
	}
	if t.Lang != "" && !contains(Languages, t.Lang) {
		f.Add("lang", "error.choice")
	}
	if utf8.RuneCountInString(t.SpeakerName) > 120 {
		f.Add("speaker_name", "error.too_long")
	}
	if utf8.RuneCountInString(t.SpeakerContact) > 200 {
		f.Add("speaker_contact", "error.too_long")
	}
	if t.SpeakerContact != "" && t.SpeakerName == "" {
		f.Add("speaker_name", "topic.error.speaker_name")
	}
	if t.SiteID == 0 {
		f.Add("site", "error.required")
	}
	return f.Err()
}

// TopicAssignment is a meeting's part 2: a topic of the library and who
// presents it (a member of the group; 0 with the topic's guest speaker).
type TopicAssignment struct {
	SessionID   int64
	TopicID     int64
	PresenterID int64
}

// TopicService keeps a site's topic library and assigns topics to
// meetings.
//
// SaveTopic creates or updates (ID set) a topic of its site (EINVALID when
// Validate fails). AssignTopic sets a planned meeting's part 2 (topic 0
// clears it): the topic must be of the group's site and the presenter a
// current member (EINVALID on field "topic" or "presenter"); the meeting's
// topic (what Sheet 3 counts) becomes the topic's title. NextPresenter
// suggests the current member who presented least (longest ago on a tie),
// so presenting rotates like facilitation.
type TopicService interface {
	Topics(ctx context.Context, siteID int64) ([]*Topic, error)
	Topic(ctx context.Context, id int64) (*Topic, error)
	SaveTopic(ctx context.Context, t *Topic, by int64) error
	AssignTopic(ctx context.Context, a TopicAssignment, by int64) error
	SessionTopic(ctx context.Context, sessionID int64) (*Topic, int64, error)
	NextPresenter(ctx context.Context, groupID int64) (int64, error)
}
