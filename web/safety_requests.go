package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
)

// requestOption is one choice of who may see a support request.
type requestOption struct {
	Value string // "g:<group>" or "s:<site>"
	To    string // peercircle.RequestToFacilitators or RequestToOrganiser
	Name  string // the group's or the site's name
}

type requestNewData struct {
	Options []requestOption
	Ways    []string
	Guard   *guardForm // the confidentiality guard's findings in the message
}

// requestOptions lists whom p may ask: the facilitators of each of their
// groups, and the organiser of each site those groups meet at.
func (s *Server) requestOptions(r *http.Request, p *peercircle.Principal) ([]requestOption, error) {
	ctx := r.Context()
	groups, err := s.Store.GroupsOf(ctx, p.PersonID)
	if err != nil {
		return nil, err
	}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	var out, sites []requestOption
	seen := map[int64]bool{}
	for _, g := range groups {
		out = append(out, requestOption{Value: "g:" + id64(g.ID), To: peercircle.RequestToFacilitators, Name: g.Name})
		if !seen[g.SiteID] {
			seen[g.SiteID] = true
			sites = append(sites, requestOption{Value: "s:" + id64(g.SiteID), To: peercircle.RequestToOrganiser, Name: siteIn(tree, g.SiteID).Name})
		}
	}
	return append(out, sites...), nil
}

// parseTarget reads "g:<id>" or "s:<id>" from a form.
func parseTarget(v string) (kind string, id int64, ok bool) {
	k, n, found := strings.Cut(v, ":")
	id, err := strconv.ParseInt(n, 10, 64)
	if !found || err != nil || id <= 0 || (k != "g" && k != "s") {
		return "", 0, false
	}
	return k, id, true
}

func (s *Server) requestNewPage(r *http.Request) (*Page, error) {
	opts, err := s.requestOptions(r, principal(r))
	if err != nil {
		return nil, err
	}
	return s.page(r, "safety.ask_title", &requestNewData{Options: opts, Ways: peercircle.RequestContactWays}), nil
}

// supportRequestNew is the form "I'd like to talk to someone".
func (s *Server) supportRequestNew(w http.ResponseWriter, r *http.Request) {
	p, err := s.requestNewPage(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "support_request_new", p)
}

// supportRequestCreate sends a request to the people the member chose.
func (s *Server) supportRequestCreate(w http.ResponseWriter, r *http.Request) {
	me := principal(r)
	req := &peercircle.SupportRequest{PersonID: me.PersonID}
	kind, id, ok := parseTarget(r.PostFormValue("to"))
	var sc peercircle.Scope
	var err error
	switch {
	case ok && kind == "g":
		req.To, req.GroupID = peercircle.RequestToFacilitators, id
		sc, err = s.Store.GroupScope(r.Context(), id)
	case ok && kind == "s":
		req.To, req.SiteID = peercircle.RequestToOrganiser, id
		sc, err = s.Store.SiteScope(r.Context(), id)
	default:
		err = &peercircle.Error{Code: peercircle.EINVALID, Key: "error.form", Fields: map[string]string{"to": "error.required"}}
	}
	if err == nil && !s.allow(w, r, peercircle.ActAskSupport, sc) {
		return
	}
	if err == nil {
		names, nerr := s.Store.NamesOf(r.Context(), req.GroupID, me.PersonID)
		if nerr != nil {
			s.renderErr(w, r, nerr)
			return
		}
		gf := s.checkPosted(r, names, []string{"message"}, map[string]string{"message": "safety.ask_message"})
		if gf.Stop() {
			page, perr := s.requestNewPage(r)
			if perr != nil {
				s.renderErr(w, r, perr)
				return
			}
			page.Data.(*requestNewData).Guard = gf.Guard
			gf.render(s, w, r, "support_request_new", page)
			return
		}
		req.Allowed = gf.Allowed["message"]
		req.Message = gf.Values["message"]
		req.Contact = peercircle.Contact{Channel: r.PostFormValue("contact_channel"), Address: peercircleDigits(r.PostFormValue("contact_address"))}
		if req.Contact.Channel == peercircle.ChannelEmail {
			req.Contact.Address = r.PostFormValue("contact_address")
		}
		err = s.Store.CreateSupportRequest(r.Context(), req)
	}
	if err != nil {
		if code := peercircle.ErrorCode(err); code == peercircle.ENOTFOUND {
			s.renderErr(w, r, err)
			return
		}
		page, perr := s.requestNewPage(r)
		if perr != nil {
			s.renderErr(w, r, perr)
			return
		}
		if peercircle.ErrorKey(err) == "safety.error.nobody" {
			err = &peercircle.Error{Code: peercircle.EINVALID, Key: "safety.error.nobody", Fields: map[string]string{"to": "safety.error.nobody"}}
		}
		s.formError(w, r, "support_request_new", page, err)
		return
	}
	s.redirect(w, r, "/support/requests/"+id64(req.ID), "flash.safety.request_sent")
}

// requestRow is a request in a list, with the names people know.
type requestRow struct {
	*peercircle.SupportRequest
	From string // the member, for handlers
	Whom string // the group's or the site's name
}

type requestsData struct {
	Mine []requestRow
	ToMe []requestRow
}

func (s *Server) requestRows(r *http.Request, reqs []*peercircle.SupportRequest, from bool) ([]requestRow, error) {
	ctx := r.Context()
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	nm := s.names(ctx)
	var out []requestRow
	for _, q := range reqs {
		row := requestRow{SupportRequest: q, Whom: siteIn(tree, q.SiteID).Name}
		if q.GroupID != 0 {
			if g, err := s.Store.Group(ctx, q.GroupID); err == nil {
				row.Whom = g.Name
			}
		}
		if from {
			row.From = nm.of(q.GroupID, q.PersonID)
		}
		out = append(out, row)
	}
	return out, nil
}

// supportRequests lists the person's own requests and those sent to them.
func (s *Server) supportRequests(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	mine, err := s.Store.SupportRequestsOf(ctx, p.PersonID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	hg, hs := requestHandlerScopes(p, tree)
	to, err := s.Store.SupportRequestsTo(ctx, hg, hs)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := &requestsData{}
	if d.Mine, err = s.requestRows(r, mine, false); err == nil {
		d.ToMe, err = s.requestRows(r, to, true)
	}
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "support_requests", s.page(r, "safety.requests_title", d))
}

type requestData struct {
	requestRow
	Mine      bool // the reader asked
	CanAnswer bool
}

// requestScope loads the {request} in the path and lets in its member
// and the people it went to.
func (s *Server) requestScope(w http.ResponseWriter, r *http.Request) (peercircle.Scope, int64, bool) {
	id, ok := pathID(r, "request")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return peercircle.Scope{}, 0, false
	}
	sc, err := s.Store.SupportRequestScope(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return sc, id, false
	}
	p := principal(r)
	if !peercircle.Can(p, peercircle.ActSelf, sc) && !peercircle.Can(p, peercircle.ActHandleSupportRequest, sc) {
		s.renderError(w, r, http.StatusForbidden)
		return sc, id, false
	}
	return sc, id, true
}

// supportRequestShow opens a request for its member or its receivers;
// every read by a receiver is audited.
func (s *Server) supportRequestShow(w http.ResponseWriter, r *http.Request) {
	sc, id, ok := s.requestScope(w, r)
	if !ok {
		return
	}
	s.renderRequest(w, r, sc, id, nil)
}

func (s *Server) renderRequest(w http.ResponseWriter, r *http.Request, sc peercircle.Scope, id int64, formErr error) {
	ctx := r.Context()
	p := principal(r)
	q, err := s.Store.SupportRequest(ctx, id, true)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d := &requestData{Mine: peercircle.Can(p, peercircle.ActSelf, sc), CanAnswer: peercircle.Can(p, peercircle.ActHandleSupportRequest, sc)}
	rows, err := s.requestRows(r, []*peercircle.SupportRequest{q}, d.CanAnswer)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	d.requestRow = rows[0]
	if !d.Mine {
		if err := s.Store.Audit(ctx, &peercircle.AuditEvent{ActorID: p.PersonID, Action: "support_request.read", TargetKind: "support_request", TargetID: id}); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	page := s.page(r, "safety.request_title", d)
	if formErr != nil {
		s.formError(w, r, "support_request", page, formErr)
		return
	}
	s.render(w, r, "support_request", page)
}

// supportRequestAnswer lets a receiver reply, take the request in hand or
// close it.
func (s *Server) supportRequestAnswer(w http.ResponseWriter, r *http.Request) {
	sc, id, ok := s.requestScope(w, r)
	if !ok || !s.allow(w, r, peercircle.ActHandleSupportRequest, sc) {
		return
	}
	state := ""
	switch r.PostFormValue("op") {
	case "take":
		state = peercircle.RequestInHand
	case "close":
		state = peercircle.RequestClosed
	case "reply":
	default:
		s.renderMessage(w, r, http.StatusUnprocessableEntity, "error.title", "error.choice")
		return
	}
	if err := s.Store.AnswerSupportRequest(r.Context(), id, principal(r).PersonID, r.PostFormValue("reply"), state); err != nil {
		if c := peercircle.ErrorCode(err); c == peercircle.EINVALID || c == peercircle.ECONFLICT {
			s.renderRequest(w, r, sc, id, err)
			return
		}
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/support/requests/"+id64(id), "flash.safety.request_answered")
}

// supportRequestWithdraw lets the member take their request back.
func (s *Server) supportRequestWithdraw(w http.ResponseWriter, r *http.Request) {
	sc, id, ok := s.requestScope(w, r)
	if !ok || !s.allow(w, r, peercircle.ActSelf, sc) {
		return
	}
	if err := s.Store.WithdrawSupportRequest(r.Context(), id, principal(r).PersonID); err != nil {
		if peercircle.ErrorCode(err) == peercircle.ECONFLICT {
			s.renderRequest(w, r, sc, id, err)
			return
		}
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/support/requests", "flash.safety.request_withdrawn")
}
