package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"testing"
)

// getWith sends a GET with extra headers and returns the raw response: the
// body exactly as it came over the wire (the client does not decompress
// when the request names its own Accept-Encoding).
func (c *client) getWith(path string, headers map[string]string) *response {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.URL+path, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

func gunzip(t *testing.T, s string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(s))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("corrupt gzip: %v", err)
	}
	return string(b)
}

func varies(res *response) bool {
	for _, v := range res.Header.Values("Vary") {
		if strings.Contains(v, "Accept-Encoding") {
			return true
		}
	}
	return false
}

// Pages go out gzipped to a browser that accepts it, say Vary, carry an
// ETag, and a revisit with that tag costs a 304 without a body.
func TestPagesAreCompressedAndRevisitsCostA304(t *testing.T) {
	e := newEnv(t)
	c := e.as("member")
	paths := []string{"/", "/groups/" + id(e.In["group"]), "/profile"}
	for _, p := range paths {
		plain := c.getWith(p, map[string]string{"Accept-Encoding": "identity"})
		if plain.StatusCode != 200 || plain.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s without gzip: status %d, encoding %q", p, plain.StatusCode, plain.Header.Get("Content-Encoding"))
		}
		if !varies(plain) {
			t.Errorf("%s: no Vary: Accept-Encoding on the identity response", p)
		}
		gz := c.getWith(p, map[string]string{"Accept-Encoding": "gzip, deflate, br"})
		if gz.StatusCode != 200 || gz.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s with gzip: status %d, encoding %q", p, gz.StatusCode, gz.Header.Get("Content-Encoding"))
		}
		if !varies(gz) {
			t.Errorf("%s: no Vary: Accept-Encoding", p)
		}
		if got := gunzip(t, gz.Body); got != plain.Body {
			t.Errorf("%s: the gzipped page is not the page (%d bytes vs %d)", p, len(got), len(plain.Body))
		}
		if len(gz.Body)*2 > len(plain.Body) {
			t.Errorf("%s: %d bytes gzipped of %d: less than half saved", p, len(gz.Body), len(plain.Body))
		}
		tag := gz.Header.Get("ETag")
		if tag == "" || tag != plain.Header.Get("ETag") {
			t.Fatalf("%s: ETag %q gzipped, %q plain: want one tag for both", p, tag, plain.Header.Get("ETag"))
		}
		if cc := gz.Header.Get("Cache-Control"); !strings.Contains(cc, "private") || !strings.Contains(cc, "no-cache") {
			t.Errorf("%s: Cache-Control %q, want private and no-cache", p, cc)
		}

		again := c.getWith(p, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": tag})
		if again.StatusCode != http.StatusNotModified || again.Body != "" {
			t.Errorf("%s revisited with its tag: status %d, %d bytes; want 304 and nothing", p, again.StatusCode, len(again.Body))
		}
		if again.Header.Get("ETag") != tag {
			t.Errorf("%s: the 304 carries ETag %q, want %q", p, again.Header.Get("ETag"), tag)
		}
		stale := c.getWith(p, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": `W/"an-older-page"`})
		if stale.StatusCode != 200 || len(stale.Body) == 0 {
			t.Errorf("%s with a stale tag: status %d, want the page", p, stale.StatusCode)
		}
	}
}

// A page that changed gets a new tag: the browser's copy is not reused.
func TestChangedPageGetsNewETag(t *testing.T) {
	e := newEnv(t)
	c := e.as("member")
	before := c.get("/profile")
	tag := before.Header.Get("ETag")
	res := c.post("/profile", url.Values{"display_name": {"Someone Renamed"}, "lang": {""}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("profile save: status %d", res.StatusCode)
	}
	after := c.getWith("/profile", map[string]string{"If-None-Match": tag})
	if after.StatusCode != 200 || after.Header.Get("ETag") == tag {
		t.Errorf("after a change: status %d, tag %q (was %q); want the new page", after.StatusCode, after.Header.Get("ETag"), tag)
	}
}

// Clients that refuse gzip get plain text; small and binary responses,
// and downloads that carry their length, are never compressed.
func TestCompressionOnlyWhereItHelps(t *testing.T) {
	e := newEnv(t)
	c := e.as("member")
	if res := c.getWith("/", map[string]string{"Accept-Encoding": "gzip;q=0, identity"}); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0: encoding %q", res.Header.Get("Content-Encoding"))
	}
	if res := c.getWith("/healthz", map[string]string{"Accept-Encoding": "gzip"}); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("a tiny response was gzipped")
	}

	css, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	plain := c.getWith("/static/app.css", map[string]string{"Accept-Encoding": "identity"})
	if plain.Body != string(css) || plain.Header.Get("Content-Length") != strconv.Itoa(len(css)) {
		t.Errorf("app.css plain: %d bytes, Content-Length %q; want %d", len(plain.Body), plain.Header.Get("Content-Length"), len(css))
	}
	gz := c.getWith("/static/app.css", map[string]string{"Accept-Encoding": "gzip"})
	if gz.Header.Get("Content-Encoding") != "gzip" || !varies(gz) || !strings.Contains(gz.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("app.css gzipped: encoding %q, Vary %q, Cache-Control %q", gz.Header.Get("Content-Encoding"), gz.Header.Get("Vary"), gz.Header.Get("Cache-Control"))
	}
	if gunzip(t, gz.Body) != string(css) {
		t.Errorf("app.css: the gzipped file is not the file")
	}
	if res := c.getWith("/static/missing.css", nil); res.StatusCode != 404 {
		t.Errorf("a missing asset: status %d", res.StatusCode)
	}
	if bytes.Contains([]byte(gz.Body), css[:40]) {
		t.Errorf("app.css was not compressed")
	}
}

// Signing out clears the pages the browser kept for revisits, and the
// pages that must never be kept still say no-store.
func TestSignOutClearsKeptPages(t *testing.T) {
	e := newEnv(t)
	c := e.as("member")
	for _, p := range []string{"/me/data", "/support/requests"} {
		res := c.get(p)
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" || res.Header.Get("ETag") != "" {
			t.Errorf("%s: Cache-Control %q, ETag %q; want no-store and no tag", p, cc, res.Header.Get("ETag"))
		}
	}
	res := c.post("/signout", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Clear-Site-Data") != `"cache"` {
		t.Errorf("sign-out: status %d, Clear-Site-Data %q", res.StatusCode, res.Header.Get("Clear-Site-Data"))
	}
}

// Assets are served with the media type Go's own table gives their kind
// (the server keeps a table of the few kinds it ships instead of loading
// the system's whole media-type database).
func TestAssetTypesAreTheStandardOnes(t *testing.T) {
	e := newEnv(t)
	c := e.as("anon")
	files, err := os.ReadDir("static")
	if err != nil || len(files) == 0 {
		t.Fatalf("reading the assets: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		want := mime.TypeByExtension(path.Ext(f.Name()))
		if want == "" {
			t.Errorf("%s: Go knows no media type for its kind; serve another kind or sniff it on purpose", f.Name())
			continue
		}
		r := c.getWith("/static/"+f.Name(), map[string]string{"Accept-Encoding": "identity"})
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != want {
			t.Errorf("%s: status %d, Content-Type %q, want %q", f.Name(), r.StatusCode, r.Header.Get("Content-Type"), want)
		}
	}
}
