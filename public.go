package peercircle

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The public meeting finder (issue 15; 001, "Promoting support groups"):
// groups that chose to be listed can be found by anyone without an
// account. A listing never names a person: only the group, its site, its
// schedule, its venue (or "on request") and a role, the group's contact,
// reached through a form that never shows their address.

// Listing is a listed group as the public sees it.
type Listing struct {
	Group    *Group
	Site     Site
	Area     Area
	Region   Region
	Venue    *Venue         // nil when the group has none
	Schedule *GroupSchedule // nil when the group has none
	// Next are the next planned meetings (start times), soonest first.
	Next []time.Time
}

// Online reports whether the group meets by a link rather than in a room.
func (l *Listing) Online() bool { return l.Venue != nil && l.Venue.Virtual }

// ShowsVenue reports whether the public may see where the group meets: a
// room the group chose to show. A meeting link is never public.
func (l *Listing) ShowsVenue() bool {
	return l.Venue != nil && !l.Venue.Virtual && l.Group.VenuePublic
}

// Coords returns the venue's position when the public may use it.
func (l *Listing) Coords() (lat, lon float64, ok bool) {
	if !l.ShowsVenue() || l.Venue.Latitude == nil || l.Venue.Longitude == nil {
		return 0, 0, false
	}
	return *l.Venue.Latitude, *l.Venue.Longitude, true
}

// Finder filter values for the time of day of a meeting.
const (
	DayMorning   = "morning"   // starts before 12:00
	DayAfternoon = "afternoon" // 12:00 to 16:59
	DayEvening   = "evening"   // 17:00 or later
)

// PartOfDay names the part of the day a local time falls in.
func PartOfDay(t time.Time) string {
	switch h := t.Hour(); {
	case h < 12:
		return DayMorning
	case h < 17:
		return DayAfternoon
	}
	return DayEvening
}

// FinderQuery is what a person looking for a group asks. Zero fields do
// not filter.
type FinderQuery struct {
	Text       string // words in the name, purpose or place
	RegionID   int64
	AreaID     int64
	SiteID     int64
	Lang       string
	Kind       string
	Weekday    int    // 1 = Monday … 7 = Sunday; 0 any
	PartOfDay  string // DayMorning, DayAfternoon, DayEvening
	Mode       string // "online" or "in_person"
	Membership string // MembershipOpen or MembershipClosed
	// Near, when set, keeps groups whose venue is shown and within Km of
	// the point, nearest first.
	Near      bool
	Lat, Lon  float64
	Km        float64
	Distances map[int64]float64 // filled by Filter: group id → km
}

// Match reports whether a listing answers the query; times of meetings are
// read in the site's zone.
func (q *FinderQuery) Match(l *Listing) bool {
	g := l.Group
	switch {
	case q.RegionID != 0 && l.Region.ID != q.RegionID,
		q.AreaID != 0 && l.Area.ID != q.AreaID,
		q.SiteID != 0 && l.Site.ID != q.SiteID,
		q.Lang != "" && g.Lang != q.Lang,
		q.Kind != "" && g.Kind != q.Kind,
		q.Membership != "" && g.Membership != q.Membership,
		q.Mode == "online" && !l.Online(),
		q.Mode == "in_person" && l.Online():
		return false
	}
	if q.Weekday != 0 || q.PartOfDay != "" {
		loc, err := LoadZone(l.Site.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		found := false
		for _, t := range l.Next {
			t = t.In(loc)
			wd := int(t.Weekday())
			if wd == 0 {
				wd = 7
			}
			if (q.Weekday == 0 || wd == q.Weekday) && (q.PartOfDay == "" || PartOfDay(t) == q.PartOfDay) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if text := strings.TrimSpace(q.Text); text != "" {
		hay := foldText(g.Name + " " + g.Purpose + " " + l.Site.Name + " " + l.Area.Name + " " + l.Region.Name)
		for _, w := range strings.Fields(foldText(text)) {
			if !strings.Contains(hay, w) {
				return false
			}
		}
	}
	if q.Near {
		lat, lon, ok := l.Coords()
		if !ok {
			return false
		}
		d := DistanceKm(q.Lat, q.Lon, lat, lon)
		if d > q.Km {
			return false
		}
		if q.Distances == nil {
			q.Distances = map[int64]float64{}
		}
		q.Distances[g.ID] = d
	}
	return true
}

// Filter returns the listings that match, nearest first when the query is
// about distance, else in the order given.
func (q *FinderQuery) Filter(ls []*Listing) []*Listing {
	var out []*Listing
	for _, l := range ls {
		if q.Match(l) {
			out = append(out, l)
		}
	}
	if q.Near {
		slices.SortStableFunc(out, func(a, b *Listing) int { return cmp.Compare(q.Distances[a.Group.ID], q.Distances[b.Group.ID]) })
	}
	return out
}

// foldText lowers a text for matching; Arabic letters that people write in
// several ways (alef forms, taa marbuta, alef maqsura) are made one.
func foldText(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا", "ة", "ه", "ى", "ي").Replace(s)
}

// DistanceKm is the great-circle distance between two points in km.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// PublicMessage is a message someone without an account sent to a listed
// group's contact through the finder. Text and Reply (how to answer them,
// only what they chose to give) are sealed at rest.
type PublicMessage struct {
	ID        int64
	GroupID   int64
	Text      string
	Reply     string
	CreatedAt time.Time
}

// Limits on public messages: per address per hour, and per group per day.
const (
	PublicMessagesPerHour      = 5
	PublicMessagesPerGroupDay  = 30
	publicMessageMaxRunes      = 2000
	publicMessageReplyMaxRunes = 200
)

// Validate checks a public message before it is stored.
func (m *PublicMessage) Validate() error {
	f := FieldErrors{}
	m.Text, m.Reply = strings.TrimSpace(m.Text), strings.TrimSpace(m.Reply)
	switch {
	case m.Text == "":
		f.Add("text", "error.required")
	case utf8.RuneCountInString(m.Text) > publicMessageMaxRunes:
		f.Add("text", "error.too_long")
	}
	if utf8.RuneCountInString(m.Reply) > publicMessageReplyMaxRunes {
		f.Add("reply", "error.too_long")
	}
	return f.Err()
}

// PublicService serves the meeting finder.
//
// Listings returns every listed group that is forming or active, by name.
// Listing returns ENOTFOUND for a group that is not listed, ended, paused
// or unknown: an unlisted group is never reachable publicly.
// SendPublicMessage stores a message for a listed group's contact (its
// standing facilitators and its site's organisers, told in the app by the
// group's name only); ETOOMANY past the limits for the sender's address
// (kept only as a keyed hash for the hour), ENOTFOUND for an unlisted group.
// PublicMessages opens a group's messages, newest first.
// Stamp signs a value with the installation's key for a public form (the
// time check and question of the contact form): the form carries no
// state on the server.
type PublicService interface {
	Listings(ctx context.Context) ([]*Listing, error)
	Listing(ctx context.Context, groupID int64) (*Listing, error)
	SendPublicMessage(ctx context.Context, m *PublicMessage, addr string) error
	PublicMessages(ctx context.Context, groupID int64, limit int) ([]*PublicMessage, error)
	Stamp(value string) string
	JoinService
}

// JoinRequest is someone without an account answering a listed group's
// join page (a flyer's QR code leads there): for a closed group a request
// to join, for an open group "I'll come to the next meeting". They give
// only what they choose (001: people may not want to give their name the
// first time): a name to be called by, a way to reach them, a note. The
// store makes it a waiting membership of a person without an account, so
// the organiser and facilitators see it among the requests, with the
// existing steps: meet first (orientation), welcome, not this time.
type JoinRequest struct {
	GroupID int64
	Name    string
	Contact Contact
	Note    string
	// Filled by the store: the waiting membership, and for an open group
	// the meeting they said they will come to (0 when none is planned).
	MembershipID int64
	SessionID    int64
	SessionStart *time.Time
	CreatedAt    time.Time
}

// Validate checks a join request before it is stored.
func (j *JoinRequest) Validate() error {
	f := FieldErrors{}
	j.Name, j.Note = strings.TrimSpace(j.Name), strings.TrimSpace(j.Note)
	if utf8.RuneCountInString(j.Name) > 120 {
		f.Add("name", "error.too_long")
	}
	if strings.Contains(j.Name, erasedMark) {
		f.Add("name", "mydata.name_reserved")
	}
	if utf8.RuneCountInString(j.Note) > 1000 {
		f.Add("note", "error.too_long")
	}
	if err := j.Contact.validate(f); err != nil {
		return err
	}
	return f.Err()
}

// JoinService takes join requests from the public.
//
// PublicJoin returns ENOTFOUND for a group that is not listed, ETOOMANY
// past the public limits for the address, EINVALID when Validate fails.
// PublicRequests returns the waiting requests that came from the public,
// by membership id, with their contact opened (callers audit the read).
type JoinService interface {
	PublicJoin(ctx context.Context, j *JoinRequest, addr string) error
	PublicRequests(ctx context.Context, groupID int64) (map[int64]*JoinRequest, error)
}
