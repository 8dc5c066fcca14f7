package sqlstore_test

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// safetyWorld is a site with an organiser, a coordinator of its area, an
// admin, and a group with a standing facilitator and a member.
type safetyWorld struct {
	s                                           *sqlstore.Store
	clock                                       *storetest.Clock
	area                                        peercircle.Area
	site                                        peercircle.Site
	group                                       *peercircle.Group
	organiser, coordinator, admin, fac, peer, x *peercircle.Person
}

func newSafetyWorld(t *testing.T, s *sqlstore.Store) *safetyWorld {
	t.Helper()
	ctx := context.Background()
	w := &safetyWorld{s: s, clock: storetest.NewClock(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))}
	s.Now = w.clock.Now
	_, w.area, w.site = tree(t, s)
	w.group = &peercircle.Group{SiteID: w.site.ID, Name: "Staff PSG", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
		Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive}
	must(t, s.CreateGroup(ctx, w.group))
	w.organiser, w.coordinator, w.admin = member(t, s, "organiser", w.site.ID), member(t, s, "coordinator", 0), member(t, s, "admin", 0)
	w.fac, w.peer, w.x = member(t, s, "facilitator", w.site.ID), member(t, s, "peer", w.site.ID), member(t, s, "outsider", w.site.ID)
	for _, g := range []peercircle.Grant{
		{PersonID: w.organiser.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: w.site.ID},
		{PersonID: w.coordinator.ID, Role: peercircle.RoleCoordinator, ScopeKind: peercircle.ScopeArea, ScopeID: w.area.ID},
		{PersonID: w.admin.ID, Role: peercircle.RoleAdmin, ScopeKind: peercircle.ScopeOrganisation},
	} {
		must(t, s.AddGrant(ctx, &g))
	}
	must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: w.group.ID, PersonID: w.fac.ID, Role: peercircle.RoleFacilitator, Status: peercircle.MemberActive}))
	must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: w.group.ID, PersonID: w.peer.ID, Role: peercircle.RoleMember, Status: peercircle.MemberActive}))
	return w
}

// notes returns the kinds, params and links of a person's notifications.
func (w *safetyWorld) notes(t *testing.T, p *peercircle.Person) []*peercircle.Notification {
	t.Helper()
	ns, err := w.s.Notifications(context.Background(), p.ID, false, 100)
	must(t, err)
	return ns
}

// rawContains reports whether any text or blob column of a table holds
// needle in clear.
func safetyRawContains(t *testing.T, s *sqlstore.Store, table, needle string) bool {
	t.Helper()
	rows, err := s.DB.ReadPool().Query("SELECT * FROM " + table)
	must(t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		must(t, rows.Scan(ptrs...))
		for _, v := range vals {
			switch b := v.(type) {
			case []byte:
				if bytes.Contains(b, []byte(needle)) {
					return true
				}
			case string:
				if strings.Contains(b, needle) {
					return true
				}
			}
		}
	}
	return false
}

func TestSafetyFilesOfExternalSupport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newSafetyWorld(t, s)
		crisis := &peercircle.SupportResource{SiteID: w.site.ID, Name: "National crisis line", Kind: "crisis", Phone: "110", Hours: "Day and night",
			WhenToUse: "If you or someone else is in danger now.", Languages: "Arabic, English"}
		gp := &peercircle.SupportResource{SiteID: w.site.ID, Name: "Family doctor", Kind: "gp", Address: "Ground floor, room 3"}
		legal := &peercircle.SupportResource{SiteID: w.site.ID, GroupID: w.group.ID, Name: "Legal aid clinic", Kind: "legal", Link: "https://example.org/legal"}

		t.Run("an organiser adds to the site's file and a facilitator to the group's", func(t *testing.T) {
			must(t, s.SaveSupportResource(ctx, crisis, w.organiser.ID))
			must(t, s.SaveSupportResource(ctx, gp, w.organiser.ID))
			must(t, s.SaveSupportResource(ctx, legal, w.fac.ID))
			if crisis.ID == 0 || legal.ID == 0 {
				t.Fatal("no ids")
			}
			evs, err := s.AuditEvents(ctx, "support_resource", legal.ID, 10)
			must(t, err)
			if len(evs) != 1 || evs[0].Action != "support_resource.added" || evs[0].ActorID != w.fac.ID {
				t.Fatalf("audit %+v", evs)
			}
		})

		t.Run("the file lists by kind, GP first, and keeps the two files apart", func(t *testing.T) {
			both, err := s.SupportResources(ctx, []int64{w.site.ID}, []int64{w.group.ID})
			must(t, err)
			var names []string
			for _, r := range both {
				names = append(names, r.Name)
			}
			if strings.Join(names, "|") != "Family doctor|National crisis line|Legal aid clinic" {
				t.Fatalf("order %v", names)
			}
			site, err := s.SupportResources(ctx, []int64{w.site.ID}, nil)
			must(t, err)
			if len(site) != 2 {
				t.Fatalf("the site's file holds %d, want 2 (not the group's)", len(site))
			}
			got, err := s.SupportResource(ctx, crisis.ID)
			must(t, err)
			if got.Hours != "Day and night" || got.Languages != "Arabic, English" || got.WhenToUse != crisis.WhenToUse || got.UpdatedBy != w.organiser.ID {
				t.Fatalf("read back %+v", got)
			}
			none, err := s.SupportResources(ctx, nil, nil)
			if err != nil || len(none) != 0 {
				t.Fatalf("no files asked, got %d, %v", len(none), err)
			}
		})

		t.Run("an edit naming another file's resource changes nothing", func(t *testing.T) {
			moved := *legal
			moved.GroupID, moved.Name = 0, "Moved"
			wantErr(t, s.SaveSupportResource(ctx, &moved, w.organiser.ID), peercircle.ENOTFOUND, "")
			got, _ := s.SupportResource(ctx, legal.ID)
			if got.Name != "Legal aid clinic" || got.GroupID != w.group.ID {
				t.Fatalf("resource changed: %+v", got)
			}
		})

		t.Run("a group's resource must be at the group's site", func(t *testing.T) {
			other := &peercircle.Site{AreaID: w.area.ID, Name: "Other HC", Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
			must(t, s.CreateSite(ctx, other))
			r := &peercircle.SupportResource{SiteID: other.ID, GroupID: w.group.ID, Name: "X", Kind: "other", Phone: "123"}
			wantErr(t, s.SaveSupportResource(ctx, r, w.fac.ID), peercircle.ENOTFOUND, "")
		})

		t.Run("an invalid resource is refused with its field", func(t *testing.T) {
			wantErr(t, s.SaveSupportResource(ctx, &peercircle.SupportResource{SiteID: w.site.ID, Name: "X", Kind: "gp"}, w.organiser.ID),
				peercircle.EINVALID, "safety.error.how_to_reach")
		})

		t.Run("an update keeps the file and records who changed it", func(t *testing.T) {
			gp.Phone = "+962 6 555 0101"
			must(t, s.SaveSupportResource(ctx, gp, w.admin.ID))
			got, _ := s.SupportResource(ctx, gp.ID)
			if got.Phone != "+962 6 555 0101" || got.UpdatedBy != w.admin.ID || got.GroupID != 0 {
				t.Fatalf("%+v", got)
			}
		})

		t.Run("a resource is deleted once", func(t *testing.T) {
			must(t, s.DeleteSupportResource(ctx, gp.ID, w.organiser.ID))
			wantErr(t, s.DeleteSupportResource(ctx, gp.ID, w.organiser.ID), peercircle.ENOTFOUND, "")
			_, err := s.SupportResource(ctx, gp.ID)
			wantErr(t, err, peercircle.ENOTFOUND, "")
		})

		t.Run("listed groups are the ones shown to the public", func(t *testing.T) {
			open := &peercircle.Group{SiteID: w.site.ID, Name: "Hope Circle", Kind: peercircle.KindCommunity, Membership: peercircle.MembershipOpen,
				Structure: peercircle.StructureInformal, Lang: "ar", Status: peercircle.GroupActive, Listed: true}
			must(t, s.CreateGroup(ctx, open))
			gs, err := s.ListedGroups(ctx)
			must(t, err)
			if len(gs) != 1 || gs[0].ID != open.ID {
				t.Fatalf("listed %v", gs)
			}
		})
	})
}

func TestSafetySupportRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newSafetyWorld(t, s)
		const words = "I have not slept since the night shift in February"
		req := &peercircle.SupportRequest{PersonID: w.peer.ID, GroupID: w.group.ID, To: peercircle.RequestToFacilitators, Message: words,
			Contact: peercircle.Contact{Channel: peercircle.ChannelWhatsApp, Address: "+962 79 123 4567"}}

		t.Run("a request to the facilitators reaches them and only them, without its words", func(t *testing.T) {
			must(t, s.CreateSupportRequest(ctx, req))
			if req.SiteID != w.site.ID || req.State != peercircle.RequestOpen {
				t.Fatalf("%+v", req)
			}
			ns := w.notes(t, w.fac)
			if len(ns) != 1 || ns[0].Kind != "support_request" || len(ns[0].Params) != 0 || !strings.HasSuffix(ns[0].Link, "/support/requests/"+itoa(req.ID)) {
				t.Fatalf("facilitator's notifications %+v", ns)
			}
			for _, p := range []*peercircle.Person{w.organiser, w.coordinator, w.admin, w.peer} {
				if n := len(w.notes(t, p)); n != 0 {
					t.Errorf("%s got %d notifications", p.Username, n)
				}
			}
		})

		t.Run("the words and the address are sealed at rest", func(t *testing.T) {
			for _, needle := range []string{"night shift", "123 4567"} {
				if safetyRawContains(t, s, "support_requests", needle) {
					t.Errorf("%q is in the table in clear", needle)
				}
			}
			got, err := s.SupportRequest(ctx, req.ID, false)
			must(t, err)
			if got.Message != "" || got.Contact.Address != "" || got.Contact.Channel != peercircle.ChannelWhatsApp {
				t.Fatalf("read without text: %+v", got)
			}
			got, err = s.SupportRequest(ctx, req.ID, true)
			must(t, err)
			if got.Message != words || got.Contact.Address != "+962 79 123 4567" {
				t.Fatalf("read with text: %+v", got)
			}
		})

		t.Run("its scope names the group and the member", func(t *testing.T) {
			sc, err := s.SupportRequestScope(ctx, req.ID)
			must(t, err)
			if sc.GroupID != w.group.ID || sc.SiteID != w.site.ID || sc.AreaID != w.area.ID || sc.RegionID == 0 || sc.PersonID != w.peer.ID {
				t.Fatalf("scope %+v", sc)
			}
			_, err = s.SupportRequestScope(ctx, 999)
			wantErr(t, err, peercircle.ENOTFOUND, "")
		})

		toOrg := &peercircle.SupportRequest{PersonID: w.peer.ID, SiteID: w.site.ID, GroupID: w.group.ID, To: peercircle.RequestToOrganiser,
			Contact: peercircle.Contact{Channel: peercircle.ContactInPerson}}
		t.Run("a request to the organiser names the site only and reaches the organiser", func(t *testing.T) {
			must(t, s.CreateSupportRequest(ctx, toOrg))
			if toOrg.GroupID != 0 {
				t.Fatal("a request to the organiser kept a group")
			}
			sc, _ := s.SupportRequestScope(ctx, toOrg.ID)
			if sc.GroupID != 0 || sc.SiteID != w.site.ID {
				t.Fatalf("scope %+v", sc)
			}
			if ns := w.notes(t, w.organiser); len(ns) != 1 || ns[0].Kind != "support_request" {
				t.Fatalf("organiser's notifications %+v", ns)
			}
		})

		t.Run("each list holds what belongs in it", func(t *testing.T) {
			mine, err := s.SupportRequestsOf(ctx, w.peer.ID)
			must(t, err)
			if len(mine) != 2 {
				t.Fatalf("member sees %d", len(mine))
			}
			facs, err := s.SupportRequestsTo(ctx, []int64{w.group.ID}, nil)
			must(t, err)
			if len(facs) != 1 || facs[0].ID != req.ID || facs[0].Message != "" {
				t.Fatalf("facilitator's list %+v", facs)
			}
			orgs, err := s.SupportRequestsTo(ctx, nil, []int64{w.site.ID})
			must(t, err)
			if len(orgs) != 1 || orgs[0].ID != toOrg.ID {
				t.Fatalf("organiser's list %+v", orgs)
			}
			none, err := s.SupportRequestsTo(ctx, nil, nil)
			if err != nil || len(none) != 0 {
				t.Fatalf("%v %v", none, err)
			}
		})

		t.Run("answering takes it in hand and tells the member there is news", func(t *testing.T) {
			must(t, s.AnswerSupportRequest(ctx, req.ID, w.fac.ID, "Thank you for telling me. I will call you tomorrow at 5.", ""))
			got, _ := s.SupportRequest(ctx, req.ID, true)
			if got.State != peercircle.RequestInHand || got.HandlerID != w.fac.ID || !strings.Contains(got.Reply, "tomorrow at 5") {
				t.Fatalf("%+v", got)
			}
			ns := w.notes(t, w.peer)
			if len(ns) != 1 || ns[0].Kind != "support_request_news" || len(ns[0].Params) != 0 {
				t.Fatalf("member's notifications %+v", ns)
			}
			if safetyRawContains(t, s, "support_requests", "tomorrow at 5") {
				t.Error("the reply is in clear")
			}
		})

		t.Run("a handler must say something or change the state", func(t *testing.T) {
			wantErr(t, s.AnswerSupportRequest(ctx, req.ID, w.fac.ID, " ", ""), peercircle.EINVALID, "error.required")
			wantErr(t, s.AnswerSupportRequest(ctx, req.ID, w.fac.ID, "", peercircle.RequestWithdrawn), peercircle.EINVALID, "error.choice")
			wantErr(t, s.AnswerSupportRequest(ctx, req.ID, w.fac.ID, strings.Repeat("x", peercircle.MaxSupportMessage+1), ""), peercircle.EINVALID, "error.too_long")
		})

		t.Run("a closed request takes no more answers and cannot be withdrawn", func(t *testing.T) {
			must(t, s.AnswerSupportRequest(ctx, req.ID, w.fac.ID, "", peercircle.RequestClosed))
			got, _ := s.SupportRequest(ctx, req.ID, true)
			if got.State != peercircle.RequestClosed || got.ClosedAt == nil || got.Reply == "" {
				t.Fatalf("%+v", got)
			}
			wantErr(t, s.AnswerSupportRequest(ctx, req.ID, w.fac.ID, "again", ""), peercircle.ECONFLICT, "safety.request_not_live")
			wantErr(t, s.WithdrawSupportRequest(ctx, req.ID, w.peer.ID), peercircle.ECONFLICT, "safety.request_not_live")
		})

		t.Run("withdrawing erases what was written; only the member can", func(t *testing.T) {
			r := &peercircle.SupportRequest{PersonID: w.peer.ID, GroupID: w.group.ID, To: peercircle.RequestToFacilitators, Message: "Please forget this",
				Contact: peercircle.Contact{Channel: peercircle.ChannelPhone, Address: "0791234567"}}
			must(t, s.CreateSupportRequest(ctx, r))
			wantErr(t, s.WithdrawSupportRequest(ctx, r.ID, w.fac.ID), peercircle.ENOTFOUND, "")
			must(t, s.WithdrawSupportRequest(ctx, r.ID, w.peer.ID))
			got, err := s.SupportRequest(ctx, r.ID, true)
			must(t, err)
			if got.State != peercircle.RequestWithdrawn || got.Message != "" || got.Contact.Address != "" {
				t.Fatalf("%+v", got)
			}
			var n int
			must(t, s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM support_requests WHERE id = ? AND message IS NULL AND contact_address IS NULL", r.ID).Scan(&n))
			if n != 1 {
				t.Fatal("the sealed text is still stored")
			}
		})

		t.Run("a request nobody would receive is refused", func(t *testing.T) {
			solo := &peercircle.Group{SiteID: w.site.ID, Name: "No facilitator yet", Kind: peercircle.KindCommunity, Membership: peercircle.MembershipOpen,
				Structure: peercircle.StructureInformal, Lang: "ar", Status: peercircle.GroupForming}
			must(t, s.CreateGroup(ctx, solo))
			must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: solo.ID, PersonID: w.x.ID, Role: peercircle.RoleFacilitator, Status: peercircle.MemberActive}))
			r := &peercircle.SupportRequest{PersonID: w.x.ID, GroupID: solo.ID, To: peercircle.RequestToFacilitators, Contact: peercircle.Contact{Channel: peercircle.ContactInPerson}}
			// The only facilitator is the one asking.
			wantErr(t, s.CreateSupportRequest(ctx, r), peercircle.EINVALID, "safety.error.nobody")
			other := &peercircle.Site{AreaID: w.area.ID, Name: "No organiser HC", Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
			must(t, s.CreateSite(ctx, other))
			r = &peercircle.SupportRequest{PersonID: w.x.ID, SiteID: other.ID, To: peercircle.RequestToOrganiser, Contact: peercircle.Contact{Channel: peercircle.ContactInPerson}}
			wantErr(t, s.CreateSupportRequest(ctx, r), peercircle.EINVALID, "safety.error.nobody")
		})

		t.Run("the audit trail holds the steps, never the words", func(t *testing.T) {
			evs, err := s.AuditEvents(ctx, "support_request", req.ID, 20)
			must(t, err)
			var actions []string
			for _, e := range evs {
				actions = append(actions, e.Action)
				if strings.Contains(e.Detail, "night") || strings.Contains(e.Detail, "tomorrow") {
					t.Errorf("audit detail %q holds text", e.Detail)
				}
			}
			if strings.Join(actions, ",") != "support_request.answered,support_request.answered,support_request.created" {
				t.Fatalf("audit %v", actions)
			}
		})
	})
}

func TestSafetyAnonymousComplaints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		w := newSafetyWorld(t, s)
		const words = "The facilitator shared what Rana said outside the group"
		const addr = "203.0.113.54"
		c := &peercircle.Complaint{About: peercircle.ComplaintAboutGroup, GroupID: w.group.ID, Text: words}
		var code string

		t.Run("a complaint about a group goes to the site's organiser with a code", func(t *testing.T) {
			var err error
			code, err = s.FileComplaint(ctx, c, addr)
			must(t, err)
			if _, ok := peercircle.NormaliseTrackingCode(code); !ok {
				t.Fatalf("code %q", code)
			}
			if c.RouteKind != peercircle.RouteSite || c.RouteID != w.site.ID || c.SiteID != w.site.ID || c.ReceivedOn != "2026-03-02" {
				t.Fatalf("%+v", c)
			}
			// Told the next day, by the periodic job, never in the filing's
			// transaction: a notification's time would date the filing.
			if n := len(w.notes(t, w.organiser)); n != 0 {
				t.Fatalf("the organiser was notified as the complaint was filed (%d)", n)
			}
			must(t, s.AnnounceComplaints(ctx, ""))
			if n := len(w.notes(t, w.organiser)); n != 0 {
				t.Fatalf("the organiser was notified on the day of filing (%d)", n)
			}
			w.clock.Add(15 * time.Hour) // 00:30 the next day
			must(t, s.AnnounceComplaints(ctx, ""))
			must(t, s.AnnounceComplaints(ctx, ""))
			ns := w.notes(t, w.organiser)
			if len(ns) != 1 || ns[0].Kind != "complaint_waiting" || len(ns[0].Params) != 0 || ns[0].Link != fmt.Sprintf("/complaints/%d", c.ID) {
				t.Fatalf("organiser's notifications %+v", ns)
			}
			for _, p := range []*peercircle.Person{w.coordinator, w.admin, w.fac, w.peer} {
				if n := len(w.notes(t, p)); n != 0 {
					t.Errorf("%s got %d notifications", p.Username, n)
				}
			}
		})

		t.Run("nothing stored names who filed it or where from", func(t *testing.T) {
			for _, table := range []string{"complaints", "complaint_events", "complaint_throttle", "audit_events", "notifications"} {
				for _, needle := range []string{addr, "Rana said", code, strings.ReplaceAll(code, "-", "")} {
					if safetyRawContains(t, s, table, needle) {
						t.Errorf("%s holds %q in clear", table, needle)
					}
				}
			}
			var moment string
			must(t, s.DB.QueryRow(ctx, "SELECT received_on FROM complaints WHERE id = ?", c.ID).Scan(&moment))
			if moment != "2026-03-02" {
				t.Fatalf("received_on %q: the day only", moment)
			}
			var updated time.Time
			must(t, s.DB.QueryRow(ctx, "SELECT updated_at FROM complaints WHERE id = ?", c.ID).Scan(&updated))
			if !updated.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("updated_at %s: a new complaint keeps the day, not the moment", updated)
			}
			var events int
			must(t, s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = ?", c.ID).Scan(&events))
			if events != 0 {
				t.Errorf("filing wrote %d history rows, whose ids would sit among other complaints' answers", events)
			}
			evs, _ := s.AuditEvents(ctx, "", 0, 100)
			for _, e := range evs {
				if e.TargetKind == "complaint" {
					t.Errorf("filing left an audit event %+v", e)
				}
			}
		})

		t.Run("the code follows the complaint however it is typed; other codes find nothing", func(t *testing.T) {
			got, err := s.TrackComplaint(ctx, strings.ToLower(strings.ReplaceAll(code, "-", " ")))
			must(t, err)
			if got.ID != c.ID || got.State != peercircle.ComplaintReceived || got.Text != "" || len(got.History) != 1 {
				t.Fatalf("%+v", got)
			}
			for _, bad := range []string{peercircle.NewTrackingCode(), "nonsense", ""} {
				_, err := s.TrackComplaint(ctx, bad)
				wantErr(t, err, peercircle.ENOTFOUND, "complaint.unknown_code")
			}
		})

		t.Run("the handler reads it and answers; the complainant sees the answer", func(t *testing.T) {
			full, err := s.Complaint(ctx, c.ID, true)
			must(t, err)
			if full.Text != words {
				t.Fatalf("text %q", full.Text)
			}
			bare, _ := s.Complaint(ctx, c.ID, false)
			if bare.Text != "" || bare.History != nil {
				t.Fatal("read without text opened it")
			}
			w.clock.Add(26 * time.Hour)
			must(t, s.AnswerComplaint(ctx, c.ID, w.organiser.ID, "", "Thank you. We will talk with the group about confidentiality this week."))
			must(t, s.AnswerComplaint(ctx, c.ID, w.organiser.ID, peercircle.ComplaintResolved, "We did, and agreed the rules again."))
			got, err := s.TrackComplaint(ctx, code)
			must(t, err)
			if got.State != peercircle.ComplaintResolved || len(got.History) != 3 {
				t.Fatalf("%+v", got)
			}
			if h := got.History[1]; h.State != peercircle.ComplaintLooking || !strings.Contains(h.Note, "talk with the group") {
				t.Fatalf("a first answer should mean someone is looking: %+v", h)
			}
			if safetyRawContains(t, s, "complaint_events", "agreed the rules") {
				t.Error("a note is stored in clear")
			}
			evs, _ := s.AuditEvents(ctx, "complaint", c.ID, 10)
			if len(evs) != 2 || evs[0].ActorID != w.organiser.ID {
				t.Fatalf("audit %+v", evs)
			}
		})

		t.Run("answers are checked", func(t *testing.T) {
			wantErr(t, s.AnswerComplaint(ctx, c.ID, w.organiser.ID, "", ""), peercircle.EINVALID, "error.required")
			wantErr(t, s.AnswerComplaint(ctx, c.ID, w.organiser.ID, "received", "x"), peercircle.EINVALID, "error.choice")
			wantErr(t, s.AnswerComplaint(ctx, 999, w.organiser.ID, "", "x"), peercircle.ENOTFOUND, "")
		})

		t.Run("a complaint about the organiser goes to the area's coordinators", func(t *testing.T) {
			o := &peercircle.Complaint{About: peercircle.ComplaintAboutSite, SiteID: w.site.ID, AboutOrganiser: true, Text: "The organiser cancels every meeting."}
			_, err := s.FileComplaint(ctx, o, "198.51.100.1")
			must(t, err)
			if o.RouteKind != peercircle.RouteArea || o.RouteID != w.area.ID {
				t.Fatalf("%+v", o)
			}
			w.clock.Add(24 * time.Hour)
			must(t, s.AnnounceComplaints(ctx, ""))
			if ns := w.notes(t, w.coordinator); len(ns) != 1 || ns[0].Kind != "complaint_waiting" {
				t.Fatalf("coordinator's notifications %+v", ns)
			}
			if n := len(w.notes(t, w.organiser)); n != 1 {
				t.Fatalf("the organiser heard of a complaint about them (%d notifications)", n)
			}
			list, err := s.ComplaintsRoutedTo(ctx, []int64{w.site.ID}, nil, false)
			must(t, err)
			if len(list) != 1 || list[0].ID != c.ID {
				t.Fatalf("the organiser's list %+v", list)
			}
			list, _ = s.ComplaintsRoutedTo(ctx, nil, []int64{w.area.ID}, false)
			if len(list) != 1 || list[0].ID != o.ID {
				t.Fatalf("the coordinator's list %+v", list)
			}
		})

		t.Run("a complaint about the programme goes to the admins", func(t *testing.T) {
			p := &peercircle.Complaint{About: peercircle.ComplaintAboutProgramme, Text: "Meetings are always in work hours."}
			_, err := s.FileComplaint(ctx, p, "198.51.100.2")
			must(t, err)
			if p.RouteKind != peercircle.RouteOrganisation || p.RouteID != 0 {
				t.Fatalf("%+v", p)
			}
			list, _ := s.ComplaintsRoutedTo(ctx, nil, nil, true)
			if len(list) != 1 || list[0].ID != p.ID {
				t.Fatalf("the admins' list %+v", list)
			}
		})

		t.Run("with nobody at a level, the complaint goes up", func(t *testing.T) {
			a2 := &peercircle.Area{RegionID: w.area.RegionID, Name: "Empty area"}
			must(t, s.CreateArea(ctx, a2))
			lone := &peercircle.Site{AreaID: a2.ID, Name: "Lone HC", Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
			must(t, s.CreateSite(ctx, lone))
			x := &peercircle.Complaint{About: peercircle.ComplaintAboutSite, SiteID: lone.ID, Text: "No one answers the phone."}
			_, err := s.FileComplaint(ctx, x, "198.51.100.3")
			must(t, err)
			if x.RouteKind != peercircle.RouteOrganisation {
				t.Fatalf("a site with no organiser in an area with no coordinator routed to %s", x.RouteKind)
			}
			st := &peercircle.Site{AreaID: w.area.ID, Name: "Second HC", Kind: peercircle.SiteHealthCentre, TimeZone: "Asia/Amman"}
			must(t, s.CreateSite(ctx, st))
			y := &peercircle.Complaint{About: peercircle.ComplaintAboutSite, SiteID: st.ID, Text: "The room is never free."}
			_, err = s.FileComplaint(ctx, y, "198.51.100.3")
			must(t, err)
			if y.RouteKind != peercircle.RouteArea || y.RouteID != w.area.ID {
				t.Fatalf("a site with no organiser routed to %s %d", y.RouteKind, y.RouteID)
			}
		})

		t.Run("a complaint about a group is never routed to its standing facilitators", func(t *testing.T) {
			// The organiser also facilitates a second group at the site.
			g2 := &peercircle.Group{SiteID: w.site.ID, Name: "Evening PSG", Kind: peercircle.KindStaff, Membership: peercircle.MembershipClosed,
				Structure: peercircle.StructureFormal, Lang: "ar", Status: peercircle.GroupActive}
			must(t, s.CreateGroup(ctx, g2))
			must(t, s.SaveMembership(ctx, &peercircle.Membership{GroupID: g2.ID, PersonID: w.organiser.ID, Role: peercircle.RoleFacilitator, Status: peercircle.MemberActive}))
			k := &peercircle.Complaint{About: peercircle.ComplaintAboutGroup, GroupID: g2.ID, Text: "The facilitator talks about members at home."}
			_, err := s.FileComplaint(ctx, k, "198.51.100.7")
			must(t, err)
			if k.RouteKind != peercircle.RouteArea || k.RouteID != w.area.ID {
				t.Fatalf("with its facilitator the only organiser, the complaint went to %s %d", k.RouteKind, k.RouteID)
			}
			// A second organiser, who does not facilitate it, takes the next.
			other := member(t, s, "organiser2", w.site.ID)
			must(t, s.AddGrant(ctx, &peercircle.Grant{PersonID: other.ID, Role: peercircle.RoleOrganiser, ScopeKind: peercircle.ScopeSite, ScopeID: w.site.ID}))
			k2 := &peercircle.Complaint{About: peercircle.ComplaintAboutGroup, GroupID: g2.ID, Text: "Still the same."}
			_, err = s.FileComplaint(ctx, k2, "198.51.100.7")
			must(t, err)
			if k2.RouteKind != peercircle.RouteSite || k2.RouteID != w.site.ID {
				t.Fatalf("routed to %s %d", k2.RouteKind, k2.RouteID)
			}
			w.clock.Add(24 * time.Hour)
			must(t, s.AnnounceComplaints(ctx, ""))
			told := func(p *peercircle.Person, id int64) bool {
				for _, n := range w.notes(t, p) {
					if n.Link == "/complaints/"+itoa(id) {
						return true
					}
				}
				return false
			}
			if told(w.organiser, k2.ID) || told(w.organiser, k.ID) {
				t.Error("the group's facilitator was told of a complaint about the group")
			}
			if !told(other, k2.ID) || !told(w.coordinator, k.ID) {
				t.Error("the handlers were not told")
			}
		})

		t.Run("an unknown group is not found", func(t *testing.T) {
			_, err := s.FileComplaint(ctx, &peercircle.Complaint{About: peercircle.ComplaintAboutGroup, GroupID: 999, Text: "x"}, "198.51.100.9")
			wantErr(t, err, peercircle.ENOTFOUND, "")
		})

		t.Run("one address files a few complaints an hour, then waits", func(t *testing.T) {
			const flood = "192.0.2.200"
			file := func(a string) error {
				_, err := s.FileComplaint(ctx, &peercircle.Complaint{About: peercircle.ComplaintAboutProgramme, Text: "again"}, a)
				return err
			}
			for i := range peercircle.ComplaintThrottle {
				if err := file(flood); err != nil {
					t.Fatalf("complaint %d refused: %v", i+1, err)
				}
			}
			wantErr(t, file(flood), peercircle.ETOOMANY, "complaint.throttled")
			must(t, file("192.0.2.201"))
			if safetyRawContains(t, s, "complaint_throttle", "192.0.2") {
				t.Error("the address is stored in clear")
			}
			w.clock.Add(2*time.Hour + time.Minute)
			must(t, file(flood))
			var rows int
			must(t, s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM complaint_throttle").Scan(&rows))
			if rows != 1 {
				t.Fatalf("%d throttle rows kept; older ones should be gone", rows)
			}
		})
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
