package web

import (
	"html/template"
	"strings"
	"text/template/parse"

	"github.com/peercircle/peercircle/i18n"
)

// writeTexts writes into an escaped page set, once per language, the
// messages its templates ask for by a constant key and nothing else,
// {{.T "nav.skip"}} or {{$.T "home.your_roles"}}: the message, escaped as
// html/template would have escaped it there, becomes template text. A page
// then pays for a call (looked up by name, through reflection, with its
// escaper after it) only where the message takes arguments.
//
// Only calls whose receiver is certainly the page are written: in the
// layout and in each page's "content" and "title", $ is the page, and so
// is dot outside range and with. Partials are run on other data and keep
// their calls. Only text and quoted attribute values are written, whose
// escaping is the same whatever the text; in a URL, a script or a style the
// call stays.
func writeTexts(t *template.Template, l *i18n.Localizer) {
	if l == nil {
		return
	}
	for _, x := range t.Templates() {
		// Escaping makes a copy of a template for each other context it
		// is called in, named after it and the context.
		name, _, _ := strings.Cut(x.Name(), "$htmltemplate_")
		if x.Tree == nil || !pageRooted[name] {
			continue
		}
		writeList(x.Tree.Root, l, true)
	}
}

// pageRooted are the templates that run on the page itself.
var pageRooted = map[string]bool{"layout.html": true, "content": true, "title": true}

// textEscapers are html/template's escapers that escape a string the same
// way, with htmlEscaped: in text, in a quoted attribute value and in a
// title or text area.
var textEscapers = map[string]bool{
	"_html_template_htmlescaper":   true,
	"_html_template_attrescaper":   true,
	"_html_template_rcdataescaper": true,
}

// htmlEscaped is what those escapers make of a string that is not typed as
// HTML.
var htmlEscaped = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// writeList writes the constant messages of a list, recursively, and joins
// the text either side of each.
func writeList(list *parse.ListNode, l *i18n.Localizer, dotIsPage bool) {
	if list == nil {
		return
	}
	out := list.Nodes[:0]
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if text, ok := constantMessage(n, l, dotIsPage); ok {
				out = appendText(out, n.Position(), text)
				continue
			}
		case *parse.TextNode:
			out = appendText(out, n.Position(), string(n.Text))
			continue
		case *parse.IfNode:
			writeList(n.List, l, dotIsPage)
			writeList(n.ElseList, l, dotIsPage)
		case *parse.RangeNode:
			writeList(n.List, l, false)
			writeList(n.ElseList, l, dotIsPage)
		case *parse.WithNode:
			writeList(n.List, l, false)
			writeList(n.ElseList, l, dotIsPage)
		}
		out = append(out, n)
	}
	list.Nodes = out
}

// appendText adds text to a list, joined to the text node it ends with.
func appendText(nodes []parse.Node, pos parse.Pos, text string) []parse.Node {
	if n := len(nodes); n > 0 {
		if last, ok := nodes[n-1].(*parse.TextNode); ok {
			joined := make([]byte, 0, len(last.Text)+len(text))
			last.Text = append(append(joined, last.Text...), text...)
			return nodes
		}
	}
	return append(nodes, &parse.TextNode{NodeType: parse.NodeText, Pos: pos, Text: []byte(text)})
}

// constantMessage returns the escaped message of an action that is exactly
// a call of the page's T with a constant key, then one text escaper.
func constantMessage(a *parse.ActionNode, l *i18n.Localizer, dotIsPage bool) (string, bool) {
	p := a.Pipe
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 2 {
		return "", false
	}
	call, esc := p.Cmds[0], p.Cmds[1]
	if len(call.Args) != 2 || len(esc.Args) != 1 {
		return "", false
	}
	switch f := call.Args[0].(type) {
	case *parse.FieldNode:
		if !dotIsPage || len(f.Ident) != 1 || f.Ident[0] != "T" {
			return "", false
		}
	case *parse.VariableNode:
		if len(f.Ident) != 2 || f.Ident[0] != "$" || f.Ident[1] != "T" {
			return "", false
		}
	default:
		return "", false
	}
	key, ok := call.Args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	if id, ok := esc.Args[0].(*parse.IdentifierNode); !ok || !textEscapers[id.Ident] {
		return "", false
	}
	return htmlEscaped.Replace(l.T(key.Text)), true
}
