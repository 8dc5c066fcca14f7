package sqlstore

import (
	"context"

	"github.com/peercircle/peercircle"
)

const groupCols = `id, site_id, name, purpose, kind, membership, structure, lang, size_limit, status,
	venue_id, agenda_template_id, listed, split_from_id, created_at, ended_at`

func scanGroup(sc interface{ Scan(...any) error }) (*peercircle.Group, error) {
	var g peercircle.Group
	err := sc.Scan(&g.ID, &g.SiteID, &g.Name, &g.Purpose, &g.Kind, &g.Membership, &g.Structure, &g.Lang, &g.SizeLimit, &g.Status,
		&g.VenueID, &g.AgendaTemplateID, &g.Listed, &g.SplitFromID, &g.CreatedAt, &g.EndedAt)
	return &g, err
}

// CreateGroup adds a group at a site.
func (s *Store) CreateGroup(ctx context.Context, g *peercircle.Group) error {
	if err := g.Validate(); err != nil {
		return err
	}
	g.CreatedAt = s.Now()
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		if err := exists(tx, "sites", g.SiteID, "site"); err != nil {
			return err
		}
		g.ID, err = tx.Insert(`INSERT INTO groups (site_id, name, purpose, kind, membership, structure, lang, size_limit, status,
			venue_id, agenda_template_id, listed, split_from_id, created_at, ended_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			g.SiteID, g.Name, g.Purpose, g.Kind, g.Membership, g.Structure, g.Lang, g.SizeLimit, g.Status,
			nullID(g.VenueID), nullID(g.AgendaTemplateID), g.Listed, nullID(g.SplitFromID), g.CreatedAt, g.EndedAt)
		return err
	})
}

// Group returns one group.
func (s *Store) Group(ctx context.Context, id int64) (*peercircle.Group, error) {
	g, err := scanGroup(s.DB.QueryRow(ctx, "SELECT "+groupCols+" FROM groups WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "group")
	}
	return g, nil
}

// GroupScope returns the region, area, site and group of a group.
func (s *Store) GroupScope(ctx context.Context, id int64) (peercircle.Scope, error) {
	var sc peercircle.Scope
	err := s.DB.QueryRow(ctx, `SELECT a.region_id, s.area_id, s.id, g.id FROM groups g
		JOIN sites s ON s.id = g.site_id JOIN areas a ON a.id = s.area_id WHERE g.id = ?`, id).
		Scan(&sc.RegionID, &sc.AreaID, &sc.SiteID, &sc.GroupID)
	return sc, notFound(err, "group")
}

// GroupsAtSite lists a site's groups, ended ones last.
func (s *Store) GroupsAtSite(ctx context.Context, siteID int64) ([]*peercircle.Group, error) {
	return s.groups(ctx, "SELECT "+groupCols+" FROM groups WHERE site_id = ? ORDER BY CASE WHEN status = 'ended' THEN 1 ELSE 0 END, name, id", siteID)
}

// GroupsOf lists the groups a person currently belongs to.
func (s *Store) GroupsOf(ctx context.Context, personID int64) ([]*peercircle.Group, error) {
	return s.groups(ctx, `SELECT `+prefixed("g", groupCols)+` FROM groups g JOIN memberships m ON m.group_id = g.id
		WHERE m.person_id = ? AND m.status IN ('active', 'on_leave') ORDER BY g.name, g.id`, personID)
}

func (s *Store) groups(ctx context.Context, q string, args ...any) ([]*peercircle.Group, error) {
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// SaveMembership creates or updates a person's membership of a group.
func (s *Store) SaveMembership(ctx context.Context, m *peercircle.Membership) error {
	if m.Role != peercircle.RoleMember && m.Role != peercircle.RoleFacilitator {
		return peercircle.FieldErrors{"role": "error.choice"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		m.ID, err = tx.Insert(`INSERT INTO memberships (group_id, person_id, role, status, visiting, unlisted, joined_at, left_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (group_id, person_id) DO UPDATE SET role = excluded.role, status = excluded.status,
			visiting = excluded.visiting, unlisted = excluded.unlisted, joined_at = excluded.joined_at, left_at = excluded.left_at`,
			m.GroupID, m.PersonID, m.Role, m.Status, m.Visiting, m.Unlisted, m.JoinedAt, m.LeftAt)
		return err
	})
}

// Memberships lists a group's memberships (all statuses).
func (s *Store) Memberships(ctx context.Context, groupID int64) ([]*peercircle.Membership, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, group_id, person_id, role, status, visiting, unlisted, joined_at, left_at
		FROM memberships WHERE group_id = ? ORDER BY id`, groupID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Membership
	for rows.Next() {
		var m peercircle.Membership
		if err := rows.Scan(&m.ID, &m.GroupID, &m.PersonID, &m.Role, &m.Status, &m.Visiting, &m.Unlisted, &m.JoinedAt, &m.LeftAt); err != nil {
			return nil, err
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}
