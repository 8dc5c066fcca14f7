package peercircle

import (
	"context"
	"time"
)

// Reminders before each meeting (issue 12): each current member of the
// group gets a reminder two days and two hours before, on their channel,
// with a one-tap link that answers "I'll be there" or "Send my apologies"
// without signing in. The link is single use, bound to that person and
// meeting, and stops when the meeting starts. Someone who already sent
// apologies is not reminded.

// ReminderOffsets are how long before a meeting reminders go.
var ReminderOffsets = []time.Duration{48 * time.Hour, 2 * time.Hour}

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
