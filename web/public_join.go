package web

import (
	"net/http"
	"strings"

	"github.com/peercircle/peercircle"
)

// The join page of a listed group, where a flyer's QR code leads: an open
// group says how to come and takes "I'll come" for the next meeting; a
// closed group takes a request. Either way the person gives only what they
// choose; the organiser and facilitators see it among the requests on the
// members page, with the usual steps (meet first, welcome, not this time).

type joinPublicData struct {
	*contactData
	When     string
	Next     string
	Channels []string
}

func (s *Server) joinPublicPage(r *http.Request, l *peercircle.Listing) *Page {
	d := &joinPublicData{contactData: s.publicForm(r, l, "join"), When: describeSchedule(l.Schedule, s.loc(r)),
		Channels: []string{peercircle.ChannelPhone, peercircle.ChannelSMS, peercircle.ChannelWhatsApp, peercircle.ChannelEmail}}
	if len(l.Next) > 0 {
		d.Next = s.meetingWhen(r, l.Group, l.Next[0])
	}
	p := s.page(r, "public.join_title", d)
	p.TitleArgs = []any{l.Group.Name}
	return p
}

// finderJoinForm is the join page.
func (s *Server) finderJoinForm(w http.ResponseWriter, r *http.Request) {
	forgetPerson(r)
	w.Header().Set("Cache-Control", "no-store")
	l, ok := s.listing(w, r)
	if !ok {
		return
	}
	s.render(w, r, "find_join", s.joinPublicPage(r, l))
}

// finderJoin takes the request (closed group) or the "I'll come" (open).
func (s *Server) finderJoin(w http.ResponseWriter, r *http.Request) {
	forgetPerson(r)
	w.Header().Set("Cache-Control", "no-store")
	l, ok := s.listing(w, r)
	if !ok {
		return
	}
	fail := func(err error) { s.formError(w, r, "find_join", s.joinPublicPage(r, l), err) }
	if err := s.publicCheck(r, l.Group.ID, "join"); err != nil {
		fail(err)
		return
	}
	j := &peercircle.JoinRequest{GroupID: l.Group.ID, Name: r.PostFormValue("name"), Note: r.PostFormValue("note"),
		Contact: peercircle.Contact{Channel: r.PostFormValue("contact_channel"), Address: strings.TrimSpace(peercircleDigits(r.PostFormValue("contact_address")))}}
	if j.Contact.Channel == "" {
		j.Contact.Address = ""
	}
	if err := s.Store.PublicJoin(r.Context(), j, s.clientAddr(r)); err != nil {
		fail(err)
		return
	}
	if l.Group.Membership == peercircle.MembershipOpen {
		s.renderMessage(w, r, http.StatusOK, "public.rsvp_sent_title", "public.rsvp_sent_body")
		return
	}
	s.renderMessage(w, r, http.StatusOK, "public.join_sent_title", "public.join_sent_body")
}
