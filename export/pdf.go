package export

import (
	"bytes"
	"compress/zlib"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
)

// The PDF of Sheet 3 is written here without a PDF library: none of Go's
// shapes Arabic. Text is drawn with DejaVu Sans (embedded; it covers Latin
// and Arabic with its presentation forms), shaped and ordered by shape.go,
// and each line carries its logical text (/ActualText) and every glyph its
// character (ToUnicode), so copying, searching and pdftotext give the words
// as written, in reading order, in Arabic as in English.

//go:embed fonts/DejaVuSans.ttf
var dejaVuSans []byte

var parsedFont = sync.OnceValues(func() (*sfnt.Font, error) { return sfnt.Parse(dejaVuSans) })

// A4 in points, and the margin.
const (
	pageW  = 595.28
	pageH  = 841.89
	margin = 48.0
)

type pdfFont struct {
	f    *sfnt.Font
	buf  sfnt.Buffer
	upem float64
	used map[sfnt.GlyphIndex]string // glyph → the text it stands for
	adv  map[sfnt.GlyphIndex]float64
}

func newPDFFont() (*pdfFont, error) {
	f, err := parsedFont()
	if err != nil {
		return nil, fmt.Errorf("pdf font: %w", err)
	}
	return &pdfFont{f: f, upem: float64(f.UnitsPerEm()), used: map[sfnt.GlyphIndex]string{}, adv: map[sfnt.GlyphIndex]float64{}}, nil
}

// glyph returns a character's glyph and its advance in 1/1000 em.
func (p *pdfFont) glyph(r rune, text string) (sfnt.GlyphIndex, float64) {
	gi, err := p.f.GlyphIndex(&p.buf, r)
	if err != nil || gi == 0 {
		gi, _ = p.f.GlyphIndex(&p.buf, '?')
		text = string(r)
	}
	if _, ok := p.used[gi]; !ok {
		// A ligature stands for two letters. Text extractors (poppler's
		// pdftotext) reverse the characters of words laid right to left,
		// a ligature's too, so its letters are mapped in visual order.
		if rs := []rune(text); len(rs) == 2 && strongRTL(rs[0]) {
			text = string([]rune{rs[1], rs[0]})
		}
		p.used[gi] = text
		a, err := p.f.GlyphAdvance(&p.buf, gi, fixed.I(int(p.upem)), font.HintingNone)
		if err == nil {
			p.adv[gi] = float64(a) / 64 * 1000 / p.upem
		}
	}
	return gi, p.adv[gi]
}

// pdfDoc lays out pages top to bottom, mirrored for right-to-left.
type pdfDoc struct {
	font  *pdfFont
	rtl   bool
	lang  string
	title string
	pages []*bytes.Buffer
	page  *bytes.Buffer
	y     float64
	drawn [][]glyphRun // every line as drawn, for tests of the layout
	// scale draws the A4 layout smaller on a smaller sheet, box (width,
	// height in points; zero: A4): A5 is A4 at about 1/√2.
	scale float64
	box   [2]float64
}

func newPDFDoc(lang, title string) (*pdfDoc, error) {
	f, err := newPDFFont()
	if err != nil {
		return nil, err
	}
	d := &pdfDoc{font: f, rtl: lang == "ar", lang: lang, title: title}
	d.newPage()
	return d, nil
}

func (d *pdfDoc) newPage() {
	d.page = &bytes.Buffer{}
	d.pages = append(d.pages, d.page)
	d.y = pageH - margin
}

// need starts a new page unless h points of room are left.
func (d *pdfDoc) need(h float64) {
	if d.y-h < margin {
		d.newPage()
	}
}

// width is the width of a line of text at size.
func (d *pdfDoc) width(s string, size float64) float64 {
	w := 0.0
	for _, g := range visualOrder(s, d.rtl) {
		_, a := d.font.glyph(g.r, g.text)
		w += a
	}
	return w * size / 1000
}

// draw writes one line with its baseline at y: starting at x, or ending
// at x when anchorRight; cut with an ellipsis to fit w when w > 0.
func (d *pdfDoc) draw(s string, x, y, size, w float64, anchorRight bool) {
	if w > 0 && d.width(s, size) > w {
		r := []rune(s)
		for len(r) > 1 && d.width(string(r)+"…", size) > w {
			r = r[:len(r)-1]
		}
		s = string(r) + "…"
	}
	glyphs := visualOrder(s, d.rtl)
	d.drawn = append(d.drawn, glyphs)
	var hex strings.Builder
	total := 0.0
	for _, g := range glyphs {
		gi, a := d.font.glyph(g.r, g.text)
		total += a
		fmt.Fprintf(&hex, "%04X", uint16(gi))
	}
	left := x
	if anchorRight {
		left = x - total*size/1000
	}
	fmt.Fprintf(d.page, "BT /F1 %.1f Tf %.2f %.2f Td <%s> Tj ET\n", size, left, y, hex.String())
}

// startX is the edge a line starts from: the left margin, or the right one
// in right-to-left.
func (d *pdfDoc) startX(indent float64) float64 {
	if d.rtl {
		return pageW - margin - indent
	}
	return margin + indent
}

// para writes wrapped text and moves down.
func (d *pdfDoc) para(s string, size, indent float64) {
	for _, line := range d.wrap(s, size, pageW-2*margin-indent) {
		d.need(size * 1.5)
		d.y -= size * 1.4
		d.draw(line, d.startX(indent), d.y, size, 0, d.rtl)
	}
}

// paraOwn writes text a person wrote (a comment, a reason) wrapped, laid
// out in its own direction, the direction of its first letter, as a page
// does with dir="auto": an English comment in an Arabic Sheet 3 keeps its
// full stop at its end and starts at the left.
func (d *pdfDoc) paraOwn(s string, size, indent float64) {
	rtl, ok := firstStrong(s)
	if !ok || rtl == d.rtl {
		d.para(s, size, indent)
		return
	}
	d.rtl = rtl
	d.para(s, size, indent)
	d.rtl = !rtl
}

func (d *pdfDoc) gap(h float64) { d.y -= h }

// rule draws a thin line across the page.
func (d *pdfDoc) rule() {
	d.need(8)
	d.y -= 4
	fmt.Fprintf(d.page, "0.6 G 0.5 w %.2f %.2f m %.2f %.2f l S 0 G\n", margin, d.y, pageW-margin, d.y)
	d.y -= 4
}

// wrap breaks text into lines no wider than w, at spaces (and at line
// breaks the text has).
func (d *pdfDoc) wrap(s string, size, w float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, word := range words {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && d.width(try, size) > w {
				out = append(out, line)
				line = word
				continue
			}
			line = try
		}
		if line != "" || len(words) == 0 {
			out = append(out, line)
		}
	}
	return out
}

// row draws table cells: widths in logical order (first cell at the start
// edge); numbers are aligned to the cell's end.
func (d *pdfDoc) row(cells []string, widths []float64, size float64, numeric []bool, shade bool) {
	d.need(size * 1.8)
	d.y -= size * 1.6
	if shade {
		fmt.Fprintf(d.page, "0.95 g %.2f %.2f %.2f %.2f re f 0 g\n", margin, d.y-size*0.45, pageW-2*margin, size*1.6)
	}
	pos := 0.0
	for i, c := range cells {
		w := widths[i]
		pad := 4.0
		if numeric[i] {
			if d.rtl {
				d.draw(c, pageW-margin-(pos+w-pad), d.y, size, w-2*pad, false)
			} else {
				d.draw(c, margin+pos+w-pad, d.y, size, w-2*pad, true)
			}
		} else {
			d.draw(c, d.startX(pos+pad), d.y, size, w-2*pad, d.rtl)
		}
		pos += w
	}
}

// utf16Hex writes text as a PDF text string: UTF-16BE with a BOM, in hex.
// headRow draws a table's column heads, each wrapped onto as many lines as
// it needs within its column (a group's whole name, never cut), isolated
// line by line; the row is as tall as its tallest head.
func (d *pdfDoc) headRow(cells []string, widths []float64, size float64, numeric []bool) {
	d.tallRow(cells, widths, size, numeric, true)
}

// tallRow is row with each cell wrapped within its column instead of cut.
func (d *pdfDoc) tallRow(cells []string, widths []float64, size float64, numeric []bool, shade bool) {
	const pad = 4.0
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = d.wrap(c, size, widths[i]-2*pad)
		n = max(n, len(lines[i]))
	}
	lead := size * 1.25
	h := lead*float64(n-1) + size*1.6
	d.need(h + size*0.2)
	top := d.y
	if shade {
		fmt.Fprintf(d.page, "0.95 g %.2f %.2f %.2f %.2f re f 0 g\n", margin, top-h-size*0.45, pageW-2*margin, h)
	}
	pos := 0.0
	for i := range cells {
		w := widths[i]
		for j, line := range lines[i] {
			y := top - size*1.6 - lead*float64(j)
			line = i18n.Isolate(line)
			if numeric[i] {
				if d.rtl {
					d.draw(line, pageW-margin-(pos+w-pad), y, size, w-2*pad, false)
				} else {
					d.draw(line, margin+pos+w-pad, y, size, w-2*pad, true)
				}
			} else {
				d.draw(line, d.startX(pos+pad), y, size, w-2*pad, d.rtl)
			}
		}
		pos += w
	}
	d.y = top - h
}

func utf16Hex(s string) string {
	var b strings.Builder
	b.WriteString("FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	return b.String()
}

// write assembles the PDF: catalog, pages, the embedded font with its
// widths and ToUnicode map, and the cross-reference table.
func (d *pdfDoc) write(w io.Writer) error {
	var out bytes.Buffer
	var offsets []int
	obj := func(body string) int {
		offsets = append(offsets, out.Len())
		n := len(offsets)
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", n, body)
		return n
	}
	stream := func(dict string, data []byte) int {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		offsets = append(offsets, out.Len())
		n := len(offsets)
		fmt.Fprintf(&out, "%d 0 obj\n<<%s /Filter /FlateDecode /Length %d>>\nstream\n", n, dict, z.Len())
		out.Write(z.Bytes())
		out.WriteString("\nendstream\nendobj\n")
		return n
	}
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	// Objects 1 and 2 are the catalog and the page tree; pages follow.
	obj("<< /Type /Catalog /Pages 2 0 R /Lang (" + d.lang + ") /MarkInfo << /Marked true >> /ViewerPreferences << /DisplayDocTitle true" + map[bool]string{true: " /Direction /R2L", false: ""}[d.rtl] + " >> >>")
	pagesAt := len(offsets)
	obj("PAGES") // placeholder, rewritten below
	fontNum := len(offsets) + 2*len(d.pages) + 1
	var kids []string
	pageScale, box := d.scale, d.box
	if pageScale == 0 {
		pageScale = 1
	}
	if box == [2]float64{} {
		box = [2]float64{pageW, pageH}
	}
	for _, p := range d.pages {
		data := p.Bytes()
		if pageScale != 1 {
			data = append([]byte(fmt.Sprintf("%.6f 0 0 %.6f 0 0 cm\n", pageScale, pageScale)), data...)
		}
		content := stream("", data)
		n := obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", box[0], box[1], fontNum, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", n))
	}
	// The font: Type0 → CIDFontType2 → descriptor → file; ToUnicode.
	f := d.font
	var gids []int
	for g := range f.used {
		gids = append(gids, int(g))
	}
	sort.Ints(gids)
	var widths, cmap strings.Builder
	for _, g := range gids {
		fmt.Fprintf(&widths, "%d [%.0f] ", g, f.adv[sfnt.GlyphIndex(g)])
	}
	fmt.Fprintf(&cmap, "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&cmap, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&cmap, "<%04X> <%s>\n", g, strings.TrimPrefix(utf16Hex(f.used[sfnt.GlyphIndex(g)]), "FEFF"))
		}
		cmap.WriteString("endbfchar\n")
	}
	cmap.WriteString("endcmap CMapName currentdict /CMap defineresource pop end end\n")
	var buf sfnt.Buffer
	ppem := fixed.I(int(f.upem))
	bounds, _ := f.f.Bounds(&buf, ppem, font.HintingNone)
	metrics, _ := f.f.Metrics(&buf, ppem, font.HintingNone)
	scale := func(v fixed.Int26_6) float64 { return float64(v) / 64 * 1000 / f.upem }
	type0 := len(offsets) + 1
	if type0 != fontNum {
		return fmt.Errorf("pdf: font object numbered %d, expected %d", type0, fontNum)
	}
	obj(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", type0+1, type0+4))
	obj(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 600 /W [%s] >>", type0+2, widths.String()))
	obj(fmt.Sprintf("<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [%.0f %.0f %.0f %.0f] /ItalicAngle 0 /Ascent %.0f /Descent %.0f /CapHeight %.0f /StemV 80 /FontFile2 %d 0 R >>",
		scale(bounds.Min.X), -scale(bounds.Max.Y), scale(bounds.Max.X), -scale(bounds.Min.Y), scale(metrics.Ascent), -scale(metrics.Descent), scale(metrics.CapHeight), type0+3))
	stream(fmt.Sprintf(" /Length1 %d", len(dejaVuSans)), dejaVuSans)
	stream("", []byte(cmap.String()))
	info := obj(fmt.Sprintf("<< /Title <%s> /Producer (PeerCircle) >>", utf16Hex(d.title)))

	// Rewrite the page tree placeholder now the kids are known: objects
	// are written in order, so rebuild with the real body.
	body := fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	final := bytes.Buffer{}
	placeholder := []byte("2 0 obj\nPAGES\nendobj\n")
	at := offsets[pagesAt]
	final.Write(out.Bytes()[:at])
	fmt.Fprintf(&final, "2 0 obj\n%s\nendobj\n", body)
	shift := final.Len() - (at + len(placeholder))
	final.Write(out.Bytes()[at+len(placeholder):])
	for i := pagesAt + 1; i < len(offsets); i++ {
		offsets[i] += shift
	}
	xref := final.Len()
	fmt.Fprintf(&final, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&final, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&final, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, info, xref)
	_, err := w.Write(final.Bytes())
	return err
}

// WriteSheet3PDF writes a site's Sheet 3 as an A4 PDF in l's language,
// right to left in Arabic, with the page's digits, the language's comma
// and dates in words. Names, places and topics are isolated, and the
// comments people wrote are laid out in their own direction, so English
// text in an Arabic Sheet 3 reads as written (and Arabic in an English
// one). Times are shown in loc, the site's zone (nil for UTC).
func WriteSheet3PDF(w io.Writer, sh *peercircle.Sheet3, r *peercircle.Report, l *i18n.Localizer, loc *time.Location) error {
	d, err := layoutSheet3(sh, r, l, loc)
	if err != nil {
		return err
	}
	return d.write(w)
}

func layoutSheet3(sh *peercircle.Sheet3, r *peercircle.Report, l *i18n.Localizer, loc *time.Location) (*pdfDoc, error) {
	t := l.T
	if loc == nil {
		loc = time.UTC
	}
	iso := i18n.Isolate
	quarter := t("report.quarter_name", sh.Quarter.N, l.Digits(strconv.Itoa(sh.Quarter.Year)))
	d, err := newPDFDoc(l.Lang(), t("report.sheet3")+": "+sh.SiteName+l.ListSep()+quarter)
	if err != nil {
		return nil, err
	}
	d.para(t("report.sheet3"), 18, 0)
	d.para(iso(sh.SiteName)+" · "+quarter, 13, 0)
	d.para(t("report.period", day(l, sh.First), day(l, sh.Last)), 10, 0)
	if r != nil {
		d.para(t("report.state")+": "+t("review.state."+r.State), 10, 0)
		if r.Frozen() && r.SubmittedAt != nil {
			// The site's time, as the page shows it.
			d.para(t("report.frozen", l.DateTime(r.SubmittedAt.In(loc))), 9, 0)
		}
		if r.NoMeetings {
			d.para(t("report.no_meetings")+":", 10, 0)
			d.paraOwn(r.NoMeetingsReason, 10, 8)
		}
	}
	d.gap(6)
	// Figures: a table per up to three groups, with the total.
	rows := []string{"sessions_planned", "sessions_held", "sessions_cancelled", "sessions_postponed", "sessions_not_recorded",
		"meetings_expected", "attendance_total", "attendance_average", "people", "attendance_members", "attendance_visitors",
		"attendance_guests", "summaries_accepted", "summaries_pending", "summaries_missing", "cases_discussed", "feedback_responses"}
	groups := sh.Groups
	for start := 0; start == 0 || start < len(groups); start += 3 {
		chunk := groups[start:min(start+3, len(groups))]
		label := 190.0
		cols := len(chunk) + 1
		colW := (pageW - 2*margin - label) / float64(cols)
		widths := []float64{label}
		head := []string{t("report.figure")}
		numeric := []bool{false}
		for _, g := range chunk {
			head = append(head, g.Name)
			widths = append(widths, colW)
			numeric = append(numeric, true)
		}
		head = append(head, t("report.total"))
		widths = append(widths, colW)
		numeric = append(numeric, true)
		d.headRow(head, widths, 9, numeric)
		for i, key := range rows {
			cells := []string{t("report.figure." + key)}
			for _, g := range chunk {
				cells = append(cells, l.Digits(figureCell(&g.Figures, key, sh.K, t).Text))
			}
			cells = append(cells, l.Digits(figureCell(&sh.Total, key, sh.K, t).Text))
			d.row(cells, widths, 9, numeric, i%2 == 1)
		}
		d.gap(8)
	}
	d.para(t("report.k_note", sh.K), 8, 0)
	for _, g := range sh.Groups {
		f := &g.Figures
		d.gap(6)
		d.rule()
		d.para(iso(g.Name), 12, 0)
		d.para(t("report.compliance")+": "+t("report.compliance."+f.Compliance())+" ("+t("report.held_of_expected_full", f.Held, f.Expected)+")", 9, 8)
		dates := make([]string, len(f.DatesHeld))
		for i, x := range f.DatesHeld {
			dates[i] = day(l, x)
		}
		d.para(t("report.dates_held")+": "+orNone(l.List(dates), t), 9, 8)
		d.para(t("report.topics")+": "+orNone(countedList(l, f.Topics), t), 9, 8)
		d.para(t("report.facilitators")+": "+orNone(pdfFacilitators(l, f), t), 9, 8)
		if len(f.Support) > 0 {
			var parts []string
			for _, s := range f.Support {
				parts = append(parts, t("report.support_kind."+s.Key)+" ("+l.Number(int64(s.Count))+")")
			}
			d.para(t("report.support")+": "+l.PlainList(parts), 9, 8)
		}
	}
	if r != nil && (r.Comment != "" || r.ReviewComment != "" || len(r.History) > 0) {
		d.gap(6)
		d.rule()
		d.para(t("report.review"), 12, 0)
		if r.Comment != "" {
			d.para(t("report.comment")+":", 9, 0)
			d.paraOwn(r.Comment, 9, 8)
		}
		if r.ReviewComment != "" {
			d.para(t("report.review_comment")+":", 9, 0)
			d.paraOwn(r.ReviewComment, 9, 8)
		}
		for _, h := range r.History {
			actor := h.ActorName
			if peercircle.IsErasedName(actor) {
				actor = t("mydata.erased_name")
			}
			d.para(l.DateTime(h.At.In(loc))+": "+t("report.event."+h.State, iso(actor)), 8, 8)
		}
	}
	return d, nil
}

// WriteRollUpPDF writes an area's, a region's or the programme's quarter
// as an A4 PDF in l's language: the totals, then a table per level below
// (regions, areas, sites) with meetings held of expected, peers per
// meeting, summaries accepted and each site's report, names wrapped, never
// cut. Only figures: no confidential text reaches a roll-up.
func WriteRollUpPDF(w io.Writer, ru *peercircle.RollUp, l *i18n.Localizer) error {
	d, err := layoutRollUp(ru, l)
	if err != nil {
		return err
	}
	return d.write(w)
}

func layoutRollUp(ru *peercircle.RollUp, l *i18n.Localizer) (*pdfDoc, error) {
	t := l.T
	iso := i18n.Isolate
	quarter := t("report.quarter_name", ru.Quarter.N, l.Digits(strconv.Itoa(ru.Quarter.Year)))
	level := t("report.level." + ru.Level)
	d, err := newPDFDoc(l.Lang(), level+": "+ru.Name+l.ListSep()+quarter)
	if err != nil {
		return nil, err
	}
	fig := func(f *peercircle.Figures, key string) string { return l.Digits(figureCell(f, key, ru.K, t).Text) }
	d.para(level+": "+iso(ru.Name), 18, 0)
	d.para(quarter, 13, 0)
	if ru.First != "" {
		d.para(t("report.period", day(l, ru.First), day(l, ru.Last)), 10, 0)
	}
	d.gap(6)
	f := &ru.Total
	d.para(t("report.compliance")+": "+t("report.compliance."+f.Compliance())+" ("+t("report.held_of_expected_full", f.Held, f.Expected)+")", 10, 0)
	for _, key := range []string{"sessions_held", "meetings_expected", "compliance_percent", "attendance_total", "attendance_average", "people", "summaries_accepted", "summaries_missing"} {
		d.para(t("report.figure."+key)+": "+fig(f, key), 10, 8)
	}
	figs := []string{"sessions_held", "meetings_expected", "compliance_percent", "attendance_average", "summaries_accepted"}
	// first are the heads of the columns before the figures, firstW their
	// widths; the figures share what is left.
	table := func(title string, first []string, firstW []float64, rows [][]string, figures []*peercircle.Figures) {
		if len(rows) == 0 {
			return
		}
		d.gap(8)
		d.rule()
		d.para(title, 12, 0)
		used := 0.0
		for _, w := range firstW {
			used += w
		}
		restW := (pageW - 2*margin - used) / float64(len(figs))
		widths := append([]float64(nil), firstW...)
		numeric := make([]bool, len(first))
		for range figs {
			widths = append(widths, restW)
			numeric = append(numeric, true)
		}
		head := append([]string(nil), first...)
		for _, key := range figs {
			head = append(head, t("report.figure."+key))
		}
		d.headRow(head, widths, 8, numeric)
		for i, row := range rows {
			cells := append([]string(nil), row...)
			for _, key := range figs {
				cells = append(cells, fig(figures[i], key))
			}
			d.tallRow(cells, widths, 8, numeric, i%2 == 1)
		}
	}
	nodes := func(levels string, ns []peercircle.NodeRow) {
		var rows [][]string
		var fs []*peercircle.Figures
		for i := range ns {
			n := &ns[i]
			rows = append(rows, []string{n.Name, l.Number(int64(n.Sites)), l.Number(int64(n.Submitted))})
			fs = append(fs, &n.Figures)
		}
		table(t("report.level."+levels), []string{t("report.name"), t("report.sites"), t("report.submitted")}, []float64{120, 50, 60}, rows, fs)
	}
	if ru.Level == peercircle.LevelOrganisation {
		nodes("regions", ru.Regions)
	}
	if ru.Level != peercircle.LevelArea {
		nodes("areas", ru.Areas)
	}
	var rows [][]string
	var fs []*peercircle.Figures
	for i := range ru.Sites {
		s := &ru.Sites[i]
		state := t("review.state." + s.ReportState)
		if s.Late {
			state += l.ListSep() + t("report.late")
		} else if s.SubmittedLate != "" {
			state += l.ListSep() + t("report.submitted_late", day(l, s.SubmittedLate))
		}
		rows = append(rows, []string{s.Site.Name, state})
		fs = append(fs, &s.Figures)
	}
	table(t("report.level.sites"), []string{t("report.site"), t("report.state")}, []float64{120, 100}, rows, fs)
	var attention []string
	for _, s := range ru.Sites {
		if len(s.Attention) == 0 {
			continue
		}
		var reasons []string
		for _, a := range s.Attention {
			reasons = append(reasons, t("report.attention."+a))
		}
		attention = append(attention, iso(s.Site.Name)+": "+l.PlainList(reasons))
	}
	if len(attention) > 0 {
		d.gap(8)
		d.para(t("report.attention"), 12, 0)
		for _, a := range attention {
			d.para(a, 9, 8)
		}
	}
	d.gap(6)
	d.para(t("report.k_note", ru.K), 8, 0)
	return d, nil
}

// day writes a "YYYY-MM-DD" date in words in l's language.
func day(l *i18n.Localizer, date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return l.Digits(date)
	}
	return l.ShortDate(t)
}

func orNone(s string, t Labeler) string {
	if s == "" {
		return t("report.none")
	}
	return s
}

// countedList writes "name (count)" items with the language's comma and
// digits, each name isolated so its brackets stay with it.
func countedList(l *i18n.Localizer, ts []peercircle.Tally) string {
	parts := make([]string, len(ts))
	for i, x := range ts {
		parts[i] = i18n.Isolate(x.Name) + " (" + l.Number(int64(x.Count)) + ")"
	}
	return l.PlainList(parts)
}

// pdfFacilitators is facilitators for the PDF: isolated names, the
// language's comma and digits.
func pdfFacilitators(l *i18n.Localizer, f *peercircle.Figures) string {
	named := make([]peercircle.Tally, len(f.Facilitators))
	for i, x := range f.Facilitators {
		if peercircle.IsErasedName(x.Name) {
			x.Name = l.T("mydata.erased_name")
		}
		named[i] = x
	}
	s := countedList(l, named)
	if f.UnlistedFacilitations > 0 {
		if s != "" {
			s += l.ListSep()
		}
		s += l.T("report.unlisted_facilitations", f.UnlistedFacilitations)
	}
	return s
}
