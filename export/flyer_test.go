package export

import (
	"bytes"
	"compress/zlib"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
)

func sampleFlyer(lang string) *Flyer {
	f := &Flyer{Lang: "en", Site: "Al-Nuzha Health Centre", Name: "Carers circle", Facts: "Family and care partners group · Open group",
		Purpose: "Family members who care for someone meet to share what helps.", WhenHead: "When we meet",
		When: []string{"Every Wednesday, 17:30 to 19:00"}, WhereHd: "Where", Where: []string{"The room is given on request."},
		JoinHead: "How to join", Join: "Newcomers are welcome at any meeting.", ScanText: "Scan the code with a phone, or go to:",
		URL: "https://peercircle.example/find/12/join?lang=en", Footer: "Test Programme"}
	if lang == "ar" {
		f.Lang, f.Site, f.Name, f.Purpose = "ar", "مركز النزهة الصحي", "دائرة مقدّمي الرعاية", "يلتقي أفراد الأسرة الذين يرعون شخصًا ليتبادلوا ما يساعد."
		f.WhenHead, f.ScanText, f.URL = "متى نلتقي", "امسح الرمز بالهاتف، أو اذهب إلى:", "https://peercircle.example/find/12/join?lang=ar"
	}
	return f
}

// TestFlyerPDF checks the flyer's pages: the sheet size, the words as a
// reader copies them (Arabic in reading order), and the QR code drawn
// module by module from the join address.
func TestFlyerPDF(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		for _, size := range []string{FlyerA4, FlyerA5} {
			t.Run(lang+" "+size, func(t *testing.T) {
				f := sampleFlyer(lang)
				var buf bytes.Buffer
				if err := WriteFlyerPDF(&buf, f, size); err != nil {
					t.Fatal(err)
				}
				pdf := buf.Bytes()
				box := "/MediaBox [0 0 595.28 841.89]"
				if size == FlyerA5 {
					box = "/MediaBox [0 0 419.53 595.28]"
				}
				if !bytes.Contains(pdf, []byte(box)) || bytes.Count(pdf, []byte("/Type /Page ")) != 1 {
					t.Fatalf("want one page with %s", box)
				}
				text := pdftext(t, pdf, false)
				for _, want := range []string{f.Name, f.Site, f.Purpose, f.WhenHead, "Test Programme"} {
					if !containsWords(words(text), words(want)) {
						t.Errorf("the PDF text lacks %q:\n%s", want, text)
					}
				}
				if !strings.Contains(letters(text), letters(f.URL)) {
					t.Errorf("the address is missing:\n%s", text)
				}
				checkQR(t, pdf, f.URL)
			})
		}
	}
}

var reRE = regexp.MustCompile(`(?m)^([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re$`)

// checkQR reads the filled squares back from the page's content stream
// into a grid and compares it with the encoder's modules.
func checkQR(t *testing.T, pdf []byte, url string) {
	t.Helper()
	i := bytes.Index(pdf, []byte("stream\n"))
	j := bytes.Index(pdf, []byte("\nendstream"))
	zr, err := zlib.NewReader(bytes.NewReader(pdf[i+len("stream\n") : j]))
	if err != nil {
		t.Fatal(err)
	}
	content, _ := io.ReadAll(zr)
	code, _ := qr.Encode(url, qr.M)
	rects := reRE.FindAllStringSubmatch(string(content), -1)
	if len(rects) == 0 {
		t.Fatal("no QR modules drawn")
	}
	num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	module := num(rects[0][4])
	x0, top := math.Inf(1), math.Inf(-1)
	for _, r := range rects {
		x0 = math.Min(x0, num(r[1]))
		top = math.Max(top, num(r[2])+num(r[4]))
	}
	grid := make([][]bool, code.Size)
	for k := range grid {
		grid[k] = make([]bool, code.Size)
	}
	for _, r := range rects {
		x := int(math.Round((num(r[1]) - x0) / module))
		y := int(math.Round((top - num(r[2]) - module) / module))
		w := int(math.Round(num(r[3]) / module))
		for k := 0; k < w; k++ {
			if y >= code.Size || x+k >= code.Size {
				t.Fatalf("a module outside the code at %d,%d", x+k, y)
			}
			grid[y][x+k] = true
		}
	}
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if grid[y][x] != code.Black(x, y) {
				t.Fatalf("module %d,%d is %v, want %v", x, y, grid[y][x], code.Black(x, y))
			}
		}
	}
}
