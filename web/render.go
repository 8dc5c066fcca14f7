package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
)

// engine knows every page's template files and holds each page's parsed
// set once per language, from the first time the page is shown in it. It
// refuses to render a page it does not know.
type engine struct {
	fsys  fs.FS
	pages map[string]*pageSet

	callEvery bool // write no message in (for the test that compares)
}

// pageSet is one page: the layout, the partials it uses and the page's own
// file, and its parsed sets by language.
type pageSet struct {
	name  string
	files []string

	mu    sync.Mutex // held while a set is parsed, so each is parsed once
	byLoc sync.Map   // *i18n.Localizer → *template.Template
}

// newEngine lists each page's files and parses and escapes every page once,
// so a broken template stops the server at start, not a person at the
// page; the sets are then dropped and parsed again, per language, when a
// page is first shown (an instance holds only the pages it serves).
func newEngine(fsys fs.FS) (*engine, error) {
	e := &engine{fsys: fsys, pages: map[string]*pageSet{}}
	files, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	parts, err := readPartials(fsys)
	if err != nil {
		return nil, err
	}
	layout, err := fs.ReadFile(fsys, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	// Each page is parsed with the layout and only the partials it uses:
	// html/template copies a set's parse trees for each page (escaping
	// changes them), and every partial in every page's set was most of the
	// server's live heap (issue 14).
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		text, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		set := append([]string{"templates/layout.html"}, parts.needed(string(layout), string(text))...)
		p := &pageSet{name: name, files: append(set, f)}
		if _, err := p.parse(fsys); err != nil {
			return nil, err
		}
		e.pages[name] = p
	}
	return e, nil
}

// page returns the named page's set for a language.
func (e *engine) page(name string, l *i18n.Localizer) (*template.Template, error) {
	p, ok := e.pages[name]
	if !ok {
		return nil, fmt.Errorf("unknown page %q", name)
	}
	if e.callEvery {
		l = nil
	}
	return p.in(e.fsys, l)
}

// in returns the page's set for a language, parsing it on first use.
func (p *pageSet) in(fsys fs.FS, l *i18n.Localizer) (*template.Template, error) {
	if t, ok := p.byLoc.Load(l); ok {
		return t.(*template.Template), nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.byLoc.Load(l); ok {
		return t.(*template.Template), nil
	}
	t, err := p.parse(fsys)
	if err != nil {
		return nil, err
	}
	writeTexts(t, l)
	p.byLoc.Store(l, t)
	return t, nil
}

// parse parses the page's files and escapes them. html/template escapes a
// set on its first execution; executing it on no data does that, and what
// then fails is the execution, whose error says nothing about the set.
func (p *pageSet) parse(fsys fs.FS) (*template.Template, error) {
	t, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, p.files...)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", p.name, err)
	}
	var exec texttemplate.ExecError
	if err := t.Execute(io.Discard, nil); err != nil && !errors.As(err, &exec) {
		return nil, fmt.Errorf("template %s: %w", p.name, err)
	}
	return t, nil
}

var (
	templateRef    = regexp.MustCompile(`\{\{-?\s*template\s+"([^"]+)"`)
	templateDefine = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)
)

// partials are the shared template files: which file defines each
// template, and which templates each file uses.
type partials struct {
	file map[string]string   // template name → file
	uses map[string][]string // file → template names it uses
}

func readPartials(fsys fs.FS) (*partials, error) {
	files, err := fs.Glob(fsys, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	p := &partials{file: map[string]string{}, uses: map[string][]string{}}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		for _, m := range templateDefine.FindAllStringSubmatch(string(b), -1) {
			p.file[m[1]] = f
		}
		for _, m := range templateRef.FindAllStringSubmatch(string(b), -1) {
			p.uses[f] = append(p.uses[f], m[1])
		}
	}
	return p, nil
}

// needed lists the partial files that define the templates the texts use,
// and those they use in turn, in a stable order.
func (p *partials) needed(texts ...string) []string {
	seen := map[string]bool{}
	var queue []string
	for _, t := range texts {
		for _, m := range templateRef.FindAllStringSubmatch(t, -1) {
			queue = append(queue, m[1])
		}
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		f, ok := p.file[name]
		if !ok || seen[f] {
			continue
		}
		seen[f] = true
		queue = append(queue, p.uses[f]...)
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// funcs are the template helpers that need no request; anything that
// depends on the language is a method of Page.
var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"deref": func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return *t
	},
	"join": strings.Join,
	"has": func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// Page is what every template receives: the request's language and person,
// the CSRF token for forms, navigation, and the page's own Data.
type Page struct {
	L         *i18n.Localizer
	P         *peercircle.Principal
	CSRF      string
	Nav       []NavItem
	Path      string
	Here      string // a GET page with its query (a search, a page of a list, a quarter): where changing the language returns; else Path
	Title     string // message key of the page title
	TitleArgs []any
	Flash     string // message key of a one-time notice
	Errors    map[string]string
	Error     string // message key of a form-level error
	Form      url.Values
	Unread    int
	StaticVer string
	Data      any
}

// T translates a message key in the page's language. Text arguments (names,
// places) are wrapped in Unicode isolates, so an Arabic name in an English
// sentence, or a Latin one in Arabic, keeps its own direction.
func (p *Page) T(key string, args ...any) string {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = "\u2068" + s + "\u2069"
		}
	}
	return p.L.T(key, args...)
}

// TArgs is T with the arguments in a list, for messages a handler built.
func (p *Page) TArgs(key string, args []any) string { return p.T(key, append([]any(nil), args...)...) }

// List joins items (names, dates, places) with the page's comma ("،" in
// Arabic), each in a Unicode isolate so names in either script keep their
// order: {{$.List .Rota}}.
func (p *Page) List(items []string) string { return p.L.List(items) }

// Sep is the page's list separator, for lists a template writes item by
// item: {{if $i}}{{$.Sep}}{{end}}.
func (p *Page) Sep() string { return p.L.ListSep() }

// Digits writes the digits of an already formatted number or date ("4.5",
// "2026-09-30") in the page's digits, so one page never mixes "٣" and "2".
func (p *Page) Digits(s string) string { return p.L.Digits(s) }

// Lang is the page's language code, for <html lang>.
func (p *Page) Lang() string { return p.L.Lang() }

// Dir is "rtl" or "ltr", for <html dir>.
func (p *Page) Dir() string { return p.L.Dir() }

// Date formats a date in the page's language, in the given zone.
func (p *Page) Date(t time.Time, loc *time.Location) string { return p.L.Date(t.In(loc)) }

// Num formats a whole number in the page's language.
func (p *Page) Num(n int) string { return p.L.Number(int64(n)) }

// FieldError returns the translated error of a form field, or "".
func (p *Page) FieldError(field string) string {
	if key, ok := p.Errors[field]; ok {
		return p.L.T(key)
	}
	return ""
}

// Value returns a submitted form value, for re-showing a form after an error.
func (p *Page) Value(field string) string { return p.Form.Get(field) }

// Static returns the URL of an embedded asset with a version for caching.
func (p *Page) Static(name string) string { return "/static/" + name + "?v=" + p.StaticVer }

// Can reports whether the page's person may take an action in a scope, for
// showing or hiding links; handlers still check on every request.
func (p *Page) Can(a string, s peercircle.Scope) bool {
	return peercircle.Can(p.P, peercircle.Action(a), s)
}

// page builds the common page data for a request.
func (s *Server) page(r *http.Request, title string, data any) *Page {
	st := stateOf(r)
	p := &Page{L: st.loc, P: st.principal, CSRF: st.csrf, Path: r.URL.Path, Title: title, Data: data, StaticVer: s.staticVer}
	if r.Method == http.MethodGet {
		p.Here = r.URL.RequestURI()
	}
	if p.L == nil {
		p.L = s.I18n.Localizer("en")
	}
	p.Nav = s.nav(r, st.principal)
	if st.principal != nil {
		p.Unread = st.principal.Unread
	}
	return p
}

// render writes a page with status 200, or the status in p's request state.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p *Page) {
	s.renderStatus(w, r, http.StatusOK, name, p)
}

// renderBuffers hold pages as they are rendered: a region's page is 80 KB,
// and a new buffer grew to it by doubling on every request. What is
// written from a buffer is copied out before it goes back.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns a buffer to the pool, unless an unusually large
// page made it too big to keep.
func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		renderBuffers.Put(b)
	}
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, err := s.pages.page(name, p.L)
	if err != nil {
		s.Log.Error("render", "page", name, "err", err)
		http.Error(w, "render failed", http.StatusInternalServerError)
		return
	}
	if c, err := r.Cookie(cookieFlash); err == nil && p.Flash == "" {
		if strings.HasPrefix(c.Value, "flash.") && p.L.Has(c.Value) {
			p.Flash = c.Value
		}
		s.clearCookie(w, r, cookieFlash)
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer putRenderBuffer(buf)
	if err := t.Execute(buf, p); err != nil {
		s.Log.Error("render", "page", name, "err", err)
		http.Error(w, "render failed", http.StatusInternalServerError)
		return
	}
	body := erasedToLabel(p, buf.Bytes())
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK {
		writeTagged(w, r, body)
		return
	}
	w.WriteHeader(status)
	w.Write(body)
}

// redirect sends the browser on after a successful form, with a one-time
// notice (a message key, never text).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		s.setCookie(w, r, cookieFlash, flash, time.Minute)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// renderMessage shows a short page with a title and a message.
func (s *Server) renderMessage(w http.ResponseWriter, r *http.Request, status int, title, body string) {
	p := s.page(r, title, map[string]string{"Body": body})
	s.renderStatus(w, r, status, "message", p)
}

// renderError shows the error page for a status.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	switch status {
	case http.StatusNotFound:
		s.renderMessage(w, r, status, "error.notfound.title", "error.notfound.body")
	case http.StatusForbidden:
		s.renderMessage(w, r, status, "error.forbidden.title", "error.forbidden.body")
	default:
		s.renderMessage(w, r, status, "error.internal.title", "error.internal.body")
	}
}

// errorStatus maps domain error codes to HTTP statuses, once.
var errorStatus = map[string]int{
	peercircle.EINVALID:      http.StatusUnprocessableEntity,
	peercircle.ENOTFOUND:     http.StatusNotFound,
	peercircle.EFORBIDDEN:    http.StatusForbidden,
	peercircle.ECONFLICT:     http.StatusConflict,
	peercircle.EUNAUTHORIZED: http.StatusUnauthorized,
	peercircle.ETOOMANY:      http.StatusTooManyRequests,
	peercircle.EINTERNAL:     http.StatusInternalServerError,
}

// renderErr shows a domain error in the person's language; unexpected
// errors are logged (never shown) and give the 500 page.
func (s *Server) renderErr(w http.ResponseWriter, r *http.Request, err error) {
	code := peercircle.ErrorCode(err)
	status := errorStatus[code]
	if code == peercircle.EINTERNAL {
		s.Log.Error("internal error", "route", r.Pattern, "err", err)
		s.renderError(w, r, http.StatusInternalServerError)
		return
	}
	switch code {
	case peercircle.ENOTFOUND, peercircle.EFORBIDDEN:
		s.renderError(w, r, status)
	default:
		s.renderMessage(w, r, status, "error.title", peercircle.ErrorKey(err))
	}
}

// formError re-renders a form page with the error's field messages and the
// submitted values, status 422, so nothing typed is lost.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, name string, p *Page, err error) {
	if code := peercircle.ErrorCode(err); code != peercircle.EINVALID && code != peercircle.ECONFLICT && code != peercircle.EUNAUTHORIZED && code != peercircle.ETOOMANY {
		s.renderErr(w, r, err)
		return
	}
	p.Errors = peercircle.ErrorFields(err)
	p.Error = peercircle.ErrorKey(err)
	p.Form = r.PostForm
	status := errorStatus[peercircle.ErrorCode(err)]
	if status == http.StatusUnauthorized {
		status = http.StatusUnprocessableEntity // a refused sign-in form, shown again
	}
	s.renderStatus(w, r, status, name, p)
}

// staticVersion is a short hash of the embedded assets, so browsers cache
// them for a year and fetch again after an upgrade.
func staticVersion(fsys fs.FS) string {
	h := sha256.New()
	fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(fsys, p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:10]
}

func (s *Server) staticHandler() http.Handler {
	files := staticFiles()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		f.serve(w, r)
	})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// localPath returns next when it is a path on this site, else "/"; it keeps
// sign-in redirects from sending people elsewhere.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// Notice renders an in-app notification in the page's language.
func (p *Page) Notice(n *peercircle.Notification) string {
	args := make([]any, len(n.Params))
	for i, v := range n.Params {
		args[i] = v
		// "@key" is a catalogue key (a role, a kind), said in the reader's
		// language; a stored name or place never starts with "@".
		if k, ok := strings.CutPrefix(v, "@"); ok && p.L.Has(k) {
			args[i] = p.L.T(k)
		}
		// Dates and quarters are stored as "2026-12-08" and "2026Q4" so the
		// notice can be said in any language later; people read them in
		// words ("Tuesday 8 December 2026", "Q4 2026").
		if noticeDate.MatchString(v) {
			if d, err := time.Parse(time.DateOnly, v); err == nil {
				args[i] = p.L.Date(d)
			}
		} else if noticeQuarter.MatchString(v) {
			if q, err := peercircle.ParseQuarter(v); err == nil {
				args[i] = p.Qtr(q)
			}
		} else if noticeClock.MatchString(v) {
			args[i] = p.L.Digits(v) // a time of day, in the page's digits
		} else if args[i] == v && p.L.Dir() == "rtl" {
			// A group's or person's name, in whatever script it was
			// written: on an Arabic page "Group 1: …" must stay one
			// unit, or its colon and digits move to the other end.
			args[i] = i18n.Isolate(v)
		}
	}
	return p.L.T("notify."+n.Kind, args...)
}

var (
	noticeDate    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	noticeQuarter = regexp.MustCompile(`^[0-9]{4}Q[1-4]$`)
	noticeClock   = regexp.MustCompile(`^[0-9]{2}:[0-9]{2}$`)
)

// ScopeName names a grant's scope for people: the site, area or region, or
// the whole organisation.
func (p *Page) ScopeName(t *peercircle.Tree, kind string, id int64) string {
	switch kind {
	case peercircle.ScopeRegion:
		for _, r := range t.Regions {
			if r.ID == id {
				return r.Name
			}
		}
	case peercircle.ScopeArea:
		for _, a := range t.Areas {
			if a.ID == id {
				return a.Name
			}
		}
	case peercircle.ScopeSite:
		for _, s := range t.Sites {
			if s.ID == id {
				return s.Name
			}
		}
	case peercircle.ScopeOrganisation:
		return p.L.T("scope.organisation")
	}
	return "?"
}

// Months lists 1..12 for month pickers.
func (p *Page) Months() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} }

// MonthName names a month in the page's language.
func (p *Page) MonthName(m int) string { return p.L.Month(time.Month(m)) }
