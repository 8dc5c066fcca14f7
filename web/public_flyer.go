package web

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/export"
	"github.com/peercircle/peercircle/i18n"
)

// A flyer per listed group (001, "Promoting support groups": flyers in
// places where potential members are likely to visit, stating the purpose
// and activities of the group, the meeting dates, time and location): a
// print page and a PDF, A4 or A5, in the group's language, with a QR code
// to the group's join page and the site's name.

type flyerData struct {
	F       *export.Flyer
	Size    string
	QR      template.HTML
	GroupID int64
}

// joinURL is the address the flyer's QR code carries: the group's join
// page in the group's language.
func (s *Server) joinURL(r *http.Request, g *peercircle.Group) string {
	return s.absURL("/find/" + id64(g.ID) + "/join?lang=" + g.Lang)
}

// flyerSize reads ?size=a4|a5 (A4 unless asked).
func flyerSize(r *http.Request) string {
	if r.URL.Query().Get("size") == export.FlyerA5 {
		return export.FlyerA5
	}
	return export.FlyerA4
}

// flyerOf says what the flyer says, in L's language.
func (s *Server) flyerOf(r *http.Request, l *peercircle.Listing, L *i18n.Localizer) (*export.Flyer, error) {
	g := l.Group
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		return nil, err
	}
	f := &export.Flyer{Lang: g.Lang, Site: l.Site.Name, Name: g.Name, Purpose: g.Purpose,
		Facts:    L.T("group.kind."+g.Kind) + " · " + L.T("group.membership."+g.Membership),
		WhenHead: L.T("group.when"), WhereHd: L.T("group.where"), JoinHead: L.T("public.how_to_join"),
		ScanText: L.T("public.flyer_scan"), URL: s.joinURL(r, g), Footer: tree.Organisation.Name}
	if when := describeSchedule(l.Schedule, L); when != "" {
		f.When = append(f.When, when)
	}
	loc := listingZone(l)
	for i, t := range l.Next {
		if i == 2 {
			break
		}
		t = t.In(loc)
		f.When = append(f.When, L.T("public.next", L.Date(t)+" "+L.Digits(t.Format("15:04"))))
	}
	if len(f.When) == 0 {
		f.When = []string{L.T("public.when_ask")}
	}
	place := l.Site.Name + ", " + l.Area.Name
	switch {
	case l.Online():
		f.Where = []string{L.T("public.online_link")}
	case l.ShowsVenue():
		room := l.Venue.Name
		if l.Venue.Address != "" {
			room += " — " + l.Venue.Address
		}
		f.Where = []string{room, place}
	default:
		f.Where = []string{place, L.T("public.on_request")}
	}
	if l.Venue != nil && !l.Venue.Virtual && l.Venue.Accessible {
		f.Where = append(f.Where, L.T("venue.accessible"))
	}
	f.Join = L.T("public.join_closed")
	if g.Membership == peercircle.MembershipOpen {
		f.Join = L.T("public.join_open")
	}
	return f, nil
}

// finderFlyer is the print page of a group's flyer.
func (s *Server) finderFlyer(w http.ResponseWriter, r *http.Request) {
	s.publicPage(w, r)
	l, ok := s.listing(w, r)
	if !ok {
		return
	}
	L := s.I18n.Localizer(l.Group.Lang)
	f, err := s.flyerOf(r, l, L)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	qr, err := qrSVG(f.URL, L.T("public.flyer_qr", l.Group.Name))
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	p := s.page(r, "public.flyer_title", &flyerData{F: f, Size: flyerSize(r), QR: qr, GroupID: l.Group.ID})
	p.L = L // the flyer speaks the group's language, whoever prints it
	s.render(w, r, "flyer", p)
}

// finderFlyerPDF is the flyer as a PDF.
func (s *Server) finderFlyerPDF(w http.ResponseWriter, r *http.Request) {
	forgetPerson(r)
	l, ok := s.listing(w, r)
	if !ok {
		return
	}
	f, err := s.flyerOf(r, l, s.I18n.Localizer(l.Group.Lang))
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	var buf bytes.Buffer
	size := flyerSize(r)
	if err := export.WriteFlyerPDF(&buf, f, size); err != nil {
		s.renderErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `inline; filename="flyer-`+id64(l.Group.ID)+`-`+size+`.pdf"`)
	h.Set("Cache-Control", finderCache)
	w.Write(buf.Bytes())
}
