package sqlstore

import (
	"context"
	"errors"
	"strings"

	"github.com/peercircle/peercircle"
)

// errDryRun rolls back a dry run's transaction after every row was checked.
var errDryRun = errors.New("dry run")

// importOutcome ends an import's transaction: rolled back (errDryRun) for a
// dry run, or when a row has an error and clean rows were not asked for;
// otherwise the file is written.
func importOutcome(res *peercircle.ImportResult, opt peercircle.ImportOptions) error {
	if opt.DryRun || (len(res.Errors) > 0 && !opt.CleanRows) {
		return errDryRun
	}
	res.Written = true
	return nil
}

// importError is an import transaction's error for the caller: a dry run's
// rollback is no error.
func importError(err error) error {
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

// checkKey checks a row's key: present, and not used on an earlier row of
// the file (then it remembers this row). It returns the message key of the
// problem and its arguments, or "".
func checkKey(seen map[string]int, key string, row int) (string, []any) {
	if key == "" {
		return "error.required", nil
	}
	if first, dup := seen[key]; dup {
		return "import.error.duplicate_key", []any{first}
	}
	seen[key] = row
	return "", nil
}

// importKeysTx reads the records earlier imports made, by kind and key.
func importKeysTx(tx *Tx, kind string) (map[string]int64, error) {
	rows, err := tx.Query("SELECT key, record_id FROM import_keys WHERE kind = ?", kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, rows.Err()
}

// ImportOrg imports an organisation-tree file (see peercircle.ImportService).
func (s *Store) ImportOrg(ctx context.Context, recs []peercircle.OrgRecord, opt peercircle.ImportOptions) (*peercircle.ImportResult, error) {
	res := peercircle.NewImportResult()
	res.Rows = len(recs)
	err := s.writeTree(ctx, func(tx *Tx) error {
		keys := map[string]map[string]int64{}
		for _, k := range []string{peercircle.ImportRegion, peercircle.ImportArea, peercircle.ImportSite} {
			m, err := importKeysTx(tx, k)
			if err != nil {
				return err
			}
			keys[k] = m
		}
		// Regions first, then areas, then sites: a parent may come after
		// its child in the file.
		order := map[string]int{peercircle.ImportRegion: 0, peercircle.ImportArea: 1, peercircle.ImportSite: 2}
		byLevel := [3][]peercircle.OrgRecord{}
		seen := map[string]int{} // type:key → row
		bad := map[int]bool{}
		fail := func(r peercircle.OrgRecord, col, key string, args ...any) {
			res.Errors = append(res.Errors, peercircle.RowError{Row: r.Row, Column: col, Key: key, Args: args})
			bad[r.Row] = true
		}
		for _, r := range recs {
			lvl, ok := order[r.Type]
			if !ok {
				fail(r, "type", "import.error.type")
				continue
			}
			if r.Key == "" {
				fail(r, "key", "error.required")
				continue
			}
			// Keys are the file's per kind of row: a region and a site may share one.
			if key, args := checkKey(seen, r.Type+":"+r.Key, r.Row); key != "" {
				fail(r, "key", key, args...)
				continue
			}
			byLevel[lvl] = append(byLevel[lvl], r)
		}
		done := 0
		opt.Report(0, len(recs))
		zones := map[string]string{} // region key → zone, for sites
		areaRegion := map[string]string{}
		for lvl, list := range byLevel {
			for _, r := range list {
				done++
				opt.Report(done, len(recs))
				if bad[r.Row] {
					continue
				}
				var err error
				switch lvl {
				case 0:
					err = s.importRegionTx(tx, r, keys, res, fail)
					zones[r.Key] = r.TimeZone
				case 1:
					err = s.importAreaTx(tx, r, keys, res, fail)
					areaRegion[r.Key] = r.Parent
				case 2:
					if r.TimeZone == "" {
						r.TimeZone = zones[areaRegion[r.Parent]]
						if r.TimeZone == "" {
							r.TimeZone = s.areaZoneTx(tx, keys[peercircle.ImportArea][r.Parent])
						}
					}
					err = s.importSiteTx(tx, r, keys, res, fail)
				}
				if err != nil {
					return err
				}
			}
		}
		opt.Report(len(recs), len(recs))
		return importOutcome(res, opt)
	})
	return res, importError(err)
}

type failFunc func(r peercircle.OrgRecord, col, key string, args ...any)

// fieldFail reports a record's validation errors against the file's
// columns.
func fieldFail(r peercircle.OrgRecord, err error, fail failFunc) bool {
	fields := peercircle.ErrorFields(err)
	if len(fields) == 0 {
		return false
	}
	for f, key := range fields {
		col := map[string]string{"name": "name", "time_zone": "time_zone", "kind": "site_kind", "area": "parent", "region": "parent"}[f]
		if col == "" {
			col = f
		}
		fail(r, col, key)
	}
	return true
}

func (s *Store) remember(tx *Tx, kind, key string, id int64, keys map[string]map[string]int64) error {
	keys[kind][key] = id
	_, err := tx.Exec("INSERT INTO import_keys (kind, key, record_id) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET record_id = excluded.record_id", kind, key, id)
	return err
}

func (s *Store) importRegionTx(tx *Tx, r peercircle.OrgRecord, keys map[string]map[string]int64, res *peercircle.ImportResult, fail failFunc) error {
	reg := &peercircle.Region{Name: strings.TrimSpace(r.Name), TimeZone: r.TimeZone}
	if err := reg.Validate(); err != nil {
		if fieldFail(r, err, fail) {
			return nil
		}
		return err
	}
	if id, ok := keys[peercircle.ImportRegion][r.Key]; ok {
		var name, zone string
		if err := tx.QueryRow("SELECT name, time_zone FROM regions WHERE id = ?", id).Scan(&name, &zone); err == nil {
			if name == reg.Name && zone == reg.TimeZone {
				res.Unchanged[r.Type]++
				return nil
			}
			res.Updated[r.Type]++
			_, err := tx.Exec("UPDATE regions SET name = ?, time_zone = ? WHERE id = ?", reg.Name, reg.TimeZone, id)
			return err
		} else if !errors.Is(err, errNoRows) {
			return err
		}
	}
	id, err := tx.Insert("INSERT INTO regions (name, time_zone) VALUES (?, ?)", reg.Name, reg.TimeZone)
	if err != nil {
		return err
	}
	res.Created[r.Type]++
	return s.remember(tx, r.Type, r.Key, id, keys)
}

func (s *Store) importAreaTx(tx *Tx, r peercircle.OrgRecord, keys map[string]map[string]int64, res *peercircle.ImportResult, fail failFunc) error {
	regionID, ok := keys[peercircle.ImportRegion][r.Parent]
	if !ok {
		fail(r, "parent", "import.error.parent", r.Parent)
		return nil
	}
	a := &peercircle.Area{Name: strings.TrimSpace(r.Name), RegionID: regionID}
	if err := a.Validate(); err != nil {
		if fieldFail(r, err, fail) {
			return nil
		}
		return err
	}
	if id, ok := keys[peercircle.ImportArea][r.Key]; ok {
		var name string
		var region int64
		if err := tx.QueryRow("SELECT name, region_id FROM areas WHERE id = ?", id).Scan(&name, &region); err == nil {
			if name == a.Name && region == a.RegionID {
				res.Unchanged[r.Type]++
				return nil
			}
			res.Updated[r.Type]++
			_, err := tx.Exec("UPDATE areas SET name = ?, region_id = ? WHERE id = ?", a.Name, a.RegionID, id)
			return err
		} else if !errors.Is(err, errNoRows) {
			return err
		}
	}
	id, err := tx.Insert("INSERT INTO areas (region_id, name) VALUES (?, ?)", a.RegionID, a.Name)
	if err != nil {
		return err
	}
	res.Created[r.Type]++
	return s.remember(tx, r.Type, r.Key, id, keys)
}

// areaZoneTx is the zone of an area's region, for a site that gives none.
func (s *Store) areaZoneTx(tx *Tx, areaID int64) string {
	var zone string
	tx.QueryRow("SELECT r.time_zone FROM areas a JOIN regions r ON r.id = a.region_id WHERE a.id = ?", areaID).Scan(&zone)
	return zone
}

func (s *Store) importSiteTx(tx *Tx, r peercircle.OrgRecord, keys map[string]map[string]int64, res *peercircle.ImportResult, fail failFunc) error {
	areaID, ok := keys[peercircle.ImportArea][r.Parent]
	if !ok {
		fail(r, "parent", "import.error.parent", r.Parent)
		return nil
	}
	kind := r.SiteKind
	if kind == "" {
		kind = peercircle.SiteHealthCentre
	}
	st := &peercircle.Site{Name: strings.TrimSpace(r.Name), AreaID: areaID, Kind: kind, TimeZone: r.TimeZone}
	if err := st.Validate(); err != nil {
		if fieldFail(r, err, fail) {
			return nil
		}
		return err
	}
	if id, ok := keys[peercircle.ImportSite][r.Key]; ok {
		var name, k, zone string
		var area int64
		if err := tx.QueryRow("SELECT name, area_id, kind, time_zone FROM sites WHERE id = ?", id).Scan(&name, &area, &k, &zone); err == nil {
			if name == st.Name && area == st.AreaID && k == st.Kind && zone == st.TimeZone {
				res.Unchanged[r.Type]++
				return nil
			}
			res.Updated[r.Type]++
			_, err := tx.Exec("UPDATE sites SET name = ?, area_id = ?, kind = ?, time_zone = ? WHERE id = ?", st.Name, st.AreaID, st.Kind, st.TimeZone, id)
			return err
		} else if !errors.Is(err, errNoRows) {
			return err
		}
	}
	id, err := tx.Insert("INSERT INTO sites (area_id, name, kind, time_zone) VALUES (?, ?, ?, ?)", st.AreaID, st.Name, st.Kind, st.TimeZone)
	if err != nil {
		return err
	}
	res.Created[r.Type]++
	return s.remember(tx, r.Type, r.Key, id, keys)
}
