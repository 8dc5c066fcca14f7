package peercircle

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The organisation tree: organisation → region → area → site. Every group
// belongs to one site, and reports roll up the same tree. An installation
// serves one organisation.

// Organisation is the top of the tree: the programme's owner.
type Organisation struct {
	ID   int64
	Name string
	// QuarterStartMonth is the first month of the organisation's first quarter
	// (1 = calendar quarters). Quarterly reports follow it.
	QuarterStartMonth int
}

// Region is a field or country office (000: "LFO", a field office).
type Region struct {
	ID       int64
	Name     string
	TimeZone string // default zone for new sites
}

// Area groups the sites a coordinator oversees (000: the area office).
type Area struct {
	ID       int64
	RegionID int64
	Name     string
}

// Site kinds.
const (
	SiteHealthCentre    = "health_centre"
	SiteCommunityCentre = "community_centre"
	SiteOther           = "other"
)

// Site is a health centre or community centre where groups meet.
type Site struct {
	ID       int64
	AreaID   int64
	Name     string
	Kind     string
	TimeZone string // IANA zone; meetings keep their wall-clock time in it
	// JoinedProgramme is when the site joined the programme; nil means not
	// yet: its trained staff visit a host site's group once a month (000).
	JoinedProgramme *time.Time
}

// SiteKinds lists the valid site kinds in display order.
var SiteKinds = []string{SiteHealthCentre, SiteCommunityCentre, SiteOther}

// ValidateName checks a display name for any tree node or group.
func validateName(f FieldErrors, field, name string) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		f.Add(field, "error.required")
	case utf8.RuneCountInString(name) > 120:
		f.Add(field, "error.too_long")
	}
}

// ValidateTimeZone reports whether zone is a loadable IANA zone name.
func ValidateTimeZone(zone string) bool {
	if zone == "" || zone == "Local" {
		return false
	}
	_, err := time.LoadLocation(zone)
	return err == nil
}

// Validate checks a region before it is saved.
func (r *Region) Validate() error {
	f := FieldErrors{}
	validateName(f, "name", r.Name)
	if !ValidateTimeZone(r.TimeZone) {
		f.Add("time_zone", "error.time_zone")
	}
	return f.Err()
}

// Validate checks an area before it is saved.
func (a *Area) Validate() error {
	f := FieldErrors{}
	validateName(f, "name", a.Name)
	if a.RegionID == 0 {
		f.Add("region", "error.required")
	}
	return f.Err()
}

// Validate checks a site before it is saved.
func (s *Site) Validate() error {
	f := FieldErrors{}
	validateName(f, "name", s.Name)
	if s.AreaID == 0 {
		f.Add("area", "error.required")
	}
	if !contains(SiteKinds, s.Kind) {
		f.Add("kind", "error.choice")
	}
	if !ValidateTimeZone(s.TimeZone) {
		f.Add("time_zone", "error.time_zone")
	}
	if s.JoinedProgramme != nil {
		if y := s.JoinedProgramme.Year(); y < EarliestMeeting || y > LatestMeeting {
			f.Add("joined", "error.date_range")
		}
	}
	return f.Err()
}

// Location loads the site's zone; an invalid zone (never saved, see Validate)
// falls back to UTC rather than failing a page.
func (s *Site) Location() *time.Location {
	loc, err := LoadZone(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// zones holds the zones loaded so far (name → *time.Location): a Location
// never changes once loaded, and there are a few hundred names at most.
var zones sync.Map

// LoadZone is time.LoadLocation for a zone name, kept once loaded:
// time.LoadLocation opens, reads and parses the zone file on every call,
// and a page asks for its sites' zones many times.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Tree is the whole organisation tree, small enough to load at once (a
// national programme has a few hundred sites, a country's a few thousand).
// The store hands every caller the same tree until it changes: a Tree is
// read, never changed (copy what you need to change).
type Tree struct {
	Organisation Organisation
	Regions      []Region
	Areas        []Area
	Sites        []Site
}

// SiteScope returns the scope of a site in the tree, or false if unknown.
func (t *Tree) SiteScope(siteID int64) (Scope, bool) {
	for _, s := range t.Sites {
		if s.ID == siteID {
			for _, a := range t.Areas {
				if a.ID == s.AreaID {
					return Scope{RegionID: a.RegionID, AreaID: a.ID, SiteID: s.ID}, true
				}
			}
		}
	}
	return Scope{}, false
}

// OrgService reads and edits the organisation tree.
//
// Create and Update methods return EINVALID when Validate fails and
// ENOTFOUND when a parent does not exist; Delete methods return ECONFLICT
// when the node still has children (areas, sites, groups), so nothing is
// orphaned.
type OrgService interface {
	// Tree returns the organisation tree, shared by every caller: it must
	// not be changed.
	Tree(ctx context.Context) (*Tree, error)
	UpdateOrganisation(ctx context.Context, o *Organisation) error
	CreateRegion(ctx context.Context, r *Region) error
	UpdateRegion(ctx context.Context, r *Region) error
	DeleteRegion(ctx context.Context, id int64) error
	CreateArea(ctx context.Context, a *Area) error
	UpdateArea(ctx context.Context, a *Area) error
	DeleteArea(ctx context.Context, id int64) error
	CreateSite(ctx context.Context, s *Site) error
	UpdateSite(ctx context.Context, s *Site) error
	DeleteSite(ctx context.Context, id int64) error
	Site(ctx context.Context, id int64) (*Site, error)
	SiteScope(ctx context.Context, id int64) (Scope, error)
}
