package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
)

// The rota's explicit acts (issue 11): a member whose turn it is sends
// apologies with a substitute or proposes a swap; the other person
// answers; the organiser puts any member on the rota. Every change is
// recorded, shown on the group page and announced (sqlstore/rota_changes.go).

func (s *Server) rotaRoutes() {
	s.handle("GET /sessions/{session}/turn", s.turnShow)
	s.handle("POST /sessions/{session}/apologies", s.turnApologies)
	s.handle("POST /sessions/{session}/swap", s.turnSwap)
	s.handle("POST /swaps/{swap}/answer", s.swapAnswer)
	s.handle("POST /groups/{group}/rota", s.rotaAdd)
}

// changeRow is one recorded rota change as the group page shows it.
type changeRow struct {
	Date       string
	Role, Kind string
	Old, New   string
	By         string
}

// swapRow is a swap waiting for the viewer's answer.
type swapRow struct {
	ID           int64
	Role         string
	With         string
	Mine, Theirs string // the dates: the viewer's turn, the one offered
}

// rotaView is the group page's rota: changes, swaps for the viewer, and
// the organiser's form to put a member on the rota.
type rotaView struct {
	Changes []changeRow
	Swaps   []swapRow
	Add     []personChoice // current members, for "put on the rota"
	Roles   []string
}

// rotaViewOf reads what the group page shows about its rota.
func (s *Server) rotaViewOf(r *http.Request, g *peercircle.Group, loc *time.Location, nm *names, ms []*peercircle.Membership, manage bool) (*rotaView, error) {
	ctx := r.Context()
	L := s.loc(r)
	v := &rotaView{Roles: peercircle.VolunteerRoles}
	changes, err := s.Store.RotaChanges(ctx, g.ID, s.now().Add(-24*time.Hour), 12)
	if err != nil {
		return nil, err
	}
	swaps, err := s.Store.Swaps(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	me := principal(r).PersonID
	for _, c := range changes {
		for _, id := range []int64{c.OldPersonID, c.NewPersonID, c.ByPersonID} {
			nm.want(g.ID, id)
		}
	}
	for _, w := range swaps {
		nm.want(g.ID, w.PersonA)
	}
	nm.load()
	for _, c := range changes {
		v.Changes = append(v.Changes, changeRow{Date: L.ShortDate(c.PlannedStart.In(loc)), Role: c.Role, Kind: c.Kind,
			Old: nm.of(g.ID, c.OldPersonID), New: nm.of(g.ID, c.NewPersonID), By: nm.of(g.ID, c.ByPersonID)})
	}
	for _, w := range swaps {
		if w.PersonB != me {
			continue
		}
		v.Swaps = append(v.Swaps, swapRow{ID: w.ID, Role: w.Role, With: nm.of(g.ID, w.PersonA),
			Mine: L.ShortDate(w.StartB.In(loc)), Theirs: L.ShortDate(w.StartA.In(loc))})
	}
	if manage {
		v.Add = choicesOf(g.ID, ms, nm)
	}
	return v, nil
}

// turnData is "Your turn": apologies with a substitute, or a swap.
type turnData struct {
	Meeting meetingView
	Role    string
	Members []personChoice // who could take the turn
	Offers  []swapOffer    // turns in the same role at other meetings
}

// swapOffer is another meeting's turn in the same role, to swap with.
type swapOffer struct {
	Value string // "session:person"
	Date  string
	Name  string
}

func (s *Server) turnPage(r *http.Request, m *peercircle.Session) (*Page, error) {
	ctx := r.Context()
	me := principal(r).PersonID
	views, err := s.meetingViews(r, me, []*peercircle.Session{m})
	if err != nil {
		return nil, err
	}
	d := &turnData{Meeting: views[0]}
	for _, t := range views[0].Turns {
		if t.Mine {
			d.Role = t.Role
		}
	}
	members, err := s.groupChoices(ctx, m.GroupID)
	if err != nil {
		return nil, err
	}
	// Only people who can take the turn: not the person, nobody with a
	// role at that meeting, who sent apologies for it or is on leave.
	busy := map[int64]bool{me: true}
	turns, err := s.Store.Turns(ctx, []int64{m.ID})
	if err != nil {
		return nil, err
	}
	for _, t := range turns {
		busy[t.PersonID] = true
	}
	as, err := s.Store.Attendances(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.Status == peercircle.AttendApologies {
			busy[a.PersonID] = true
		}
	}
	ms, err := s.Store.Memberships(ctx, m.GroupID)
	if err != nil {
		return nil, err
	}
	for _, mb := range ms {
		if mb.Status != peercircle.MemberActive {
			busy[mb.PersonID] = true
		}
	}
	d.Members = slices.DeleteFunc(members, func(c personChoice) bool { return busy[c.PersonID] })
	if d.Role != "" {
		later, err := s.Store.Sessions(ctx, peercircle.SessionFilter{GroupID: m.GroupID, From: s.now(), To: s.now().AddDate(0, 6, 0),
			Statuses: []string{peercircle.SessionPlanned}, Limit: 24})
		if err != nil {
			return nil, err
		}
		var ids []int64
		for _, o := range later {
			if o.ID != m.ID {
				ids = append(ids, o.ID)
			}
		}
		turns, err := s.Store.Turns(ctx, ids)
		if err != nil {
			return nil, err
		}
		ovs, err := s.meetingViews(r, 0, slices.DeleteFunc(later, func(o *peercircle.Session) bool { return o.ID == m.ID }))
		if err != nil {
			return nil, err
		}
		for _, t := range turns {
			if t.Role != d.Role || t.PersonID == me {
				continue
			}
			for _, ov := range ovs {
				if ov.Session.ID == t.SessionID {
					for _, tv := range ov.Turns {
						if tv.Role == d.Role {
							d.Offers = append(d.Offers, swapOffer{Value: fmt.Sprintf("%d:%d", t.SessionID, t.PersonID), Date: ov.ShortDate, Name: tv.Name})
						}
					}
				}
			}
		}
	}
	return s.page(r, "turn.title", d), nil
}

// turnShow is "Your turn" for one meeting: what the person holds, and the
// two ways to change it (000: "arrange for a substitute if they are not
// able to attend").
func (s *Server) turnShow(w http.ResponseWriter, r *http.Request) {
	m, _, ok := s.planScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	p, err := s.turnPage(r, m)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "turn", p)
}

func (s *Server) turnFailed(w http.ResponseWriter, r *http.Request, m *peercircle.Session, err error) {
	if code := peercircle.ErrorCode(err); code != peercircle.EINVALID {
		if code == peercircle.ECONFLICT {
			s.renderMessage(w, r, http.StatusConflict, "rsvp.closed_title", peercircle.ErrorKey(err))
			return
		}
		s.renderErr(w, r, err)
		return
	}
	p, perr := s.turnPage(r, m)
	if perr != nil {
		s.renderErr(w, r, perr)
		return
	}
	s.formError(w, r, "turn", p, err)
}

// turnApologies is apologies with the substitute the member proposes.
func (s *Server) turnApologies(w http.ResponseWriter, r *http.Request) {
	m, _, ok := s.planScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	if err := s.Store.Apologise(r.Context(), m.ID, principal(r).PersonID, formID(r, "substitute")); err != nil {
		s.turnFailed(w, r, m, err)
		return
	}
	s.redirect(w, r, groupPath(m.GroupID, "#rota-changes"), "flash.rsvp_apologies")
}

// turnSwap proposes a swap to the one holding the other turn.
func (s *Server) turnSwap(w http.ResponseWriter, r *http.Request) {
	m, _, ok := s.planScope(w, r, peercircle.ActParticipate)
	if !ok {
		return
	}
	sid, pid, _ := strings.Cut(r.PostFormValue("with"), ":")
	other, _ := strconv.ParseInt(sid, 10, 64)
	person, _ := strconv.ParseInt(pid, 10, 64)
	if _, err := s.Store.ProposeSwap(r.Context(), m.ID, principal(r).PersonID, other, person); err != nil {
		s.turnFailed(w, r, m, err)
		return
	}
	s.redirect(w, r, groupPath(m.GroupID, ""), "flash.swap_proposed")
}

// swapAnswer is the other person accepting or declining a swap.
func (s *Server) swapAnswer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "swap")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	sw, err := s.Store.Swap(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	sc, err := s.Store.GroupScope(r.Context(), sw.GroupID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if !s.allow(w, r, peercircle.ActParticipate, sc) {
		return
	}
	accept := r.PostFormValue("answer") == "accept"
	if err := s.Store.AnswerSwap(r.Context(), id, principal(r).PersonID, accept); err != nil {
		if peercircle.ErrorCode(err) == peercircle.ECONFLICT {
			s.renderMessage(w, r, http.StatusConflict, "rota.swap_title", peercircle.ErrorKey(err))
			return
		}
		s.renderErr(w, r, err)
		return
	}
	flash := "flash.swap_declined"
	if accept {
		flash = "flash.swap_accepted"
	}
	s.redirect(w, r, groupPath(sw.GroupID, "#rota-changes"), flash)
}

// rotaAdd is the organiser putting any member on a role's rota.
func (s *Server) rotaAdd(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.groupScope(w, r, peercircle.ActManageMembership)
	if !ok {
		return
	}
	role := r.PostFormValue("role")
	if role == "" {
		role = peercircle.VolunteerFacilitator
	}
	if err := s.Store.AddToRota(r.Context(), sc.GroupID, formID(r, "person"), role, principal(r).PersonID); err != nil {
		if peercircle.ErrorCode(err) == peercircle.EINVALID {
			s.renderMessage(w, r, http.StatusUnprocessableEntity, "error.title", "rota.add_refused")
			return
		}
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, groupPath(sc.GroupID, "#h-rota"), "flash.rota_added")
}
