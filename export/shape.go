package export

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
