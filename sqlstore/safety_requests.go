package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/peercircle/peercircle"
)

// requestContext binds a sealed field of a support request to its row.
func requestContext(id int64, field string) string {
	return fmt.Sprintf("support_request:%d:%s", id, field)
}

const requestCols = `id, person_id, site_id, group_id, recipient, contact_channel, state, handler_id, created_at, updated_at, closed_at`

func scanRequest(sc interface{ Scan(...any) error }, extra ...any) (*peercircle.SupportRequest, error) {
	var r peercircle.SupportRequest
	dest := append([]any{&r.ID, &r.PersonID, &r.SiteID, &r.GroupID, &r.To, &r.Contact.Channel, &r.State, &r.HandlerID,
		&r.CreatedAt, &r.UpdatedAt, &r.ClosedAt}, extra...)
	return &r, sc.Scan(dest...)
}

var errNobody = peercircle.Errorf(peercircle.EINVALID, "safety.error.nobody", "nobody would receive the request")

// requestReceiversTx lists who a request goes to: the group's standing
// facilitators who are not on leave, or the site's organisers. (A
// facilitator on leave may still read it; they are not asked to.)
func requestReceiversTx(tx *Tx, r *peercircle.SupportRequest) ([]int64, error) {
	var rows *Rows
	var err error
	if r.To == peercircle.RequestToFacilitators {
		rows, err = tx.Query("SELECT person_id FROM memberships WHERE group_id = ? AND role = ? AND status = ? ORDER BY person_id",
			r.GroupID, peercircle.RoleFacilitator, peercircle.MemberActive)
	} else {
		rows, err = tx.Query("SELECT person_id FROM grants WHERE role = ? AND scope_kind = ? AND scope_id = ? ORDER BY person_id",
			peercircle.RoleOrganiser, peercircle.ScopeSite, r.SiteID)
	}
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// CreateSupportRequest stores a member's request, sealed, and tells each
// receiver that one is waiting.
func (s *Store) CreateSupportRequest(ctx context.Context, r *peercircle.SupportRequest) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		if r.To == peercircle.RequestToFacilitators {
			if err := tx.QueryRow("SELECT site_id FROM groups WHERE id = ?", r.GroupID).Scan(&r.SiteID); err != nil {
				return notFound(err, "group")
			}
		} else {
			r.GroupID = 0
		}
		all, err := requestReceiversTx(tx, r)
		if err != nil {
			return err
		}
		// A facilitator asking their own group's facilitators, or an
		// organiser their own site's, needs someone else to hear it.
		receivers := slices.DeleteFunc(all, func(id int64) bool { return id == r.PersonID })
		if len(receivers) == 0 {
			return errNobody
		}
		// The confidentiality guard: the message names nobody and holds no
		// identifiers (the way to be contacted has its own field).
		names, err := namesOfTx(tx, r.GroupID, r.PersonID)
		if err != nil {
			return err
		}
		confirmed, err := guardNamesTx(names, map[string]string{"message": r.Message}, map[string][]string{"message": r.Allowed})
		if err != nil {
			return err
		}
		now := s.Now()
		r.State, r.CreatedAt, r.UpdatedAt, r.HandlerID, r.ClosedAt = peercircle.RequestOpen, now, now, 0, nil
		r.ID, err = tx.Insert(`INSERT INTO support_requests (person_id, site_id, group_id, recipient, contact_channel, state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.PersonID, r.SiteID, nullID(r.GroupID), r.To, r.Contact.Channel, r.State, now, now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE support_requests SET message = ?, contact_address = ? WHERE id = ?",
			s.Keys.SealString(r.Message, requestContext(r.ID, "message")),
			s.Keys.SealString(r.Contact.Address, requestContext(r.ID, "contact")), r.ID); err != nil {
			return err
		}
		link := "/support/requests/" + strconv.FormatInt(r.ID, 10)
		for _, id := range receivers {
			if err := s.notifyTx(tx, &peercircle.Notification{PersonID: id, Kind: "support_request", Link: link}); err != nil {
				return err
			}
		}
		if confirmed > 0 {
			if err := s.auditTx(tx, &peercircle.AuditEvent{ActorID: r.PersonID, Action: "guard.confirm", TargetKind: "support_request",
				TargetID: r.ID, Detail: "count=" + strconv.Itoa(confirmed)}); err != nil {
				return err
			}
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: r.PersonID, Action: "support_request.created", TargetKind: "support_request",
			TargetID: r.ID, Detail: "to=" + r.To})
	})
}

// SupportRequest returns one request; withText opens what was written.
func (s *Store) SupportRequest(ctx context.Context, id int64, withText bool) (*peercircle.SupportRequest, error) {
	var msg, addr, reply []byte
	r, err := scanRequest(s.DB.QueryRow(ctx, "SELECT "+requestCols+", message, contact_address, reply FROM support_requests WHERE id = ?", id),
		&msg, &addr, &reply)
	if err != nil {
		return nil, notFound(err, "support request")
	}
	if withText {
		for _, f := range []struct {
			dst    *string
			sealed []byte
			field  string
		}{{&r.Message, msg, "message"}, {&r.Contact.Address, addr, "contact"}, {&r.Reply, reply, "reply"}} {
			if *f.dst, err = s.Keys.OpenString(f.sealed, requestContext(r.ID, f.field)); err != nil {
				return nil, fmt.Errorf("support request %d %s: %w", r.ID, f.field, err)
			}
		}
	}
	return r, nil
}

// SupportRequestScope is the scope of a request's receivers.
func (s *Store) SupportRequestScope(ctx context.Context, id int64) (peercircle.Scope, error) {
	var sc peercircle.Scope
	err := s.DB.QueryRow(ctx, `SELECT a.region_id, st.area_id, st.id, COALESCE(r.group_id, 0), r.person_id FROM support_requests r
		JOIN sites st ON st.id = r.site_id JOIN areas a ON a.id = st.area_id WHERE r.id = ?`, id).
		Scan(&sc.RegionID, &sc.AreaID, &sc.SiteID, &sc.GroupID, &sc.PersonID)
	return sc, notFound(err, "support request")
}

func (s *Store) requests(ctx context.Context, where string, args ...any) ([]*peercircle.SupportRequest, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+requestCols+" FROM support_requests WHERE "+where+
		" ORDER BY CASE state WHEN 'open' THEN 0 WHEN 'in_hand' THEN 1 ELSE 2 END, created_at DESC, id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*peercircle.SupportRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SupportRequestsOf lists a member's own requests, live ones first.
func (s *Store) SupportRequestsOf(ctx context.Context, personID int64) ([]*peercircle.SupportRequest, error) {
	return s.requests(ctx, "person_id = ?", personID)
}

// SupportRequestsTo lists the requests sent to the facilitators of the
// groups or to the organisers of the sites, live ones first.
func (s *Store) SupportRequestsTo(ctx context.Context, groupIDs, siteIDs []int64) ([]*peercircle.SupportRequest, error) {
	var conds []string
	var args []any
	if len(groupIDs) > 0 {
		conds = append(conds, "(recipient = 'facilitators' AND group_id IN ("+placeholders(len(groupIDs))+"))")
		for _, id := range groupIDs {
			args = append(args, id)
		}
	}
	if len(siteIDs) > 0 {
		conds = append(conds, "(recipient = 'organiser' AND site_id IN ("+placeholders(len(siteIDs))+"))")
		for _, id := range siteIDs {
			args = append(args, id)
		}
	}
	if len(conds) == 0 {
		return nil, nil
	}
	return s.requests(ctx, strings.Join(conds, " OR "), args...)
}

// AnswerSupportRequest records a handler's reply and state, and tells the
// member that their request has news (never what it is).
func (s *Store) AnswerSupportRequest(ctx context.Context, id, by int64, reply, state string) error {
	reply = strings.TrimSpace(reply)
	if utf8.RuneCountInString(reply) > peercircle.MaxSupportMessage {
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "error.form", Fields: map[string]string{"reply": "error.too_long"}, Message: "reply too long"}
	}
	if state != "" && state != peercircle.RequestInHand && state != peercircle.RequestClosed {
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "error.form", Fields: map[string]string{"state": "error.choice"}, Message: "bad state " + state}
	}
	if reply == "" && state == "" {
		return &peercircle.Error{Code: peercircle.EINVALID, Key: "error.form", Fields: map[string]string{"reply": "error.required"}, Message: "nothing to record"}
	}
	return s.DB.Write(ctx, func(tx *Tx) error {
		var cur string
		var person int64
		if err := tx.QueryRow("SELECT state, person_id FROM support_requests WHERE id = ?", id).Scan(&cur, &person); err != nil {
			return notFound(err, "support request")
		}
		if cur != peercircle.RequestOpen && cur != peercircle.RequestInHand {
			return peercircle.Errorf(peercircle.ECONFLICT, "safety.request_not_live", "support request %d is %s", id, cur)
		}
		if state == "" {
			state = peercircle.RequestInHand // answering takes it in hand
		}
		now := s.Now()
		sets, args := []string{"state = ?", "handler_id = ?", "updated_at = ?"}, []any{state, by, now}
		if reply != "" {
			sets, args = append(sets, "reply = ?"), append(args, s.Keys.SealString(reply, requestContext(id, "reply")))
		}
		if state == peercircle.RequestClosed {
			sets, args = append(sets, "closed_at = ?"), append(args, now)
		}
		if _, err := tx.Exec("UPDATE support_requests SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...); err != nil {
			return err
		}
		if person != by {
			if err := s.notifyTx(tx, &peercircle.Notification{PersonID: person, Kind: "support_request_news", Link: "/support/requests/" + strconv.FormatInt(id, 10)}); err != nil {
				return err
			}
		}
		detail := "state=" + state
		if reply != "" {
			detail += " reply"
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: by, Action: "support_request.answered", TargetKind: "support_request", TargetID: id, Detail: detail})
	})
}

// WithdrawSupportRequest lets the member take back a live request; what
// they wrote, their contact address and any reply are erased.
func (s *Store) WithdrawSupportRequest(ctx context.Context, id, personID int64) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		var cur string
		if err := tx.QueryRow("SELECT state FROM support_requests WHERE id = ? AND person_id = ?", id, personID).Scan(&cur); err != nil {
			return notFound(err, "support request")
		}
		if cur != peercircle.RequestOpen && cur != peercircle.RequestInHand {
			return peercircle.Errorf(peercircle.ECONFLICT, "safety.request_not_live", "support request %d is %s", id, cur)
		}
		now := s.Now()
		if _, err := tx.Exec(`UPDATE support_requests SET state = ?, message = NULL, contact_address = NULL, reply = NULL,
			updated_at = ?, closed_at = ? WHERE id = ?`, peercircle.RequestWithdrawn, now, now, id); err != nil {
			return err
		}
		return s.auditTx(tx, &peercircle.AuditEvent{ActorID: personID, Action: "support_request.withdrawn", TargetKind: "support_request", TargetID: id})
	})
}
