package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"

	"github.com/peercircle/peercircle"
)

// safetyRoutes are keeping everyone safe: the files of external support,
// members' requests for more support, and anonymous complaints. The
// "Need more support?" page (GET /support, in authRoutes) is their door;
// the group page links to the group's file. Nothing else in the navigation.
func (s *Server) safetyRoutes() {
	s.handle("GET /sites/{site}/support", s.siteSupportFile)
	s.handle("GET /sites/{site}/support/handout", s.siteSupportHandout)
	s.handle("POST /sites/{site}/support", s.siteResourceSave)
	s.handle("POST /sites/{site}/support/{resource}", s.siteResourceSave)
	s.handle("POST /sites/{site}/support/{resource}/delete", s.siteResourceDelete)
	s.handle("GET /groups/{group}/support", s.groupSupportFile)
	s.handle("GET /groups/{group}/support/handout", s.groupSupportHandout)
	s.handle("POST /groups/{group}/support", s.groupResourceSave)
	s.handle("POST /groups/{group}/support/{group_resource}", s.groupResourceSave)
	s.handle("POST /groups/{group}/support/{group_resource}/delete", s.groupResourceDelete)

	s.handle("GET /support/requests", s.supportRequests)
	s.handle("GET /support/requests/new", s.supportRequestNew)
	s.handle("POST /support/requests", s.supportRequestCreate)
	s.handle("GET /support/requests/{request}", s.supportRequestShow)
	s.handle("POST /support/requests/{request}", s.supportRequestAnswer)
	s.handle("POST /support/requests/{request}/withdraw", s.supportRequestWithdraw)

	s.handlePublic("GET /complaints/new", http.HandlerFunc(s.complaintNew))
	s.handlePublic("POST /complaints/new", http.HandlerFunc(s.complaintFile))
	s.handlePublic("GET /complaints/filed", http.HandlerFunc(s.complaintFiled))
	s.handlePublic("GET /complaints/track", http.HandlerFunc(s.complaintTrackForm))
	s.handlePublic("POST /complaints/track", http.HandlerFunc(s.complaintTrack))
	s.handle("GET /complaints", s.complaints)
	s.handle("GET /complaints/{complaint}", s.complaintShow)
	s.handle("POST /complaints/{complaint}", s.complaintAnswer)
}

// supportFile is one file of external support as people see it.
type supportFile struct {
	Site      *peercircle.Site
	Group     *peercircle.Group // nil for a site's file
	Resources []*peercircle.SupportResource
	CanManage bool
}

// Href is the file's page.
func (f *supportFile) Href() string {
	if f.Group != nil {
		return "/groups/" + id64(f.Group.ID) + "/support"
	}
	return "/sites/" + id64(f.Site.ID) + "/support"
}

// supportData is the "Need more support?" page: the general guidance for
// everyone; for a signed-in person also the files of their groups and
// sites, the way to ask for more support, and what waits for them.
type supportData struct {
	Files          []*supportFile
	InGroup        bool // has a group to send a request to
	LiveRequests   int  // the person's own requests still waiting
	WaitingForMe   int  // open requests sent to them
	ComplaintsOpen int  // complaints routed to them not yet answered
	Handles        bool // they receive requests or complaints at all
}

// support is the always-present "Need more support?" page: when peer
// support is not enough, and where to turn.
func (s *Server) supportPage(w http.ResponseWriter, r *http.Request) {
	d := &supportData{}
	if p := principal(r); p != nil {
		if err := s.fillSupport(r, p, d); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	s.render(w, r, "support", s.page(r, "support.title", d))
}

func (s *Server) fillSupport(r *http.Request, p *peercircle.Principal, d *supportData) error {
	ctx := r.Context()
	groups, err := s.Store.GroupsOf(ctx, p.PersonID)
	if err != nil {
		return err
	}
	person, err := s.Store.Person(ctx, p.PersonID)
	if err != nil {
		return err
	}
	var siteIDs, groupIDs []int64
	for _, g := range groups {
		groupIDs = append(groupIDs, g.ID)
		if !slices.Contains(siteIDs, g.SiteID) {
			siteIDs = append(siteIDs, g.SiteID)
		}
	}
	if person.HomeSiteID != 0 && !slices.Contains(siteIDs, person.HomeSiteID) {
		siteIDs = append(siteIDs, person.HomeSiteID)
	}
	d.InGroup = len(groups) > 0
	files, err := s.supportFiles(ctx, p, siteIDs, groups)
	if err != nil {
		return err
	}
	for _, f := range files {
		if len(f.Resources) > 0 || f.CanManage {
			d.Files = append(d.Files, f)
		}
	}
	mine, err := s.Store.SupportRequestsOf(ctx, p.PersonID)
	if err != nil {
		return err
	}
	for _, q := range mine {
		if q.Live() {
			d.LiveRequests++
		}
	}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return err
	}
	hg, hs := requestHandlerScopes(p, tree)
	if len(hg) > 0 || len(hs) > 0 {
		d.Handles = true
		to, err := s.Store.SupportRequestsTo(ctx, hg, hs)
		if err != nil {
			return err
		}
		for _, q := range to {
			if q.State == peercircle.RequestOpen {
				d.WaitingForMe++
			}
		}
	}
	cs, ca, corg := complaintHandlerScopes(p, tree)
	if len(cs) > 0 || len(ca) > 0 || corg {
		d.Handles = true
		list, err := s.complaintsFor(ctx, p, tree)
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.State == peercircle.ComplaintReceived {
				d.ComplaintsOpen++
			}
		}
	}
	return nil
}

// supportFiles loads the files of the sites and groups, groups first (they
// are closest to the person), each with whether p may manage it.
func (s *Server) supportFiles(ctx context.Context, p *peercircle.Principal, siteIDs []int64, groups []*peercircle.Group) ([]*supportFile, error) {
	var groupIDs []int64
	for _, g := range groups {
		groupIDs = append(groupIDs, g.ID)
	}
	all, err := s.Store.SupportResources(ctx, siteIDs, groupIDs)
	if err != nil {
		return nil, err
	}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	var out []*supportFile
	for _, g := range groups {
		site := siteIn(tree, g.SiteID)
		sc, _ := tree.SiteScope(g.SiteID)
		sc.GroupID = g.ID
		f := &supportFile{Site: site, Group: g, CanManage: peercircle.Can(p, peercircle.ActManageSupportFile, sc)}
		for _, r := range all {
			if r.GroupID == g.ID {
				f.Resources = append(f.Resources, r)
			}
		}
		out = append(out, f)
	}
	for _, id := range siteIDs {
		sc, _ := tree.SiteScope(id)
		f := &supportFile{Site: siteIn(tree, id), CanManage: peercircle.Can(p, peercircle.ActManageSupportFile, sc)}
		for _, r := range all {
			if r.GroupID == 0 && r.SiteID == id {
				f.Resources = append(f.Resources, r)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// siteIn returns a copy of a site of the (shared) tree.
func siteIn(t *peercircle.Tree, id int64) *peercircle.Site {
	for _, st := range t.Sites {
		if st.ID == id {
			return &st
		}
	}
	return &peercircle.Site{ID: id}
}

// requestHandlerScopes lists where p receives support requests: the
// groups they facilitate and the sites they organise.
func requestHandlerScopes(p *peercircle.Principal, t *peercircle.Tree) (groupIDs, siteIDs []int64) {
	for _, g := range p.GroupRoles {
		if g.Role == peercircle.RoleFacilitator {
			groupIDs = append(groupIDs, g.GroupID)
		}
	}
	for _, st := range sitesOrganised(p, t) {
		siteIDs = append(siteIDs, st.ID)
	}
	return groupIDs, siteIDs
}

// complaintHandlerScopes lists where p handles complaints: sites, areas,
// and the organisation as a whole, each decided by Can.
func complaintHandlerScopes(p *peercircle.Principal, t *peercircle.Tree) (siteIDs, areaIDs []int64, org bool) {
	for _, st := range t.Sites {
		if sc, ok := t.SiteScope(st.ID); ok && peercircle.Can(p, peercircle.ActHandleComplaint, sc) {
			siteIDs = append(siteIDs, st.ID)
		}
	}
	for _, a := range t.Areas {
		if peercircle.Can(p, peercircle.ActHandleComplaint, peercircle.Scope{RegionID: a.RegionID, AreaID: a.ID}) {
			areaIDs = append(areaIDs, a.ID)
		}
	}
	return siteIDs, areaIDs, peercircle.Can(p, peercircle.ActHandleComplaint, peercircle.Scope{})
}

// complaintsFor lists the complaints p handles: those routed to where p
// handles complaints, less any p may not open (a complaint about a group
// p facilitates).
func (s *Server) complaintsFor(ctx context.Context, p *peercircle.Principal, t *peercircle.Tree) ([]*peercircle.Complaint, error) {
	sites, areas, org := complaintHandlerScopes(p, t)
	list, err := s.Store.ComplaintsRoutedTo(ctx, sites, areas, org)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(c *peercircle.Complaint) bool {
		return !peercircle.Can(p, peercircle.ActHandleComplaint, c.RouteScope(t))
	}), nil
}

// KindLabel names a kind of support in the page's language.
func (p *Page) KindLabel(kind string) string { return p.L.T("safety.kind." + kind) }

// Dial is a resource's phone number as a link the phone can call. The
// number was checked to hold only digits, spaces, dashes, brackets and a
// leading + (SupportResource.Validate), and Dial keeps only the digits and
// the +, so the URL is safe to mark as such.
func (p *Page) Dial(r *peercircle.SupportResource) template.URL {
	return template.URL(r.Dial())
}

// forgetPerson keeps the request log from tying a signed-in person to a
// complaint: the log line is written after the handler returns, from the
// request's state, so the person is dropped from it once the page is
// rendered. Used on every complaint route the public can reach.
func forgetPerson(r *http.Request) { stateOf(r).principal = nil }
