package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/importer"
)

// importRoutes: the administrator's page for importing a programme from
// its spreadsheets (issue 15), beside `peercircle import`.
func (s *Server) importRoutes() {
	s.handle("GET /admin/import", s.importPage)
	s.handle("GET /admin/import/template/{kind}", s.importTemplate)
	s.handle("POST /admin/import", s.importUpload)
	s.handle("POST /admin/import/{upload}/run", s.importKept)
}

// importKind is one kind of file as the page offers it.
type importKind struct {
	Kind    string
	Columns []string // the headers in the reader's language
}

type importData struct {
	Kinds     []importKind
	Kind      string
	Languages []string
	MaxMB     int64
	// A run (the streamed result page):
	Upload  *peercircle.ImportUpload
	DryRun  bool
	Options peercircle.ImportOptions
	Invite  bool
	Outcome *importer.Outcome
	Rows    []importRow // the first maxShownRows problems
	// Problems counts every row problem; More those not shown.
	Problems, More int64
	Counts         []importCount
	Invited        int64
	Problem        string // a message key: the file could not be read
	ProblemArgs    []any
}

// maxShownRows bounds the problems a page lists: a page of ten thousand
// rows helps nobody on a slow link; the first ones show what to correct.
const maxShownRows = 500

// importCount is what a file did to one kind of record.
type importCount struct {
	Kind                    string
	New, Changed, Unchanged int64
}

// importRow is one row problem as the table shows it.
type importRow struct {
	Row     int64
	Column  string
	Message string
}

func (s *Server) importData(r *http.Request) *importData {
	L := stateOf(r).loc
	d := &importData{Kind: importer.KindOrg, Languages: peercircle.Languages, MaxMB: importer.MaxBytes >> 20}
	if k := r.URL.Query().Get("kind"); slices.Contains(importer.Kinds, k) {
		d.Kind = k
	}
	for _, k := range importer.Kinds {
		ik := importKind{Kind: k}
		for _, c := range importer.Columns(k) {
			h := c.Headers[L.Lang()]
			if h == "" {
				h = c.Headers["en"]
			}
			ik.Columns = append(ik.Columns, h)
		}
		d.Kinds = append(d.Kinds, ik)
	}
	return d
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	s.render(w, r, "import", s.page(r, "import.title", s.importData(r)))
}

// importTemplate downloads a kind's template with headers in a language,
// as CSV or XLSX.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	kind, lang, format := r.PathValue("kind"), r.URL.Query().Get("lang"), r.URL.Query().Get("format")
	if !slices.Contains(importer.Kinds, kind) || !slices.Contains(peercircle.Languages, lang) || (format != importer.FormatCSV && format != importer.FormatXLSX) {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	var buf bytes.Buffer
	if err := importer.WriteTemplate(&buf, kind, lang, format); err != nil {
		s.renderErr(w, r, err)
		return
	}
	ctype := "text/csv; charset=utf-8"
	if format == importer.FormatXLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="peercircle-%s-%s.%s"`, kind, lang, format))
	w.Write(buf.Bytes())
}

// importUpload takes a file: it is kept sealed for an hour, then checked
// (a dry run) or imported at once, as the button pressed says.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) {
	if !s.allow(w, r, peercircle.ActAdmin, peercircle.Scope{}) {
		return
	}
	d := s.importData(r)
	kind := r.PostFormValue("kind")
	file, head, err := r.FormFile("file")
	if !slices.Contains(importer.Kinds, kind) || err != nil {
		if slices.Contains(importer.Kinds, kind) {
			d.Kind = kind
		}
		pg := s.page(r, "import.title", d)
		pg.Errors = map[string]string{"file": "import.error.no_file"}
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "import", pg)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, importer.MaxBytes+1))
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	if len(data) > importer.MaxBytes {
		d.Kind = kind
		pg := s.page(r, "import.title", d)
		pg.Errors = map[string]string{"file": "import.error.too_large"}
		s.renderStatus(w, r, http.StatusRequestEntityTooLarge, "import", pg)
		return
	}
	u := &peercircle.ImportUpload{PersonID: principal(r).PersonID, Kind: kind, Name: head.Filename, Data: data}
	if err := s.Store.SaveUpload(r.Context(), u); err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.importRun(w, r, u, r.PostFormValue("action") != "import")
}

// importKept imports a file kept from its dry run.
func (s *Server) importKept(w http.ResponseWriter, r *http.Request) {
	id, ok := s.adminTarget(w, r, "upload")
	if !ok {
		return
	}
	u, err := s.Store.Upload(r.Context(), id, principal(r).PersonID)
	if err != nil {
		if peercircle.ErrorCode(err) == peercircle.ENOTFOUND {
			s.renderMessage(w, r, http.StatusNotFound, "import.title", "import.error.upload_gone")
			return
		}
		s.renderErr(w, r, err)
		return
	}
	s.importRun(w, r, u, false)
}

// importRun checks or imports a file and streams the page as it goes: the
// top of the page at once, a progress bar that grows as rows are done
// (each step a new element; CSS shows the last, so no script is needed),
// then the counts and every row's problem. The import runs on even if the
// connection drops: it is one transaction, and it is audited.
func (s *Server) importRun(w http.ResponseWriter, r *http.Request, u *peercircle.ImportUpload, dryRun bool) {
	p := principal(r)
	L := stateOf(r).loc
	d := s.importData(r)
	d.Kind, d.Upload, d.DryRun = u.Kind, u, dryRun
	d.Options = peercircle.ImportOptions{DryRun: dryRun, CleanRows: r.PostFormValue("clean_rows") != "", Lang: L.Lang()}
	d.Invite = u.Kind == importer.KindPeople && r.PostFormValue("invite") != ""
	pg := s.page(r, "import.run_title", d)
	pg.TitleArgs = []any{L.T("import.kind_title." + u.Kind)}
	pg.Path = "/admin/import" // where the language switch leads back to: this page answers a POST
	t, err := s.pages.page("import_run", pg.L)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	var page bytes.Buffer
	if err := t.Execute(&page, pg); err != nil {
		s.renderErr(w, r, err)
		return
	}
	top, rest, _ := bytes.Cut(erasedToLabel(pg, page.Bytes()), []byte(`<i data-mark="progress"></i>`))
	middle, bottom, _ := bytes.Cut(rest, []byte(`<i data-mark="result"></i>`))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	w.Write(top)
	rc.Flush()
	last := -1
	d.Options.Progress = func(done, total int) {
		step := 100
		if total > 0 {
			step = done * 20 / total * 5 // 5 % steps
		}
		if step == last {
			return
		}
		last = step
		fmt.Fprintf(w, `<p class="step"><progress max="%d" value="%d">%s</progress> %s</p>`, max(total, 1), done,
			L.Number(int64(step))+"%", L.T("import.progress", L.Number(int64(done)), L.Number(int64(total))))
		rc.Flush()
	}
	// The work is not the request's: a dropped link does not roll it back.
	ctx := context.WithoutCancel(r.Context())
	out, err := importer.Import(ctx, s.Store, u.Kind, bytes.NewReader(u.Data), d.Options)
	fe, isFile := errors.AsType[*importer.FileError](err)
	switch {
	case isFile:
		d.Problem, d.ProblemArgs = fe.Key, fe.Args
	case err != nil:
		s.Log.Error("import", "kind", u.Kind, "err", err)
		d.Problem = "import.error.failed"
	default:
		d.Outcome = out
		for _, k := range out.Kinds {
			d.Counts = append(d.Counts, importCount{Kind: k, New: int64(out.Result.Created[k]), Changed: int64(out.Result.Updated[k]), Unchanged: int64(out.Result.Unchanged[k])})
		}
		d.Problems = int64(len(out.Errors))
		for i, re := range out.Errors {
			if i == maxShownRows {
				d.More = d.Problems - maxShownRows
				break
			}
			d.Rows = append(d.Rows, importRow{Row: int64(re.Row), Column: out.Column(re.Column), Message: L.T(re.Key, re.Args...)})
		}
		if out.Result.Written {
			_ = s.Store.Audit(ctx, &peercircle.AuditEvent{ActorID: p.PersonID, Action: "import." + u.Kind, TargetKind: "import", TargetID: u.ID})
			if d.Invite {
				d.Invited = int64(s.inviteImported(ctx, r, out.People))
			}
		}
	}
	w.Write(middle)
	var result bytes.Buffer
	if err := t.ExecuteTemplate(&result, "import_result", pg); err != nil {
		s.Log.Error("render", "page", "import_result", "err", err)
	}
	w.Write(erasedToLabel(pg, result.Bytes()))
	w.Write(bottom)
}

// inviteImported sends an invitation by e-mail to each person of the file
// who has an e-mail and has not signed in yet; it returns how many went.
func (s *Server) inviteImported(ctx context.Context, r *http.Request, keys []string) int {
	if s.Mail == nil {
		return 0
	}
	people, err := s.Store.ImportedPeople(ctx, keys)
	if err != nil {
		s.Log.Error("import invitations", "err", err)
		return 0
	}
	by := principal(r).PersonID
	sent := 0
	for _, p := range people {
		if p.Email == "" || p.Status != peercircle.PersonInvited {
			continue
		}
		token, err := s.Store.CreateInvitation(ctx, p.ID, by)
		if err == nil {
			err = s.Mail.SendInvitation(ctx, p, s.absURL("/invite/"+token))
		}
		if err != nil {
			s.Log.Error("import invitation", "person", p.ID, "err", err)
			continue
		}
		sent++
	}
	_ = s.Store.Audit(ctx, &peercircle.AuditEvent{ActorID: by, Action: "person.invite_imported", TargetKind: "import", TargetID: int64(sent)})
	return sent
}
