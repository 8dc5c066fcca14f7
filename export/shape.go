package export

import "unicode"

// Arabic shaping and bidirectional ordering for the PDF writer, which
// places glyphs itself (no shaping engine is available without cgo). Each
// Arabic letter takes its isolated, initial, medial or final form from the
// Presentation Forms-B block according to its neighbours, lam-alef becomes
// one ligature, and each line is reordered from logical to visual order.
// This covers the letters of Arabic as written in the Levant; letters
// outside the table are drawn in their base form.

// arabicForms holds, per letter, its isolated, final, initial and medial
// presentation forms; a right-joining letter has no initial or medial form.
var arabicForms = map[rune][4]rune{
	0x0621: {0xFE80, 0, 0, 0},
	0x0622: {0xFE81, 0xFE82, 0, 0},
	0x0623: {0xFE83, 0xFE84, 0, 0},
	0x0624: {0xFE85, 0xFE86, 0, 0},
	0x0625: {0xFE87, 0xFE88, 0, 0},
	0x0626: {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C},
	0x0627: {0xFE8D, 0xFE8E, 0, 0},
	0x0628: {0xFE8F, 0xFE90, 0xFE91, 0xFE92},
	0x0629: {0xFE93, 0xFE94, 0, 0},
	0x062A: {0xFE95, 0xFE96, 0xFE97, 0xFE98},
	0x062B: {0xFE99, 0xFE9A, 0xFE9B, 0xFE9C},
	0x062C: {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0},
	0x062D: {0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4},
	0x062E: {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8},
	0x062F: {0xFEA9, 0xFEAA, 0, 0},
	0x0630: {0xFEAB, 0xFEAC, 0, 0},
	0x0631: {0xFEAD, 0xFEAE, 0, 0},
	0x0632: {0xFEAF, 0xFEB0, 0, 0},
	0x0633: {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4},
	0x0634: {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8},
	0x0635: {0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC},
	0x0636: {0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0},
	0x0637: {0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4},
	0x0638: {0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8},
	0x0639: {0xFEC9, 0xFECA, 0xFECB, 0xFECC},
	0x063A: {0xFECD, 0xFECE, 0xFECF, 0xFED0},
	0x0640: {0x0640, 0x0640, 0x0640, 0x0640}, // tatweel joins both ways
	0x0641: {0xFED1, 0xFED2, 0xFED3, 0xFED4},
	0x0642: {0xFED5, 0xFED6, 0xFED7, 0xFED8},
	0x0643: {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC},
	0x0644: {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0},
	0x0645: {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4},
	0x0646: {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8},
	0x0647: {0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC},
	0x0648: {0xFEED, 0xFEEE, 0, 0},
	0x0649: {0xFEEF, 0xFEF0, 0, 0},
	0x064A: {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4},
}

// lamAlef holds the isolated and final lam-alef ligature per alef.
var lamAlef = map[rune][2]rune{
	0x0622: {0xFEF5, 0xFEF6},
	0x0623: {0xFEF7, 0xFEF8},
	0x0625: {0xFEF9, 0xFEFA},
	0x0627: {0xFEFB, 0xFEFC},
}

// transparent marks (harakat) do not break joining.
func transparent(r rune) bool {
	return (r >= 0x064B && r <= 0x065F) || r == 0x0670
}

func joinsForward(r rune) bool { // can connect to the letter after it
	f, ok := arabicForms[r]
	return ok && f[2] != 0
}

func joinsBackward(r rune) bool { // can connect to the letter before it
	f, ok := arabicForms[r]
	return ok && f[1] != 0
}

// glyphRun is a shaped character with the text it stands for.
type glyphRun struct {
	r    rune   // the character to draw (a presentation form for Arabic)
	text string // the logical text it represents (for copy and search)
}

// shapeArabic turns logical text into characters to draw, still in logical
// order, each with the text it stands for.
func shapeArabic(s []rune) []glyphRun {
	out := make([]glyphRun, 0, len(s))
	prevJoins := false // the previous letter connects forward to this one
	for i := 0; i < len(s); i++ {
		r := s[i]
		if transparent(r) {
			out = append(out, glyphRun{r, string(r)})
			continue
		}
		forms, ok := arabicForms[r]
		if !ok {
			out = append(out, glyphRun{r, string(r)})
			prevJoins = false
			continue
		}
		next, nextAt := rune(0), -1
		for j := i + 1; j < len(s); j++ {
			if !transparent(s[j]) {
				next, nextAt = s[j], j
				break
			}
		}
		back := prevJoins && joinsBackward(r)
		if r == 0x0644 && nextAt == i+1 {
			if lig, ok := lamAlef[next]; ok {
				form := lig[0]
				if back {
					form = lig[1]
				}
				out = append(out, glyphRun{form, string([]rune{r, next})})
				i++
				prevJoins = false
				continue
			}
		}
		fwd := joinsForward(r) && nextAt >= 0 && joinsBackward(next)
		var form rune
		switch {
		case back && fwd:
			form = forms[3]
		case back:
			form = forms[1]
		case fwd:
			form = forms[2]
		default:
			form = forms[0]
		}
		out = append(out, glyphRun{form, string(r)})
		prevJoins = fwd
	}
	return out
}

// Bidi classes, simplified from the Unicode Bidirectional Algorithm.
const (
	bidiL = iota // strong left to right
	bidiR        // strong right to left (Arabic)
	bidiN        // number: laid out left to right
	bidiW        // neutral: space and punctuation
)

func bidiClass(r rune) int {
	switch {
	case (r >= 0x0600 && r <= 0x06FF && !(r >= 0x0660 && r <= 0x0669) && !(r >= 0x06F0 && r <= 0x06F9)) ||
		(r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF) || (r >= 0x0590 && r <= 0x05FF):
		return bidiR
	case unicode.IsDigit(r):
		return bidiN
	case unicode.IsLetter(r):
		return bidiL
	}
	return bidiW
}

var mirrored = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«'}

// visualOrder shapes a line and puts it in the order glyphs are drawn from
// left to right, for a paragraph that runs right to left (rtl) or left to
// right. Numbers and Latin words keep their own order inside Arabic text.
func visualOrder(line string, rtl bool) []glyphRun {
	var rs []rune
	for _, r := range line {
		if r == '\u2066' || r == '\u2067' || r == '\u2068' || r == '\u2069' || r == '\u200e' || r == '\u200f' {
			continue // isolates and marks: this writer orders runs itself
		}
		rs = append(rs, r)
	}
	g := shapeArabic(rs)
	if len(g) == 0 {
		return g
	}
	// Resolve a direction per glyph: strong ones are theirs, numbers run
	// left to right, neutrals take their neighbours' direction when both
	// agree, else the paragraph's.
	base := bidiL
	if rtl {
		base = bidiR
	}
	dir := make([]int, len(g))
	for i, x := range g {
		switch c := bidiClass(x.r); c {
		case bidiN:
			dir[i] = bidiL
		case bidiW:
			dir[i] = -1
		default:
			dir[i] = c
		}
	}
	// A separator between digits (2026-09-30, 15.8, 12:30) stays in the number.
	for i := 1; i+1 < len(g); i++ {
		if dir[i] == -1 && bidiClass(g[i-1].r) == bidiN && bidiClass(g[i+1].r) == bidiN && (g[i].r == '.' || g[i].r == ',' || g[i].r == ':' || g[i].r == '-' || g[i].r == '/' || g[i].r == '٫') {
			dir[i] = bidiL
		}
	}
	for i := 0; i < len(g); i++ {
		if dir[i] != -1 {
			continue
		}
		j := i
		for j < len(g) && dir[j] == -1 {
			j++
		}
		before, after := base, base
		if i > 0 {
			before = dir[i-1]
		}
		if j < len(g) {
			after = dir[j]
		}
		d := base
		if before == after {
			d = before
		}
		for k := i; k < j; k++ {
			dir[k] = d
		}
		i = j - 1
	}
	// Runs of one direction; reverse right-to-left runs, and the order of
	// runs in a right-to-left paragraph.
	type run struct{ from, to, dir int }
	var runs []run
	for i := 0; i < len(g); {
		j := i
		for j < len(g) && dir[j] == dir[i] {
			j++
		}
		runs = append(runs, run{i, j, dir[i]})
		i = j
	}
	if rtl {
		for i, j := 0, len(runs)-1; i < j; i, j = i+1, j-1 {
			runs[i], runs[j] = runs[j], runs[i]
		}
	}
	out := make([]glyphRun, 0, len(g))
	for _, rn := range runs {
		if rn.dir == bidiR {
			for k := rn.to - 1; k >= rn.from; k-- {
				x := g[k]
				if m, ok := mirrored[x.r]; ok {
					x.r = m
				}
				out = append(out, x)
			}
			continue
		}
		out = append(out, g[rn.from:rn.to]...)
	}
	return out
}
