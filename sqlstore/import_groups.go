package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/schedule"
)

// groupColumn names the file's column for a group or schedule field.
var groupColumn = map[string]string{"name": "name", "purpose": "purpose", "kind": "kind", "membership": "membership", "lang": "lang",
	"site": "site", "start_date": "first_date", "start_time": "time", "rule": "schedule", "minutes": "minutes", "duration": "minutes",
	"time_zone": "site", "exceptions": "schedule", "extras": "schedule"}

// ImportGroups imports a groups file (see peercircle.ImportService).
func (s *Store) ImportGroups(ctx context.Context, recs []peercircle.GroupRecord, opt peercircle.ImportOptions) (*peercircle.ImportResult, error) {
	res := peercircle.NewImportResult()
	res.Rows = len(recs)
	const kind = peercircle.ImportGroup
	var planned []int64 // groups whose schedule was written, to plan after
	now := s.Now()
	err := s.DB.Write(ctx, func(tx *Tx) error {
		planned = nil
		keys := map[string]map[string]int64{}
		for _, k := range []string{peercircle.ImportSite, peercircle.ImportPerson, kind} {
			m, err := importKeysTx(tx, k)
			if err != nil {
				return err
			}
			keys[k] = m
		}
		seen := map[string]int{}
		fail := func(r peercircle.GroupRecord, col, key string, args ...any) {
			res.Errors = append(res.Errors, peercircle.RowError{Row: r.Row, Column: col, Key: key, Args: args})
		}
		fields := func(r peercircle.GroupRecord, err error) bool {
			f := peercircle.ErrorFields(err)
			for field, key := range f {
				col := groupColumn[field]
				if col == "" {
					col = field
				}
				fail(r, col, key)
			}
			return len(f) > 0
		}
		for i, r := range recs {
			opt.Report(i, len(recs))
			if key, args := checkKey(seen, r.Key, r.Row); key != "" {
				fail(r, "key", key, args...)
				continue
			}
			site, ok := keys[peercircle.ImportSite][r.Site]
			if !ok {
				fail(r, "site", "import.error.site", r.Site)
				continue
			}
			var facilitators []int64
			for _, k := range r.Facilitators {
				id, ok := keys[peercircle.ImportPerson][k]
				if !ok {
					fail(r, "facilitators", "import.error.person", k)
					break
				}
				facilitators = append(facilitators, id)
			}
			if len(facilitators) != len(r.Facilitators) {
				continue
			}
			lang := r.Lang
			if lang == "" {
				lang = opt.Lang
			}
			g := &peercircle.Group{SiteID: site, Name: r.Name, Purpose: r.Purpose, Kind: r.Kind, Membership: r.Membership, Lang: lang,
				Structure: peercircle.StructureFormal, Status: peercircle.GroupActive, CreatedAt: now}
			if err := g.Validate(); err != nil {
				if fields(r, err) {
					continue
				}
				return err
			}
			var sched *peercircle.GroupSchedule
			if r.Preset != "" {
				var zone string
				if err := tx.QueryRow("SELECT time_zone FROM sites WHERE id = ?", site).Scan(&zone); err != nil {
					return err
				}
				sched = &peercircle.GroupSchedule{Preset: r.Preset, Rule: r.Rule, StartDate: r.FirstDate, StartTime: r.Time, Minutes: r.Minutes,
					TimeZone: zone, UpdatedAt: now}
				if sched.StartDate == "" {
					loc, _ := peercircle.LoadZone(zone)
					sched.StartDate = schedule.DateOf(now.In(loc)).String()
				}
				if _, err := sched.Compile(); err != nil {
					if fields(r, err) {
						continue
					}
					return err
				}
			}
			changed := false
			id, known := keys[kind][r.Key]
			if known {
				old, err := scanGroup(tx.QueryRow("SELECT "+groupCols+" FROM groups WHERE id = ?", id))
				if errors.Is(err, errNoRows) {
					known = false
				} else if err != nil {
					return err
				} else if old.SiteID != g.SiteID || old.Name != g.Name || old.Purpose != g.Purpose || old.Kind != g.Kind ||
					old.Membership != g.Membership || old.Lang != g.Lang {
					changed = true
					if _, err := tx.Exec("UPDATE groups SET site_id = ?, name = ?, purpose = ?, kind = ?, membership = ?, lang = ? WHERE id = ?",
						g.SiteID, g.Name, g.Purpose, g.Kind, g.Membership, g.Lang, id); err != nil {
						return err
					}
				}
			}
			if !known {
				if err := s.createGroupTx(tx, g); err != nil {
					return err
				}
				id = g.ID
				if err := s.remember(tx, kind, r.Key, id, keys); err != nil {
					return err
				}
			}
			if sched != nil {
				sched.GroupID = id
				wrote, err := importScheduleTx(tx, sched)
				if err != nil {
					return err
				}
				if wrote {
					changed = true
					planned = append(planned, id)
				}
			}
			for _, p := range facilitators {
				wrote, err := importMembershipTx(tx, id, p, peercircle.RoleFacilitator, now)
				if err != nil {
					return err
				}
				changed = changed || wrote
			}
			switch {
			case !known:
				res.Created[kind]++
			case changed:
				res.Updated[kind]++
			default:
				res.Unchanged[kind]++
			}
		}
		opt.Report(len(recs), len(recs))
		return importOutcome(res, opt)
	})
	if err = importError(err); err != nil || !res.Written {
		return res, err
	}
	// Meetings are planned from the new schedules once the file is in;
	// the planning job would do it too, within the hour.
	horizon := s.horizon(ctx)
	for _, id := range planned {
		if _, err := s.Materialise(ctx, id, horizon); err != nil {
			return res, err
		}
	}
	return res, nil
}

// importScheduleTx writes a group's schedule unless it is the one already
// kept; it reports whether it wrote.
func importScheduleTx(tx *Tx, g *peercircle.GroupSchedule) (bool, error) {
	var rule, start, at string
	var minutes int
	err := tx.QueryRow("SELECT rule, start_date, start_time, minutes FROM schedules WHERE group_id = ?", g.GroupID).Scan(&rule, &start, &at, &minutes)
	if err == nil && rule == g.Rule && start == g.StartDate && at == g.StartTime && minutes == g.Minutes {
		return false, nil
	}
	if err != nil && !errors.Is(err, errNoRows) {
		return false, err
	}
	_, err = tx.Exec(`INSERT INTO schedules (group_id, preset, rule, start_date, start_time, minutes, time_zone, exceptions, extras, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, '', '', ?, NULL)
		ON CONFLICT (group_id) DO UPDATE SET preset = excluded.preset, rule = excluded.rule, start_date = excluded.start_date,
		start_time = excluded.start_time, minutes = excluded.minutes, time_zone = excluded.time_zone, updated_at = excluded.updated_at`,
		g.GroupID, g.Preset, g.Rule, g.StartDate, g.StartTime, g.Minutes, g.TimeZone, g.UpdatedAt)
	return err == nil, err
}

// importMembershipTx puts a person in a group with a role: a new active
// membership, or a current one's role changed. A membership that ended
// (left, declined) is not brought back by a file. It reports whether it
// wrote.
func importMembershipTx(tx *Tx, groupID, personID int64, role string, now time.Time) (bool, error) {
	var oldRole, status string
	err := tx.QueryRow("SELECT role, status FROM memberships WHERE group_id = ? AND person_id = ?", groupID, personID).Scan(&oldRole, &status)
	switch {
	case errors.Is(err, errNoRows):
		m := &peercircle.Membership{GroupID: groupID, PersonID: personID, Role: role, Status: peercircle.MemberActive, JoinedAt: &now}
		return true, saveMembershipTx(tx, m)
	case err != nil:
		return false, err
	case oldRole == role || slices.Contains([]string{peercircle.MemberLeft, peercircle.MemberDeclined}, status):
		return false, nil
	}
	_, err = tx.Exec("UPDATE memberships SET role = ? WHERE group_id = ? AND person_id = ?", role, groupID, personID)
	return err == nil, err
}

// ImportMemberships imports a memberships file (see
// peercircle.ImportService).
func (s *Store) ImportMemberships(ctx context.Context, recs []peercircle.MembershipRecord, opt peercircle.ImportOptions) (*peercircle.ImportResult, error) {
	res := peercircle.NewImportResult()
	res.Rows = len(recs)
	const kind = peercircle.ImportMembership
	now := s.Now()
	err := s.DB.Write(ctx, func(tx *Tx) error {
		groups, err := importKeysTx(tx, peercircle.ImportGroup)
		if err != nil {
			return err
		}
		people, err := importKeysTx(tx, peercircle.ImportPerson)
		if err != nil {
			return err
		}
		seen := map[[2]string]int{}
		fail := func(r peercircle.MembershipRecord, col, key string, args ...any) {
			res.Errors = append(res.Errors, peercircle.RowError{Row: r.Row, Column: col, Key: key, Args: args})
		}
		for i, r := range recs {
			opt.Report(i, len(recs))
			g, ok := groups[r.Group]
			if !ok {
				fail(r, "group", "import.error.group", r.Group)
				continue
			}
			p, ok := people[r.Person]
			if !ok {
				fail(r, "person", "import.error.person", r.Person)
				continue
			}
			if row, dup := seen[[2]string{r.Group, r.Person}]; dup {
				fail(r, "person", "import.error.duplicate_key", row)
				continue
			}
			seen[[2]string{r.Group, r.Person}] = r.Row
			var before int
			if err := tx.QueryRow("SELECT COUNT(*) FROM memberships WHERE group_id = ? AND person_id = ?", g, p).Scan(&before); err != nil {
				return err
			}
			wrote, err := importMembershipTx(tx, g, p, r.Role, now)
			if err != nil {
				return err
			}
			switch {
			case before == 0:
				res.Created[kind]++
			case wrote:
				res.Updated[kind]++
			default:
				res.Unchanged[kind]++
			}
		}
		opt.Report(len(recs), len(recs))
		return importOutcome(res, opt)
	})
	return res, importError(err)
}

// ImportedPeople lists the people imports made under the given keys.
func (s *Store) ImportedPeople(ctx context.Context, keys []string) ([]*peercircle.Person, error) {
	var out []*peercircle.Person
	for chunk := range slices.Chunk(keys, 500) {
		args := make([]any, 0, len(chunk)+1)
		args = append(args, peercircle.ImportPerson)
		for _, k := range chunk {
			args = append(args, k)
		}
		rows, err := s.DB.Query(ctx, "SELECT record_id FROM import_keys WHERE kind = ? AND key IN ("+placeholders(len(chunk))+") ORDER BY record_id", args...)
		if err != nil {
			return nil, err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, id := range ids {
			p, err := s.Person(ctx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// uploadContext binds a sealed upload to its row and owner.
func uploadContext(id, personID int64) string {
	return fmt.Sprintf("import_upload:%d:%d", id, personID)
}

// SaveUpload keeps an uploaded file sealed (see peercircle.ImportService),
// and deletes those older than peercircle.UploadKept.
func (s *Store) SaveUpload(ctx context.Context, u *peercircle.ImportUpload) error {
	u.CreatedAt = s.Now()
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		if _, err := tx.Exec("DELETE FROM import_uploads WHERE created_at < ?", u.CreatedAt.Add(-peercircle.UploadKept)); err != nil {
			return err
		}
		u.ID, err = tx.Insert("INSERT INTO import_uploads (person_id, kind, name, data, created_at) VALUES (?, ?, ?, ?, ?)",
			u.PersonID, u.Kind, u.Name, []byte{}, u.CreatedAt)
		if err != nil {
			return err
		}
		_, err = tx.Exec("UPDATE import_uploads SET data = ? WHERE id = ?", s.Keys.Seal(u.Data, uploadContext(u.ID, u.PersonID)), u.ID)
		return err
	})
}

// Upload returns a kept file to the person who uploaded it.
func (s *Store) Upload(ctx context.Context, id, personID int64) (*peercircle.ImportUpload, error) {
	u := &peercircle.ImportUpload{ID: id, PersonID: personID}
	var sealed []byte
	err := s.DB.QueryRow(ctx, "SELECT kind, name, data, created_at FROM import_uploads WHERE id = ? AND person_id = ? AND created_at >= ?",
		id, personID, s.Now().Add(-peercircle.UploadKept)).Scan(&u.Kind, &u.Name, &sealed, &u.CreatedAt)
	if err != nil {
		return nil, notFound(err, "upload")
	}
	if u.Data, err = s.Keys.Open(sealed, uploadContext(id, personID)); err != nil {
		return nil, err
	}
	return u, nil
}
