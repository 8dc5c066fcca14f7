package peercircle

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle/i18n"
)

// Reminders before each meeting (issue 12): each current member of the
// group gets a reminder two days and two hours before, on their channel,
// with a one-tap link that answers "I'll be there" or "Send my apologies"
// without signing in. The link is single use, bound to that person and
// meeting, and stops when the meeting starts. Someone who already sent
// apologies is not reminded.

// ReminderOffsets are how long before a meeting reminders go.
var ReminderOffsets = []time.Duration{48 * time.Hour, 2 * time.Hour}

// MaxReminderHours bounds how early a reminder may go: two weeks.
const MaxReminderHours = 14 * 24

// GroupReminderSetting is the setting holding a group's own reminder
// times (hours before a meeting, "48, 2"); without it ReminderOffsets.
func GroupReminderSetting(groupID int64) string {
	return "reminders.group." + strconv.FormatInt(groupID, 10)
}

// ParseReminderHours reads a group's reminder times: up to three numbers
// of hours before a meeting (1 to MaxReminderHours, any digits, separated
// by commas or spaces), longest first; "" is the default. It returns a
// message key for what it cannot read.
func ParseReminderHours(s string) ([]time.Duration, string) {
	var out []time.Duration
	for _, f := range strings.FieldsFunc(i18n.ParseDigits(s), func(r rune) bool { return r == ',' || r == '،' || r == ' ' || r == ';' }) {
		h, err := strconv.Atoi(f)
		if err != nil || h < 1 || h > MaxReminderHours {
			return nil, "reminder.error.hours"
		}
		d := time.Duration(h) * time.Hour
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(out) > 3 {
		return nil, "reminder.error.too_many"
	}
	slices.SortFunc(out, func(a, b time.Duration) int { return int(b - a) })
	return out, ""
}

// ReminderHoursText writes reminder times as ParseReminderHours reads
// them.
func ReminderHoursText(offsets []time.Duration) string {
	var parts []string
	for _, d := range offsets {
		parts = append(parts, strconv.Itoa(int(d/time.Hour)))
	}
	return strings.Join(parts, ", ")
}

// KindMeetingReminder is the notice kind of a reminder.
const KindMeetingReminder = "meeting_reminder"

// TurnOffsets are how long before a meeting its facilitators and
// co-facilitators are told it is their turn (a week, and the day before).
var TurnOffsets = []time.Duration{7 * 24 * time.Hour, 24 * time.Hour}

// KindTurnReminder is the notice kind of "it is your turn to facilitate".
const KindTurnReminder = "turn_reminder"

// AnswerLink is a one-tap answer link from a reminder.
type AnswerLink struct {
	SessionID int64
	PersonID  int64
	ExpiresAt time.Time
	UsedAt    *time.Time
	Answer    string // the answer given with it, once used
}

// ReminderService sends reminders and takes answers from their links.
//
// SendReminders writes the reminders due now (each person, meeting and
// offset once, across instances) and returns how many. AnswerLink returns
// a link's state (ENOTFOUND for an unknown token). AnswerByLink records the
// answer (AttendExpected or AttendApologies) and uses the link up:
// EINVALID "reminder.link_used" once used, "reminder.link_expired" after
// the meeting started or when it is no longer planned.
type ReminderService interface {
	SendReminders(ctx context.Context) (int, error)
	AnswerLink(ctx context.Context, token string) (*AnswerLink, error)
	AnswerByLink(ctx context.Context, token, answer string) error
}
