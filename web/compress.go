package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// Pages go out over slow and metered links: text responses are gzipped
// (33–78 KB pages become 8–12 KB), and a page the browser already holds
// costs a 304 (see pageETag). Brotli or zstd would save a little more but
// need a dependency; gzip is in the standard library and every browser
// speaks it.

// gzipLevel trades a few percent of size for CPU: on a page of 50 KB,
// level 6 costs about three times level 1's time for 10 % fewer bytes.
const gzipLevel = gzip.BestSpeed

var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzipLevel)
	return zw
}}

// minGzip is the smallest response worth compressing: below it gzip's
// header and trailer eat most of the saving.
const minGzip = 512

// compressible reports whether a content type is text that gzip shrinks.
func compressible(ctype string) bool {
	mt, _, _ := strings.Cut(ctype, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	switch {
	case strings.HasPrefix(mt, "text/"):
		return true
	case mt == "application/json", mt == "application/javascript", mt == "image/svg+xml",
		mt == "application/xml", mt == "application/manifest+json":
		return true
	}
	return false
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) with a
// non-zero quality.
func acceptsGzip(header string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		ok := true
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				v = strings.TrimRight(strings.TrimSpace(v), "0")
				ok = v != "0" && v != "0." && v != ""
			}
		}
		if name == "gzip" {
			return ok
		}
		star = ok
	}
	return star
}

// withCompression gzips text responses for clients that accept it and
// says Vary: Accept-Encoding on every text response, so a cache never
// hands a compressed page to a client that cannot read it. Responses that
// carry their own length (exports, static files) or encoding are left as
// they are: an export is sent with its length so a download cut short is
// seen as incomplete, and static files are compressed once at start.
func withCompression(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gw := &gzipWriter{ResponseWriter: w, accept: r.Method != http.MethodHead && acceptsGzip(r.Header.Get("Accept-Encoding"))}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

// gzipWriter holds the first bytes of a response until it knows whether
// compressing is worth it (at least minGzip bytes, or a flush).
type gzipWriter struct {
	http.ResponseWriter
	accept  bool
	status  int  // set by WriteHeader, not yet sent
	decided bool // headers sent
	buf     []byte
	zw      *gzip.Writer
}

func (w *gzipWriter) WriteHeader(code int) {
	if w.decided || w.status != 0 {
		return
	}
	if code < 200 {
		w.ResponseWriter.WriteHeader(code) // informational: pass through
		return
	}
	w.status = code
	if code == http.StatusNoContent || code == http.StatusNotModified {
		w.decide(false)
	}
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if w.decided {
		if w.zw != nil {
			return w.zw.Write(b)
		}
		return w.ResponseWriter.Write(b)
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	h := w.Header()
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", http.DetectContentType(append(w.buf, b...)))
	}
	if !w.eligible() {
		w.decide(false)
		return w.ResponseWriter.Write(b)
	}
	w.buf = append(w.buf, b...)
	if len(w.buf) >= minGzip {
		w.decide(true)
		buf := w.buf
		w.buf = nil
		if _, err := w.zw.Write(buf); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// eligible: a compressible type, not already encoded, no length of its own,
// a full response (not a range), and a client that reads gzip.
func (w *gzipWriter) eligible() bool {
	h := w.Header()
	if !compressible(h.Get("Content-Type")) || h.Get("Content-Encoding") != "" ||
		h.Get("Content-Length") != "" || w.status == http.StatusPartialContent {
		return false
	}
	return w.accept
}

// decide sends the headers, compressed or not.
func (w *gzipWriter) decide(gz bool) {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	if compressible(h.Get("Content-Type")) && h.Get("Content-Encoding") == "" && !hasVary(h, "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	if gz {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
			h.Set("ETag", "W/"+et) // the bytes differ from the identity ones
		}
		zw := gzipPool.Get().(*gzip.Writer)
		zw.Reset(w.ResponseWriter)
		w.zw = zw
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.ResponseWriter.WriteHeader(w.status)
}

func hasVary(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) {
				return true
			}
		}
	}
	return false
}

// Flush sends what is held (compressed so far) to the client.
func (w *gzipWriter) Flush() {
	if !w.decided {
		if w.status == 0 {
			w.status = http.StatusOK
		}
		w.flushHeld()
	}
	if w.zw != nil {
		w.zw.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// flushHeld decides with what is held: compress it if it is eligible.
func (w *gzipWriter) flushHeld() {
	buf := w.buf
	w.buf = nil
	w.decide(len(buf) > 0 && w.eligible())
	if len(buf) > 0 {
		if w.zw != nil {
			w.zw.Write(buf)
		} else {
			w.ResponseWriter.Write(buf)
		}
	}
}

// close ends the response: a short body goes out as it is.
func (w *gzipWriter) close() {
	if !w.decided {
		if w.status == 0 && len(w.buf) == 0 {
			return // nothing written: leave it to net/http
		}
		buf := w.buf
		w.buf = nil
		w.decide(false)
		if len(buf) > 0 {
			w.ResponseWriter.Write(buf)
		}
		return
	}
	if w.zw != nil {
		w.zw.Close()
		w.zw.Reset(io.Discard)
		gzipPool.Put(w.zw)
		w.zw = nil
	}
}

// Unwrap lets http.ResponseController reach deadlines.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// pageETag is a validator for a rendered page: a hash of its bytes, weak
// because the same page goes out gzipped or not. Pages
// are rendered for one person (the CSRF token of their session is in
// every form), so the tag is as private as the page; a revisit that sends
// it back gets a 304 without the body. The page is still rendered: what a
// 304 saves is the link, not the server.
func pageETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `W/"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// writeTagged sends a 200 response's body with its ETag, or a 304 when
// the client already holds it. The browser keeps the page and asks again
// on every visit (no-cache); private, because no shared cache may keep a
// person's page. A response marked no-store is sent as it is.
func writeTagged(w http.ResponseWriter, r *http.Request, body []byte) {
	h := w.Header()
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !strings.Contains(h.Get("Cache-Control"), "no-store") {
		tag := pageETag(body)
		h.Set("ETag", tag)
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", "private, no-cache")
		}
		if etagMatch(r.Header.Get("If-None-Match"), tag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// etagMatch reports whether an If-None-Match header names tag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatch(header, tag string) bool {
	if header == "" {
		return false
	}
	tag = strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

// staticFile is an embedded asset held in memory, with its gzipped form
// when that is smaller.
type staticFile struct {
	name  string
	ctype string
	plain []byte
	gz    []byte
}

// staticFiles are the embedded assets, loaded once per process (tests
// build many servers).
var staticFiles = sync.OnceValue(func() map[string]*staticFile {
	sub, _ := fs.Sub(assets, "static")
	return loadStatic(sub)
})

// loadStatic reads the embedded assets once and compresses the text ones
// at the best level (it is done once per process).
func loadStatic(fsys fs.FS) map[string]*staticFile {
	files := map[string]*staticFile{}
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil
		}
		f := &staticFile{name: p, plain: b, ctype: assetType(p, b)}
		if compressible(f.ctype) {
			var out bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			if out.Len() < len(b) {
				f.gz = out.Bytes()
			}
		}
		files[p] = f
		return nil
	})
	return files
}

// assetTypes are the media types of the kinds of file the assets are, as
// Go's own table has them. mime.TypeByExtension would read the system's
// whole media-type database into memory for the life of the process
// (half a megabyte of heap on Debian, for three kinds of file).
// TestAssetTypesAreTheStandardOnes keeps the two in step for every asset.
var assetTypes = map[string]string{
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".json": "application/json",
}

// assetType is the media type an asset is served with: by its name's
// extension, else by its first bytes.
func assetType(name string, b []byte) string {
	if t, ok := assetTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return http.DetectContentType(b)
}

// serve sends the file, gzipped when the client accepts it.
func (f *staticFile) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	body := f.plain
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			body = f.gz
		}
	}
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(body))
}
