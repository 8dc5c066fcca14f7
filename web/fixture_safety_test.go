package web_test

import (
	"context"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// The safety fixture: in each half, a resource in the site's file and one
// in the group's file, a support request to the group's facilitators and
// an anonymous complaint routed to the site's organisers. Nobody runs the
// "out" half, so its request and the routing of its complaint are written
// as they would be if someone did.
var _ = func() bool {
	fixtureSteps = append(fixtureSteps, func(ctx context.Context, s *sqlstore.Store, f *fixture) error {
		for _, half := range []struct {
			ids    map[string]int64
			person int64
		}{{f.In, f.People["member"].ID}, {f.Out, f.Out["person"]}} {
			site := &peercircle.SupportResource{SiteID: half.ids["site"], Name: "Crisis line", Kind: "crisis", Phone: "911", WhenToUse: "If you are in danger now."}
			if err := s.SaveSupportResource(ctx, site, 0); err != nil {
				return err
			}
			group := &peercircle.SupportResource{SiteID: half.ids["site"], GroupID: half.ids["group"], Name: "Legal aid clinic", Kind: "legal", Address: "Main street"}
			if err := s.SaveSupportResource(ctx, group, 0); err != nil {
				return err
			}
			half.ids["resource"], half.ids["group_resource"] = site.ID, group.ID

			c := &peercircle.Complaint{About: peercircle.ComplaintAboutGroup, GroupID: half.ids["group"], Text: "Names were used outside the group."}
			if _, err := s.FileComplaint(ctx, c, "fixture"); err != nil {
				return err
			}
			half.ids["complaint"] = c.ID
			err := s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
				if _, err := tx.Exec("UPDATE complaints SET route_kind = ?, route_id = ? WHERE id = ?", peercircle.RouteSite, half.ids["site"], c.ID); err != nil {
					return err
				}
				if half.ids["group"] == f.In["group"] {
					return nil
				}
				id, err := tx.Insert(`INSERT INTO support_requests (person_id, site_id, group_id, recipient, contact_channel, state, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, half.person, half.ids["site"], half.ids["group"], peercircle.RequestToFacilitators,
					peercircle.ContactInPerson, peercircle.RequestOpen, s.Now(), s.Now())
				half.ids["request"] = id
				return err
			})
			if err != nil {
				return err
			}
		}
		r := &peercircle.SupportRequest{PersonID: f.People["member"].ID, GroupID: f.In["group"], To: peercircle.RequestToFacilitators,
			Message: "I would like to talk after the meeting.", Contact: peercircle.Contact{Channel: peercircle.ContactInPerson}}
		if err := s.CreateSupportRequest(ctx, r); err != nil {
			return err
		}
		f.In["request"] = r.ID
		return nil
	})
	return true
}()
