package importer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/peercircle/peercircle"
)

// Every template reads back, in each language and in both formats.
func TestEveryTemplateReadsBack(t *testing.T) {
	for _, kind := range Kinds {
		for _, lang := range []string{"en", "ar", "fr"} {
			for _, format := range []string{FormatCSV, FormatXLSX} {
				var buf bytes.Buffer
				if err := WriteTemplate(&buf, kind, lang, format); err != nil {
					t.Fatal(err)
				}
				if IsXLSX(buf.Bytes()) != (format == FormatXLSX) {
					t.Fatalf("%s %s %s: format not recognised", kind, lang, format)
				}
				var n int
				var errs []peercircle.RowError
				var err error
				switch kind {
				case KindOrg:
					var recs []peercircle.OrgRecord
					recs, _, errs, err = ReadOrg(&buf)
					n = len(recs)
				case KindPeople:
					var recs []peercircle.PersonRecord
					recs, _, errs, err = ReadPeople(&buf)
					n = len(recs)
				case KindGroups:
					var recs []peercircle.GroupRecord
					recs, _, errs, err = ReadGroups(&buf)
					n = len(recs)
					if err == nil && len(recs) == 1 {
						g := recs[0]
						if g.Kind != peercircle.KindStaff || g.Membership != peercircle.MembershipClosed || g.Preset != "staff" ||
							g.Rule != "FREQ=MONTHLY;BYDAY=2TU,-1TU" || g.Minutes != 120 || g.Time != "14:00" || len(g.Facilitators) != 1 {
							t.Fatalf("%s %s: %+v", lang, format, g)
						}
					}
				case KindMemberships:
					var recs []peercircle.MembershipRecord
					recs, _, errs, err = ReadMemberships(&buf)
					n = len(recs)
					if err == nil && len(recs) == 1 && recs[0].Role != peercircle.RoleMember {
						t.Fatalf("%s %s: %+v", lang, format, recs)
					}
				}
				if err != nil || len(errs) > 0 || n != len(templateRows[kind]) {
					t.Fatalf("%s %s %s: %d records, %v, %v", kind, lang, format, n, errs, err)
				}
			}
		}
	}
}

// A schedule is a rule, or a preset in the words of any language with a
// weekday (and a week for "once a month").
func TestScheduleWords(t *testing.T) {
	for _, c := range []struct{ cell, preset, rule, problem string }{
		{"", "", "", ""},
		{"Every week, Tuesday", "weekly", "FREQ=WEEKLY;BYDAY=TU", ""},
		{"weekly tu", "weekly", "FREQ=WEEKLY;BYDAY=TU", ""},
		{"Every other week, Thursday", "fortnightly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", ""},
		{"كل أسبوعين الخميس", "fortnightly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", ""},
		{"كل أسبوع، الاثنين", "weekly", "FREQ=WEEKLY;BYDAY=MO", ""},
		{"مرتان في الشهر، الأحد", "staff", "FREQ=MONTHLY;BYDAY=2SU,-1SU", ""},
		{"Once a month, the last week, Friday", "monthly", "FREQ=MONTHLY;BYDAY=-1FR", ""},
		{"monthly 3 wednesday", "monthly", "FREQ=MONTHLY;BYDAY=3WE", ""},
		{"مرة في الشهر، الأسبوع الثاني، السبت", "monthly", "FREQ=MONTHLY;BYDAY=2SA", ""},
		{"Une semaine sur deux, mercredi", "fortnightly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", ""},
		{"FREQ=MONTHLY;BYMONTHDAY=15", "custom", "FREQ=MONTHLY;BYMONTHDAY=15", ""},
		{"RRULE:FREQ=WEEKLY;BYDAY=MO", "custom", "FREQ=WEEKLY;BYDAY=MO", ""},
		{"FREQ=SOMETIMES", "", "", "import.error.schedule"},
		{"whenever we can", "", "", "import.error.schedule"},
		{"every week", "", "", "import.error.schedule_day"},
		{"monthly 9 monday", "", "", "import.error.schedule"},
	} {
		preset, rule, problem := scheduleWords(c.cell)
		if preset != c.preset || rule != c.rule || problem != c.problem {
			t.Errorf("%q: got %q %q %q, want %q %q %q", c.cell, preset, rule, problem, c.preset, c.rule, c.problem)
		}
	}
}

// Rows with choices the importer cannot read are the rows' problems, per
// column; roles an import may not give (administrator, member) are
// refused.
func TestGroupAndMembershipRowProblems(t *testing.T) {
	groups := "Key,Site key,Name,Kind,Membership,Schedule,Minutes,Facilitators\n" +
		"G1,S1,Nurses,staff,open,every week tuesday,90,N1; N2\n" +
		"G2,S1,Carers,knitting,open,,,\n" +
		"G3,S1,Families,family,ajar,,,\n" +
		"G4,S1,Weekly,community,closed,every week,,\n" +
		"G5,S1,Long,community,closed,,-5,\n"
	recs, _, errs, err := ReadGroups(strings.NewReader(groups))
	if err != nil || len(recs) != 1 || len(recs[0].Facilitators) != 2 || recs[0].Minutes != 90 {
		t.Fatalf("%+v %v", recs, err)
	}
	want := map[int]string{3: "kind", 4: "membership", 5: "schedule", 6: "minutes"}
	if len(errs) != len(want) {
		t.Fatalf("errors %+v", errs)
	}
	for _, e := range errs {
		if want[e.Row] != e.Column {
			t.Fatalf("error %+v", e)
		}
	}
	ms, _, errs, err := ReadMemberships(strings.NewReader("Group key,Person key,Role\nG1,N1,facilitator\nG1,N2,\nG1,N3,admin\nG1,N4,ميسّر\n"))
	if err != nil || len(ms) != 3 || ms[0].Role != "facilitator" || ms[1].Role != "member" || ms[2].Role != "facilitator" || len(errs) != 1 || errs[0].Row != 4 {
		t.Fatalf("%+v %+v %v", ms, errs, err)
	}
	people, _, errs, err := ReadPeople(strings.NewReader("Key,Full name,Site key,Roles\nN1,Huda,S1,organiser; مشرف\nN2,Sami,S1,admin\nN3,Rami,S1,member\n"))
	if err != nil || len(people) != 1 || len(people[0].Roles) != 2 || people[0].Roles[1] != "supervisor" || len(errs) != 2 {
		t.Fatalf("%+v %+v %v", people, errs, err)
	}
}

// A workbook's first sheet is read as the file; a formula's saved value
// is the cell, never computed here; a workbook that is not one is the
// file's problem.
func TestWorkbooks(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	for i, row := range [][]any{{"Type", "Key", "Name", "Parent key", "Time zone"}, {"region", "R1", "North", "", "Africa/Cairo"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	// A formula whose saved value is empty: nothing here computes it.
	for cell, v := range map[string]string{"A3": "region", "B3": "R2", "E3": "Africa/Cairo"} {
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellFormula(sheet, "C3", `=CONCAT("So","uth")`); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	recs, _, errs, err := ReadOrg(bytes.NewReader(buf.Bytes()))
	if err != nil || len(errs) != 0 || len(recs) != 2 || recs[0].Name != "North" || recs[1].Name != "" {
		t.Fatalf("%+v %v %v", recs, errs, err)
	}
	if _, _, _, err := ReadOrg(strings.NewReader("PK\x03\x04 not a workbook")); err == nil {
		t.Fatal("a broken workbook was read")
	}
}

func FuzzReadGroups(f *testing.F) {
	for _, format := range []string{FormatCSV, FormatXLSX} {
		var buf bytes.Buffer
		WriteTemplate(&buf, KindGroups, "ar", format)
		f.Add(buf.Bytes())
	}
	f.Add([]byte("Key,Site key,Name,Schedule,Minutes\nG,S,N,monthly 99 mo,1e9\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, errs, err := ReadGroups(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range recs {
			if r.Row < 2 || r.Minutes < 0 || (r.Preset != "" && r.Rule == "") {
				t.Fatalf("record %+v", r)
			}
		}
		for _, e := range errs {
			if e.Row < 2 || e.Column == "" || e.Key == "" {
				t.Fatalf("error %+v", e)
			}
		}
	})
}

func FuzzReadMemberships(f *testing.F) {
	for _, format := range []string{FormatCSV, FormatXLSX} {
		var buf bytes.Buffer
		WriteTemplate(&buf, KindMemberships, "fr", format)
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, _, err := ReadMemberships(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range recs {
			if r.Role != peercircle.RoleMember && r.Role != peercircle.RoleFacilitator {
				t.Fatalf("record %+v", r)
			}
		}
	})
}
