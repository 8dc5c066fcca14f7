package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
)

var _ peercircle.ReminderService = (*Store)(nil)

// JobMeetingReminders is the periodic job that sends reminders.
const JobMeetingReminders = "meeting.reminders"

// SendReminders writes the reminders due now: for each offset, the planned
// meetings starting within it, and each current member who has not sent
// apologies and has not had that reminder. The notice, its outbox message
// (about "meeting:<id>", so a cancelled or moved meeting withdraws it) and
// the answer link are written together.
func (s *Store) SendReminders(ctx context.Context) (int, error) {
	now := s.Now()
	sent := 0
	own, err := s.groupReminderOffsets(ctx)
	if err != nil {
		return 0, err
	}
	offsets := slices.Clone(peercircle.ReminderOffsets)
	for _, list := range own {
		for _, d := range list {
			if !slices.Contains(offsets, d) {
				offsets = append(offsets, d)
			}
		}
	}
	for _, off := range offsets {
		type due struct {
			session, person, group  int64
			name, date, clock, zone string
			start                   time.Time
		}
		var list []due
		err := s.DB.Read(ctx, func(tx *Tx) error {
			rows, err := tx.Query(`SELECT m.id, ms.person_id, g.id, g.name, m.local_date, m.planned_start, st.time_zone
				FROM sessions m JOIN groups g ON g.id = m.group_id JOIN sites st ON st.id = g.site_id
				JOIN memberships ms ON ms.group_id = g.id AND ms.status = ?
				JOIN people p ON p.id = ms.person_id AND p.status IN (?, ?)
				WHERE m.status = ? AND m.planned_start > ? AND m.planned_start <= ?
				AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = m.id AND a.person_id = ms.person_id AND a.status = ?)
				AND NOT EXISTS (SELECT 1 FROM meeting_reminders r WHERE r.session_id = m.id AND r.person_id = ms.person_id AND r.offset_minutes = ?)
				ORDER BY m.id, ms.person_id`,
				peercircle.MemberActive, peercircle.PersonActive, peercircle.PersonInvited,
				peercircle.SessionPlanned, now, now.Add(off), peercircle.AttendApologies, int(off/time.Minute))
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var d due
				if err := rows.Scan(&d.session, &d.person, &d.group, &d.name, &d.date, &d.start, &d.zone); err != nil {
					return err
				}
				list = append(list, d)
			}
			return rows.Err()
		})
		if err != nil {
			return sent, err
		}
		for _, d := range list {
			if mine, ok := own[d.group]; ok && !slices.Contains(mine, off) {
				continue // this group reminds at its own times
			} else if !ok && !slices.Contains(peercircle.ReminderOffsets, off) {
				continue
			}
			loc, err := peercircle.LoadZone(d.zone)
			if err != nil {
				loc = time.UTC
			}
			token := NewToken()
			ok, err := s.remindOnceTx(ctx, d.session, d.person, int(off/time.Minute), func(tx *Tx) error {
				if _, err := tx.Exec("INSERT INTO answer_links (token_hash, session_id, person_id, expires_at) VALUES (?, ?, ?, ?)",
					HashToken(token), d.session, d.person, d.start); err != nil {
					return err
				}
				return s.notifyRefTx(tx, &peercircle.Notification{PersonID: d.person, Kind: peercircle.KindMeetingReminder,
					Params: []string{d.name, d.date, d.start.In(loc).Format("15:04")}, Link: "/answer/" + token}, "meeting:"+strconv.FormatInt(d.session, 10))
			})
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	n, err := s.sendTurnReminders(ctx, now)
	return sent + n, err
}

// groupReminderOffsets reads the groups' own reminder times.
func (s *Store) groupReminderOffsets(ctx context.Context) (map[int64][]time.Duration, error) {
	rows, err := s.DB.Query(ctx, "SELECT key, value FROM settings WHERE key LIKE 'reminders.group.%'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]time.Duration{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(k, "reminders.group."), 10, 64)
		if err != nil {
			continue
		}
		if list, key := peercircle.ParseReminderHours(v); key == "" && len(list) > 0 {
			out[id] = list
		}
	}
	return out, rows.Err()
}

// sendTurnReminders tells the facilitator and co-facilitator of a planned
// meeting that it is their turn, a week ahead and the day before, each
// once; a cancelled or moved meeting withdraws what was not sent.
func (s *Store) sendTurnReminders(ctx context.Context, now time.Time) (int, error) {
	sent := 0
	for _, off := range peercircle.TurnOffsets {
		minutes := int(off / time.Minute)
		type due struct {
			session, person int64
			name, date      string
			start           time.Time
			zone            string
		}
		var list []due
		rows, err := s.DB.Query(ctx, `SELECT m.id, p.id, g.name, m.local_date, m.planned_start, st.time_zone
			FROM sessions m JOIN groups g ON g.id = m.group_id JOIN sites st ON st.id = g.site_id
			JOIN people p ON (p.id = m.facilitator_id OR p.id = m.co_facilitator_id) AND p.status IN (?, ?)
			WHERE m.status = ? AND m.planned_start > ? AND m.planned_start <= ?
			AND NOT EXISTS (SELECT 1 FROM meeting_reminders r WHERE r.session_id = m.id AND r.person_id = p.id AND r.offset_minutes = ?)
			ORDER BY m.id, p.id`,
			peercircle.PersonActive, peercircle.PersonInvited, peercircle.SessionPlanned, now, now.Add(off), -minutes)
		if err != nil {
			return sent, err
		}
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.session, &d.person, &d.name, &d.date, &d.start, &d.zone); err != nil {
				rows.Close()
				return sent, err
			}
			list = append(list, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return sent, err
		}
		for _, d := range list {
			loc, err := peercircle.LoadZone(d.zone)
			if err != nil {
				loc = time.UTC
			}
			// Negative offsets keep turn reminders apart from the members'
			// reminders of the same meeting.
			ok, err := s.remindOnceTx(ctx, d.session, d.person, -minutes, func(tx *Tx) error {
				return s.notifyRefTx(tx, &peercircle.Notification{PersonID: d.person, Kind: peercircle.KindTurnReminder,
					Params: []string{d.name, d.date, d.start.In(loc).Format("15:04")}, Link: "/sessions/" + strconv.FormatInt(d.session, 10)},
					"meeting:"+strconv.FormatInt(d.session, 10))
			})
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// remindOnceTx records that a person had a meeting's reminder at an offset
// and, only when no instance recorded it before, writes it (send) in the
// same transaction. It reports whether this call wrote it.
func (s *Store) remindOnceTx(ctx context.Context, sessionID, personID int64, offsetMinutes int, send func(tx *Tx) error) (bool, error) {
	wrote := false
	err := s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`INSERT INTO meeting_reminders (session_id, person_id, offset_minutes, sent_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (session_id, person_id, offset_minutes) DO NOTHING`, sessionID, personID, offsetMinutes, s.Now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // another instance sent it
		}
		wrote = true
		return send(tx)
	})
	return wrote && err == nil, err
}

var errLinkUsed = peercircle.Errorf(peercircle.EINVALID, "reminder.link_used", "answer link already used")
var errAnswerExpired = peercircle.Errorf(peercircle.EINVALID, "reminder.link_expired", "answer link expired")

// AnswerLink returns a one-tap link's state.
func (s *Store) AnswerLink(ctx context.Context, token string) (*peercircle.AnswerLink, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, notFound(sql.ErrNoRows, "answer link")
	}
	var l peercircle.AnswerLink
	err := s.DB.QueryRow(ctx, "SELECT session_id, person_id, expires_at, used_at, answer FROM answer_links WHERE token_hash = ?", HashToken(token)).
		Scan(&l.SessionID, &l.PersonID, &l.ExpiresAt, &l.UsedAt, &l.Answer)
	if err != nil {
		return nil, notFound(err, "answer link")
	}
	return &l, nil
}

// AnswerByLink records the answer of a reminder's link and uses it up.
func (s *Store) AnswerByLink(ctx context.Context, token, answer string) error {
	if answer != peercircle.AttendExpected && answer != peercircle.AttendApologies {
		return peercircle.FieldErrors{"answer": "error.choice"}.Err()
	}
	l, err := s.AnswerLink(ctx, token)
	if err != nil {
		return err
	}
	switch {
	case l.UsedAt != nil:
		return errLinkUsed
	case !s.Now().Before(l.ExpiresAt):
		return errAnswerExpired
	}
	// Use the link first, in its own write, so two taps answer once.
	var used bool
	err = s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("UPDATE answer_links SET used_at = ?, answer = ? WHERE token_hash = ? AND used_at IS NULL", s.Now(), answer, HashToken(token))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		used = n == 1
		return nil
	})
	if err != nil {
		return err
	}
	if !used {
		return errLinkUsed
	}
	if err := s.RSVP(ctx, l.SessionID, l.PersonID, answer); err != nil {
		if errors.Is(err, errLinkUsed) || peercircle.ErrorKey(err) == "session.rsvp_closed" {
			return errAnswerExpired
		}
		return err
	}
	return nil
}
