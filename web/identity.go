package web

import (
	"net/http"
	"strconv"

	"github.com/peercircle/peercircle"
)

// The owner's side of the sign-in identity rules (identity.go in the
// domain): changing their own e-mail with their password, answering a
// proposal someone else made, and undoing a change from the old address.
func (s *Server) identityRoutes() {
	s.handle("POST /profile/email", s.profileEmail)
	s.handle("POST /profile/email/confirm", s.profileEmailConfirm)
	s.handle("POST /profile/email/decline", s.profileEmailDecline)
	s.handlePublic("GET /email/undo/{token}", http.HandlerFunc(s.emailUndoForm))
	s.handlePublic("POST /email/undo/{token}", http.HandlerFunc(s.emailUndo))
}

// personTarget loads what the field rules need about a person: their
// roles (grants and group roles) and home scope.
func (s *Server) personTarget(r *http.Request, p *peercircle.Person) (peercircle.PersonTarget, *peercircle.Tree, error) {
	t := peercircle.PersonTarget{PersonID: p.ID, Status: p.Status}
	tree, err := s.Store.Tree(r.Context())
	if err != nil {
		return t, nil, err
	}
	if p.HomeSiteID != 0 {
		t.Home, _ = tree.SiteScope(p.HomeSiteID)
	}
	roles, err := s.Store.Principal(r.Context(), p.ID)
	if err != nil {
		return t, nil, err
	}
	t.Grants, t.GroupRoles = roles.Grants, roles.GroupRoles
	return t, tree, nil
}

// profileEmail changes the owner's own e-mail: their password first, then
// the old address is told, with a link to undo it.
func (s *Server) profileEmail(w http.ResponseWriter, r *http.Request) {
	d, err := s.profileData(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	t, tree, err := s.personTarget(r, d.Person)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if peercircle.PersonEdit(principal(r), t, peercircle.FieldEmail, tree) != peercircle.EditWithPassword {
		s.renderError(w, r, http.StatusForbidden)
		return
	}
	token, old, err := s.Store.ChangeOwnEmail(r.Context(), d.Person.ID, r.PostFormValue("current_password"), r.PostFormValue("new_email"), stateOf(r).session)
	if err != nil {
		r.PostForm.Del("current_password")
		s.formError(w, r, "profile", s.page(r, "profile.title", d), err)
		return
	}
	if token != "" {
		if s.Mail != nil {
			if err := s.Mail.SendEmailChanged(r.Context(), d.Person, old, s.absURL("/email/undo/"+token)); err != nil {
				s.Log.Error("e-mail change notice not queued", "person", d.Person.ID, "err", err)
			}
		}
		_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: d.Person.ID, Action: "person.email_changed", TargetKind: "person", TargetID: d.Person.ID})
	}
	s.redirect(w, r, "/profile", "flash.saved")
}

func (s *Server) profileEmailConfirm(w http.ResponseWriter, r *http.Request) {
	me := principal(r).PersonID
	id, _ := strconv.ParseInt(r.PostFormValue("change"), 10, 64)
	if err := s.Store.ConfirmEmail(r.Context(), me, id, stateOf(r).session); err != nil {
		s.renderErr(w, r, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: me, Action: "person.email_confirmed", TargetKind: "person", TargetID: me})
	s.redirect(w, r, "/profile", "flash.saved")
}

func (s *Server) profileEmailDecline(w http.ResponseWriter, r *http.Request) {
	me := principal(r).PersonID
	id, _ := strconv.ParseInt(r.PostFormValue("change"), 10, 64)
	if err := s.Store.DeclineEmail(r.Context(), me, id); err != nil {
		s.renderErr(w, r, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: me, Action: "person.email_declined", TargetKind: "person", TargetID: me})
	s.redirect(w, r, "/profile", "flash.saved")
}

// emailUndoForm asks before undoing: mail scanners open links, and a GET
// must change nothing.
func (s *Server) emailUndoForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, "email_undo", s.page(r, "identity.undo_title", inviteData{Token: r.PathValue("token")}))
}

func (s *Server) emailUndo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	p, err := s.Store.UndoEmail(r.Context(), r.PathValue("token"))
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: p.ID, Action: "person.email_undone", TargetKind: "person", TargetID: p.ID})
	s.renderMessage(w, r, http.StatusOK, "identity.undo_title", "identity.undone")
}
