package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/peercircle/peercircle"
)

var _ peercircle.TopicService = (*Store)(nil)

func topicContext(id int64) string { return "topic:" + strconv.FormatInt(id, 10) + ":speaker_contact" }

const topicCols = "id, site_id, title, summary, link, lang, speaker_name, speaker_contact, created_at"

func (s *Store) scanTopic(sc interface{ Scan(...any) error }) (*peercircle.Topic, error) {
	var t peercircle.Topic
	var contact []byte
	if err := sc.Scan(&t.ID, &t.SiteID, &t.Title, &t.Summary, &t.Link, &t.Lang, &t.SpeakerName, &contact, &t.CreatedAt); err != nil {
		return nil, err
	}
	if contact != nil {
		var err error
		if t.SpeakerContact, err = s.Keys.OpenString(contact, topicContext(t.ID)); err != nil {
			return nil, err
		}
	}
	return &t, nil
}

// Topics lists a site's topic library by title.
func (s *Store) Topics(ctx context.Context, siteID int64) ([]*peercircle.Topic, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+topicCols+" FROM topics WHERE site_id = ? ORDER BY title, id", siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Topic
	for rows.Next() {
		t, err := s.scanTopic(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Topic returns one topic.
func (s *Store) Topic(ctx context.Context, id int64) (*peercircle.Topic, error) {
	t, err := s.scanTopic(s.DB.QueryRow(ctx, "SELECT "+topicCols+" FROM topics WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "topic")
	}
	return t, nil
}

// SaveTopic creates or updates a topic of its site, audited.
func (s *Store) SaveTopic(ctx context.Context, t *peercircle.Topic, by int64) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if err := exists(tx, "sites", t.SiteID, "site"); err != nil {
			return err
		}
		action := "topic.update"
		if t.ID == 0 {
			action = "topic.create"
			t.CreatedAt = s.Now()
			id, err := tx.Insert(`INSERT INTO topics (site_id, title, summary, link, lang, speaker_name, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.SiteID, t.Title, t.Summary, t.Link, t.Lang, t.SpeakerName, nullID(by), t.CreatedAt)
			if err != nil {
				return err
			}
			t.ID = id
		} else {
			res, err := tx.Exec("UPDATE topics SET title = ?, summary = ?, link = ?, lang = ?, speaker_name = ? WHERE id = ? AND site_id = ?",
				t.Title, t.Summary, t.Link, t.Lang, t.SpeakerName, t.ID, t.SiteID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return notFound(sql.ErrNoRows, "topic")
			}
		}
		var contact []byte
		if t.SpeakerContact != "" {
			contact = s.Keys.SealString(t.SpeakerContact, topicContext(t.ID))
		}
		if _, err := tx.Exec("UPDATE topics SET speaker_contact = ? WHERE id = ?", contact, t.ID); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: action, TargetKind: "topic", TargetID: t.ID})
	})
}

// AssignTopic sets a planned meeting's part 2.
func (s *Store) AssignTopic(ctx context.Context, a peercircle.TopicAssignment, by int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, err := scanSession(tx.QueryRow("SELECT "+sessionCols+" FROM sessions WHERE id = ?", a.SessionID))
		if err != nil {
			return notFound(err, "session")
		}
		if m.Status != peercircle.SessionPlanned {
			return peercircle.Errorf(peercircle.EINVALID, "meeting.not_running", "session %d is %s", m.ID, m.Status)
		}
		title := ""
		if a.TopicID != 0 {
			var site int64
			if err := tx.QueryRow("SELECT t.title, t.site_id FROM topics t WHERE t.id = ?", a.TopicID).Scan(&title, &site); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return peercircle.FieldErrors{"topic": "topic.error.other_site"}.Err()
				}
				return err
			}
			var groupSite int64
			if err := tx.QueryRow("SELECT site_id FROM groups WHERE id = ?", m.GroupID).Scan(&groupSite); err != nil {
				return err
			}
			if site != groupSite {
				return peercircle.FieldErrors{"topic": "topic.error.other_site"}.Err()
			}
		} else {
			a.PresenterID = 0
		}
		if a.PresenterID != 0 {
			var n int
			if err := tx.QueryRow("SELECT COUNT(*) FROM memberships WHERE group_id = ? AND person_id = ? AND status IN (?, ?)",
				m.GroupID, a.PresenterID, peercircle.MemberActive, peercircle.MemberOnLeave).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return peercircle.FieldErrors{"presenter": "topic.error.presenter"}.Err()
			}
		}
		if _, err := tx.Exec("UPDATE sessions SET topic_id = ?, presenter_id = ?, topic = ?, updated_at = ? WHERE id = ?",
			nullID(a.TopicID), nullID(a.PresenterID), title, s.Now(), m.ID); err != nil {
			return err
		}
		return s.auditGroupTx(tx, by, "session.topic", "session", m.ID, "topic="+strconv.FormatInt(a.TopicID, 10))
	})
}

// SessionTopic returns a meeting's topic and presenter (ENOTFOUND when it
// has none).
func (s *Store) SessionTopic(ctx context.Context, sessionID int64) (*peercircle.Topic, int64, error) {
	var topicID, presenter int64
	if err := s.DB.QueryRow(ctx, "SELECT COALESCE(topic_id, 0), COALESCE(presenter_id, 0) FROM sessions WHERE id = ?", sessionID).Scan(&topicID, &presenter); err != nil {
		return nil, 0, notFound(err, "session")
	}
	if topicID == 0 {
		return nil, 0, notFound(sql.ErrNoRows, "topic")
	}
	t, err := s.Topic(ctx, topicID)
	return t, presenter, err
}

// NextPresenter suggests the current member who presented least, and
// among those the one whose last turn is longest ago (never first).
func (s *Store) NextPresenter(ctx context.Context, groupID int64) (int64, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT ms.person_id FROM memberships ms
		LEFT JOIN sessions m ON m.group_id = ms.group_id AND m.presenter_id = ms.person_id AND m.status IN (?, ?)
		WHERE ms.group_id = ? AND ms.status = ?
		GROUP BY ms.person_id ORDER BY COUNT(m.id), MAX(m.planned_start) IS NOT NULL, MAX(m.planned_start), ms.person_id LIMIT 1`,
		peercircle.SessionPlanned, peercircle.SessionHeld, groupID, peercircle.MemberActive).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
