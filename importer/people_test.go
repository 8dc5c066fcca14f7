package importer

import (
	"bytes"
	"strings"
	"testing"
)

// The people template reads back in each language; languages are read in
// any of their names; an unknown language is the row's problem.
func TestPeopleTemplatesReadBack(t *testing.T) {
	for _, lang := range []string{"en", "ar", "fr"} {
		var buf bytes.Buffer
		if err := WriteTemplate(&buf, KindPeople, lang, FormatCSV); err != nil {
			t.Fatal(err)
		}
		recs, names, errs, err := ReadPeople(&buf)
		if err != nil || len(errs) != 0 || len(recs) != 2 {
			t.Fatalf("%s: %v %v %v", lang, recs, errs, err)
		}
		r := recs[0]
		if r.Key != "N-0042" || r.FullName != "Rana Haddad" || r.Site != "S-0001" || r.Lang != lang || names["full_name"] == "" || len(r.Roles) != 1 || r.Roles[0] != "organiser" {
			t.Fatalf("%s: %+v", lang, r)
		}
	}
	recs, _, errs, err := ReadPeople(strings.NewReader("Key,Full name,Site key,Language\nN-1,Huda,S-1,العربية\nN-2,Sami,S-1,klingon\n,,,\n"))
	if err != nil || len(recs) != 1 || recs[0].Lang != "ar" || len(errs) != 1 || errs[0].Row != 3 || errs[0].Column != "lang" {
		t.Fatalf("%+v %+v %v", recs, errs, err)
	}
	if _, _, _, err := ReadPeople(strings.NewReader("Name,Site\nx,y\n")); err == nil {
		t.Fatal("a file without the key and full name columns was read")
	}
}

func FuzzReadPeople(f *testing.F) {
	var buf bytes.Buffer
	WriteTemplate(&buf, KindPeople, "ar", FormatCSV)
	f.Add(buf.Bytes())
	f.Add([]byte("Key,Full name,Site key\n\"a\nb\",=HYPERLINK(1),S-1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, errs, err := ReadPeople(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range recs {
			if r.Row < 2 {
				t.Fatalf("row %d", r.Row)
			}
			if r.Lang != "" && r.Lang != "en" && r.Lang != "ar" && r.Lang != "fr" {
				t.Fatalf("language %q", r.Lang)
			}
		}
		for _, e := range errs {
			if e.Row < 2 || e.Column == "" || e.Key == "" {
				t.Fatalf("error %+v", e)
			}
		}
	})
}
