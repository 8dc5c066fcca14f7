package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/peercircle/peercircle"
)

// atSite returns EINVALID with key on field unless the person's home site
// is siteID.
func atSite(tx *Tx, personID, siteID int64, field, key string) error {
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM people WHERE id = ? AND home_site_id = ?", personID, siteID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return &peercircle.Error{Code: peercircle.EINVALID, Key: key, Fields: map[string]string{field: key}, Message: fmt.Sprintf("person %d not at site %d", personID, siteID)}
	}
	return nil
}

// CreatePairing pairs a newcomer with a buddy at their site.
func (s *Store) CreatePairing(ctx context.Context, b *peercircle.BuddyPairing) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if err := atSite(tx, b.NewcomerID, b.SiteID, "newcomer", "growth.error.buddy_site"); err != nil {
			return err
		}
		if err := atSite(tx, b.BuddyID, b.SiteID, "buddy", "growth.error.buddy_site"); err != nil {
			return err
		}
		b.CreatedAt = s.Now()
		var err error
		b.ID, err = tx.Insert(`INSERT INTO buddy_pairings (site_id, newcomer_id, buddy_id, starts_on, ends_on, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, b.SiteID, b.NewcomerID, b.BuddyID, b.StartsOn, b.EndsOn, nullID(b.CreatedBy), b.CreatedAt)
		if err != nil {
			return err
		}
		for _, id := range []int64{b.NewcomerID, b.BuddyID} {
			if err := s.notifyTx(tx, &peercircle.Notification{PersonID: id, Kind: "buddy_paired", Link: "/"}); err != nil {
				return err
			}
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: b.CreatedBy, Action: "buddy.paired", TargetKind: "buddy_pairing", TargetID: b.ID})
	})
}

// EndPairing ends a pairing of the site early.
func (s *Store) EndPairing(ctx context.Context, id, siteID, by int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("UPDATE buddy_pairings SET ended_at = ? WHERE id = ? AND site_id = ? AND ended_at IS NULL", s.Now(), id, siteID)
		if err := affectOne(res, err)("buddy pairing"); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: "buddy.ended", TargetKind: "buddy_pairing", TargetID: id})
	})
}

const pairingCols = "id, site_id, newcomer_id, buddy_id, starts_on, ends_on, created_by, ended_at, created_at"

func (s *Store) pairings(ctx context.Context, where string, args ...any) ([]*peercircle.BuddyPairing, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+pairingCols+" FROM buddy_pairings WHERE "+where+" ORDER BY ends_on DESC, id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.BuddyPairing
	for rows.Next() {
		var b peercircle.BuddyPairing
		if err := rows.Scan(&b.ID, &b.SiteID, &b.NewcomerID, &b.BuddyID, &b.StartsOn, &b.EndsOn, &b.CreatedBy, &b.EndedAt, &b.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, &b)
	}
	return out, rows.Err()
}

// PairingsAt lists a site's pairings, latest end first.
func (s *Store) PairingsAt(ctx context.Context, siteID int64) ([]*peercircle.BuddyPairing, error) {
	return s.pairings(ctx, "site_id = ?", siteID)
}

// PairingsOf lists the pairings a person is in.
func (s *Store) PairingsOf(ctx context.Context, personID int64) ([]*peercircle.BuddyPairing, error) {
	return s.pairings(ctx, "newcomer_id = ? OR buddy_id = ?", personID, personID)
}

// CreateCourse records a training course at a site.
func (s *Store) CreateCourse(ctx context.Context, c *peercircle.TrainingCourse) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if err := exists(tx, "sites", c.SiteID, "site"); err != nil {
			return err
		}
		c.CreatedAt = s.Now()
		var err error
		c.ID, err = tx.Insert("INSERT INTO training_courses (site_id, trainer_id, name, starts_on, modules, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			c.SiteID, nullID(c.TrainerID), c.Name, c.StartsOn, c.Modules, c.CreatedAt)
		if err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: c.TrainerID, Action: "course.created", TargetKind: "course", TargetID: c.ID})
	})
}

const courseCols = "id, site_id, trainer_id, name, starts_on, modules, created_at"

func scanCourse(sc interface{ Scan(...any) error }) (*peercircle.TrainingCourse, error) {
	var c peercircle.TrainingCourse
	return &c, sc.Scan(&c.ID, &c.SiteID, &c.TrainerID, &c.Name, &c.StartsOn, &c.Modules, &c.CreatedAt)
}

// Course returns one course.
func (s *Store) Course(ctx context.Context, id int64) (*peercircle.TrainingCourse, error) {
	c, err := scanCourse(s.DB.QueryRow(ctx, "SELECT "+courseCols+" FROM training_courses WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "course")
	}
	return c, nil
}

// CoursesAt lists the courses of the sites, latest first.
func (s *Store) CoursesAt(ctx context.Context, siteIDs []int64) ([]*peercircle.TrainingCourse, error) {
	if len(siteIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(siteIDs))
	for i, id := range siteIDs {
		args[i] = id
	}
	rows, err := s.DB.Query(ctx, "SELECT "+courseCols+" FROM training_courses WHERE site_id IN ("+placeholders(len(siteIDs))+") ORDER BY starts_on DESC, id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.TrainingCourse
	for rows.Next() {
		c, err := scanCourse(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecordCompletion records that a person at the course's site completed it.
func (s *Store) RecordCompletion(ctx context.Context, r *peercircle.TrainingRecord, by int64) error {
	fields := map[string]string{}
	if r.PersonID == 0 {
		// Nobody chosen: say so, not that the nobody is at another site.
		fields["person"] = "growth.error.choose_person"
	}
	if key := peercircle.DateProblem(r.CompletedOn); key != "" {
		fields["completed_on"] = key
	} else if day, _ := parseDate(r.CompletedOn); day.After(s.Now().Add(14 * time.Hour)) {
		// Not after today anywhere (UTC+14 is the latest zone): a
		// completion is recorded once it happened.
		fields["completed_on"] = "growth.error.completed_future"
	}
	if len(fields) > 0 {
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "error.form", Fields: fields, Message: "bad completion"}
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		var site int64
		if err := tx.QueryRow("SELECT site_id FROM training_courses WHERE id = ?", r.CourseID).Scan(&site); err != nil {
			return notFound(err, "course")
		}
		if err := atSite(tx, r.PersonID, site, "person", "growth.error.course_site"); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM training_records WHERE course_id = ? AND person_id = ?", r.CourseID, r.PersonID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &peercircle.Error{Code: peercircle.ECONFLICT, Key: "growth.error.already_completed", Fields: map[string]string{"person": "growth.error.already_completed"}, Message: "already recorded"}
		}
		if _, err := tx.Exec("INSERT INTO training_records (course_id, person_id, completed_on, recorded_by) VALUES (?, ?, ?, ?)",
			r.CourseID, r.PersonID, r.CompletedOn, nullID(by)); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: "course.completed", TargetKind: "course", TargetID: r.CourseID, Detail: fmt.Sprintf("person=%d", r.PersonID)})
	})
}

func (s *Store) records(ctx context.Context, where string, arg int64) ([]*peercircle.TrainingRecord, error) {
	rows, err := s.DB.Query(ctx, `SELECT r.course_id, c.name, r.person_id, r.completed_on FROM training_records r
		JOIN training_courses c ON c.id = r.course_id WHERE `+where+` ORDER BY r.completed_on DESC, c.name`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.TrainingRecord
	for rows.Next() {
		var r peercircle.TrainingRecord
		if err := rows.Scan(&r.CourseID, &r.Course, &r.PersonID, &r.CompletedOn); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// Completions lists who completed a course.
func (s *Store) Completions(ctx context.Context, courseID int64) ([]*peercircle.TrainingRecord, error) {
	return s.records(ctx, "r.course_id = ?", courseID)
}

// TrainingOf lists the courses a person completed.
func (s *Store) TrainingOf(ctx context.Context, personID int64) ([]*peercircle.TrainingRecord, error) {
	return s.records(ctx, "r.person_id = ?", personID)
}

func parseDate(s string) (time.Time, error) { return time.Parse(peercircle.DateLayout, s) }
