package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

// PublicJoin stores a join request from the public in one transaction: a
// person without an account (called by the name they gave, or by a short
// number), a waiting membership with the contact they chose (sealed), the
// next meeting for an open group, their note (sealed), and a notice to the
// group's facilitators and the site's organisers (the group's name only).
func (s *Store) PublicJoin(ctx context.Context, j *peercircle.JoinRequest, addr string) error {
	if err := j.Validate(); err != nil {
		return err
	}
	now := s.Now()
	j.CreatedAt = now
	return s.DB.Write(ctx, func(tx *Tx) (err error) {
		g, err := scanGroup(tx.QueryRow("SELECT "+groupCols+" FROM groups WHERE id = ? AND "+listedWhere, append([]any{j.GroupID}, listedArgs()...)...))
		if err != nil {
			return notFound(err, "group")
		}
		if err := s.publicThrottleTx(tx, addr, now); err != nil {
			return err
		}
		name := j.Name
		if name == "" {
			var b [4]byte
			rand.Read(b[:])
			name = "#" + strconv.FormatUint(uint64(binary.BigEndian.Uint32(b[:])%9000+1000), 10)
		}
		p := &peercircle.Person{FullName: name, Lang: g.Lang, Status: peercircle.PersonNoLogin, CreatedAt: now}
		if err := p.Validate(); err != nil {
			return err
		}
		if p.ID, err = tx.Insert(`INSERT INTO people (username, email, full_name, display_name, lang, home_site_id, status, created_at)
			VALUES (NULL, NULL, ?, '', ?, NULL, ?, ?)`, p.FullName, p.Lang, p.Status, now); err != nil {
			return err
		}
		m := &peercircle.Membership{GroupID: g.ID, PersonID: p.ID, Role: peercircle.RoleMember, Status: peercircle.MemberRequested,
			RequestedAt: &now, DisplayName: j.Name, Contact: peercircle.Contact{Channel: j.Contact.Channel}}
		if err := saveMembershipTx(tx, m); err != nil {
			return err
		}
		j.MembershipID = m.ID
		if j.Contact.Address != "" {
			if _, err := tx.Exec("UPDATE memberships SET contact_sealed = ? WHERE id = ?", s.Keys.SealString(j.Contact.Address, contactContext(m.ID)), m.ID); err != nil {
				return err
			}
		}
		kind := "join_request"
		if g.Membership == peercircle.MembershipOpen {
			kind = "public_rsvp"
			var id int64
			var start time.Time
			err := tx.QueryRow("SELECT id, planned_start FROM sessions WHERE group_id = ? AND status = ? AND planned_start >= ? ORDER BY planned_start, id LIMIT 1",
				g.ID, peercircle.SessionPlanned, now).Scan(&id, &start)
			if err == nil {
				j.SessionID, j.SessionStart = id, &start
			} else if err != errNoRows {
				return err
			}
		}
		var note []byte
		if j.Note != "" {
			note = s.Keys.SealString(j.Note, publicRequestContext(m.ID))
		}
		if _, err := tx.Exec("INSERT INTO public_requests (membership_id, group_id, session_id, note, created_at) VALUES (?, ?, ?, ?, ?)",
			m.ID, g.ID, nullID(j.SessionID), note, now); err != nil {
			return err
		}
		return s.notifyManagersTx(tx, g, kind, "/groups/"+strconv.FormatInt(g.ID, 10)+"/members")
	})
}

func publicRequestContext(membershipID int64) string {
	return "public_request:" + strconv.FormatInt(membershipID, 10) + ":note"
}

// PublicRequests returns a group's waiting requests that came from the
// public, by membership id, with the contact and note opened.
func (s *Store) PublicRequests(ctx context.Context, groupID int64) (map[int64]*peercircle.JoinRequest, error) {
	rows, err := s.DB.Query(ctx, `SELECT r.membership_id, r.session_id, r.note, r.created_at, m.display_name, m.contact_channel, m.contact_sealed, se.planned_start
		FROM public_requests r JOIN memberships m ON m.id = r.membership_id LEFT JOIN sessions se ON se.id = r.session_id
		WHERE r.group_id = ? AND m.status IN (?, ?) ORDER BY r.created_at`, groupID, peercircle.MemberRequested, peercircle.MemberOrientation)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*peercircle.JoinRequest{}
	for rows.Next() {
		j := &peercircle.JoinRequest{GroupID: groupID}
		var session *int64
		var note, contact []byte
		var channel *string
		if err := rows.Scan(&j.MembershipID, &session, &note, &j.CreatedAt, &j.Name, &channel, &contact, &j.SessionStart); err != nil {
			return nil, err
		}
		if session != nil {
			j.SessionID = *session
		}
		if channel != nil {
			j.Contact.Channel = *channel
		}
		if len(note) > 0 {
			if j.Note, err = s.Keys.OpenString(note, publicRequestContext(j.MembershipID)); err != nil {
				return nil, err
			}
		}
		if len(contact) > 0 {
			if j.Contact.Address, err = s.Keys.OpenString(contact, contactContext(j.MembershipID)); err != nil {
				return nil, err
			}
		}
		out[j.MembershipID] = j
	}
	return out, rows.Err()
}
