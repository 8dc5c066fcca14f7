package peercircle_test

import (
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

func fieldOf(err error, field string) string { return peercircle.ErrorFields(err)[field] }

func TestSupportResourceValidate(t *testing.T) {
	base := func() peercircle.SupportResource {
		return peercircle.SupportResource{SiteID: 1, Name: "Family health centre", Kind: "gp", Phone: "+962 6 555 0101"}
	}
	for _, tc := range []struct {
		name  string
		edit  func(*peercircle.SupportResource)
		field string // "" = valid
		key   string
	}{
		{"a named GP with a phone number is valid", func(*peercircle.SupportResource) {}, "", ""},
		{"a short hotline number is valid", func(r *peercircle.SupportResource) { r.Phone = "911" }, "", ""},
		{"an address alone is enough to reach it", func(r *peercircle.SupportResource) { r.Phone, r.Address = "", "Main street, Amman" }, "", ""},
		{"a link alone is enough to reach it", func(r *peercircle.SupportResource) { r.Phone, r.Link = "", "https://example.org/help" }, "", ""},
		{"a name is required", func(r *peercircle.SupportResource) { r.Name = "  " }, "name", "error.required"},
		{"the kind must be one Sheet 2 counts", func(r *peercircle.SupportResource) { r.Kind = "police" }, "kind", "error.choice"},
		{"some way to reach the service is required", func(r *peercircle.SupportResource) { r.Phone = "" }, "phone", "safety.error.how_to_reach"},
		{"letters are not a phone number", func(r *peercircle.SupportResource) { r.Phone = "call us" }, "phone", "safety.error.phone"},
		{"a javascript link is refused", func(r *peercircle.SupportResource) { r.Link = "javascript:alert(1)" }, "link", "safety.error.link"},
		{"a link without a host is refused", func(r *peercircle.SupportResource) { r.Link = "https:///x" }, "link", "safety.error.link"},
		{"a link with a user name is refused", func(r *peercircle.SupportResource) { r.Link = "https://me@example.org" }, "link", "safety.error.link"},
		{"when to use it has a limit", func(r *peercircle.SupportResource) { r.WhenToUse = strings.Repeat("ا", peercircle.MaxWhenToUse+1) }, "when_to_use", "error.too_long"},
		{"a resource belongs to a site's file", func(r *peercircle.SupportResource) { r.SiteID = 0 }, "site", "error.required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base()
			tc.edit(&r)
			err := r.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if got := fieldOf(err, tc.field); got != tc.key {
				t.Fatalf("field %s = %q, want %q (err %v)", tc.field, got, tc.key, err)
			}
		})
	}
	t.Run("fields are trimmed", func(t *testing.T) {
		r := base()
		r.Name, r.WhenToUse = "  Crisis line ", "\n If you are in danger \n"
		if err := r.Validate(); err != nil || r.Name != "Crisis line" || r.WhenToUse != "If you are in danger" {
			t.Fatalf("got %q %q, %v", r.Name, r.WhenToUse, err)
		}
	})
}

func TestDialKeepsDigitsAndTheLeadingPlus(t *testing.T) {
	for in, want := range map[string]string{"+962 (6) 555-0101": "tel:+96265550101", "911": "tel:911", "": "", "06 5+55": "tel:06555"} {
		r := peercircle.SupportResource{Phone: in}
		if got := r.Dial(); got != want {
			t.Errorf("Dial(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSupportRequestValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		r     peercircle.SupportRequest
		field string
		key   string
	}{
		{"asking a group's facilitators to talk in person needs no words", peercircle.SupportRequest{To: peercircle.RequestToFacilitators, GroupID: 3,
			Contact: peercircle.Contact{Channel: peercircle.ContactInPerson}}, "", ""},
		{"asking the organiser by phone", peercircle.SupportRequest{To: peercircle.RequestToOrganiser, SiteID: 2,
			Contact: peercircle.Contact{Channel: peercircle.ChannelPhone, Address: "0791 234 567"}}, "", ""},
		{"facilitators of no group", peercircle.SupportRequest{To: peercircle.RequestToFacilitators,
			Contact: peercircle.Contact{Channel: peercircle.ContactInPerson}}, "to", "error.required"},
		{"someone else than facilitators or organiser", peercircle.SupportRequest{To: "coordinator", SiteID: 2,
			Contact: peercircle.Contact{Channel: peercircle.ContactInPerson}}, "to", "error.choice"},
		{"how to be contacted is required", peercircle.SupportRequest{To: peercircle.RequestToOrganiser, SiteID: 2}, "contact_channel", "error.required"},
		{"a phone contact needs a phone number", peercircle.SupportRequest{To: peercircle.RequestToOrganiser, SiteID: 2,
			Contact: peercircle.Contact{Channel: peercircle.ChannelWhatsApp, Address: "yes please"}}, "contact_address", "consent.error.phone"},
		{"the message has a limit", peercircle.SupportRequest{To: peercircle.RequestToOrganiser, SiteID: 2, Message: strings.Repeat("x", peercircle.MaxSupportMessage+1),
			Contact: peercircle.Contact{Channel: peercircle.ContactInPerson}}, "message", "error.too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if got := fieldOf(err, tc.field); got != tc.key {
				t.Fatalf("field %s = %q, want %q (err %v)", tc.field, got, tc.key, err)
			}
		})
	}
	t.Run("in person drops an address typed before changing one's mind", func(t *testing.T) {
		r := peercircle.SupportRequest{To: peercircle.RequestToOrganiser, SiteID: 2, Contact: peercircle.Contact{Channel: peercircle.ContactInPerson, Address: "0791"}}
		if err := r.Validate(); err != nil || r.Contact.Address != "" {
			t.Fatalf("address %q, err %v", r.Contact.Address, err)
		}
	})
}

func TestComplaintValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		c     peercircle.Complaint
		field string
		key   string
	}{
		{"about a group", peercircle.Complaint{About: peercircle.ComplaintAboutGroup, GroupID: 4, Text: "Names were used."}, "", ""},
		{"about the programme", peercircle.Complaint{About: peercircle.ComplaintAboutProgramme, Text: "Too few meetings."}, "", ""},
		{"a group complaint names the group", peercircle.Complaint{About: peercircle.ComplaintAboutGroup, Text: "x"}, "about", "error.required"},
		{"a site complaint names the site", peercircle.Complaint{About: peercircle.ComplaintAboutSite, Text: "x"}, "about", "error.required"},
		{"about something unknown", peercircle.Complaint{About: "person", Text: "x"}, "about", "error.choice"},
		{"words are required", peercircle.Complaint{About: peercircle.ComplaintAboutProgramme, Text: "   "}, "text", "error.required"},
		{"the text has a limit", peercircle.Complaint{About: peercircle.ComplaintAboutProgramme, Text: strings.Repeat("ب", peercircle.MaxComplaint+1)}, "text", "error.too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if got := fieldOf(err, tc.field); got != tc.key {
				t.Fatalf("field %s = %q, want %q (err %v)", tc.field, got, tc.key, err)
			}
		})
	}
	t.Run("a complaint about the programme names no group, site or organiser", func(t *testing.T) {
		c := peercircle.Complaint{About: peercircle.ComplaintAboutProgramme, GroupID: 3, SiteID: 2, AboutOrganiser: true, Text: "x"}
		if err := c.Validate(); err != nil || c.GroupID != 0 || c.SiteID != 0 || c.AboutOrganiser {
			t.Fatalf("%+v %v", c, err)
		}
	})
}

func TestTrackingCodes(t *testing.T) {
	t.Run("a new code is four groups of four unambiguous characters", func(t *testing.T) {
		seen := map[string]bool{}
		for range 200 {
			c := peercircle.NewTrackingCode()
			if len(c) != 19 || c[4] != '-' || c[9] != '-' || c[14] != '-' {
				t.Fatalf("code %q", c)
			}
			if strings.ContainsAny(c, "01OIL") {
				t.Fatalf("code %q has a look-alike character", c)
			}
			if seen[c] {
				t.Fatalf("code %q came twice", c)
			}
			seen[c] = true
		}
	})
	t.Run("codes are read as people type them", func(t *testing.T) {
		for in, want := range map[string]string{
			"K7QM-3XRT-9PWA-HN4E":       "K7QM-3XRT-9PWA-HN4E",
			"k7qm 3xrt 9pwa hn4e":       "K7QM-3XRT-9PWA-HN4E",
			" K7QM3XRT9PWAHN4E ":        "K7QM-3XRT-9PWA-HN4E",
			"K7QM-3XRT-9PWA-HN4E\u00a0": "K7QM-3XRT-9PWA-HN4E",
		} {
			if got, ok := peercircle.NormaliseTrackingCode(in); !ok || got != want {
				t.Errorf("NormaliseTrackingCode(%q) = %q, %v", in, got, ok)
			}
		}
	})
	t.Run("anything else is not a code", func(t *testing.T) {
		for _, in := range []string{"", "K7QM-3XRT-9PWA", "K7QM-3XRT-9PWA-HN4E-A", "K7QM-3XRT-9PWA-HN40", "K7QM-3XRT-9PWA-HN4É", "K7QM/3XRT/9PWA/HN4E"} {
			if got, ok := peercircle.NormaliseTrackingCode(in); ok {
				t.Errorf("NormaliseTrackingCode(%q) = %q, want refused", in, got)
			}
		}
	})
}

func FuzzNormaliseTrackingCode(f *testing.F) {
	for _, s := range []string{"K7QM-3XRT-9PWA-HN4E", "k7qm 3xrt", "", "٣٤٥", "K7QM-3XRT-9PWA-HN4E-K7QM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := peercircle.NormaliseTrackingCode(s)
		if !ok {
			return
		}
		again, ok2 := peercircle.NormaliseTrackingCode(got)
		if !ok2 || again != got {
			t.Fatalf("canonical form %q does not read back (%q, %v)", got, again, ok2)
		}
		if len(got) != 19 || strings.ContainsAny(got, "01OIL") {
			t.Fatalf("canonical form %q", got)
		}
	})
}

func FuzzSupportResourceValidate(f *testing.F) {
	f.Add("Crisis line", "crisis", "911", "", "https://example.org", "Any time")
	f.Add("", "gp", "", "", "javascript:alert(1)", "")
	f.Fuzz(func(t *testing.T, name, kind, phone, address, link, when string) {
		r := peercircle.SupportResource{SiteID: 1, Name: name, Kind: kind, Phone: phone, Address: address, Link: link, WhenToUse: when}
		if r.Validate() != nil {
			return
		}
		if r.Link != "" && !strings.HasPrefix(r.Link, "http://") && !strings.HasPrefix(r.Link, "https://") {
			t.Fatalf("accepted link %q", r.Link)
		}
		if d := r.Dial(); r.Phone != "" && strings.Trim(d[4:], "+0123456789") != "" {
			t.Fatalf("dial %q from %q", d, r.Phone)
		}
	})
}

func TestSafetyPolicy(t *testing.T) {
	site1 := peercircle.Scope{RegionID: 1, AreaID: 1, SiteID: 1}
	group1 := peercircle.Scope{RegionID: 1, AreaID: 1, SiteID: 1, GroupID: 1}
	area1 := peercircle.Scope{RegionID: 1, AreaID: 1}
	site2 := peercircle.Scope{RegionID: 1, AreaID: 2, SiteID: 2}
	org := peercircle.Scope{}
	grant := func(role, kind string, id int64) *peercircle.Principal {
		return &peercircle.Principal{PersonID: 9, Grants: []peercircle.Grant{{Role: role, ScopeKind: kind, ScopeID: id}}}
	}
	in := func(role string) *peercircle.Principal {
		return &peercircle.Principal{PersonID: 9, GroupRoles: []peercircle.GroupRole{{GroupID: 1, SiteID: 1, Role: role}}}
	}
	admin := grant(peercircle.RoleAdmin, peercircle.ScopeOrganisation, 0)
	organiser := grant(peercircle.RoleOrganiser, peercircle.ScopeSite, 1)
	coordinator := grant(peercircle.RoleCoordinator, peercircle.ScopeArea, 1)
	regional := grant(peercircle.RoleCoordinator, peercircle.ScopeRegion, 1)
	facilitator, member := in(peercircle.RoleFacilitator), in(peercircle.RoleMember)
	// An organiser of site 1 who also facilitates group 1, and one who is a
	// plain member of it.
	organiserFacilitating, organiserMember := grant(peercircle.RoleOrganiser, peercircle.ScopeSite, 1), grant(peercircle.RoleOrganiser, peercircle.ScopeSite, 1)
	organiserFacilitating.GroupRoles = facilitator.GroupRoles
	organiserMember.GroupRoles = member.GroupRoles
	aboutGroup1 := group1
	for _, tc := range []struct {
		name string
		p    *peercircle.Principal
		a    peercircle.Action
		s    peercircle.Scope
		want bool
	}{
		{"a member sees the group's file", member, peercircle.ActViewSupportFile, group1, true},
		{"a member sees the file of their group's site", member, peercircle.ActViewSupportFile, site1, true},
		{"a member does not see another site's file", member, peercircle.ActViewSupportFile, site2, false},
		{"the public sees no file", nil, peercircle.ActViewSupportFile, site1, false},
		{"the organiser manages the site's file", organiser, peercircle.ActManageSupportFile, site1, true},
		{"an admin manages a site's file", admin, peercircle.ActManageSupportFile, site1, true},
		{"a facilitator manages the group's file", facilitator, peercircle.ActManageSupportFile, group1, true},
		{"a facilitator does not manage the site's file", facilitator, peercircle.ActManageSupportFile, site1, false},
		{"a member does not manage the group's file", member, peercircle.ActManageSupportFile, group1, false},
		{"a coordinator does not manage a file", coordinator, peercircle.ActManageSupportFile, site1, false},
		{"a member asks their group's facilitators", member, peercircle.ActAskSupport, group1, true},
		{"a member asks their site's organiser", member, peercircle.ActAskSupport, site1, true},
		{"a member does not ask another site's organiser", member, peercircle.ActAskSupport, site2, false},
		{"the group's facilitator handles a request to the facilitators", facilitator, peercircle.ActHandleSupportRequest, group1, true},
		{"the organiser does not read a request to the facilitators", organiser, peercircle.ActHandleSupportRequest, group1, false},
		{"the organiser handles a request to the organiser", organiser, peercircle.ActHandleSupportRequest, site1, true},
		{"a facilitator does not read a request to the organiser", facilitator, peercircle.ActHandleSupportRequest, site1, false},
		{"an admin never reads a request", admin, peercircle.ActHandleSupportRequest, site1, false},
		{"a coordinator never reads a request", coordinator, peercircle.ActHandleSupportRequest, site1, false},
		{"the organiser handles a complaint routed to the site", organiser, peercircle.ActHandleComplaint, site1, true},
		{"a coordinator does not handle a complaint routed to a site", coordinator, peercircle.ActHandleComplaint, site1, false},
		{"the area's coordinator handles a complaint about the organiser", coordinator, peercircle.ActHandleComplaint, area1, true},
		{"a region's coordinator handles a complaint routed to an area in it", regional, peercircle.ActHandleComplaint, area1, true},
		{"the organiser does not handle a complaint routed to the area", organiser, peercircle.ActHandleComplaint, area1, false},
		{"admins handle complaints about the programme", admin, peercircle.ActHandleComplaint, org, true},
		{"a coordinator does not handle complaints about the programme", coordinator, peercircle.ActHandleComplaint, org, false},
		{"an admin does not handle a complaint routed to a site", admin, peercircle.ActHandleComplaint, site1, false},
		{"the organiser handles a complaint about a group at the site", organiser, peercircle.ActHandleComplaint, aboutGroup1, true},
		{"an organiser who facilitates a group does not handle a complaint about it", organiserFacilitating, peercircle.ActHandleComplaint, aboutGroup1, false},
		{"an organiser who facilitates a group handles other complaints about the site", organiserFacilitating, peercircle.ActHandleComplaint, site1, true},
		{"an organiser who is a member of a group handles a complaint about it", organiserMember, peercircle.ActHandleComplaint, aboutGroup1, true},
		{"a facilitator does not handle a complaint about their group", facilitator, peercircle.ActHandleComplaint, aboutGroup1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := peercircle.Can(tc.p, tc.a, tc.s); got != tc.want {
				t.Fatalf("Can = %v, want %v", got, tc.want)
			}
		})
	}
}
