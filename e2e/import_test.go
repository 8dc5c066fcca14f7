package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/importer"
	"github.com/peercircle/peercircle/internal/browser"
)

// TestTheAdministratorImportsAProgramme (issue 15): from the organisation
// page to the import page; an organisation file with a broken row is
// checked (the problem named by row and column, nothing written), then the
// kept file's clean rows are imported with one button; in Arabic, the
// people template downloaded as a workbook with Arabic headers is imported
// at once with invitations, and the counts read in Arabic digits. Axe
// checks each page in both languages.
func TestTheAdministratorImportsAProgramme(t *testing.T) {
	a := startDemo(t)
	dir := t.TempDir()
	org := filepath.Join(dir, "organisation.csv")
	f, _ := os.Create(org)
	if err := importer.WriteTemplate(f, importer.KindOrg, "en", importer.FormatCSV); err != nil {
		t.Fatal(err)
	}
	f.WriteString("site,S-0002,Clinic with no area,A-NOWHERE,,health_centre\n")
	f.Close()
	people := filepath.Join(dir, "people.xlsx")
	f, _ = os.Create(people)
	if err := importer.WriteTemplate(f, importer.KindPeople, "ar", importer.FormatXLSX); err != nil {
		t.Fatal(err)
	}
	f.Close()

	ctx := browser.New(t)
	signIn(t, ctx, a, "admin")
	browser.Navigate(t, ctx, a.URL+"/admin/org")
	browser.Click(t, ctx, `a[href="/admin/import"]`)
	browser.WaitVisible(t, ctx, "#import-form")
	browser.Screenshot(t, ctx, "import/page-en")
	checkAccessibility(t, ctx, "import page (en)")

	browser.Click(t, ctx, "#f-kind-org")
	browser.Upload(t, ctx, "#f-file", org)
	browser.Submit(t, ctx, `#import-form button[value="check"]`)
	browser.WaitVisible(t, ctx, "#import-result")
	result := plain(browser.Text(t, ctx, "main"))
	for _, want := range []string{"Checked: nothing was written", "Parent key", "No region or area has the key A-NOWHERE", "Rows with a problem: 1"} {
		if !strings.Contains(result, want) {
			t.Fatalf("the dry run does not say %q:\n%s", want, result)
		}
	}
	if bar := browser.Attr(t, ctx, ".import-progress .step:last-child progress", "value"); bar != "4" {
		t.Fatalf("the progress bar ends at %q", bar)
	}
	browser.Screenshot(t, ctx, "import/checked-en")
	checkAccessibility(t, ctx, "import dry run (en)")
	browser.Click(t, ctx, "#import-kept #f-clean")
	browser.Submit(t, ctx, "#import-kept button")
	browser.WaitVisible(t, ctx, "#import-result")
	if result := plain(browser.Text(t, ctx, "#import-result")); !strings.Contains(result, "Imported, in one go") || !strings.Contains(result, "Sites\t1\t0\t0") {
		t.Fatalf("the clean rows were not imported:\n%q", result)
	}

	toLanguage(t, ctx, "ar")
	browser.Navigate(t, ctx, a.URL+"/admin/import")
	browser.Click(t, ctx, "#f-kind-people")
	browser.Upload(t, ctx, "#f-file", people)
	browser.Click(t, ctx, "#f-invite")
	browser.Submit(t, ctx, `#import-form button[value="import"]`)
	browser.WaitVisible(t, ctx, "#import-result")
	result = plain(browser.Text(t, ctx, "#import-result"))
	for _, want := range []string{"تم الاستيراد دفعة واحدة", "الأشخاص\t٢", "الدعوات المرسلة بالبريد الإلكتروني: ١."} {
		if !strings.Contains(result, want) {
			t.Fatalf("the Arabic import does not say %q:\n%q", want, result)
		}
	}
	if dir := browser.Eval[string](t, ctx, `document.documentElement.dir`); dir != "rtl" {
		t.Fatalf("the page is %q", dir)
	}
	browser.Screenshot(t, ctx, "import/imported-ar")
	checkAccessibility(t, ctx, "import result (ar)")
	browser.Navigate(t, ctx, a.URL+"/people?q=Rana")
	if body := browser.Text(t, ctx, "main"); !strings.Contains(body, "Rana Haddad") {
		t.Fatalf("the imported person is not listed:\n%s", body)
	}
}
