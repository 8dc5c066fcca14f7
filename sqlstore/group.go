package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

const groupCols = `id, site_id, name, purpose, kind, membership, structure, lang, size_limit, status,
	venue_id, agenda_template_id, listed, split_from_id, created_at, ended_at, venue_public`

func scanGroup(sc interface{ Scan(...any) error }) (*peercircle.Group, error) {
	var g peercircle.Group
	err := sc.Scan(groupDest(&g)...)
	return &g, err
}

// groupDest is where the columns of groupCols go.
func groupDest(g *peercircle.Group) []any {
	return []any{&g.ID, &g.SiteID, &g.Name, &g.Purpose, &g.Kind, &g.Membership, &g.Structure, &g.Lang, &g.SizeLimit, &g.Status,
		&g.VenueID, &g.AgendaTemplateID, &g.Listed, &g.SplitFromID, &g.CreatedAt, &g.EndedAt, &g.VenuePublic}
}

// CreateGroup adds a group at a site.
func (s *Store) CreateGroup(ctx context.Context, g *peercircle.Group) error {
	if err := g.Validate(); err != nil {
		return err
	}
	if g.Status == peercircle.GroupEnded {
		// A group ends through EndGroup, which records when and why.
		return peercircle.FieldErrors{"status": "group.error.created_ended"}.Err()
	}
	g.CreatedAt = s.Now()
	return s.DB.Write(ctx, func(tx *Tx) error { return s.createGroupTx(tx, g) })
}

func (s *Store) createGroupTx(tx *Tx, g *peercircle.Group) (err error) {
	if err := exists(tx, "sites", g.SiteID, "site"); err != nil {
		return err
	}
	if err := checkGroupRefs(tx, g); err != nil {
		return err
	}
	g.ID, err = tx.Insert(`INSERT INTO groups (site_id, name, purpose, kind, membership, structure, lang, size_limit, status,
		venue_id, agenda_template_id, listed, split_from_id, created_at, ended_at, venue_public)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.SiteID, g.Name, g.Purpose, g.Kind, g.Membership, g.Structure, g.Lang, g.SizeLimit, g.Status,
		nullID(g.VenueID), nullID(g.AgendaTemplateID), g.Listed, nullID(g.SplitFromID), g.CreatedAt, g.EndedAt, g.VenuePublic)
	return err
}

// checkGroupRefs makes sure the venue belongs to the group's site and the
// agenda template is built in or the site's own.
func checkGroupRefs(tx *Tx, g *peercircle.Group) error {
	if g.VenueID != 0 {
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM venues WHERE id = ? AND site_id = ?", g.VenueID, g.SiteID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return peercircle.FieldErrors{"venue": "error.choice"}.Err()
		}
	}
	if g.AgendaTemplateID != 0 {
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM agenda_templates WHERE id = ? AND (site_id IS NULL OR site_id = ?)", g.AgendaTemplateID, g.SiteID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return peercircle.FieldErrors{"agenda_template": "error.choice"}.Err()
		}
	}
	return nil
}

// UpdateGroup saves a group's settings. The size limit may not go below
// the people already in the group.
func (s *Store) UpdateGroup(ctx context.Context, g *peercircle.Group) error {
	if err := g.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		var siteID int64
		var status string
		var venueBefore sql.NullInt64
		if err := tx.QueryRow("SELECT site_id, status, venue_id FROM groups WHERE id = ?", g.ID).Scan(&siteID, &status, &venueBefore); err != nil {
			return notFound(err, "group")
		}
		g.SiteID = siteID // a group never moves site
		if status == peercircle.GroupEnded {
			return peercircle.Errorf(peercircle.ECONFLICT, "group.ended_no_change", "group %d has ended", g.ID)
		}
		if g.Status == peercircle.GroupEnded {
			return peercircle.FieldErrors{"status": "group.end_with_button"}.Err()
		}
		if err := checkGroupRefs(tx, g); err != nil {
			return err
		}
		if g.SizeLimit > 0 {
			n, err := countCurrent(tx, g.ID)
			if err != nil {
				return err
			}
			if n > g.SizeLimit {
				return &peercircle.Error{Code: peercircle.EINVALID, Key: "group.size_below_members", Args: []any{n},
					Fields: map[string]string{"size_limit": "group.size_below_members"}, Message: fmt.Sprintf("size limit %d below %d members", g.SizeLimit, n)}
			}
		}
		_, err := tx.Exec(`UPDATE groups SET name = ?, purpose = ?, kind = ?, membership = ?, structure = ?, lang = ?, size_limit = ?,
			status = ?, venue_id = ?, agenda_template_id = ?, listed = ?, venue_public = ? WHERE id = ?`,
			g.Name, g.Purpose, g.Kind, g.Membership, g.Structure, g.Lang, g.SizeLimit, g.Status,
			nullID(g.VenueID), nullID(g.AgendaTemplateID), g.Listed, g.VenuePublic, g.ID)
		if err != nil || venueBefore.Int64 == g.VenueID {
			return err
		}
		// The group meets somewhere else from now: its members are told
		// (the page says where; the message only that it changed).
		return s.notifyMembersTx(tx, g, 0, "venue_changed", "", "/groups/"+strconv.FormatInt(g.ID, 10))
	})
}

func countCurrent(tx *Tx, groupID int64) (int, error) {
	var n int
	err := tx.QueryRow("SELECT COUNT(*) FROM memberships WHERE group_id = ? AND status IN (?, ?)", groupID, peercircle.MemberActive, peercircle.MemberOnLeave).Scan(&n)
	return n, err
}

// EndGroup ends a group: its status and end date are set, its future
// planned meetings are removed (or cancelled where members already
// answered), and its schedule stops planning. Past meetings and
// memberships stay as the group's history.
func (s *Store) EndGroup(ctx context.Context, groupID, by int64) error {
	now := s.Now()
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("UPDATE groups SET status = ?, ended_at = ? WHERE id = ? AND status <> ?", peercircle.GroupEnded, now, groupID, peercircle.GroupEnded)
		if err := affectOne(res, err)("group"); err != nil {
			return err
		}
		rows, err := tx.Query("SELECT id FROM sessions WHERE group_id = ? AND status = ? AND planned_start > ?", groupID, peercircle.SessionPlanned, now)
		if err != nil {
			return err
		}
		ids, err := scanIDs(rows)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.dropSessionTx(tx, id, "group.ended_reason"); err != nil {
				return err
			}
		}
		return s.auditGroupTx(tx, by, "group.end", "group", groupID, "")
	})
}

// SplitGroup makes a new group at the same site with the same settings,
// schedule and code of ethics, and moves the chosen members into it.
func (s *Store) SplitGroup(ctx context.Context, req peercircle.SplitRequest) (*peercircle.Group, error) {
	old, err := s.Group(ctx, req.GroupID)
	if err != nil {
		return nil, err
	}
	ng := *old
	ng.ID, ng.Name, ng.SplitFromID, ng.Status, ng.EndedAt = 0, req.Name, old.ID, peercircle.GroupActive, nil
	ng.CreatedAt = s.Now()
	if err := ng.Validate(); err != nil {
		return nil, err
	}
	now := s.Now()
	err = s.DB.Write(ctx, func(tx *Tx) error {
		ms, err := membershipsTx(tx, "m.group_id = ?", old.ID)
		if err != nil {
			return err
		}
		var move []*peercircle.Membership
		current := 0
		for _, m := range ms {
			if !m.Current() {
				continue
			}
			current++
			if slices.Contains(req.MemberIDs, m.PersonID) {
				move = append(move, m)
			}
		}
		if len(move) == 0 || len(move) == current {
			return peercircle.FieldErrors{"members": "group.split_choose"}.Err()
		}
		if err := s.createGroupTx(tx, &ng); err != nil {
			return err
		}
		for _, m := range move {
			if _, err := tx.Exec("UPDATE memberships SET status = ?, left_at = ? WHERE id = ?", peercircle.MemberLeft, now, m.ID); err != nil {
				return err
			}
			nm := *m
			nm.ID, nm.GroupID, nm.JoinedAt, nm.LeftAt = 0, ng.ID, &now, nil
			if err := saveMembershipTx(tx, &nm); err != nil {
				return err
			}
			if _, err := tx.Exec("UPDATE volunteer_offers SET group_id = ? WHERE group_id = ? AND person_id = ?", ng.ID, old.ID, m.PersonID); err != nil {
				return err
			}
			// Their turns at the old group's future meetings go back to the rota.
			if _, err := tx.Exec(`UPDATE sessions SET facilitator_id = NULL, facilitator_manual = FALSE
				WHERE group_id = ? AND facilitator_id = ? AND status = ? AND planned_start > ?`, old.ID, m.PersonID, peercircle.SessionPlanned, now); err != nil {
				return err
			}
			if _, err := tx.Exec(`DELETE FROM session_roles WHERE person_id = ? AND session_id IN
				(SELECT id FROM sessions WHERE group_id = ? AND planned_start > ?)`, m.PersonID, old.ID, now); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`INSERT INTO schedules (group_id, preset, rule, start_date, start_time, minutes, time_zone, exceptions, extras, updated_at, updated_by)
			SELECT ?, preset, rule, start_date, start_time, minutes, time_zone, exceptions, '', ?, ? FROM schedules WHERE group_id = ?`, ng.ID, now, nullID(req.By), old.ID); err != nil {
			return err
		}
		var vid int64
		err = tx.QueryRow("SELECT id FROM ethics_versions WHERE group_id = ? ORDER BY version DESC LIMIT 1", old.ID).Scan(&vid)
		if err == nil {
			nid, err := tx.Insert(`INSERT INTO ethics_versions (group_id, version, body, author_id, created_at)
				SELECT ?, 1, body, author_id, ? FROM ethics_versions WHERE id = ?`, ng.ID, now, vid)
			if err != nil {
				return err
			}
			// The words are the same the moved members agreed to.
			if _, err := tx.Exec(`INSERT INTO ethics_acks (version_id, person_id, at) SELECT ?, a.person_id, a.at FROM ethics_acks a
				JOIN memberships m ON m.person_id = a.person_id AND m.group_id = ? WHERE a.version_id = ?`, nid, ng.ID, vid); err != nil {
				return err
			}
		} else if notFound(err, "") == err {
			return err
		}
		return s.auditGroupTx(tx, req.By, "group.split", "group", old.ID, "new_group="+strconv.FormatInt(ng.ID, 10)+" moved="+strconv.Itoa(len(move)))
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.Materialise(ctx, ng.ID, s.horizon(ctx)); err != nil {
		return nil, err
	}
	return &ng, nil
}

func (s *Store) auditGroupTx(tx *Tx, actor int64, action, kind string, id int64, detail string) error {
	_, err := tx.Exec(`INSERT INTO audit_events (at, actor_id, action, target_kind, target_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		s.Now(), nullID(actor), action, kind, id, detail)
	return err
}

func scanIDs(rows *Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Group returns one group.
func (s *Store) Group(ctx context.Context, id int64) (*peercircle.Group, error) {
	g, err := scanGroup(s.DB.QueryRow(ctx, "SELECT "+groupCols+" FROM groups WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "group")
	}
	return g, nil
}

// groupInPlaceQuery reads a group, its site and its region: GroupInPlace.
var groupInPlaceQuery = "SELECT " + prefixed("g", groupCols) + ", " + placeCols + `
	FROM groups g JOIN sites st ON st.id = g.site_id JOIN areas a ON a.id = st.area_id WHERE g.id = ?`

// GroupInPlace returns a group with its site and scope, in one statement.
func (s *Store) GroupInPlace(ctx context.Context, id int64) (*peercircle.GroupInPlace, error) {
	var g peercircle.Group
	var st peercircle.Site
	var region int64
	if err := s.DB.QueryRow(ctx, groupInPlaceQuery, id).Scan(append(groupDest(&g), placeDest(&st, &region)...)...); err != nil {
		return nil, notFound(err, "group")
	}
	return &peercircle.GroupInPlace{Group: &g, Site: &st, Scope: peercircle.Scope{RegionID: region, AreaID: st.AreaID, SiteID: st.ID, GroupID: g.ID}}, nil
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

// GroupsInPlaceOf lists the groups a person currently belongs to, each
// with its site and scope, in one statement.
func (s *Store) GroupsInPlaceOf(ctx context.Context, personID int64) ([]*peercircle.GroupInPlace, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+prefixed("g", groupCols)+`, `+placeCols+` FROM groups g
		JOIN memberships m ON m.group_id = g.id JOIN sites st ON st.id = g.site_id JOIN areas a ON a.id = st.area_id
		WHERE m.person_id = ? AND m.status IN ('active', 'on_leave') ORDER BY g.name, g.id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.GroupInPlace
	for rows.Next() {
		var g peercircle.Group
		var st peercircle.Site
		var region int64
		if err := rows.Scan(append(groupDest(&g), placeDest(&st, &region)...)...); err != nil {
			return nil, err
		}
		out = append(out, &peercircle.GroupInPlace{Group: &g, Site: &st,
			Scope: peercircle.Scope{RegionID: region, AreaID: st.AreaID, SiteID: st.ID, GroupID: g.ID}})
	}
	return out, rows.Err()
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

const membershipCols = `m.id, m.group_id, m.person_id, m.role, m.status, m.visiting, m.unlisted, m.joined_at, m.left_at,
	m.display_name, m.requested_at, m.oriented_by, m.oriented_at, m.leave_until, m.contact_channel`

func scanMembership(sc interface{ Scan(...any) error }) (*peercircle.Membership, error) {
	var m peercircle.Membership
	err := sc.Scan(&m.ID, &m.GroupID, &m.PersonID, &m.Role, &m.Status, &m.Visiting, &m.Unlisted, &m.JoinedAt, &m.LeftAt,
		&m.DisplayName, &m.RequestedAt, &m.OrientedBy, &m.OrientedAt, &m.LeaveUntil, &m.Contact.Channel)
	return &m, err
}

// SaveMembership creates or updates a person's membership of a group (all
// but the contact address, which UpdateMembershipPrefs seals).
func (s *Store) SaveMembership(ctx context.Context, m *peercircle.Membership) error {
	if m.Role != peercircle.RoleMember && m.Role != peercircle.RoleFacilitator {
		return peercircle.FieldErrors{"role": "error.choice"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) error { return saveMembershipTx(tx, m) })
}

func saveMembershipTx(tx *Tx, m *peercircle.Membership) (err error) {
	m.ID, err = tx.Insert(`INSERT INTO memberships (group_id, person_id, role, status, visiting, unlisted, joined_at, left_at,
		display_name, requested_at, oriented_by, oriented_at, leave_until, contact_channel)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (group_id, person_id) DO UPDATE SET role = excluded.role, status = excluded.status,
		visiting = excluded.visiting, unlisted = excluded.unlisted, joined_at = excluded.joined_at, left_at = excluded.left_at,
		display_name = excluded.display_name, requested_at = excluded.requested_at, oriented_by = excluded.oriented_by,
		oriented_at = excluded.oriented_at, leave_until = excluded.leave_until, contact_channel = excluded.contact_channel`,
		m.GroupID, m.PersonID, m.Role, m.Status, m.Visiting, m.Unlisted, m.JoinedAt, m.LeftAt,
		m.DisplayName, m.RequestedAt, nullID(m.OrientedBy), m.OrientedAt, m.LeaveUntil, m.Contact.Channel)
	return err
}

// Memberships lists a group's memberships (all statuses).
func (s *Store) Memberships(ctx context.Context, groupID int64) ([]*peercircle.Membership, error) {
	var out []*peercircle.Membership
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		out, err = membershipsTx(tx, "m.group_id = ?", groupID)
		return err
	})
	return out, err
}

// MembershipsOf lists a person's memberships in every group.
func (s *Store) MembershipsOf(ctx context.Context, personID int64) ([]*peercircle.Membership, error) {
	var out []*peercircle.Membership
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		out, err = membershipsTx(tx, "m.person_id = ?", personID)
		return err
	})
	return out, err
}

func membershipsTx(tx *Tx, where string, args ...any) ([]*peercircle.Membership, error) {
	rows, err := tx.Query("SELECT "+membershipCols+" FROM memberships m WHERE "+where+" ORDER BY m.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Membership
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Membership returns a person's membership of a group.
func (s *Store) Membership(ctx context.Context, groupID, personID int64) (*peercircle.Membership, error) {
	m, err := scanMembership(s.DB.QueryRow(ctx, "SELECT "+membershipCols+" FROM memberships m WHERE m.group_id = ? AND m.person_id = ?", groupID, personID))
	if err != nil {
		return nil, notFound(err, "membership")
	}
	return m, nil
}

// GroupNames reads how people are shown in groups in one query: the name
// each chose for the group, else their own.
func (s *Store) GroupNames(ctx context.Context, pairs []peercircle.GroupPerson) (map[peercircle.GroupPerson]string, error) {
	out := make(map[peercircle.GroupPerson]string, len(pairs))
	if len(pairs) == 0 {
		return out, nil
	}
	var groups, people []int64
	seenG, seenP := map[int64]bool{}, map[int64]bool{}
	for _, k := range pairs {
		if !seenG[k.GroupID] {
			seenG[k.GroupID] = true
			groups = append(groups, k.GroupID)
		}
		if !seenP[k.PersonID] {
			seenP[k.PersonID] = true
			people = append(people, k.PersonID)
		}
	}
	inGroups, args := inIDs(groups)
	inPeople, peopleArgs := inIDs(people)
	rows, err := s.DB.Query(ctx, `SELECT p.id, p.full_name, p.display_name, m.group_id, m.display_name
		FROM people p LEFT JOIN memberships m ON m.person_id = p.id AND m.group_id IN (`+inGroups+`)
		WHERE p.id IN (`+inPeople+`)`, append(args, peopleArgs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	own := map[int64]string{}
	chosen := map[peercircle.GroupPerson]string{}
	for rows.Next() {
		var p peercircle.Person
		var groupID int64
		var inGroup string
		if err := rows.Scan(&p.ID, &p.FullName, &p.DisplayName, &groupID, &inGroup); err != nil {
			return nil, err
		}
		own[p.ID] = p.Name()
		if groupID != 0 && inGroup != "" {
			chosen[peercircle.GroupPerson{GroupID: groupID, PersonID: p.ID}] = inGroup
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, k := range pairs {
		name, ok := own[k.PersonID]
		if !ok {
			continue
		}
		if c := chosen[k]; c != "" {
			name = c
		}
		out[k] = name
	}
	return out, nil
}

// MembershipByID returns one membership.
func (s *Store) MembershipByID(ctx context.Context, id int64) (*peercircle.Membership, error) {
	m, err := scanMembership(s.DB.QueryRow(ctx, "SELECT "+membershipCols+" FROM memberships m WHERE m.id = ?", id))
	if err != nil {
		return nil, notFound(err, "membership")
	}
	return m, nil
}

// RequestToJoin lets a person into an open group, or records their request
// to join a closed one and tells its facilitators and the site's
// organisers.
func (s *Store) RequestToJoin(ctx context.Context, groupID, personID int64) (string, error) {
	g, err := s.Group(ctx, groupID)
	if err != nil {
		return "", err
	}
	p, err := s.Person(ctx, personID)
	if err != nil {
		return "", err
	}
	if !g.OpenToJoin(p) {
		return "", peercircle.Errorf(peercircle.EINVALID, "group.closed_to_joining", "group %d is not open to person %d", groupID, personID)
	}
	now := s.Now()
	outcome := peercircle.JoinRequested
	err = s.DB.Write(ctx, func(tx *Tx) error {
		var existing *peercircle.Membership
		ms, err := membershipsTx(tx, "m.group_id = ? AND m.person_id = ?", groupID, personID)
		if err != nil {
			return err
		}
		if len(ms) > 0 {
			existing = ms[0]
			if existing.Current() || existing.Pending() {
				return peercircle.Errorf(peercircle.ECONFLICT, "group.already_member", "person %d already in group %d", personID, groupID)
			}
		}
		if g.SizeLimit > 0 {
			n, err := countCurrent(tx, groupID)
			if err != nil {
				return err
			}
			if n >= g.SizeLimit {
				return peercircle.Errorf(peercircle.EINVALID, "group.full", "group %d is full", groupID)
			}
		}
		m := &peercircle.Membership{GroupID: groupID, PersonID: personID, Role: peercircle.RoleMember, RequestedAt: &now}
		if existing != nil {
			m.DisplayName, m.Unlisted, m.Contact.Channel = existing.DisplayName, existing.Unlisted, existing.Contact.Channel
		}
		if g.Membership == peercircle.MembershipOpen {
			m.Status, m.JoinedAt, outcome = peercircle.MemberActive, &now, peercircle.JoinedOpen
		} else {
			m.Status = peercircle.MemberRequested
		}
		if err := saveMembershipTx(tx, m); err != nil {
			return err
		}
		if outcome == peercircle.JoinRequested {
			return s.notifyManagersTx(tx, g, "join_request", "/groups/"+strconv.FormatInt(g.ID, 10)+"/members")
		}
		// Someone with a staff role (admin, coordinator, supervisor) may
		// join an open group as anyone may, as an ordinary member: their
		// role gives them nothing there, and the group's facilitators and
		// organisers are told, so nobody is in the room unannounced.
		var staff int
		if err := tx.QueryRow("SELECT COUNT(*) FROM grants WHERE person_id = ? AND role IN (?, ?, ?)",
			personID, peercircle.RoleAdmin, peercircle.RoleCoordinator, peercircle.RoleSupervisor).Scan(&staff); err != nil {
			return err
		}
		if staff > 0 {
			return s.notifyManagersTx(tx, g, "staff_joined", "/groups/"+strconv.FormatInt(g.ID, 10)+"/members")
		}
		return nil
	})
	return outcome, err
}

// notifyManagersTx tells a group's standing facilitators and its site's
// organisers, with the group's name only.
func (s *Store) notifyManagersTx(tx *Tx, g *peercircle.Group, kind, link string) error {
	rows, err := tx.Query(`SELECT person_id FROM memberships WHERE group_id = ? AND role = ? AND status = ?
		UNION SELECT person_id FROM grants WHERE role = ? AND scope_kind = ? AND scope_id = ?`,
		g.ID, peercircle.RoleFacilitator, peercircle.MemberActive, peercircle.RoleOrganiser, peercircle.ScopeSite, g.SiteID)
	if err != nil {
		return err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.notifyTx(tx, &peercircle.Notification{PersonID: id, Kind: kind, Params: []string{g.Name}, Link: link}); err != nil {
			return err
		}
	}
	return nil
}

// ArrangeOrientation records that a facilitator or member (by) will meet
// the newcomer first (001: "meet current members before the start").
func (s *Store) ArrangeOrientation(ctx context.Context, membershipID, by int64) error {
	now := s.Now()
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("UPDATE memberships SET status = ?, oriented_by = ?, oriented_at = ? WHERE id = ? AND status IN (?, ?)",
			peercircle.MemberOrientation, by, now, membershipID, peercircle.MemberRequested, peercircle.MemberOrientation)
		if n, _ := rowsAffected(res, err); n == 0 {
			if err != nil {
				return err
			}
			return peercircle.Errorf(peercircle.ECONFLICT, "group.request_not_waiting", "membership %d is not waiting", membershipID)
		}
		m, g, err := membershipAndGroupTx(tx, membershipID)
		if err != nil {
			return err
		}
		return s.notifyTx(tx, &peercircle.Notification{PersonID: m.PersonID, Kind: "join_orientation", Params: []string{g.Name},
			Link: "/groups/" + strconv.FormatInt(g.ID, 10) + "/orientation"})
	})
}

func rowsAffected(res interface{ RowsAffected() (int64, error) }, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func membershipAndGroupTx(tx *Tx, membershipID int64) (*peercircle.Membership, *peercircle.Group, error) {
	ms, err := membershipsTx(tx, "m.id = ?", membershipID)
	if err != nil {
		return nil, nil, err
	}
	if len(ms) == 0 {
		return nil, nil, notFound(errNoRows, "membership")
	}
	g, err := scanGroup(tx.QueryRow("SELECT "+groupCols+" FROM groups WHERE id = ?", ms[0].GroupID))
	if err != nil {
		return nil, nil, notFound(err, "group")
	}
	return ms[0], g, nil
}

// DecideMembership accepts or declines a request, with a kind message to
// the person either way.
func (s *Store) DecideMembership(ctx context.Context, membershipID int64, accept bool, by int64) error {
	now := s.Now()
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, g, err := membershipAndGroupTx(tx, membershipID)
		if err != nil {
			return err
		}
		if !m.Pending() {
			return peercircle.Errorf(peercircle.ECONFLICT, "group.request_not_waiting", "membership %d is not waiting", membershipID)
		}
		kind := "join_declined"
		if accept {
			if g.SizeLimit > 0 {
				n, err := countCurrent(tx, g.ID)
				if err != nil {
					return err
				}
				if n >= g.SizeLimit {
					return peercircle.Errorf(peercircle.EINVALID, "group.full", "group %d is full", g.ID)
				}
			}
			m.Status, m.JoinedAt, kind = peercircle.MemberActive, &now, "join_accepted"
		} else {
			m.Status, m.LeftAt = peercircle.MemberDeclined, &now
		}
		if err := saveMembershipTx(tx, m); err != nil {
			return err
		}
		if err := s.auditGroupTx(tx, by, "membership."+kind, "membership", m.ID, ""); err != nil {
			return err
		}
		return s.notifyTx(tx, &peercircle.Notification{PersonID: m.PersonID, Kind: kind, Params: []string{g.Name},
			Link: "/groups/" + strconv.FormatInt(g.ID, 10)})
	})
}

// SetLeave puts a member on leave (skipped by rotations, not counted as
// absent) or brings them back; their future turns go back to the rota.
func (s *Store) SetLeave(ctx context.Context, membershipID int64, onLeave bool, until string) error {
	if until != "" {
		if _, err := time.Parse(time.DateOnly, until); err != nil {
			return peercircle.FieldErrors{"leave_until": "error.date"}.Err()
		}
	}
	var groupID int64
	err := s.DB.Write(ctx, func(tx *Tx) error {
		m, _, err := membershipAndGroupTx(tx, membershipID)
		if err != nil {
			return err
		}
		if !m.Current() {
			return peercircle.Errorf(peercircle.ECONFLICT, "group.not_current", "membership %d is not current", membershipID)
		}
		groupID = m.GroupID
		m.Status, m.LeaveUntil = peercircle.MemberActive, ""
		if onLeave {
			m.Status, m.LeaveUntil = peercircle.MemberOnLeave, until
		}
		return saveMembershipTx(tx, m)
	})
	if err != nil {
		return err
	}
	return s.AssignRotation(ctx, groupID)
}

// LeaveGroup ends a membership; the person's past attendance stays.
func (s *Store) LeaveGroup(ctx context.Context, membershipID int64) error {
	now := s.Now()
	var groupID int64
	err := s.DB.Write(ctx, func(tx *Tx) error {
		m, _, err := membershipAndGroupTx(tx, membershipID)
		if err != nil {
			return err
		}
		if m.Status == peercircle.MemberLeft || m.Status == peercircle.MemberDeclined {
			return peercircle.Errorf(peercircle.ECONFLICT, "group.not_current", "membership %d already ended", membershipID)
		}
		groupID = m.GroupID
		m.Status, m.LeftAt = peercircle.MemberLeft, &now
		if err := saveMembershipTx(tx, m); err != nil {
			return err
		}
		_, err = tx.Exec("DELETE FROM volunteer_offers WHERE group_id = ? AND person_id = ?", m.GroupID, m.PersonID)
		return err
	})
	if err != nil {
		return err
	}
	return s.AssignRotation(ctx, groupID)
}

// UpdateMembershipPrefs saves a member's own choices; the contact address
// is sealed, bound to the membership row.
func (s *Store) UpdateMembershipPrefs(ctx context.Context, m *peercircle.Membership) error {
	if err := m.Validate(); err != nil {
		return err
	}
	var sealed []byte
	if m.Contact.Address != "" {
		sealed = s.Keys.SealString(m.Contact.Address, contactContext(m.ID))
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("UPDATE memberships SET display_name = ?, unlisted = ?, contact_channel = ?, contact_sealed = ? WHERE id = ?",
			m.DisplayName, m.Unlisted, m.Contact.Channel, sealed, m.ID)
		return affectOne(res, err)("membership")
	})
}

func contactContext(membershipID int64) string {
	return "membership:" + strconv.FormatInt(membershipID, 10) + ":contact"
}

// ContactAddress opens a member's sealed contact address.
func (s *Store) ContactAddress(ctx context.Context, membershipID int64) (string, error) {
	var sealed []byte
	if err := s.DB.QueryRow(ctx, "SELECT contact_sealed FROM memberships WHERE id = ?", membershipID).Scan(&sealed); err != nil {
		return "", notFound(err, "membership")
	}
	if len(sealed) == 0 {
		return "", nil
	}
	return s.Keys.OpenString(sealed, contactContext(membershipID))
}
