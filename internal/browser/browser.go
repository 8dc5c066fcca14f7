// Package browser drives the system's headless Chromium for browser tests.
//
// It wraps github.com/chromedp/chromedp in helpers that take the test and
// fail it with the selector and the page's URL, so that a test reads as the
// steps a person takes:
//
//	ctx := browser.New(t)
//	browser.Navigate(t, ctx, srv.URL+"/join")
//	browser.Fill(t, ctx, "#name", "Amina")
//	browser.Submit(t, ctx, "#name")
//	if got := browser.Text(t, ctx, "h1"); got != "Welcome" { ... }
//	browser.Screenshot(t, ctx, "join-done")
//
// The browser is the Debian chromium package: test tools that download their
// own browser cannot reach the network on the build machines.
package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumEnv names the environment variable that overrides where Chromium
// is, for machines with a browser somewhere unusual.
const ChromiumEnv = "PEERCIRCLE_CHROMIUM"

// DefaultTimeout bounds each helper's action. It is generous because CI
// machines have two busy cores, yet short enough that a missing element fails
// the test quickly instead of hanging until `go test` kills the binary.
const DefaultTimeout = 15 * time.Second

// startTimeout bounds Chromium's start, which on a loaded CI machine takes
// seconds but should never take a minute.
const startTimeout = time.Minute

// Phone dimensions used by default: most PeerCircle facilitators and members
// use the product on a phone, so that is what tests and screenshots show.
const (
	PhoneWidth  = 390
	PhoneHeight = 844
)

// errNoChromium marks "not installed", which may skip a test outside CI,
// apart from a wrong ChromiumEnv, which always fails.
var errNoChromium = errors.New("chromium is missing")

// FindChromium returns the path of the browser New would start, so that a
// test or a tool can check for it without starting anything.
func FindChromium() (string, error) {
	if p := os.Getenv(ChromiumEnv); p != "" {
		if err := executable(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", ChromiumEnv, p, err)
		}
		return p, nil
	}
	if executable("/usr/bin/chromium") == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: run scripts/test-deps.sh (looked for $%s, /usr/bin/chromium, and chromium, chromium-browser, google-chrome on PATH)", errNoChromium, ChromiumEnv)
}

func executable(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.IsDir() || info.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not executable", path)
	}
	return nil
}

// Option changes how New starts the browser.
type Option func(*config)

type config struct {
	width, height int
	mobile        bool
}

// WithWindowSize starts the browser with a desktop window of this size
// instead of the phone, for example to check the wide layout.
func WithWindowSize(width, height int) Option {
	return func(c *config) { c.width, c.height, c.mobile = width, height, false }
}

// WithPhone starts the browser as a phone of this size (the default is
// PhoneWidth × PhoneHeight), for example the 360-pixel phones many
// members use.
func WithPhone(width, height int) Option {
	return func(c *config) { c.width, c.height, c.mobile = width, height, true }
}

type configKey struct{}

// emulate makes the tab's viewport exactly the configured size. The
// --window-size flag alone is not enough: headless Chromium will not make a
// window narrower than 500 pixels, wider than any phone. In mobile mode the
// page's <meta name="viewport"> is honoured as on a real phone, so a page
// that forgets it shows up shrunk in screenshots.
func (c config) emulate() chromedp.Action[chromedp.Void] {
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateLandscape}
	if c.mobile {
		opts = []chromedp.EmulateViewportOption{chromedp.EmulatePortrait, chromedp.EmulateMobile}
	}
	return chromedp.EmulateViewport(int64(c.width), int64(c.height), opts...)
}

// New starts a headless Chromium for this test and returns its context; the
// browser is closed when the test ends. Without Chromium the test is skipped,
// except under CI (CI=true) where it fails, so that CI never passes by
// skipping every browser test.
func New(tb testing.TB, opts ...Option) context.Context {
	tb.Helper()
	cfg := config{width: PhoneWidth, height: PhoneHeight, mobile: true}
	for _, o := range opts {
		o(&cfg)
	}
	path, err := FindChromium()
	if err != nil {
		missing(tb, err)
		return nil
	}
	// TempDir first: cleanups run last-registered first, so the profile is
	// removed only after the browser that writes to it has stopped.
	profile := tb.TempDir()

	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		// These flags and no others: chromedp's defaults add more, and some
		// of Chromium's background services try to reach the internet, which
		// the build machines do not have.
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // the sandbox refuses to run as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(cfg.width, cfg.height),
	)
	ctx, cancel := chromedp.NewContext(context.WithValue(allocCtx, configKey{}, cfg))
	tb.Cleanup(func() {
		// Close gracefully first so Chromium flushes and exits on its own;
		// then make sure nothing of it is left writing into the profile.
		gctx, gcancel := context.WithTimeout(ctx, 5*time.Second)
		_ = chromedp.Cancel(gctx)
		gcancel()
		cancel()
		allocCancel()
		killLeftovers(profile)
	})
	// The first Run starts the browser and ties its life to the context it
	// gets, so it must get one without a timeout; doing it here also reports
	// a browser that cannot start at New rather than at the first click.
	// The start itself has no deadline in chromedp, so a Chromium that hangs
	// would hold the test until `go test` gives up; stop waiting after a
	// minute instead (the cleanup above then kills it).
	began := time.Now()
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx, cfg.emulate()) }()
	select {
	case err := <-started:
		if err != nil {
			tb.Fatalf("browser: starting %s: %v", path, err)
		}
	case <-time.After(startTimeout):
		cancel()
		tb.Fatalf("browser: %s did not start within %v", path, startTimeout)
	}
	tb.Logf("browser: %s started in %v", path, time.Since(began).Round(time.Millisecond))
	return ctx
}

// missing skips or fails a test that cannot get a browser.
func missing(tb testing.TB, err error) {
	tb.Helper()
	if errors.Is(err, errNoChromium) && os.Getenv("CI") != "true" {
		tb.Skipf("browser: %v", err)
		return
	}
	tb.Fatalf("browser: %v", err)
}

// NewContext returns a new tab in a separate browser context of the same
// Chromium: its own cookies and storage, like another person on another
// phone. A test can so have a facilitator and two members side by side
// without starting three browsers. The tab closes when the test ends.
func NewContext(tb testing.TB, parent context.Context) context.Context {
	tb.Helper()
	cfg, ok := parent.Value(configKey{}).(config)
	if !ok || chromedp.FromContext(parent) == nil {
		tb.Fatalf("browser: NewContext needs a context from browser.New")
	}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	// As in New: the first Run binds the tab to this context, so no timeout.
	if err := chromedp.Do(ctx, cfg.emulate()); err != nil {
		tb.Fatalf("browser: opening a new browser context: %v", err)
	}
	return ctx
}

// killLeftovers ends Chromium helper processes (zygote, network service) that
// can outlive the main process for a moment and would otherwise write into
// the profile directory while the test framework removes it, failing the
// test. They are found by the unique profile path on their command line.
func killLeftovers(profile string) {
	want := []byte("--user-data-dir=" + profile + "\x00")
	deadline := time.Now().Add(3 * time.Second)
	for quiet := 0; quiet < 3 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		found := 0
		entries, err := os.ReadDir("/proc")
		if err != nil {
			return // not Linux: nothing to look at
		}
		for _, e := range entries {
			pid := e.Name()
			cmdline, err := os.ReadFile("/proc/" + pid + "/cmdline")
			if err != nil || !bytes.Contains(cmdline, want) {
				continue
			}
			found++
			if n, err := strconv.Atoi(pid); err == nil {
				_ = syscall.Kill(n, syscall.SIGKILL)
			}
		}
		if found == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}
