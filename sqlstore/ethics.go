package sqlstore

import (
	"context"
	"strconv"

	"github.com/peercircle/peercircle"
)

// SaveEthics adds a new version of a group's code of ethics; everyone is
// asked to acknowledge it.
func (s *Store) SaveEthics(ctx context.Context, c *peercircle.CodeOfEthics) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c.CreatedAt = s.Now()
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		if err := exists(tx, "groups", c.GroupID, "group"); err != nil {
			return err
		}
		if err := tx.QueryRow("SELECT COALESCE(MAX(version), 0) + 1 FROM ethics_versions WHERE group_id = ?", c.GroupID).Scan(&c.Version); err != nil {
			return err
		}
		c.ID, err = tx.Insert("INSERT INTO ethics_versions (group_id, version, body, author_id, created_at) VALUES (?, ?, ?, ?, ?)",
			c.GroupID, c.Version, c.Body, nullID(c.AuthorID), c.CreatedAt)
		if err != nil {
			return err
		}
		// Every current member is asked to read and acknowledge it (the
		// message says so; the code itself stays in the app).
		g := &peercircle.Group{ID: c.GroupID}
		if err := tx.QueryRow("SELECT name FROM groups WHERE id = ?", c.GroupID).Scan(&g.Name); err != nil {
			return err
		}
		return s.notifyMembersTx(tx, g, c.AuthorID, "ethics_changed", "", "/groups/"+strconv.FormatInt(c.GroupID, 10)+"/ethics")
	})
}

// CurrentEthics returns the version in force: the latest.
func (s *Store) CurrentEthics(ctx context.Context, groupID int64) (*peercircle.CodeOfEthics, error) {
	var c peercircle.CodeOfEthics
	err := s.DB.QueryRow(ctx, `SELECT id, group_id, version, body, author_id, created_at FROM ethics_versions
		WHERE group_id = ? ORDER BY version DESC LIMIT 1`, groupID).Scan(&c.ID, &c.GroupID, &c.Version, &c.Body, &c.AuthorID, &c.CreatedAt)
	if err != nil {
		return nil, notFound(err, "code of ethics")
	}
	return &c, nil
}

// EthicsFor returns the version in force and whether the person
// acknowledged it, in one statement.
func (s *Store) EthicsFor(ctx context.Context, groupID, personID int64) (*peercircle.CodeOfEthics, bool, error) {
	var c peercircle.CodeOfEthics
	var acks int64
	err := s.DB.QueryRow(ctx, `SELECT v.id, v.group_id, v.version, v.body, v.author_id, v.created_at,
			(SELECT COUNT(*) FROM ethics_acks a WHERE a.version_id = v.id AND a.person_id = ?)
		FROM ethics_versions v WHERE v.group_id = ? ORDER BY v.version DESC LIMIT 1`, personID, groupID).
		Scan(&c.ID, &c.GroupID, &c.Version, &c.Body, &c.AuthorID, &c.CreatedAt, &acks)
	if err != nil {
		return nil, false, notFound(err, "code of ethics")
	}
	return &c, acks > 0, nil
}

// Acknowledge records that a person read and accepts the version in force.
func (s *Store) Acknowledge(ctx context.Context, versionID, personID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		var groupID int64
		if err := tx.QueryRow("SELECT group_id FROM ethics_versions WHERE id = ?", versionID).Scan(&groupID); err != nil {
			return notFound(err, "code of ethics")
		}
		var latest int64
		if err := tx.QueryRow("SELECT id FROM ethics_versions WHERE group_id = ? ORDER BY version DESC LIMIT 1", groupID).Scan(&latest); err != nil {
			return err
		}
		if latest != versionID {
			return peercircle.Errorf(peercircle.ECONFLICT, "ethics.not_current", "version %d is no longer in force", versionID)
		}
		_, err := tx.Exec("INSERT INTO ethics_acks (version_id, person_id, at) VALUES (?, ?, ?) ON CONFLICT (version_id, person_id) DO NOTHING",
			versionID, personID, s.Now())
		return err
	})
}

// Acknowledged reports whether a person acknowledged a version.
func (s *Store) Acknowledged(ctx context.Context, versionID, personID int64) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM ethics_acks WHERE version_id = ? AND person_id = ?", versionID, personID).Scan(&n)
	return n > 0, err
}

// NotAcknowledged lists current members who have not acknowledged the
// version in force (everyone, when there is none).
func (s *Store) NotAcknowledged(ctx context.Context, groupID int64) ([]int64, error) {
	rows, err := s.DB.Query(ctx, `SELECT m.person_id FROM memberships m WHERE m.group_id = ? AND m.status IN (?, ?)
		AND NOT EXISTS (SELECT 1 FROM ethics_acks a WHERE a.person_id = m.person_id AND a.version_id =
			(SELECT v.id FROM ethics_versions v WHERE v.group_id = m.group_id ORDER BY v.version DESC LIMIT 1))
		ORDER BY m.id`, groupID, peercircle.MemberActive, peercircle.MemberOnLeave)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}
