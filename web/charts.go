package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/peercircle/peercircle"
)

// Charts are drawn on the server as SVG: they need no script, print in
// black and white (held bars are solid, expected ones outlined, never
// colour alone), mirror in right-to-left pages, and every chart has a data
// table beside it in the page for screen readers. SVG text is escaped with
// template.HTMLEscapeString; no style attributes (the CSP forbids them).

const (
	chartW = 360
	chartH = 170
	padB   = 34 // room for quarter labels
	padT   = 18
)

// heldChart draws meetings held against expected per quarter.
func heldChart(p *Page, pts []peercircle.TrendPoint, name string, rtl bool) template.HTML {
	if len(pts) == 0 {
		return ""
	}
	top := 1
	for _, pt := range pts {
		top = max(top, pt.Held, pt.Expected, pt.Planned)
	}
	title := p.L.T("report.chart.held_title", name)
	var b strings.Builder
	id := chartID("held", name)
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s" focusable="false">`, chartW, chartH, id)
	fmt.Fprintf(&b, `<title id="%s">%s</title>`, id, esc(title))
	fmt.Fprintf(&b, `<line x1="0" y1="%d" x2="%d" y2="%d" class="axis"/>`, chartH-padB, chartW, chartH-padB)
	slot := float64(chartW) / float64(len(pts))
	scale := float64(chartH-padB-padT) / float64(top)
	for i, pt := range pts {
		x := slot * float64(i)
		if rtl {
			x = float64(chartW) - slot*float64(i+1)
		}
		bw := slot * 0.32
		ex, hx := x+slot*0.16, x+slot*0.16+bw
		if rtl {
			ex, hx = hx, ex
		}
		eh := float64(pt.Expected) * scale
		hh := float64(pt.Held) * scale
		base := float64(chartH - padB)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="bar-expected"/>`, ex, base-eh, bw, eh)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="bar-held"/>`, hx, base-hh, bw, hh)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="val" text-anchor="middle">%s</text>`, hx+bw/2, base-hh-4, esc(p.TrendNum(pt, pt.Held)))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="lbl" text-anchor="middle">%s</text>`, x+slot/2, chartH-padB+16, esc(p.Qtr(pt.Quarter)))
	}
	b.WriteString(`</svg>`)
	fmt.Fprintf(&b, `<p class="legend small"><span class="key key-held" aria-hidden="true"></span> %s <span class="key key-expected" aria-hidden="true"></span> %s</p>`,
		esc(p.L.T("report.chart.held")), esc(p.L.T("report.chart.expected")))
	return template.HTML(b.String())
}

// attendanceChart draws peers present per held session, per quarter.
func attendanceChart(p *Page, pts []peercircle.TrendPoint, name string, rtl bool) template.HTML {
	if len(pts) == 0 {
		return ""
	}
	top := 1.0
	for _, pt := range pts {
		top = max(top, pt.Average())
	}
	id := chartID("att", name)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s" focusable="false">`, chartW, chartH, id)
	fmt.Fprintf(&b, `<title id="%s">%s</title>`, id, esc(p.L.T("report.chart.attendance_title", name)))
	fmt.Fprintf(&b, `<line x1="0" y1="%d" x2="%d" y2="%d" class="axis"/>`, chartH-padB, chartW, chartH-padB)
	slot := float64(chartW) / float64(len(pts))
	scale := float64(chartH-padB-padT) / top
	for i, pt := range pts {
		x := slot * float64(i)
		if rtl {
			x = float64(chartW) - slot*float64(i+1)
		}
		bw := slot * 0.5
		h := pt.Average() * scale
		base := float64(chartH - padB)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="bar-held"/>`, x+slot*0.25, base-h, bw, h)
		// A quarter without meetings has no bar and says so: "—", not 0.0.
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="val" text-anchor="middle">%s</text>`, x+slot/2, base-h-4, esc(p.TrendAvg(pt)))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="lbl" text-anchor="middle">%s</text>`, x+slot/2, chartH-padB+16, esc(p.Qtr(pt.Quarter)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// sparkline is a small line of peers present per session over the
// quarters, for a dashboard row. Its values are in its label.
func sparkline(p *Page, pts []peercircle.TrendPoint, name string, rtl bool) template.HTML {
	if len(pts) < 2 {
		return ""
	}
	const w, h = 96, 28
	top := 1.0
	var vals []string
	for _, pt := range pts {
		top = max(top, pt.Average())
		vals = append(vals, p.Qtr(pt.Quarter)+": "+p.TrendAvg(pt))
	}
	var pts2 []string
	step := float64(w-4) / float64(len(pts)-1)
	for i, pt := range pts {
		if !pt.HasAverage() {
			continue // no meeting, no point: the line starts when meetings do
		}
		x := 2 + step*float64(i)
		if rtl {
			x = float64(w) - x
		}
		y := float64(h-3) - pt.Average()/top*float64(h-6)
		pts2 = append(pts2, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	label := p.L.T("report.chart.spark", name) + " " + strings.Join(vals, "; ")
	if len(pts2) == 0 {
		return template.HTML(fmt.Sprintf(`<svg class="spark" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" focusable="false"></svg>`, w, h, w, h, esc(label)))
	}
	last := strings.Split(pts2[len(pts2)-1], ",")
	return template.HTML(fmt.Sprintf(`<svg class="spark" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" focusable="false"><polyline points="%s" class="spark-line"/><circle cx="%s" cy="%s" r="2.5" class="spark-dot"/></svg>`,
		w, h, w, h, esc(label), strings.Join(pts2, " "), last[0], last[1]))
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// chartID makes an element id for a chart's title.
func chartID(kind, name string) string {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return fmt.Sprintf("chart-%s-%08x", kind, h)
}
