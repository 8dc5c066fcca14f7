package web

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/guard"
)

// The confidentiality guard in forms. Every free text about a session or a
// person is checked before it is saved (the store checks again, so nothing
// skips it). When the guard finds something, the form comes back with the
// findings panel (the "guard" template): the text with each finding marked
// in place and, beside it, its decision: "Remove" or "Not a person". The
// writer decides them all and saves once, or edits the text itself; with
// or without JavaScript it is one submit of the form's own button.
//
// The panel posts, per checked field f:
//
//	guard.f           the text the findings were found in
//	finding.f.i       "start|end|kind|text" of the i-th finding (characters)
//	decide.f.i        "remove" or "allow" (not a person); absent: undecided
//	allow.f           the confirmed words (guard.Key), carried from before
//
// "Remove" puts a placeholder in the finding's place ("[phone number]"), so
// the sentence still reads ("Call her on [phone number] or [phone
// number]."), never "Call her on or .". Confirmed words are stored sealed
// with a meeting's records, so they are not flagged again, and only
// counted for texts about people outside a meeting.

// guardPart is a piece of a checked text: plain, or a finding.
type guardPart struct {
	Text    string
	Finding *guard.Finding
	Index   int    // the finding's number in its field
	At      string // "start|end|kind|text", posted back with the decision
}

// ID is the finding's element id.
func (p guardPart) ID(field string) string { return "fd-" + field + "-" + strconv.Itoa(p.Index) }

// guardField is one checked field of a form.
type guardField struct {
	Name    string
	Label   string // message key
	Text    string // the text the findings were found in
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

// maxFindings bounds the decisions read per field.
const maxFindings = 200

// normText is a text as the guard checks it: line ends as the browser may
// not have sent them (\n, not \r\n), no outer spaces. Offsets of findings
// count characters of this form.
func normText(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

// applyDecisions carries out the panel's decisions on values (field →
// text) and allowed in place. placeholder gives the words put in place of
// a removed finding of a kind, in the writer's language. When the writer
// also edited a text, a removed finding is looked for in the new text
// (its first occurrence) and a confirmed one still counts; the text is
// then simply checked again.
func applyDecisions(r *http.Request, fields []string, values map[string]string, allowed map[string][]string, placeholder func(kind string) string) {
	type cut struct {
		start, end int
		kind, text string
	}
	for _, f := range fields {
		text, ok := values[f]
		if !ok {
			continue
		}
		text = normText(text)
		values[f] = text
		var cuts []cut
		for i := 0; i < maxFindings; i++ {
			at := r.PostFormValue("finding." + f + "." + strconv.Itoa(i))
			if at == "" {
				break
			}
			parts := strings.SplitN(at, "|", 4)
			if len(parts) != 4 {
				continue
			}
			start, err1 := strconv.Atoi(parts[0])
			end, err2 := strconv.Atoi(parts[1])
			if err1 != nil || err2 != nil || start < 0 || end <= start || parts[3] == "" {
				continue
			}
			switch r.PostFormValue("decide." + f + "." + strconv.Itoa(i)) {
			case "allow":
				key := guard.Key(parts[3])
				if !slices.Contains(allowed[f], key) && len(allowed[f]) < 50 {
					allowed[f] = append(allowed[f], key)
				}
			case "remove":
				cuts = append(cuts, cut{start, end, parts[2], parts[3]})
			}
		}
		if len(cuts) == 0 {
			continue
		}
		if checked, ok := r.PostForm["guard."+f]; ok && normText(checked[0]) == text {
			// As checked: cut at the offsets, the last first.
			rs := []rune(text)
			sort.Slice(cuts, func(i, j int) bool { return cuts[i].start > cuts[j].start })
			last := len(rs) + 1
			for _, c := range cuts {
				if c.end > len(rs) || c.end > last || string(rs[c.start:c.end]) != c.text {
					continue
				}
				rs = append(append(append([]rune{}, rs[:c.start]...), []rune(placeholder(c.kind))...), rs[c.end:]...)
				last = c.start
			}
			values[f] = string(rs)
			continue
		}
		for _, c := range cuts {
			values[f] = strings.Replace(values[f], c.text, placeholder(c.kind), 1)
		}
	}
}

// guardPlaceholder is what "Remove" leaves in a text, in the writer's
// language: "[name]", "[phone number]".
func (s *Server) guardPlaceholder(r *http.Request) func(kind string) string {
	loc := stateOf(r).loc
	if loc == nil {
		loc = s.I18n.Localizer("en")
	}
	return func(kind string) string {
		switch kind {
		case guard.KindName, guard.KindPhone, guard.KindEmail, guard.KindNumber:
		default:
			kind = guard.KindNumber
		}
		return "[" + loc.T("guard.placeholder."+kind) + "]"
	}
}

// checkFields runs the guard over the fields (in order) with the session's
// protected names.
func checkFields(g *guard.Guard, order []string, labels map[string]string, values map[string]string, allowed map[string][]string) *guardForm {
	gf := &guardForm{Fields: map[string]*guardField{}, Order: order}
	for _, name := range order {
		text := normText(values[name])
		f := &guardField{Name: name, Label: labels[name], Allowed: allowed[name], Text: text}
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
				f.Parts = append(f.Parts, guardPart{Text: fd.Text, Finding: &found[i], Index: i,
					At: strconv.Itoa(fd.Start) + "|" + strconv.Itoa(fd.End) + "|" + fd.Kind + "|" + fd.Text})
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
