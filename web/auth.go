package web

import (
	"net/http"
	"time"

	"github.com/peercircle/peercircle"
)

func (s *Server) authRoutes() {
	s.handlePublic("GET /signin", http.HandlerFunc(s.signinForm))
	s.handlePublic("POST /signin", http.HandlerFunc(s.signin))
	s.handlePublic("POST /signout", http.HandlerFunc(s.signout))
	s.handlePublic("GET /invite/{token}", http.HandlerFunc(s.inviteForm))
	s.handlePublic("POST /invite/{token}", http.HandlerFunc(s.inviteAccept))
	s.handlePublic("GET /reset", http.HandlerFunc(s.resetRequestForm))
	s.handlePublic("POST /reset", http.HandlerFunc(s.resetRequest))
	s.handlePublic("GET /reset/{token}", http.HandlerFunc(s.resetForm))
	s.handlePublic("POST /reset/{token}", http.HandlerFunc(s.resetPassword))
	s.handlePublic("POST /language", http.HandlerFunc(s.setLanguage))
	s.handlePublic("GET /support", http.HandlerFunc(s.support))
}

type signinData struct{ Next string }

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	if principal(r) != nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, "signin", s.page(r, "auth.signin_title", signinData{Next: localPath(r.URL.Query().Get("next"))}))
}

// signin checks the password and starts a new session. The old session id,
// if any, is never reused (session fixation).
func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.PostFormValue("next"))
	in := peercircle.SignIn{Login: r.PostFormValue("login"), Password: r.PostFormValue("password"), Addr: s.clientAddr(r)}
	if c, err := r.Cookie(cookieDevice); err == nil {
		in.Device = c.Value
	}
	p, device, err := s.Store.Authenticate(r.Context(), in)
	if err != nil {
		r.PostForm.Del("password")
		s.formError(w, r, "signin", s.page(r, "auth.signin_title", signinData{Next: next}), err)
		return
	}
	s.setCookie(w, r, cookieDevice, device, 365*24*time.Hour)
	second, err := s.needsSecondStep(r, p.ID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if second {
		// The password was right; no session until the code is.
		token, err := s.Store.StartSecondStep(r.Context(), p.ID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		s.setCookie(w, r, cookieSecondStep, token, peercircle.SecondStepValid)
		http.Redirect(w, r, "/signin/code?next="+urlQueryEscape(next), http.StatusSeeOther)
		return
	}
	s.startSession(w, r, p.ID, next)
}

// startSession signs the person in on this browser: a new session id
// (never the old one: session fixation), audited.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, personID int64, next string) {
	if st := stateOf(r); st.session != "" {
		_ = s.Store.EndAuthSession(r.Context(), st.session)
	}
	token, _, err := s.Store.CreateAuthSession(r.Context(), personID)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.setCookie(w, r, cookieSession, token, 0)
	s.clearCookie(w, r, cookieCSRF)
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: personID, Action: "auth.signin", TargetKind: "person", TargetID: personID})
	s.redirect(w, r, next, "")
}

// signout ends the session on the server, not only in the browser.
func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if st := stateOf(r); st.session != "" {
		if err := s.Store.EndAuthSession(r.Context(), st.session); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	s.clearCookie(w, r, cookieSession)
	// The pages the browser kept for revisits go with the session.
	w.Header().Set("Clear-Site-Data", `"cache"`)
	s.redirect(w, r, "/signin", "flash.signed_out")
}

type inviteData struct {
	Person *peercircle.Person
	Token  string
}

func (s *Server) inviteForm(w http.ResponseWriter, r *http.Request) {
	// The page names the invitee and its address holds the token: no
	// browser or proxy keeps it.
	w.Header().Set("Cache-Control", "no-store")
	_, p, err := s.Store.Invitation(r.Context(), r.PathValue("token"))
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "invite", s.page(r, "auth.invite_title", inviteData{Person: p, Token: r.PathValue("token")}))
}

func (s *Server) inviteAccept(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	_, p, err := s.Store.Invitation(r.Context(), token)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		err = &peercircle.Error{Code: peercircle.EINVALID, Key: "auth.passwords_differ", Fields: map[string]string{"password2": "auth.passwords_differ"}}
	} else {
		_, err = s.Store.AcceptInvitation(r.Context(), token, r.PostFormValue("password"))
	}
	if err != nil {
		r.PostForm.Del("password")
		r.PostForm.Del("password2")
		s.formError(w, r, "invite", s.page(r, "auth.invite_title", inviteData{Person: p, Token: token}), err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: p.ID, Action: "auth.invitation_accepted", TargetKind: "person", TargetID: p.ID})
	s.redirect(w, r, "/signin", "flash.password_set")
}

func (s *Server) resetRequestForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "reset_request", s.page(r, "auth.reset_title", nil))
}

// resetRequest always answers the same way, so nobody can learn whether an
// account exists. When it does, the link goes to the person's e-mail.
func (s *Server) resetRequest(w http.ResponseWriter, r *http.Request) {
	token, p, err := s.Store.CreateReset(r.Context(), r.PostFormValue("login"), s.clientAddr(r))
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if p != nil && token != "" && s.Mail != nil {
		link := s.absURL("/reset/" + token)
		if err := s.Mail.SendReset(r.Context(), p, link); err != nil {
			s.Log.Error("reset mail not queued", "person", p.ID, "err", err)
		}
	}
	s.renderMessage(w, r, http.StatusOK, "auth.reset_title", "auth.reset_sent")
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store") // the address holds the token
	s.render(w, r, "reset", s.page(r, "auth.reset_title", inviteData{Token: r.PathValue("token")}))
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	var err error
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		err = &peercircle.Error{Code: peercircle.EINVALID, Key: "auth.passwords_differ", Fields: map[string]string{"password2": "auth.passwords_differ"}}
	} else {
		_, err = s.Store.ResetPassword(r.Context(), token, r.PostFormValue("password"))
	}
	if err != nil {
		r.PostForm.Del("password")
		r.PostForm.Del("password2")
		s.formError(w, r, "reset", s.page(r, "auth.reset_title", inviteData{Token: token}), err)
		return
	}
	s.redirect(w, r, "/signin", "flash.password_set")
}

// setLanguage saves the choice for a signed-in person and in a cookie for
// everyone, then goes back to the page.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	ok := false
	for _, l := range peercircle.Languages {
		ok = ok || l == lang
	}
	if !ok {
		s.renderMessage(w, r, http.StatusUnprocessableEntity, "error.title", "error.choice")
		return
	}
	if p := principal(r); p != nil {
		if err := s.Store.SetLanguage(r.Context(), p.PersonID, lang); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	s.setCookie(w, r, cookieLang, lang, 365*24*time.Hour)
	s.redirect(w, r, localPath(r.PostFormValue("next")), "")
}

// support is the always-present "Need more support?" page: when peer
// support is not enough, and where to turn.
// Signed in, it also shows the person's files of support and the way to
// ask for more (web/safety.go).
func (s *Server) support(w http.ResponseWriter, r *http.Request) {
	s.supportPage(w, r)
}

// absURL builds an absolute link for what leaves the app (a message, a
// QR code, a feed), on BaseURL and never on the request's Host header.
func (s *Server) absURL(path string) string { return s.BaseURL() + path }
