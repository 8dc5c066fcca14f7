package web_test

import (
	"context"
	"strings"
	"testing"
)

// Tests of the language details shared by every page: lists, digits,
// isolation of text in the other direction, one naming rule.

// inArabic makes the fixture person of role read the product in Arabic.
func inArabic(t *testing.T, e *env, role string) *client {
	t.Helper()
	if err := e.Store.SetLanguage(context.Background(), e.People[role].ID, "ar"); err != nil {
		t.Fatal(err)
	}
	return e.as(role)
}

func TestArabicListsUseTheArabicComma(t *testing.T) {
	e := newEnv(t)
	member := e.People["member"]
	member.DisplayName = "هدى"
	if err := e.Store.UpdatePerson(context.Background(), member); err != nil {
		t.Fatal(err)
	}
	body := inArabic(t, e, "organiser").get("/groups/" + id(e.In["group"])).Body
	want := "\u2068Test Facilitator\u2069، \u2068هدى\u2069"
	if !strings.Contains(body, want) {
		t.Errorf("the rota does not read %q (each name isolated, the Arabic comma between):\n%s", want, section(body, "h-rota"))
	}
	if strings.Contains(body, "Test Member") {
		t.Errorf("the group page names the member by her full name, not the name she chose")
	}
}

// section returns the HTML from the element with the id to the end of its
// section, for short failure messages.
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return "(no #" + id + ")"
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}
