package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/peercircle/peercircle"
)

var figureRowRE = regexp.MustCompile(`<tr><th scope="row">([^<]+)</th>(?:<td>[^<]*</td>)*<td><strong>([^<]+)</strong></td></tr>`)

// pageTotals reads the total column of Sheet 3's figures table: label → value.
func pageTotals(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range figureRowRE.FindAllStringSubmatch(body, -1) {
		out[html.UnescapeString(m[1])] = html.UnescapeString(m[2])
	}
	if len(out) < 10 {
		t.Fatalf("the page shows %d figures", len(out))
	}
	return out
}

func sheet3Path(e *env, q string) string { return "/sites/" + id(e.In["site"]) + "/reports/" + q }

func TestSheet3ExportsAgreeWithThePage(t *testing.T) {
	e := newEnv(t)
	c := e.as("organiser")
	page := c.get(sheet3Path(e, "2026Q2"))
	if page.StatusCode != 200 {
		t.Fatalf("status %d", page.StatusCode)
	}
	totals := pageTotals(t, page.Body)
	if totals["Meetings held"] != "3" || totals["Cancelled"] != "1" || totals["Postponed"] != "1" || totals["Different peers"] != "4" {
		t.Fatalf("page totals = %v", totals)
	}

	t.Run("CSV", func(t *testing.T) {
		res := c.get(sheet3Path(e, "2026Q2") + "/export/csv")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || res.Header.Get("Content-Length") == "" {
			t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		total := recs[len(recs)-1]
		for i, h := range recs[0] {
			if want, ok := totals[h]; ok && total[i] != want {
				t.Errorf("%s: CSV %q, page %q", h, total[i], want)
			}
		}
	})
	t.Run("XLSX", func(t *testing.T) {
		res := c.get(sheet3Path(e, "2026Q2") + "/export/xlsx")
		f, err := excelize.OpenReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, _ := f.GetRows(f.GetSheetList()[0])
		total := rows[len(rows)-1]
		checked := 0
		for i, h := range rows[0] {
			if want, ok := totals[h]; ok {
				checked++
				if total[i] != want && total[i]+".0" != want {
					t.Errorf("%s: XLSX %q, page %q", h, total[i], want)
				}
			}
		}
		if checked < 10 {
			t.Fatalf("only %d columns matched the page", checked)
		}
	})
	t.Run("PDF", func(t *testing.T) {
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext missing: run scripts/test-deps.sh")
		}
		res := c.get(sheet3Path(e, "2026Q2") + "/export/pdf")
		path := filepath.Join(t.TempDir(), "s.pdf")
		os.WriteFile(path, []byte(res.Body), 0o600)
		out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, label := range []string{"Meetings held", "Different peers", "Peer attendances"} {
			re := regexp.MustCompile(regexp.QuoteMeta(label) + `\s+\S+\s+` + regexp.QuoteMeta(totals[label]) + `\s*\n`)
			if !re.Match(out) {
				t.Errorf("PDF line for %s does not end with %s:\n%s", label, totals[label], out)
			}
		}
	})
	t.Run("DHIS2", func(t *testing.T) {
		res := c.get(sheet3Path(e, "2026Q2") + "/export/dhis2")
		if res.StatusCode != 422 || !strings.Contains(res.Body, "No DHIS2 mapping is set") {
			t.Fatalf("without a mapping: %d", res.StatusCode)
		}
		mapping := `{"figures": {"sessions_held": {"dataElement": "PsgSessHeld"}, "people": {"dataElement": "PsgPeopleNo"}}, "orgUnits": {"` + id(e.In["site"]) + `": "DiszpKrYNg8"}}`
		admin := e.as("admin")
		admin.get("/admin/reports")
		if res := admin.post("/admin/reports", url.Values{"k": {"3"}, "due": {"14"}, "nudge": {"5"}, "mapping": {mapping}}); res.StatusCode != 303 {
			t.Fatalf("saving the mapping: %d", res.StatusCode)
		}
		res = c.get(sheet3Path(e, "2026Q2") + "/export/dhis2")
		var doc struct {
			DataValues []struct{ DataElement, Period, OrgUnit, Value string }
		}
		if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, v := range doc.DataValues {
			if v.Period != "2026Q2" || v.OrgUnit != "DiszpKrYNg8" {
				t.Fatalf("value %+v", v)
			}
			got[v.DataElement] = v.Value
		}
		if got["PsgSessHeld"] != totals["Meetings held"] || got["PsgPeopleNo"] != totals["Different peers"] {
			t.Fatalf("DHIS2 %v, page %v", got, totals)
		}
	})
}

func TestReportSettingsRefuseAnUnknownDataElement(t *testing.T) {
	e := newEnv(t)
	admin := e.as("admin")
	admin.get("/admin/reports")
	bad := `{"dataElements": ["PsgSessHeld"], "figures": {"sessions_held": {"dataElement": "PsgWrongOne"}}, "orgUnits": {}}`
	res := admin.post("/admin/reports", url.Values{"k": {"3"}, "due": {"14"}, "nudge": {"5"}, "mapping": {bad}})
	if res.StatusCode != 422 || !strings.Contains(res.Body, "not in its data set") || !strings.Contains(res.Body, "PsgWrongOne") {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !strings.Contains(res.Body, "PsgWrongOne&#34;}}") && !strings.Contains(res.Body, "PsgWrongOne") {
		t.Fatal("the typed mapping was lost")
	}
	if v, _ := e.Store.Setting(context.Background(), peercircle.SettingDHIS2, ""); v != "" {
		t.Fatalf("an invalid mapping was saved: %q", v)
	}
	res = admin.post("/admin/reports", url.Values{"k": {"1"}, "due": {"14"}, "nudge": {"5"}})
	if res.StatusCode != 422 {
		t.Fatalf("k = 1 accepted: %d", res.StatusCode)
	}
}

func TestFiguresAboutFewerThanKPeopleAreHidden(t *testing.T) {
	e := newEnv(t)
	e.Store.SetSetting(context.Background(), peercircle.SettingK, "5")
	c := e.as("coordinator")
	body := c.get(sheet3Path(e, "2026Q2")).Body
	totals := pageTotals(t, body)
	if totals["Different peers"] != "fewer than 5" || totals["Peer attendances"] != "fewer than 5" || totals["Meetings held"] != "3" {
		t.Fatalf("totals = %v", totals)
	}
	dash := c.get("/areas/" + id(e.In["area"]) + "?quarter=2026Q2").Body
	if !strings.Contains(dash, "fewer than 5") {
		t.Fatal("the dashboard shows a count of four people")
	}
	res := c.get(sheet3Path(e, "2026Q2") + "/export/csv")
	if !strings.Contains(res.Body, "fewer than 5") {
		t.Fatal("the CSV shows a count of four people")
	}
}

func TestNoConfidentialTextInReportsOrExports(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Amman")
	start := time.Date(2026, 6, 20, 14, 0, 0, 0, loc)
	m := &peercircle.Session{GroupID: e.In["group"], PlannedStart: start, PlannedEnd: start.Add(2 * time.Hour), LocalDate: "2026-06-20", Status: peercircle.SessionHeld}
	if err := e.Store.AddSession(ctx, m); err != nil {
		t.Fatal(err)
	}
	const secret = "zebra crossing at the old bakery"
	su := &peercircle.Summary{SessionID: m.ID, Topic: "Grief and loss", CasesDiscussed: 2, Notes: map[string]string{"key_issues": secret, "challenges": secret}}
	if err := e.Store.SaveSummary(ctx, su, e.People["facilitator"].ID); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"organiser", "coordinator", "admin"} {
		c := e.as(role)
		paths := []string{sheet3Path(e, "2026Q2"), sheet3Path(e, "2026Q2") + "/export/csv", sheet3Path(e, "2026Q2") + "/export/xlsx",
			sheet3Path(e, "2026Q2") + "/export/pdf", "/areas/" + id(e.In["area"]) + "?quarter=2026Q2", "/areas/" + id(e.In["area"]) + "/export/csv?quarter=2026Q2"}
		for _, p := range paths {
			res := c.get(p)
			if res.StatusCode != 200 && !(role == "organiser" && strings.HasPrefix(p, "/areas/")) {
				t.Fatalf("%s %s: %d", role, p, res.StatusCode)
			}
			if strings.Contains(res.Body, "zebra") || bytes.Contains([]byte(res.Body), []byte("bakery")) {
				t.Errorf("%s sees the confidential text at %s", role, p)
			}
		}
	}
	// The topic is not confidential: it is what Sheet 3 reports (000).
	if body := e.as("coordinator").get(sheet3Path(e, "2026Q2")).Body; !strings.Contains(body, "Grief and loss") {
		t.Fatal("the summary's topic is missing from Sheet 3")
	}
	if strings.Contains(e.Log.String(), "zebra") {
		t.Fatal("the confidential text reached the logs")
	}
}

func TestSheet3ReviewThroughTheForms(t *testing.T) {
	e := newEnv(t)
	org, coord := e.as("organiser"), e.as("coordinator")
	path := sheet3Path(e, "2026Q2")

	t.Run("the quarter is read in any digits and refused when malformed or in the future", func(t *testing.T) {
		if res := org.get("/sites/" + id(e.In["site"]) + "/reports/٢٠٢٦Q2"); res.StatusCode != 200 {
			t.Fatalf("Arabic digits: %d", res.StatusCode)
		}
		if res := org.get("/sites/" + id(e.In["site"]) + "/reports/2026-06"); res.StatusCode != 422 || !strings.Contains(res.Body, "like 2027Q1") {
			t.Fatalf("malformed: %d", res.StatusCode)
		}
		if res := org.get("/sites/" + id(e.In["site"]) + "/reports/2099Q1"); res.StatusCode != 422 || !strings.Contains(res.Body, "not started yet") {
			t.Fatalf("future: %d", res.StatusCode)
		}
	})
	t.Run("no meetings is refused when meetings were held, and what was typed is kept", func(t *testing.T) {
		org.get(path)
		res := org.post(path+"/submit", url.Values{"version": {"0"}, "comment": {"My careful words"}, "no_meetings": {"yes"}, "no_meetings_reason": {"Closed"}})
		if res.StatusCode != 422 || !strings.Contains(res.Body, "Meetings were held this quarter") || !strings.Contains(res.Body, "My careful words") {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
	t.Run("submitted, returned, submitted again and accepted", func(t *testing.T) {
		org.get(path)
		if res := org.post(path+"/submit", url.Values{"version": {"0"}, "comment": {"Good quarter."}}); res.StatusCode != 303 {
			t.Fatalf("submit: %d", res.StatusCode)
		}
		coord.get(path)
		if res := coord.post(path+"/review", url.Values{"version": {"1"}, "decision": {"return"}}); res.StatusCode != 422 || !strings.Contains(res.Body, "what to look at again") {
			t.Fatalf("return without comment: %d", res.StatusCode)
		}
		if res := coord.post(path+"/review", url.Values{"version": {"1"}, "decision": {"return"}, "review_comment": {"Please add the topics."}}); res.StatusCode != 303 {
			t.Fatalf("return: %d", res.StatusCode)
		}
		body := org.get(path).Body
		if !strings.Contains(body, "Please add the topics.") || !strings.Contains(body, "Returned") {
			t.Fatal("the organiser does not see the return")
		}
		if res := org.post(path+"/submit", url.Values{"version": {"2"}, "comment": {"Topics added."}}); res.StatusCode != 303 {
			t.Fatalf("resubmit: %d", res.StatusCode)
		}
		coord.get(path)
		if res := coord.post(path+"/review", url.Values{"version": {"3"}, "decision": {"accept"}}); res.StatusCode != 303 {
			t.Fatalf("accept: %d", res.StatusCode)
		}
		if body := coord.get(path).Body; !strings.Contains(body, "state-accepted") || strings.Contains(body, `action="`+path+`/review"`) {
			t.Fatal("accepted report still offers review")
		}
		if res := org.post(path+"/submit", url.Values{"version": {"4"}}); res.StatusCode != 409 {
			t.Fatalf("submitting an accepted report: %d", res.StatusCode)
		}
	})
}
