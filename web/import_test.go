package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/importer"
)

// upload posts a file to the import page as a browser's form would.
func (c *client) upload(kind, name string, data []byte, fields map[string]string) *response {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	mw.WriteField("kind", kind)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.URL+"/admin/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestImportPageShowsEveryKindWithItsTemplates(t *testing.T) {
	e := newEnv(t)
	admin := e.as("admin")
	res := admin.get("/admin/import")
	wantStatus(t, res, http.StatusOK)
	for _, k := range importer.Kinds {
		for _, f := range []string{"csv", "xlsx"} {
			if !strings.Contains(res.Body, "/admin/import/template/"+k+"?lang=ar&amp;format="+f) {
				t.Fatalf("no %s %s template link", k, f)
			}
		}
	}
	res = admin.get("/admin/import/template/people?lang=ar&format=csv")
	wantStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.Body, "المفتاح,الاسم الكامل") || !strings.Contains(res.Header.Get("Content-Disposition"), "peercircle-people-ar.csv") {
		t.Fatalf("template %q %v", excerpt(res.Body), res.Header)
	}
	res = admin.get("/admin/import/template/people?lang=ar&format=xlsx")
	if !importer.IsXLSX([]byte(res.Body)) {
		t.Fatal("the XLSX template is not a workbook")
	}
	wantStatus(t, admin.get("/admin/import/template/people?lang=de&format=csv"), http.StatusNotFound)
}

var keptRE = regexp.MustCompile(`action="(/admin/import/\d+/run)"`)

// From a file with errors to a clean import: the dry run lists every
// problem by row and the file's own column names, in the reader's
// language, and writes nothing; the kept file is imported with one button
// (clean rows); the people file's invitations go only when chosen; the
// same file twice changes nothing; a file that is not a table says so.
func TestImportFromThePage(t *testing.T) {
	e, mail := newEnvMail(t)
	ctx := context.Background()
	admin := e.as("admin")
	admin.get("/admin/import")

	org := "النوع,المفتاح,الاسم,مفتاح الأعلى,المنطقة الزمنية\nالإقليم,R-N,الشمال,,Asia/Amman\nالمنطقة,A-N,إربد,R-N,\nالمركز,S-N1,مركز إربد الصحي,A-N,\nالمركز,S-N2,مركز بلا منطقة,A-X,\n"
	res := admin.upload("org", "org.csv", []byte(org), map[string]string{"action": "check"})
	wantStatus(t, res, http.StatusOK)
	body := plain(res.Body)
	for _, want := range []string{"Checked: nothing was written", "مفتاح الأعلى", "No region or area has the key A-X", `<progress max="4" value="4">`} {
		if !strings.Contains(body, want) {
			t.Fatalf("dry run page lacks %q:\n%s", want, excerpt(body))
		}
	}
	tree, _ := e.Store.Tree(ctx)
	for _, s := range tree.Sites {
		if s.Name == "مركز إربد الصحي" {
			t.Fatal("a dry run wrote a site")
		}
	}
	m := keptRE.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatal("no button to import the kept file")
	}
	res = admin.post(m[1], url.Values{"clean_rows": {"1"}})
	wantStatus(t, res, http.StatusOK)
	if body := plain(res.Body); !strings.Contains(body, "Imported, in one go") || keptRE.MatchString(res.Body) {
		t.Fatalf("import of the kept file:\n%s", excerpt(body))
	}
	tree, _ = e.Store.Tree(ctx)
	var irbid int64
	for _, s := range tree.Sites {
		if s.Name == "مركز إربد الصحي" {
			irbid = s.ID
		}
	}
	if irbid == 0 {
		t.Fatal("the clean rows were not written")
	}

	people := "Key,Full name,E-mail,Site key,Roles\nN-1,Huda Saleh,huda.import@example.org,S-N1,organiser\nN-2,Sami Odeh,,S-N1,\n"
	res = admin.upload("people", "people.csv", []byte(people), map[string]string{"action": "import"})
	if body := plain(res.Body); !strings.Contains(body, "Imported, in one go") || strings.Contains(body, "Invitations sent") {
		t.Fatalf("people:\n%s", excerpt(body))
	}
	if len(mail.all()) != 0 {
		t.Fatalf("an import sent mail nobody chose: %+v", mail.all())
	}
	huda, err := e.Store.PersonByLogin(ctx, "huda.import@example.org")
	if err != nil || huda.HomeSiteID != irbid {
		t.Fatalf("huda %+v %v", huda, err)
	}
	res = admin.upload("people", "people.csv", []byte(people), map[string]string{"action": "import", "invite": "1"})
	if body := plain(res.Body); !strings.Contains(body, "Invitations sent by e-mail: 1.") {
		t.Fatalf("invitations:\n%s", excerpt(body))
	}
	if sent := mail.all(); len(sent) != 1 || sent[0].Kind != "invitation" || sent[0].To != "huda.import@example.org" || !strings.Contains(sent[0].Link, "/invite/") {
		t.Fatalf("sent %+v", sent)
	}
	if res := e.client().get(strings.TrimPrefix(mail.all()[0].Link, e.URL)); res.StatusCode != http.StatusOK {
		t.Fatalf("the invitation link: %d", res.StatusCode)
	}

	groups := "Key,Site key,Name,Kind,Membership,Schedule,Time,Facilitators\nG-1,S-N1,Irbid staff group,staff,closed,\"Every week, Tuesday\",13:30,N-1\n"
	res = admin.upload("groups", "groups.csv", []byte(groups), map[string]string{"action": "import"})
	if body := plain(res.Body); !strings.Contains(body, "Imported, in one go") {
		t.Fatalf("groups:\n%s", excerpt(body))
	}
	res = admin.upload("memberships", "m.csv", []byte("Group key,Person key\nG-1,N-2\n"), map[string]string{"action": "import"})
	if body := plain(res.Body); !strings.Contains(body, "Imported, in one go") {
		t.Fatalf("memberships:\n%s", excerpt(body))
	}
	gs, _ := e.Store.GroupsAtSite(ctx, irbid)
	if len(gs) != 1 {
		t.Fatalf("groups %+v", gs)
	}
	ms, _ := e.Store.Memberships(ctx, gs[0].ID)
	if len(ms) != 2 {
		t.Fatalf("memberships %+v", ms)
	}
	res = admin.upload("memberships", "m.csv", []byte("Group key,Person key\nG-1,N-2\n"), map[string]string{"action": "import"})
	if !strings.Contains(res.Body, `<td>0</td><td>0</td><td>1</td>`) {
		t.Fatalf("the same file again:\n%s", excerpt(plain(res.Body)))
	}

	for _, c := range []struct{ data, want string }{
		{"\xff\xfe not text", "neither an Excel workbook nor CSV"},
		{"Name,Site\nx,y\n", "The header row has no column Group key"},
		{"PK\x03\x04 broken", "The Excel workbook cannot be read"},
	} {
		res = admin.upload("memberships", "bad.csv", []byte(c.data), map[string]string{"action": "check"})
		if body := plain(res.Body); !strings.Contains(body, c.want) {
			t.Fatalf("%q:\n%s", c.data, excerpt(body))
		}
	}
	res = admin.upload("nothing", "x.csv", []byte("a"), nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
}

// The import page speaks the reader's language: an Arabic administrator
// sees the problems in Arabic with the file's Arabic column names and
// Arabic digits.
func TestImportPageInArabic(t *testing.T) {
	e := newEnv(t)
	admin := e.as("admin")
	p, _ := e.Store.Person(context.Background(), e.fixture.People["admin"].ID)
	p.Lang = "ar"
	if err := e.Store.UpdatePerson(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	admin.get("/admin/import")
	res := admin.upload("memberships", "m.csv", []byte("مفتاح المجموعة,مفتاح الشخص,الدور\nG-9,N-1,عضو\n"), map[string]string{"action": "check"})
	body := plain(res.Body)
	for _, want := range []string{"فُحص: لم يُكتب شيء", "لا توجد مجموعة بالمفتاح G-9", "مفتاح المجموعة", "<td>٢</td>", `dir="rtl"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("Arabic page lacks %q:\n%s", want, excerpt(body))
		}
	}
}

// A file larger than the form limit is taken only from an administrator,
// and only on the import route.
func TestOnlyTheImportRouteTakesLargeBodies(t *testing.T) {
	e := newEnv(t)
	big := bytes.Repeat([]byte("G-1,N-1,member\n"), 90000) // about 1.3 MB
	big = append([]byte("Group key,Person key,Role\n"), big...)
	admin := e.as("admin")
	admin.get("/admin/import")
	res := admin.upload("memberships", "big.csv", big, map[string]string{"action": "check"})
	if res.StatusCode != http.StatusOK || !strings.Contains(plain(res.Body), "Rows with a problem") {
		t.Fatalf("an admin's 1.3 MB file: %d\n%s", res.StatusCode, excerpt(plain(res.Body)))
	}
	org := e.as("organiser")
	org.get("/")
	wantStatus(t, org.upload("memberships", "big.csv", big, nil), http.StatusRequestEntityTooLarge)
	_ = peercircle.ImportMembership
}
