package web

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"

	"github.com/peercircle/peercircle"
)

// DESIGN.md rule 4: a person sees, exports and erases what is stored about
// them; an admin erases for a person who asks in person. docs/privacy.md
// says what each holds and why.
func (s *Server) myDataRoutes() {
	s.handle("GET /me/data", s.myData)
	s.handle("GET /me/data.json", s.myDataExport)
	s.handle("GET /me/erase", s.myEraseForm)
	s.handle("POST /me/erase", s.myErase)
	s.handle("GET /people/{person}/erase", s.personEraseForm)
	s.handle("POST /people/{person}/erase", s.personErase)
}

// myData shows everything stored about the signed-in person.
func (s *Server) myData(w http.ResponseWriter, r *http.Request) {
	me := principal(r).PersonID
	if !s.allow(w, r, peercircle.ActSeeOwnData, peercircle.Scope{PersonID: me}) {
		return
	}
	d, err := s.Store.MyData(r.Context(), me)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	s.render(w, r, "mydata", s.page(r, "mydata.title", d))
}

// myDataExport is the same as a JSON download. It opens the person's own
// sealed text, so it is never cached (the signed-in middleware sets
// no-store) and never logged.
func (s *Server) myDataExport(w http.ResponseWriter, r *http.Request) {
	me := principal(r).PersonID
	if !s.allow(w, r, peercircle.ActSeeOwnData, peercircle.Scope{PersonID: me}) {
		return
	}
	d, err := s.Store.MyData(r.Context(), me)
	if err != nil {
		s.renderErr(w, r, err)
		return
	}
	p := s.page(r, "mydata.title", nil)
	for i := range d.Notifications {
		n := &d.Notifications[i]
		n.Text = p.Notice(&peercircle.Notification{Kind: n.Kind, Params: n.Params})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		Format string `json:"format"`
		*peercircle.MyData
	}{"peercircle.mydata/1", d}); err != nil {
		s.renderErr(w, r, err)
		return
	}
	label, _ := json.Marshal(p.L.T("mydata.erased_name"))
	out := bytes.ReplaceAll(buf.Bytes(), []byte(peercircle.ErasedName), bytes.Trim(label, `"`))
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="peercircle-my-data.json"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(out)
}

// eraseData is the confirmation page. Counts are shown to the person
// themselves only: an admin erasing for someone learns the kinds of data,
// not, say, that they asked for support.
type eraseData struct {
	Person *peercircle.Person
	Self   bool
	Data   *peercircle.MyData // nil for an admin
	Action string
}

func (s *Server) myEraseForm(w http.ResponseWriter, r *http.Request) {
	pg, ok := s.myErasePage(w, r)
	if ok {
		s.render(w, r, "mydata_erase", pg)
	}
}

func (s *Server) myErasePage(w http.ResponseWriter, r *http.Request) (*Page, bool) {
	me := principal(r).PersonID
	if !s.allow(w, r, peercircle.ActErasePerson, peercircle.Scope{PersonID: me}) {
		return nil, false
	}
	p, err := s.Store.Person(r.Context(), me)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	d, err := s.Store.MyData(r.Context(), me)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	return s.page(r, "mydata.erase_title", &eraseData{Person: p, Self: true, Data: d, Action: "/me/erase"}), true
}

// myErase erases the signed-in person after their password; the browser's
// session ended with all the others, so it goes to the sign-in page.
func (s *Server) myErase(w http.ResponseWriter, r *http.Request) {
	me := principal(r).PersonID
	if !s.allow(w, r, peercircle.ActErasePerson, peercircle.Scope{PersonID: me}) {
		return
	}
	_, err := s.Store.ErasePerson(r.Context(), peercircle.Erasure{PersonID: me, ActorID: me, Password: r.PostFormValue("password"), Addr: s.clientAddr(r)})
	if err != nil {
		pg, ok := s.myErasePage(w, r)
		if ok {
			r.PostForm.Del("password")
			s.formError(w, r, "mydata_erase", pg, err)
		}
		return
	}
	s.Log.Info("person erased", "route", r.Pattern, "person", me, "by", "self")
	s.clearCookie(w, r, cookieSession)
	s.redirect(w, r, "/signin", "flash.erased")
}

// erasePersonScope loads the {person} an admin erases for.
func (s *Server) erasePersonScope(w http.ResponseWriter, r *http.Request) (*peercircle.Person, bool) {
	id, ok := pathID(r, "person")
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	if !s.allow(w, r, peercircle.ActErasePerson, peercircle.Scope{PersonID: id}) {
		return nil, false
	}
	p, err := s.Store.Person(r.Context(), id)
	if err != nil {
		s.renderErr(w, r, err)
		return nil, false
	}
	return p, true
}

func (s *Server) personErasePage(r *http.Request, p *peercircle.Person) *Page {
	return s.page(r, "mydata.erase_title", &eraseData{Person: p, Self: p.ID == principal(r).PersonID,
		Action: "/people/" + strconv.FormatInt(p.ID, 10) + "/erase"})
}

func (s *Server) personEraseForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.erasePersonScope(w, r)
	if !ok {
		return
	}
	s.render(w, r, "mydata_erase", s.personErasePage(r, p))
}

// personErase is an admin erasing a person who asked in person, with the
// admin's own password entered again.
func (s *Server) personErase(w http.ResponseWriter, r *http.Request) {
	p, ok := s.erasePersonScope(w, r)
	if !ok {
		return
	}
	actor := principal(r).PersonID
	_, err := s.Store.ErasePerson(r.Context(), peercircle.Erasure{PersonID: p.ID, ActorID: actor, Password: r.PostFormValue("password"), Addr: s.clientAddr(r)})
	if err != nil {
		r.PostForm.Del("password")
		s.formError(w, r, "mydata_erase", s.personErasePage(r, p), err)
		return
	}
	s.Log.Info("person erased", "route", r.Pattern, "person", p.ID, "by", actor)
	if p.ID == actor {
		s.clearCookie(w, r, cookieSession)
		s.redirect(w, r, "/signin", "flash.erased")
		return
	}
	s.redirect(w, r, "/people/"+strconv.FormatInt(p.ID, 10), "flash.person_erased")
}

// PersonName is a name as people see it: the erased marker becomes the
// neutral label in the reader's language.
func (p *Page) PersonName(name string) string {
	if peercircle.IsErasedName(name) {
		return p.L.T("mydata.erased_name")
	}
	return name
}

// NoticeOf renders an exported notification in the page's language.
func (p *Page) NoticeOf(n peercircle.MyNotification) string {
	return p.Notice(&peercircle.Notification{Kind: n.Kind, Params: n.Params})
}

// Label translates key+value when the catalogue has it, else shows the
// value itself (an audit action added later still reads as something).
func (p *Page) Label(prefix, value string) string {
	if p.L.Has(prefix + value) {
		return p.L.T(prefix + value)
	}
	return value
}

// erasedToLabel replaces the erased marker in a rendered page with the
// neutral label in the reader's language, so every page that shows a
// person's name (rosters, reports, review histories) shows an erased
// person the same way without each knowing about erasure.
func erasedToLabel(p *Page, html []byte) []byte {
	if !bytes.Contains(html, []byte(peercircle.ErasedName)) {
		return html
	}
	return bytes.ReplaceAll(html, []byte(peercircle.ErasedName), []byte(template.HTMLEscapeString(p.L.T("mydata.erased_name"))))
}
