package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/peercircle/peercircle"
)

// turnCount is one person's record on one rota.
type turnCount struct {
	n    int
	last time.Time
}

// turnsTx counts each person's turns in a role in a group: sessions
// before a time, planned or held, that they facilitated (or held the role
// at). Future turns are not counted: the rotation plans them afresh.
func turnsTx(tx *Tx, groupID int64, role string, before time.Time) (map[int64]*turnCount, error) {
	q := `SELECT facilitator_id, planned_start FROM sessions WHERE group_id = ? AND facilitator_id IS NOT NULL AND status IN (?, ?) AND planned_start <= ?`
	args := []any{groupID, peercircle.SessionPlanned, peercircle.SessionHeld, before}
	if role != peercircle.VolunteerFacilitator {
		q = `SELECT r.person_id, m.planned_start FROM session_roles r JOIN sessions m ON m.id = r.session_id
			WHERE m.group_id = ? AND m.status IN (?, ?) AND m.planned_start <= ? AND r.role = ?`
		args = append(args, role)
	}
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*turnCount{}
	for rows.Next() {
		var p int64
		var at time.Time
		if err := rows.Scan(&p, &at); err != nil {
			return nil, err
		}
		c := out[p]
		if c == nil {
			c = &turnCount{}
			out[p] = c
		}
		c.n++
		if at.After(c.last) {
			c.last = at
		}
	}
	return out, rows.Err()
}

func offersTx(tx *Tx, groupID int64) ([]*peercircle.Offer, error) {
	rows, err := tx.Query("SELECT group_id, person_id, role, offered_at, base_turns FROM volunteer_offers WHERE group_id = ? ORDER BY role, offered_at, person_id", groupID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Offer
	for rows.Next() {
		var o peercircle.Offer
		if err := rows.Scan(&o.GroupID, &o.PersonID, &o.Role, &o.OfferedAt, &o.BaseTurns); err != nil {
			return nil, err
		}
		out = append(out, &o)
	}
	return out, rows.Err()
}

// Offers lists who offered what in a group.
func (s *Store) Offers(ctx context.Context, groupID int64) ([]*peercircle.Offer, error) {
	var out []*peercircle.Offer
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		out, err = offersTx(tx, groupID)
		return err
	})
	return out, err
}

// SetOffers replaces what a member offers to do in turn. A new offer
// starts level with the fewest turns on that rota.
func (s *Store) SetOffers(ctx context.Context, groupID, personID int64, roles []string) error {
	for _, r := range roles {
		if !slices.Contains(peercircle.VolunteerRoles, r) {
			return peercircle.FieldErrors{"roles": "error.choice"}.Err()
		}
	}
	err := s.DB.Write(ctx, func(tx *Tx) error {
		ms, err := membershipsTx(tx, "m.group_id = ? AND m.person_id = ?", groupID, personID)
		if err != nil {
			return err
		}
		if len(ms) == 0 || !ms[0].Current() {
			return peercircle.Errorf(peercircle.EFORBIDDEN, "error.forbidden.body", "person %d is not in group %d", personID, groupID)
		}
		offers, err := offersTx(tx, groupID)
		if err != nil {
			return err
		}
		for _, o := range offers {
			if o.PersonID == personID && !slices.Contains(roles, o.Role) {
				if _, err := tx.Exec("DELETE FROM volunteer_offers WHERE group_id = ? AND person_id = ? AND role = ?", groupID, personID, o.Role); err != nil {
					return err
				}
			}
		}
		for _, role := range roles {
			if err := s.addOfferTx(tx, groupID, personID, role); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.AssignRotation(ctx, groupID)
}

// addOfferTx adds a person to a role's rota, once, level with the fewest
// turns on it.
func (s *Store) addOfferTx(tx *Tx, groupID, personID int64, role string) error {
	offers, err := offersTx(tx, groupID)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(offers, func(o *peercircle.Offer) bool { return o.PersonID == personID && o.Role == role }) {
		return nil
	}
	counts, err := turnsTx(tx, groupID, role, s.Now())
	if err != nil {
		return err
	}
	base, first := 0, true
	for _, o := range offers {
		if o.Role != role || o.PersonID == personID {
			continue
		}
		n := o.BaseTurns
		if c := counts[o.PersonID]; c != nil {
			n += c.n
		}
		if first || n < base {
			base, first = n, false
		}
	}
	if c := counts[personID]; c != nil {
		base = max(0, base-c.n) // their own past turns count already
	}
	_, err = tx.Exec("INSERT INTO volunteer_offers (group_id, person_id, role, offered_at, base_turns) VALUES (?, ?, ?, ?, ?)",
		groupID, personID, role, s.Now(), base)
	return err
}

// rotaState is what AssignRotation and Substitute need about a group.
type rotaState struct {
	members   map[int64]*peercircle.Membership
	offers    map[string][]*peercircle.Offer
	counts    map[string]map[int64]*turnCount
	apologies map[int64]map[int64]bool // session → person
}

func (s *Store) rotaStateTx(tx *Tx, groupID int64, sessionIDs []int64) (*rotaState, error) {
	st := &rotaState{members: map[int64]*peercircle.Membership{}, offers: map[string][]*peercircle.Offer{},
		counts: map[string]map[int64]*turnCount{}, apologies: map[int64]map[int64]bool{}}
	ms, err := membershipsTx(tx, "m.group_id = ?", groupID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		st.members[m.PersonID] = m
	}
	offers, err := offersTx(tx, groupID)
	if err != nil {
		return nil, err
	}
	for _, o := range offers {
		st.offers[o.Role] = append(st.offers[o.Role], o)
	}
	for role := range st.offers {
		if st.counts[role], err = turnsTx(tx, groupID, role, s.Now()); err != nil {
			return nil, err
		}
	}
	if len(sessionIDs) > 0 {
		args := []any{peercircle.AttendApologies}
		for _, id := range sessionIDs {
			args = append(args, id)
		}
		rows, err := tx.Query("SELECT session_id, person_id FROM attendance WHERE status = ? AND session_id IN ("+placeholders(len(sessionIDs))+")", args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var sid, pid int64
			if err := rows.Scan(&sid, &pid); err != nil {
				return nil, err
			}
			if st.apologies[sid] == nil {
				st.apologies[sid] = map[int64]bool{}
			}
			st.apologies[sid][pid] = true
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// available reports whether a person can take a turn at a session on a
// local date: a current member, not on leave then.
func (st *rotaState) available(personID int64, date string) bool {
	m := st.members[personID]
	if m == nil {
		return false
	}
	switch m.Status {
	case peercircle.MemberActive:
		return true
	case peercircle.MemberOnLeave:
		return m.LeaveUntil != "" && date > m.LeaveUntil
	}
	return false
}

func (st *rotaState) candidates(role string, sessionID int64, date string, busy []int64) []peercircle.RotaCandidate {
	var out []peercircle.RotaCandidate
	for _, o := range st.offers[role] {
		c := peercircle.RotaCandidate{PersonID: o.PersonID, Turns: o.BaseTurns}
		if tc := st.counts[role][o.PersonID]; tc != nil {
			c.Turns += tc.n
			c.Last = tc.last
		}
		c.Away = !st.available(o.PersonID, date) || st.apologies[sessionID][o.PersonID] || slices.Contains(busy, o.PersonID)
		out = append(out, c)
	}
	return out
}

func (st *rotaState) count(role string, personID int64, at time.Time, delta int) {
	if st.counts[role] == nil {
		st.counts[role] = map[int64]*turnCount{}
	}
	c := st.counts[role][personID]
	if c == nil {
		c = &turnCount{}
		st.counts[role][personID] = c
	}
	c.n += delta
	if delta > 0 && at.After(c.last) {
		c.last = at
	}
}

type upcoming struct {
	id        int64
	start     time.Time
	date      string
	fac       int64
	facManual bool
	roles     map[string]int64
	manual    map[string]bool
}

// AssignRotation gives every upcoming planned session's empty slots a
// turn, fairly, and moves the turns of people who left the group or are on
// leave that day to the next on the rota (recorded and announced). It
// never moves any other planned turn: the rota is a plan.
func (s *Store) AssignRotation(ctx context.Context, groupID int64) error {
	now := s.Now()
	return s.DB.Write(ctx, func(tx *Tx) error { return s.assignRotationTx(tx, groupID, now) })
}

// upcomingTurnsTx reads the group's upcoming planned sessions (after now,
// in date order) with who holds which role at each.
func upcomingTurnsTx(tx *Tx, groupID int64, now time.Time) ([]*upcoming, error) {
	rows, err := tx.Query(`SELECT id, planned_start, local_date, facilitator_id, facilitator_manual FROM sessions
		WHERE group_id = ? AND status = ? AND planned_start > ? ORDER BY planned_start, id`, groupID, peercircle.SessionPlanned, now)
	if err != nil {
		return nil, err
	}
	var list []*upcoming
	var ids []int64
	for rows.Next() {
		u := &upcoming{roles: map[string]int64{}, manual: map[string]bool{}}
		if err := rows.Scan(&u.id, &u.start, &u.date, &u.fac, &u.facManual); err != nil {
			rows.Close()
			return nil, err
		}
		u.roles[peercircle.VolunteerFacilitator], u.manual[peercircle.VolunteerFacilitator] = u.fac, u.facManual
		list = append(list, u)
		ids = append(ids, u.id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(list) == 0 {
		return nil, err
	}
	args := []any{}
	for _, id := range ids {
		args = append(args, id)
	}
	rrows, err := tx.Query("SELECT session_id, role, person_id, manual FROM session_roles WHERE session_id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rrows.Close()
	byID := map[int64]*upcoming{}
	for _, u := range list {
		byID[u.id] = u
	}
	for rrows.Next() {
		var sid, pid int64
		var role string
		var manual bool
		if err := rrows.Scan(&sid, &role, &pid, &manual); err != nil {
			return nil, err
		}
		byID[sid].roles[role], byID[sid].manual[role] = pid, manual
	}
	return list, rrows.Err()
}

// assignRotationTx is AssignRotation inside a write transaction (planning
// ahead fills the rotas in its own).
func (s *Store) assignRotationTx(tx *Tx, groupID int64, now time.Time) error {
	list, err := upcomingTurnsTx(tx, groupID, now)
	if err != nil || len(list) == 0 {
		return err
	}
	var ids []int64
	for _, u := range list {
		ids = append(ids, u.id)
	}
	st, err := s.rotaStateTx(tx, groupID, ids)
	if err != nil {
		return err
	}
	// Planned turns stay with whoever holds them, unless they left the
	// group or are on leave that day. Empty (and so freed) slots are
	// filled in date order, fairly, from those who offered, so the same
	// people, offers and leave always give the same plan.
	for _, u := range list {
		var busy []int64
		freed := map[string]int64{}
		for _, role := range peercircle.VolunteerRoles {
			cur := u.roles[role]
			switch {
			case cur == 0:
			case st.available(cur, u.date) && !slices.Contains(busy, cur):
				busy = append(busy, cur)
				st.count(role, cur, u.start, 1)
			default:
				freed[role] = cur
			}
		}
		for _, role := range peercircle.VolunteerRoles {
			cur := u.roles[role]
			if cur != 0 && freed[role] == 0 {
				continue
			}
			next, ok := peercircle.NextInRota(st.candidates(role, u.id, u.date, busy))
			if !ok {
				next = 0
			}
			if next != cur {
				if err := setTurnTx(tx, u.id, role, next, false); err != nil {
					return err
				}
				if role == peercircle.VolunteerFacilitator && cur != 0 {
					if _, err := tx.Exec("UPDATE sessions SET sequence = sequence + 1, updated_at = ? WHERE id = ?", now, u.id); err != nil {
						return err
					}
				}
			}
			if cur != 0 {
				c := &peercircle.RotaChange{SessionID: u.id, GroupID: groupID, Role: role, OldPersonID: cur, NewPersonID: next,
					Kind: peercircle.RotaUnavailable, LocalDate: u.date}
				if err := s.rotaChangeTx(tx, c, true); err != nil {
					return err
				}
			}
			if next != 0 {
				st.count(role, next, u.start, 1)
				busy = append(busy, next)
			}
		}
	}
	return nil
}

// setTurnTx sets (or clears, personID 0) one role at a session.
func setTurnTx(tx *Tx, sessionID int64, role string, personID int64, manual bool) error {
	if role == peercircle.VolunteerFacilitator {
		_, err := tx.Exec("UPDATE sessions SET facilitator_id = ?, facilitator_manual = ? WHERE id = ?", nullID(personID), manual, sessionID)
		return err
	}
	if personID == 0 {
		_, err := tx.Exec("DELETE FROM session_roles WHERE session_id = ? AND role = ?", sessionID, role)
		return err
	}
	_, err := tx.Exec(`INSERT INTO session_roles (session_id, role, person_id, manual) VALUES (?, ?, ?, ?)
		ON CONFLICT (session_id, role) DO UPDATE SET person_id = excluded.person_id, manual = excluded.manual`, sessionID, role, personID, manual)
	return err
}

// Turns lists who holds which role at the given sessions, the facilitator
// included.
func (s *Store) Turns(ctx context.Context, sessionIDs []int64) ([]peercircle.RotaTurn, error) {
	turns, _, _, err := s.TurnsAndLive(ctx, 0, sessionIDs)
	return turns, err
}

// TurnsAndLive returns the meetings' turns, the live state (running or
// ended) of those that were started and, for a person, their own answer
// to each, in one statement: what a list of meetings shows.
func (s *Store) TurnsAndLive(ctx context.Context, personID int64, sessionIDs []int64) ([]peercircle.RotaTurn, map[int64]string, map[int64]string, error) {
	live, answers := map[int64]string{}, map[int64]string{}
	if len(sessionIDs) == 0 {
		return nil, live, answers, nil
	}
	in, args := inIDs(sessionIDs)
	all := append(append(append([]any(nil), args...), args...), args...)
	q := `SELECT 't', id, 'facilitator', facilitator_id, facilitator_manual FROM sessions WHERE facilitator_id IS NOT NULL AND id IN (` + in + `)
		UNION ALL SELECT 't', session_id, role, person_id, manual FROM session_roles WHERE session_id IN (` + in + `)
		UNION ALL SELECT 'l', session_id, state, 0, FALSE FROM live_sessions WHERE session_id IN (` + in + `)`
	if personID != 0 {
		q += `
		UNION ALL SELECT 'a', session_id, status, person_id, FALSE FROM attendance WHERE session_id IN (` + in + `) AND person_id = ?`
		all = append(append(all, args...), personID)
	}
	rows, err := s.DB.Query(ctx, q, all...)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	var out []peercircle.RotaTurn
	for rows.Next() {
		var kind string
		var t peercircle.RotaTurn
		if err := rows.Scan(&kind, &t.SessionID, &t.Role, &t.PersonID, &t.Manual); err != nil {
			return nil, nil, nil, err
		}
		switch kind {
		case "l":
			live[t.SessionID] = t.Role
		case "a":
			answers[t.SessionID] = t.Role
		default:
			out = append(out, t)
		}
	}
	return out, live, answers, rows.Err()
}

// Substitute suggests who could facilitate a session in place of a
// facilitator who sent apologies: the next on the rota who is free.
func (s *Store) Substitute(ctx context.Context, sessionID int64) (int64, error) {
	var next int64
	err := s.DB.Read(ctx, func(tx *Tx) error {
		m, err := scanSession(tx.QueryRow("SELECT "+sessionCols+" FROM sessions WHERE id = ?", sessionID))
		if err != nil {
			return notFound(err, "session")
		}
		st, err := s.rotaStateTx(tx, m.GroupID, []int64{sessionID})
		if err != nil {
			return err
		}
		busy, err := holdersTx(tx, m.ID)
		if err != nil {
			return err
		}
		var ok bool
		next, ok = peercircle.NextInRota(st.candidates(peercircle.VolunteerFacilitator, sessionID, m.LocalDate, busy))
		if !ok {
			return peercircle.Errorf(peercircle.ENOTFOUND, "rota.no_substitute", "nobody free to facilitate session %d", sessionID)
		}
		return nil
	})
	return next, err
}

// holdersTx lists who holds a role at a session, the facilitator included.
func holdersTx(tx *Tx, sessionID int64) ([]int64, error) {
	return idsTx(tx, `SELECT facilitator_id FROM sessions WHERE id = ? AND facilitator_id IS NOT NULL
		UNION ALL SELECT person_id FROM session_roles WHERE session_id = ?`, sessionID, sessionID)
}
