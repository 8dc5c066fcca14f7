package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/importer"
	"github.com/peercircle/peercircle/metrics"
	"github.com/peercircle/peercircle/sqlstore"
)

// Cookie names.
const (
	cookieSession = "pc_session"
	cookieCSRF    = "pc_csrf"   // double-submit token for forms before sign-in
	cookieLang    = "pc_lang"   // language chosen before sign-in
	cookieDevice  = "pc_device" // marks a browser that signed in before (throttling)
	cookieFlash   = "pc_flash"
)

// state is what the middleware learns about a request. The outermost
// middleware puts it in the context; the others fill it in, so the request
// log sees the route and the person.
type state struct {
	route     string // the matched pattern, e.g. "GET /sites/{site}"
	principal *peercircle.Principal
	session   string // the session token, for sign-out
	loc       *i18n.Localizer
	csrf      string
	status    int
}

type stateKey struct{}

func stateOf(r *http.Request) *state {
	if st, ok := r.Context().Value(stateKey{}).(*state); ok {
		return st
	}
	return &state{}
}

// principal returns the signed-in person, or nil for the public.
func principal(r *http.Request) *peercircle.Principal { return stateOf(r).principal }

// withRecover turns a panic into a 500 page; the process keeps serving.
func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "route", stateOf(r).route, "panic", v, "stack", string(debug.Stack()))
				s.renderError(w, r, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach flush and deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type httpMetrics struct {
	requests *metrics.CounterVec
	duration *metrics.HistogramVec
	reg      *metrics.Registry
}

func newHTTPMetrics(reg *metrics.Registry) *httpMetrics {
	return &httpMetrics{
		reg:      reg,
		requests: reg.NewCounterVec("peercircle_http_requests_total", "HTTP requests by route and status class.", "route", "code"),
		duration: reg.NewHistogramVec("peercircle_http_request_duration_seconds", "HTTP request latency by route.",
			[]float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}, "route"),
	}
}

// MetricsHandler serves the counters for operators. It is not a route of
// the app: serve exposes it only on its own listener (--metrics-addr).
func (s *Server) MetricsHandler() http.Handler { return s.metrics.reg.Handler() }

// privateAction tells the routes by which a person asks for help, complains,
// answers feedback, contacts or joins a group, or leaves: their counters and
// log lines would date a private act (and the log line name the person), so
// they are not counted and are logged as "private" without the person.
func privateAction(route string) bool {
	for _, p := range []string{
		"POST /support/requests", "POST /complaints/", "POST /feedback/", "POST /find/{listed}/",
		"POST /sessions/{session}/feedback/claim", "POST /me/erase", "POST /groups/{group}/me/", "POST /groups/{group}/join",
	} {
		if strings.HasPrefix(route, p) {
			return true
		}
	}
	return false
}

// withMetricsAndLog logs one line per request: the route pattern (never
// the path, which can hold a link token), status, duration and person id.
func (s *Server) withMetricsAndLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &state{}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		_, st.route = s.mux.Handler(r)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := st.route
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		var pid int64
		if privateAction(route) {
			route = "private"
		} else {
			s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.status/100)+"xx").Inc()
			s.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
			if st.principal != nil {
				pid = st.principal.PersonID
			}
		}
		if route == "GET /static/" || route == "GET /healthz" {
			return
		}
		level := s.Log.Info
		if sw.status >= 500 {
			level = s.Log.Error
		}
		level("request", "method", r.Method, "route", route, "status", sw.status, "ms", d.Milliseconds(), "bytes", sw.bytes, "person", pid)
	})
}

// contentSecurityPolicy allows nothing from another host and no inline
// script or style; frames are refused.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) withHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Links carry secrets (invitations, calendar feeds): send no referrer.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) secure(r *http.Request) bool { return r.TLS != nil || s.Config.SecureCookies }

// withPrincipal loads the session, picks the language and checks CSRF on
// every state-changing request before any handler runs.
func (s *Server) withPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, ok := r.Context().Value(stateKey{}).(*state)
		if !ok {
			st = &state{}
			r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			// A request that only reads keeps the sites, quarters and
			// report settings it reads (sqlstore.WithMemo).
			r = r.WithContext(sqlstore.WithMemo(r.Context()))
		}
		ctx := r.Context()
		if hookPath(r.URL.Path) {
			// A provider's callback: no session, no cookie, no CSRF token;
			// the handler checks the provider's signature instead.
			st.loc = s.I18n.Localizer("en")
			next.ServeHTTP(w, r)
			return
		}
		// Finder pages are the same for everyone: no session, no cookie.
		shared := (r.Method == http.MethodGet || r.Method == http.MethodHead) && cacheablePath(r.URL.Path)

		if !strings.HasPrefix(r.URL.Path, "/static/") && !shared {
			if c, err := r.Cookie(cookieSession); err == nil && c.Value != "" {
				as, p, err := s.Store.SignedIn(ctx, c.Value)
				switch {
				case err == nil:
					p.CSRFToken = as.CSRFToken
					st.principal, st.session, st.csrf = p, c.Value, as.CSRFToken
				case peercircle.ErrorCode(err) == peercircle.EUNAUTHORIZED:
					s.clearCookie(w, r, cookieSession)
					w.Header().Set("Clear-Site-Data", `"cache"`)
				default:
					s.Log.Error("session lookup", "err", err)
					s.renderError(w, r, http.StatusServiceUnavailable)
					return
				}
			}
		}
		st.loc = s.I18n.Localizer(s.language(r, st.principal))

		// Someone whose role requires a second factor sets one up before
		// anything else (a session begun before the rule changed, too).
		if st.principal.NeedsSecondFactor() && !secondFactorOpen(r.URL.Path) {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/profile/second-factor", http.StatusSeeOther)
				return
			}
			s.renderMessage(w, r, http.StatusForbidden, "auth.2fa_setup_title", "auth.2fa_required")
			return
		}

		if st.principal == nil && !strings.HasPrefix(r.URL.Path, "/static/") && !shared {
			// Forms before sign-in carry a token equal to this cookie.
			if c, err := r.Cookie(cookieCSRF); err == nil && len(c.Value) >= 32 {
				st.csrf = c.Value
			} else {
				st.csrf = sqlstore.NewToken()
				s.setCookie(w, r, cookieCSRF, st.csrf, 0)
			}
		}

		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
			// The body is capped and parsed here, before the CSRF check and
			// any handler, whichever way the token arrives.
			limit := int64(maxFormBytes)
			if uploadPath(r.URL.Path) && peercircle.Can(st.principal, peercircle.ActAdmin, peercircle.Scope{}) {
				limit = maxUploadBytes // a programme's spreadsheet, from an administrator only
			}
			if status := readForm(w, r, limit); status != 0 {
				s.Log.Warn("body refused", "route", st.route, "status", status)
				key := "error.unsupported"
				if status == http.StatusRequestEntityTooLarge {
					key = "error.too_large"
				}
				s.renderMessage(w, r, status, key+".title", key+".body")
				return
			}
			if err := s.cop.Check(r); err != nil || !s.validCSRF(r, st.csrf) {
				s.Log.Warn("csrf refused", "route", st.route)
				s.renderMessage(w, r, http.StatusForbidden, "error.forbidden.title", "error.csrf")
				return
			}
			// One set of input rules for every field of every form, before
			// any handler reads it: nothing is changed by a refused form.
			if field, key := formProblem(r.PostForm); key != "" {
				s.Log.Info("form refused", "route", st.route, "field", field, "rule", key)
				s.renderMessage(w, r, http.StatusUnprocessableEntity, "error.form_input.title", key)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// validCSRF compares the form's or header's token with the expected one in
// constant time. The form was read by readForm.
func (s *Server) validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// maxFormBytes bounds every request body; the longest note fits easily.
const maxFormBytes = 1 << 20

// maxUploadBytes bounds the one body that may be larger: a spreadsheet an
// administrator imports (the importer's own limit, and room for the form).
const maxUploadBytes = importer.MaxBytes + 64<<10

// uploadPath reports whether a path takes a file upload.
func uploadPath(path string) bool { return path == "/admin/import" }

// readForm caps a state-changing request's body at limit and parses
// it, before anything else reads it. It returns 0 when the form was read,
// 413 for a body over the cap (declared or streamed), 415 for a body that is
// not a web form (a form route has nothing to do with JSON or raw bytes).
func readForm(w http.ResponseWriter, r *http.Request, limit int64) int {
	if r.ContentLength > limit {
		return http.StatusRequestEntityTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	case "multipart/form-data":
		// Files, if a form ever sends one, count against the same cap.
		err = r.ParseMultipartForm(maxFormBytes)
	default:
		// No content type is fine for an empty body (a button alone).
		var one [1]byte
		if n, _ := io.ReadFull(r.Body, one[:]); n > 0 {
			return http.StatusUnsupportedMediaType
		}
		r.Form, r.PostForm = r.URL.Query(), url.Values{}
		return 0
	}
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return http.StatusRequestEntityTooLarge
		}
		return http.StatusBadRequest
	}
	return 0
}

// language picks the page language: the person's choice, else the cookie
// chosen before sign-in, else the browser's Accept-Language.
func (s *Server) language(r *http.Request, p *peercircle.Principal) string {
	if p != nil && p.Lang != "" {
		return p.Lang
	}
	if l := r.URL.Query().Get("lang"); l != "" && (r.URL.Path == "/find" || strings.HasPrefix(r.URL.Path, "/find/")) && slices.Contains(peercircle.Languages, l) {
		return l // a finder link in a chosen language (a flyer's QR code)
	}
	if c, err := r.Cookie(cookieLang); err == nil {
		for _, l := range peercircle.Languages {
			if c.Value == l {
				return l
			}
		}
	}
	return i18n.Match(r.Header.Get("Accept-Language"), peercircle.Languages)
}

// requireSignIn sends the public to the sign-in page, remembering where
// they were going (a local path only).
func (s *Server) requireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if principal(r) == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderMessage(w, r, http.StatusUnauthorized, "auth.signin_title", "auth.session_ended")
			return
		}
		// Pages about people must not be kept by a shared cache; the
		// browser keeps one only to ask again on the next visit (a 304
		// when it has not changed, see writeTagged), and signing out or
		// an ended session clears what it kept. Confidential records are
		// never kept at all.
		if neverKept(r.URL.Path) {
			w.Header().Set("Cache-Control", "no-store")
		} else {
			w.Header().Set("Cache-Control", "private, no-cache")
		}
		next.ServeHTTP(w, r)
	})
}

// neverKept lists the signed-in pages a browser must not store even to
// revalidate: a person's own data and records about a person, support
// requests, complaints and Sheet 2 summaries.
func neverKept(path string) bool {
	for _, p := range []string{"/me/", "/people/", "/support/requests", "/complaints"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return strings.Contains(path, "/summary")
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)}
	if maxAge > 0 {
		c.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(w, c)
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// clientAddr is the address login throttling counts by.
func (s *Server) clientAddr(r *http.Request) string {
	if s.Config.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
