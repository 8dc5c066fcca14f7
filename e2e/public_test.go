package e2e

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"rsc.io/qr"

	"github.com/peercircle/peercircle/internal/browser"
)

// qrModuleRE reads the runs of dark modules the flyer's SVG draws.
var qrModuleRE = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// readQR checks that the flyer's QR code, read back module by module from
// the SVG, encodes exactly url: what a phone's camera would read.
func readQR(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	d := browser.Attr(t, ctx, ".flyer svg.qr path", "d")
	code, err := qr.Encode(url, qr.M)
	if err != nil {
		t.Fatal(err)
	}
	n := code.Size + 8
	grid := make([][]bool, n)
	for i := range grid {
		grid[i] = make([]bool, n)
	}
	for _, m := range qrModuleRE.FindAllStringSubmatch(d, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for i := 0; i < w && y < n && x+i < n; i++ {
			grid[y][x+i] = true
		}
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			want := x >= 4 && y >= 4 && x < code.Size+4 && y < code.Size+4 && code.Black(x-4, y-4)
			if grid[y][x] != want {
				t.Fatalf("the flyer's QR code does not encode %s (module %d,%d)", url, x, y)
			}
		}
	}
}

// TestFromAFlyerToAWelcome: the organiser lists the health centre's closed
// staff group (off by default), in Arabic then in English; someone without
// an account reads its flyer on a phone, follows the QR code's link to the
// join page, asks to join giving only a first name and a WhatsApp number,
// and the organiser meets them first and welcomes them from the members
// page. Each page passes axe.
func TestFromAFlyerToAWelcome(t *testing.T) {
	a := startDemo(t)
	root := browser.New(t, browser.WithPhone(360, 740))
	org := browser.NewContext(t, root)
	signIn(t, org, a, "organiser")
	const group = "/groups/1" // Nuzha staff peer support group, closed, in Arabic

	// Not listed by default: the public cannot reach it.
	if res, _ := get(t, a.URL+"/find/1/join"); res.StatusCode != 404 {
		t.Fatalf("an unlisted group's join page answered %d", res.StatusCode)
	}
	for _, c := range []struct {
		lang, name, phone, sent, welcome string
	}{
		{"ar", "ريم", "+962 79 000 0101", "أُرسل طلبك", "ريم"},
		{"en", "Sami", "+962 79 000 0202", "Your request was sent", "Sami"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			browser.Navigate(t, org, a.URL+group+"/settings")
			browser.Fill(t, org, "#f-lang", c.lang)
			browser.Fill(t, org, "#f-size_limit", "") // the demo's group is full at 16

			if !browser.Eval[bool](t, org, `document.querySelector('input[name=listed]').checked`) {
				browser.Click(t, org, `input[name=listed]`)
			}
			browser.Submit(t, org, `input[name=listed]`)

			// The flyer, in the group's language, with its QR code.
			public := browser.NewContext(t, root)
			browser.Navigate(t, public, a.URL+"/find/1/flyer")
			if got := browser.Eval[string](t, public, "document.documentElement.lang"); got != c.lang {
				t.Fatalf("the flyer is in %q", got)
			}
			if site := browser.Text(t, public, ".flyer-site"); site != "Jabal Al-Nuzha Health Centre" {
				t.Errorf("the flyer's site is %q", site)
			}
			browser.Screenshot(t, public, "public/flyer-"+c.lang)
			checkAccessibility(t, public, "flyer "+c.lang)
			link := browser.Text(t, public, ".flyer-url")
			if !strings.HasSuffix(link, "/find/1/join?lang="+c.lang) {
				t.Fatalf("the flyer links to %q", link)
			}
			readQR(t, public, link)

			// The join page the code leads to.
			browser.Navigate(t, public, link)
			shown := time.Now()
			if got := browser.Eval[string](t, public, "document.documentElement.dir"); got != map[string]string{"ar": "rtl", "en": "ltr"}[c.lang] {
				t.Fatalf("the join page's direction is %q", got)
			}
			browser.Screenshot(t, public, "public/join-"+c.lang)
			checkAccessibility(t, public, "join page "+c.lang)
			browser.Fill(t, public, "#f-name", c.name)
			browser.Click(t, public, `input[name=contact_channel][value=whatsapp]`)
			browser.Fill(t, public, "#f-contact_address", c.phone)
			sum := browser.Eval[int](t, public, `(+document.querySelector('input[name=a]').value) + (+document.querySelector('input[name=b]').value)`)
			answer := strconv.Itoa(sum)
			if c.lang == "ar" {
				answer = strings.NewReplacer("0", "٠", "1", "١", "2", "٢", "3", "٣", "4", "٤", "5", "٥", "6", "٦", "7", "٧", "8", "٨", "9", "٩").Replace(answer)
			}
			browser.Fill(t, public, "#f-answer", answer)
			// The form refuses answers sent sooner than a person could.
			time.Sleep(time.Until(shown.Add(3500 * time.Millisecond)))
			browser.Submit(t, public, "#f-answer")
			if got := browser.Text(t, public, "h1"); got != c.sent {
				t.Fatalf("after asking the page says %q: %s", got, browser.Text(t, public, "main"))
			}

			// The organiser sees the request with what was given, meets
			// them first, then welcomes them.
			browser.Navigate(t, org, a.URL+group+"/members")
			orient := browser.Eval[string](t, org, `(function () {
				for (const card of document.querySelectorAll(".request")) {
					if (card.innerText.includes(`+strconv.Quote(c.name)+`)) return card.querySelector('form[action$="/orientation"]').getAttribute("action");
				}
				return "";
			})()`)
			if orient == "" {
				t.Fatalf("no request card for %s: %q", c.name, browser.Text(t, org, "main"))
			}
			card := browser.Text(t, org, `.request:has(form[action="`+orient+`"])`)
			if !strings.Contains(card, c.phone) {
				t.Fatalf("the request card says %q", card)
			}
			browser.Submit(t, org, `form[action="`+orient+`"] button`)
			browser.Screenshot(t, org, "public/members-request-"+c.lang)
			checkAccessibility(t, org, "members with a public request")
			decide := strings.TrimSuffix(orient, "/orientation") + "/decide"
			browser.Submit(t, org, `form[action="`+decide+`"]:has(input[value=accept]) button`)
			if msg := browser.Text(t, org, "main"); !strings.Contains(msg, c.welcome) {
				t.Fatalf("after welcoming the page says %q", msg)
			}
			if current := browser.Text(t, org, "#h-current + .table-wrap"); !strings.Contains(current, c.welcome) {
				t.Fatalf("%s is not among the members: %q", c.welcome, current)
			}
		})
	}
	if out := a.Output(); strings.Contains(out, "0000101") || strings.Contains(out, "0000202") {
		t.Error("a phone number reached the logs")
	}
}
