package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/ical"
	"github.com/peercircle/peercircle/schedule"
)

// The finder's feeds: every listed group as JSON in the spirit of the
// Meeting Guide feed that recovery fellowships publish (so directories and
// apps that read those can read this), and an iCalendar feed per listed
// group. docs/public.md is the format's reference; fields are only ever
// added, never renamed or given another meaning.

// feedCache is how long the feeds may be kept.
const feedCache = "public, max-age=900"

// FeedMeeting is one listed group in the JSON feed. Field names follow
// the Meeting Guide format where it has one; the rest are PeerCircle's.
type FeedMeeting struct {
	Slug             string      `json:"slug"`
	Name             string      `json:"name"`
	Day              []int       `json:"day,omitempty"`
	Time             string      `json:"time,omitempty"`
	EndTime          string      `json:"end_time,omitempty"`
	Timezone         string      `json:"timezone"`
	Types            []string    `json:"types"`
	AttendanceOption string      `json:"attendance_option"`
	Notes            string      `json:"notes,omitempty"`
	Location         string      `json:"location,omitempty"`
	FormattedAddress string      `json:"formatted_address,omitempty"`
	LocationNotes    string      `json:"location_notes,omitempty"`
	Latitude         *float64    `json:"latitude,omitempty"`
	Longitude        *float64    `json:"longitude,omitempty"`
	Region           string      `json:"region"`
	SubRegion        string      `json:"sub_region"`
	Site             string      `json:"site"`
	URL              string      `json:"url"`
	ContactURL       string      `json:"contact_url"`
	CalendarURL      string      `json:"calendar_url"`
	Updated          string      `json:"updated"`
	GroupID          int64       `json:"group_id"`
	Kind             string      `json:"kind"`
	Membership       string      `json:"membership"`
	Language         string      `json:"language"`
	Schedule         string      `json:"schedule,omitempty"`
	RRule            string      `json:"rrule,omitempty"`
	Next             []string    `json:"next"`
	Accessibility    *FeedAccess `json:"accessibility,omitempty"`
}

// FeedAccess is the venue checklist (001) of a group that meets in a room.
type FeedAccess struct {
	Accessible   bool   `json:"accessible"`
	QuietPrivate bool   `json:"quiet_private"`
	Toilets      bool   `json:"toilets"`
	Refreshments bool   `json:"refreshments"`
	Capacity     int    `json:"capacity,omitempty"`
	Cost         string `json:"cost,omitempty"`
}

// feedMeeting turns a listing into its feed entry; L says the schedule in
// plain words.
func (s *Server) feedMeeting(r *http.Request, l *peercircle.Listing, L *i18n.Localizer) FeedMeeting {
	g := l.Group
	base := s.absURL("/find/" + id64(g.ID))
	m := FeedMeeting{Slug: "group-" + id64(g.ID), Name: g.Name, Timezone: l.Site.TimeZone, Notes: g.Purpose,
		Region: l.Region.Name, SubRegion: l.Area.Name, Site: l.Site.Name, URL: base, ContactURL: base + "/contact",
		CalendarURL: base + "/calendar.ics", GroupID: g.ID, Kind: g.Kind, Membership: g.Membership, Language: g.Lang,
		Next: []string{}, AttendanceOption: "in_person"}
	m.Types = []string{"C"}
	if g.Membership == peercircle.MembershipOpen {
		m.Types = []string{"O"}
	}
	m.Types = append(m.Types, strings.ToUpper(g.Lang))
	updated := g.CreatedAt
	if sc := l.Schedule; sc != nil {
		m.RRule = sc.Rule
		m.Schedule = describeSchedule(sc, L)
		if sc.UpdatedAt.After(updated) {
			updated = sc.UpdatedAt
		}
		if c, err := sc.Compile(); err == nil && c.Rule != nil && c.Rule.Freq == schedule.Weekly && (c.Rule.Interval <= 1) && c.Rule.Count == 0 {
			for _, d := range c.Rule.ByDay {
				m.Day = append(m.Day, int(d.Day)) // Meeting Guide: 0 Sunday … 6 Saturday
			}
			if len(m.Day) == 0 {
				m.Day = []int{int(c.Start.Weekday())}
			}
			slices.Sort(m.Day)
			m.Time = c.Time.String()
			end := time.Date(2000, 1, 1, c.Time.Hour, c.Time.Minute, 0, 0, time.UTC).Add(c.Duration)
			m.EndTime = end.Format("15:04")
		}
	}
	m.Updated = updated.UTC().Format("2006-01-02 15:04:05")
	for _, t := range l.Next {
		m.Next = append(m.Next, t.In(listingZone(l)).Format(time.RFC3339))
	}
	switch {
	case l.Online():
		m.AttendanceOption = "online"
		m.Types = append(m.Types, "ONL")
		m.LocationNotes = L.T("public.online_link")
	case l.ShowsVenue():
		m.Location = l.Venue.Name
		m.FormattedAddress = strings.Join(slices.DeleteFunc([]string{l.Venue.Address, l.Site.Name, l.Area.Name, l.Region.Name},
			func(s string) bool { return s == "" }), ", ")
		if lat, lon, ok := l.Coords(); ok {
			m.Latitude, m.Longitude = &lat, &lon
		}
	default:
		m.LocationNotes = L.T("public.on_request")
	}
	if v := l.Venue; v != nil && !v.Virtual {
		m.Accessibility = &FeedAccess{Accessible: v.Accessible, QuietPrivate: v.QuietPrivate, Toilets: v.Toilets, Refreshments: v.Refreshments,
			Capacity: v.Capacity, Cost: v.Cost}
		if v.Accessible {
			m.Types = append(m.Types, "X")
		}
	}
	return m
}

// finderFeed is the JSON feed of every listed group.
func (s *Server) finderFeed(w http.ResponseWriter, r *http.Request) {
	forgetPerson(r)
	ls, err := s.Store.Listings(r.Context())
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	L := s.loc(r)
	out := make([]FeedMeeting, 0, len(ls))
	for _, l := range ls {
		out = append(out, s.feedMeeting(r, l, L))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		s.renderErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", feedCache)
	h.Set("Access-Control-Allow-Origin", "*") // other directories read it from their pages
	h.Set("Vary", "Accept-Language, Cookie")
	w.Write(buf.Bytes())
}

// finderCalendar is a listed group's meetings as iCalendar: from a week
// ago to the planning horizon, cancelled ones marked so. The place is the
// room when the group shows it; never a meeting link, never a person.
func (s *Server) finderCalendar(w http.ResponseWriter, r *http.Request) {
	forgetPerson(r)
	l, ok := s.listing(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	L := s.loc(r)
	now := s.now()
	sessions, err := s.Store.Sessions(ctx, peercircle.SessionFilter{GroupID: l.Group.ID, From: now.AddDate(0, 0, -7), To: now.Add(s.horizon(r) + 7*24*time.Hour)})
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	page := s.absURL("/find/" + id64(l.Group.ID))
	where := L.T("public.on_request")
	switch {
	case l.Online():
		where = L.T("public.mode.online")
	case l.ShowsVenue():
		where = l.Venue.Name
		if l.Venue.Address != "" {
			where += ", " + l.Venue.Address
		}
		where += ", " + l.Site.Name
	}
	cal := &ical.Calendar{Name: l.Group.Name, Refresh: 12 * time.Hour}
	for _, m := range sessions {
		e := ical.Event{UID: "public-session-" + strconv.FormatInt(m.ID, 10) + "@peercircle", Sequence: m.Sequence, Stamp: m.UpdatedAt,
			Start: m.PlannedStart, End: m.PlannedEnd, Summary: l.Group.Name, Location: where, URL: page, Description: page}
		switch m.Status {
		case peercircle.SessionCancelled, peercircle.SessionPostponed:
			e.Status = ical.StatusCancelled
			e.Description = L.T("meeting."+m.Status) + "\n" + page
		case peercircle.SessionHeld, peercircle.SessionPlanned:
		}
		if m.VenueID != 0 && m.VenueID != l.Group.VenueID && !l.Online() {
			e.Location = L.T("public.on_request") // a meeting moved to another room: ask
		}
		cal.Events = append(cal.Events, e)
	}
	var buf bytes.Buffer
	if err := cal.Encode(&buf); err != nil {
		s.renderErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Cache-Control", feedCache)
	h.Set("Vary", "Accept-Language, Cookie")
	w.Write(buf.Bytes())
}
