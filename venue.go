package peercircle

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Venue is a room at a site or a virtual meeting link, with the checklist
// of the guidance (001, "Location and frequency of meetings"): can people
// get there easily, is it large enough, quiet and private enough, are
// there toilets, what does it cost, will refreshments be offered.
type Venue struct {
	ID           int64
	SiteID       int64
	Name         string
	Virtual      bool
	Address      string // where to find the room: floor, door
	MeetingLink  string // for virtual venues
	Capacity     int
	Accessible   bool
	QuietPrivate bool
	Toilets      bool
	Cost         string // free text: "free", "5 JD a session"
	Refreshments bool
	Notes        string
}

// Validate checks a venue before it is saved: a name, a link for a
// virtual venue (https only), a sensible capacity.
func (v *Venue) Validate() error {
	f := FieldErrors{}
	v.Name = strings.TrimSpace(v.Name)
	v.MeetingLink = strings.TrimSpace(v.MeetingLink)
	validateName(f, "name", v.Name)
	if v.SiteID == 0 {
		f.Add("site", "error.required")
	}
	if v.Virtual {
		u, err := url.Parse(v.MeetingLink)
		if v.MeetingLink == "" {
			f.Add("meeting_link", "error.required")
		} else if err != nil || u.Scheme != "https" || u.Host == "" {
			f.Add("meeting_link", "venue.error.link")
		}
	} else if v.MeetingLink != "" {
		f.Add("meeting_link", "venue.error.link_not_virtual")
	}
	if v.Capacity < 0 || v.Capacity > 1000 {
		f.Add("capacity", "error.range")
	}
	for field, text := range map[string]string{"address": v.Address, "cost": v.Cost, "notes": v.Notes} {
		if utf8.RuneCountInString(text) > 500 {
			f.Add(field, "error.too_long")
		}
	}
	return f.Err()
}

// Checklist returns how many of the guidance's checks the venue meets,
// out of the total, for the venue list.
func (v *Venue) Checklist() (met, total int) {
	for _, ok := range []bool{v.Accessible, v.QuietPrivate, v.Toilets, v.Refreshments, v.Capacity > 0} {
		if ok {
			met++
		}
	}
	if v.Virtual {
		return met, met // the room checks do not apply to a link
	}
	return met, 5
}

// VenueService stores venues. SaveVenue creates (ID 0) or updates a venue
// and returns EINVALID when Validate fails, ENOTFOUND for an unknown site
// or venue.
type VenueService interface {
	SaveVenue(ctx context.Context, v *Venue) error
	Venue(ctx context.Context, id int64) (*Venue, error)
	VenuesAtSite(ctx context.Context, siteID int64) ([]*Venue, error)
}
