package peercircle

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Buddy pairings and training records: the rest of growing people.
//
// A buddy pairing (002: "buddy systems for new staff"; 001: what newcomers
// need to know) pairs a newcomer with an experienced peer at the same site
// for an induction period; the site's organiser makes it and both see it
// on their home page. A training course (004, the peer supporter
// training) is run by a trainer at a site; the trainer records who
// completed it, and the completions show on the competency profile.

// BuddyPairing is a newcomer and an experienced peer for an induction period.
type BuddyPairing struct {
	ID         int64
	SiteID     int64
	NewcomerID int64
	BuddyID    int64
	StartsOn   string // DateLayout
	EndsOn     string // DateLayout; the end of the induction period
	CreatedBy  int64
	EndedAt    *time.Time // ended early by the organiser
	CreatedAt  time.Time
}

// MaxInductionDays is the longest induction period a pairing may cover.
const MaxInductionDays = 366

// Validate checks a new pairing: two different people, and an induction
// period that ends after it starts and lasts at most a year.
func (b *BuddyPairing) Validate() error {
	f := FieldErrors{}
	b.StartsOn, b.EndsOn = strings.TrimSpace(b.StartsOn), strings.TrimSpace(b.EndsOn)
	if b.NewcomerID == 0 {
		f.Add("newcomer", "error.required")
	}
	if b.BuddyID == 0 {
		f.Add("buddy", "error.required")
	} else if b.BuddyID == b.NewcomerID {
		f.Add("buddy", "growth.error.same_person")
	}
	start, _ := time.Parse(DateLayout, b.StartsOn)
	end, _ := time.Parse(DateLayout, b.EndsOn)
	switch {
	case DateProblem(b.StartsOn) != "":
		f.Add("starts_on", DateProblem(b.StartsOn))
	case DateProblem(b.EndsOn) != "":
		f.Add("ends_on", DateProblem(b.EndsOn))
	case !end.After(start):
		f.Add("ends_on", "growth.error.ends_before")
	case end.Sub(start) > MaxInductionDays*24*time.Hour:
		f.Add("ends_on", "growth.error.too_long_period")
	}
	return f.Err()
}

// Active reports whether the pairing still runs on day (DateLayout).
func (b *BuddyPairing) Active(day string) bool {
	return b.EndedAt == nil && b.StartsOn <= day && day <= b.EndsOn
}

// TrainingCourse is one run of a training course at a site.
type TrainingCourse struct {
	ID        int64
	SiteID    int64
	TrainerID int64
	Name      string
	StartsOn  string // DateLayout
	Modules   string // the modules, as the trainer lists them
	CreatedAt time.Time
}

// Validate checks a course: a name, a start date, modules within limits.
func (c *TrainingCourse) Validate() error {
	f := FieldErrors{}
	c.Name, c.StartsOn, c.Modules = strings.TrimSpace(c.Name), strings.TrimSpace(c.StartsOn), strings.TrimSpace(c.Modules)
	validateName(f, "name", c.Name)
	if c.SiteID == 0 {
		f.Add("site", "error.required")
	}
	if !validDate(c.StartsOn) {
		f.Add("starts_on", DateProblem(c.StartsOn))
	}
	if utf8.RuneCountInString(c.Modules) > MaxGrowText {
		f.Add("modules", "error.too_long")
	}
	return f.Err()
}

// TrainingRecord is a person having completed a course.
type TrainingRecord struct {
	CourseID    int64
	Course      string
	PersonID    int64
	CompletedOn string // DateLayout
}

// BuddyService keeps buddy pairings and training records.
//
// CreatePairing returns EINVALID when Validate fails or either person's
// home site is not the pairing's site ("growth.error.buddy_site").
// EndPairing returns ENOTFOUND when the pairing is not of the site.
// CreateCourse returns EINVALID when Validate fails. RecordCompletion
// returns EINVALID for a bad date or a person not at the course's site,
// ECONFLICT when already recorded.
type BuddyService interface {
	CreatePairing(ctx context.Context, b *BuddyPairing) error
	EndPairing(ctx context.Context, id, siteID, by int64) error
	PairingsAt(ctx context.Context, siteID int64) ([]*BuddyPairing, error)
	// PairingsOf lists the pairings where the person is newcomer or buddy.
	PairingsOf(ctx context.Context, personID int64) ([]*BuddyPairing, error)

	CreateCourse(ctx context.Context, c *TrainingCourse) error
	Course(ctx context.Context, id int64) (*TrainingCourse, error)
	CoursesAt(ctx context.Context, siteIDs []int64) ([]*TrainingCourse, error)
	RecordCompletion(ctx context.Context, r *TrainingRecord, by int64) error
	Completions(ctx context.Context, courseID int64) ([]*TrainingRecord, error)
	TrainingOf(ctx context.Context, personID int64) ([]*TrainingRecord, error)
}
