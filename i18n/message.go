package i18n

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxPlaceholderDigits bounds {N}: a message with a hundred arguments is a
// mistake, and a bound keeps "{99999999999999999999}" from overflowing.
const maxPlaceholderDigits = 2

// template is a message text split at its placeholders once, at load, so
// rendering is a walk over segments rather than a rescan of the text.
type template struct {
	src  string
	segs []segment
}

// segment is literal text (arg < 0) or a positional placeholder {arg};
// a placeholder keeps its source text to print when its argument is absent.
type segment struct {
	text string
	arg  int
}

// parseTemplate never fails: a brace that does not open a well-formed
// placeholder is kept as text, so translators can write "{" freely and a
// typo shows up on screen rather than breaking the load.
func parseTemplate(s string) template {
	t := template{src: s}
	lit := 0 // start of pending literal text
	for i := 0; i < len(s); {
		if s[i] != '{' {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && j-i-1 < maxPlaceholderDigits && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != '}' {
			i++
			continue
		}
		n, _ := strconv.Atoi(s[i+1 : j]) // only ASCII digits, at most two
		if lit < i {
			t.segs = append(t.segs, segment{text: s[lit:i], arg: -1})
		}
		t.segs = append(t.segs, segment{text: s[i : j+1], arg: n})
		i = j + 1
		lit = i
	}
	if lit < len(s) {
		t.segs = append(t.segs, segment{text: s[lit:], arg: -1})
	}
	return t
}

// placeholders lists the argument indexes the template uses, in order of
// appearance, repeats included.
func (t template) placeholders() []int {
	var out []int
	for _, sg := range t.segs {
		if sg.arg >= 0 {
			out = append(out, sg.arg)
		}
	}
	return out
}

// render fills the placeholders. A placeholder with no matching argument is
// written back as it was, so a missing argument is visible rather than blank.
func (t template) render(args []string) string {
	var b strings.Builder
	for _, sg := range t.segs {
		switch {
		case sg.arg < 0:
			b.WriteString(sg.text)
		case sg.arg < len(args):
			b.WriteString(args[sg.arg])
		default:
			b.WriteString(sg.text)
		}
	}
	return b.String()
}

// message is one catalogue entry: a plain text, or a plural object with a
// form per category. Six thousand of them are kept for as long as the
// program runs, so a plain message (all but a few dozen) is its text
// alone, and only a plural one carries a form per category.
type message struct {
	text   template     // the "other" form: a plain message's only one
	plural *pluralForms // nil for a plain message
}

// pluralForms are a plural message's forms; forms[other] is its text.
type pluralForms struct {
	has   [numCategories]bool
	forms [numCategories]template
}

// has reports whether the message has a form for category c.
func (m *message) has(c category) bool {
	if m.plural == nil {
		return c == other
	}
	return m.plural.has[c]
}

// byCategory is the message's form for category c (empty where it has none).
func (m *message) byCategory(c category) template {
	if m.plural == nil {
		if c == other {
			return m.text
		}
		return template{}
	}
	return m.plural.forms[c]
}

// set gives the message its form for category c.
func (m *message) set(c category, t template) {
	if c == other {
		m.text = t
	}
	if m.plural != nil {
		m.plural.has[c] = true
		m.plural.forms[c] = t
	}
}

func (m *message) form(rule pluralRule, args []any) template {
	if m.plural == nil {
		return m.text
	}
	if n, ok := pluralOperand(args); ok {
		if c := rule(n); m.plural.has[c] {
			return m.plural.forms[c]
		}
	}
	return m.text
}

// entry is a key and its message, in the order the file lists them.
type entry struct {
	key string
	msg *message
}

// parseCatalogue decodes one catalogue file. It walks JSON tokens rather
// than unmarshalling into a map because a map would silently keep the last
// of two identical keys, and a duplicated key in a catalogue is always a
// mistake worth reporting.
func parseCatalogue(data []byte) ([]entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("a catalogue must be a JSON object from key to message")
	}
	var out []entry
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("invalid JSON: unexpected %v", tok)
		}
		if key == "" {
			return nil, errors.New("empty message key")
		}
		if seen[key] {
			return nil, fmt.Errorf("key %q is defined twice", key)
		}
		seen[key] = true
		msg, err := parseMessage(dec)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		out = append(out, entry{key: key, msg: msg})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: unexpected data after the catalogue object")
	}
	return out, nil
}

// parseMessage decodes the value of one key: a string, or a plural object.
func parseMessage(dec *json.Decoder) (*message, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if s, ok := tok.(string); ok {
		return &message{text: parseTemplate(s)}, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("a message must be a string or an object of plural forms")
	}
	m := &message{plural: &pluralForms{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("invalid JSON: unexpected %v", tok)
		}
		c, ok := categoryByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown plural category %q (want zero, one, two, few, many or other)", name)
		}
		if m.has(c) {
			return nil, fmt.Errorf("plural category %q is defined twice", name)
		}
		tok, err = dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		s, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("plural form %q must be a string", name)
		}
		m.set(c, parseTemplate(s))
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if !m.has(other) {
		return nil, errors.New(`a plural message needs an "other" form`)
	}
	return m, nil
}
