package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/peercircle/peercircle/guard"
)

// The confidentiality guard on forms about people outside a meeting (a
// support request, supervision notes), with the findings panel of
// guardui.go: the same "remove" and "not a person" decisions, the confirmed
// words carried as hidden "allow.<field>" values. Here they are not stored
// with the record: the store counts them in the audit log and forgets them.

// guardedForm is a posted form's free-text fields after the guard.
type guardedForm struct {
	Values  map[string]string   // field → text, after a "remove"
	Allowed map[string][]string // field → confirmed keys
	Guard   *guardForm
}

// checkPosted reads fields from the posted form, carries out the panel's
// decisions and checks the texts with the given protected names.
func (s *Server) checkPosted(r *http.Request, names []string, fields []string, labels map[string]string) *guardedForm {
	gf := &guardedForm{Values: map[string]string{}, Allowed: readAllowed(r, fields)}
	for _, f := range fields {
		gf.Values[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	applyDecisions(r, fields, gf.Values, gf.Allowed, s.guardPlaceholder(r))
	gf.Guard = checkFields(guard.New(names), fields, labels, gf.Values, gf.Allowed)
	return gf
}

// Stop reports whether the form must come back instead of being saved:
// something is still to be decided.
func (gf *guardedForm) Stop() bool { return gf.Guard.Found() > 0 }

// render shows the form again with the findings in place and the texts as
// they are now.
func (gf *guardedForm) render(s *Server, w http.ResponseWriter, r *http.Request, name string, p *Page) {
	p.Form = url.Values{}
	for k, v := range r.PostForm {
		p.Form[k] = v
	}
	for k, v := range gf.Values {
		p.Form.Set(k, v)
	}
	status := http.StatusOK
	if gf.Guard.Found() > 0 {
		status = http.StatusUnprocessableEntity
		p.Error = guardErr.Key
		p.Errors = map[string]string{}
		for f, fd := range gf.Guard.Fields {
			if fd.Found > 0 {
				p.Errors[f] = "guard.unconfirmed"
			}
		}
	}
	s.renderStatus(w, r, status, name, p)
}
