package browser

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// PrintMedia makes the tab apply the page's print styles (on) or its
// screen styles again (off), as printing does, so a test can check what a
// printed page shows and photograph it.
func PrintMedia(tb testing.TB, ctx context.Context, on bool) {
	tb.Helper()
	media := ""
	if on {
		media = "print"
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media}); err != nil {
		tb.Fatalf("browser: emulate %q media on %s: %v", media, currentURL(ctx), err)
	}
}
