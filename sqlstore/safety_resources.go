package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/peercircle/peercircle"
)

const resourceCols = `id, site_id, group_id, name, kind, phone, address, link, hours, when_to_use, languages, updated_by, created_at, updated_at`

func scanResource(sc interface{ Scan(...any) error }) (*peercircle.SupportResource, error) {
	var r peercircle.SupportResource
	err := sc.Scan(&r.ID, &r.SiteID, &r.GroupID, &r.Name, &r.Kind, &r.Phone, &r.Address, &r.Link, &r.Hours,
		&r.WhenToUse, &r.Languages, &r.UpdatedBy, &r.CreatedAt, &r.UpdatedAt)
	return &r, err
}

// kindOrder sorts resources in the order of SupportKinds (GP first, other
// last) in SQL, so both backends agree.
func kindOrder() string {
	var b strings.Builder
	b.WriteString("CASE kind")
	for i, k := range peercircle.SupportKinds {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", k, i)
	}
	b.WriteString(" ELSE 99 END")
	return b.String()
}

var resourceOrder = " ORDER BY " + kindOrder() + ", name, id"

// SupportResources lists the resources of the sites' files and of the
// groups' files, by kind then name.
func (s *Store) SupportResources(ctx context.Context, siteIDs, groupIDs []int64) ([]*peercircle.SupportResource, error) {
	var conds []string
	var args []any
	if len(siteIDs) > 0 {
		conds = append(conds, "(group_id IS NULL AND site_id IN ("+placeholders(len(siteIDs))+"))")
		for _, id := range siteIDs {
			args = append(args, id)
		}
	}
	if len(groupIDs) > 0 {
		conds = append(conds, "group_id IN ("+placeholders(len(groupIDs))+")")
		for _, id := range groupIDs {
			args = append(args, id)
		}
	}
	if len(conds) == 0 {
		return nil, nil
	}
	rows, err := s.DB.Query(ctx, "SELECT "+resourceCols+" FROM support_resources WHERE "+strings.Join(conds, " OR ")+resourceOrder, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.SupportResource
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SupportResource returns one resource.
func (s *Store) SupportResource(ctx context.Context, id int64) (*peercircle.SupportResource, error) {
	r, err := scanResource(s.DB.QueryRow(ctx, "SELECT "+resourceCols+" FROM support_resources WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "support resource")
	}
	return r, nil
}

// SaveSupportResource creates or updates a resource of a site's or a
// group's file; a resource never moves to another file.
func (s *Store) SaveSupportResource(ctx context.Context, r *peercircle.SupportResource, by int64) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if r.GroupID != 0 {
			var site int64
			if err := tx.QueryRow("SELECT site_id FROM groups WHERE id = ?", r.GroupID).Scan(&site); err != nil {
				return notFound(err, "group")
			}
			if site != r.SiteID {
				return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "group %d is not at site %d", r.GroupID, r.SiteID)
			}
		} else {
			var n int
			if err := tx.QueryRow("SELECT COUNT(*) FROM sites WHERE id = ?", r.SiteID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "site %d not found", r.SiteID)
			}
		}
		now := s.Now()
		r.UpdatedAt, r.UpdatedBy = now, by
		action := "support_resource.updated"
		if r.ID == 0 {
			r.CreatedAt = now
			id, err := tx.Insert(`INSERT INTO support_resources (site_id, group_id, name, kind, phone, address, link, hours, when_to_use,
				languages, updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.SiteID, nullID(r.GroupID), r.Name, r.Kind, r.Phone, r.Address, r.Link, r.Hours, r.WhenToUse, r.Languages, nullID(by), now, now)
			if err != nil {
				return err
			}
			r.ID, action = id, "support_resource.added"
		} else {
			// The file a resource belongs to is part of the match: an edit
			// naming another site's or group's resource changes nothing.
			res, err := tx.Exec(`UPDATE support_resources SET name = ?, kind = ?, phone = ?, address = ?, link = ?, hours = ?, when_to_use = ?,
				languages = ?, updated_by = ?, updated_at = ? WHERE id = ? AND site_id = ? AND COALESCE(group_id, 0) = ?`,
				r.Name, r.Kind, r.Phone, r.Address, r.Link, r.Hours, r.WhenToUse, r.Languages, nullID(by), now, r.ID, r.SiteID, r.GroupID)
			if n, err := rowsAffected(res, err); err != nil {
				return err
			} else if n == 0 {
				return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "support resource %d not in this file", r.ID)
			}
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: action, TargetKind: "support_resource", TargetID: r.ID, Detail: "kind=" + r.Kind})
	})
}

// DeleteSupportResource removes a resource from its file.
func (s *Store) DeleteSupportResource(ctx context.Context, id, by int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec("DELETE FROM support_resources WHERE id = ?", id)
		if n, err := rowsAffected(res, err); err != nil {
			return err
		} else if n == 0 {
			return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "support resource %d not found", id)
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: "support_resource.deleted", TargetKind: "support_resource", TargetID: id})
	})
}

// ListedGroups lists the groups shown to the public: listed and not ended.
func (s *Store) ListedGroups(ctx context.Context) ([]*peercircle.Group, error) {
	return s.groups(ctx, "SELECT "+groupCols+" FROM groups WHERE listed = ? AND status <> ? ORDER BY name, id", true, peercircle.GroupEnded)
}
