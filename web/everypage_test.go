package web_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/sqlstore"
)

// everyPage lists a path and a role that may open it for every GET route
// of the access matrix that answers with an HTML page, so tests of what
// every page must do follow the matrix as routes are added.
func everyPage(t *testing.T, e *env) []struct{ role, path string } {
	t.Helper()
	var out []struct{ role, path string }
	for _, rule := range accessRules {
		method, pattern, _ := strings.Cut(rule.Pattern, " ")
		if method != http.MethodGet || strings.Contains(pattern, "{token}") || strings.Contains(pattern, "/export/") ||
			strings.HasSuffix(pattern, ".json") || strings.HasSuffix(pattern, ".csv") || strings.HasPrefix(pattern, "/static/") ||
			pattern == "/healthz" || pattern == "/readyz" || pattern == "/metrics" {
			continue
		}
		want := parseExpect(t, rule.Pattern, rule.Expect)
		for _, role := range append([]string{"admin", "organiser", "facilitator", "member"}, testRoles...) {
			if want[role][0] != "Y" {
				continue
			}
			path := rule.Path
			if path == "" {
				path = strings.ReplaceAll(pattern, "{$}", "")
			}
			out = append(out, struct{ role, path string }{role, expand(t, e.fixture, path, true)})
			break
		}
	}
	return out
}

// visibleText is the text a reader sees on the page, without what is not
// the page's own words: scripts and styles, and what people wrote (names
// and places, isolated with <bdi> or U+2068…U+2069; form values and text
// areas) or codes (<code>).
func visibleText(body string) string {
	for _, re := range everyPageHiddenRE {
		body = re.ReplaceAllString(body, " ")
	}
	body = html.UnescapeString(tagRE.ReplaceAllString(body, " "))
	return isolatedRE.ReplaceAllString(body, " ")
}

var (
	everyPageHiddenRE = []*regexp.Regexp{
		regexp.MustCompile(`(?s)<script.*?</script>`),
		regexp.MustCompile(`(?s)<style.*?</style>`),
		regexp.MustCompile(`(?s)<textarea.*?</textarea>`),
		regexp.MustCompile(`(?s)<code.*?</code>`),
		regexp.MustCompile(`(?s)<bdi.*?</bdi>`),
		regexp.MustCompile(`(?s)<option.*?</option>`),
		regexp.MustCompile(`(?s)<title.*?</title>`),
	}
	tagRE      = regexp.MustCompile(`(?s)<[^>]*>`)
	isolatedRE = regexp.MustCompile("(?s)\u2068.*?\u2069")
	// asciiNumberRE finds a number written in ASCII digits that is not
	// part of a Latin word, code or name ("A4", "DHIS2", "2027Q1", "Site 1").
	asciiNumberRE = regexp.MustCompile(`(^|[^A-Za-z0-9 ]|[^A-Za-z0-9] )([0-9][0-9.,:/-]*)( [^A-Za-z0-9]|[^A-Za-z0-9 ]|$)`)
)

// TestArabicPagesWriteOneKindOfDigits opens every page in Arabic and finds
// numbers the page writes itself in ASCII digits: an Arabic page writes
// "٤٫٥ / ٥", never "٤٫٥ / 5", and "(النموذج ٣)" beside "(النموذج ٢)".
// What people wrote (a group called "Group 1") is isolated and stays as
// written.
func TestArabicPagesWriteOneKindOfDigits(t *testing.T) {
	e := newEnv(t)
	for _, role := range testRoles {
		if p, ok := e.People[role]; ok {
			if err := e.Store.SetLanguage(context.Background(), p.ID, "ar"); err != nil {
				t.Fatal(err)
			}
		}
	}
	withFeedback(t, e)
	for _, p := range everyPage(t, e) {
		path := p.path
		if cacheablePublic(path) {
			// The finder is the same page for every visitor and follows
			// the language asked for, not the signed-in person's.
			path += "?lang=ar"
		}
		res := e.as(p.role).get(path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		if !strings.Contains(res.Body, `<html lang="ar"`) {
			// A page in a language of its own (a group's flyer is in the
			// group's language) is not an Arabic page.
			continue
		}
		text := visibleText(res.Body)
		for _, m := range asciiNumberRE.FindAllStringSubmatchIndex(text, -1) {
			from, to := max(0, m[4]-40), min(len(text), m[5]+40)
			t.Errorf("%s as %s writes %q in ASCII digits: …%s…", p.path, p.role, text[m[4]:m[5]], strings.Join(strings.Fields(text[from:to]), " "))
		}
	}
}

// withFeedback gives the held meetings of the fixture's draft quarter
// feedback from four people, so Sheet 3 shows its averages ("4.5 / 5").
func withFeedback(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	err := e.Store.DB.Write(ctx, func(tx *sqlstore.Tx) error {
		rows, err := tx.Query(`SELECT id FROM sessions WHERE group_id = ? AND status = 'held'`, e.In["group"])
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.Exec(`INSERT INTO feedback_rounds (session_id, open, tokens_issued, responses) VALUES (?, FALSE, 4, 4) ON CONFLICT (session_id) DO UPDATE SET responses = 4`, id); err != nil {
				return err
			}
			for _, q := range peercircle.FeedbackQuestions {
				for v, n := range map[int]int{4: 2, 5: 2} {
					if _, err := tx.Exec(`INSERT INTO feedback_counts (session_id, question, value, n) VALUES (?, ?, ?, ?) ON CONFLICT (session_id, question, value) DO UPDATE SET n = excluded.n`, id, q, v, n); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// cacheablePublic reports whether a path is a public finder page, served
// alike to everyone whoever is signed in.
func cacheablePublic(path string) bool {
	return path == "/find" || strings.HasPrefix(path, "/find/") && !strings.Contains(strings.TrimPrefix(path, "/find/"), "/")
}
