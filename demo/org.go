package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

func seedOrganisation(ctx context.Context, s *sqlstore.Store, w *World) error {
	if err := s.UpdateOrganisation(ctx, &peercircle.Organisation{Name: "Amal Family Health Programme", QuarterStartMonth: 1}); err != nil {
		return err
	}
	// The demo is for trying each role with its password alone: no role
	// must use a second factor here (an admin turns it on under
	// Organisation; a real installation requires it of admins,
	// coordinators and supervisors until changed).
	if err := s.SetSetting(ctx, peercircle.SettingSecondFactorRoles, ""); err != nil {
		return err
	}
	w.Region = peercircle.Region{Name: "Central Jordan", TimeZone: "Asia/Amman"}
	if err := s.CreateRegion(ctx, &w.Region); err != nil {
		return err
	}
	for _, name := range []string{"Amman East", "Zarqa"} {
		a := &peercircle.Area{RegionID: w.Region.ID, Name: name}
		if err := s.CreateArea(ctx, a); err != nil {
			return err
		}
		w.Areas[name] = a
	}
	joined := func(y int, m time.Month) *time.Time { t := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC); return &t }
	sites := []struct {
		key, area, name, kind string
		joined                *time.Time
	}{
		{"nuzha", "Amman East", "Jabal Al-Nuzha Health Centre", peercircle.SiteHealthCentre, joined(2024, time.March)},
		{"marka", "Amman East", "Marka Health Centre", peercircle.SiteHealthCentre, joined(2025, time.January)},
		{"zarqa", "Zarqa", "Zarqa Camp Health Centre", peercircle.SiteHealthCentre, nil},
		{"amal", "Zarqa", "Al-Amal Community Centre", peercircle.SiteCommunityCentre, joined(2024, time.September)},
	}
	for _, st := range sites {
		site := &peercircle.Site{AreaID: w.Areas[st.area].ID, Name: st.name, Kind: st.kind, TimeZone: "Asia/Amman", JoinedProgramme: st.joined}
		if err := s.CreateSite(ctx, site); err != nil {
			return err
		}
		w.Sites[st.key] = site
	}
	return nil
}

// Names are common in the region; none belongs to a real person we know of.
var (
	firstNames = []string{"Huda", "Rana", "Samir", "Layla", "Omar", "Noor", "Khaled", "Maha", "Yousef", "Dina",
		"Tariq", "Salma", "Fadi", "Reem", "Hani", "Aseel", "Ziad", "Lina", "Bilal", "Haneen",
		"Nabil", "Suha", "Majd", "Ruba", "Amjad", "Hiba", "Waleed", "Nisreen", "Ayman", "Rasha"}
	familyNames = []string{"Haddad", "Khalil", "Nasser", "Saleh", "Awad", "Hamdan", "Qasem", "Odeh", "Jaber", "Mansour",
		"Darwish", "Zoubi", "Shami", "Barakat", "Hijazi", "Najjar", "Sabbagh", "Masri", "Tamimi", "Rifai"}
	// Arabic forms of some first names, used as the display name people chose.
	arabicNames = map[string]string{"Huda": "هدى", "Rana": "رنا", "Samir": "سمير", "Layla": "ليلى", "Omar": "عمر",
		"Noor": "نور", "Khaled": "خالد", "Maha": "مها", "Yousef": "يوسف", "Dina": "دينا"}
)

func seedPeople(ctx context.Context, s *sqlstore.Store, w *World) error {
	hash, err := passwordHash()
	if err != nil {
		return err
	}
	add := func(username, full, display string, site *peercircle.Site, lang string) (*peercircle.Person, error) {
		p := &peercircle.Person{Username: username, FullName: full, DisplayName: display, Lang: lang, Status: peercircle.PersonActive}
		if site != nil {
			p.HomeSiteID = site.ID
		}
		if username != "" {
			p.Email = username + "@demo.peercircle.invalid"
		}
		if err := s.CreatePerson(ctx, p); err != nil {
			return nil, fmt.Errorf("%s: %w", full, err)
		}
		if username != "" {
			if err := s.SetPasswordHash(ctx, p.ID, hash); err != nil {
				return nil, err
			}
			w.People[username] = p
		}
		return p, nil
	}
	grant := func(p *peercircle.Person, role, kind string, id int64) error {
		return s.AddGrant(ctx, &peercircle.Grant{PersonID: p.ID, Role: role, ScopeKind: kind, ScopeID: id})
	}

	// The seven demo sign-ins.
	logins := []struct{ user, full, display, site, lang string }{
		{"admin", "Nadia Haddad", "", "", "en"},
		{"coordinator", "Karim Mansour", "", "", "en"},
		{"organiser", "Amal Qasem", "أمل", "nuzha", ""},
		{"facilitator", "Sara Khalil", "", "nuzha", ""},
		{"member", "Yara Nasser", "", "nuzha", ""},
		{"supervisor", "Fatima Odeh", "", "", "en"},
		{"trainer", "Jamal Awad", "", "amal", "en"},
	}
	for _, l := range logins {
		var site *peercircle.Site
		if l.site != "" {
			site = w.Sites[l.site]
		}
		if _, err := add(l.user, l.full, l.display, site, l.lang); err != nil {
			return err
		}
	}
	p := w.People
	for _, g := range []struct {
		p          *peercircle.Person
		role, kind string
		id         int64
	}{
		{p["admin"], peercircle.RoleAdmin, peercircle.ScopeOrganisation, 0},
		{p["coordinator"], peercircle.RoleCoordinator, peercircle.ScopeArea, w.Areas["Amman East"].ID},
		{p["organiser"], peercircle.RoleOrganiser, peercircle.ScopeSite, w.Sites["nuzha"].ID},
		{p["supervisor"], peercircle.RoleSupervisor, peercircle.ScopeRegion, w.Region.ID},
		{p["trainer"], peercircle.RoleTrainer, peercircle.ScopeSite, w.Sites["amal"].ID},
	} {
		if err := grant(g.p, g.role, g.kind, g.id); err != nil {
			return err
		}
	}

	// The other organisers and the Zarqa coordinator.
	others := []struct{ user, full, site string }{
		{"organiser.marka", "Muna Darwish", "marka"},
		{"organiser.zarqa", "Ibrahim Saleh", "zarqa"},
		{"organiser.amal", "Rima Barakat", "amal"},
	}
	for _, o := range others {
		q, err := add(o.user, o.full, "", w.Sites[o.site], "")
		if err != nil {
			return err
		}
		if err := grant(q, peercircle.RoleOrganiser, peercircle.ScopeSite, w.Sites[o.site].ID); err != nil {
			return err
		}
	}
	zc, err := add("coordinator.zarqa", "Hasan Jaber", "", nil, "")
	if err != nil {
		return err
	}
	if err := grant(zc, peercircle.RoleCoordinator, peercircle.ScopeArea, w.Areas["Zarqa"].ID); err != nil {
		return err
	}

	// Peers: health staff at the three health centres, community members
	// and family members at the community centre. 48 people, no sign-in
	// needed to look at the demo, but each has an account.
	siteOrder := []string{"nuzha", "nuzha", "marka", "marka", "zarqa", "zarqa", "amal", "amal", "amal"}
	for i := 0; i < 48; i++ {
		first := firstNames[i%len(firstNames)]
		family := familyNames[(i*7+3)%len(familyNames)]
		site := siteOrder[i%len(siteOrder)]
		display := ""
		if a, ok := arabicNames[first]; ok && i%2 == 0 {
			display = a
		}
		user := strings.ToLower(first + "." + family)
		if _, taken := w.People[user]; taken {
			user = fmt.Sprintf("%s%d", user, i)
		}
		q, err := add(user, first+" "+family, display, w.Sites[site], "")
		if err != nil {
			return err
		}
		w.Members[site] = append(w.Members[site], q)
	}
	return nil
}

func seedGroups(ctx context.Context, s *sqlstore.Store, w *World) error {
	now := time.Now().UTC()
	groups := []struct {
		key, site, name, purpose, kind, membership, structure, lang string
		size                                                        int
	}{
		{"nuzha-staff", "nuzha", "Nuzha staff peer support group",
			"A protected space for the family health team to refresh MHPSS topics, discuss cases without names and support each other.",
			peercircle.KindStaff, peercircle.MembershipClosed, peercircle.StructureFormal, "ar", 16},
		{"marka-staff", "marka", "Marka staff peer support group",
			"Twice a month, the Marka family health team meets to share experience and support each other in MHPSS work.",
			peercircle.KindStaff, peercircle.MembershipClosed, peercircle.StructureFormal, "ar", 16},
		{"zarqa-staff", "zarqa", "Zarqa staff peer support group (forming)",
			"Staff trained on PAIR visit the Nuzha group monthly until Zarqa Camp joins the programme.",
			peercircle.KindStaff, peercircle.MembershipClosed, peercircle.StructureFormal, "ar", 16},
		{"hope-circle", "amal", "Hope Circle",
			"A peer-led group for people with lived experience of mental health conditions: sharing, listening, and finding our own ways forward.",
			peercircle.KindCommunity, peercircle.MembershipOpen, peercircle.StructureInformal, "ar", 20},
		{"families", "amal", "Families Together",
			"For families and care partners: information, encouragement and a place to be heard.",
			peercircle.KindFamily, peercircle.MembershipOpen, peercircle.StructureInformal, "ar", 20},
		{"training", "amal", "Peer supporter training, cohort 1",
			"The peer supporter course: core values, competencies, GROW, and running a self-run group.",
			peercircle.KindTraining, peercircle.MembershipClosed, peercircle.StructureFormal, "en", 12},
	}
	for _, gd := range groups {
		status := peercircle.GroupActive
		if gd.key == "zarqa-staff" {
			status = peercircle.GroupForming
		}
		g := &peercircle.Group{SiteID: w.Sites[gd.site].ID, Name: gd.name, Purpose: gd.purpose, Kind: gd.kind,
			Membership: gd.membership, Structure: gd.structure, Lang: gd.lang, SizeLimit: gd.size, Status: status, Listed: gd.membership == peercircle.MembershipOpen}
		if err := s.CreateGroup(ctx, g); err != nil {
			return err
		}
		w.Groups[gd.key] = g
	}
	join := func(g *peercircle.Group, p *peercircle.Person, role string) error {
		joined := now.AddDate(0, -6, 0)
		return s.SaveMembership(ctx, &peercircle.Membership{GroupID: g.ID, PersonID: p.ID, Role: role, Status: peercircle.MemberActive, JoinedAt: &joined})
	}
	p := w.People
	if err := join(w.Groups["nuzha-staff"], p["facilitator"], peercircle.RoleFacilitator); err != nil {
		return err
	}
	if err := join(w.Groups["nuzha-staff"], p["member"], peercircle.RoleMember); err != nil {
		return err
	}
	placement := map[string][]string{"nuzha": {"nuzha-staff"}, "marka": {"marka-staff"}, "zarqa": {"zarqa-staff"}, "amal": {"hope-circle", "families", "training"}}
	for site, members := range w.Members {
		keys := placement[site]
		for i, m := range members {
			g := w.Groups[keys[i%len(keys)]]
			role := peercircle.RoleMember
			if i < len(keys) { // the first member of each group co-facilitates
				role = peercircle.RoleFacilitator
			}
			if err := join(g, m, role); err != nil {
				return err
			}
		}
	}
	// The trainer leads the training cohort.
	return join(w.Groups["training"], p["trainer"], peercircle.RoleFacilitator)
}
