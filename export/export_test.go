package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
)

func labeler(t *testing.T, lang string) Labeler {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b.Localizer(lang).T
}

// sample is a Sheet 3 with an Arabic group name and topic, a group about
// too few people, and a report with a comment.
func sample() (*peercircle.Sheet3, *peercircle.Report) {
	big := peercircle.Figures{Planned: 6, Held: 5, Cancelled: 1, Postponed: 1, Expected: 6, Attendance: 41, Members: 38, Visitors: 3,
		People: 11, MemberPeople: 9, VisitorPeople: 2, SummariesAccepted: 4, SummariesMissing: 1, CasesDiscussed: 7, FeedbackResponses: 12,
		DatesHeld:    []string{"2027-01-12", "2027-01-26", "2027-02-09", "2027-02-23", "2027-03-09"},
		Topics:       []peercircle.Tally{{Key: "a", Name: "الإسعاف النفسي الأولي", Count: 3}, {Key: "b", Name: "Self-care", Count: 2}},
		Facilitators: []peercircle.Tally{{Key: "1", Name: "Sara Khalil", Count: 3}, {Key: "2", Name: "رنا حداد", Count: 2}}}
	small := peercircle.Figures{Planned: 2, Held: 2, Expected: 2, Attendance: 4, Members: 4, People: 2, MemberPeople: 2, SummariesAccepted: 2}
	sh := &peercircle.Sheet3{SiteID: 7, SiteName: "Jabal Al-Nuzha Health Centre", Quarter: peercircle.Quarter{Year: 2027, N: 1},
		First: "2027-01-01", Last: "2027-03-31", K: 3, Groups: []peercircle.GroupFigures{
			{GroupID: 1, Name: "مجموعة دعم الزملاء", Kind: peercircle.KindStaff, Figures: big},
			{GroupID: 2, Name: "Families Together", Kind: peercircle.KindFamily, Figures: small},
		}}
	sh.Total = big
	sh.Total.Add(&small)
	sh.Total.People = 13
	r := &peercircle.Report{State: peercircle.ReviewSubmitted, Comment: "Good attendance; the room was needed once.",
		History: []peercircle.ReportEvent{{At: time.Date(2027, 4, 3, 9, 0, 0, 0, time.UTC), ActorName: "Amal Qasem", State: peercircle.ReviewSubmitted}}}
	return sh, r
}

func TestCSVReadsBackAsTheFigures(t *testing.T) {
	sh, r := sample()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Sheet3Tables(sh, r, labeler(t, "en"))[0]); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Fatal("no byte order mark: spreadsheets would misread Arabic")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("rows = %d, want header, two groups, total", len(recs))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	t.Run("every figure of the total row is the figure", func(t *testing.T) {
		for _, key := range peercircle.FigureKeys {
			v, _ := sh.Total.Value(key)
			i, ok := col[labeler(t, "en")("report.figure."+key)]
			if !ok {
				t.Fatalf("no column for %s", key)
			}
			want := v.Text()
			if v.Hidden(sh.K) {
				want = "fewer than 3"
			}
			if got := recs[3][i]; got != want {
				t.Errorf("%s = %q, want %q", key, got, want)
			}
		}
	})
	t.Run("a group of two people shows fewer than k", func(t *testing.T) {
		if got := recs[2][col["Different peers"]]; got != "fewer than 3" {
			t.Fatalf("people = %q", got)
		}
		if got := recs[2][col["Meetings held"]]; got != "2" {
			t.Fatalf("meetings are not about people: %q", got)
		}
	})
	t.Run("Arabic names and topics survive", func(t *testing.T) {
		if recs[1][col["Group"]] != "مجموعة دعم الزملاء" || !strings.Contains(recs[1][col["Topics refreshed"]], "الإسعاف النفسي الأولي (3)") {
			t.Fatalf("row = %q", recs[1])
		}
	})
}

func TestCSVCellsCannotRunFormulas(t *testing.T) {
	var buf bytes.Buffer
	WriteCSV(&buf, Table{Columns: []string{"a"}, Rows: [][]Cell{{text("=HYPERLINK(\"x\")")}, {text("-12")}, {text("-cmd")}}})
	recs, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if recs[1][0] != `'=HYPERLINK("x")` || recs[2][0] != "-12" || recs[3][0] != "'-cmd" {
		t.Fatalf("cells = %q", recs)
	}
}

func TestXLSXHasASheetPerLevelAndRunsRightToLeftInArabic(t *testing.T) {
	sh, r := sample()
	ru := &peercircle.RollUp{Level: peercircle.LevelRegion, ID: 1, Name: "Central Jordan", Quarter: sh.Quarter, K: 3, Total: sh.Total,
		Areas: []peercircle.NodeRow{{ID: 1, Name: "Amman East", Sites: 1, Submitted: 1, Figures: sh.Total}},
		Sites: []peercircle.SiteRow{{Site: peercircle.Site{ID: 7, Name: sh.SiteName}, ReportState: peercircle.ReviewSubmitted, Figures: sh.Total,
			Attention: []string{peercircle.AttentionToReview}}}}
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			tl := labeler(t, lang)
			var buf bytes.Buffer
			if err := WriteXLSX(&buf, RollUpTables(ru, tl), lang == "ar"); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want := []string{tl("report.level.region"), tl("report.level.areas"), tl("report.level.sites")}
			if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("sheets = %q, want %q", got, want)
			}
			for _, name := range want {
				v, err := f.GetSheetView(name, 0)
				if err != nil {
					t.Fatal(err)
				}
				if rtl := v.RightToLeft != nil && *v.RightToLeft; rtl != (lang == "ar") {
					t.Errorf("%s right to left = %v", name, rtl)
				}
			}
			rows, _ := f.GetRows(want[2])
			if len(rows) != 2 || rows[1][0] != sh.SiteName {
				t.Fatalf("sites sheet = %q", rows)
			}
			for i, h := range rows[0] {
				if h == tl("report.figure.sessions_held") && rows[1][i] != "7" {
					t.Errorf("held = %q", rows[1][i])
				}
			}
			// Numbers are numbers, so spreadsheets can sum them.
			cell, _ := excelize.CoordinatesToCellName(6, 2)
			if typ, _ := f.GetCellType(want[2], cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s is %v", cell, typ)
			}
		})
	}
	t.Run("Sheet 3 has the figures and the review", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, Sheet3Tables(sh, r, labeler(t, "en")), false); err != nil {
			t.Fatal(err)
		}
		f, _ := excelize.OpenReader(&buf)
		defer f.Close()
		if got := f.GetSheetList(); len(got) != 2 {
			t.Fatalf("sheets = %q", got)
		}
		rows, _ := f.GetRows("Review")
		if len(rows) != 2 || rows[1][2] != r.Comment {
			t.Fatalf("review = %q", rows)
		}
	})
}

// pdftext runs pdftotext (poppler-utils, installed by scripts/test-deps.sh).
func pdftext(t *testing.T, pdf []byte, layout bool) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: run scripts/test-deps.sh")
		}
		t.Skip("pdftotext is missing: run scripts/test-deps.sh")
	}
	path := filepath.Join(t.TempDir(), "sheet3.pdf")
	os.WriteFile(path, pdf, 0o600)
	args := []string{path, "-"}
	if layout {
		args = []string{"-layout", path, "-"}
	}
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// pdftotext marks direction with embedding controls; readers do not see them.
	return strings.NewReplacer("\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "").Replace(string(out))
}

var wordRE = regexp.MustCompile(`[\p{L}\p{M}\p{N}]+`)

// words are the letters-and-digits words of a text, in reading order.
func words(s string) []string { return wordRE.FindAllString(s, -1) }

// letters is a text's letters and digits in reading order, without the
// spaces and punctuation that pdftotext places by heuristics where the
// direction of the text changes.
func letters(s string) string { return strings.Join(words(s), "") }

func containsWords(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		match := true
		for j := range needle {
			if hay[i+j] != needle[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// localizer is the Localizer of lang from the embedded catalogues.
func localizer(t *testing.T, lang string) *i18n.Localizer {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b.Localizer(lang)
}

// localDigits writes a number's text in lang's digits, as pages do.
func localDigits(s, lang string) string { return i18n.DigitsIn(lang, s) }

func TestPDFTextSurvivesPdftotext(t *testing.T) {
	sh, r := sample()
	for _, lang := range []string{"en", "ar", "fr"} {
		t.Run(lang, func(t *testing.T) {
			tl := labeler(t, lang)
			var buf bytes.Buffer
			if err := WriteSheet3PDF(&buf, sh, r, localizer(t, lang), nil); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-1.7")) || !bytes.HasSuffix(buf.Bytes(), []byte("%%EOF\n")) {
				t.Fatal("not a complete PDF")
			}
			raw := letters(pdftext(t, buf.Bytes(), false))
			for _, phrase := range []string{tl("report.sheet3"), sh.SiteName, tl("report.figure.sessions_planned"), "مجموعة دعم الزملاء",
				"الإسعاف النفسي الأولي", "رنا حداد", "Sara Khalil", r.Comment, tl("report.k_note", localDigits("3", lang)),
				tl("report.figure.summaries_missing") + localDigits("101", lang)} {
				if !strings.Contains(raw, letters(phrase)) {
					t.Errorf("%q is not in the text in reading order:\n%s", phrase, raw)
				}
			}
			if lang == "ar" && strings.Contains(raw, letters("يعبرلا ريرقتلا")) {
				t.Error("Arabic came out in visual (reversed) order")
			}
			// Each figure's line holds its label and the total.
			lines := strings.Split(pdftext(t, buf.Bytes(), true), "\n")
			for _, key := range []string{"sessions_held", "attendance_total", "summaries_missing"} {
				v, _ := sh.Total.Value(key)
				want := localDigits(v.Text(), lang)
				found := false
				for _, l := range lines {
					if containsWords(words(l), words(tl("report.figure."+key))) && containsWords(words(l), []string{want}) {
						found = true
					}
				}
				if !found {
					t.Errorf("no line with %s and %s", tl("report.figure."+key), want)
				}
			}
		})
	}
}

func TestArabicShaping(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []rune
	}{
		{"a word takes initial, medial and final forms", "محمد", []rune{0xFEE3, 0xFEA4, 0xFEE4, 0xFEAA}},
		{"lam-alef is one ligature", "لا", []rune{0xFEFB}},
		{"a right-joining letter breaks the word", "دار", []rune{0xFEA9, 0xFE8D, 0xFEAD}},
		{"a letter after a joining one takes its final form", "باب", []rune{0xFE91, 0xFE8E, 0xFE8F}},
		{"harakat do not break joining", "بَب", []rune{0xFE91, 0x064E, 0xFE90}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []rune
			for _, g := range shapeArabic([]rune(tc.in)) {
				got = append(got, g.r)
			}
			if string(got) != string(tc.want) {
				t.Fatalf("%U, want %U", got, tc.want)
			}
		})
	}
	t.Run("numbers and Latin keep their order in a right-to-left line", func(t *testing.T) {
		var got []rune
		for _, g := range visualOrder("من 12 إلى Sara", true) {
			got = append(got, g.r)
		}
		s := string(got)
		if !strings.HasPrefix(s, "Sara") || !strings.Contains(s, "12") {
			t.Fatalf("visual = %q", s)
		}
	})
}

func TestDHIS2(t *testing.T) {
	sh, _ := sample()
	good := `{"dataSet": "PsgQuartly1", "dataElements": ["PsgSessHeld", "PsgAttendTo", "PsgPeopleNo"],
		"figures": {"sessions_held": {"dataElement": "PsgSessHeld"}, "attendance_total": {"dataElement": "PsgAttendTo", "categoryOptionCombo": "HllvX50cXC0"},
		"people": {"dataElement": "PsgPeopleNo"}}, "orgUnits": {"7": "DiszpKrYNg8", "8": "ImspTQPwCqd"}}`
	t.Run("a mapping is refused with the culprit named", func(t *testing.T) {
		for _, tc := range []struct{ name, text, key, names string }{
			{"an unknown data element", strings.Replace(good, `"PsgPeopleNo"}`, `"PsgUnknown1"}`, 1), "dhis2.unknown_data_element", "PsgUnknown1"},
			{"an unknown figure", strings.Replace(good, `"people"`, `"happiness"`, 1), "dhis2.unknown_figure", "happiness"},
			{"a malformed identifier", strings.Replace(good, `"DiszpKrYNg8"`, `"not-a-uid"`, 1), "dhis2.bad_uid", "not-a-uid"},
			{"an unknown field", strings.Replace(good, `"dataSet"`, `"dataSett"`, 1), "dhis2.bad_json", "dataSett"},
			{"a site named by name", strings.Replace(good, `"7":`, `"Nuzha":`, 1), "dhis2.bad_site", "Nuzha"},
			{"nothing", "", "dhis2.not_set", "no mapping"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := ParseDHIS2Mapping(tc.text)
				if peercircle.ErrorKey(err) != tc.key || !strings.Contains(err.Error(), tc.names) {
					t.Fatalf("err = %v", err)
				}
			})
		}
	})
	m, err := ParseDHIS2Mapping(good)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the data value set has DHIS2's shape and the page's figures", func(t *testing.T) {
		set, err := BuildDataValueSet(m, []SiteFigures{{SiteID: 7, SiteName: sh.SiteName, Figures: &sh.Total}, {SiteID: 8, Figures: &sh.Groups[1].Figures}}, sh.Quarter, 1, 3)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		WriteDHIS2(&buf, set)
		var doc map[string]any
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		checkDataValueSet(t, doc)
		values := map[string]string{}
		for _, dv := range doc["dataValues"].([]any) {
			v := dv.(map[string]any)
			values[v["orgUnit"].(string)+"/"+v["dataElement"].(string)] = v["value"].(string)
		}
		want := map[string]string{"DiszpKrYNg8/PsgSessHeld": "7", "DiszpKrYNg8/PsgAttendTo": "45", "DiszpKrYNg8/PsgPeopleNo": "13",
			"ImspTQPwCqd/PsgSessHeld": "2"} // site 8: 2 people, fewer than k: attendance and people left out
		if len(values) != len(want) {
			t.Fatalf("values = %v", values)
		}
		for k, v := range want {
			if values[k] != v {
				t.Errorf("%s = %q, want %q", k, values[k], v)
			}
		}
	})
	t.Run("a site without an org unit is a clear error", func(t *testing.T) {
		_, err := BuildDataValueSet(m, []SiteFigures{{SiteID: 9, SiteName: "Marka", Figures: &sh.Total}}, sh.Quarter, 1, 3)
		if peercircle.ErrorKey(err) != "dhis2.no_org_unit" || !strings.Contains(err.Error(), "Marka") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("quarters that are not calendar quarters cannot be DHIS2 quarters", func(t *testing.T) {
		_, err := BuildDataValueSet(m, nil, sh.Quarter, 4, 3)
		if peercircle.ErrorKey(err) != "dhis2.calendar_quarters" {
			t.Fatalf("err = %v", err)
		}
	})
}

// checkDataValueSet holds a decoded document to DHIS2's dataValueSets
// schema: dataValues is an array of objects with string dataElement,
// period, orgUnit and value (categoryOptionCombo optional), identifiers
// of 11 characters and ISO quarterly periods.
func checkDataValueSet(t *testing.T, doc map[string]any) {
	t.Helper()
	allowed := map[string]bool{"dataSet": true, "attributeOptionCombo": true, "dataValues": true, "completeDate": true, "period": true, "orgUnit": true}
	for k := range doc {
		if !allowed[k] {
			t.Errorf("unknown top-level field %q", k)
		}
	}
	dvs, ok := doc["dataValues"].([]any)
	if !ok {
		t.Fatalf("dataValues is %T", doc["dataValues"])
	}
	period := regexp.MustCompile(`^\d{4}Q[1-4]$`)
	for i, x := range dvs {
		v, ok := x.(map[string]any)
		if !ok {
			t.Fatalf("dataValues[%d] is %T", i, x)
		}
		for _, req := range []string{"dataElement", "period", "orgUnit", "value"} {
			if s, ok := v[req].(string); !ok || s == "" {
				t.Errorf("dataValues[%d].%s = %v", i, req, v[req])
			}
		}
		for k, val := range v {
			switch k {
			case "dataElement", "orgUnit", "categoryOptionCombo", "attributeOptionCombo":
				if s, _ := val.(string); !ValidUID(s) {
					t.Errorf("dataValues[%d].%s = %q is not a UID", i, k, s)
				}
			case "period":
				if !period.MatchString(val.(string)) {
					t.Errorf("period %q", val)
				}
			case "value", "comment":
			default:
				t.Errorf("dataValues[%d] has unknown field %q", i, k)
			}
		}
	}
}

// FuzzParseDHIS2Mapping: whatever an administrator pastes, parsing gives a
// valid mapping or an EINVALID error, never a panic or another error.
func FuzzParseDHIS2Mapping(f *testing.F) {
	f.Add(`{"figures": {"sessions_held": {"dataElement": "PsgSessHeld"}}, "orgUnits": {"1": "DiszpKrYNg8"}}`)
	f.Add(`{"figures": {}}`)
	f.Add(`[]`)
	f.Add(`{"dataElements": ["x"], "figures": {"people": {"dataElement": "Abcdefghij1"}}}`)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseDHIS2Mapping(s)
		if err != nil {
			if peercircle.ErrorCode(err) != peercircle.EINVALID {
				t.Fatalf("error code %s: %v", peercircle.ErrorCode(err), err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("parsed but invalid: %v", err)
		}
	})
}

// An erased facilitator's name is a marker (docs/privacy.md): exports show
// the reader's label for it, never the marker's invisible characters.
func TestExportsLabelAnErasedFacilitator(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		sh, r := sample()
		sh.Groups[0].Figures.Facilitators = append([]peercircle.Tally(nil), sh.Groups[0].Figures.Facilitators...)
		sh.Groups[0].Figures.Facilitators[1].Name = peercircle.ErasedName
		tr := labeler(t, lang)
		var buf bytes.Buffer
		if err := WriteCSV(&buf, Sheet3Tables(sh, r, tr)[0]); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Contains(out, "\u2063") || strings.Contains(out, "(erased)") {
			t.Errorf("%s: the marker reached the export: %q", lang, out)
		}
		if want := tr("mydata.erased_name") + " (" + itoa(2) + ")"; !strings.Contains(out, want) {
			t.Errorf("%s: %q not in the export", lang, want)
		}
	}
}

// drawnLines lays out the sample Sheet 3 and returns each line as drawn
// from left to right (see visual in bidi_test.go).
func drawnLines(t *testing.T, lang string, sh *peercircle.Sheet3, r *peercircle.Report) []string {
	t.Helper()
	d, err := layoutSheet3(sh, r, localizer(t, lang), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range d.drawn {
		var b strings.Builder
		for _, g := range line {
			if _, ok := mirrored[g.r]; ok {
				b.WriteRune(g.r)
				continue
			}
			rs := []rune(g.text)
			if len(rs) == 2 && strongRTL(rs[0]) {
				rs[0], rs[1] = rs[1], rs[0]
			}
			b.WriteString(string(rs))
		}
		out = append(out, b.String())
	}
	return out
}

func anyContains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func TestArabicPDFFollowsThePage(t *testing.T) {
	sh, r := sample()
	sh.Groups[0].Figures.Facilitators = []peercircle.Tally{{Key: "1", Name: "Huda Saleh", Count: 3}, {Key: "2", Name: "رنا حداد", Count: 2}}
	l := localizer(t, "ar")
	lines := drawnLines(t, "ar", sh, r)
	all := strings.Join(lines, "\n")
	t.Run("one digit choice: no ASCII digit anywhere", func(t *testing.T) {
		for _, line := range lines {
			if strings.ContainsAny(line, "0123456789") {
				t.Errorf("ASCII digits in %q", line)
			}
		}
	})
	t.Run("decimals as on the page", func(t *testing.T) {
		v, _ := sh.Total.Value("attendance_average")
		want := l.Decimal(v.N, 1)
		if !strings.Contains(all, want) || !strings.Contains(want, "٫") {
			t.Errorf("the average is not written %q:\n%s", want, all)
		}
		if regexp.MustCompile(`[٠-٩]\.[٠-٩]`).MatchString(all) {
			t.Errorf("a decimal is written with a Latin point:\n%s", all)
		}
	})
	t.Run("dates in words joined by the Arabic comma", func(t *testing.T) {
		// Drawn right to left: the second date is left of the first.
		first := visual(l.ShortDate(time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC)), true)
		second := visual(l.ShortDate(time.Date(2027, 1, 26, 0, 0, 0, 0, time.UTC)), true)
		if !anyContains(lines, second+" ،"+first) {
			t.Errorf("no %q in:\n%s", second+" ،"+first, all)
		}
	})
	t.Run("a Latin facilitator keeps the brackets of the count", func(t *testing.T) {
		if !anyContains(lines, "(٣) Huda Saleh") || !anyContains(lines, "(٢) دادح انر ،(٣) Huda Saleh") {
			t.Errorf("facilitator line not as written:\n%s", all)
		}
	})
	t.Run("an English comment keeps its full stop at its end", func(t *testing.T) {
		if !slicesContains(lines, r.Comment) {
			t.Errorf("the comment %q is not drawn as written:\n%s", r.Comment, all)
		}
	})
	t.Run("an Arabic comment in an English Sheet 3 reads right to left", func(t *testing.T) {
		r2 := *r
		r2.Comment = "كان الحضور جيدًا."
		en := drawnLines(t, "en", sh, &r2)
		if want := visual(r2.Comment, true); !slicesContains(en, want) || !strings.HasPrefix(want, ".") {
			t.Errorf("the comment is not drawn right to left (%q):\n%s", want, strings.Join(en, "\n"))
		}
	})
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFrenchPDFWritesFrenchNumbers(t *testing.T) {
	sh, r := sample()
	l := localizer(t, "fr")
	all := strings.Join(drawnLines(t, "fr", sh, r), "\n")
	v, _ := sh.Total.Value("attendance_average")
	if want := l.Decimal(v.N, 1); !strings.Contains(want, ",") || !strings.Contains(all, want) {
		t.Errorf("the average is not written %q:\n%s", want, all)
	}
	if !strings.Contains(all, "12 janv. 2027") {
		t.Errorf("dates are not in French words:\n%s", all)
	}
}

// Issue 11, item 11: a group's long name in a column head wraps onto
// several lines; it is never cut with an ellipsis.
func TestPDFColumnHeadsKeepWholeGroupNames(t *testing.T) {
	sh, r := sample()
	long := "Nurses and midwives of the night shift peer support circle"
	sh.Groups[1].Name = long
	for _, lang := range []string{"en", "ar"} {
		lines := drawnLines(t, lang, sh, r)
		all := strings.Join(lines, "\n")
		if strings.Contains(all, "…") {
			t.Errorf("%s: a head is cut:\n%s", lang, all)
		}
		for _, word := range strings.Fields(long) {
			if !strings.Contains(all, word) {
				t.Errorf("%s: %q of the group's name is missing", lang, word)
			}
		}
	}
}

// The site's time: a report submitted at 13:44 UTC in Amman says 16:44.
func TestSheet3PDFSaysWhenItWasSubmittedInTheSitesTime(t *testing.T) {
	sh, r := sample()
	at := time.Date(2027, 4, 3, 13, 44, 0, 0, time.UTC)
	r.SubmittedAt = &at
	r.Snapshot = sh
	amman, err := time.LoadLocation("Asia/Amman")
	if err != nil {
		t.Fatal(err)
	}
	d, err := layoutSheet3(sh, r, localizer(t, "en"), amman)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := d.write(&buf); err != nil {
		t.Fatal(err)
	}
	text := pdftext(t, buf.Bytes(), false)
	if !strings.Contains(text, "16:44") || strings.Contains(text, "13:44") {
		t.Fatalf("the PDF does not say 16:44 (Amman):\n%s", text)
	}
}

// An area's PDF in Arabic: the sites' figures in Arabic-Indic digits, "—"
// for a site without meetings, names whole.
func TestRollUpPDF(t *testing.T) {
	sh, _ := sample()
	ru := &peercircle.RollUp{Level: peercircle.LevelArea, ID: 1, Name: "Amman East", Quarter: sh.Quarter, First: sh.First, Last: sh.Last, K: 3,
		Sites: []peercircle.SiteRow{
			{Site: peercircle.Site{ID: 7, Name: sh.SiteName}, Figures: sh.Total, ReportState: peercircle.ReviewSubmitted},
			{Site: peercircle.Site{ID: 8, Name: "مركز صحي ماركا الشمالية للرعاية الأولية"}, Figures: peercircle.Figures{Planned: 1, Cancelled: 1, Expected: 6},
				ReportState: peercircle.ReviewDraft, Late: true, Attention: []string{peercircle.AttentionLate}},
		}}
	ru.Total = sh.Total
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			d, err := layoutRollUp(ru, localizer(t, lang))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := d.write(&buf); err != nil {
				t.Fatal(err)
			}
			raw := letters(pdftext(t, buf.Bytes(), false))
			tl := labeler(t, lang)
			for _, want := range []string{"Amman East", sh.SiteName, "مركز صحي ماركا الشمالية للرعاية الأولية", tl("report.level.sites"), tl("report.attention.late")} {
				if !strings.Contains(raw, letters(want)) {
					t.Errorf("%q missing:\n%s", want, raw)
				}
			}
			all := ""
			for _, g := range d.drawn {
				for _, r := range g {
					all += r.text
				}
			}
			if lang == "ar" && strings.ContainsAny(all, "0123456789") {
				t.Errorf("ASCII digits in the Arabic PDF")
			}
			if !strings.Contains(all, peercircle.NoFigure) || strings.Contains(all, "…") {
				t.Errorf("no — for the site without meetings, or a name cut")
			}
		})
	}
}
