package peercircle

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/peercircle/peercircle/schedule"
)

// GroupSchedule is when a group meets: a recurrence rule (made from a
// preset or written in the editor) from a first date, at a local time, for
// a number of minutes, in the site's zone, with exception dates and extra
// one-off meetings. The schedule package does the calendar arithmetic.
type GroupSchedule struct {
	GroupID    int64
	Preset     string   // schedule.PresetStaff, ... or custom
	Rule       string   // RRULE text, canonical after Compile
	StartDate  string   // YYYY-MM-DD: the first date the rule may use
	StartTime  string   // HH:MM local
	Minutes    int      // duration
	TimeZone   string   // the site's zone when the schedule was saved
	Exceptions []string // YYYY-MM-DD dates with no meeting
	Extras     []string // "YYYY-MM-DD HH:MM" one-off meetings
	UpdatedAt  time.Time
	UpdatedBy  int64
}

// Compile checks the schedule and returns it ready to expand. Every
// problem comes back as an EINVALID error with per-field message keys, so
// the editor shows it next to the field and changes nothing.
func (g *GroupSchedule) Compile() (*schedule.Schedule, error) {
	f := FieldErrors{}
	s := &schedule.Schedule{Duration: time.Duration(g.Minutes) * time.Minute}
	loc, err := LoadZone(g.TimeZone)
	if err != nil || g.TimeZone == "" {
		f.Add("time_zone", "error.time_zone")
		loc = time.UTC
	}
	s.Location = loc
	if d, err := schedule.ParseDate(strings.TrimSpace(g.StartDate)); err != nil {
		f.Add("start_date", "error.date")
	} else {
		s.Start = d
		g.StartDate = d.String()
	}
	if c, err := schedule.ParseClock(strings.TrimSpace(g.StartTime)); err != nil {
		f.Add("start_time", "schedule.error.time")
	} else {
		s.Time = c
		g.StartTime = c.String()
	}
	if strings.TrimSpace(g.Rule) != "" {
		r, err := schedule.ParseRule(g.Rule)
		if err != nil {
			f.Add("rule", scheduleKey(err))
		} else {
			s.Rule = r
			g.Rule = r.String()
		}
	}
	g.Exceptions = cleanList(g.Exceptions)
	for _, e := range g.Exceptions {
		d, err := schedule.ParseDate(e)
		if err != nil {
			f.Add("exceptions", "error.date")
			continue
		}
		s.Exceptions = append(s.Exceptions, d)
	}
	g.Extras = cleanList(g.Extras)
	for _, e := range g.Extras {
		dt, err := schedule.ParseDateTime(e)
		if err != nil {
			f.Add("extras", "schedule.error.extra")
			continue
		}
		s.Extras = append(s.Extras, dt)
	}
	if len(f) > 0 {
		return nil, f.Err()
	}
	if err := s.Validate(); err != nil {
		var se *schedule.Error
		if errors.As(err, &se) {
			field := se.Field
			if field == "start" {
				field = "start_date"
			}
			f.Add(field, se.Key)
			return nil, f.Err()
		}
		return nil, err
	}
	return s, nil
}

// Validate checks the schedule (see Compile).
func (g *GroupSchedule) Validate() error {
	_, err := g.Compile()
	return err
}

func scheduleKey(err error) string {
	var se *schedule.Error
	if errors.As(err, &se) {
		return se.Key
	}
	return "schedule.error.syntax"
}

func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
			if p := strings.TrimSpace(part); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

// DefaultHorizon is how far ahead sessions are planned from a schedule,
// unless the setting schedule.horizon_weeks says otherwise.
const DefaultHorizon = 12 * 7 * 24 * time.Hour

// HorizonSetting names the installation setting for the horizon in weeks.
const HorizonSetting = "schedule.horizon_weeks"

// MaterialiseResult counts what planning ahead changed. Unchanged counts
// the groups MaterialiseAll passed over because their schedule, zone,
// status and venue were already planned to a horizon that brings no new
// meeting.
type MaterialiseResult struct {
	Groups, Added, Updated, Removed, Kept, Unchanged int
}

// MeetingService plans a group's meetings from its schedule and handles
// what happens to one meeting before it is held.
//
// SaveSchedule returns EINVALID (see GroupSchedule.Compile) and changes
// nothing then; on success it plans the sessions ahead at once.
// GroupScheduleOf returns ENOTFOUND when the group has no schedule.
// Materialise plans a group's sessions up to now+horizon: future sessions
// the schedule made and nobody touched follow the schedule (added, moved,
// removed); held, cancelled, postponed or edited ones are never changed.
// MaterialiseAll does the same for every scheduled group that is not
// ended, passing over those already planned for their current schedule
// whose horizon brings no new meeting.
// CancelSession and PostponeSession return ECONFLICT for a session that
// is not planned or already started, EINVALID for a missing reason or a
// new time in the past. RSVP returns ECONFLICT once the meeting has
// started and EFORBIDDEN for someone not in the group.
type MeetingService interface {
	SaveSchedule(ctx context.Context, g *GroupSchedule) error
	GroupScheduleOf(ctx context.Context, groupID int64) (*GroupSchedule, error)
	Materialise(ctx context.Context, groupID int64, horizon time.Duration) (MaterialiseResult, error)
	MaterialiseAll(ctx context.Context, horizon time.Duration) (MaterialiseResult, error)
	CancelSession(ctx context.Context, sessionID int64, reason string, by int64) error
	PostponeSession(ctx context.Context, sessionID int64, reason string, to *time.Time, by int64) (*Session, error)
	RSVP(ctx context.Context, sessionID, personID int64, status string) error
	Attendances(ctx context.Context, sessionID int64) ([]*Attendance, error)
	// Answers returns a person's attendance status (their answer ahead,
	// or what the live session recorded) at each of the sessions that has
	// one, by session id.
	Answers(ctx context.Context, personID int64, sessionIDs []int64) (map[int64]string, error)
	// MovedTo returns the session a postponed one moved to, or 0.
	MovedTo(ctx context.Context, sessionID int64) (int64, error)
}
