package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/password"
)

// Every table that refers to people(id), and what it is to the person
// (DESIGN.md rule 4; docs/privacy.md says the same in plain words):
//
//	about them, shown, removed by erasure:
//	  people (the row becomes a tombstone), grants, auth_sessions,
//	  auth_tokens, email_changes (pending and undoable e-mail changes; not
//	  shown, the account events show them), known_devices, notifications, calendar_feeds,
//	  volunteer_offers, ethics_acks, support_requests, grow_worksheets,
//	  self_assessments and assessment_levels, supervision_sessions
//	  (as supervisee), buddy_pairings, training_records, feeling_picks and
//	  feedback_claims (who picked/took a code, never what), memberships'
//	  display name and sealed contact, consents (via memberships),
//	  answers to meetings still to come (attendance, session_roles,
//	  sessions.facilitator_id of planned meetings)
//	about them, shown, kept without a name (figures must not move):
//	  memberships (become "left"), attendance at past meetings,
//	  session_roles and sessions.facilitator_id/co_facilitator_id of past
//	  meetings, agenda_items (text kept, author removed)
//	their acts in a role, kept, linked to the nameless tombstone:
//	  summaries.author_id/reviewed_by, summary_events.actor_id,
//	  reports.submitted_by/reviewed_by, report_events.actor_id,
//	  schedules.updated_by, ethics_versions.author_id,
//	  memberships.oriented_by, support_requests.handler_id,
//	  support_resources.updated_by, complaint_events.by_id,
//	  auth_tokens.created_by and email_changes.proposed_by (set to NULL), supervision_sessions.supervisor_id,
//	  self_assessments.reviewed_by, training_courses.trainer_id,
//	  training_records.recorded_by, buddy_pairings.created_by,
//	  grow_worksheets.shared_with (set to
//	  NULL: shared worksheets become private), audit_events.actor_id
//	  (no foreign key; the audit log never holds personal data)

// MyData returns what is stored about a person, with their own sealed text
// opened for them.
func (s *Store) MyData(ctx context.Context, personID int64) (*peercircle.MyData, error) {
	d := &peercircle.MyData{GeneratedAt: s.Now()}
	err := s.DB.Read(ctx, func(tx *Tx) error {
		for _, step := range []func(*Tx, int64, *peercircle.MyData) error{
			s.myAccount, myRoles, s.myMemberships, myEthicsAcks, myAttendance, myTurns, s.myAgendaItems, myOffers,
			s.mySupportRequests, myNotifications, myFeeds, myRecords, s.myGrowth, myAudit,
		} {
			if err := step(tx, personID, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Store) myAccount(tx *Tx, id int64, d *peercircle.MyData) error {
	var hash string
	a := &d.Account
	var siteID int64
	err := tx.QueryRow(`SELECT id, COALESCE(username, ''), COALESCE(email, ''), full_name, display_name, lang, COALESCE(home_site_id, 0), status,
		created_at, COALESCE(password_hash, '') FROM people WHERE id = ?`, id).
		Scan(&a.ID, &a.Username, &a.Email, &a.FullName, &a.DisplayName, &a.Lang, &siteID, &a.Status, &a.CreatedAt, &hash)
	if err != nil {
		return notFound(err, "person")
	}
	if a.Status == peercircle.PersonErased {
		return peercircle.Errorf(peercircle.ENOTFOUND, "error.notfound.body", "person %d was erased", id)
	}
	a.HasPassword = hash != ""
	if siteID != 0 {
		if err := tx.QueryRow("SELECT name FROM sites WHERE id = ?", siteID).Scan(&a.HomeSite); err != nil {
			return err
		}
	}
	if err := tx.QueryRow("SELECT COUNT(*) FROM auth_sessions WHERE person_id = ?", id).Scan(&d.Sessions); err != nil {
		return err
	}
	return tx.QueryRow("SELECT COUNT(*) FROM known_devices WHERE person_id = ?", id).Scan(&d.KnownDevices)
}

func myRoles(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT g.role, g.scope_kind, COALESCE(r.name, a.name, st.name, '') FROM grants g
		LEFT JOIN regions r ON g.scope_kind = 'region' AND r.id = g.scope_id
		LEFT JOIN areas a ON g.scope_kind = 'area' AND a.id = g.scope_id
		LEFT JOIN sites st ON g.scope_kind = 'site' AND st.id = g.scope_id
		WHERE g.person_id = ? ORDER BY g.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r peercircle.MyRole
		if err := rows.Scan(&r.Role, &r.ScopeKind, &r.Scope); err != nil {
			return err
		}
		d.Roles = append(d.Roles, r)
	}
	return rows.Err()
}

func (s *Store) myMemberships(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT m.id, m.group_id, g.name, m.role, m.status, m.visiting, m.unlisted, m.display_name,
		m.requested_at, m.joined_at, m.left_at, m.leave_until, m.contact_channel, m.contact_sealed
		FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.person_id = ? ORDER BY m.id`, id)
	if err != nil {
		return err
	}
	index := map[int64]int{}
	for rows.Next() {
		var m peercircle.MyMembership
		var mid int64
		var sealed []byte
		if err := rows.Scan(&mid, &m.GroupID, &m.Group, &m.Role, &m.Status, &m.Visiting, &m.Unlisted, &m.DisplayName,
			&m.RequestedAt, &m.JoinedAt, &m.LeftAt, &m.LeaveUntil, &m.ContactChannel, &sealed); err != nil {
			rows.Close()
			return err
		}
		if len(sealed) > 0 {
			if m.ContactAddress, err = s.Keys.OpenString(sealed, contactContext(mid)); err != nil {
				rows.Close()
				return fmt.Errorf("membership %d contact: %w", mid, err)
			}
		}
		index[mid] = len(d.Memberships)
		d.Memberships = append(d.Memberships, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(`SELECT c.membership_id, c.kind, c.given_at, c.withdrawn_at FROM consents c
		JOIN memberships m ON m.id = c.membership_id WHERE m.person_id = ? ORDER BY c.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var mid int64
		var c peercircle.MyConsent
		if err := rows.Scan(&mid, &c.Kind, &c.GivenAt, &c.WithdrawnAt); err != nil {
			return err
		}
		if i, ok := index[mid]; ok {
			d.Memberships[i].Consents = append(d.Memberships[i].Consents, c)
		}
	}
	return rows.Err()
}

func myEthicsAcks(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT g.name, v.version, a.at FROM ethics_acks a JOIN ethics_versions v ON v.id = a.version_id
		JOIN groups g ON g.id = v.group_id WHERE a.person_id = ? ORDER BY a.at, v.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a peercircle.MyEthicsAck
		if err := rows.Scan(&a.Group, &a.Version, &a.At); err != nil {
			return err
		}
		d.EthicsAcks = append(d.EthicsAcks, a)
	}
	return rows.Err()
}

func myAttendance(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT a.session_id, g.name, m.local_date, a.kind, a.status FROM attendance a
		JOIN sessions m ON m.id = a.session_id JOIN groups g ON g.id = m.group_id
		WHERE a.person_id = ? ORDER BY m.planned_start, m.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a peercircle.MyAttendance
		if err := rows.Scan(&a.SessionID, &a.Group, &a.Date, &a.Kind, &a.Status); err != nil {
			return err
		}
		d.Attendance = append(d.Attendance, a)
	}
	return rows.Err()
}

func myTurns(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT m.id, g.name, m.local_date, m.planned_start, 'facilitator' FROM sessions m JOIN groups g ON g.id = m.group_id
			WHERE m.facilitator_id = ?
		UNION ALL SELECT m.id, g.name, m.local_date, m.planned_start, 'co_facilitator' FROM sessions m JOIN groups g ON g.id = m.group_id
			WHERE m.co_facilitator_id = ?
		UNION ALL SELECT m.id, g.name, m.local_date, m.planned_start, r.role FROM session_roles r JOIN sessions m ON m.id = r.session_id
			JOIN groups g ON g.id = m.group_id WHERE r.person_id = ?
		ORDER BY 4, 1, 5`, id, id, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t peercircle.MyTurn
		var start time.Time
		if err := rows.Scan(&t.SessionID, &t.Group, &t.Date, &start, &t.Role); err != nil {
			return err
		}
		d.Turns = append(d.Turns, t)
	}
	return rows.Err()
}

func (s *Store) myAgendaItems(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT i.id, i.session_id, g.name, m.local_date, i.kind, i.title, i.status, i.created_at FROM agenda_items i
		JOIN sessions m ON m.id = i.session_id JOIN groups g ON g.id = m.group_id WHERE i.author_id = ? ORDER BY i.created_at, i.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var it peercircle.MyAgendaItem
		var iid int64
		var title []byte
		if err := rows.Scan(&iid, &it.SessionID, &it.Group, &it.Date, &it.Kind, &title, &it.Status, &it.CreatedAt); err != nil {
			return err
		}
		if it.Title, err = s.Keys.OpenString(title, fmt.Sprintf("agenda:%d:title", iid)); err != nil {
			return fmt.Errorf("agenda item %d: %w", iid, err)
		}
		d.AgendaItems = append(d.AgendaItems, it)
	}
	return rows.Err()
}

func myOffers(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT g.name, o.role, o.offered_at FROM volunteer_offers o JOIN groups g ON g.id = o.group_id
		WHERE o.person_id = ? ORDER BY o.offered_at, g.id, o.role`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var o peercircle.MyOffer
		if err := rows.Scan(&o.Group, &o.Role, &o.OfferedAt); err != nil {
			return err
		}
		d.Offers = append(d.Offers, o)
	}
	return rows.Err()
}

func (s *Store) mySupportRequests(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT r.id, r.recipient, COALESCE(g.name, ''), st.name, r.message, r.contact_channel, r.contact_address, r.reply,
		r.state, r.created_at, r.closed_at FROM support_requests r JOIN sites st ON st.id = r.site_id LEFT JOIN groups g ON g.id = r.group_id
		WHERE r.person_id = ? ORDER BY r.created_at, r.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r peercircle.MySupportRequest
		var msg, addr, reply []byte
		if err := rows.Scan(&r.ID, &r.To, &r.Group, &r.Site, &msg, &r.ContactChannel, &addr, &reply, &r.State, &r.CreatedAt, &r.ClosedAt); err != nil {
			return err
		}
		for _, f := range []struct {
			dst    *string
			sealed []byte
			field  string
		}{{&r.Message, msg, "message"}, {&r.ContactAddress, addr, "contact"}, {&r.Reply, reply, "reply"}} {
			if *f.dst, err = s.Keys.OpenString(f.sealed, requestContext(r.ID, f.field)); err != nil {
				return fmt.Errorf("support request %d %s: %w", r.ID, f.field, err)
			}
		}
		d.SupportRequests = append(d.SupportRequests, r)
	}
	return rows.Err()
}

func myNotifications(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query("SELECT kind, params, link, created_at, read_at FROM notifications WHERE person_id = ? ORDER BY id DESC", id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n peercircle.MyNotification
		var params string
		if err := rows.Scan(&n.Kind, &params, &n.Link, &n.CreatedAt, &n.ReadAt); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(params), &n.Params); err != nil {
			return err
		}
		d.Notifications = append(d.Notifications, n)
	}
	return rows.Err()
}

func myFeeds(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT COALESCE(g.name, ''), f.created_at, f.renewed_at FROM calendar_feeds f LEFT JOIN groups g ON g.id = f.group_id
		WHERE f.person_id = ? ORDER BY f.id`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f peercircle.MyCalendarFeed
		if err := rows.Scan(&f.Group, &f.CreatedAt, &f.RenewedAt); err != nil {
			return err
		}
		d.CalendarFeeds = append(d.CalendarFeeds, f)
	}
	return rows.Err()
}

// myRecords lists the Sheet 2 summaries the person wrote and the Sheet 3
// reports they submitted: records of their role, kept after erasure.
func myRecords(tx *Tx, id int64, d *peercircle.MyData) error {
	rows, err := tx.Query(`SELECT g.name, m.local_date, su.state, su.updated_at FROM summaries su JOIN sessions m ON m.id = su.session_id
		JOIN groups g ON g.id = m.group_id WHERE su.author_id = ? ORDER BY m.planned_start, m.id`, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r peercircle.MyRecord
		if err := rows.Scan(&r.What, &r.Date, &r.State, &r.At); err != nil {
			rows.Close()
			return err
		}
		d.Summaries = append(d.Summaries, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.Query(`SELECT st.name, r.quarter, r.state, COALESCE(r.submitted_at, r.updated_at) FROM reports r JOIN sites st ON st.id = r.site_id
		WHERE r.submitted_by = ? ORDER BY r.quarter, st.name`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r peercircle.MyRecord
		if err := rows.Scan(&r.What, &r.Date, &r.State, &r.At); err != nil {
			return err
		}
		d.Reports = append(d.Reports, r)
	}
	return rows.Err()
}

// myAudit reads the audit events about the person. Reads by others are
// those of rule 5 that concern their records: their support requests
// (read or answered), the agenda of a meeting after they proposed an item
// for it, and the contact list of a group while they had a contact
// preference there.
func myAudit(tx *Tx, id int64, d *peercircle.MyData) error {
	scan := func(q string, args []any, dst *[]peercircle.MyAuditEvent) error {
		rows, err := tx.Query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e peercircle.MyAuditEvent
			if err := rows.Scan(&e.At, &e.Actor, &e.Action, &e.TargetKind); err != nil {
				return err
			}
			*dst = append(*dst, e)
		}
		return rows.Err()
	}
	const cols = "SELECT e.at, COALESCE(p.full_name, ''), e.action, e.target_kind FROM audit_events e LEFT JOIN people p ON p.id = e.actor_id "
	err := scan(cols+`WHERE (e.actor_id IS NULL OR e.actor_id <> ?) AND (
			(e.target_kind = 'support_request' AND e.action IN ('support_request.read', 'support_request.answered')
				AND e.target_id IN (SELECT id FROM support_requests WHERE person_id = ?))
			OR (e.target_kind = 'session' AND e.action = 'agenda.read'
				AND e.at >= (SELECT MIN(i.created_at) FROM agenda_items i WHERE i.session_id = e.target_id AND i.author_id = ?))
			OR (e.target_kind = 'group' AND e.action = 'membership.contacts.read'
				AND e.target_id IN (SELECT group_id FROM memberships WHERE person_id = ? AND contact_channel <> ''))
			OR (e.target_kind = 'grow_worksheet' AND e.action = 'grow_worksheet.read'
				AND e.target_id IN (SELECT id FROM grow_worksheets WHERE owner_id = ?))
			OR (e.target_kind = 'competencies' AND e.action = 'assessment.read' AND e.target_id = ?)
		) ORDER BY e.id DESC LIMIT 500`, []any{id, id, id, id, id, id}, &d.ReadsByOthers)
	if err != nil {
		return err
	}
	return scan(cols+"WHERE e.target_kind = 'person' AND e.target_id = ? ORDER BY e.id DESC LIMIT 200", []any{id}, &d.AccountEvents)
}

// erasePrefix marks wrong passwords on the erase form in login_failures,
// so guessing a password there is throttled like signing in.
const erasePrefix = "erase:"

// ErasePerson erases a person (DESIGN.md rule 4): after the actor's
// password is checked again, one write transaction ends their sessions,
// removes their contact details, consents, display names, notifications,
// calendar feeds, tokens, grants, support requests and volunteer offers,
// ends their memberships, unlinks their agenda items and keeps the person
// row as a nameless tombstone, so attendance and facilitation still count
// and report figures do not move. Names in frozen Sheet 3 snapshots are
// replaced by the erased marker; every figure stays.
func (s *Store) ErasePerson(ctx context.Context, in peercircle.Erasure) (*peercircle.ErasureCounts, error) {
	if err := s.checkErasePassword(ctx, in); err != nil {
		return nil, err
	}
	var counts peercircle.ErasureCounts
	var groups []int64
	err := s.DB.Write(ctx, func(tx *Tx) (err error) {
		groups, err = s.eraseTx(tx, in, &counts)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Meetings to come that had them on a rota get the next person.
	for _, g := range groups {
		if err := s.AssignRotation(ctx, g); err != nil {
			return nil, err
		}
	}
	return &counts, nil
}

// checkErasePassword verifies the actor's password outside any write
// transaction (the hash is slow), with the sign-in throttle's limits.
func (s *Store) checkErasePassword(ctx context.Context, in peercircle.Erasure) error {
	login := erasePrefix + strconv.FormatInt(in.ActorID, 10)
	var failures int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM login_failures WHERE login = ? AND at > ?", login, s.Now().Add(-peercircle.ThrottleWindow)).
		Scan(&failures); err != nil {
		return err
	}
	if failures >= peercircle.ThrottlePerLoginAddr {
		return errThrottled
	}
	var hash, status string
	err := s.DB.QueryRow(ctx, "SELECT COALESCE(password_hash, ''), status FROM people WHERE id = ?", in.ActorID).Scan(&hash, &status)
	if err != nil {
		return notFound(err, "person")
	}
	ok := false
	if hash != "" && status == peercircle.PersonActive {
		if ok, err = password.Verify(hash, in.Password); err != nil {
			return err
		}
	} else {
		password.VerifyDummy(in.Password)
	}
	if ok {
		return nil
	}
	err = s.DB.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO login_failures (login, addr, at) VALUES (?, ?, ?)", login, in.Addr, s.Now())
		return err
	})
	if err != nil {
		return err
	}
	return &peercircle.Error{Code: peercircle.EINVALID, Key: "mydata.wrong_password", Fields: map[string]string{"password": "mydata.wrong_password"},
		Message: "erasure refused: wrong password"}
}

func (s *Store) eraseTx(tx *Tx, in peercircle.Erasure, c *peercircle.ErasureCounts) ([]int64, error) {
	id, now := in.PersonID, s.Now()
	var username, email, status string
	err := tx.QueryRow("SELECT COALESCE(username, ''), COALESCE(email, ''), status FROM people WHERE id = ?", id).Scan(&username, &email, &status)
	if err != nil {
		return nil, notFound(err, "person")
	}
	if status == peercircle.PersonErased {
		return nil, peercircle.Errorf(peercircle.ECONFLICT, "mydata.already_erased", "person %d was already erased", id)
	}
	var admins, others int
	if err := tx.QueryRow("SELECT COUNT(*) FROM grants WHERE person_id = ? AND role = ?", id, peercircle.RoleAdmin).Scan(&admins); err != nil {
		return nil, err
	}
	if admins > 0 {
		if err := tx.QueryRow(`SELECT COUNT(*) FROM grants g JOIN people p ON p.id = g.person_id
			WHERE g.role = ? AND g.person_id <> ? AND p.status = ?`, peercircle.RoleAdmin, id, peercircle.PersonActive).Scan(&others); err != nil {
			return nil, err
		}
		if others == 0 {
			return nil, peercircle.Errorf(peercircle.ECONFLICT, "mydata.last_admin", "person %d is the last admin", id)
		}
	}
	rows, err := tx.Query("SELECT DISTINCT group_id FROM memberships WHERE person_id = ? ORDER BY group_id", id)
	if err != nil {
		return nil, err
	}
	groups, err := scanIDs(rows)
	if err != nil {
		return nil, err
	}

	// Removed: what is about them and needed by no figure.
	count := func(dst *int, q string, args ...any) error {
		res, err := tx.Exec(q, args...)
		if err != nil {
			return err
		}
		if dst != nil {
			n, err := res.RowsAffected()
			*dst = int(n)
			return err
		}
		return nil
	}
	future := "SELECT id FROM sessions WHERE status = '" + peercircle.SessionPlanned + "' AND planned_start > ?"
	logins := []any{erasePrefix + strconv.FormatInt(id, 10)}
	for _, l := range []string{username, email} {
		if l != "" {
			logins = append(logins, l)
		}
	}
	for _, st := range []struct {
		dst  *int
		q    string
		args []any
	}{
		{&c.Sessions, "DELETE FROM auth_sessions WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM auth_tokens WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM email_changes WHERE person_id = ?", []any{id}},
		{nil, "UPDATE email_changes SET proposed_by = NULL WHERE proposed_by = ?", []any{id}},
		{nil, "UPDATE auth_tokens SET created_by = NULL WHERE created_by = ?", []any{id}},
		{nil, "DELETE FROM known_devices WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM second_factors WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM recovery_codes WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM login_failures WHERE login IN (" + placeholders(len(logins)) + ")", logins},
		{nil, "DELETE FROM grants WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM message_settings WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM notify_prefs WHERE person_id = ?", []any{id}},
		{&c.Notifications, "DELETE FROM notifications WHERE person_id = ?", []any{id}},
		{&c.CalendarFeeds, "DELETE FROM calendar_feeds WHERE person_id = ?", []any{id}},
		{&c.Offers, "DELETE FROM volunteer_offers WHERE person_id = ?", []any{id}},
		{&c.Consents, "DELETE FROM consents WHERE membership_id IN (SELECT id FROM memberships WHERE person_id = ?)", []any{id}},
		{nil, "DELETE FROM ethics_acks WHERE person_id = ?", []any{id}},
		{&c.SupportRequests, "DELETE FROM support_requests WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM feeling_picks WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM feedback_claims WHERE person_id = ?", []any{id}},
		// Growth: their worksheets, self-assessments and the supervision
		// sessions about them; worksheets shared with them become private.
		{&c.Worksheets, "DELETE FROM grow_worksheets WHERE owner_id = ?", []any{id}},
		{nil, "UPDATE grow_worksheets SET shared_with = NULL, shared_at = NULL WHERE shared_with = ?", []any{id}},
		{nil, "DELETE FROM assessment_levels WHERE assessment_id IN (SELECT id FROM self_assessments WHERE person_id = ?)", []any{id}},
		{nil, "DELETE FROM self_assessments WHERE person_id = ?", []any{id}},
		{nil, "DELETE FROM supervision_sessions WHERE supervisee_id = ?", []any{id}},
		{nil, "DELETE FROM buddy_pairings WHERE newcomer_id = ? OR buddy_id = ?", []any{id, id}},
		{nil, "DELETE FROM training_records WHERE person_id = ?", []any{id}},
		// Answers and turns for meetings still to come.
		{nil, "DELETE FROM attendance WHERE person_id = ? AND session_id IN (" + future + ")", []any{id, now}},
		{nil, "DELETE FROM session_roles WHERE person_id = ? AND session_id IN (" + future + ")", []any{id, now}},
		{nil, "DELETE FROM rota_swaps WHERE (person_a = ? OR person_b = ?) AND state = '" + peercircle.SwapProposed + "'", []any{id, id}},
		{nil, "UPDATE sessions SET facilitator_id = NULL, facilitator_manual = FALSE WHERE facilitator_id = ? AND id IN (" + future + ")", []any{id, now}},
		{nil, "UPDATE sessions SET co_facilitator_id = NULL WHERE co_facilitator_id = ? AND id IN (" + future + ")", []any{id, now}},
		// Kept without a name: memberships end, items keep their text.
		{&c.Memberships, `UPDATE memberships SET status = ?, left_at = COALESCE(left_at, ?), display_name = '', contact_channel = '',
			contact_sealed = NULL, leave_until = '' WHERE person_id = ?`, []any{peercircle.MemberLeft, now, id}},
		{&c.AgendaItems, "UPDATE agenda_items SET author_id = NULL WHERE author_id = ?", []any{id}},
		{nil, `UPDATE people SET username = NULL, email = NULL, full_name = ?, display_name = '', lang = '', home_site_id = NULL,
			status = ?, password_hash = NULL WHERE id = ?`, []any{peercircle.ErasedName, peercircle.PersonErased, id}},
	} {
		if err := count(st.dst, st.q, st.args...); err != nil {
			return nil, fmt.Errorf("erase person %d: %w", id, err)
		}
	}
	if c.Snapshots, err = eraseFromSnapshots(tx, id); err != nil {
		return nil, err
	}
	by := "admin"
	if in.ActorID == id {
		by = "self"
	}
	return groups, s.auditTx(tx, &peercircle.AuditEvent{ActorID: in.ActorID, Action: "person.erased", TargetKind: "person", TargetID: id,
		Detail: fmt.Sprintf("by=%s memberships=%d", by, c.Memberships)})
}

// eraseFromSnapshots replaces the person's name in the facilitators of
// frozen Sheet 3 snapshots. A snapshot is the official record of what was
// submitted: every count, and the tally's key, stays exactly as it was.
func eraseFromSnapshots(tx *Tx, id int64) (int, error) {
	key := strconv.FormatInt(id, 10)
	rows, err := tx.Query("SELECT id, figures FROM report_snapshots WHERE figures LIKE ?", `%"Key":"`+key+`"%`)
	if err != nil {
		return 0, err
	}
	type snap struct {
		id      int64
		figures string
	}
	var snaps []snap
	for rows.Next() {
		var sn snap
		if err := rows.Scan(&sn.id, &sn.figures); err != nil {
			rows.Close()
			return 0, err
		}
		snaps = append(snaps, sn)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, sn := range snaps {
		var sh peercircle.Sheet3
		if err := json.NewDecoder(strings.NewReader(sn.figures)).Decode(&sh); err != nil {
			return 0, fmt.Errorf("report snapshot %d: %w", sn.id, err)
		}
		changed := renameTally(sh.Total.Facilitators, key)
		for i := range sh.Groups {
			changed = renameTally(sh.Groups[i].Figures.Facilitators, key) || changed
		}
		if !changed {
			continue
		}
		b, err := json.Marshal(sh)
		if err != nil {
			return 0, err
		}
		if _, err := tx.Exec("UPDATE report_snapshots SET figures = ? WHERE id = ?", string(b), sn.id); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

func renameTally(ts []peercircle.Tally, key string) bool {
	changed := false
	for i := range ts {
		if ts[i].Key == key && ts[i].Name != peercircle.ErasedName {
			ts[i].Name, changed = peercircle.ErasedName, true
		}
	}
	return changed
}
