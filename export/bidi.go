package export

import "unicode"

// The PDF writer draws glyphs left to right itself, so it orders each line
// with the Unicode Bidirectional Algorithm (UAX #9) for one paragraph
// without explicit embeddings or overrides (PeerCircle's input rules
// refuse those): weak types (numbers, separators), paired brackets,
// neutrals, isolates (FSI, LRI, RLI … PDI) and the reordering of levels.
// Isolates matter most: a name, place or comment of the other direction is
// isolated, so it keeps its own order and cannot pull the punctuation
// around it ("Huda Saleh (٣)" keeps its brackets in an Arabic line; an
// English comment keeps its full stop at its end).

type bidiType uint8

const (
	tL   bidiType = iota // strong left to right
	tR                   // strong right to left (Hebrew, marks)
	tAL                  // Arabic letter
	tEN                  // European number
	tES                  // number separator: + -
	tET                  // number terminator: % # $ …
	tAN                  // Arabic number (Arabic-Indic digits, ٫ ٬)
	tCS                  // common separator: , . : / no-break space
	tNSM                 // combining mark (harakat)
	tBN                  // boundary neutral: dropped
	tWS                  // white space
	tON                  // other neutral
	tLRI                 // isolates
	tRLI
	tFSI
	tPDI
)

func classOf(r rune) bidiType {
	switch r {
	case '\u2066':
		return tLRI
	case '\u2067':
		return tRLI
	case '\u2068':
		return tFSI
	case '\u2069':
		return tPDI
	case '\u200e':
		return tL
	case '\u200f':
		return tR
	case '\u061c':
		return tAL
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2063':
		return tBN
	case '+', '-', '\u2212':
		return tES
	case '#', '$', '%', '°', '€', '£', '\u066a':
		return tET
	case ',', '.', ':', '/', '\u00a0', '\u202f', '\u060c':
		return tCS
	case ' ', '\t', '\u2009', '\u2002', '\u2003':
		return tWS
	}
	switch {
	case r >= '0' && r <= '9', r >= 0x06F0 && r <= 0x06F9:
		return tEN
	case r >= 0x0660 && r <= 0x0669, r == 0x066B, r == 0x066C:
		return tAN
	case r >= 0x064B && r <= 0x065F, r == 0x0670:
		return tNSM
	case r >= 0x0590 && r <= 0x05FF:
		return tR
	case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFE:
		return tAL
	case unicode.IsLetter(r):
		return tL
	case unicode.IsDigit(r):
		return tEN
	}
	return tON
}

// strongRTL reports whether r is a letter written right to left.
func strongRTL(r rune) bool {
	t := classOf(r)
	return t == tR || t == tAL
}

// firstStrong returns the direction of the first letter of s outside any
// isolate (true for right to left), and false for ok when s has none:
// the direction a paragraph of a person's own words is laid out in.
func firstStrong(s string) (rtl, ok bool) {
	depth := 0
	for _, r := range s {
		switch t := classOf(r); t {
		case tLRI, tRLI, tFSI:
			depth++
		case tPDI:
			if depth > 0 {
				depth--
			}
		case tL, tR, tAL:
			if depth == 0 {
				return t != tL, true
			}
		}
	}
	return false, false
}

var mirrored = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«', '‹': '›', '›': '‹'}

// visualOrder shapes a line and puts it in the order glyphs are drawn from
// left to right, in a paragraph that runs right to left (rtl) or left to
// right.
func visualOrder(line string, rtl bool) []glyphRun {
	g := shapeArabic([]rune(line))
	if len(g) == 0 {
		return g
	}
	types := make([]bidiType, len(g))
	for i, x := range g {
		types[i] = classOf(x.r)
	}
	levels := make([]int, len(g))
	base := 0
	if rtl {
		base = 1
	}
	resolveLevels(g, types, levels, 0, len(g), base)
	// L2: from the highest level to the lowest odd one, reverse every run
	// at that level or above.
	maxL, minOdd := 0, 127
	for _, l := range levels {
		maxL = max(maxL, l)
		if l%2 == 1 {
			minOdd = min(minOdd, l)
		}
	}
	order := make([]int, len(g))
	for i := range order {
		order[i] = i
	}
	for lev := maxL; lev >= minOdd && lev > 0; lev-- {
		for i := 0; i < len(order); {
			if levels[order[i]] < lev {
				i++
				continue
			}
			j := i
			for j < len(order) && levels[order[j]] >= lev {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				order[a], order[b] = order[b], order[a]
			}
			i = j
		}
	}
	out := make([]glyphRun, 0, len(g))
	for _, k := range order {
		switch types[k] {
		case tLRI, tRLI, tFSI, tPDI, tBN:
			continue // controls order the text; they are not drawn
		}
		if g[k].r == '\u200e' || g[k].r == '\u200f' || g[k].r == '\u061c' {
			continue
		}
		x := g[k]
		if levels[k]%2 == 1 {
			if m, ok := mirrored[x.r]; ok {
				x.r = m
			}
		}
		out = append(out, x)
	}
	return out
}

// resolveLevels gives each glyph of g[from:to] its embedding level, for an
// isolating run sequence at level; isolates inside are resolved on their
// own, one level up, and count as one neutral here.
func resolveLevels(g []glyphRun, types []bidiType, levels []int, from, to, level int) {
	var seq []int // positions of this sequence
	for i := from; i < to; i++ {
		seq = append(seq, i)
		t := types[i]
		if t != tLRI && t != tRLI && t != tFSI {
			continue
		}
		j, depth := i+1, 1
		for ; j < to; j++ {
			switch types[j] {
			case tLRI, tRLI, tFSI:
				depth++
			case tPDI:
				depth--
			}
			if depth == 0 {
				break
			}
		}
		inner := t == tRLI
		if t == tFSI {
			inner = false
			for k := i + 1; k < j; k++ { // first strong, skipping nested isolates
				if d := types[k]; d == tLRI || d == tRLI || d == tFSI {
					for nest := 1; nest > 0 && k+1 < j; {
						k++
						switch types[k] {
						case tLRI, tRLI, tFSI:
							nest++
						case tPDI:
							nest--
						}
					}
					continue
				}
				if d := types[k]; d == tL || d == tR || d == tAL {
					inner = d != tL
					break
				}
			}
		}
		next := level + 1
		if (next%2 == 1) != inner {
			next++
		}
		resolveLevels(g, types, levels, i+1, j, next)
		if j < to {
			seq = append(seq, j)
		}
		i = j
	}
	resolveSequence(g, types, levels, seq, level)
}

// resolveSequence applies the weak, neutral and implicit rules (W1–W7,
// N0–N2, I1–I2) to one isolating run sequence.
func resolveSequence(g []glyphRun, types []bidiType, levels []int, seq []int, level int) {
	n := len(seq)
	if n == 0 {
		return
	}
	e := tL // the embedding direction
	if level%2 == 1 {
		e = tR
	}
	t := make([]bidiType, n)
	for k, p := range seq {
		t[k] = types[p]
		switch t[k] {
		case tLRI, tRLI, tFSI, tPDI:
			t[k] = tON // an isolate is one neutral to the text around it
		}
	}
	// W1: a combining mark takes the type of what it follows.
	for k := range t {
		if t[k] == tNSM {
			if k == 0 {
				t[k] = e
			} else {
				t[k] = t[k-1]
			}
		}
	}
	// W2: a European number after an Arabic letter is an Arabic number.
	// W3: an Arabic letter is then simply right to left.
	strong := e
	for k := range t {
		switch t[k] {
		case tL, tR, tAL:
			strong = t[k]
		case tEN:
			if strong == tAL {
				t[k] = tAN
			}
		}
	}
	for k := range t {
		if t[k] == tAL {
			t[k] = tR
		}
	}
	// W4: one separator between two numbers of a kind joins them.
	for k := 1; k+1 < n; k++ {
		switch {
		case t[k] == tES && t[k-1] == tEN && t[k+1] == tEN:
			t[k] = tEN
		case t[k] == tCS && t[k-1] == tEN && t[k+1] == tEN:
			t[k] = tEN
		case t[k] == tCS && t[k-1] == tAN && t[k+1] == tAN:
			t[k] = tAN
		}
	}
	// W5: terminators beside a European number belong to it.
	for k := 0; k < n; k++ {
		if t[k] != tET {
			continue
		}
		j := k
		for j < n && t[j] == tET {
			j++
		}
		if (k > 0 && t[k-1] == tEN) || (j < n && t[j] == tEN) {
			for m := k; m < j; m++ {
				t[m] = tEN
			}
		}
		k = j - 1
	}
	// W6: other separators and terminators are neutral. BN too.
	for k := range t {
		switch t[k] {
		case tES, tET, tCS, tBN:
			t[k] = tON
		}
	}
	// W7: a European number in left-to-right text is left to right.
	strong = e
	for k := range t {
		switch t[k] {
		case tL, tR:
			strong = t[k]
		case tEN:
			if strong == tL {
				t[k] = tL
			}
		}
	}
	// dirOf is a resolved type's direction for the neutral rules, where
	// numbers count as right to left; tON for a neutral.
	dirOf := func(x bidiType) bidiType {
		switch x {
		case tL:
			return tL
		case tR, tEN, tAN:
			return tR
		}
		return tON
	}
	// N0: paired brackets take the direction of what they enclose, or of
	// what precedes them when what they enclose goes against the text.
	type pair struct{ open, close int }
	var pairs []pair
	var stack []int
	opening := map[rune]rune{'(': ')', '[': ']', '{': '}'}
	for k, p := range seq {
		if t[k] != tON {
			continue
		}
		r := g[p].r
		if _, ok := opening[r]; ok {
			if len(stack) == 63 {
				break
			}
			stack = append(stack, k)
			continue
		}
		for s := len(stack) - 1; s >= 0; s-- {
			if opening[g[seq[stack[s]]].r] == r {
				pairs = append(pairs, pair{stack[s], k})
				stack = stack[:s]
				break
			}
		}
	}
	for a := 1; a < len(pairs); a++ { // by opening position
		for b := a; b > 0 && pairs[b].open < pairs[b-1].open; b-- {
			pairs[b], pairs[b-1] = pairs[b-1], pairs[b]
		}
	}
	for _, pr := range pairs {
		found := tON
		for k := pr.open + 1; k < pr.close; k++ {
			d := dirOf(t[k])
			if d == e {
				found = e
				break
			}
			if d != tON {
				found = d
			}
		}
		if found == tON {
			continue
		}
		if found != e {
			ctx := e
			for k := pr.open - 1; k >= 0; k-- {
				if d := dirOf(t[k]); d != tON {
					ctx = d
					break
				}
			}
			if ctx != found {
				found = e
			}
		}
		t[pr.open], t[pr.close] = found, found
	}
	// N1, N2: a run of neutrals between two of one direction takes it,
	// otherwise the embedding direction.
	for k := 0; k < n; k++ {
		if dirOf(t[k]) != tON {
			continue
		}
		j := k
		for j < n && dirOf(t[j]) == tON {
			j++
		}
		before, after := e, e
		if k > 0 {
			before = dirOf(t[k-1])
		}
		if j < n {
			after = dirOf(t[j])
		}
		d := e
		if before == after {
			d = before
		}
		for m := k; m < j; m++ {
			t[m] = d
		}
		k = j - 1
	}
	// I1, I2: levels.
	for k, p := range seq {
		l := level
		switch {
		case level%2 == 0 && t[k] == tR:
			l++
		case level%2 == 0 && (t[k] == tAN || t[k] == tEN):
			l += 2
		case level%2 == 1 && (t[k] == tL || t[k] == tEN || t[k] == tAN):
			l++
		}
		levels[p] = l
	}
}
