package sqlstore

import (
	"context"
	"database/sql"

	"github.com/peercircle/peercircle"
)

var errNoRows = sql.ErrNoRows

const venueCols = `id, site_id, name, virtual, address, meeting_link, capacity, accessible, quiet_private, toilets, cost, refreshments, notes, latitude, longitude`

func scanVenue(sc interface{ Scan(...any) error }) (*peercircle.Venue, error) {
	var v peercircle.Venue
	err := sc.Scan(&v.ID, &v.SiteID, &v.Name, &v.Virtual, &v.Address, &v.MeetingLink, &v.Capacity, &v.Accessible, &v.QuietPrivate, &v.Toilets, &v.Cost, &v.Refreshments, &v.Notes, &v.Latitude, &v.Longitude)
	return &v, err
}

// SaveVenue creates or updates a venue at a site.
func (s *Store) SaveVenue(ctx context.Context, v *peercircle.Venue) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		if v.ID == 0 {
			if err := exists(tx, "sites", v.SiteID, "site"); err != nil {
				return err
			}
			v.ID, err = tx.Insert(`INSERT INTO venues (site_id, name, virtual, address, meeting_link, capacity, accessible, quiet_private, toilets, cost, refreshments, notes, latitude, longitude)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.SiteID, v.Name, v.Virtual, v.Address, v.MeetingLink, v.Capacity, v.Accessible, v.QuietPrivate, v.Toilets, v.Cost, v.Refreshments, v.Notes, v.Latitude, v.Longitude)
			return err
		}
		res, err := tx.Exec(`UPDATE venues SET name = ?, virtual = ?, address = ?, meeting_link = ?, capacity = ?, accessible = ?, quiet_private = ?,
			toilets = ?, cost = ?, refreshments = ?, notes = ?, latitude = ?, longitude = ? WHERE id = ? AND site_id = ?`,
			v.Name, v.Virtual, v.Address, v.MeetingLink, v.Capacity, v.Accessible, v.QuietPrivate, v.Toilets, v.Cost, v.Refreshments, v.Notes, v.Latitude, v.Longitude, v.ID, v.SiteID)
		return affectOne(res, err)("venue")
	})
}

// Venue returns one venue.
func (s *Store) Venue(ctx context.Context, id int64) (*peercircle.Venue, error) {
	v, err := scanVenue(s.DB.QueryRow(ctx, "SELECT "+venueCols+" FROM venues WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "venue")
	}
	return v, nil
}

// VenuesAtSite lists a site's venues by name.
func (s *Store) VenuesAtSite(ctx context.Context, siteID int64) ([]*peercircle.Venue, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+venueCols+" FROM venues WHERE site_id = ? ORDER BY name, id", siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.Venue
	for rows.Next() {
		v, err := scanVenue(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
