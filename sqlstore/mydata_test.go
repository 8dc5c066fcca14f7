package sqlstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

const (
	myPassword  = "a calm evening walk"
	myName      = "Rania Haddad-Qasem"
	myDisplay   = "Rani the Brave"
	myAddress   = "+962 79 555 0199"
	myRequest   = "I would like to talk about my night shifts."
	myItemTitle = "Handover at the end of long shifts"
)

// myWorld is the safety world with the peer's whole footprint: a chosen
// name, a sealed contact address, consents, an acknowledged code of
// ethics, a past meeting they attended, an answer for a coming one, an
// agenda item, volunteer offers, a support request the facilitator read,
// a notification and a calendar feed.
type myWorld struct {
	*safetyWorld
	past, next *peercircle.Session
	membership *peercircle.Membership
	request    *peercircle.SupportRequest
}

func newMyWorld(t *testing.T, s *sqlstore.Store) *myWorld {
	t.Helper()
	ctx := context.Background()
	w := &myWorld{safetyWorld: newSafetyWorld(t, s)}
	p := w.peer
	p.FullName, p.Email = myName, "rania@example.org"
	must(t, s.UpdatePerson(ctx, p))
	for _, q := range []*peercircle.Person{p, w.admin} {
		must(t, s.SetPassword(ctx, q.ID, myPassword))
	}
	m, err := s.Membership(ctx, w.group.ID, p.ID)
	must(t, err)
	m.DisplayName, m.Contact = myDisplay, peercircle.Contact{Channel: "whatsapp", Address: myAddress}
	must(t, s.UpdateMembershipPrefs(ctx, m))
	must(t, s.GiveConsent(ctx, m.ID, peercircle.ConsentContact))
	w.membership = m
	must(t, s.SetOffers(ctx, w.group.ID, p.ID, []string{"greeter", "refreshments"}))

	now := w.clock.Now()
	w.past = &peercircle.Session{GroupID: w.group.ID, PlannedStart: now.Add(-7 * 24 * time.Hour), PlannedEnd: now.Add(-7*24*time.Hour + 2*time.Hour),
		LocalDate: now.Add(-7 * 24 * time.Hour).Format(time.DateOnly), Status: peercircle.SessionHeld, FacilitatorID: w.fac.ID}
	must(t, s.AddSession(ctx, w.past))
	w.next = &peercircle.Session{GroupID: w.group.ID, PlannedStart: now.Add(7 * 24 * time.Hour), PlannedEnd: now.Add(7*24*time.Hour + 2*time.Hour),
		LocalDate: now.Add(7 * 24 * time.Hour).Format(time.DateOnly), Status: peercircle.SessionPlanned, FacilitatorID: p.ID}
	must(t, s.AddSession(ctx, w.next))
	must(t, s.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.Exec("INSERT INTO attendance (session_id, person_id, kind, status, updated_at) VALUES (?, ?, ?, ?, ?)",
			w.past.ID, p.ID, peercircle.AttendMember, peercircle.AttendPresent, now)
		return err
	}))
	must(t, s.RSVP(ctx, w.next.ID, p.ID, peercircle.AttendExpected))
	must(t, s.ProposeItem(ctx, &peercircle.AgendaItem{SessionID: w.next.ID, AuthorID: p.ID, Kind: peercircle.ItemTopic, Title: myItemTitle}))

	w.request = &peercircle.SupportRequest{PersonID: p.ID, GroupID: w.group.ID, To: peercircle.RequestToFacilitators, Message: myRequest,
		Contact: peercircle.Contact{Channel: peercircle.ContactInPerson}}
	must(t, s.CreateSupportRequest(ctx, w.request))
	must(t, s.Audit(ctx, &peercircle.AuditEvent{ActorID: w.fac.ID, Action: "support_request.read", TargetKind: "support_request", TargetID: w.request.ID}))
	must(t, s.Notify(ctx, &peercircle.Notification{PersonID: p.ID, Kind: "join_accepted", Params: []string{w.group.Name}, Link: "/groups/1"}))
	_, err = s.RenewCalendarFeed(ctx, p.ID, 0)
	must(t, err)
	_, _, err = s.CreateAuthSession(ctx, p.ID)
	must(t, err)
	return w
}

func TestMyDataHoldsEverythingAboutThePerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newMyWorld(t, s)
		d, err := s.MyData(ctx, w.peer.ID)
		must(t, err)
		checks := []struct {
			what string
			ok   bool
		}{
			{"the account", d.Account.FullName == myName && d.Account.Username == "peer" && d.Account.Email == "rania@example.org" && d.Account.HasPassword},
			{"one membership with the chosen name", len(d.Memberships) == 1 && d.Memberships[0].DisplayName == myDisplay && d.Memberships[0].Group == w.group.Name},
			{"the sealed contact address, opened for its owner", len(d.Memberships) == 1 && d.Memberships[0].ContactAddress == myAddress && d.Memberships[0].ContactChannel == "whatsapp"},
			{"the consent", len(d.Memberships) == 1 && len(d.Memberships[0].Consents) == 1 && d.Memberships[0].Consents[0].Kind == peercircle.ConsentContact},
			{"attendance and the answer for the coming meeting", len(d.Attendance) == 2 && d.Attendance[0].Status == peercircle.AttendPresent && d.Attendance[1].Status == peercircle.AttendExpected},
			{"the turn the rota gave them at the coming meeting", len(d.Turns) == 1 && d.Turns[0].SessionID == w.next.ID},
			{"the agenda item with its text", len(d.AgendaItems) == 1 && d.AgendaItems[0].Title == myItemTitle},
			{"the volunteer offers", len(d.Offers) == 2},
			{"the support request with its text", len(d.SupportRequests) == 1 && d.SupportRequests[0].Message == myRequest},
			{"the notification", len(d.Notifications) == 1 && d.Notifications[0].Kind == "join_accepted"},
			{"the calendar feed, without its link", len(d.CalendarFeeds) == 1},
			{"the signed-in session", d.Sessions == 1},
			{"the facilitator's read of the request", len(d.ReadsByOthers) == 1 && d.ReadsByOthers[0].Actor == w.fac.FullName && d.ReadsByOthers[0].Action == "support_request.read"},
		}
		for _, c := range checks {
			if !c.ok {
				t.Errorf("the export lacks %s: %+v", c.what, d)
			}
		}
		b, err := json.Marshal(d)
		must(t, err)
		for _, key := range []string{`"memberships"`, `"consents"`, `"attendance"`, `"agenda_items"`, `"volunteer_offers"`, `"support_requests"`, `"notifications"`, `"reads_by_others"`} {
			if !strings.Contains(string(b), key) {
				t.Errorf("the JSON has no %s", key)
			}
		}
		t.Run("another person's data is not in it", func(t *testing.T) {
			if strings.Contains(string(b), w.fac.FullName) && len(d.ReadsByOthers) == 0 {
				t.Fatal("facilitator's name without a read")
			}
			f, err := s.MyData(ctx, w.fac.ID)
			must(t, err)
			fb, _ := json.Marshal(f)
			for _, secret := range []string{myAddress, myRequest, myDisplay} {
				if strings.Contains(string(fb), secret) {
					t.Fatalf("the facilitator's export holds %q", secret)
				}
			}
		})
	})
}

func TestErasePerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newMyWorld(t, s)
		before, err := s.MyData(ctx, w.peer.ID)
		must(t, err)

		t.Run("a wrong password is refused and changes nothing", func(t *testing.T) {
			_, err := s.ErasePerson(ctx, peercircle.Erasure{PersonID: w.peer.ID, ActorID: w.peer.ID, Password: "not my password", Addr: "192.0.2.1"})
			wantErr(t, err, peercircle.EINVALID, "mydata.wrong_password")
			after, err := s.MyData(ctx, w.peer.ID)
			must(t, err)
			before.GeneratedAt, after.GeneratedAt = time.Time{}, time.Time{}
			if !reflect.DeepEqual(before, after) {
				t.Fatalf("data changed:\n%+v\n%+v", before, after)
			}
		})
		t.Run("the last admin cannot erase themselves", func(t *testing.T) {
			_, err := s.ErasePerson(ctx, peercircle.Erasure{PersonID: w.admin.ID, ActorID: w.admin.ID, Password: myPassword})
			wantErr(t, err, peercircle.ECONFLICT, "mydata.last_admin")
		})

		counts, err := s.ErasePerson(ctx, peercircle.Erasure{PersonID: w.peer.ID, ActorID: w.peer.ID, Password: myPassword, Addr: "192.0.2.1"})
		must(t, err)
		if counts.Memberships != 1 || counts.Consents != 1 || counts.SupportRequests != 1 || counts.Offers != 2 || counts.Notifications != 1 ||
			counts.CalendarFeeds != 1 || counts.Sessions != 1 || counts.AgendaItems != 1 {
			t.Errorf("counts = %+v", counts)
		}
		id := w.peer.ID
		rowCount := func(q string, args ...any) int {
			t.Helper()
			var n int
			must(t, s.DB.QueryRow(ctx, q, args...).Scan(&n))
			return n
		}
		t.Run("what it says it removes is gone", func(t *testing.T) {
			for _, table := range []string{"auth_sessions", "auth_tokens", "known_devices", "grants", "notifications", "calendar_feeds",
				"volunteer_offers", "ethics_acks", "support_requests", "feeling_picks", "feedback_claims"} {
				if n := rowCount("SELECT COUNT(*) FROM "+table+" WHERE person_id = ?", id); n != 0 {
					t.Errorf("%s still has %d rows", table, n)
				}
			}
			if n := rowCount("SELECT COUNT(*) FROM consents WHERE membership_id = ?", w.membership.ID); n != 0 {
				t.Errorf("%d consents left", n)
			}
			var status, display, channel string
			var sealed []byte
			must(t, s.DB.QueryRow(ctx, "SELECT status, display_name, contact_channel, contact_sealed FROM memberships WHERE id = ?", w.membership.ID).
				Scan(&status, &display, &channel, &sealed))
			if status != peercircle.MemberLeft || display != "" || channel != "" || len(sealed) != 0 {
				t.Errorf("membership: %s %q %q %d bytes", status, display, channel, len(sealed))
			}
			if n := rowCount("SELECT COUNT(*) FROM attendance WHERE person_id = ? AND session_id = ?", id, w.next.ID); n != 0 {
				t.Error("the answer for the coming meeting stays")
			}
			var fac int64
			must(t, s.DB.QueryRow(ctx, "SELECT COALESCE(facilitator_id, 0) FROM sessions WHERE id = ?", w.next.ID).Scan(&fac))
			if fac == id || rowCount("SELECT COUNT(*) FROM session_roles WHERE person_id = ?", id) != 0 {
				t.Error("still on the rota of the coming meeting")
			}
			for _, table := range []string{"people", "memberships", "support_requests", "audit_events", "notifications", "login_failures"} {
				for _, secret := range []string{myName, myDisplay, myAddress, myRequest, "rania@example.org"} {
					if safetyRawContains(t, s, table, secret) {
						t.Errorf("%s still holds %q", table, secret)
					}
				}
			}
		})
		t.Run("what it keeps stays, without a name", func(t *testing.T) {
			if n := rowCount("SELECT COUNT(*) FROM attendance WHERE person_id = ? AND session_id = ?", id, w.past.ID); n != 1 {
				t.Error("past attendance was removed")
			}
			items, err := s.AgendaItems(ctx, w.next.ID)
			must(t, err)
			if len(items) != 1 || items[0].Title != myItemTitle || items[0].AuthorID != 0 {
				t.Errorf("agenda items: %+v", items)
			}
			p, err := s.Person(ctx, id)
			must(t, err)
			if p.Status != peercircle.PersonErased || p.FullName != peercircle.ErasedName || p.Username != "" || p.Email != "" || p.DisplayName != "" {
				t.Errorf("tombstone: %+v", p)
			}
			evs, err := s.AuditEvents(ctx, "person", id, 10)
			must(t, err)
			if len(evs) == 0 || evs[0].Action != "person.erased" || evs[0].ActorID != id || strings.Contains(evs[0].Detail, "peer") {
				t.Errorf("audit: %+v", evs)
			}
		})
		t.Run("they can no longer sign in and their login can be reused", func(t *testing.T) {
			_, _, err := s.Authenticate(ctx, peercircle.SignIn{Login: "peer", Password: myPassword, Addr: "192.0.2.9"})
			if peercircle.ErrorCode(err) != peercircle.EUNAUTHORIZED {
				t.Fatalf("sign-in: %v", err)
			}
			must(t, s.CreatePerson(ctx, &peercircle.Person{Username: "peer", Email: "rania@example.org", FullName: "Someone New", Status: peercircle.PersonActive}))
		})
		t.Run("their data is gone and a second erasure is refused", func(t *testing.T) {
			if _, err := s.MyData(ctx, id); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
				t.Fatalf("MyData: %v", err)
			}
			_, err := s.ErasePerson(ctx, peercircle.Erasure{PersonID: id, ActorID: w.admin.ID, Password: myPassword})
			wantErr(t, err, peercircle.ECONFLICT, "mydata.already_erased")
		})
		t.Run("the guard does not protect the erased marker", func(t *testing.T) {
			names, err := s.ProtectedNames(ctx, w.past.ID)
			must(t, err)
			for _, n := range names {
				if peercircle.IsErasedName(n) {
					t.Fatal("marker among protected names")
				}
			}
		})
		t.Run("nobody can take the marker as a name", func(t *testing.T) {
			err := s.CreatePerson(ctx, &peercircle.Person{Username: "mimic", FullName: peercircle.ErasedName, Status: peercircle.PersonActive})
			if peercircle.ErrorCode(err) != peercircle.EINVALID {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func TestErasureKeepsReportFiguresExactly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w, _ := reportStore(t, s, 2)
		admin := member(t, s, "erasing-admin", 0)
		must(t, s.AddGrant(ctx, &peercircle.Grant{PersonID: admin.ID, Role: peercircle.RoleAdmin, ScopeKind: peercircle.ScopeOrganisation}))
		must(t, s.SetPassword(ctx, admin.ID, myPassword))

		// The person who facilitated most in Q1 at the first site, and the
		// peer present most often there.
		site := w.Sites[0]
		var facilitator, attendee int64
		must(t, s.DB.QueryRow(ctx, `SELECT m.facilitator_id FROM sessions m JOIN groups g ON g.id = m.group_id
			WHERE g.site_id = ? AND m.status = 'held' AND m.facilitator_id IS NOT NULL AND m.local_date BETWEEN '2027-01-01' AND '2027-03-31'
			GROUP BY m.facilitator_id ORDER BY COUNT(*) DESC, m.facilitator_id LIMIT 1`, site.ID).Scan(&facilitator))
		must(t, s.DB.QueryRow(ctx, `SELECT a.person_id FROM attendance a JOIN sessions m ON m.id = a.session_id JOIN groups g ON g.id = m.group_id
			WHERE g.site_id = ? AND a.status = 'present' AND a.person_id IS NOT NULL AND a.person_id <> ? AND m.local_date BETWEEN '2027-01-01' AND '2027-03-31'
			GROUP BY a.person_id ORDER BY COUNT(*) DESC, a.person_id LIMIT 1`, site.ID, facilitator).Scan(&attendee))

		// Q1 at the first site is submitted: its snapshot names the facilitator.
		rep, err := s.Report(ctx, site.ID, q1)
		must(t, err)
		_, err = s.SubmitReport(ctx, &peercircle.ReportSubmission{SiteID: site.ID, Quarter: q1, ActorID: w.Organiser.ID, Version: rep.Version})
		must(t, err)

		quarters := []peercircle.Quarter{{Year: 2026, N: 4}, q1}
		figures := func() map[string]string {
			out := map[string]string{}
			for _, st := range w.Sites {
				for _, q := range quarters {
					sh, err := s.Sheet3(ctx, st.ID, q)
					must(t, err)
					sh.ComputedAt = time.Time{}
					out[st.Name+" "+q.String()] = figuresJSON(t, sh)
				}
			}
			r, err := s.Report(ctx, site.ID, q1)
			must(t, err)
			out["snapshot"] = figuresJSON(t, r.Snapshot)
			for _, lvl := range []struct {
				level string
				id    int64
			}{{"region", w.Region.ID}, {"area", w.Areas[0].ID}} {
				ru, err := s.RollUp(ctx, lvl.level, lvl.id, q1, 2)
				must(t, err)
				b, _ := json.Marshal(ru)
				out["rollup "+lvl.level] = string(b)
			}
			return out
		}
		facName := personName(t, s, facilitator)
		before := figures()
		if !strings.Contains(before["snapshot"], facName) {
			t.Fatalf("the snapshot should name %q", facName)
		}
		for _, who := range []int64{facilitator, attendee} {
			_, err := s.ErasePerson(ctx, peercircle.Erasure{PersonID: who, ActorID: admin.ID, Password: myPassword})
			must(t, err)
		}
		after := figures()
		for k, b := range before {
			// The only change: the facilitator's name becomes the marker
			// (which may move them among facilitators with as many turns).
			want := sortedTallies(t, strings.ReplaceAll(b, jsonText(facName), jsonText(peercircle.ErasedName)))
			if a := sortedTallies(t, after[k]); a != want {
				t.Errorf("%s changed:\nbefore %s\nafter  %s", k, want, a)
			}
		}
		if !strings.Contains(after["snapshot"], `"Key":"`+strconv.FormatInt(facilitator, 10)+`"`) {
			t.Error("the snapshot lost the facilitator's tally")
		}
	})
}

// figuresJSON is a Sheet 3 as JSON without the time it was computed.
func figuresJSON(t *testing.T, sh *peercircle.Sheet3) string {
	t.Helper()
	c := *sh
	c.ComputedAt = time.Time{}
	b, err := json.Marshal(c)
	must(t, err)
	return string(b)
}

// sortedTallies re-encodes JSON with every list of tallies (objects with
// a "Key") in key order, so two reports compare by content, not by the
// order names sort in.
func sortedTallies(t *testing.T, js string) string {
	t.Helper()
	var v any
	must(t, json.Unmarshal([]byte(js), &v))
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
			sort.SliceStable(x, func(i, j int) bool {
				a, _ := x[i].(map[string]any)
				b, _ := x[j].(map[string]any)
				ka, _ := a["Key"].(string)
				kb, _ := b["Key"].(string)
				return ka < kb
			})
		}
	}
	walk(v)
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}

func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

func personName(t *testing.T, s *sqlstore.Store, id int64) string {
	t.Helper()
	p, err := s.Person(context.Background(), id)
	must(t, err)
	return p.FullName
}
