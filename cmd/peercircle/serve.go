package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/jobs"
	"github.com/peercircle/peercircle/metrics"
	"github.com/peercircle/peercircle/notify"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/web"
)

func runServe(ctx context.Context, args []string, e *env) int {
	return serveCommand(ctx, "serve", args, e, false)
}

func runDemo(ctx context.Context, args []string, e *env) int {
	return serveCommand(ctx, "demo", args, e, true)
}

func serveCommand(ctx context.Context, name string, args []string, e *env, withDemo bool) int {
	var c Config
	var so seedOptions
	fs := flag.NewFlagSet("peercircle "+name, flag.ContinueOnError)
	serveFlags(fs, &c)
	if withDemo {
		seedFlags(fs, &so)
		c.Demo = true
	}
	fs.Usage = func() {
		if withDemo {
			fmt.Fprintf(e.stderr, "Usage: peercircle demo [flags]\n\nServes PeerCircle with a generated demo organisation. On an empty data directory it\ncreates the demo; on one that already holds data it reuses it.\n\nFlags:\n")
		} else {
			fmt.Fprintf(e.stderr, "Usage: peercircle serve [flags]\n\nServes PeerCircle. The database is migrated on start.\n\nFlags:\n")
		}
		fs.PrintDefaults()
	}
	if err := parse(fs, args, e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 2
	}
	log, err := c.logger(e.stderr)
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 2
	}
	a, err := openApp(ctx, &c, log)
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	defer a.close()
	if withDemo {
		seeded, err := demo.Seeded(ctx, a.store)
		if err != nil {
			fmt.Fprintln(e.stderr, "peercircle:", err)
			return 1
		}
		if !seeded {
			if err := so.generate(ctx, a.store, e.stdout); err != nil {
				fmt.Fprintln(e.stderr, "peercircle:", err)
				return 1
			}
		} else {
			fmt.Fprintln(e.stdout, "reusing the data in", c.DataDir)
		}
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "peercircle: cannot listen on %s: %v\n", c.Addr, err)
		return 1
	}
	fmt.Fprintf(e.stdout, "listening on http://%s\n", ln.Addr())
	if withDemo {
		fmt.Fprintf(e.stdout, "demo sign-ins (password %q):\n", demo.Password)
		for _, l := range demo.Logins {
			fmt.Fprintf(e.stdout, "  %-12s %s\n", l.Username, l.What)
		}
	}
	if err := a.serve(ctx, ln); err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	return 0
}

// app is the wired product: store, web, jobs.
type app struct {
	cfg    *Config
	log    *slog.Logger
	db     *sqlstore.DB
	store  *sqlstore.Store
	web    *web.Server
	runner *jobs.Runner
	outbox *notify.Outbox
}

// openApp opens and migrates the database and wires the web server and the
// job runner. Nothing starts serving yet.
func openApp(ctx context.Context, c *Config, log *slog.Logger) (*app, error) {
	keys, err := c.keys()
	if err != nil {
		return nil, err
	}
	db, err := c.openDB()
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrated", "applied", applied)
	}
	store := sqlstore.New(db, keys)
	if n, err := store.SealClearComments(ctx); err != nil {
		db.Close()
		return nil, err
	} else if n > 0 {
		log.Info("sealed review comments kept in clear before", "count", n)
	}
	bundle, err := i18n.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	reg := metrics.NewRegistry()
	metrics.RegisterRuntime(reg)
	srv, err := web.New(store, bundle, log, web.Config{SecureCookies: c.SecureCookies, TrustProxy: c.TrustProxy, BaseURL: c.BaseURL}, reg)
	if err != nil {
		db.Close()
		return nil, err
	}
	mailer := &notify.Mailer{Jobs: store, Keys: keys, I18n: bundle}
	srv.Mail = mailer
	var sender notify.Sender = &notify.Dir{Path: filepath.Join(c.DataDir, "mail")}
	if c.SMTP != "" {
		if c.SMTPTLS != "starttls" && c.SMTPTLS != "implicit" {
			db.Close()
			return nil, fmt.Errorf("--smtp-tls must be starttls or implicit")
		}
		sender = &notify.SMTP{Addr: c.SMTP, From: c.SMTPFrom, User: c.SMTPUser, Password: c.SMTPPassword, ImplicitTLS: c.SMTPTLS == "implicit"}
	}
	phones, err := c.phoneSenders()
	if err != nil {
		db.Close()
		return nil, err
	}
	runner := jobs.NewRunner(store, log)
	runner.Handle(notify.KindMail, mailer.Handler(sender))
	runner.Every(sqlstore.JobReportNudges, time.Hour, store.ReportNudges)
	runner.Every(sqlstore.JobAnnounceComplaints, time.Hour, store.AnnounceComplaints)
	runner.Every(sqlstore.JobMeetingReminders, 10*time.Minute, func(ctx context.Context, _ string) error {
		_, err := store.SendReminders(ctx)
		return err
	})
	registerGroupJobs(runner, store)
	outbox := notify.NewOutbox(store, bundle, log)
	outbox.BaseURL = c.BaseURL
	outbox.Senders[peercircle.ChannelEmail] = sender
	outbox.Attach = notify.MeetingAttachment(store)
	srv.Receipts = map[string]web.ReceiptReader{}
	for ch, ps := range phones {
		outbox.Senders[ch] = ps.sender
		srv.Channels = append(srv.Channels, ch)
		if ps.receipts != nil {
			srv.Receipts[ch] = ps.receipts
		}
	}
	slices.Sort(srv.Channels)
	return &app{cfg: c, log: log, db: db, store: store, web: srv, runner: runner, outbox: outbox}, nil
}

func (a *app) close() { a.db.Close() }

// serve serves until ctx ends (SIGTERM or SIGINT), then lets requests in
// flight and running jobs finish.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           a.web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // long exports stream
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	// Links that leave the app (resets, invitations, feeds, feedback codes,
	// flyers, messages) start with --base-url, else with the address served:
	// never with a request's Host header.
	a.web.Listening(ln.Addr())
	if a.web.Config.BaseURL == "" {
		a.log.Warn("no --base-url: links sent outside the app (password resets, invitations, calendar feeds, feedback codes, flyers, messages) use the address served; set --base-url to the public address", "links", a.web.BaseURL())
	}
	a.outbox.BaseURL = a.web.BaseURL()
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		wg.Go(func() { a.outbox.Run(jobsCtx, 2) })
		a.runner.Run(jobsCtx)
		wg.Wait()
		close(jobsDone)
	}()
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(ln) }()
	a.log.Info("serving", "addr", ln.Addr().String())
	// Metrics only on their own listener: the app's address never serves
	// them (operators' counters are not for the public).
	var ms *http.Server
	if a.cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.cfg.MetricsAddr)
		if err != nil {
			hs.Close()
			stopJobs()
			<-jobsDone
			return fmt.Errorf("cannot listen on --metrics-addr %s: %w", a.cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.web.MetricsHandler())
		ms = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: hs.ErrorLog}
		go func() { errc <- ms.Serve(mln) }()
		a.log.Info("serving metrics", "addr", mln.Addr().String())
	}

	select {
	case err := <-errc:
		stopJobs()
		<-jobsDone
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := hs.Shutdown(shutdownCtx)
	if ms != nil {
		ms.Shutdown(shutdownCtx)
	}
	stopJobs()
	<-jobsDone
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func runMigrate(ctx context.Context, args []string, e *env) int {
	var c Config
	fs := flag.NewFlagSet("peercircle migrate", flag.ContinueOnError)
	storageFlags(fs, &c)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: peercircle migrate [flags]\n\nBrings the database schema up to date. Each migration runs in its own transaction:\none that fails leaves the database as it was before it.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args, e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	db, err := c.openDB()
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	for _, v := range applied {
		fmt.Fprintln(e.stdout, "applied", v)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	if len(applied) == 0 {
		fmt.Fprintln(e.stdout, "the database is up to date")
	}
	return 0
}
