package export

import (
	"fmt"
	"io"
	"math"

	"rsc.io/qr"
)

// Flyer is what a group's flyer says (001, "Promoting support groups":
// the purpose and activities of the group, the meeting dates, time and
// location), already in the group's language; the web layer fills it.
type Flyer struct {
	Lang     string // the flyer's language: "ar" lays it out right to left
	Site     string // the site's name, at the top
	Name     string // the group's name
	Facts    string // kind · open or closed
	Purpose  string
	WhenHead string
	When     []string // the schedule in words, then the next dates
	WhereHd  string
	Where    []string
	JoinHead string
	Join     string // how to join, whom to contact
	ScanText string // "Scan the code or go to"
	URL      string // the join page, also in the QR code
	Footer   string // the programme's name
}

// Flyer sizes.
const (
	FlyerA4 = "a4"
	FlyerA5 = "a5"
)

// WriteFlyerPDF writes a one-page flyer as a PDF: A4, or A5 (the same
// layout at 1/√2, so it prints the same on the smaller sheet). The QR code
// is drawn as filled squares; every line of text can be copied.
func WriteFlyerPDF(w io.Writer, f *Flyer, size string) error {
	d, err := layoutFlyer(f)
	if err != nil {
		return err
	}
	if size == FlyerA5 {
		d.scale, d.box = 1/math.Sqrt2, [2]float64{419.53, 595.28} // 148 × 210 mm
	}
	return d.write(w)
}

func layoutFlyer(f *Flyer) (*pdfDoc, error) {
	d, err := newPDFDoc(f.Lang, f.Name)
	if err != nil {
		return nil, err
	}
	d.para(f.Site, 14, 0)
	d.gap(10)
	d.para(f.Name, 30, 0)
	d.gap(4)
	d.para(f.Facts, 13, 0)
	d.rule()
	if f.Purpose != "" {
		d.gap(6)
		d.paraOwn(f.Purpose, 16, 0)
	}
	section := func(head string, lines []string) {
		if len(lines) == 0 {
			return
		}
		d.gap(14)
		d.para(head, 17, 0)
		for _, l := range lines {
			d.para(l, 14, 8)
		}
	}
	section(f.WhenHead, f.When)
	section(f.WhereHd, f.Where)
	section(f.JoinHead, []string{f.Join})

	// The QR code, large enough to scan from a notice board, at the start
	// edge, with the address beside it.
	code, err := qr.Encode(f.URL, qr.M)
	if err != nil {
		return nil, fmt.Errorf("flyer qr: %w", err)
	}
	const side = 170.0
	module := side / float64(code.Size+8)
	d.gap(18)
	top := d.y
	if top-side < margin+40 {
		d.newPage()
		top = d.y
	}
	x0 := margin
	if d.rtl {
		x0 = pageW - margin - side
	}
	fmt.Fprintf(d.page, "1 g %.2f %.2f %.2f %.2f re f 0 g\n", x0, top-side, side, side)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if !code.Black(x, y) {
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(d.page, "%.2f %.2f %.2f %.2f re\n", x0+float64(x+4)*module, top-float64(y+5)*module, float64(run)*module, module)
			x += run - 1
		}
	}
	d.page.WriteString("f\n")
	// Beside the code: how to use it and the address (left to right).
	textW := pageW - 2*margin - side - 20
	lineY := top - 20
	tx := margin + side + 20
	if d.rtl {
		tx = pageW - margin - side - 20
	}
	for _, l := range d.wrap(f.ScanText, 13, textW) {
		d.draw(l, tx, lineY, 13, 0, d.rtl)
		lineY -= 18
	}
	rtl := d.rtl
	d.rtl = false
	for _, l := range splitURL(f.URL, 40) {
		ux := tx
		if rtl {
			ux = tx - d.width(l, 12)
		}
		d.draw(l, ux, lineY, 12, 0, false)
		lineY -= 16
	}
	d.rtl = rtl
	d.y = top - side - 10
	if f.Footer != "" {
		d.y = margin + 24
		d.para(f.Footer, 11, 0)
	}
	return d, nil
}

// splitURL cuts a long address into pieces that fit a line.
func splitURL(u string, n int) []string {
	var out []string
	for len(u) > n {
		out = append(out, u[:n])
		u = u[n:]
	}
	return append(out, u)
}
