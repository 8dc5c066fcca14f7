package peercircle

import (
	"context"
	"math"
	"net/url"
	"strconv"
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
	// Latitude and Longitude place the room for the finder's "near me";
	// both or neither.
	Latitude, Longitude *float64
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
	if (v.Latitude == nil) != (v.Longitude == nil) {
		f.Add("latitude", "venue.error.coords")
	} else if v.Latitude != nil && (*v.Latitude < -90 || *v.Latitude > 90 || *v.Longitude < -180 || *v.Longitude > 180 ||
		math.IsNaN(*v.Latitude) || math.IsNaN(*v.Longitude)) {
		f.Add("latitude", "venue.error.coords")
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

// Position returns the venue's latitude and longitude as people write
// them ("31.95, 35.91"), or "".
func (v *Venue) Position() string {
	if v.Latitude == nil || v.Longitude == nil {
		return ""
	}
	return strconv.FormatFloat(*v.Latitude, 'f', -1, 64) + ", " + strconv.FormatFloat(*v.Longitude, 'f', -1, 64)
}

// SetPosition reads "latitude, longitude" ("" clears it); a text that is
// not two numbers leaves an invalid position for Validate to report.
func (v *Venue) SetPosition(s string) {
	s = strings.TrimSpace(strings.NewReplacer("،", ",", "٫", ".").Replace(s))
	v.Latitude, v.Longitude = nil, nil
	if s == "" {
		return
	}
	la, lo, _ := strings.Cut(s, ",")
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	if err1 != nil || err2 != nil {
		nan := math.NaN()
		v.Latitude, v.Longitude = &nan, &nan
		return
	}
	v.Latitude, v.Longitude = &lat, &lon
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
