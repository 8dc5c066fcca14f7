package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
)

var (
	_ peercircle.MeetingService  = (*Store)(nil)
	_ peercircle.RotationService = (*Store)(nil)
	_ peercircle.FeedService     = (*Store)(nil)
	_ peercircle.VenueService    = (*Store)(nil)
	_ peercircle.AgendaService   = (*Store)(nil)
	_ peercircle.EthicsService   = (*Store)(nil)
	_ peercircle.ConsentService  = (*Store)(nil)
)

// reasonScheduleChanged is the status reason (a message key) of a meeting
// the schedule no longer has but members had already answered for.
const reasonScheduleChanged = "schedule.changed_reason"

// SaveSchedule checks and saves a group's schedule in the group's site
// zone, then plans its sessions ahead.
func (s *Store) SaveSchedule(ctx context.Context, g *peercircle.GroupSchedule) error {
	zone, err := s.groupZone(ctx, g.GroupID)
	if err != nil {
		return err
	}
	g.TimeZone = zone
	if _, err := g.Compile(); err != nil {
		return err
	}
	g.UpdatedAt = s.Now()
	err = s.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`INSERT INTO schedules (group_id, preset, rule, start_date, start_time, minutes, time_zone, exceptions, extras, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (group_id) DO UPDATE SET preset = excluded.preset, rule = excluded.rule, start_date = excluded.start_date,
			start_time = excluded.start_time, minutes = excluded.minutes, time_zone = excluded.time_zone, exceptions = excluded.exceptions,
			extras = excluded.extras, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			g.GroupID, g.Preset, g.Rule, g.StartDate, g.StartTime, g.Minutes, g.TimeZone,
			strings.Join(g.Exceptions, ","), strings.Join(g.Extras, ","), g.UpdatedAt, nullID(g.UpdatedBy))
		return err
	})
	if err != nil {
		return err
	}
	_, err = s.Materialise(ctx, g.GroupID, s.horizon(ctx))
	return err
}

func (s *Store) groupZone(ctx context.Context, groupID int64) (string, error) {
	var zone string
	err := s.DB.QueryRow(ctx, "SELECT st.time_zone FROM groups g JOIN sites st ON st.id = g.site_id WHERE g.id = ?", groupID).Scan(&zone)
	return zone, notFound(err, "group")
}

// GroupScheduleOf returns a group's schedule.
func (s *Store) GroupScheduleOf(ctx context.Context, groupID int64) (*peercircle.GroupSchedule, error) {
	var g peercircle.GroupSchedule
	var exc, ext string
	err := s.DB.QueryRow(ctx, `SELECT group_id, preset, rule, start_date, start_time, minutes, time_zone, exceptions, extras, updated_at, updated_by
		FROM schedules WHERE group_id = ?`, groupID).Scan(&g.GroupID, &g.Preset, &g.Rule, &g.StartDate, &g.StartTime, &g.Minutes, &g.TimeZone,
		&exc, &ext, &g.UpdatedAt, &g.UpdatedBy)
	if err != nil {
		return nil, notFound(err, "schedule")
	}
	g.Exceptions, g.Extras = splitList(exc), splitList(ext)
	return &g, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// horizon reads how far ahead to plan (setting schedule.horizon_weeks).
func (s *Store) horizon(ctx context.Context) time.Duration {
	v, err := s.Setting(ctx, peercircle.HorizonSetting, "")
	if err != nil || v == "" {
		return peercircle.DefaultHorizon
	}
	weeks, err := strconv.Atoi(v)
	if err != nil || weeks < 1 || weeks > 104 {
		return peercircle.DefaultHorizon
	}
	return time.Duration(weeks) * 7 * 24 * time.Hour
}

// Horizon is how far ahead sessions are planned on this installation.
func (s *Store) Horizon(ctx context.Context) time.Duration { return s.horizon(ctx) }

// Materialise plans a group's sessions from now to now+horizon from its
// schedule. A future session the schedule made and nobody touched follows
// the schedule: it is added, its end or venue updated, or it is removed
// when the schedule no longer has it (cancelled instead, with a reason,
// when members had already answered for it). Held, cancelled, postponed
// and edited sessions are never changed. Then the rotas are filled.
func (s *Store) Materialise(ctx context.Context, groupID int64, horizon time.Duration) (peercircle.MaterialiseResult, error) {
	res := peercircle.MaterialiseResult{Groups: 1}
	g, err := s.Group(ctx, groupID)
	if err != nil {
		return res, err
	}
	gs, err := s.GroupScheduleOf(ctx, groupID)
	if peercircle.ErrorCode(err) == peercircle.ENOTFOUND {
		return res, nil
	} else if err != nil {
		return res, err
	}
	if zone, err := s.groupZone(ctx, groupID); err == nil {
		gs.TimeZone = zone // the site's zone today
	}
	digest := planDigest(gs, g.Status, g.VenueID)
	sched, err := gs.Compile()
	if err != nil {
		return res, err
	}
	now := s.Now()
	var want []schedule.Occurrence
	if g.Status == peercircle.GroupActive || g.Status == peercircle.GroupForming {
		want = sched.Between(now, now.Add(horizon), 0)
	}
	err = s.DB.Write(ctx, func(tx *Tx) error {
		byStart := map[time.Time]schedule.Occurrence{}
		for _, o := range want {
			byStart[o.Start.UTC()] = o
		}
		rows, err := tx.Query("SELECT "+sessionCols+" FROM sessions WHERE group_id = ? AND occurrence IS NOT NULL AND (occurrence >= ? OR planned_start >= ?)",
			groupID, now, now)
		if err != nil {
			return err
		}
		var existing []*peercircle.Session
		for rows.Next() {
			m, err := scanSession(rows)
			if err != nil {
				rows.Close()
				return err
			}
			existing = append(existing, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range existing {
			o, inSchedule := byStart[m.Occurrence.UTC()]
			delete(byStart, m.Occurrence.UTC())
			revivable := m.Status == peercircle.SessionCancelled && m.StatusReason == reasonScheduleChanged && !m.Edited
			touched := m.Edited || (m.Status != peercircle.SessionPlanned && !revivable)
			switch {
			case touched:
				res.Kept++
			case !inSchedule:
				if m.Status == peercircle.SessionPlanned {
					if err := s.dropSessionTx(tx, m.ID, reasonScheduleChanged); err != nil {
						return err
					}
					res.Removed++
				}
			case revivable || !m.PlannedEnd.Equal(o.End) || m.VenueID != g.VenueID:
				if _, err := tx.Exec(`UPDATE sessions SET status = ?, status_reason = '', planned_start = ?, planned_end = ?, local_date = ?, venue_id = ?,
					sequence = sequence + 1, updated_at = ? WHERE id = ?`,
					peercircle.SessionPlanned, o.Start, o.End, o.Date.String(), nullID(g.VenueID), now, m.ID); err != nil {
					return err
				}
				res.Updated++
			}
		}
		for _, o := range want {
			if _, left := byStart[o.Start.UTC()]; !left {
				continue
			}
			occ := o.Start.UTC()
			m := &peercircle.Session{GroupID: groupID, PlannedStart: o.Start, PlannedEnd: o.End, LocalDate: o.Date.String(),
				Occurrence: &occ, Status: peercircle.SessionPlanned, VenueID: g.VenueID}
			if err := s.addSessionTx(tx, m); err != nil {
				return err
			}
			res.Added++
		}
		// What was planned, for MaterialiseAll to pass over this group
		// until something it reads changes or the horizon brings a meeting.
		if _, err := tx.Exec("UPDATE schedules SET planned_digest = ?, planned_until = ? WHERE group_id = ?",
			digest, now.Add(horizon), groupID); err != nil {
			return err
		}
		return s.assignRotationTx(tx, groupID, now)
	})
	return res, err
}

// planDigest sums up everything Materialise reads to plan a group's
// sessions besides the clock: the same digest and a horizon that brings no
// new meeting plan the same sessions again.
func planDigest(gs *peercircle.GroupSchedule, status string, venueID int64) string {
	h := sha256.New()
	for _, f := range []string{gs.Rule, gs.StartDate, gs.StartTime, strconv.Itoa(gs.Minutes), gs.TimeZone,
		strings.Join(gs.Exceptions, ","), strings.Join(gs.Extras, ","), status, strconv.FormatInt(venueID, 10)} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// dropSessionTx removes a planned session nobody answered for, or cancels
// it with a reason (a message key) when members had.
func (s *Store) dropSessionTx(tx *Tx, id int64, reason string) error {
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM attendance WHERE session_id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		_, err := tx.Exec("DELETE FROM sessions WHERE id = ?", id)
		return err
	}
	_, err := tx.Exec("UPDATE sessions SET status = ?, status_reason = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?",
		peercircle.SessionCancelled, reason, s.Now(), id)
	return err
}

// MaterialiseAll plans every scheduled group ahead; the periodic job runs
// it so the horizon keeps moving. It reads every schedule in one query and
// passes over a group whose schedule, zone, status and venue are those it
// was last planned for, when the horizon has not shrunk and brings no new
// meeting: planning it again would change nothing. The others are planned
// one transaction each, as Materialise does.
func (s *Store) MaterialiseAll(ctx context.Context, horizon time.Duration) (peercircle.MaterialiseResult, error) {
	var total peercircle.MaterialiseResult
	rows, err := s.DB.Query(ctx, `SELECT s.group_id, s.rule, s.start_date, s.start_time, s.minutes, st.time_zone, s.exceptions, s.extras,
		g.status, g.venue_id, s.planned_digest, s.planned_until
		FROM schedules s JOIN groups g ON g.id = s.group_id JOIN sites st ON st.id = g.site_id
		WHERE g.status <> ? ORDER BY s.group_id`, peercircle.GroupEnded)
	if err != nil {
		return total, err
	}
	type planned struct {
		gs      peercircle.GroupSchedule
		status  string
		venueID int64
		digest  string
		until   *time.Time
	}
	var all []planned
	for rows.Next() {
		var p planned
		var exc, ext string
		if err := rows.Scan(&p.gs.GroupID, &p.gs.Rule, &p.gs.StartDate, &p.gs.StartTime, &p.gs.Minutes, &p.gs.TimeZone, &exc, &ext,
			&p.status, &p.venueID, &p.digest, &p.until); err != nil {
			rows.Close()
			return total, err
		}
		p.gs.Exceptions, p.gs.Extras = splitList(exc), splitList(ext)
		all = append(all, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return total, err
	}
	end := s.Now().Add(horizon)
	for _, p := range all {
		total.Groups++
		if p.until != nil && !end.Before(*p.until) && p.digest == planDigest(&p.gs, p.status, p.venueID) && !newMeetings(&p.gs, p.status, *p.until, end) {
			total.Unchanged++
			continue
		}
		r, err := s.Materialise(ctx, p.gs.GroupID, horizon)
		if err != nil {
			return total, err
		}
		total.Added += r.Added
		total.Updated += r.Updated
		total.Removed += r.Removed
		total.Kept += r.Kept
	}
	return total, nil
}

// newMeetings reports whether a group's schedule has a meeting in [from,
// to): one a moving horizon would add. Groups that do not meet (paused)
// never have one; a schedule that no longer compiles is left to
// Materialise, which reports it.
func newMeetings(gs *peercircle.GroupSchedule, status string, from, to time.Time) bool {
	if status != peercircle.GroupActive && status != peercircle.GroupForming {
		return false
	}
	if !from.Before(to) {
		return false
	}
	sched, err := gs.Compile()
	if err != nil {
		return true
	}
	return len(sched.Between(from, to, 1)) > 0
}
