package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/peercircle/peercircle"
)

// accessRule says who may use one route. Expect lists, for each test role,
// the outcome in scope and out of scope ("in" and "out" halves of the
// fixture): Y allowed, N refused (403 or 404), L must sign in first. One
// letter stands for both halves. Every role must be listed.
type accessRule struct {
	Pattern string     // exactly as registered, e.g. "GET /sites/{site}"
	Path    string     // optional concrete path when the pattern has none of the placeholders, e.g. "/static/app.css"
	Form    url.Values // form fields for POST; values may hold {placeholders}
	Expect  string     // e.g. "anon:L admin:Y coordinator:YN organiser:YN facilitator:N member:N supervisor:N trainer:N"
}

// accessRules is the access matrix. Each area of the product adds its
// routes in its own file (matrix_<area>_test.go) with addRules.
var accessRules []accessRule

func addRules(rules ...accessRule) bool {
	accessRules = append(accessRules, rules...)
	return true
}

// everyone and signedIn are shorthands for common rows.
const (
	everyone  = "anon:Y admin:Y coordinator:Y organiser:Y facilitator:Y member:Y supervisor:Y trainer:Y"
	signedIn  = "anon:L admin:Y coordinator:Y organiser:Y facilitator:Y member:Y supervisor:Y trainer:Y"
	adminOnly = "anon:L admin:Y coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"
)

var placeholderRE = regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)

// expand fills a path's placeholders from one half of the fixture.
func expand(t *testing.T, f *fixture, s string, in bool) string {
	ids := f.Out
	if in {
		ids = f.In
	}
	return placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
		name := placeholderRE.FindStringSubmatch(m)[1]
		if name == "token" {
			return "not-a-real-token"
		}
		v, ok := ids[name]
		if !ok {
			t.Fatalf("the fixture has no %q: add it in a fixtureStep", name)
		}
		return id(v)
	})
}

// outcome classifies a response as Y, N or L.
func outcome(res *response) string {
	loc := res.Header.Get("Location")
	switch {
	case res.StatusCode == http.StatusUnauthorized, strings.HasPrefix(loc, "/signin?next="):
		return "L"
	case res.StatusCode == http.StatusForbidden, res.StatusCode == http.StatusNotFound:
		return "N"
	case res.StatusCode >= 500:
		return fmt.Sprintf("status %d", res.StatusCode)
	}
	return "Y"
}

// parseExpect turns "role:YN ..." into role → [in, out].
func parseExpect(t *testing.T, pattern, s string) map[string][2]string {
	out := map[string][2]string{}
	for _, part := range strings.Fields(s) {
		role, want, ok := strings.Cut(part, ":")
		if !ok || (len(want) != 1 && len(want) != 2) || strings.Trim(want, "YNL") != "" {
			t.Fatalf("%s: bad expectation %q", pattern, part)
		}
		if len(want) == 1 {
			want += want
		}
		out[role] = [2]string{want[:1], want[1:]}
	}
	for _, r := range testRoles {
		if _, ok := out[r]; !ok {
			t.Fatalf("%s: no expectation for role %s", pattern, r)
		}
	}
	return out
}

// TestAccessMatrix walks every route × every role × in scope and out of
// scope, and fails when a route is missing from the matrix or a rule names
// a route that does not exist.
func TestAccessMatrix(t *testing.T) {
	shared := newEnv(t)
	routes := map[string]bool{}
	for _, r := range shared.Web.Routes() {
		routes[r.Pattern] = true
	}
	ruled := map[string]bool{}
	for _, rule := range accessRules {
		if ruled[rule.Pattern] {
			t.Errorf("two rules for %s", rule.Pattern)
		}
		ruled[rule.Pattern] = true
		if !routes[rule.Pattern] {
			t.Errorf("rule for %s, which is not a route", rule.Pattern)
		}
	}
	var missing []string
	for p := range routes {
		if !ruled[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	for _, p := range missing {
		t.Errorf("route %s is not in the access matrix: add a rule in a matrix_*_test.go file", p)
	}

	clients := map[string]*client{}
	for _, role := range testRoles {
		clients[role] = shared.as(role)
	}
	// Every route as every role also checks that no page changes the
	// organisation tree the store shares between requests.
	defer treeUnchanged(t, shared)()
	for _, rule := range accessRules {
		method, pattern, _ := strings.Cut(rule.Pattern, " ")
		want := parseExpect(t, rule.Pattern, rule.Expect)
		for _, role := range testRoles {
			for half, in := range []bool{true, false} {
				path := rule.Path
				if path == "" {
					path = strings.ReplaceAll(pattern, "{$}", "")
				}
				path = expand(t, shared.fixture, path, in)
				expected := want[role][half]
				c := clients[role]
				// An allowed write gets its own copy of the database, so it
				// cannot disturb the checks after it.
				if method == http.MethodPost && expected == "Y" {
					c = newEnv(t).as(role)
				}
				var res *response
				switch method {
				case http.MethodGet:
					res = c.get(path)
				case http.MethodPost:
					form := url.Values{}
					for k, vs := range rule.Form {
						for _, v := range vs {
							form.Add(k, expand(t, shared.fixture, v, in))
						}
					}
					res = c.post(path, form)
				default:
					t.Fatalf("%s: method %s not handled by the test", rule.Pattern, method)
				}
				if got := outcome(res); got != expected {
					scope := map[bool]string{true: "in scope", false: "out of scope"}[in]
					t.Errorf("%s as %s %s (%s): got %s (status %d), want %s", rule.Pattern, role, scope, path, got, res.StatusCode, expected)
				}
			}
		}
	}
}

// treeUnchanged copies the store's shared organisation tree and returns a
// check that it is still the same: a page that changed the tree it was
// given would change it for every request after it (sqlstore's Tree).
func treeUnchanged(t *testing.T, e *env) func() {
	t.Helper()
	ctx := context.Background()
	tree, err := e.Store.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := &peercircle.Tree{Organisation: tree.Organisation, Regions: slices.Clone(tree.Regions), Areas: slices.Clone(tree.Areas), Sites: slices.Clone(tree.Sites)}
	return func() {
		t.Helper()
		after, err := e.Store.Tree(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after != tree {
			t.Errorf("the store handed out another tree: the organisation changed, or Tree copies again")
		}
		if !reflect.DeepEqual(after, before) {
			t.Errorf("a page changed the shared organisation tree:\nbefore %+v\nafter  %+v", before, after)
		}
	}
}
