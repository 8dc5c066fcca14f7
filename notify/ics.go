package notify

import (
	"bytes"
	"context"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/ical"
)

// MeetingStore is what a meeting's calendar attachment is read from.
type MeetingStore interface {
	Session(ctx context.Context, id int64) (*peercircle.Session, error)
	Venue(ctx context.Context, id int64) (*peercircle.Venue, error)
}

// MeetingAttachment returns an Attach function that puts the meeting of a
// reminder or a turn reminder into its e-mail as an .ics file, so one tap
// adds it to a calendar. The event is named as the message names the
// group (its first argument: "your group" for someone unlisted in it), with
// the same UID as the person's calendar feed, so a client keeps one event.
func MeetingAttachment(store MeetingStore) func(ctx context.Context, m *peercircle.OutboxMessage, msg Message) []Attachment {
	return func(ctx context.Context, m *peercircle.OutboxMessage, msg Message) []Attachment {
		if (m.Kind != peercircle.KindMeetingReminder && m.Kind != peercircle.KindTurnReminder) || len(msg.Args) == 0 {
			return nil
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(m.Ref, "meeting:"), 10, 64)
		if err != nil || !strings.HasPrefix(m.Ref, "meeting:") {
			return nil
		}
		s, err := store.Session(ctx, id)
		if err != nil || s.Status != peercircle.SessionPlanned {
			return nil
		}
		e := ical.Event{UID: "session-" + strconv.FormatInt(s.ID, 10) + "@peercircle", Sequence: s.Sequence, Stamp: s.UpdatedAt,
			Start: s.PlannedStart, End: s.PlannedEnd, Summary: msg.Args[0], URL: msg.Link, Status: ical.StatusConfirmed}
		if s.VenueID != 0 {
			if v, err := store.Venue(ctx, s.VenueID); err == nil {
				e.Location = v.Name
				if v.Virtual {
					e.Location = v.MeetingLink
				} else if v.Address != "" {
					e.Location += ", " + v.Address
				}
			}
		}
		var b bytes.Buffer
		if err := (&ical.Calendar{Events: []ical.Event{e}}).Encode(&b); err != nil {
			return nil
		}
		return []Attachment{{Name: "meeting.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: b.Bytes()}}
	}
}
