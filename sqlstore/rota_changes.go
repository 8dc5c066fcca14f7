package sqlstore

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

// The rota's explicit acts (issue 11): each change to a planned turn is a
// rota_changes row, written with the change itself and the in-app notices
// to those affected, in one transaction.

var _ peercircle.RotationService = (*Store)(nil)

// rotaChangeTx records a change and tells those affected: the person who
// takes the turn and the one who no longer has it (when notifyPeople and
// they did not do it themselves), and for the facilitator's turn the
// site's organisers. Notices carry the group's name, the date and the
// role: names are read on the group page, where they stay current.
func (s *Store) rotaChangeTx(tx *Tx, c *peercircle.RotaChange, notifyPeople bool) error {
	now := s.Now()
	c.CreatedAt = now
	id, err := tx.Insert(`INSERT INTO rota_changes (session_id, group_id, role, old_person_id, new_person_id, kind, by_person_id, swap_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.SessionID, c.GroupID, c.Role, nullID(c.OldPersonID), nullID(c.NewPersonID), c.Kind,
		nullID(c.ByPersonID), nullID(c.SwapID), now)
	if err != nil {
		return err
	}
	c.ID = id
	var name string
	var siteID int64
	if err := tx.QueryRow("SELECT name, site_id FROM groups WHERE id = ?", c.GroupID).Scan(&name, &siteID); err != nil {
		return notFound(err, "group")
	}
	if c.LocalDate == "" {
		if err := tx.QueryRow("SELECT local_date FROM sessions WHERE id = ?", c.SessionID).Scan(&c.LocalDate); err != nil {
			return notFound(err, "session")
		}
	}
	params := []string{name, c.LocalDate, "@volunteer." + c.Role}
	link := "/groups/" + strconv.FormatInt(c.GroupID, 10) + "#rota-changes"
	told := []int64{c.ByPersonID}
	tell := func(person int64, kind string) error {
		if person == 0 || slices.Contains(told, person) {
			return nil
		}
		told = append(told, person)
		return s.notifyTx(tx, &peercircle.Notification{PersonID: person, Kind: kind, Params: params, Link: link})
	}
	if notifyPeople {
		if err := tell(c.NewPersonID, "rota_yours"); err != nil {
			return err
		}
		if err := tell(c.OldPersonID, "rota_not_yours"); err != nil {
			return err
		}
	}
	if c.Role != peercircle.VolunteerFacilitator {
		return nil
	}
	organisers, err := siteOrganisersTx(tx, siteID)
	if err != nil {
		return err
	}
	for _, o := range organisers {
		if err := tell(o, "rota_changed"); err != nil {
			return err
		}
	}
	return nil
}

func siteOrganisersTx(tx *Tx, siteID int64) ([]int64, error) {
	return idsTx(tx, "SELECT person_id FROM grants WHERE role = ? AND scope_kind = ? AND scope_id = ? ORDER BY person_id",
		peercircle.RoleOrganiser, peercircle.ScopeSite, siteID)
}

// roleAtTx returns the role a person holds at a session, or "".
func roleAtTx(tx *Tx, sessionID, personID int64) (string, error) {
	var fac int64
	if err := tx.QueryRow("SELECT COALESCE(facilitator_id, 0) FROM sessions WHERE id = ?", sessionID).Scan(&fac); err != nil {
		return "", notFound(err, "session")
	}
	if fac == personID {
		return peercircle.VolunteerFacilitator, nil
	}
	var role string
	err := tx.QueryRow("SELECT role FROM session_roles WHERE session_id = ? AND person_id = ?", sessionID, personID).Scan(&role)
	if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
		return "", nil
	}
	return role, err
}

// holderTx returns who holds a role at a session (0 for nobody).
func holderTx(tx *Tx, sessionID int64, role string) (int64, error) {
	var id int64
	var err error
	if role == peercircle.VolunteerFacilitator {
		err = tx.QueryRow("SELECT COALESCE(facilitator_id, 0) FROM sessions WHERE id = ?", sessionID).Scan(&id)
	} else {
		err = tx.QueryRow("SELECT person_id FROM session_roles WHERE session_id = ? AND role = ?", sessionID, role).Scan(&id)
	}
	if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
		return 0, nil
	}
	return id, err
}

// canTakeTx checks that a person can take a turn at an upcoming session:
// a current member, available that day, without apologies and without
// another role there. It returns the field error key, or "".
func (s *Store) canTakeTx(tx *Tx, m *peercircle.Session, personID int64, except string) (string, error) {
	st, err := s.rotaStateTx(tx, m.GroupID, []int64{m.ID})
	if err != nil {
		return "", err
	}
	if !st.available(personID, m.LocalDate) {
		return "rota.not_available", nil
	}
	if st.apologies[m.ID][personID] {
		return "rota.sent_apologies", nil
	}
	role, err := roleAtTx(tx, m.ID, personID)
	if err != nil {
		return "", err
	}
	if role != "" && role != except {
		return "rota.has_role", nil
	}
	return "", nil
}

// setRoleTx puts a person in a role at a session by an explicit act
// (kept by the rotation), bumping the calendar's SEQUENCE when the
// facilitator changes.
func setRoleTx(tx *Tx, m *peercircle.Session, role string, personID int64, now time.Time) error {
	if err := setTurnTx(tx, m.ID, role, personID, personID != 0); err != nil {
		return err
	}
	if role == peercircle.VolunteerFacilitator {
		_, err := tx.Exec("UPDATE sessions SET sequence = sequence + 1, updated_at = ? WHERE id = ?", now, m.ID)
		return err
	}
	return nil
}

// AssignTurn is the organiser's decision (or a facilitator managing the
// group): a person for a role at an upcoming meeting, recorded and
// announced. personID 0 gives the slot back to the rotation, which gives
// it to the next fair person other than the one who had it.
func (s *Store) AssignTurn(ctx context.Context, sessionID int64, role string, personID, by int64) error {
	if !slices.Contains(peercircle.VolunteerRoles, role) {
		return peercircle.FieldErrors{"role": "error.choice"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		m, _, err := s.upcomingTx(tx, sessionID)
		if err != nil {
			return err
		}
		old, err := holderTx(tx, m.ID, role)
		if err != nil {
			return err
		}
		if personID == old && personID != 0 {
			return setTurnTx(tx, m.ID, role, personID, true)
		}
		if personID == 0 {
			st, err := s.rotaStateTx(tx, m.GroupID, []int64{m.ID})
			if err != nil {
				return err
			}
			busy, err := holdersTx(tx, m.ID)
			if err != nil {
				return err
			}
			personID, _ = peercircle.NextInRota(st.candidates(role, m.ID, m.LocalDate, busy))
			if err := setTurnTx(tx, m.ID, role, personID, false); err != nil {
				return err
			}
			if role == peercircle.VolunteerFacilitator {
				if _, err := tx.Exec("UPDATE sessions SET sequence = sequence + 1, updated_at = ? WHERE id = ?", s.Now(), m.ID); err != nil {
					return err
				}
			}
		} else {
			ms, err := membershipsTx(tx, "m.group_id = ? AND m.person_id = ?", m.GroupID, personID)
			if err != nil {
				return err
			}
			if len(ms) == 0 || !ms[0].Current() {
				return peercircle.FieldErrors{"person": "error.choice"}.Err()
			}
			if key, err := s.canTakeTx(tx, m, personID, role); err != nil {
				return err
			} else if key != "" {
				return peercircle.FieldErrors{"person": key}.Err()
			}
			if err := setRoleTx(tx, m, role, personID, s.Now()); err != nil {
				return err
			}
		}
		if personID == old {
			return nil
		}
		if err := s.auditGroupTx(tx, by, "rota.assign", "session", m.ID, role); err != nil {
			return err
		}
		return s.rotaChangeTx(tx, &peercircle.RotaChange{SessionID: m.ID, GroupID: m.GroupID, Role: role, OldPersonID: old, NewPersonID: personID,
			Kind: peercircle.RotaOrganiser, ByPersonID: by, LocalDate: m.LocalDate}, true)
	})
}

// Apologise records a member's apologies and, when they hold a turn and
// propose a substitute, gives the turn to the substitute.
func (s *Store) Apologise(ctx context.Context, sessionID, personID, substituteID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		var prev string
		_ = tx.QueryRow("SELECT status FROM attendance WHERE session_id = ? AND person_id = ?", sessionID, personID).Scan(&prev)
		m, g, err := s.rsvpTx(tx, sessionID, personID, peercircle.AttendApologies)
		if err != nil {
			return err
		}
		role, err := roleAtTx(tx, m.ID, personID)
		if err != nil || role == "" {
			return err
		}
		if substituteID == 0 || substituteID == personID {
			if role != peercircle.VolunteerFacilitator || prev == peercircle.AttendApologies {
				return nil
			}
			// The organisers decide on a substitute (the plan page
			// suggests the next on the rota).
			organisers, err := siteOrganisersTx(tx, g.SiteID)
			if err != nil {
				return err
			}
			link := "/sessions/" + strconv.FormatInt(m.ID, 10) + "/plan"
			for _, id := range organisers {
				if err := s.notifyTx(tx, &peercircle.Notification{PersonID: id, Kind: "facilitator_apologies", Params: []string{g.Name, m.LocalDate}, Link: link}); err != nil {
					return err
				}
			}
			return nil
		}
		ms, err := membershipsTx(tx, "m.group_id = ? AND m.person_id = ?", m.GroupID, substituteID)
		if err != nil {
			return err
		}
		if len(ms) == 0 || !ms[0].Current() {
			return peercircle.FieldErrors{"substitute": "error.choice"}.Err()
		}
		if key, err := s.canTakeTx(tx, m, substituteID, ""); err != nil {
			return err
		} else if key != "" {
			return peercircle.FieldErrors{"substitute": key}.Err()
		}
		if err := setRoleTx(tx, m, role, substituteID, s.Now()); err != nil {
			return err
		}
		return s.rotaChangeTx(tx, &peercircle.RotaChange{SessionID: m.ID, GroupID: m.GroupID, Role: role, OldPersonID: personID,
			NewPersonID: substituteID, Kind: peercircle.RotaApologies, ByPersonID: personID, LocalDate: m.LocalDate}, true)
	})
}

// ProposeSwap asks another member to swap turns in one role.
func (s *Store) ProposeSwap(ctx context.Context, sessionID, personID, otherSessionID, otherPersonID int64) (*peercircle.RotaSwap, error) {
	var sw *peercircle.RotaSwap
	err := s.DB.Write(ctx, func(tx *Tx) error {
		a, g, err := s.upcomingTx(tx, sessionID)
		if err != nil {
			return err
		}
		b, _, err := s.upcomingTx(tx, otherSessionID)
		if err != nil {
			return peercircle.FieldErrors{"with": "rota.swap_not_upcoming"}.Err()
		}
		role, err := roleAtTx(tx, a.ID, personID)
		if err != nil {
			return err
		}
		if role == "" {
			return peercircle.Errorf(peercircle.EFORBIDDEN, "rota.not_your_turn", "person %d has no turn at session %d", personID, a.ID)
		}
		holder, err := holderTx(tx, b.ID, role)
		if err != nil {
			return err
		}
		if b.GroupID != a.GroupID || b.ID == a.ID || holder != otherPersonID || otherPersonID == personID || otherPersonID == 0 {
			return peercircle.FieldErrors{"with": "error.choice"}.Err()
		}
		if key, err := s.canTakeTx(tx, b, personID, role); err != nil {
			return err
		} else if key != "" {
			return peercircle.FieldErrors{"with": key}.Err()
		}
		if key, err := s.canTakeTx(tx, a, otherPersonID, ""); err != nil {
			return err
		} else if key != "" {
			return peercircle.FieldErrors{"with": key}.Err()
		}
		now := s.Now()
		sw = &peercircle.RotaSwap{GroupID: g.ID, Role: role, SessionA: a.ID, PersonA: personID, SessionB: b.ID, PersonB: otherPersonID,
			State: peercircle.SwapProposed, CreatedAt: now, DateA: a.LocalDate, DateB: b.LocalDate, StartA: a.PlannedStart, StartB: b.PlannedStart}
		if sw.ID, err = tx.Insert(`INSERT INTO rota_swaps (group_id, role, session_a, person_a, session_b, person_b, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, g.ID, role, a.ID, personID, b.ID, otherPersonID, sw.State, now); err != nil {
			return err
		}
		return s.notifyTx(tx, &peercircle.Notification{PersonID: otherPersonID, Kind: "swap_proposed",
			Params: []string{g.Name, b.LocalDate, "@volunteer." + role, a.LocalDate}, Link: "/groups/" + strconv.FormatInt(g.ID, 10) + "#swaps"})
	})
	return sw, err
}

// AnswerSwap records the other person's answer to a swap.
func (s *Store) AnswerSwap(ctx context.Context, swapID, personID int64, accept bool) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		sw, err := swapTx(tx, swapID)
		if err != nil {
			return err
		}
		if sw.PersonB != personID {
			return peercircle.Errorf(peercircle.EFORBIDDEN, "error.forbidden.body", "swap %d is not for person %d", swapID, personID)
		}
		if sw.State != peercircle.SwapProposed {
			return peercircle.Errorf(peercircle.ECONFLICT, "rota.swap_answered", "swap %d is %s", swapID, sw.State)
		}
		var name string
		if err := tx.QueryRow("SELECT name FROM groups WHERE id = ?", sw.GroupID).Scan(&name); err != nil {
			return err
		}
		now := s.Now()
		state := peercircle.SwapDeclined
		if accept {
			a, _, errA := s.upcomingTx(tx, sw.SessionA)
			b, _, errB := s.upcomingTx(tx, sw.SessionB)
			var ha, hb int64
			if errA == nil && errB == nil {
				if ha, err = holderTx(tx, a.ID, sw.Role); err != nil {
					return err
				}
				if hb, err = holderTx(tx, b.ID, sw.Role); err != nil {
					return err
				}
			}
			if errA != nil || errB != nil || ha != sw.PersonA || hb != sw.PersonB {
				return peercircle.Errorf(peercircle.ECONFLICT, "rota.swap_stale", "swap %d: the turns changed", swapID)
			}
			if key, err := s.canTakeTx(tx, a, sw.PersonB, ""); err != nil {
				return err
			} else if key != "" {
				return peercircle.Errorf(peercircle.ECONFLICT, "rota.swap_stale", "swap %d: %s", swapID, key)
			}
			if err := setRoleTx(tx, a, sw.Role, sw.PersonB, now); err != nil {
				return err
			}
			if err := setRoleTx(tx, b, sw.Role, sw.PersonA, now); err != nil {
				return err
			}
			for _, c := range []*peercircle.RotaChange{
				{SessionID: a.ID, GroupID: sw.GroupID, Role: sw.Role, OldPersonID: sw.PersonA, NewPersonID: sw.PersonB, LocalDate: a.LocalDate},
				{SessionID: b.ID, GroupID: sw.GroupID, Role: sw.Role, OldPersonID: sw.PersonB, NewPersonID: sw.PersonA, LocalDate: b.LocalDate},
			} {
				c.Kind, c.ByPersonID, c.SwapID = peercircle.RotaSwapped, personID, sw.ID
				if err := s.rotaChangeTx(tx, c, false); err != nil {
					return err
				}
			}
			state = peercircle.SwapAccepted
		}
		if _, err := tx.Exec("UPDATE rota_swaps SET state = ?, decided_at = ? WHERE id = ?", state, now, sw.ID); err != nil {
			return err
		}
		return s.notifyTx(tx, &peercircle.Notification{PersonID: sw.PersonA, Kind: "swap_" + state,
			Params: []string{name, sw.DateA, "@volunteer." + sw.Role, sw.DateB}, Link: "/groups/" + strconv.FormatInt(sw.GroupID, 10) + "#rota-changes"})
	})
}

const swapCols = `w.id, w.group_id, w.role, w.session_a, w.person_a, w.session_b, w.person_b, w.state, w.created_at, w.decided_at,
	a.local_date, b.local_date, a.planned_start, b.planned_start`

const swapFrom = ` FROM rota_swaps w JOIN sessions a ON a.id = w.session_a JOIN sessions b ON b.id = w.session_b `

func scanSwap(sc interface{ Scan(...any) error }) (*peercircle.RotaSwap, error) {
	var w peercircle.RotaSwap
	err := sc.Scan(&w.ID, &w.GroupID, &w.Role, &w.SessionA, &w.PersonA, &w.SessionB, &w.PersonB, &w.State, &w.CreatedAt, &w.DecidedAt,
		&w.DateA, &w.DateB, &w.StartA, &w.StartB)
	return &w, err
}

func swapTx(tx *Tx, id int64) (*peercircle.RotaSwap, error) {
	w, err := scanSwap(tx.QueryRow("SELECT "+swapCols+swapFrom+"WHERE w.id = ?", id))
	if err != nil {
		return nil, notFound(err, "swap")
	}
	return w, nil
}

// Swap returns one swap (for its page's access check).
func (s *Store) Swap(ctx context.Context, id int64) (*peercircle.RotaSwap, error) {
	w, err := scanSwap(s.DB.QueryRow(ctx, "SELECT "+swapCols+swapFrom+"WHERE w.id = ?", id))
	if err != nil {
		return nil, notFound(err, "swap")
	}
	return w, nil
}

// Swaps lists a group's proposed swaps between meetings still to come.
func (s *Store) Swaps(ctx context.Context, groupID int64) ([]*peercircle.RotaSwap, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+swapCols+swapFrom+"WHERE w.group_id = ? AND w.state = ? AND a.planned_start > ? AND b.planned_start > ? ORDER BY w.id",
		groupID, peercircle.SwapProposed, s.Now(), s.Now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.RotaSwap
	for rows.Next() {
		w, err := scanSwap(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// RotaChanges lists a group's recorded changes to meetings planned from
// since on, newest first.
func (s *Store) RotaChanges(ctx context.Context, groupID int64, since time.Time, limit int) ([]*peercircle.RotaChange, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.DB.Query(ctx, `SELECT c.id, c.session_id, c.group_id, c.role, COALESCE(c.old_person_id, 0), COALESCE(c.new_person_id, 0), c.kind,
		COALESCE(c.by_person_id, 0), COALESCE(c.swap_id, 0), c.created_at, m.local_date, m.planned_start
		FROM rota_changes c JOIN sessions m ON m.id = c.session_id
		WHERE c.group_id = ? AND m.planned_start >= ? ORDER BY c.id DESC LIMIT ?`, groupID, since, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.RotaChange
	for rows.Next() {
		var c peercircle.RotaChange
		if err := rows.Scan(&c.ID, &c.SessionID, &c.GroupID, &c.Role, &c.OldPersonID, &c.NewPersonID, &c.Kind, &c.ByPersonID, &c.SwapID,
			&c.CreatedAt, &c.LocalDate, &c.PlannedStart); err != nil {
			return nil, err
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}

// AddToRota puts a current member on a role's rota, as the organiser
// decides (000: facilitation rotates among all participants, not only
// those who volunteered). Their turns start with the next empty slots.
func (s *Store) AddToRota(ctx context.Context, groupID, personID int64, role string, by int64) error {
	if !slices.Contains(peercircle.VolunteerRoles, role) {
		return peercircle.FieldErrors{"role": "error.choice"}.Err()
	}
	err := s.DB.Write(ctx, func(tx *Tx) error {
		ms, err := membershipsTx(tx, "m.group_id = ? AND m.person_id = ?", groupID, personID)
		if err != nil {
			return err
		}
		if len(ms) == 0 || !ms[0].Current() {
			return peercircle.FieldErrors{"person": "error.choice"}.Err()
		}
		if err := s.addOfferTx(tx, groupID, personID, role); err != nil {
			return err
		}
		return s.auditGroupTx(tx, by, "rota.add", "group", groupID, role)
	})
	if err != nil {
		return err
	}
	return s.AssignRotation(ctx, groupID)
}
