package sqlstore

import (
	"context"
	"strings"

	"github.com/peercircle/peercircle"
)

var _ peercircle.SessionService = (*Store)(nil)

const sessionCols = `id, group_id, planned_start, planned_end, local_date, occurrence, status, status_reason, edited,
	venue_id, facilitator_id, co_facilitator_id, topic, speaker, sequence, created_at, updated_at`

func scanSession(sc interface{ Scan(...any) error }) (*peercircle.Session, error) {
	var s peercircle.Session
	err := sc.Scan(sessionDest(&s)...)
	return &s, err
}

// sessionDest is where the columns of sessionCols go.
func sessionDest(s *peercircle.Session) []any {
	return []any{&s.ID, &s.GroupID, &s.PlannedStart, &s.PlannedEnd, &s.LocalDate, &s.Occurrence, &s.Status, &s.StatusReason, &s.Edited,
		&s.VenueID, &s.FacilitatorID, &s.CoFacilitatorID, &s.Topic, &s.Speaker, &s.Sequence, &s.CreatedAt, &s.UpdatedAt}
}

// AddSession plans one meeting of a group (a one-off, or one a schedule
// made when Occurrence is set).
func (s *Store) AddSession(ctx context.Context, m *peercircle.Session) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error { return s.addSessionTx(tx, m) })
}

func (s *Store) addSessionTx(tx *Tx, m *peercircle.Session) (err error) {
	if err := exists(tx, "groups", m.GroupID, "group"); err != nil {
		return err
	}
	now := s.Now()
	m.CreatedAt, m.UpdatedAt = now, now
	m.ID, err = tx.Insert(`INSERT INTO sessions (group_id, planned_start, planned_end, local_date, occurrence, status, status_reason, edited,
		venue_id, facilitator_id, co_facilitator_id, topic, speaker, sequence, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.GroupID, m.PlannedStart, m.PlannedEnd, m.LocalDate, m.Occurrence, m.Status, m.StatusReason, m.Edited,
		nullID(m.VenueID), nullID(m.FacilitatorID), nullID(m.CoFacilitatorID), m.Topic, m.Speaker, m.Sequence, now, now)
	return err
}

// Session returns one meeting.
func (s *Store) Session(ctx context.Context, id int64) (*peercircle.Session, error) {
	m, err := scanSession(s.DB.QueryRow(ctx, "SELECT "+sessionCols+" FROM sessions WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "session")
	}
	return m, nil
}

// SessionScope returns the tree location of a meeting and who facilitates it.
func (s *Store) SessionScope(ctx context.Context, id int64) (peercircle.Scope, error) {
	var sc peercircle.Scope
	var fac, co int64
	err := s.DB.QueryRow(ctx, `SELECT a.region_id, st.area_id, st.id, g.id, m.facilitator_id, m.co_facilitator_id
		FROM sessions m JOIN groups g ON g.id = m.group_id JOIN sites st ON st.id = g.site_id JOIN areas a ON a.id = st.area_id
		WHERE m.id = ?`, id).Scan(&sc.RegionID, &sc.AreaID, &sc.SiteID, &sc.GroupID, &fac, &co)
	if err != nil {
		return sc, notFound(err, "session")
	}
	for _, p := range []int64{fac, co} {
		if p != 0 {
			sc.SessionFacilitators = append(sc.SessionFacilitators, p)
		}
	}
	return sc, nil
}

// placeCols are the columns of a group's site and region, after the
// group's, in the InPlace reads; placeDest is where they go.
const placeCols = "st.id, st.area_id, st.name, st.kind, st.time_zone, st.joined_programme, a.region_id"

func placeDest(st *peercircle.Site, region *int64) []any {
	return []any{&st.ID, &st.AreaID, &st.Name, &st.Kind, &st.TimeZone, &st.JoinedProgramme, region}
}

// sessionInPlaceQuery reads a meeting, its group and site and its
// region: SessionInPlace.
var sessionInPlaceQuery = "SELECT " + prefixed("m", sessionCols) + ", " + prefixed("g", groupCols) + ", " + placeCols + `
	FROM sessions m JOIN groups g ON g.id = m.group_id JOIN sites st ON st.id = g.site_id JOIN areas a ON a.id = st.area_id
	WHERE m.id = ?`

// SessionInPlace returns a meeting with its group, site and scope, in one
// statement.
func (s *Store) SessionInPlace(ctx context.Context, id int64) (*peercircle.SessionInPlace, error) {
	var m peercircle.Session
	var g peercircle.Group
	var st peercircle.Site
	var region int64
	err := s.DB.QueryRow(ctx, sessionInPlaceQuery, id).Scan(append(append(sessionDest(&m), groupDest(&g)...), placeDest(&st, &region)...)...)
	if err != nil {
		return nil, notFound(err, "session")
	}
	p := &peercircle.SessionInPlace{Session: &m, Group: &g, Site: &st,
		Scope: peercircle.Scope{RegionID: region, AreaID: st.AreaID, SiteID: st.ID, GroupID: g.ID}}
	for _, f := range []int64{m.FacilitatorID, m.CoFacilitatorID} {
		if f != 0 {
			p.Scope.SessionFacilitators = append(p.Scope.SessionFacilitators, f)
		}
	}
	return p, nil
}

// Sessions lists meetings matching f, in planned order.
func (s *Store) Sessions(ctx context.Context, f peercircle.SessionFilter) ([]*peercircle.Session, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.GroupID != 0 {
		where = append(where, "m.group_id = ?")
		args = append(args, f.GroupID)
	}
	if len(f.GroupIDs) > 0 {
		where = append(where, "m.group_id IN ("+placeholders(len(f.GroupIDs))+")")
		for _, id := range f.GroupIDs {
			args = append(args, id)
		}
	}
	if f.SiteID != 0 {
		where = append(where, "m.group_id IN (SELECT id FROM groups WHERE site_id = ?)")
		args = append(args, f.SiteID)
	}
	if !f.From.IsZero() {
		where = append(where, "m.planned_start >= ?")
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		where = append(where, "m.planned_start < ?")
		args = append(args, f.To)
	}
	if len(f.Statuses) > 0 {
		where = append(where, "m.status IN ("+placeholders(len(f.Statuses))+")")
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	q := "SELECT " + prefixed("m", sessionCols) + " FROM sessions m WHERE " + strings.Join(where, " AND ") + " ORDER BY m.planned_start, m.id"
	if f.Latest {
		q = "SELECT " + prefixed("m", sessionCols) + " FROM sessions m WHERE " + strings.Join(where, " AND ") + " ORDER BY m.planned_start DESC, m.id DESC"
	}
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Session
	for rows.Next() {
		m, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// inIDs gives the placeholders and arguments of an IN list of ids, padded
// with the last id to a power of two (at least 4), so that lists of any
// length make a handful of distinct queries: the statement cache keeps
// 512 and then stops adding, and a query per length would fill it.
func inIDs(ids []int64) (string, []any) {
	args := make([]any, len(ids), listSize(len(ids)))
	for i, id := range ids {
		args[i] = id
	}
	return pad(args)
}

// padList is inIDs for a list of arguments already made; list is not
// changed. Each length was a statement of its own on every connection:
// after the benchmark, 98 of the read pool's 188 cached statements were
// lists of names and groups, up to 500 long.
func padList(list []any) (string, []any) {
	args := make([]any, len(list), listSize(len(list)))
	copy(args, list)
	return pad(args)
}

// listSize is the length a list of n is padded to.
func listSize(n int) int {
	size := 4
	for size < n {
		size *= 2
	}
	return size
}

// pad fills args up to its capacity with its last argument and gives the
// placeholders of the whole.
func pad(args []any) (string, []any) {
	for len(args) > 0 && len(args) < cap(args) {
		args = append(args, args[len(args)-1])
	}
	return placeholders(len(args)), args
}
