package web

import (
	"net/http"
	"strings"

	"github.com/peercircle/peercircle"
)

// NavItem is one link of the main navigation.
type NavItem struct {
	Key    string // message key
	Href   string
	Active bool
}

// nav builds the navigation for a person's roles. It only shows what the
// person can use; the pages themselves still check access.
func (s *Server) nav(r *http.Request, p *peercircle.Principal) []NavItem {
	if p == nil {
		return nil
	}
	items := []NavItem{{Key: "nav.home", Href: "/"}}
	if len(p.GroupRoles) > 0 {
		items = append(items, NavItem{Key: "nav.groups", Href: "/groups"})
	}
	if p.HasRole(peercircle.RoleOrganiser) {
		items = append(items, NavItem{Key: "nav.sites", Href: "/sites"})
	}
	if p.HasRole(peercircle.RoleCoordinator) {
		items = append(items, NavItem{Key: "nav.areas", Href: "/areas"})
	}
	if p.HasRole(peercircle.RoleAdmin) || p.HasRole(peercircle.RoleOrganiser) || p.HasRole(peercircle.RoleCoordinator) {
		items = append(items, NavItem{Key: "nav.reports", Href: "/reports"})
	}
	if p.HasRole(peercircle.RoleAdmin) || p.HasRole(peercircle.RoleOrganiser) {
		items = append(items, NavItem{Key: "nav.people", Href: "/people"})
	}
	if complaintHandler(p) {
		// Handlers find complaints here, not only behind "Need more support?".
		items = append(items, NavItem{Key: "nav.complaints", Href: "/complaints"})
	}
	if p.HasRole(peercircle.RoleAdmin) {
		items = append(items, NavItem{Key: "nav.organisation", Href: "/admin/org"})
		items = append(items, NavItem{Key: "nav.outbox", Href: "/admin/outbox"})
	}
	if p.HasRole(peercircle.RoleSupervisor) || p.HasRole(peercircle.RoleTrainer) {
		items = append(items, NavItem{Key: "nav.growth", Href: "/growth"})
	}
	items = append(items, NavItem{Key: "nav.profile", Href: "/profile"})
	for i := range items {
		h := items[i].Href
		items[i].Active = r.URL.Path == h || (h != "/" && strings.HasPrefix(r.URL.Path, h+"/"))
	}
	return items
}
