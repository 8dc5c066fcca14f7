package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/peercircle/peercircle"
)

// loadTree reads the whole organisation tree and its version in one read
// transaction (see treecache.go for Tree).
func (s *Store) loadTree(ctx context.Context) (*peercircle.Tree, string, error) {
	t := &peercircle.Tree{}
	var version string
	err := s.DB.Read(ctx, func(tx *Tx) error {
		if err := tx.QueryRow("SELECT value FROM settings WHERE key = ?", treeVersionKey).Scan(&version); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err := tx.QueryRow("SELECT id, name, quarter_start_month FROM organisation ORDER BY id LIMIT 1").
			Scan(&t.Organisation.ID, &t.Organisation.Name, &t.Organisation.QuarterStartMonth)
		if err := notFound(err, "organisation"); err != nil && !isCode(err, peercircle.ENOTFOUND) {
			return err
		}
		rows, err := tx.Query("SELECT id, name, time_zone FROM regions ORDER BY name, id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var r peercircle.Region
			if err := rows.Scan(&r.ID, &r.Name, &r.TimeZone); err != nil {
				rows.Close()
				return err
			}
			t.Regions = append(t.Regions, r)
		}
		rows.Close()
		rows, err = tx.Query("SELECT id, region_id, name FROM areas ORDER BY name, id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var a peercircle.Area
			if err := rows.Scan(&a.ID, &a.RegionID, &a.Name); err != nil {
				rows.Close()
				return err
			}
			t.Areas = append(t.Areas, a)
		}
		rows.Close()
		rows, err = tx.Query("SELECT id, area_id, name, kind, time_zone, joined_programme FROM sites ORDER BY name, id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var st peercircle.Site
			if err := rows.Scan(&st.ID, &st.AreaID, &st.Name, &st.Kind, &st.TimeZone, &st.JoinedProgramme); err != nil {
				return err
			}
			t.Sites = append(t.Sites, st)
		}
		return rows.Err()
	})
	return t, version, err
}

// UpdateOrganisation creates the organisation row if missing, else renames it.
func (s *Store) UpdateOrganisation(ctx context.Context, o *peercircle.Organisation) error {
	f := peercircle.FieldErrors{}
	if o.Name == "" {
		f.Add("name", "error.required")
	}
	if o.QuarterStartMonth < 1 || o.QuarterStartMonth > 12 {
		f.Add("quarter_start_month", "error.range")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.writeTree(ctx, func(tx *Tx) error {
		var id int64
		err := tx.QueryRow("SELECT id FROM organisation ORDER BY id LIMIT 1").Scan(&id)
		if isCode(notFound(err, ""), peercircle.ENOTFOUND) {
			o.ID, err = tx.Insert("INSERT INTO organisation (name, quarter_start_month) VALUES (?, ?)", o.Name, o.QuarterStartMonth)
			return err
		} else if err != nil {
			return err
		}
		o.ID = id
		_, err = tx.Exec("UPDATE organisation SET name = ?, quarter_start_month = ? WHERE id = ?", o.Name, o.QuarterStartMonth, id)
		return err
	})
}

// CreateRegion adds a region.
func (s *Store) CreateRegion(ctx context.Context, r *peercircle.Region) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.writeTree(ctx, func(tx *Tx) (err error) {
		r.ID, err = tx.Insert("INSERT INTO regions (name, time_zone) VALUES (?, ?)", r.Name, r.TimeZone)
		return err
	})
}

// UpdateRegion renames a region or changes its default zone.
func (s *Store) UpdateRegion(ctx context.Context, r *peercircle.Region) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.writeTree(ctx, func(tx *Tx) error {
		return affectOne(tx.Exec("UPDATE regions SET name = ?, time_zone = ? WHERE id = ?", r.Name, r.TimeZone, r.ID))("region")
	})
}

// DeleteRegion removes a region that has no areas.
func (s *Store) DeleteRegion(ctx context.Context, id int64) error {
	return s.deleteNode(ctx, "regions", "areas", "region_id", id)
}

// CreateArea adds an area to a region.
func (s *Store) CreateArea(ctx context.Context, a *peercircle.Area) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.writeTree(ctx, func(tx *Tx) (err error) {
		if err := exists(tx, "regions", a.RegionID, "region"); err != nil {
			return err
		}
		a.ID, err = tx.Insert("INSERT INTO areas (region_id, name) VALUES (?, ?)", a.RegionID, a.Name)
		return err
	})
}

// UpdateArea renames or moves an area.
func (s *Store) UpdateArea(ctx context.Context, a *peercircle.Area) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.writeTree(ctx, func(tx *Tx) error {
		if err := exists(tx, "regions", a.RegionID, "region"); err != nil {
			return err
		}
		return affectOne(tx.Exec("UPDATE areas SET region_id = ?, name = ? WHERE id = ?", a.RegionID, a.Name, a.ID))("area")
	})
}

// DeleteArea removes an area that has no sites.
func (s *Store) DeleteArea(ctx context.Context, id int64) error {
	return s.deleteNode(ctx, "areas", "sites", "area_id", id)
}

// CreateSite adds a site to an area.
func (s *Store) CreateSite(ctx context.Context, st *peercircle.Site) error {
	if err := st.Validate(); err != nil {
		return err
	}
	return s.writeTree(ctx, func(tx *Tx) (err error) {
		if err := exists(tx, "areas", st.AreaID, "area"); err != nil {
			return err
		}
		st.ID, err = tx.Insert("INSERT INTO sites (area_id, name, kind, time_zone, joined_programme) VALUES (?, ?, ?, ?, ?)",
			st.AreaID, st.Name, st.Kind, st.TimeZone, st.JoinedProgramme)
		return err
	})
}

// UpdateSite edits a site.
func (s *Store) UpdateSite(ctx context.Context, st *peercircle.Site) error {
	if err := st.Validate(); err != nil {
		return err
	}
	return s.writeTree(ctx, func(tx *Tx) error {
		if err := exists(tx, "areas", st.AreaID, "area"); err != nil {
			return err
		}
		return affectOne(tx.Exec("UPDATE sites SET area_id = ?, name = ?, kind = ?, time_zone = ?, joined_programme = ? WHERE id = ?",
			st.AreaID, st.Name, st.Kind, st.TimeZone, st.JoinedProgramme, st.ID))("site")
	})
}

// DeleteSite removes a site that has no groups, venues or people.
func (s *Store) DeleteSite(ctx context.Context, id int64) error {
	return s.writeTree(ctx, func(tx *Tx) error {
		for _, child := range []string{"groups", "venues"} {
			var n int
			if err := tx.QueryRow("SELECT COUNT(*) FROM "+child+" WHERE site_id = ?", id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return peercircle.Errorf(peercircle.ECONFLICT, "org.delete_not_empty", "site %d still has %s", id, child)
			}
		}
		if _, err := tx.Exec("UPDATE people SET home_site_id = NULL WHERE home_site_id = ?", id); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM grants WHERE scope_kind = ? AND scope_id = ?", peercircle.ScopeSite, id); err != nil {
			return err
		}
		return affectOne(tx.Exec("DELETE FROM sites WHERE id = ?", id))("site")
	})
}

func (s *Store) deleteNode(ctx context.Context, table, childTable, childCol string, id int64) error {
	return s.writeTree(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM "+childTable+" WHERE "+childCol+" = ?", id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return peercircle.Errorf(peercircle.ECONFLICT, "org.delete_not_empty", "%s %d still has %s", table, id, childTable)
		}
		kind := map[string]string{"regions": peercircle.ScopeRegion, "areas": peercircle.ScopeArea}[table]
		if _, err := tx.Exec("DELETE FROM grants WHERE scope_kind = ? AND scope_id = ?", kind, id); err != nil {
			return err
		}
		return affectOne(tx.Exec("DELETE FROM "+table+" WHERE id = ?", id))(table)
	})
}

// Site returns one site.
func (s *Store) Site(ctx context.Context, id int64) (*peercircle.Site, error) {
	memo := memoOf(ctx)
	if st, ok := memo.site(id); ok {
		return st, nil
	}
	st, err := scanSite(s.DB.QueryRow(ctx, siteQuery, id))
	if err == nil {
		memo.keepSite(st)
	}
	return st, err
}

// SiteScope returns the region, area and site of a site.
func (s *Store) SiteScope(ctx context.Context, id int64) (peercircle.Scope, error) {
	var sc peercircle.Scope
	err := s.DB.QueryRow(ctx, `SELECT a.region_id, s.area_id, s.id FROM sites s JOIN areas a ON a.id = s.area_id WHERE s.id = ?`, id).
		Scan(&sc.RegionID, &sc.AreaID, &sc.SiteID)
	return sc, notFound(err, "site")
}

// exists returns ENOTFOUND when table has no row with id.
func exists(tx *Tx, table string, id int64, what string) error {
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM "+table+" WHERE id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "%s %d not found", what, id)
	}
	return nil
}

// affectOne turns an Exec result into ENOTFOUND when no row changed.
func affectOne(res interface{ RowsAffected() (int64, error) }, err error) func(what string) error {
	return func(what string) error {
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "%s not found", what)
		}
		return nil
	}
}
