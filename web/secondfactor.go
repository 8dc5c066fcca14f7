package web

import (
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/totp"
)

// The second factor (issue 10, item 8): a code from an authenticator app
// after the password, required for the roles the setting names and open to
// everyone; ten recovery codes; a browser remembered for 30 days; an admin
// can reset a person's factor.

const (
	cookieSecondStep = "pc_second" // the password was right; the code is next
	cookieRemember   = "pc_remember"
)

func (s *Server) secondFactorRoutes() {
	s.handlePublic("GET /signin/code", http.HandlerFunc(s.signinCodeForm))
	s.handlePublic("POST /signin/code", http.HandlerFunc(s.signinCode))
	s.handle("GET /profile/second-factor", s.secondFactorPage)
	s.handle("POST /profile/second-factor", s.secondFactorSave)
	s.handle("POST /people/{person}/second-factor/reset", s.secondFactorReset)
	s.handle("POST /admin/second-factor", s.secondFactorRolesSave)
}

// secondFactorRolesSave is an admin choosing which roles must use a second
// factor (the setting), audited.
func (s *Server) secondFactorRolesSave(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	var roles []string
	for _, role := range r.PostForm["role"] {
		if !slices.Contains(peercircle.Roles, role) {
			s.renderMessage(w, r, http.StatusUnprocessableEntity, "error.title", "error.choice")
			return
		}
		roles = append(roles, role)
	}
	value := strings.Join(peercircle.SecondFactorRoles(strings.Join(roles, ",")), ",")
	if err := s.Store.SetSetting(r.Context(), peercircle.SettingSecondFactorRoles, value); err != nil {
		s.renderErr(w, r, err)
		return
	}
	_ = s.Store.Audit(r.Context(), &peercircle.AuditEvent{ActorID: principal(r).PersonID, Action: "setting.second_factor_roles", TargetKind: "setting", Detail: "roles=" + value})
	s.redirect(w, r, "/admin/org#second-factor", "flash.saved")
}

// secondFactorOpen lists the paths a person who must still set up a second
// factor can reach: the set-up page and what every page links to.
func secondFactorOpen(path string) bool {
	switch path {
	case "/profile/second-factor", "/signout", "/language", "/support", "/healthz", "/readyz":
		return true
	}
	return strings.HasPrefix(path, "/static/")
}

// needsSecondStep tells signin whether the password is enough for p.
func (s *Server) needsSecondStep(r *http.Request, personID int64) (bool, error) {
	f, err := s.Store.SecondFactor(r.Context(), personID)
	if peercircle.ErrorCode(err) == peercircle.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if f.ConfirmedAt == nil {
		return false, nil
	}
	if c, err := r.Cookie(cookieRemember); err == nil && s.Store.Remembered(r.Context(), personID, c.Value) {
		return false, nil
	}
	return true, nil
}

type signinCodeData struct{ Next string }

func (s *Server) signinCodeForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	c, err := r.Cookie(cookieSecondStep)
	if err != nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	if _, err := s.Store.SecondStep(r.Context(), c.Value); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "signin_code", s.page(r, "auth.2fa_title", signinCodeData{Next: localPath(r.URL.Query().Get("next"))}))
}

// signinCode finishes a sign-in with the code (or a recovery code).
func (s *Server) signinCode(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	next := localPath(r.PostFormValue("next"))
	c, err := r.Cookie(cookieSecondStep)
	if err != nil {
		s.renderMessage(w, r, http.StatusUnauthorized, "auth.signin_title", "auth.session_ended")
		return
	}
	personID, err := s.Store.SecondStep(ctx, c.Value)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if err := s.Store.CheckSecondFactor(ctx, personID, peercircleDigits(r.PostFormValue("code")), s.clientAddr(r)); err != nil {
		r.PostForm.Del("code")
		s.formError(w, r, "signin_code", s.page(r, "auth.2fa_title", signinCodeData{Next: next}), err)
		return
	}
	if err := s.Store.EndSecondStep(ctx, c.Value); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.clearCookie(w, r, cookieSecondStep)
	if r.PostFormValue("remember") != "" {
		token, err := s.Store.RememberBrowser(ctx, personID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		s.setCookie(w, r, cookieRemember, token, peercircle.RememberDevice)
	}
	s.startSession(w, r, personID, next)
}

type secondFactorData struct {
	Factor   *peercircle.SecondFactor
	Required bool
	// While setting up: the secret as text and as a QR code.
	Secret string
	QR     template.HTML
	// Once, after set-up or on asking for new ones.
	Recovery []string
	Zone     *time.Location
}

func (s *Server) secondFactorData(r *http.Request) (*secondFactorData, error) {
	p := principal(r)
	d := &secondFactorData{Required: peercircle.SecondFactorRequired(p.Grants, p.SecondFactorRoles), Zone: time.UTC}
	f, err := s.Store.SecondFactor(r.Context(), p.PersonID)
	if err != nil && peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
		return nil, err
	}
	if f != nil && f.ConfirmedAt != nil {
		d.Factor = f
	}
	return d, nil
}

// secondFactorPage shows the factor's state, or begins setting one up.
func (s *Server) secondFactorPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.secondFactorData(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if d.Factor == nil && r.URL.Query().Get("start") != "" || d.Factor == nil && d.Required {
		if err := s.beginSecondFactor(r, d); err != nil {
			s.renderErr(w, r, err)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store") // the secret is on the page
	s.render(w, r, "second_factor", s.page(r, "auth.2fa_setup_title", d))
}

func (s *Server) beginSecondFactor(r *http.Request, d *secondFactorData) error {
	p := principal(r)
	secret, err := s.Store.BeginSecondFactor(r.Context(), p.PersonID)
	if err != nil {
		return err
	}
	person, err := s.Store.Person(r.Context(), p.PersonID)
	if err != nil {
		return err
	}
	account := person.Username
	if account == "" {
		account = person.Email
	}
	d.Secret = totp.Encode(secret)
	d.QR, err = qrSVG(totp.URI(secret, "PeerCircle", account), s.loc(r).T("auth.2fa_qr_label"))
	return err
}

// secondFactorSave confirms a new factor with a first code, gives new
// recovery codes, or turns the factor off (not for those who must keep it).
func (s *Server) secondFactorSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	d, err := s.secondFactorData(r)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	switch r.PostFormValue("op") {
	case "confirm":
		codes, err := s.Store.ConfirmSecondFactor(ctx, p.PersonID, peercircleDigits(r.PostFormValue("code")))
		if peercircle.ErrorCode(err) == peercircle.EINVALID {
			// A wrong first code: a new secret, so nothing half-set stays.
			if berr := s.beginSecondFactor(r, d); berr != nil {
				s.renderErr(w, r, berr)
				return
			}
			r.PostForm.Del("code")
			s.formError(w, r, "second_factor", s.page(r, "auth.2fa_setup_title", d), err)
			return
		} else if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d, _ = s.secondFactorData(r)
		d.Factor, _ = s.Store.SecondFactor(ctx, p.PersonID)
		d.Recovery = codes
		p := s.page(r, "auth.2fa_setup_title", d)
		p.Flash = "flash.2fa_on"
		s.render(w, r, "second_factor", p)
	case "codes":
		codes, err := s.Store.NewRecoveryCodes(ctx, p.PersonID)
		if err != nil {
			s.renderErr(w, r, err)
			return
		}
		d.Factor, _ = s.Store.SecondFactor(ctx, p.PersonID)
		d.Recovery = codes
		s.render(w, r, "second_factor", s.page(r, "auth.2fa_setup_title", d))
	case "off":
		if d.Required {
			s.renderMessage(w, r, http.StatusForbidden, "error.forbidden.title", "auth.2fa_required_keep")
			return
		}
		if err := s.Store.RemoveSecondFactor(ctx, p.PersonID); err != nil {
			s.renderErr(w, r, err)
			return
		}
		s.clearCookie(w, r, cookieRemember)
		s.redirect(w, r, "/profile/second-factor", "flash.2fa_off")
	default:
		s.renderError(w, r, http.StatusNotFound)
	}
}

// secondFactorReset is an admin turning off a person's factor (a lost phone
// and no recovery codes left): audited; the person sets a new one up.
func (s *Server) secondFactorReset(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	id, ok := pathID(r, "person")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if err := s.Store.ResetSecondFactor(r.Context(), id, principal(r).PersonID); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.redirect(w, r, "/people/"+r.PathValue("person"), "flash.2fa_reset")
}
