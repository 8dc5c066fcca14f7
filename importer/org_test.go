package importer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

func TestTemplatesReadBackInEachLanguage(t *testing.T) {
	for _, lang := range []string{"en", "ar", "fr"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTemplate(&buf, KindOrg, lang, FormatCSV); err != nil {
				t.Fatal(err)
			}
			recs, headers, errs, err := ReadOrg(&buf)
			if err != nil || len(errs) > 0 {
				t.Fatalf("err %v, row errors %v", err, errs)
			}
			if len(recs) != 3 || recs[0].Type != peercircle.ImportRegion || recs[1].Type != peercircle.ImportArea || recs[2].Type != peercircle.ImportSite ||
				recs[2].SiteKind != peercircle.SiteHealthCentre || recs[2].Parent != "A-AMM-E" || recs[0].TimeZone != "Asia/Amman" {
				t.Fatalf("records %+v", recs)
			}
			if headers["parent"] != OrgColumns[3].Headers[lang] {
				t.Fatalf("the parent column is called %q", headers["parent"])
			}
		})
	}
}

func TestCellsAreText(t *testing.T) {
	file := "\xef\xbb\xbfType,Key,Name,Parent key,Time zone,Site kind\r\n" +
		"region,R1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\n" +
		",,,\n" +
		"planet,P1,Mars,\n" +
		"site,S1,Clinic,A1,,hospital\n"
	recs, _, errs, err := ReadOrg(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Name != `=HYPERLINK("http://x","y")` || recs[0].Row != 2 || recs[1].Type != "?planet" || recs[1].Row != 4 {
		t.Fatalf("records %+v", recs)
	}
	if len(errs) != 1 || errs[0].Row != 5 || errs[0].Column != "site_kind" {
		t.Fatalf("row errors %+v", errs)
	}
}

func TestFileLimits(t *testing.T) {
	if _, _, _, err := ReadOrg(strings.NewReader("Name,Key\nx,y\n")); err == nil {
		t.Fatal("a file without a type column was read")
	}
	if _, _, _, err := ReadOrg(bytes.NewReader(append([]byte("Type,Key,Name\n"), bytes.Repeat([]byte("a"), MaxBytes)...))); err != ErrTooLarge {
		t.Fatalf("a file over the limit: %v", err)
	}
	if _, _, _, err := ReadOrg(strings.NewReader("Type,Key,Name\n\xff\xfe")); err == nil {
		t.Fatal("a file that is not UTF-8 was read")
	}
}

func FuzzReadOrg(f *testing.F) {
	var buf bytes.Buffer
	WriteTemplate(&buf, KindOrg, "ar", FormatCSV)
	f.Add(buf.Bytes())
	f.Add([]byte("Type,Key,Name\n\"a\nb\",c,d\n"))
	f.Add([]byte("Type,Key,Name,Site kind\nsite,1,=1+1,مركز صحي\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, errs, err := ReadOrg(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range recs {
			if r.Row < 2 {
				t.Fatalf("row %d", r.Row)
			}
		}
		for _, e := range errs {
			if e.Row < 2 || e.Column == "" || e.Key == "" {
				t.Fatalf("row error %+v", e)
			}
		}
	})
}
