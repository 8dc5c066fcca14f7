package sqlstore

import (
	"context"
	"errors"
	"slices"

	"github.com/peercircle/peercircle"
)

// ImportPeople imports a people file (see peercircle.ImportService).
func (s *Store) ImportPeople(ctx context.Context, recs []peercircle.PersonRecord, opt peercircle.ImportOptions) (*peercircle.ImportResult, error) {
	res := peercircle.NewImportResult()
	res.Rows = len(recs)
	const kind = peercircle.ImportPerson
	err := s.DB.Write(ctx, func(tx *Tx) error {
		sites, err := importKeysTx(tx, peercircle.ImportSite)
		if err != nil {
			return err
		}
		people, err := importKeysTx(tx, kind)
		if err != nil {
			return err
		}
		keys := map[string]map[string]int64{kind: people}
		seen := map[string]int{}
		fail := func(r peercircle.PersonRecord, col, key string, args ...any) {
			res.Errors = append(res.Errors, peercircle.RowError{Row: r.Row, Column: col, Key: key, Args: args})
		}
		for i, r := range recs {
			opt.Report(i, len(recs))
			if key, args := checkKey(seen, r.Key, r.Row); key != "" {
				fail(r, "key", key, args...)
				continue
			}
			site, ok := sites[r.Site]
			if !ok {
				fail(r, "site", "import.error.site", r.Site)
				continue
			}
			p := &peercircle.Person{FullName: r.FullName, DisplayName: r.DisplayName, Email: r.Email, Username: r.Username,
				Lang: r.Lang, HomeSiteID: site, Status: peercircle.PersonNoLogin}
			if p.Email != "" || p.Username != "" {
				p.Status = peercircle.PersonInvited
			}
			if err := p.Validate(); err != nil {
				fields := peercircle.ErrorFields(err)
				if len(fields) == 0 {
					return err
				}
				for f, key := range fields {
					fail(r, f, key)
				}
				continue
			}
			if id, ok := people[r.Key]; ok {
				var old peercircle.Person
				err := tx.QueryRow("SELECT COALESCE(username, ''), COALESCE(email, ''), full_name, display_name, lang, COALESCE(home_site_id, 0), status FROM people WHERE id = ?", id).
					Scan(&old.Username, &old.Email, &old.FullName, &old.DisplayName, &old.Lang, &old.HomeSiteID, &old.Status)
				if err != nil && !errors.Is(err, errNoRows) {
					return err
				}
				if err == nil {
					if old.Status == peercircle.PersonActive && (old.Email != p.Email || old.Username != p.Username) {
						// A sign-in identity in use changes only by its owner.
						col := "email"
						if old.Username != p.Username {
							col = "username"
						}
						fail(r, col, "import.error.identity")
						continue
					}
					if old.FullName == p.FullName && old.DisplayName == p.DisplayName && old.Lang == p.Lang && old.HomeSiteID == p.HomeSiteID &&
						old.Email == p.Email && old.Username == p.Username {
						res.Unchanged[kind]++
						if err := grantRolesTx(tx, id, site, r.Roles, res); err != nil {
							return err
						}
						continue
					}
					status := old.Status
					if status == peercircle.PersonNoLogin && p.Status == peercircle.PersonInvited {
						status = peercircle.PersonInvited
					}
					if _, err := tx.Exec("UPDATE people SET full_name = ?, display_name = ?, lang = ?, home_site_id = ?, email = ?, username = ?, status = ? WHERE id = ?",
						p.FullName, p.DisplayName, p.Lang, p.HomeSiteID, nullText(p.Email), nullText(p.Username), status, id); err != nil {
						return loginConflict(err)
					}
					res.Updated[kind]++
					if err := grantRolesTx(tx, id, site, r.Roles, res); err != nil {
						return err
					}
					continue
				}
			}
			// A username or e-mail another person already has is the
			// row's problem, not the file's.
			var taken int
			if err := tx.QueryRow("SELECT COUNT(*) FROM people WHERE (username = ? AND ? <> '') OR (email = ? AND ? <> '')",
				p.Username, p.Username, p.Email, p.Email).Scan(&taken); err != nil {
				return err
			}
			if taken > 0 {
				fail(r, "email", "people.login_taken")
				continue
			}
			id, err := tx.Insert(`INSERT INTO people (username, email, full_name, display_name, lang, home_site_id, status, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, nullText(p.Username), nullText(p.Email), p.FullName, p.DisplayName, p.Lang, p.HomeSiteID, p.Status, s.Now())
			if err != nil {
				return loginConflict(err)
			}
			res.Created[kind]++
			if err := s.remember(tx, kind, r.Key, id, keys); err != nil {
				return err
			}
			if err := grantRolesTx(tx, id, site, r.Roles, res); err != nil {
				return err
			}
		}
		opt.Report(len(recs), len(recs))
		return importOutcome(res, opt)
	})
	return res, importError(err)
}

// grantRolesTx gives an imported person the roles of their row, where
// those roles are held: organiser, supervisor and trainer of their site,
// coordinator of its area. A grant already held is left alone; none is
// taken away.
func grantRolesTx(tx *Tx, personID, siteID int64, roles []string, res *peercircle.ImportResult) error {
	for _, role := range roles {
		g := peercircle.Grant{PersonID: personID, Role: role, ScopeKind: peercircle.ScopeSite, ScopeID: siteID}
		if role == peercircle.RoleCoordinator {
			g.ScopeKind = peercircle.ScopeArea
			if err := tx.QueryRow("SELECT area_id FROM sites WHERE id = ?", siteID).Scan(&g.ScopeID); err != nil {
				return err
			}
		}
		if !slices.Contains(peercircle.ImportableRoles, role) {
			return peercircle.FieldErrors{"roles": "import.error.role"}.Err()
		}
		if err := g.Validate(); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM grants WHERE person_id = ? AND role = ? AND scope_kind = ? AND scope_id = ?",
			personID, role, g.ScopeKind, g.ScopeID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := tx.Exec("INSERT INTO grants (person_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)", personID, role, g.ScopeKind, g.ScopeID); err != nil {
			return err
		}
		res.Created[peercircle.ImportGrant]++
	}
	return nil
}
