package browser

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// ScreenshotDir is where Screenshot writes, relative to the module root; it
// is git-ignored, and CI can keep it as an artifact.
const ScreenshotDir = "build/screenshots"

// Screenshot saves a PNG of the whole page (not only the visible part) as
// build/screenshots/<name>.png under the module root and returns its path. A
// name may contain slashes to group pictures in folders. Screenshots are
// evidence for people, not assertions, so failing to write one only logs; a
// browser that cannot take one at all fails the test like any other action.
func Screenshot(tb testing.TB, ctx context.Context, name string) string {
	tb.Helper()
	png := run(tb, ctx, "take screenshot", name, chromedp.FullScreenshot(100))
	root, err := moduleRoot()
	if err != nil {
		tb.Logf("browser: screenshot %q not saved: %v", name, err)
		return ""
	}
	path := filepath.Join(root, ScreenshotDir, cleanName(name)+".png")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Logf("browser: screenshot %q not saved: %v", name, err)
		return ""
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Logf("browser: screenshot %q not saved: %v", name, err)
		return ""
	}
	tb.Logf("browser: screenshot saved to %s", path)
	return path
}

// cleanName keeps screenshot names to safe file names that stay inside the
// screenshot folder whatever a test passes.
func cleanName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.', r == '/':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	var parts []string
	for _, p := range strings.Split(b.String(), "/") {
		if p != "" && p != "." && p != ".." {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "screenshot"
	}
	return filepath.Join(parts...)
}

var rootOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
})

// moduleRoot finds the directory holding go.mod. `go test` runs each test in
// its package's directory, so walking up from there works for every package.
func moduleRoot() (string, error) { return rootOnce() }
