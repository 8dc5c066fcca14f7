package sqlstore

import (
	"context"

	"github.com/peercircle/peercircle"
)

// SaveTemplate creates or replaces a site's agenda template.
func (s *Store) SaveTemplate(ctx context.Context, t *peercircle.AgendaTemplate) error {
	if t.SiteID == 0 {
		return peercircle.Errorf(peercircle.EFORBIDDEN, "agendas.error.built_in", "built-in templates cannot be changed")
	}
	t.NameKey = ""
	if err := t.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		if t.ID == 0 {
			if err := exists(tx, "sites", t.SiteID, "site"); err != nil {
				return err
			}
			if t.ID, err = tx.Insert("INSERT INTO agenda_templates (site_id, name, name_key) VALUES (?, ?, '')", t.SiteID, t.Name); err != nil {
				return err
			}
		} else {
			res, err := tx.Exec("UPDATE agenda_templates SET name = ? WHERE id = ? AND site_id = ?", t.Name, t.ID, t.SiteID)
			if err := affectOne(res, err)("agenda template"); err != nil {
				return err
			}
			if _, err := tx.Exec("DELETE FROM agenda_segments WHERE template_id = ?", t.ID); err != nil {
				return err
			}
		}
		for i, seg := range t.Segments {
			if _, err := tx.Exec("INSERT INTO agenda_segments (template_id, position, kind, name, name_key, minutes) VALUES (?, ?, ?, ?, ?, ?)",
				t.ID, i+1, seg.Kind, seg.Name, seg.NameKey, seg.Minutes); err != nil {
				return err
			}
		}
		return nil
	})
}

// Template returns one template with its segments.
func (s *Store) Template(ctx context.Context, id int64) (*peercircle.AgendaTemplate, error) {
	ts, err := s.templates(ctx, "t.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, notFound(errNoRows, "agenda template")
	}
	return ts[0], nil
}

// Templates lists the built-in templates and the site's own.
func (s *Store) Templates(ctx context.Context, siteID int64) ([]*peercircle.AgendaTemplate, error) {
	return s.templates(ctx, "(t.site_id IS NULL OR t.site_id = ?)", siteID)
}

func (s *Store) templates(ctx context.Context, where string, args ...any) ([]*peercircle.AgendaTemplate, error) {
	var out []*peercircle.AgendaTemplate
	err := s.DB.Read(ctx, func(tx *Tx) error {
		rows, err := tx.Query(`SELECT t.id, t.site_id, t.name, t.name_key, g.kind, g.name, g.name_key, g.minutes
			FROM agenda_templates t LEFT JOIN agenda_segments g ON g.template_id = t.id
			WHERE `+where+` ORDER BY CASE WHEN t.site_id IS NULL THEN 0 ELSE 1 END, t.id, g.position`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		byID := map[int64]*peercircle.AgendaTemplate{}
		for rows.Next() {
			var t peercircle.AgendaTemplate
			var seg peercircle.AgendaSegment
			var kind string
			var minutes *int64
			if err := rows.Scan(&t.ID, &t.SiteID, &t.Name, &t.NameKey, &kind, &seg.Name, &seg.NameKey, &minutes); err != nil {
				return err
			}
			cur, ok := byID[t.ID]
			if !ok {
				cur = &t
				byID[t.ID] = cur
				out = append(out, cur)
			}
			if kind != "" {
				seg.Kind = kind
				if minutes != nil {
					seg.Minutes = int(*minutes)
				}
				cur.Segments = append(cur.Segments, seg)
			}
		}
		return rows.Err()
	})
	return out, err
}
