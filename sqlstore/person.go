package sqlstore

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/password"
)

const personCols = "id, username, email, full_name, display_name, lang, home_site_id, status, created_at"

func scanPerson(sc interface{ Scan(...any) error }) (*peercircle.Person, error) {
	var p peercircle.Person
	err := sc.Scan(&p.ID, &p.Username, &p.Email, &p.FullName, &p.DisplayName, &p.Lang, &p.HomeSiteID, &p.Status, &p.CreatedAt)
	return &p, err
}

// CreatePerson adds a person.
func (s *Store) CreatePerson(ctx context.Context, p *peercircle.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.CreatedAt = s.Now()
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		if p.HomeSiteID != 0 {
			if err := exists(tx, "sites", p.HomeSiteID, "site"); err != nil {
				return err
			}
		}
		p.ID, err = tx.Insert(`INSERT INTO people (username, email, full_name, display_name, lang, home_site_id, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			nullText(p.Username), nullText(p.Email), p.FullName, p.DisplayName, p.Lang, nullID(p.HomeSiteID), p.Status, p.CreatedAt)
		return loginConflict(err)
	})
}

// loginConflict gives a taken username or e-mail a message people understand.
func loginConflict(err error) error {
	if isCode(err, peercircle.ECONFLICT) {
		return &peercircle.Error{Code: peercircle.ECONFLICT, Key: "people.login_taken", Message: "username or e-mail already in use"}
	}
	return err
}

// UpdatePerson saves a person's details (not their password). A change of
// username or e-mail ends the person's sessions and voids their links. Who
// may change which field is the caller's to ask (peercircle.PlanPersonChange):
// this is also the path of the CLI and the demo.
func (s *Store) UpdatePerson(ctx context.Context, p *peercircle.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		var username, email string
		err := tx.QueryRow("SELECT COALESCE(username, ''), COALESCE(email, '') FROM people WHERE id = ?", p.ID).Scan(&username, &email)
		if err != nil {
			return notFound(err, "person")
		}
		if username != p.Username || email != p.Email {
			if err := s.identityChangedTx(tx, p.ID, ""); err != nil {
				return err
			}
		}
		res, err := tx.Exec(`UPDATE people SET username = ?, email = ?, full_name = ?, display_name = ?, lang = ?, home_site_id = ?, status = ?
			WHERE id = ?`, nullText(p.Username), nullText(p.Email), p.FullName, p.DisplayName, p.Lang, nullID(p.HomeSiteID), p.Status, p.ID)
		if err != nil {
			return loginConflict(err)
		}
		if err := affectOne(res, nil)("person"); err != nil {
			return err
		}
		if p.Status == peercircle.PersonDisabled {
			_, err = tx.Exec("DELETE FROM auth_sessions WHERE person_id = ?", p.ID)
		}
		return err
	})
}

// Person returns one person.
func (s *Store) Person(ctx context.Context, id int64) (*peercircle.Person, error) {
	p, err := scanPerson(s.DB.QueryRow(ctx, "SELECT "+personCols+" FROM people WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "person")
	}
	return p, nil
}

// PersonByLogin finds a person by username or e-mail, ignoring case.
func (s *Store) PersonByLogin(ctx context.Context, login string) (*peercircle.Person, error) {
	login = peercircle.NormaliseLogin(login)
	if login == "" {
		return nil, peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "person not found")
	}
	p, err := scanPerson(s.DB.QueryRow(ctx, "SELECT "+personCols+" FROM people WHERE username = ? OR email = ?", login, login))
	if err != nil {
		return nil, notFound(err, "person")
	}
	return p, nil
}

// FindPeople lists people matching f, with the total count for paging.
func (s *Store) FindPeople(ctx context.Context, f peercircle.PersonFilter) ([]*peercircle.Person, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.SiteID != 0 {
		where = append(where, "home_site_id = ?")
		args = append(args, f.SiteID)
	}
	if len(f.SiteIDs) > 0 {
		where = append(where, "home_site_id IN ("+placeholders(len(f.SiteIDs))+")")
		for _, id := range f.SiteIDs {
			args = append(args, id)
		}
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		where = append(where, "(lower(full_name) LIKE ? OR lower(display_name) LIKE ? OR username LIKE ? OR email LIKE ?)")
		like := "%" + strings.NewReplacer("%", "", "_", "").Replace(q) + "%"
		args = append(args, like, like, like, like)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var out []*peercircle.Person
	var total int
	err := s.DB.Read(ctx, func(tx *Tx) error {
		cond := strings.Join(where, " AND ")
		if err := tx.QueryRow("SELECT COUNT(*) FROM people WHERE "+cond, args...).Scan(&total); err != nil {
			return err
		}
		page, pargs, order := cond, append([]any(nil), args...), "full_name, id"
		switch {
		case f.After != 0:
			page += " AND (full_name, id) > (SELECT full_name, id FROM people WHERE id = ?)"
			pargs = append(pargs, f.After, f.Limit, 0)
		case f.Before != 0:
			page += " AND (full_name, id) < (SELECT full_name, id FROM people WHERE id = ?)"
			pargs, order = append(pargs, f.Before, f.Limit, 0), "full_name DESC, id DESC"
		default:
			pargs = append(pargs, f.Limit, f.Offset)
		}
		rows, err := tx.Query("SELECT "+personCols+" FROM people WHERE "+page+" ORDER BY "+order+" LIMIT ? OFFSET ?", pargs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPerson(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		if f.Before != 0 {
			slices.Reverse(out)
		}
		return rows.Err()
	})
	return out, total, err
}

// passwordError turns a password rule failure into a form error.
func passwordError(err error) error {
	key := ""
	switch {
	case errors.Is(err, password.ErrTooShort):
		key = "auth.password_too_short"
	case errors.Is(err, password.ErrTooLong):
		key = "auth.password_too_long"
	case errors.Is(err, password.ErrCommon):
		key = "auth.password_common"
	default:
		return err
	}
	return &peercircle.Error{Code: peercircle.EINVALID, Key: key, Fields: map[string]string{"password": key}, Message: "password refused: " + key}
}

// hashPassword checks the rules and hashes; it runs before any write
// transaction so the slow hash never holds the write lock.
func hashPassword(pw string) (string, error) {
	if err := password.Check(pw); err != nil {
		return "", passwordError(err)
	}
	return password.Hash(pw)
}

// SetPassword sets a person's password and ends their other sessions.
func (s *Store) SetPassword(ctx context.Context, personID int64, pw string) error {
	hash, err := hashPassword(pw)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		return setPasswordTx(tx, personID, hash)
	})
}

func setPasswordTx(tx *Tx, personID int64, hash string) error {
	res, err := tx.Exec("UPDATE people SET password_hash = ?, status = CASE WHEN status = ? THEN ? ELSE status END WHERE id = ?",
		hash, peercircle.PersonInvited, peercircle.PersonActive, personID)
	if err := affectOne(res, err)("person"); err != nil {
		return err
	}
	_, err = tx.Exec("DELETE FROM auth_sessions WHERE person_id = ?", personID)
	return err
}

// SetLanguage saves a person's language choice ("" follows the browser).
func (s *Store) SetLanguage(ctx context.Context, personID int64, lang string) error {
	if lang != "" && !contains(peercircle.Languages, lang) {
		return peercircle.FieldErrors{"lang": "error.choice"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		return affectOne(tx.Exec("UPDATE people SET lang = ? WHERE id = ?", lang, personID))("person")
	})
}

// Grants lists a person's grants.
func (s *Store) Grants(ctx context.Context, personID int64) ([]peercircle.Grant, error) {
	rows, err := s.DB.Query(ctx, "SELECT id, person_id, role, scope_kind, scope_id FROM grants WHERE person_id = ? ORDER BY id", personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []peercircle.Grant
	for rows.Next() {
		var g peercircle.Grant
		if err := rows.Scan(&g.ID, &g.PersonID, &g.Role, &g.ScopeKind, &g.ScopeID); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// AddGrant gives a person a role in a scope. Facilitator and member roles
// come from group memberships, not grants.
func (s *Store) AddGrant(ctx context.Context, g *peercircle.Grant) error {
	if g.ScopeKind == peercircle.ScopeOrganisation {
		g.ScopeID = 0
	}
	if err := g.Validate(); err != nil {
		return err
	}
	if g.ScopeKind == peercircle.ScopeGroup {
		return peercircle.FieldErrors{"role": "people.grant_via_membership"}.Err()
	}
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		if err := exists(tx, "people", g.PersonID, "person"); err != nil {
			return err
		}
		if table := map[string]string{peercircle.ScopeRegion: "regions", peercircle.ScopeArea: "areas", peercircle.ScopeSite: "sites"}[g.ScopeKind]; table != "" {
			if err := exists(tx, table, g.ScopeID, g.ScopeKind); err != nil {
				return err
			}
		}
		g.ID, err = tx.Insert("INSERT INTO grants (person_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)",
			g.PersonID, g.Role, g.ScopeKind, g.ScopeID)
		return err
	})
}

// RemoveGrant takes a grant away.
func (s *Store) RemoveGrant(ctx context.Context, grantID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		return affectOne(tx.Exec("DELETE FROM grants WHERE id = ?", grantID))("grant")
	})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// SetPasswordHash stores an already-hashed password; the demo and
// national-scale generators use it to avoid hashing thousands of times.
func (s *Store) SetPasswordHash(ctx context.Context, personID int64, hash string) error {
	return s.DB.Write(ctx, func(tx *Tx) error { return setPasswordTx(tx, personID, hash) })
}

// RolesOf reads the roles of the listed people in one query: their grants
// and the groups they facilitate, each role once, in the domain's order.
func (s *Store) RolesOf(ctx context.Context, personIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(personIDs) == 0 {
		return out, nil
	}
	in, list := inIDs(personIDs)
	args := make([]any, 0, 2*len(list)+3)
	args = append(args, list...)
	args = append(args, peercircle.RoleFacilitator)
	args = append(args, list...)
	args = append(args, peercircle.MemberActive, peercircle.MemberOnLeave)
	rows, err := s.DB.Query(ctx, `SELECT person_id, role FROM grants WHERE person_id IN (`+in+`)
		UNION SELECT person_id, role FROM memberships WHERE role = ? AND person_id IN (`+in+`) AND status IN (?, ?)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	has := map[int64]map[string]bool{}
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return nil, err
		}
		if has[id] == nil {
			has[id] = map[string]bool{}
		}
		has[id][role] = true
	}
	for id, roles := range has {
		for _, r := range peercircle.Roles {
			if roles[r] {
				out[id] = append(out[id], r)
			}
		}
	}
	return out, rows.Err()
}
