package sqlstore

import (
	"context"
	"strconv"

	"github.com/peercircle/peercircle"
)

// AddMember brings a person into a group from the organiser's side, in one
// transaction: the new person (if any), the membership in orientation, an
// invitation link when the person can sign in, the person's notice and the
// audit event. See peercircle.GroupService.
func (s *Store) AddMember(ctx context.Context, groupID, personID int64, newPerson *peercircle.Person, by int64) (*peercircle.Membership, string, error) {
	g, err := s.Group(ctx, groupID)
	if err != nil {
		return nil, "", err
	}
	if g.Status == peercircle.GroupEnded {
		return nil, "", peercircle.Errorf(peercircle.EINVALID, "group.closed_to_joining", "group %d has ended", groupID)
	}
	if newPerson != nil {
		newPerson.HomeSiteID = g.SiteID
		newPerson.Status = peercircle.PersonNoLogin
		if newPerson.Username != "" || newPerson.Email != "" {
			newPerson.Status = peercircle.PersonInvited
		}
		if err := newPerson.Validate(); err != nil {
			return nil, "", err
		}
	}
	now := s.Now()
	var token string
	m := &peercircle.Membership{GroupID: groupID, Role: peercircle.RoleMember, Status: peercircle.MemberOrientation, RequestedAt: &now}
	err = s.DB.Write(ctx, func(tx *Tx) error {
		if newPerson != nil {
			newPerson.CreatedAt = now
			id, err := tx.Insert(`INSERT INTO people (username, email, full_name, display_name, lang, home_site_id, status, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				nullText(newPerson.Username), nullText(newPerson.Email), newPerson.FullName, newPerson.DisplayName, newPerson.Lang,
				nullID(newPerson.HomeSiteID), newPerson.Status, now)
			if err != nil {
				return loginConflict(err)
			}
			newPerson.ID, personID = id, id
		} else {
			var site *int64
			var status string
			if err := tx.QueryRow("SELECT home_site_id, status FROM people WHERE id = ?", personID).Scan(&site, &status); err != nil {
				return notFound(err, "person")
			}
			if site == nil || *site != g.SiteID || status == peercircle.PersonDisabled {
				return peercircle.FieldErrors{"person": "members.other_site"}.Err()
			}
			ms, err := membershipsTx(tx, "m.group_id = ? AND m.person_id = ?", groupID, personID)
			if err != nil {
				return err
			}
			if len(ms) > 0 && (ms[0].Current() || ms[0].Pending()) {
				return &peercircle.Error{Code: peercircle.ECONFLICT, Key: "group.already_member", Fields: map[string]string{"person": "group.already_member"},
					Message: "already in the group"}
			}
		}
		m.PersonID = personID
		if err := saveMembershipTx(tx, m); err != nil {
			return err
		}
		var status string
		if err := tx.QueryRow("SELECT status FROM people WHERE id = ?", personID).Scan(&status); err != nil {
			return err
		}
		if status == peercircle.PersonInvited {
			token = NewToken()
			if _, err := tx.Exec("UPDATE auth_tokens SET used_at = ? WHERE person_id = ? AND purpose = 'invite' AND used_at IS NULL", now, personID); err != nil {
				return err
			}
			if _, err := tx.Exec("INSERT INTO auth_tokens (token_hash, purpose, person_id, created_by, created_at, expires_at) VALUES (?, 'invite', ?, ?, ?, ?)",
				HashToken(token), personID, nullID(by), now, now.Add(peercircle.InvitationValid)); err != nil {
				return err
			}
		}
		if status == peercircle.PersonActive || status == peercircle.PersonInvited {
			if err := s.notifyTx(tx, &peercircle.Notification{PersonID: personID, Kind: "added_to_group", Params: []string{g.Name},
				Link: "/groups/" + strconv.FormatInt(groupID, 10) + "/orientation"}); err != nil {
				return err
			}
		}
		return s.auditGroupTx(tx, by, "membership.add", "person", personID, "group="+strconv.FormatInt(groupID, 10))
	})
	if err != nil {
		return nil, "", err
	}
	return m, token, nil
}
