package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/guard"
)

// The confidentiality guard in forms. Every free text about a session is
// checked before it is saved (the store checks again, so nothing skips it).
// When the guard finds something, the form comes back with each finding
// highlighted in place and two buttons: "remove" takes it out of the text,
// "not a person" confirms it and keeps it. Confirmed words travel in the form
// as hidden "allow.<field>" values (their guard.Key) and are stored sealed
// with the record, so they are not flagged again.

// guardPart is a piece of a checked text: plain, or a finding.
type guardPart struct {
	Text    string
	Finding *guard.Finding
	Remove  string // button value for "remove"
	Allow   string // button value for "not a person"
}

// guardField is one checked field of a form.
type guardField struct {
	Name    string
	Label   string // message key
	Parts   []guardPart
	Found   int      // unconfirmed findings
	Allowed []string // confirmed keys, for hidden inputs
}

// guardForm checks the free-text fields of a form.
type guardForm struct {
	Fields map[string]*guardField
	Order  []string
}

// Found counts the unconfirmed findings of every field.
func (g *guardForm) Found() int {
	if g == nil {
		return 0
	}
	n := 0
	for _, f := range g.Fields {
		n += f.Found
	}
	return n
}

// Field returns a checked field by name (nil if it was not checked).
func (g *guardForm) Field(name string) *guardField {
	if g == nil {
		return nil
	}
	return g.Fields[name]
}

// readAllowed collects the confirmed keys the form carries, per field.
func readAllowed(r *http.Request, fields []string) map[string][]string {
	out := map[string][]string{}
	for _, f := range fields {
		for _, v := range r.PostForm["allow."+f] {
			if v = strings.TrimSpace(v); v != "" && len(out[f]) < 50 {
				out[f] = append(out[f], v)
			}
		}
	}
	return out
}

// applyGuardOp carries out a "remove" or "not a person" button: it changes
// values (field → text) or allowed in place and reports whether there was an
// operation. A remove whose text no longer sits at its offsets (the person
// edited meanwhile) does nothing; the form is simply checked again.
func applyGuardOp(op string, values map[string]string, allowed map[string][]string) bool {
	parts := strings.SplitN(op, "|", 5)
	if parts[0] != "allow" && parts[0] != "remove" {
		return false // "save", "submit" or none
	}
	switch {
	case len(parts) == 3 && parts[0] == "allow":
		if _, ok := values[parts[1]]; ok {
			allowed[parts[1]] = append(allowed[parts[1]], guard.Key(parts[2]))
		}
	case len(parts) == 5 && parts[0] == "remove":
		text, ok := values[parts[1]]
		start, err1 := strconv.Atoi(parts[2])
		end, err2 := strconv.Atoi(parts[3])
		rs := []rune(text)
		if ok && err1 == nil && err2 == nil && 0 <= start && start < end && end <= len(rs) && string(rs[start:end]) == parts[4] {
			out := strings.TrimRight(string(rs[:start]), " ") + " " + strings.TrimLeft(string(rs[end:]), " ")
			values[parts[1]] = strings.TrimSpace(out)
		}
	}
	return true
}

// checkFields runs the guard over the fields (in order) with the session's
// protected names.
func checkFields(g *guard.Guard, order []string, labels map[string]string, values map[string]string, allowed map[string][]string) *guardForm {
	gf := &guardForm{Fields: map[string]*guardField{}, Order: order}
	for _, name := range order {
		text := values[name]
		f := &guardField{Name: name, Label: labels[name], Allowed: allowed[name]}
		found := guard.Unconfirmed(g.Check(text), allowed[name])
		f.Found = len(found)
		if f.Found > 0 {
			rs := []rune(text)
			at := 0
			for i := range found {
				fd := found[i]
				if fd.Start > at {
					f.Parts = append(f.Parts, guardPart{Text: string(rs[at:fd.Start])})
				}
				f.Parts = append(f.Parts, guardPart{Text: fd.Text, Finding: &found[i],
					Remove: "remove|" + name + "|" + strconv.Itoa(fd.Start) + "|" + strconv.Itoa(fd.End) + "|" + fd.Text,
					Allow:  "allow|" + name + "|" + fd.Text})
				at = fd.End
			}
			if at < len(rs) {
				f.Parts = append(f.Parts, guardPart{Text: string(rs[at:])})
			}
		}
		gf.Fields[name] = f
	}
	return gf
}

// sessionGuard builds the guard for a session's protected names.
func (s *Server) sessionGuard(r *http.Request, sessionID int64) (*guard.Guard, error) {
	names, err := s.Store.ProtectedNames(r.Context(), sessionID)
	if err != nil {
		return nil, err
	}
	return guard.New(names), nil
}

// guardErr is the form-level error shown when the guard found something.
var guardErr = &peercircle.Error{Code: peercircle.EINVALID, Key: "guard.found", Message: "the guard found names or identifiers"}
