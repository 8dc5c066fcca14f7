package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Issue 11, item 10: a refused role grant keeps what was chosen, says
// which field is wrong and why, and never falls back to the widest grant
// (Administrator / Whole organisation); a fresh form chooses nothing.
func TestARefusedRoleGrantKeepsTheChoiceAndSaysWhy(t *testing.T) {
	e := newEnv(t)
	admin := e.as("admin")
	person := "/people/" + id(e.In["person"])
	selected := regexp.MustCompile(`<option value="([^"]*)" selected>`)

	fresh := admin.get(person).Body
	if m := selected.FindAllStringSubmatch(grantForm(t, fresh), -1); len(m) != 0 {
		t.Fatalf("a fresh grant form has a choice made: %v", m)
	}

	area := "area:" + id(e.In["area"])
	res := admin.post(person+"/grants", url.Values{"role": {"organiser"}, "scope": {area}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	form := grantForm(t, res.Body)
	var got []string
	for _, m := range selected.FindAllStringSubmatch(form, -1) {
		got = append(got, m[1])
	}
	if strings.Join(got, " ") != "organiser "+area {
		t.Fatalf("the refused form shows %v selected, want organiser and %s", got, area)
	}
	if !strings.Contains(form, `id="f-scope" name="scope" required aria-invalid="true"`) || !strings.Contains(form, "An organiser runs the groups of one site: choose a site.") {
		t.Fatalf("the scope field is not marked with the reason: %s", excerpt(form))
	}
	if strings.Contains(form, `value="admin" selected`) || strings.Contains(form, `value="organisation:0" selected`) {
		t.Fatal("the refused form falls back to the widest grant")
	}

	res = admin.post(person+"/grants", url.Values{"role": {""}, "scope": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	form = grantForm(t, res.Body)
	if !strings.Contains(form, `id="f-role" name="role" required aria-invalid="true"`) || !strings.Contains(form, `id="f-scope" name="scope" required aria-invalid="true"`) {
		t.Fatalf("an empty grant does not mark both fields: %s", excerpt(form))
	}

	wantStatus(t, admin.post(person+"/grants", url.Values{"role": {"coordinator"}, "scope": {area}}), http.StatusSeeOther)
}

func grantForm(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `id="grant-form"`)
	if i < 0 {
		t.Fatalf("no grant form: %s", excerpt(body))
	}
	j := strings.Index(body[i:], "</form>")
	return body[i : i+j]
}
