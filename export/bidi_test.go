package export

import (
	"strings"
	"testing"
)

// visual is a line as drawn from left to right, each glyph written as the
// character it stands for (a bracket as drawn, after mirroring), so that
// expectations read like the printed line.
func visual(line string, rtl bool) string {
	var b strings.Builder
	for _, g := range visualOrder(line, rtl) {
		if _, ok := mirrored[g.r]; ok {
			b.WriteRune(g.r)
			continue
		}
		rs := []rune(g.text)
		if len(rs) == 2 && strongRTL(rs[0]) { // a ligature, kept in visual order
			rs[0], rs[1] = rs[1], rs[0]
		}
		b.WriteString(string(rs))
	}
	return b.String()
}

func TestBidiOrdersLinesAsUnicodeDoes(t *testing.T) {
	const fsi, pdi = "\u2068", "\u2069"
	for _, tc := range []struct {
		name string
		line string
		rtl  bool
		want string // drawn from left to right
	}{
		{"an isolated Latin name keeps its brackets in an Arabic line",
			"ميسرون: " + fsi + "Huda Saleh" + pdi + " (٣)", true, "(٣) Huda Saleh :نورسيم"},
		{"a Latin name then its count keeps its brackets in an Arabic line",
			"ميسرون: Huda Saleh (٣)، رنا (٢)", true, "(٢) انر ،(٣) Huda Saleh :نورسيم"},
		{"an isolated English comment keeps its full stop at its end",
			"تعليق: " + fsi + "Good attendance." + pdi, true, "Good attendance. :قيلعت"},
		{"without the isolate the full stop jumps to the front (why pages isolate)",
			"تعليق: Good attendance.", true, ".Good attendance :قيلعت"},
		{"an Arabic name and its count in an English line",
			"Facilitators: " + fsi + "رنا حداد" + pdi + " (2)", false, "Facilitators: دادح انر (2)"},
		{"an Arabic decimal reads as one number",
			"المعدل ١١٫٠", true, "١١٫٠ لدعملا"},
		{"a number with a unit stays whole in English", "Average 11.0 (12%)", false, "Average 11.0 (12%)"},
		{"Latin words inside Arabic keep their order",
			"من 12 إلى Sara", true, "Sara ىلإ 12 نم"},
		{"isolates nest", "Group: " + fsi + "مجموعة " + fsi + "Self-care" + pdi + pdi, false, "Group: Self-care ةعومجم"},
		{"the controls are not drawn", fsi + "a" + pdi + "\u200e", false, "a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := visual(tc.line, tc.rtl); got != tc.want {
				t.Errorf("drawn %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFirstStrong(t *testing.T) {
	for _, tc := range []struct {
		in      string
		rtl, ok bool
	}{
		{"Good attendance.", false, true},
		{"الحضور جيد", true, true},
		{"12 — الحضور", true, true},
		{"\u2068Sara\u2069 قالت", true, true},
		{"123 !", false, false},
	} {
		if rtl, ok := firstStrong(tc.in); rtl != tc.rtl || ok != tc.ok {
			t.Errorf("firstStrong(%q) = %v, %v; want %v, %v", tc.in, rtl, ok, tc.rtl, tc.ok)
		}
	}
}

func FuzzVisualOrderKeepsEveryGlyph(f *testing.F) {
	for _, s := range []string{"", "abc", "ميسرون: \u2068Huda\u2069 (٣)", "((((", "\u2069\u2068", "a\u2068b\u2067c", "٢٠٢٧-٠١-١٢", "x)(y"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, rtl bool) {
		want := 0
		for _, g := range shapeArabic([]rune(s)) {
			switch classOf(g.r) {
			case tLRI, tRLI, tFSI, tPDI, tBN:
				continue
			}
			if g.r == '\u200e' || g.r == '\u200f' || g.r == '\u061c' {
				continue
			}
			want++
		}
		if got := len(visualOrder(s, rtl)); got != want {
			t.Fatalf("visualOrder(%q) drew %d glyphs, want %d", s, got, want)
		}
	})
}
