package web_test

import (
	"encoding/csv"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readCSV reads an export: header → values of each row.
func readCSV(t *testing.T, body string) (head []string, rows [][]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("CSV: %v, %d records", err, len(recs))
	}
	return recs[0], recs[1:]
}

func column(t *testing.T, head []string, name string) int {
	t.Helper()
	for i, h := range head {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, head)
	return -1
}

func pdfText(t *testing.T, body string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext missing: run scripts/test-deps.sh")
	}
	path := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// Issue 11, item 11: a quarter without meetings shows "—" for peers per
// meeting, never 0.0, on the page, in the trend table and in exports.
func TestFiguresWithoutMeetingsShowADash(t *testing.T) {
	e := newEnv(t)
	c := e.as("organiser")

	t.Run("Sheet 3 of a quarter without meetings", func(t *testing.T) {
		body := c.get(sheet3Path(e, "2026Q1")).Body
		if got := pageTotals(t, body)["Peers per meeting"]; got != "—" {
			t.Fatalf("peers per meeting = %q, want —", got)
		}
		if strings.Contains(body, "0.0") {
			t.Fatal("the page writes 0.0 somewhere")
		}
		head, rows := readCSV(t, c.get(sheet3Path(e, "2026Q1")+"/export/csv").Body)
		if got := rows[len(rows)-1][column(t, head, "Peers per meeting")]; got != "—" {
			t.Fatalf("CSV peers per meeting = %q", got)
		}
	})

	t.Run("quarters before the group existed in the trend", func(t *testing.T) {
		body := c.get(sheet3Path(e, "2026Q2")).Body
		text := regexp.MustCompile(`\s+`).ReplaceAllString(html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body, " ")), " ")
		if !strings.Contains(text, "Q3 2025 — — —") || !strings.Contains(text, "Q2 2026 3 0 4.0") {
			t.Fatalf("trend table: %s", excerpt(text))
		}
		dash := e.as("coordinator").get("/areas/" + id(e.In["area"]) + "?quarter=2026Q2").Body
		if strings.Contains(dash, ">0.0<") || strings.Contains(dash, "Q3 2025: 0.0") {
			t.Fatal("the area dashboard writes 0.0 for a quarter without meetings")
		}
	})

	t.Run("held of expected when nothing was expected", func(t *testing.T) {
		head, rows := readCSV(t, e.as("coordinator").get("/areas/"+id(e.In["area"])+"/export/csv?quarter=2026Q2").Body)
		for _, r := range rows {
			if got := r[column(t, head, "Held of expected (%)")]; got != "—" {
				t.Fatalf("%s: held of expected %q with nothing expected", r[1], got)
			}
		}
	})
}

// Issue 11, item 11: an area's (and region's) quarter as PDF, with its
// sites' figures; the dashboard offers it.
func TestAreaAndRegionPDF(t *testing.T) {
	e := newEnv(t)
	coord := e.as("coordinator")
	area := "/areas/" + id(e.In["area"])
	if !strings.Contains(coord.get(area+"?quarter=2026Q2").Body, area+"/export/pdf?quarter=2026Q2") {
		t.Fatal("the area dashboard offers no PDF")
	}
	res := coord.get(area + "/export/pdf?quarter=2026Q2")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Body, "%PDF-") {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	text := pdfText(t, res.Body)
	for _, want := range []string{"Area: Area 1", "Q2 2026", "Site 1", "Meetings held: 3", "Not submitted", "Needs attention"} {
		if !strings.Contains(text, want) {
			t.Errorf("the area PDF lacks %q:\n%s", want, text)
		}
	}
	if !regexp.MustCompile(`Site 1\s+Not submitted, Late\s+3\s+0\s+—\s+4\.0\s+3`).MatchString(text) {
		t.Errorf("the site's row is not 3 held, 0 expected, —, 4.0 per meeting, 3 accepted:\n%s", text)
	}
	res = e.as("admin").get("/regions/" + id(e.In["region"]) + "/export/pdf?quarter=2026Q2")
	if res.StatusCode != 200 || !strings.Contains(pdfText(t, res.Body), "Region: Region 1") {
		t.Fatalf("region PDF: %d", res.StatusCode)
	}
	if res := e.as("organiser").get(area + "/export/pdf?quarter=2026Q2"); res.StatusCode != 403 {
		t.Fatalf("an organiser got the area PDF: %d", res.StatusCode)
	}
}

// Issue 11, item 11: the PDF says when the report was submitted in the
// site's time, as the page does.
func TestSheet3PDFPrintsTheSitesTime(t *testing.T) {
	e := newEnv(t)
	c := e.as("organiser")
	page := html.UnescapeString(c.get(sheet3Path(e, "2026Q1")).Body)
	m := regexp.MustCompile(`Submitted on \x{2068}([^\x{2069}]+)\x{2069}`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page does not say when it was submitted")
	}
	text := pdfText(t, c.get(sheet3Path(e, "2026Q1")+"/export/pdf").Body)
	if !strings.Contains(text, "Submitted on "+m[1]) {
		t.Fatalf("the PDF does not say %q:\n%s", "Submitted on "+m[1], text)
	}
}

// Issue 11, item 10: DHIS2 without a mapping is a page that says what is
// missing and links to the settings (for those who may change them), not
// a failed download; export links are plain links, so a refusal shows.
func TestDHIS2WithoutAMappingExplains(t *testing.T) {
	e := newEnv(t)
	page := e.as("organiser").get(sheet3Path(e, "2026Q2")).Body
	if regexp.MustCompile(`/export/\w+"\s+download`).MatchString(page) {
		t.Fatal("export links still carry the download attribute: a refusal would be a failed download")
	}
	for _, tc := range []struct {
		role, path, back string
		link             bool
	}{
		{"organiser", sheet3Path(e, "2026Q2") + "/export/dhis2", sheet3Path(e, "2026Q2"), false},
		{"admin", sheet3Path(e, "2026Q2") + "/export/dhis2", sheet3Path(e, "2026Q2"), true},
		{"coordinator", "/areas/" + id(e.In["area"]) + "/export/dhis2?quarter=2026Q2", "/areas/" + id(e.In["area"]) + "?quarter=2026Q2", false},
	} {
		res := e.as(tc.role).get(tc.path)
		if res.StatusCode != 422 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || res.Header.Get("Content-Disposition") != "" {
			t.Fatalf("%s: %d %q %q", tc.role, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		if !strings.Contains(res.Body, "No DHIS2 mapping is set") || !strings.Contains(res.Body, `href="`+html.EscapeString(tc.back)+`"`) {
			t.Errorf("%s: the page does not say what is missing or lead back: %s", tc.role, excerpt(res.Body))
		}
		if got := strings.Contains(res.Body, `href="/admin/reports"`); got != tc.link {
			t.Errorf("%s: link to the settings = %v", tc.role, got)
		}
	}
}

// Issue 11, item 10: a report sent after its due date stays marked late,
// with the day it was sent, in the area view and its exports.
func TestALateReportStaysLateOnceSubmitted(t *testing.T) {
	e := newEnv(t)
	coord := e.as("coordinator")
	// The fixture submits Q1 2026 today, long after its due date.
	dash := coord.get("/areas/" + id(e.In["area"]) + "?quarter=2026Q1").Body
	if !regexp.MustCompile(`Submitted</span><br><strong class="small">Submitted late, on \x{2068}[^<]+\x{2069}</strong>`).MatchString(dash) {
		t.Fatalf("the area view does not keep the report late: %s", excerpt(dash))
	}
	if text := pdfText(t, coord.get("/areas/"+id(e.In["area"])+"/export/pdf?quarter=2026Q1").Body); !strings.Contains(text, "late, on") {
		t.Fatalf("the area PDF does not say it was submitted late:\n%s", text)
	}
	// On time is not late: Q2 2026 is not submitted and is late as before.
	if d := coord.get("/areas/" + id(e.In["area"]) + "?quarter=2026Q2").Body; strings.Contains(d, "Submitted late") || !strings.Contains(d, ">Late<") {
		t.Fatal("a report not sent shows as submitted late, or not as late")
	}
}
