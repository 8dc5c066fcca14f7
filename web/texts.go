package web

import (
	"html/template"
	"strings"
	"text/template/parse"

	"github.com/peercircle/peercircle/i18n"
)

// writeTexts writes into an escaped page set, once per language, the
// messages its templates ask for by a constant key and nothing else,
// {{.T "nav.skip"}}, {{$.T "home.your_roles"}} or, in a partial given the
// page as P, {{.P.T "rsvp.be_there"}}: the message, escaped as html/template
// would have escaped it there, becomes template text. A page then pays for
// a call (looked up by name, through reflection, with its escaper after it)
// only where the message takes arguments.
//
// Only calls whose receiver is certainly the page are written. The layout
// runs on the page; a template runs on the page, or on a dict whose P is the
// page, when every call of it in the set passes that (dotKinds). Within a
// template $ is what it runs on, and so is dot outside range and with. Only
// text and quoted attribute values are written, whose escaping is the same
// whatever the text; in a URL, a script or a style the call stays.
func writeTexts(t *template.Template, l *i18n.Localizer) {
	if l == nil {
		return
	}
	trees := map[string]*parse.Tree{}
	for _, x := range t.Templates() {
		if x.Tree != nil {
			trees[x.Name()] = x.Tree
		}
	}
	for name, kind := range dotKinds(trees, "layout.html") {
		if tree := trees[name]; tree != nil && (kind == dotPage || kind == dotDict) {
			eachList(tree.Root, kind, func(list *parse.ListNode, dot dotKind) { writeList(list, l, dot, kind) })
		}
	}
}

// dotKind is what a template's dot is known to be.
type dotKind int

const (
	dotUnknown dotKind = iota + 1
	dotPage            // the *Page
	dotDict            // a dict whose "P" is the *Page
)

// dotKinds finds, for each template reached from the root, what it runs
// on: the root runs on the page, and each other template on what all its
// calls pass, or dotUnknown when they differ or cannot be known. A template
// no call reaches is left out.
//
// Escaping made a copy of some templates for each other context they are
// called in, named after the template and the context, which the
// html/template set does not list (nor are they written). Their calls are
// taken from the template they copy: a copy calls the same templates, or
// their copies, with the same arguments.
func dotKinds(trees map[string]*parse.Tree, root string) map[string]dotKind {
	kinds := map[string]dotKind{root: dotPage}
	for changed := true; changed; {
		changed = false
		for name, kind := range kinds {
			tree := trees[name]
			if tree == nil {
				source, _, _ := strings.Cut(name, "$htmltemplate_")
				tree = trees[source]
			}
			if tree == nil {
				continue
			}
			walkCalls(tree.Root, kind, func(callee string, arg dotKind) {
				switch k, ok := kinds[callee]; {
				case !ok:
					kinds[callee], changed = arg, true
				case k != arg && k != dotUnknown:
					kinds[callee], changed = dotUnknown, true
				}
			})
		}
	}
	return kinds
}

// eachList calls visit for a list and for every list nested in it, with
// what dot is there: range and with change dot in their bodies, not in
// their else. visit may rewrite its list's own nodes.
func eachList(list *parse.ListNode, dot dotKind, visit func(*parse.ListNode, dotKind)) {
	if list == nil {
		return
	}
	visit(list, dot)
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.IfNode:
			eachList(n.List, dot, visit)
			eachList(n.ElseList, dot, visit)
		case *parse.RangeNode:
			eachList(n.List, dotUnknown, visit)
			eachList(n.ElseList, dot, visit)
		case *parse.WithNode:
			eachList(n.List, dotUnknown, visit)
			eachList(n.ElseList, dot, visit)
		}
	}
}

// walkCalls reports each template call in a template with what it passes.
func walkCalls(root *parse.ListNode, kind dotKind, call func(string, dotKind)) {
	eachList(root, kind, func(list *parse.ListNode, dot dotKind) {
		for _, n := range list.Nodes {
			if t, ok := n.(*parse.TemplateNode); ok {
				call(t.Name, pipeKind(t.Pipe, dot, kind))
			}
		}
	})
}

// pipeKind is what a template call's argument is: the page, a dict whose P
// is the page, or unknown.
func pipeKind(p *parse.PipeNode, dot, dollar dotKind) dotKind {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 {
		return dotUnknown
	}
	args := p.Cmds[0].Args
	if len(args) == 1 {
		if inner, ok := args[0].(*parse.PipeNode); ok {
			return pipeKind(inner, dot, dollar)
		}
		if argIsPage(args[0], dot, dollar) {
			return dotPage
		}
		if _, ok := args[0].(*parse.DotNode); ok && dot == dotDict {
			return dotDict
		}
		if v, ok := args[0].(*parse.VariableNode); ok && len(v.Ident) == 1 && v.Ident[0] == "$" && dollar == dotDict {
			return dotDict
		}
		return dotUnknown
	}
	if id, ok := args[0].(*parse.IdentifierNode); ok && id.Ident == "dict" {
		for i := 1; i+1 < len(args); i += 2 {
			if key, ok := args[i].(*parse.StringNode); ok && key.Text == "P" {
				if argIsPage(args[i+1], dot, dollar) {
					return dotDict
				}
				return dotUnknown
			}
		}
	}
	return dotUnknown
}

// argIsPage reports whether a template argument is certainly the page:
// dot or $ on the page, or .P or $.P on a dict of it.
func argIsPage(n parse.Node, dot, dollar dotKind) bool {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot == dotPage
	case *parse.FieldNode:
		return dot == dotDict && len(n.Ident) == 1 && n.Ident[0] == "P"
	case *parse.VariableNode:
		return n.Ident[0] == "$" && (len(n.Ident) == 1 && dollar == dotPage || len(n.Ident) == 2 && n.Ident[1] == "P" && dollar == dotDict)
	}
	return false
}

// tIsPages reports whether a call's function is the page's T.
func tIsPages(n parse.Node, dot, dollar dotKind) bool {
	switch n := n.(type) {
	case *parse.FieldNode:
		return len(n.Ident) == 1 && n.Ident[0] == "T" && dot == dotPage ||
			len(n.Ident) == 2 && n.Ident[0] == "P" && n.Ident[1] == "T" && dot == dotDict
	case *parse.VariableNode:
		return n.Ident[0] == "$" && (len(n.Ident) == 2 && n.Ident[1] == "T" && dollar == dotPage ||
			len(n.Ident) == 3 && n.Ident[1] == "P" && n.Ident[2] == "T" && dollar == dotDict)
	}
	return false
}

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

// writeList writes the constant messages of a list's own nodes, and joins
// the text either side of each.
func writeList(list *parse.ListNode, l *i18n.Localizer, dot, dollar dotKind) {
	out := list.Nodes[:0]
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if text, ok := constantMessage(n, l, dot, dollar); ok {
				out = appendText(out, n.Position(), text)
				continue
			}
		case *parse.TextNode:
			out = appendText(out, n.Position(), string(n.Text))
			continue
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
func constantMessage(a *parse.ActionNode, l *i18n.Localizer, dot, dollar dotKind) (string, bool) {
	p := a.Pipe
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 2 {
		return "", false
	}
	call, esc := p.Cmds[0], p.Cmds[1]
	if len(call.Args) != 2 || len(esc.Args) != 1 {
		return "", false
	}
	if !tIsPages(call.Args[0], dot, dollar) {
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
