package sqlstore

import (
	"context"
	"time"

	"github.com/peercircle/peercircle"
)

// MeetingView reads a meeting's page for a person in one transaction. Its
// first statement reads the meeting's one-to-one rows together (the live
// state, the feedback round, the person's code and feeling, whether there
// is a Sheet 2); the parts a meeting has only once it runs or was written
// up are then read only when it has them, and the segments (or, before
// it runs, its template's) once for both the times and the live state.
func (s *Store) MeetingView(ctx context.Context, sessionID, personID int64) (*peercircle.MeetingView, error) {
	v := &peercircle.MeetingView{}
	err := s.DB.Read(ctx, func(tx *Tx) error {
		var (
			groupID, topicID, presenter        int64
			plannedEnd                         time.Time
			liveState                          *string
			segment, version                   *int64
			segmentStarted, startedAt, endedAt *time.Time
			reminderDone, roundOpen            *bool
			issued, responses                  *int64
			present                            int
			picked, claimed, summarised        bool
			code                               []byte
			codeState                          *string
		)
		err := tx.QueryRow(`SELECT m.group_id, COALESCE(m.topic_id, 0), COALESCE(m.presenter_id, 0), m.planned_end,
			l.state, l.segment, l.segment_started, l.started_at, l.ended_at, l.reminder_done, l.version,
			r.open, r.tokens_issued, r.responses,
			(SELECT COUNT(*) FROM attendance a WHERE a.session_id = m.id AND a.status = ?),
			EXISTS (SELECT 1 FROM feeling_picks f WHERE f.session_id = m.id AND f.person_id = ?),
			c.session_id IS NOT NULL, c.code, t.state, su.session_id IS NOT NULL
			FROM sessions m
			LEFT JOIN live_sessions l ON l.session_id = m.id
			LEFT JOIN feedback_rounds r ON r.session_id = m.id
			LEFT JOIN feedback_claims c ON c.session_id = m.id AND c.person_id = ?
			LEFT JOIN feedback_tokens t ON t.token_hash = c.code_hash AND t.session_id = c.session_id
			LEFT JOIN summaries su ON su.session_id = m.id
			WHERE m.id = ?`, peercircle.AttendPresent, personID, personID, sessionID).Scan(
			&groupID, &topicID, &presenter, &plannedEnd,
			&liveState, &segment, &segmentStarted, &startedAt, &endedAt, &reminderDone, &version,
			&roundOpen, &issued, &responses, &present, &picked, &claimed, &code, &codeState, &summarised)
		if err != nil {
			return notFound(err, "session")
		}
		v.Presenter, v.Picked = presenter, picked
		if claimed {
			v.Claim = claimOf(claimState(code, codeState))
		}
		if roundOpen != nil {
			v.Feedback = &peercircle.FeedbackRound{SessionID: sessionID, Open: *roundOpen && s.roundOpen(plannedEnd, endedAt),
				TokensIssued: int(*issued), Responses: int(*responses), Capacity: present}
		}
		if topicID != 0 {
			if v.Topic, err = s.scanTopic(tx.QueryRow("SELECT "+topicCols+" FROM topics WHERE id = ?", topicID)); err != nil {
				return notFound(err, "topic")
			}
		}
		if v.Items, err = s.agendaItemsTx(tx, sessionID); err != nil {
			return err
		}
		segs, tpl, err := meetingSegmentsTx(tx, sessionID, groupID)
		if err != nil {
			return err
		}
		v.Segments = segmentTimes(segs, tpl)
		if v.Attendance, err = groupAttendanceTx(tx, sessionID, groupID); err != nil {
			return err
		}
		if liveState != nil {
			// The live row's columns are NOT NULL but segment_started.
			l := &peercircle.Live{SessionID: sessionID, State: *liveState, Segment: int(*segment), EndedAt: endedAt,
				ReminderDone: *reminderDone, Version: int(*version), Segments: segs, Feelings: map[string]int{}}
			if startedAt != nil {
				l.StartedAt = *startedAt
			}
			if segmentStarted != nil {
				l.SegmentStarted = *segmentStarted
			}
			if err := checkinAndFeelingsTx(tx, l); err != nil {
				return err
			}
			v.Live = l
		}
		if summarised {
			if v.Summary, err = s.summaryTx(tx, sessionID, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}
