package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
)

// --- Code of ethics ---

type ethicsData struct {
	Group           *peercircle.Group
	Scope           peercircle.Scope
	Ethics          *peercircle.CodeOfEthics
	Acknowledged    bool
	NotAcknowledged []string
	Starter         string
}

func (s *Server) ethicsPage(r *http.Request, sc peercircle.Scope) (*Page, error) {
	ctx := r.Context()
	g, err := s.Store.Group(ctx, sc.GroupID)
	if err != nil {
		return nil, err
	}
	d := &ethicsData{Group: g, Scope: sc, Starter: s.I18n.Localizer(g.Lang).T(peercircle.EthicsStarter(g.Kind))}
	if e, err := s.Store.CurrentEthics(ctx, g.ID); err == nil {
		d.Ethics = e
		d.Acknowledged, _ = s.Store.Acknowledged(ctx, e.ID, principal(r).PersonID)
	}
	// Who has not acknowledged: for the facilitators and organisers only.
	if peercircle.Can(principal(r), peercircle.ActManageMembership, sc) {
		ids, err := s.Store.NotAcknowledged(ctx, g.ID)
		if err != nil {
			return nil, err
		}
		nm := s.names(ctx)
		for _, id := range ids {
			nm.want(g.ID, id)
		}
		nm.load()
		for _, id := range ids {
			d.NotAcknowledged = append(d.NotAcknowledged, nm.of(g.ID, id))
		}
	}
	p := s.page(r, "ethics.title", d)
	body := d.Starter
	if d.Ethics != nil {
		body = d.Ethics.Body
	}
	p.Form = map[string][]string{"body": {body}}
	return p, nil
}

// ethicsShow shows the code of ethics in force, printable, with the
// member's acknowledgement and, for facilitators, who has not yet.
func (s *Server) ethicsShow(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActViewGroup)
	if !ok {
		return
	}
	p, err := s.ethicsPage(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "ethics", p)
}

// ethicsSave adds a new version written with the group.
func (s *Server) ethicsSave(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	c := &peercircle.CodeOfEthics{GroupID: sc.GroupID, Body: r.PostFormValue("body"), AuthorID: principal(r).PersonID}
	if err := s.Store.SaveEthics(r.Context(), c); err != nil {
		p, perr := s.ethicsPage(r, sc)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "ethics", p, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, "/ethics"), "flash.ethics_saved")
}

func (s *Server) ethicsAcknowledge(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	// Only this group's version in force can be acknowledged here.
	cur, err := s.Store.CurrentEthics(r.Context(), sc.GroupID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if v := formID(r, "version"); v != 0 && v != cur.ID {
		s.renderErr(w, r, peercircle.Errorf(peercircle.ECONFLICT, "ethics.not_current", "version %d is not in force in group %d", v, sc.GroupID))
		return
	}
	if err := s.Store.Acknowledge(r.Context(), cur.ID, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, "/ethics"), "flash.ethics_acknowledged")
}

// --- Joining and orientation ---

type joinData struct {
	Group      *peercircle.Group
	Site       *peercircle.Site
	Membership *peercircle.Membership
	When       string
	Venue      *peercircle.Venue
	CanJoin    bool
}

// joinable loads a group for someone who may not be in it yet: they see
// it when they could ask to join, or when they already asked.
func (s *Server) joinable(w http.ResponseWriter, r *http.Request) (*joinData, bool) {
	id, ok := pathID(r, "group")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	ctx := r.Context()
	g, err := s.Store.Group(ctx, id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	me, err := s.Store.Person(ctx, principal(r).PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	d := &joinData{Group: g, CanJoin: g.OpenToJoin(me)}
	if m, err := s.Store.Membership(ctx, g.ID, me.ID); err == nil {
		d.Membership = m
	}
	if !d.CanJoin && d.Membership == nil {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	if d.Site, err = s.Store.Site(ctx, g.SiteID); err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	if gs, err := s.Store.GroupScheduleOf(ctx, g.ID); err == nil {
		d.When = describeSchedule(gs, s.loc(r))
	}
	if g.VenueID != 0 {
		d.Venue, _ = s.Store.Venue(ctx, g.VenueID)
	}
	return d, true
}

// joinShow is where a person asks to join a group (or joins an open one).
func (s *Server) joinShow(w http.ResponseWriter, r *http.Request) {
	d, ok := s.joinable(w, r)
	if !ok {
		return
	}
	s.render(w, r, "join", s.page(r, "join.title", d))
}

func (s *Server) joinSave(w http.ResponseWriter, r *http.Request) {
	d, ok := s.joinable(w, r)
	if !ok {
		return
	}
	out, err := s.Store.RequestToJoin(r.Context(), d.Group.ID, principal(r).PersonID)
	if err != nil {
		if c := peercircle.ErrorCode(err); c == peercircle.EINVALID || c == peercircle.ECONFLICT {
			p := s.page(r, "join.title", d)
			p.Error = peercircle.ErrorKey(err)
			s.renderStatus(w, r, http.StatusConflict, "join", p)
			return
		}
		s.renderErr(w, r, err)
		return
	}
	if out == peercircle.JoinedOpen {
		s.redirect(w, r, groupPath(d.Group.ID, ""), "flash.joined")
		return
	}
	s.redirect(w, r, groupPath(d.Group.ID, "/orientation"), "flash.join_requested")
}

type orientationData struct {
	Group      *peercircle.Group
	Site       *peercircle.Site
	Membership *peercircle.Membership
	When       string
	Next       []meetingView
	Venue      *peercircle.Venue
	Contacts   []string
	OrientedBy string
	Ethics     []string
	Agenda     *peercircle.AgendaTemplate
}

// orientation is the pack a newcomer sees (001, "New members"): who to
// contact, meeting times, duration and venue, values and confidentiality,
// punctuality and confirming attendance, how meetings run and what the
// facilitator does, and what peer support is.
func (s *Server) orientation(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "group")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	p := principal(r)
	sc, err := s.Store.GroupScope(ctx, id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	m, merr := s.Store.Membership(ctx, id, p.PersonID)
	waiting := merr == nil && m.Pending()
	if !waiting && !s.allow(w, r, peercircle.ActViewGroup, sc) {
		return
	}
	g, err := s.Store.Group(ctx, id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := &orientationData{Group: g}
	if merr == nil {
		d.Membership = m
	}
	if d.Site, err = s.Store.Site(ctx, g.SiteID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	if gs, err := s.Store.GroupScheduleOf(ctx, g.ID); err == nil {
		d.When = describeSchedule(gs, s.loc(r))
	}
	if g.VenueID != 0 {
		d.Venue, _ = s.Store.Venue(ctx, g.VenueID)
	}
	if sessions, err := s.Store.Sessions(ctx, peercircle.SessionFilter{GroupID: g.ID, From: s.now(), Statuses: []string{peercircle.SessionPlanned}, Limit: 1}); err == nil {
		d.Next, _ = s.meetingViews(r, 0, sessions)
	}
	nm := s.names(ctx)
	if ms, err := s.Store.Memberships(ctx, g.ID); err == nil {
		for _, mm := range ms {
			if mm.Role == peercircle.RoleFacilitator && mm.Status == peercircle.MemberActive {
				d.Contacts = append(d.Contacts, nm.of(g.ID, mm.PersonID))
			}
		}
	}
	if d.Membership != nil && d.Membership.OrientedBy != 0 {
		if q, err := s.Store.Person(ctx, d.Membership.OrientedBy); err == nil {
			d.OrientedBy = q.Name()
		}
	}
	if e, err := s.Store.CurrentEthics(ctx, g.ID); err == nil {
		d.Ethics = e.Principles()
	}
	if g.AgendaTemplateID != 0 {
		d.Agenda, _ = s.Store.Template(ctx, g.AgendaTemplateID)
	}
	s.render(w, r, "orientation", s.page(r, "orientation.title", d))
}

// --- Managing membership (facilitators and organisers) ---

type membersData struct {
	Group    *peercircle.Group
	Scope    peercircle.Scope
	Waiting  []memberLine
	Current  []memberLine
	Former   []memberLine
	NotAcked []string
	// Candidates are the site's people not in the group, to add, and the
	// same as a picker.
	Candidates []*peercircle.Person
	Picker     []pickSite
	// JoinLink is the group's join page, to share; InviteLink the
	// invitation of a person just added.
	JoinLink, InviteLink string
}

type memberLine struct {
	M          *peercircle.Membership
	Name       string
	OrientedBy string
	Acked      bool
	Offers     []string
	Consents   []string
	Contact    string // the address, only with the member's consent to be contacted
	// Public is the request of someone who asked from the group's public
	// join page: only what they chose to give (public_join.go).
	Public     *peercircle.JoinRequest
	PublicWhen string // the meeting they said they will come to
}

// members is the facilitators' and organiser's view of the membership:
// requests waiting (orientation, decision), members with their leave, the
// code of ethics acknowledgements, volunteer offers and how to reach them.
func (s *Server) members(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	d, err := s.membersData(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "members", s.page(r, "members.title", d))
}

// membersData reads the members page: who waits, who is in, who left, who
// can be added, and the link to share for joining.
func (s *Server) membersData(r *http.Request, sc peercircle.Scope) (*membersData, error) {
	ctx := r.Context()
	g, err := s.Store.Group(ctx, sc.GroupID)
	if err != nil {
		return nil, err
	}
	ms, err := s.Store.Memberships(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	notAcked, err := s.Store.NotAcknowledged(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	offers, _ := s.Store.Offers(ctx, g.ID)
	nm := s.names(ctx)
	for _, m := range ms {
		nm.want(g.ID, m.PersonID)
		nm.want(g.ID, m.OrientedBy)
	}
	nm.load()
	d := &membersData{Group: g, Scope: sc, JoinLink: s.absURL(groupPath(g.ID, "/join"))}
	read := 0
	public, err := s.Store.PublicRequests(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	// People of the site not in the group, to add by name.
	site, _, err := s.Store.FindPeople(ctx, peercircle.PersonFilter{SiteID: g.SiteID, Limit: 500})
	if err != nil {
		return nil, err
	}
	inGroup := map[int64]bool{}
	for _, m := range ms {
		inGroup[m.PersonID] = m.Current() || m.Pending()
	}
	for _, p := range site {
		if !inGroup[p.ID] && p.Status != peercircle.PersonDisabled {
			d.Candidates = append(d.Candidates, p)
		}
	}
	if d.Picker, err = s.picker(ctx, d.Candidates); err != nil {
		return nil, err
	}
	for _, m := range ms {
		l := memberLine{M: m, Name: nm.of(g.ID, m.PersonID), Acked: !slices.Contains(notAcked, m.PersonID)}
		if m.OrientedBy != 0 {
			l.OrientedBy = nm.of(g.ID, m.OrientedBy)
		}
		for _, o := range offers {
			if o.PersonID == m.PersonID {
				l.Offers = append(l.Offers, o.Role)
			}
		}
		switch {
		case m.Pending():
			if l.Public = public[m.ID]; l.Public != nil {
				if l.Public.Contact.Address != "" {
					read++
				}
				if t := l.Public.SessionStart; t != nil {
					l.PublicWhen = s.meetingWhen(r, g, *t)
				}
			}
			d.Waiting = append(d.Waiting, l)
		case m.Current():
			cs, _ := s.Store.Consents(ctx, m.ID)
			for _, c := range cs {
				if c.Active() {
					l.Consents = append(l.Consents, c.Kind)
				}
			}
			if m.Contact.Channel != "" && slices.Contains(l.Consents, peercircle.ConsentContact) {
				if addr, err := s.Store.ContactAddress(ctx, m.ID); err == nil {
					l.Contact = addr
					read++
				}
			}
			if !l.Acked {
				d.NotAcked = append(d.NotAcked, l.Name)
			}
			d.Current = append(d.Current, l)
		default:
			d.Former = append(d.Former, l)
		}
	}
	if read > 0 {
		_ = s.Store.Audit(ctx, &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "membership.contacts.read", TargetKind: "group", TargetID: g.ID,
			Detail: "count=" + strconv.Itoa(read)})
	}
	return d, nil
}

// memberAdd is the organiser bringing someone into the group: a person of
// the site chosen by name, or a new person (with an invitation link to hand
// over when they have a username or e-mail). They start in orientation.
func (s *Server) memberAdd(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	var newPerson *peercircle.Person
	personID := formID(r, "person")
	if personID == 0 {
		newPerson = &peercircle.Person{FullName: r.PostFormValue("full_name"), Email: r.PostFormValue("email"),
			Username: r.PostFormValue("username"), Lang: r.PostFormValue("lang")}
	}
	_, token, err := s.Store.AddMember(r.Context(), sc.GroupID, personID, newPerson, principal(r).PersonID)
	d, derr := s.membersData(r, sc)
	if derr != nil {
		s.renderErr(w, r, derr)
		return
	}
	if err != nil {
		if c := peercircle.ErrorCode(err); c == peercircle.EINVALID || c == peercircle.ECONFLICT {
			s.formError(w, r, "members", s.page(r, "members.title", d), err)
			return
		}
		s.renderErr(w, r, err)
		return
	}
	if token != "" {
		d.InviteLink = s.absURL("/invite/" + token)
	}
	p := s.page(r, "members.title", d)
	p.Flash = "flash.member_added"
	s.render(w, r, "members", p)
}

func (s *Server) membershipOrient(w http.ResponseWriter, r *http.Request) {
	m, sc, ok := s.membershipScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	if err := s.Store.ArrangeOrientation(r.Context(), m.ID, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, "/members"), "flash.orientation_arranged")
}

// membershipDecide accepts or declines a request; the person gets a kind
// message either way.
func (s *Server) membershipDecide(w http.ResponseWriter, r *http.Request) {
	m, sc, ok := s.membershipScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	accept := r.PostFormValue("decision") == "accept"
	if err := s.Store.DecideMembership(r.Context(), m.ID, accept, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	flash := "flash.member_declined"
	if accept {
		flash = "flash.member_accepted"
	}
	s.redirect(w, r, groupPath(sc.GroupID, "/members"), flash)
}

func (s *Server) membershipLeave(w http.ResponseWriter, r *http.Request) {
	m, sc, ok := s.membershipScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	if err := s.Store.SetLeave(r.Context(), m.ID, r.PostFormValue("on_leave") != "", r.PostFormValue("until")); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, "/members"), "flash.saved")
}

// --- The member's own page for a group ---

type mineData struct {
	Group      *peercircle.Group
	Scope      peercircle.Scope
	Membership *peercircle.Membership
	Consents   []*peercircle.Consent
	Active     map[string]bool
	Offers     map[string]bool
	Channels   []string
	Kinds      []string
	Roles      []string
	FeedURL    string
}

func (s *Server) minePage(r *http.Request, sc peercircle.Scope) (*Page, error) {
	ctx := r.Context()
	p := principal(r)
	g, err := s.Store.Group(ctx, sc.GroupID)
	if err != nil {
		return nil, err
	}
	m, err := s.Store.Membership(ctx, g.ID, p.PersonID)
	if err != nil {
		return nil, err
	}
	d := &mineData{Group: g, Scope: sc, Membership: m, Active: map[string]bool{}, Offers: map[string]bool{},
		Channels: peercircle.Channels, Kinds: peercircle.ConsentKinds, Roles: peercircle.VolunteerRoles}
	if d.Consents, err = s.Store.Consents(ctx, m.ID); err != nil {
		return nil, err
	}
	for _, c := range d.Consents {
		if c.Active() {
			d.Active[c.Kind] = true
		}
	}
	offers, err := s.Store.Offers(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range offers {
		if o.PersonID == p.PersonID {
			d.Offers[o.Role] = true
		}
	}
	if f, err := s.Store.CalendarFeed(ctx, p.PersonID, g.ID); err == nil {
		d.FeedURL = s.feedURL(f.Token)
	}
	page := s.page(r, "mine.title", d)
	addr, _ := s.Store.ContactAddress(ctx, m.ID)
	page.Form = map[string][]string{"display_name": {m.DisplayName}, "contact_channel": {m.Contact.Channel}, "contact_address": {addr}, "until": {m.LeaveUntil}}
	if m.Unlisted {
		page.Form["unlisted"] = []string{"1"}
	}
	return page, nil
}

// mine is a member's own page for one group: the name the group calls
// them, how to reach them, consents, what they offer to do, a break, the
// calendar link, and leaving.
func (s *Server) mine(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	p, err := s.minePage(r, sc)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "mine", p)
}

func (s *Server) mineSave(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	m, err := s.Store.Membership(r.Context(), sc.GroupID, principal(r).PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	m.DisplayName = r.PostFormValue("display_name")
	m.Unlisted = r.PostFormValue("unlisted") != ""
	m.Contact = peercircle.Contact{Channel: r.PostFormValue("contact_channel"), Address: peercircleDigits(r.PostFormValue("contact_address"))}
	if err := s.Store.UpdateMembershipPrefs(r.Context(), m); err != nil {
		p, perr := s.minePage(r, sc)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "mine", p, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, "/me"), "flash.saved")
}

func (s *Server) mineConsent(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	m, err := s.Store.Membership(r.Context(), sc.GroupID, principal(r).PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	kind := r.PostFormValue("kind")
	if r.PostFormValue("give") != "" {
		err = s.Store.GiveConsent(r.Context(), m.ID, kind)
	} else {
		err = s.Store.WithdrawConsent(r.Context(), m.ID, kind)
	}
	if err != nil && peercircle.ErrorCode(err) != peercircle.ECONFLICT {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, "/me")+"#consent", "flash.saved")
}

// mineVolunteer saves what the member offers to do in turn (001: only
// what they are comfortable with).
func (s *Server) mineVolunteer(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	if err := s.Store.SetOffers(r.Context(), sc.GroupID, principal(r).PersonID, r.PostForm["role"]); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, ""), "flash.offers_saved")
}

func (s *Server) mineLeave(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	m, err := s.Store.Membership(r.Context(), sc.GroupID, principal(r).PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	until := strings.TrimSpace(peercircleDigits(r.PostFormValue("until")))
	if err := s.Store.SetLeave(r.Context(), m.ID, r.PostFormValue("on_leave") != "", until); err != nil {
		p, perr := s.minePage(r, sc)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "mine", p, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, "/me"), "flash.saved")
}

func (s *Server) mineQuit(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") == "" {
		p, err := s.minePage(r, sc)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		s.formError(w, r, "mine", p, peercircle.FieldErrors{"confirm": "mine.quit_confirm_needed"}.Err())
		return
	}
	m, err := s.Store.Membership(r.Context(), sc.GroupID, principal(r).PersonID)
	if err == nil {
		err = s.Store.LeaveGroup(r.Context(), m.ID)
	}
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/", "flash.left_group")
}
