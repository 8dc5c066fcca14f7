package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
)

func (s *Server) peopleRoutes() {
	s.handle("GET /people", s.peopleList)
	s.handle("POST /people", s.personCreate)
	s.handle("GET /people/{person}", s.personShow)
	s.handle("POST /people/{person}", s.personUpdate)
	s.handle("POST /people/{person}/messages", s.personMessages)
	s.handle("POST /people/{person}/invite", s.personInvite)
	s.handle("POST /people/{person}/grants", s.grantAdd)
	s.handle("POST /people/{person}/grants/{grant}/delete", s.grantRemove)
}

type peopleData struct {
	People []*peercircle.Person
	Rows   []personRow // People as the list shows them
	Total  int
	Query  string
	Sites  []peercircle.Site // sites the viewer may add people to
	Tree   *peercircle.Tree
	Link   string // a fresh invitation link to hand over
	// Paging: PageNo of Pages, PeoplePerPage a page, found by key (the
	// people after or before a person in name order; a plain page number
	// from an older link is still followed).
	PageNo, Pages int
}

// PeoplePerPage is how many people the people list shows at once.
const PeoplePerPage = 50

// NextLink is the list's address for the page after this one, keeping the
// search: the people after the last one shown.
func (d *peopleData) NextLink() string {
	if len(d.People) == 0 {
		return d.pageLink(d.PageNo+1, "", 0)
	}
	return d.pageLink(d.PageNo+1, "after", d.People[len(d.People)-1].ID)
}

// PrevLink is the address of the page before: the people before the first
// one shown (the first page plainly).
func (d *peopleData) PrevLink() string {
	if d.PageNo <= 2 || len(d.People) == 0 {
		return d.pageLink(1, "", 0)
	}
	return d.pageLink(d.PageNo-1, "before", d.People[0].ID)
}

func (d *peopleData) pageLink(n int, key string, id int64) string {
	v := url.Values{}
	if d.Query != "" {
		v.Set("q", d.Query)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
		if key != "" {
			v.Set(key, strconv.FormatInt(id, 10))
		}
	}
	if len(v) == 0 {
		return "/people"
	}
	return "/people?" + v.Encode()
}

// inviteSites lists the sites where p may invite people. Each site's scope
// is built from a map of the areas (Tree.SiteScope looks a site up among
// all of them: 300 sites made that 90 000 steps on every people page).
func inviteSites(p *peercircle.Principal, t *peercircle.Tree) []peercircle.Site {
	regionOf := make(map[int64]int64, len(t.Areas))
	for _, a := range t.Areas {
		regionOf[a.ID] = a.RegionID
	}
	var out []peercircle.Site
	for _, st := range t.Sites {
		region, ok := regionOf[st.AreaID]
		if ok && peercircle.Can(p, peercircle.ActInvite, peercircle.Scope{RegionID: region, AreaID: st.AreaID, SiteID: st.ID}) {
			out = append(out, st)
		}
	}
	return out
}

func (s *Server) peopleData(r *http.Request) (*peopleData, error) {
	p := principal(r)
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		return nil, err
	}
	d := &peopleData{Tree: tree, Sites: inviteSites(p, tree), Query: r.URL.Query().Get("q"), PageNo: 1}
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n > 1 && n < 100000 {
		d.PageNo = n
	}
	f := peercircle.PersonFilter{Query: d.Query, Limit: PeoplePerPage}
	q := r.URL.Query()
	if id, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil && id > 0 && d.PageNo > 1 {
		f.After = id
	} else if id, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && id > 0 && d.PageNo > 1 {
		f.Before = id
	} else {
		f.Offset = (d.PageNo - 1) * PeoplePerPage
	}
	if !peercircle.Can(p, peercircle.ActAdmin, peercircle.Scope{}) {
		if len(d.Sites) == 0 {
			return d, nil
		}
		for _, st := range d.Sites {
			f.SiteIDs = append(f.SiteIDs, st.ID)
		}
	}
	if d.People, d.Total, err = s.Store.FindPeople(r.Context(), f); err != nil {
		return nil, err
	}
	d.Pages = max(1, (d.Total+PeoplePerPage-1)/PeoplePerPage)
	d.PageNo = min(d.PageNo, d.Pages)
	ids := make([]int64, len(d.People))
	for i, person := range d.People {
		ids[i] = person.ID
	}
	roles, err := s.Store.RolesOf(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	d.Rows = personRows(s.loc(r), d.People, roles)
	return d, nil
}

// personRow is one line of the people list, with its roles and state in
// the page's language: fifty lines of lookups and calls in the template
// were a fifth of the page's allocations. Its fields are its own (a template
// finds a field of an embedded struct by a search that allocates).
type personRow struct {
	ID                    int64
	FullName, DisplayName string
	Login                 string // the username, or else the email address
	RoleNames             string // "" for none
	StatusName            string
}

func personRows(l *i18n.Localizer, people []*peercircle.Person, roles map[int64][]string) []personRow {
	rows := make([]personRow, len(people))
	var b strings.Builder
	for i, p := range people {
		b.Reset()
		for j, role := range roles[p.ID] {
			if j > 0 {
				b.WriteString(l.ListSep())
			}
			b.WriteString(l.T("role." + role))
		}
		rows[i] = personRow{
			ID: p.ID, FullName: p.FullName, DisplayName: p.DisplayName, Login: cmp.Or(p.Username, p.Email),
			RoleNames: b.String(), StatusName: l.T("people.status." + string(p.Status)),
		}
	}
	return rows
}

// peopleList shows admins everyone and organisers the people of their sites.
func (s *Server) peopleList(w http.ResponseWriter, r *http.Request) {
	d, err := s.peopleData(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if len(d.Sites) == 0 {
		s.renderError(w, r, http.StatusForbidden)
		return
	}
	s.render(w, r, "people", s.page(r, "people.title", d))
}

// personCreate adds someone at a site and makes an invitation link the
// organiser can send by the person's preferred channel.
func (s *Server) personCreate(w http.ResponseWriter, r *http.Request) {
	siteID := formID(r, "site")
	sc, err := s.Store.SiteScope(r.Context(), siteID)
	if err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		s.renderErr(w, r, err)
		return
	}
	if !s.allow(w, r, peercircle.ActInvite, sc) {
		return
	}
	p := &peercircle.Person{
		FullName: r.PostFormValue("full_name"), DisplayName: r.PostFormValue("display_name"),
		Email: r.PostFormValue("email"), Username: r.PostFormValue("username"),
		Lang: r.PostFormValue("lang"), HomeSiteID: siteID, Status: peercircle.PersonInvited,
	}
	err = s.Store.CreatePerson(r.Context(), p)
	var token string
	if err == nil {
		token, err = s.Store.CreateInvitation(r.Context(), p.ID, principal(r).PersonID)
	}
	d, derr := s.peopleData(r)
	if derr != nil {
		s.renderErr(w, r, derr)
		return
	}
	if err != nil {
		s.formError(w, r, "people", s.page(r, "people.title", d), err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "person.invite", TargetKind: "person", TargetID: p.ID})
	d.Link = s.absURL("/invite/" + token)
	pg := s.page(r, "people.title", d)
	pg.Flash = "flash.person_invited"
	s.render(w, r, "people", pg)
}

type personData struct {
	Person    *peercircle.Person
	Grants    []peercircle.Grant
	Tree      *peercircle.Tree
	Admin     bool
	Link      string
	Roles     []string
	Statuses  []string
	HomeScope peercircle.Scope
	// SecondFactor: the person set up a second factor (admins may reset it).
	SecondFactor bool
	// How they asked to hear from the programme, set for them by whoever
	// met them (001's sign-up sheet): phone and usual channel.
	Reach    *peercircle.MessageSettings
	Channel  string
	Channels []string
}

// personScope loads the {person} and checks that the viewer may manage
// them: admins anyone, organisers the people of their sites.
func (s *Server) personScope(w http.ResponseWriter, r *http.Request) (*peercircle.Person, bool) {
	id, ok := pathID(r, "person")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	p, err := s.Store.Person(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	var sc peercircle.Scope
	if p.HomeSiteID != 0 {
		if sc, err = s.Store.SiteScope(r.Context(), p.HomeSiteID); err != nil {
			s.renderErr(w, r, err)
			return nil, false
		}
	}
	if !peercircle.Can(principal(r), peercircle.ActAdmin, peercircle.Scope{}) && !s.allow(w, r, peercircle.ActInvite, sc) {
		return nil, false
	}
	return p, true
}

func (s *Server) personPage(r *http.Request, p *peercircle.Person, link string) (*Page, error) {
	grants, err := s.Store.Grants(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		return nil, err
	}
	_, ferr := s.Store.SecondFactor(r.Context(), p.ID)
	if ferr != nil && peercircle.ErrorCode(ferr) != peercircle.ENOTFOUND {
		return nil, ferr
	}
	reach, err := s.Store.MessageSettings(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	prefs, err := s.Store.NotifyPrefs(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	d := personData{Person: p, Grants: grants, Tree: tree, Link: link, SecondFactor: ferr == nil, Reach: reach, Channel: prefs["*"], Channels: s.messageChoices(),
		Admin:    peercircle.Can(principal(r), peercircle.ActAdmin, peercircle.Scope{}),
		Roles:    []string{peercircle.RoleTrainer, peercircle.RoleSupervisor, peercircle.RoleOrganiser, peercircle.RoleCoordinator, peercircle.RoleAdmin},
		Statuses: []string{peercircle.PersonInvited, peercircle.PersonActive, peercircle.PersonDisabled, peercircle.PersonNoLogin}}
	return s.page(r, "person.title", d), nil
}

func (s *Server) personShow(w http.ResponseWriter, r *http.Request) {
	p, ok := s.personScope(w, r)
	if !ok {
		return
	}
	pg, err := s.personPage(r, p, "")
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "person", pg)
}

// personUpdate edits a person's details under the field rules
// (peercircle.PlanPersonChange): a field the viewer may not change refuses
// the form, and another person's e-mail becomes a proposal the owner
// confirms.
func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.personScope(w, r)
	if !ok {
		return
	}
	_ = r.ParseForm()
	next := map[string]string{}
	for _, f := range []string{peercircle.FieldFullName, peercircle.FieldDisplayName, peercircle.FieldEmail, peercircle.FieldUsername, peercircle.FieldStatus} {
		if _, sent := r.PostForm[f]; sent {
			next[f] = r.PostFormValue(f)
		}
	}
	t, tree, err := s.personTarget(r, p)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	ch, err := peercircle.PlanPersonChange(principal(r), t, tree, p, next)
	if err == nil {
		err = s.Store.UpdatePerson(r.Context(), ch.Person)
	}
	if err == nil && ch.ProposedEmail != "" {
		_, err = s.Store.ProposeEmail(r.Context(), p.ID, principal(r).PersonID, ch.ProposedEmail)
	}
	if err != nil {
		pg, perr := s.personPage(r, p, "")
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "person", pg, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "person.update", TargetKind: "person", TargetID: p.ID})
	flash := "flash.saved"
	if ch.ProposedEmail != "" {
		_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "person.email_proposed", TargetKind: "person", TargetID: p.ID})
		flash = "flash.email_proposed"
	}
	s.redirect(w, r, "/people/"+strconv.FormatInt(p.ID, 10), flash)
}

// personInvite makes a new invitation link (the old one stops working).
func (s *Server) personInvite(w http.ResponseWriter, r *http.Request) {
	p, ok := s.personScope(w, r)
	if !ok {
		return
	}
	token, err := s.Store.CreateInvitation(r.Context(), p.ID, principal(r).PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "person.invite", TargetKind: "person", TargetID: p.ID})
	pg, err := s.personPage(r, p, s.absURL("/invite/"+token))
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "person", pg)
}

// grantAdd gives a role in a scope; admins only. The scope field reads
// "kind:id", e.g. "site:4" or "organisation:0".
func (s *Server) grantAdd(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	p, ok := s.personScope(w, r)
	if !ok {
		return
	}
	kind, idText, _ := strings.Cut(r.PostFormValue("scope"), ":")
	sid, _ := strconv.ParseInt(idText, 10, 64)
	g := &peercircle.Grant{PersonID: p.ID, Role: r.PostFormValue("role"), ScopeKind: kind, ScopeID: sid}
	if err := s.Store.AddGrant(r.Context(), g); err != nil {
		pg, perr := s.personPage(r, p, "")
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		s.formError(w, r, "person", pg, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "grant.add", TargetKind: "person", TargetID: p.ID, Detail: g.Role + " " + g.ScopeKind})
	s.redirect(w, r, "/people/"+strconv.FormatInt(p.ID, 10), "flash.saved")
}

func (s *Server) grantRemove(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	p, ok := s.personScope(w, r)
	if !ok {
		return
	}
	gid, _ := pathID(r, "grant")
	grants, err := s.Store.Grants(r.Context(), p.ID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	found := false
	for _, g := range grants {
		found = found || g.ID == gid
	}
	if !found {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if err := s.Store.RemoveGrant(r.Context(), gid); err != nil {
		s.renderErr(w, r, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "grant.remove", TargetKind: "person", TargetID: p.ID})
	s.redirect(w, r, "/people/"+strconv.FormatInt(p.ID, 10), "flash.saved")
}

// personMessages sets how someone hears from the programme, for a person
// who said so in person (guidance 001's sign-up sheet): their mobile
// number and usual channel. The change is audited; the person can change
// it on their profile.
func (s *Server) personMessages(w http.ResponseWriter, r *http.Request) {
	p, ok := s.personScope(w, r)
	if !ok {
		return
	}
	reach, err := s.Store.MessageSettings(r.Context(), p.ID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	reach.Phone = r.PostFormValue("phone")
	ch := r.PostFormValue("channel")
	fields := peercircle.ErrorFields(reach.Validate())
	if fields == nil {
		fields = map[string]string{}
	}
	switch {
	case ch != "" && !slices.Contains(s.messageChoices(), ch):
		fields["channel"] = "error.choice"
	case (ch == peercircle.ChannelSMS || ch == peercircle.ChannelWhatsApp) && reach.Phone == "" && fields["phone"] == "":
		fields["phone"] = "prefs.error.phone_needed"
	}
	if len(fields) > 0 {
		pg, err := s.personPage(r, p, "")
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d := pg.Data.(personData)
		d.Reach.Phone, d.Channel = r.PostFormValue("phone"), ch
		pg.Data, pg.Errors = d, fields
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "person", pg)
		return
	}
	if err := s.Store.SaveMessageSettings(r.Context(), reach); err != nil {
		s.renderErr(w, r, err)
		return
	}
	if err := s.Store.SetNotifyPref(r.Context(), p.ID, "*", ch); err != nil {
		s.renderErr(w, r, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "person.messages_set", TargetKind: "person", TargetID: p.ID})
	s.redirect(w, r, "/people/"+strconv.FormatInt(p.ID, 10)+"#messages", "flash.saved")
}
