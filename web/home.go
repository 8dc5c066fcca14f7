package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/peercircle/peercircle"
)

func (s *Server) homeRoutes() {
	s.handle("GET /{$}", s.home)
	s.handle("GET /groups", s.myGroups)
	s.handle("GET /notifications", s.notifications)
	s.handle("POST /notifications/read", s.notificationsRead)
	s.handle("GET /profile", s.profile)
	s.handle("POST /profile", s.profileSave)
	s.handle("POST /profile/messages", s.profileMessages)
}

// homeData is the member home: their groups and, by role, their places.
type homeData struct {
	Groups []*peercircle.Group
	// Now are the meetings that are on (running, or in their time and
	// about to start) that the person takes part in or may run: the home
	// leads straight into them.
	Now []meetingView
	// Next is the person's next meeting (the member home's first card);
	// Later are the ones after it.
	Next  *meetingView
	Later []meetingView
	Roles []string
	Sites []peercircle.Site
	Areas []peercircle.Area
	Tree  *peercircle.Tree
	// Growth is the "My growth" section (growth.go).
	Growth *growthData
	// Complaints counts the complaints waiting for the person (received,
	// not yet answered) when they handle complaints; -1 when they do not.
	Complaints int
}

// complaintHandler reports whether p may be routed complaints: organisers
// (their sites), coordinators (their areas) and admins.
func complaintHandler(p *peercircle.Principal) bool {
	return p.HasRole(peercircle.RoleOrganiser) || p.HasRole(peercircle.RoleCoordinator) || p.HasRole(peercircle.RoleAdmin)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	placed, err := s.Store.GroupsInPlaceOf(r.Context(), p.PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := homeData{Roles: p.Roles()}
	for _, in := range placed {
		d.Groups = append(d.Groups, in.Group)
	}
	if err := s.nextMeetings(r, &d, placed); err != nil {
		s.renderErr(w, r, err)
		return
	}
	if p.HasRole(peercircle.RoleOrganiser) || p.HasRole(peercircle.RoleCoordinator) {
		tree, err := s.Store.Tree(r.Context())
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.Tree = tree
		d.Sites = sitesOrganised(p, tree)
		d.Areas = areasCoordinated(p, tree)
	}
	d.Growth = s.homeGrowth(r, p)
	d.Complaints = -1
	if complaintHandler(p) {
		tree := d.Tree
		if tree == nil {
			if tree, err = s.Store.Tree(r.Context()); err != nil {
				s.renderErr(w, r, err)
				return
			}
		}
		list, err := s.complaintsFor(r.Context(), p, tree)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.Complaints = 0
		for _, c := range list {
			if c.State == peercircle.ComplaintReceived {
				d.Complaints++
			}
		}
	}
	s.render(w, r, "home", s.page(r, "home.title", d))
}

// groupsData is the groups page: the person's own groups and, for an
// organiser, every group of their sites, forming ones included, so a new
// group is found before anyone is in it.
type groupsData struct {
	Mine []*peercircle.Group
	Run  []siteGroups
}

type siteGroups struct {
	Site   *peercircle.Site
	Groups []*peercircle.Group
}

func (s *Server) myGroups(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	groups, err := s.Store.GroupsOf(ctx, p.PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := groupsData{Mine: groups}
	for _, g := range p.Grants {
		if g.Role != peercircle.RoleOrganiser || g.ScopeKind != peercircle.ScopeSite {
			continue
		}
		site, err := s.Store.Site(ctx, g.ScopeID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		at, err := s.Store.GroupsAtSite(ctx, g.ScopeID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.Run = append(d.Run, siteGroups{Site: site, Groups: at})
	}
	s.render(w, r, "groups", s.page(r, "groups.title", d))
}

// pathID reads a numeric path value; anything else is "not found".
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// groupScope loads the scope of the {group} in the path and checks the
// action. It writes the error page and returns false when refused.
func (s *Server) groupScope(w http.ResponseWriter, r *http.Request, a peercircle.Action) (peercircle.Scope, bool) {
	id, ok := pathID(r, "group")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return peercircle.Scope{}, false
	}
	sc, err := s.Store.GroupScope(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return sc, false
	}
	return sc, s.allow(w, r, a, sc)
}

// loadGroup is groupScope with the group and its site, read together.
func (s *Server) loadGroup(w http.ResponseWriter, r *http.Request, a peercircle.Action) (*peercircle.GroupInPlace, bool) {
	id, ok := pathID(r, "group")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	in, err := s.Store.GroupInPlace(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	return in, s.allow(w, r, a, in.Scope)
}

// siteScope is groupScope for {site}.
func (s *Server) siteScope(w http.ResponseWriter, r *http.Request, a peercircle.Action) (peercircle.Scope, bool) {
	id, ok := pathID(r, "site")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return peercircle.Scope{}, false
	}
	sc, err := s.Store.SiteScope(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return sc, false
	}
	return sc, s.allow(w, r, a, sc)
}

// allow asks the policy and writes a 403 page when the answer is no.
func (s *Server) allow(w http.ResponseWriter, r *http.Request, a peercircle.Action, sc peercircle.Scope) bool {
	if peercircle.Can(principal(r), a, sc) {
		return true
	}
	s.renderError(w, r, http.StatusForbidden)
	return false
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	ns, err := s.Store.Notifications(r.Context(), principal(r).PersonID, false, 100)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "notifications", s.page(r, "notifications.title", ns))
}

func (s *Server) notificationsRead(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err := s.Store.MarkRead(r.Context(), principal(r).PersonID, id); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/notifications", "")
}

type profileData struct {
	Person *peercircle.Person
	Grants []peercircle.Grant
	Tree   *peercircle.Tree
	// Pending is an e-mail someone else proposed, waiting for the owner.
	Pending *peercircle.EmailChange
	// Prefs are how the person hears from PeerCircle (kind → channel).
	Prefs map[string]string
	// Reach is their phone and quiet hours; Choices the channels offered.
	Reach   *peercircle.MessageSettings
	Choices []string
	Topics  []string
}

// Channels lists the choices for the profile's message form.
func (d *profileData) Channels() []string { return d.Choices }

// TopicChoice is the person's choice for a topic ("" for the default).
func (d *profileData) TopicChoice(topic string) string { return d.Prefs[peercircle.TopicPref(topic)] }

// messageChoices are the channels offered: the app, e-mail, and the
// channels an installation has a provider for (sms, whatsapp).
func (s *Server) messageChoices() []string {
	return append([]string{peercircle.ChannelInApp, peercircle.ChannelEmail}, s.Channels...)
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	d, err := s.profileData(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "profile", s.page(r, "profile.title", d))
}

func (s *Server) profileData(r *http.Request) (*profileData, error) {
	p, err := s.Store.Person(r.Context(), principal(r).PersonID)
	if err != nil {
		return nil, err
	}
	grants, err := s.Store.Grants(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		return nil, err
	}
	pending, err := s.Store.PendingEmail(r.Context(), p.ID)
	if err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		return nil, err
	}
	prefs, err := s.Store.NotifyPrefs(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	reach, err := s.Store.MessageSettings(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	return &profileData{Person: p, Grants: grants, Tree: tree, Pending: pending, Prefs: prefs, Reach: reach,
		Choices: s.messageChoices(), Topics: peercircle.MessageTopics}, nil
}

// profileSave lets a person change the name shown in their groups and
// their language.
func (s *Server) profileSave(w http.ResponseWriter, r *http.Request) {
	d, err := s.profileData(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d.Person.DisplayName = r.PostFormValue("display_name")
	d.Person.Lang = r.PostFormValue("lang")
	if err := s.Store.UpdatePerson(r.Context(), d.Person); err != nil {
		s.formError(w, r, "profile", s.page(r, "profile.title", d), err)
		return
	}
	s.redirect(w, r, "/profile", "flash.saved")
}

// sitesOrganised lists the sites a person organises.
func sitesOrganised(p *peercircle.Principal, t *peercircle.Tree) []peercircle.Site {
	var out []peercircle.Site
	for _, st := range t.Sites {
		if organisesSite(p, st.ID) {
			out = append(out, st)
		}
	}
	return out
}

func organisesSite(p *peercircle.Principal, siteID int64) bool {
	for _, g := range p.Grants {
		if g.Role == peercircle.RoleOrganiser && g.ScopeKind == peercircle.ScopeSite && g.ScopeID == siteID {
			return true
		}
	}
	return false
}

// areasCoordinated lists the areas a person can view as coordinator.
func areasCoordinated(p *peercircle.Principal, t *peercircle.Tree) []peercircle.Area {
	var out []peercircle.Area
	for _, a := range t.Areas {
		for _, g := range p.Grants {
			if g.Role == peercircle.RoleCoordinator &&
				((g.ScopeKind == peercircle.ScopeArea && g.ScopeID == a.ID) || (g.ScopeKind == peercircle.ScopeRegion && g.ScopeID == a.RegionID)) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// nextMeetings fills the home's first cards: the meetings that are on now
// (of the person's groups, and for organisers of their sites' groups),
// then the person's next meeting with their answer and role that day,
// and the three after it.
func (s *Server) nextMeetings(r *http.Request, d *homeData, placed []*peercircle.GroupInPlace) error {
	ctx := r.Context()
	p := principal(r)
	var ids []int64
	for _, g := range d.Groups {
		ids = append(ids, g.ID)
	}
	sessions, err := s.upcomingSessions(ctx, ids, 12)
	if err != nil {
		return err
	}
	lk := s.lookups(r)
	for _, in := range placed {
		lk.placed(in)
	}
	// An organiser may run any meeting at their sites (as substitute):
	// the ones on now are on their home too.
	now := s.now()
	seen := map[int64]bool{}
	for _, m := range sessions {
		seen[m.ID] = true
	}
	for _, g := range p.Grants {
		if g.Role != peercircle.RoleOrganiser || g.ScopeKind != peercircle.ScopeSite {
			continue
		}
		on, err := s.Store.Sessions(ctx, peercircle.SessionFilter{SiteID: g.ScopeID, From: now.Add(-peercircle.MaxSessionLength),
			To: now.Add(30 * time.Minute), Statuses: []string{peercircle.SessionPlanned, peercircle.SessionHeld}, Limit: 20})
		if err != nil {
			return err
		}
		for _, m := range on {
			if !seen[m.ID] {
				seen[m.ID] = true
				sessions = append(sessions, m)
			}
		}
	}
	slices.SortStableFunc(sessions, func(a, b *peercircle.Session) int { return a.PlannedStart.Compare(b.PlannedStart) })
	views, err := s.meetingViewsWith(r, lk, p.PersonID, sessions)
	if err != nil {
		return err
	}
	for _, v := range s.currentViews(views, len(views)) {
		if v.On && (v.CanRun || v.CanJoin) {
			d.Now = append(d.Now, v)
			continue
		}
		if !v.CanJoin && !v.CanRun {
			continue
		}
		if d.Next == nil {
			// The card is for answering ahead.
			if v.Session.Status == peercircle.SessionPlanned && v.Upcoming {
				d.Next = &v
			}
			continue
		}
		if len(d.Later) < 3 {
			d.Later = append(d.Later, v)
		}
	}
	return nil
}

// profileMessages saves how the person hears from PeerCircle: a phone
// number for SMS and WhatsApp, quiet hours, a default channel for every
// kind of message, a channel per topic, and one for meeting reminders.
// Nothing is saved unless all of it is right.
func (s *Server) profileMessages(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	reach := &peercircle.MessageSettings{PersonID: p.PersonID, Phone: r.PostFormValue("phone"),
		QuietStart: r.PostFormValue("quiet_start"), QuietEnd: r.PostFormValue("quiet_end")}
	fields := peercircle.ErrorFields(reach.Validate())
	if fields == nil {
		fields = map[string]string{}
	}
	choices := []struct{ field, kind string }{{"default", "*"}, {"reminders", peercircle.KindMeetingReminder}}
	for _, t := range peercircle.MessageTopics {
		choices = append(choices, struct{ field, kind string }{"topic_" + t, peercircle.TopicPref(t)})
	}
	offered := s.messageChoices()
	for _, c := range choices {
		ch := r.PostFormValue(c.field)
		switch {
		case ch != "" && !slices.Contains(offered, ch):
			fields[c.field] = "error.choice"
		case (ch == peercircle.ChannelSMS || ch == peercircle.ChannelWhatsApp) && reach.Phone == "" && fields["phone"] == "":
			fields["phone"] = "prefs.error.phone_needed"
		}
	}
	if len(fields) > 0 {
		d, err := s.profileData(r)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.Reach = reach
		for _, c := range choices {
			d.Prefs[c.kind] = r.PostFormValue(c.field)
		}
		pg := s.page(r, "profile.title", d)
		pg.Errors = fields
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "profile", pg)
		return
	}
	if err := s.Store.SaveMessageSettings(r.Context(), reach); err != nil {
		s.renderErr(w, r, err)
		return
	}
	for _, c := range choices {
		if err := s.Store.SetNotifyPref(r.Context(), p.PersonID, c.kind, r.PostFormValue(c.field)); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	s.redirect(w, r, "/profile#messages", "flash.saved")
}
