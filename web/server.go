// Package web serves PeerCircle's pages: server-rendered HTML that works
// without JavaScript, in the person's language, with every route checked
// against the one policy function (peercircle.Can). One file per page or
// action; templates are named after their page.
package web

import (
	"context"
	"embed"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/metrics"
)

//go:embed templates static
var assets embed.FS

// Store is what the web layer needs from storage: the domain services.
type Store interface {
	peercircle.OrgService
	peercircle.PersonService
	peercircle.AuthService
	peercircle.GroupService
	peercircle.VenueService
	peercircle.AgendaService
	peercircle.EthicsService
	peercircle.ConsentService
	peercircle.MeetingService
	peercircle.RotationService
	peercircle.FeedService
	peercircle.SessionService
	peercircle.AuditService
	peercircle.NotificationService
	peercircle.SettingService
	peercircle.ReportService
	peercircle.SessionService
	peercircle.SessionRunService
	peercircle.SummaryService
	peercircle.FeedbackService
	peercircle.SupportService
	peercircle.ComplaintService
	peercircle.MyDataService
	peercircle.GrowthService
	peercircle.BuddyService
	peercircle.PublicService
	peercircle.IdentityService
	peercircle.OutboxService
	peercircle.SecondFactorService
	peercircle.ClashService
	peercircle.TopicService
	peercircle.ReminderService
	peercircle.ImportService
	peercircle.MessageSettingsService
	Ping(ctx context.Context) error
}

// Mailer sends the few messages that must leave the app (password-reset
// links). It queues them durably; delivery happens in the background.
type Mailer interface {
	SendReset(ctx context.Context, p *peercircle.Person, link string) error
	// SendEmailChanged tells the address a person's e-mail was changed
	// from, with the link that undoes the change.
	SendEmailChanged(ctx context.Context, p *peercircle.Person, oldEmail, undoLink string) error
	// SendInvitation sends an invitation link to a person an
	// administrator chose to invite after an import.
	SendInvitation(ctx context.Context, p *peercircle.Person, link string) error
}

// Config is the web layer's part of the configuration, parsed once in cmd.
type Config struct {
	// SecureCookies marks cookies Secure. Set it when PeerCircle is served
	// over TLS (directly or behind a proxy); requests that arrive over TLS
	// get Secure cookies regardless.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For (for login
	// throttling); set it only behind a proxy that sets the header.
	TrustProxy bool
	// BaseURL is the public address, for links that leave the app
	// (password resets, invitations, calendar feeds, feedback codes,
	// flyers). Without it they use the address the server listens on
	// (Listening); never a request's Host header, which anyone can set.
	BaseURL string
}

// Server holds the dependencies of every handler.
type Server struct {
	Store Store
	Mail  Mailer // nil: reset links cannot be e-mailed; organisers hand them over
	// Channels are the channels messages can leave by besides e-mail
	// (sms, whatsapp), as configured; the profile offers only these.
	Channels []string
	// Receipts read providers' delivery receipts, by channel.
	Receipts map[string]ReceiptReader
	I18n     *i18n.Bundle
	Log      *slog.Logger
	Config   Config
	Now      peercircle.Clock

	mux       *http.ServeMux
	routes    []Route
	pages     *engine
	metrics   *httpMetrics
	staticVer string
	cop       *http.CrossOriginProtection
	listening atomic.Pointer[string] // "http://host:port", when BaseURL is empty
}

// parsedPages parses the embedded templates once per process: they cannot
// change while it runs, and tests build many servers.
var parsedPages = sync.OnceValues(func() (*engine, error) { return newEngine(assets) })

// Route is one registered route, for the access-matrix test.
type Route struct {
	Pattern string // e.g. "GET /sites/{site}"
	Public  bool   // reachable without signing in
}

// New builds a server and registers every route.
func New(store Store, bundle *i18n.Bundle, log *slog.Logger, cfg Config, reg *metrics.Registry) (*Server, error) {
	pages, err := parsedPages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		Store: store, I18n: bundle, Log: log, Config: cfg, Now: peercircle.SystemClock,
		mux: http.NewServeMux(), pages: pages, metrics: newHTTPMetrics(reg),
		staticVer: staticVersion(assets), cop: http.NewCrossOriginProtection(),
	}
	s.registerRoutes()
	return s, nil
}

// Listening tells the server the address it listens on, for links that
// leave the app when no BaseURL is configured.
func (s *Server) Listening(addr net.Addr) {
	base := "http://" + addr.String()
	s.listening.Store(&base)
}

// BaseURL is the address links that leave the app start with: the
// configured BaseURL, else the address the server listens on, else
// http://localhost. It never comes from a request.
func (s *Server) BaseURL() string {
	if b := strings.TrimSuffix(s.Config.BaseURL, "/"); b != "" {
		return b
	}
	if b := s.listening.Load(); b != nil {
		return *b
	}
	return "http://localhost"
}

// Routes lists every registered route, sorted.
func (s *Server) Routes() []Route {
	out := append([]Route(nil), s.routes...)
	sort.Slice(out, func(i, j int) bool { return out[i].Pattern < out[j].Pattern })
	return out
}

// handle registers a route for signed-in people; the handler still decides
// access with Can, since signed in is not the same as allowed.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{Pattern: pattern})
	s.mux.Handle(pattern, s.requireSignIn(h))
}

// handlePublic registers a route open to the public (sign-in, links, assets).
func (s *Server) handlePublic(pattern string, h http.Handler) {
	s.routes = append(s.routes, Route{Pattern: pattern, Public: true})
	s.mux.Handle(pattern, h)
}

// Handler returns the whole application with its middleware.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	h = s.withPrincipal(h) // session, language, CSRF
	h = s.withHeaders(h)
	h = s.withRecover(h)
	h = withCompression(h)
	h = s.withMetricsAndLog(h) // outermost: it sees every response, panics included
	return h
}

// now returns the server's current time.
func (s *Server) now() time.Time { return s.Now() }
