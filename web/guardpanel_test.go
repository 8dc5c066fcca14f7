package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
)

// shownFinding is a finding of the guard's panel as a page shows it.
type shownFinding struct {
	Field, Index, At, Text string
}

var (
	findingRE = regexp.MustCompile(`name="finding\.([a-z_]+)\.(\d+)" value="([^"]*)"`)
	checkedRE = regexp.MustCompile(`name="guard\.([a-z_]+)" value="([^"]*)"`)
	allowedRE = regexp.MustCompile(`name="(allow\.[a-z_]+)" value="([^"]+)"`)
)

// guardFindings returns the findings a page's panels show.
func guardFindings(body string) []shownFinding {
	var out []shownFinding
	for _, m := range findingRE.FindAllStringSubmatch(body, -1) {
		at := html.UnescapeString(m[3])
		parts := strings.SplitN(at, "|", 4)
		f := shownFinding{Field: m[1], Index: m[2], At: at}
		if len(parts) == 4 {
			f.Text = parts[3]
		}
		out = append(out, f)
	}
	return out
}

// decide is the form as the writer sends it back from the panel: the
// page's hidden values, and for each finding the decision pick gives
// ("remove", "allow" or "" for none).
func decide(form url.Values, body string, pick func(shownFinding) string) url.Values {
	f := url.Values{}
	for k, v := range form {
		f[k] = append([]string(nil), v...)
	}
	for _, m := range checkedRE.FindAllStringSubmatch(body, -1) {
		f.Set("guard."+m[1], html.UnescapeString(m[2]))
	}
	for _, m := range allowedRE.FindAllStringSubmatch(body, -1) {
		if !contains(f[m[1]], html.UnescapeString(m[2])) {
			f.Add(m[1], html.UnescapeString(m[2]))
		}
	}
	for _, fd := range guardFindings(body) {
		f.Set("finding."+fd.Field+"."+fd.Index, fd.At)
		if d := pick(fd); d != "" {
			f.Set("decide."+fd.Field+"."+fd.Index, d)
		}
	}
	return f
}

// decideAll decides every finding the same way.
func decideAll(form url.Values, body, decision string) url.Values {
	return decide(form, body, func(shownFinding) string { return decision })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// confirmAll posts a form and, when the guard's panel comes back, sends it
// again with "not a person" chosen for every finding: one more submit.
func confirmAll(c *client, path string, form url.Values) *response {
	res := c.post(path, form)
	if res.StatusCode != http.StatusUnprocessableEntity || len(guardFindings(res.Body)) == 0 {
		return res
	}
	return c.post(path, decideAll(form, res.Body, "allow"))
}

// The findings panel (issue 11 item 7): every finding in place with its own
// decision, all decided in one submit, "Remove" leaving a placeholder so
// the sentence still reads, the writer's own edit respected, and the
// organiser's return comment checked with the same panel.
func TestFindingsPanel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := newMeetingIn(t, e, 3*time.Hour)
	fac, org := e.as("facilitator"), e.as("organiser")
	edit := fmt.Sprintf("/sessions/%d/summary/edit", id)
	save := fmt.Sprintf("/sessions/%d/summary", id)
	fac.get(edit)

	notes := map[string]string{
		"key_issues": "Call her on 0795 338 214 or 0788 456 712.",
		"decisions":  "Dr Hani will ask Test Member about the rota.",
	}
	form := summaryForm("0", notes)
	res := fac.post(save, form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	fs := guardFindings(res.Body)
	var texts []string
	for _, f := range fs {
		texts = append(texts, f.Field+":"+f.Text)
	}
	if strings.Join(texts, ",") != "key_issues:0795 338 214,key_issues:0788 456 712,decisions:Hani,decisions:Test Member" {
		t.Fatalf("findings = %v", texts)
	}

	t.Run("each finding has its own decision beside it, in one box", func(t *testing.T) {
		body := res.Body
		for _, f := range fs {
			i := strings.Index(body, `name="finding.`+f.Field+`.`+f.Index+`"`)
			box := body[strings.LastIndex(body[:i], `<span class="finding"`):i]
			if !strings.Contains(box, `name="decide.`+f.Field+`.`+f.Index+`" value="remove"`) || !strings.Contains(box, `name="decide.`+f.Field+`.`+f.Index+`" value="allow"`) ||
				!strings.Contains(box, html.EscapeString(f.Text)) || strings.Count(box, `type="radio"`) != 2 {
				t.Fatalf("the box of %q:\n%s", f.Text, box)
			}
		}
		if strings.Contains(body, `name="op" value="remove|`) || strings.Contains(body, `name="op" value="allow|`) {
			t.Fatal("a decision is still a button of its own (a round trip)")
		}
		if !strings.Contains(body, "looks like a name after “\u2068Dr\u2069”") {
			t.Fatalf("the reason is not shown: %s", excerpt(body))
		}
	})

	t.Run("undecided findings keep the form from being saved", func(t *testing.T) {
		res := fac.post(save, decide(form, res.Body, func(f shownFinding) string {
			if f.Field == "key_issues" {
				return "remove"
			}
			return ""
		}))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if got := len(guardFindings(res.Body)); got != 2 {
			t.Fatalf("%d findings left", got)
		}
		if !strings.Contains(res.Body, "Call her on [phone number] or [phone number].</textarea>") {
			t.Fatalf("the removals were not kept: %s", excerpt(res.Body))
		}
		if _, err := e.Store.Summary(ctx, id, false); peercircle.ErrorCode(err) != peercircle.ENOTFOUND {
			t.Fatal("saved with findings undecided")
		}
	})

	t.Run("all decided in one submit: remove leaves a placeholder, not a broken sentence", func(t *testing.T) {
		res := fac.post(save, decide(form, res.Body, func(f shownFinding) string {
			if f.Text == "Test Member" {
				return "allow"
			}
			return "remove"
		}))
		wantStatus(t, res, http.StatusSeeOther)
		su, err := e.Store.Summary(ctx, id, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := su.Notes["key_issues"]; got != "Call her on [phone number] or [phone number]." {
			t.Fatalf("key_issues = %q", got)
		}
		if got := su.Notes["decisions"]; got != "Dr [name] will ask Test Member about the rota." {
			t.Fatalf("decisions = %q", got)
		}
	})

	t.Run("the writer may edit the text instead; decisions apply to what is left", func(t *testing.T) {
		page := fac.get(edit)
		form := summaryForm(formVersion(t, page.Body), map[string]string{"challenges": "Umm Khaled phoned Dr Hani twice."})
		res := fac.post(save, form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		edited := decide(form, res.Body, func(f shownFinding) string { return "remove" })
		edited.Set("challenges", "A relative phoned Dr Hani twice, late at night.")
		res = fac.post(save, edited)
		wantStatus(t, res, http.StatusSeeOther)
		su, _ := e.Store.Summary(ctx, id, true)
		if got := su.Notes["challenges"]; got != "A relative phoned Dr [name] twice, late at night." {
			t.Fatalf("challenges = %q", got)
		}
	})

	t.Run("the organiser's Arabic return comment with عمر is sent with not a person", func(t *testing.T) {
		page := fac.get(edit)
		f := summaryForm(formVersion(t, page.Body), nil)
		f.Set("op", "submit")
		wantStatus(t, confirmAll(fac, save, f), http.StatusSeeOther)
		org.post("/language", url.Values{"lang": {"ar"}, "next": {save}})
		org.get(save)
		comment := "شكرًا. أضيفي عمر المشاركين تقريبًا، وتحدّثي مع Test Member عن الموعد."
		review := fmt.Sprintf("/sessions/%d/summary/review", id)
		form := url.Values{"decision": {"return"}, "comment": {comment}}
		res := org.post(review, form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		var words []string
		for _, f := range guardFindings(res.Body) {
			words = append(words, f.Field+":"+f.Text)
		}
		if len(words) == 0 || !strings.Contains(res.Body, `name="decide.comment.0" value="allow"`) || !strings.Contains(res.Body, comment+"</textarea>") {
			t.Fatalf("no panel for the comment (%v): %s", words, excerpt(res.Body))
		}
		res = org.post(review, decide(form, res.Body, func(f shownFinding) string {
			if f.Text == "Test Member" {
				return "remove"
			}
			return "allow"
		}))
		wantStatus(t, res, http.StatusSeeOther)
		su, _ := e.Store.Summary(ctx, id, true)
		if su.State != peercircle.ReviewReturned || su.ReturnComment != "شكرًا. أضيفي عمر المشاركين تقريبًا، وتحدّثي مع [اسم] عن الموعد." {
			t.Fatalf("state %s, comment %q", su.State, su.ReturnComment)
		}
		evs, _ := e.Store.AuditEvents(ctx, "", 0, 200)
		counted := false
		for _, ev := range evs {
			counted = counted || (ev.Action == "guard.confirm" && ev.TargetKind == "summary" && ev.TargetID == id)
			if strings.Contains(ev.Detail, "عمر") {
				t.Fatalf("the audit log holds a word: %+v", ev)
			}
		}
		if !counted {
			t.Fatal("the confirmation was not counted in the audit log")
		}
	})
}
