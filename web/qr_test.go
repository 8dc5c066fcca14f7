package web

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
)

// TestQRCodeSVGDrawsEveryModule reads the SVG path back into a grid and
// compares it with the encoder's modules, so a drawing mistake (a run cut
// short, a module off by one, a missing quiet zone) cannot pass unseen.
func TestQRCodeSVGDrawsEveryModule(t *testing.T) {
	for _, text := range []string{
		"https://peercircle.example.org/feedback/42/AbCdEfGhIjKlMnOpQrStUv",
		"http://127.0.0.1:8080/feedback/1/x",
	} {
		svg, err := qrSVG(text, `a "label" <with> marks`)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(svg), `"label"`) || strings.Contains(string(svg), "<with>") {
			t.Fatal("the label is not escaped")
		}
		code, _ := qr.Encode(text, qr.M)
		n := code.Size + 8
		if !strings.Contains(string(svg), `viewBox="0 0 `+strconv.Itoa(n)+" "+strconv.Itoa(n)+`"`) {
			t.Fatalf("no four-module quiet zone: %s", svg[:120])
		}
		grid := make([][]bool, n)
		for i := range grid {
			grid[i] = make([]bool, n)
		}
		d := regexp.MustCompile(` d="([^"]*)"`).FindStringSubmatch(string(svg))[1]
		for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(d, -1) {
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			w, _ := strconv.Atoi(m[3])
			for i := 0; i < w; i++ {
				if grid[y][x+i] {
					t.Fatalf("module %d,%d drawn twice", x+i, y)
				}
				grid[y][x+i] = true
			}
		}
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				want := x >= 4 && y >= 4 && x < code.Size+4 && y < code.Size+4 && code.Black(x-4, y-4)
				if grid[y][x] != want {
					t.Fatalf("%q: module %d,%d is %v, want %v", text, x, y, grid[y][x], want)
				}
			}
		}
	}
}
