package guard

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The evaluation set (testdata/eval): sentences written for the purpose, in
// English, Arabic and some French, each with the names and identifiers it
// holds marked, and a registered-member list. dev.tsv is the half the guard
// is tuned on; test.tsv is the other half, kept to check that what was
// learnt generalises. fresh.tsv, fresh2.tsv, fresh3.tsv and fresh4.tsv were
// written later, each measured once before the guard was changed for it;
// fresh2 to fresh4 have their own groups (freshN.members.txt). `go test ./guard -run Eval -v` prints recall
// and the false-flag rate per category for every part.

// evalSpan is a marked span of an evaluation sentence, in characters.
type evalSpan struct {
	kind       string // KindName, KindPhone, KindEmail or KindNumber
	start, end int
}

// evalSentence is one line of the evaluation set.
type evalSentence struct {
	line     int
	category string
	lang     string
	text     string
	spans    []evalSpan
}

// evalMarks maps the mark before the colon to the kind it stands for.
var evalMarks = map[string]string{"p": KindPhone, "e": KindEmail, "n": KindNumber}

// parseEvalLine reads "category<TAB>lang<TAB>sentence with {marks}".
func parseEvalLine(line string) (evalSentence, error) {
	cat, rest, ok1 := strings.Cut(line, "\t")
	lang, marked, ok2 := strings.Cut(rest, "\t")
	if !ok1 || !ok2 || cat == "" || lang == "" {
		return evalSentence{}, fmt.Errorf("want category<TAB>lang<TAB>sentence")
	}
	s := evalSentence{category: cat, lang: lang}
	var out []rune
	rs := []rune(marked)
	for i := 0; i < len(rs); i++ {
		if rs[i] == '}' {
			return s, fmt.Errorf("unbalanced }")
		}
		if rs[i] != '{' {
			out = append(out, rs[i])
			continue
		}
		j := i + 1
		for j < len(rs) && rs[j] != '}' && rs[j] != '{' {
			j++
		}
		if j == len(rs) || rs[j] != '}' {
			return s, fmt.Errorf("unbalanced {")
		}
		inner := string(rs[i+1 : j])
		kind := KindName
		if mark, text, ok := strings.Cut(inner, ":"); ok && evalMarks[mark] != "" {
			kind, inner = evalMarks[mark], text
		}
		if strings.TrimSpace(inner) == "" {
			return s, fmt.Errorf("empty mark")
		}
		start := len(out)
		out = append(out, []rune(inner)...)
		s.spans = append(s.spans, evalSpan{kind, start, len(out)})
		i = j
	}
	s.text = string(out)
	return s, nil
}

func readEval(t testing.TB, name string) []evalSentence {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "eval", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []evalSentence
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := parseEvalLine(line)
		if err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		s.line = n
		positive := !strings.HasPrefix(s.category, "clean-")
		if positive != (len(s.spans) > 0) {
			t.Fatalf("%s:%d: a %s sentence must %s marks", name, n, s.category, map[bool]string{true: "have", false: "have no"}[positive])
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// evalMembers reads the registered members of a part of the set: its own
// list (fresh2.members.txt for fresh2.tsv) when it has one, or members.txt.
func evalMembers(t testing.TB, part string) []string {
	t.Helper()
	name := strings.TrimSuffix(part, ".tsv") + ".members.txt"
	if _, err := os.Stat(filepath.Join("testdata", "eval", name)); err != nil {
		name = "members.txt"
	}
	b, err := os.ReadFile(filepath.Join("testdata", "eval", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// evalScore is the figures of one category.
type evalScore struct {
	spans, found         int // marked spans, and those found with their kind
	sentences, flagged   int // sentences, and those with a false flag
	missed, falseFlagged []string
}

func (s *evalScore) recall() float64 {
	if s.spans == 0 {
		return 1
	}
	return float64(s.found) / float64(s.spans)
}

func (s *evalScore) falseRate() float64 {
	if s.sentences == 0 {
		return 0
	}
	return float64(s.flagged) / float64(s.sentences)
}

// sameKind reports whether a finding of kind got answers a mark of kind
// want. A phone number marked as an ID (or the other way round) is still
// found, since the writer removes it all the same; names and e-mail
// addresses must be found as such.
func sameKind(want, got string) bool {
	if want == got {
		return true
	}
	digits := func(k string) bool { return k == KindPhone || k == KindNumber }
	return digits(want) && digits(got)
}

// evaluate runs g over the sentences and scores them per category, with
// "all" for the whole set.
func evaluate(g *Guard, set []evalSentence) map[string]*evalScore {
	scores := map[string]*evalScore{"all": {}}
	for _, s := range set {
		fs := g.Check(s.text)
		sc := scores[s.category]
		if sc == nil {
			sc = &evalScore{}
			scores[s.category] = sc
		}
		for _, x := range []*evalScore{sc, scores["all"]} {
			x.sentences++
			x.spans += len(s.spans)
		}
		for _, sp := range s.spans {
			hit := false
			for _, f := range fs {
				hit = hit || (f.Start < sp.end && sp.start < f.End && sameKind(sp.kind, f.Kind))
			}
			if hit {
				sc.found++
				scores["all"].found++
			} else {
				sc.missed = append(sc.missed, fmt.Sprintf("%d: %s %q in %q", s.line, sp.kind, string([]rune(s.text)[sp.start:sp.end]), s.text))
			}
		}
		var wrong []string
		for _, f := range fs {
			over := false
			for _, sp := range s.spans {
				over = over || (f.Start < sp.end && sp.start < f.End)
			}
			if !over {
				wrong = append(wrong, fmt.Sprintf("%s %q (%s %s)", f.Kind, f.Text, f.Reason, f.Cue))
			}
		}
		if len(wrong) > 0 {
			sc.flagged++
			scores["all"].flagged++
			sc.falseFlagged = append(sc.falseFlagged, fmt.Sprintf("%d: %s in %q", s.line, strings.Join(wrong, ", "), s.text))
		}
	}
	return scores
}

// evalFloor is what the guard must keep doing on the evaluation set:
// the least recall and the most false-flag rate per category. They are
// regression thresholds, set a little under the figures measured when they
// were last raised (docs/sessions.md has the figures).
type evalFloor struct{ recall, falseRate float64 }

var evalFloors = map[string]map[string]evalFloor{
	"dev.tsv": {
		"listed":       {1, 0},
		"spelling":     {0.95, 0.05},
		"unlisted":     {0.95, 0.05},
		"phone":        {0.95, 0.1},
		"email":        {0.95, 0.1},
		"id":           {0.9, 0.1},
		"clean-number": {1, 0.05},
		"clean-word":   {1, 0.1},
		"clean-text":   {1, 0.05},
		"all":          {0.95, 0.03},
	},
	"test.tsv": {
		"listed":       {1, 0},
		"spelling":     {0.95, 0.05},
		"unlisted":     {0.95, 0.05},
		"phone":        {0.95, 0.1},
		"email":        {0.95, 0.1},
		"id":           {0.9, 0.1},
		"clean-number": {1, 0.05},
		"clean-word":   {1, 0.1},
		"clean-text":   {1, 0.05},
		"all":          {0.95, 0.03},
	},
	"fresh2.tsv": {
		"listed":       {1, 0},
		"spelling":     {0.95, 0.05},
		"unlisted":     {0.95, 0.05},
		"phone":        {0.95, 0.1},
		"email":        {0.95, 0.1},
		"id":           {0.9, 0.1},
		"clean-number": {1, 0.05},
		"clean-word":   {1, 0.1},
		"clean-text":   {1, 0.05},
		"all":          {0.95, 0.03},
	},
	// fresh3: first measured at spelling 0.988, unlisted 0.926, 11 of 346
	// sentences falsely flagged (docs/sessions.md); these floors hold what
	// the rules added after it reach.
	"fresh3.tsv": {
		"listed":       {1, 0},
		"spelling":     {0.95, 0.05},
		"unlisted":     {0.95, 0.05},
		"phone":        {0.95, 0.1},
		"email":        {0.95, 0.1},
		"id":           {0.9, 0.1},
		"clean-number": {1, 0.05},
		"clean-word":   {1, 0.05},
		"clean-text":   {1, 0.05},
		"all":          {0.97, 0.02},
	},
	// fresh4: first measured at spelling 0.974, unlisted 0.909, 1 of 130
	// sentences falsely flagged; these floors hold what the rules after it
	// reach.
	"fresh4.tsv": {
		"listed":       {1, 0},
		"spelling":     {0.97, 0.03},
		"unlisted":     {0.95, 0.03},
		"phone":        {1, 0},
		"email":        {1, 0},
		"id":           {1, 0},
		"clean-number": {1, 0},
		"clean-word":   {1, 0.05},
		"clean-text":   {1, 0},
		"all":          {0.97, 0.02},
	},
	"fresh.tsv": {
		"spelling":     {0.95, 0.05},
		"unlisted":     {0.95, 0.05},
		"phone":        {0.95, 0.1},
		"email":        {0.95, 0.1},
		"id":           {0.9, 0.1},
		"clean-number": {1, 0.05},
		"clean-word":   {1, 0.1},
		"clean-text":   {1, 0.05},
		"all":          {0.95, 0.03},
	},
}

// TestEval prints the figures of the guard on both halves of the
// evaluation set and holds them to their floors. With -v it lists what was
// missed and what was flagged wrongly in the development half.
func TestEval(t *testing.T) {
	for _, file := range []string{"dev.tsv", "test.tsv", "fresh.tsv", "fresh2.tsv", "fresh3.tsv", "fresh4.tsv"} {
		t.Run(strings.TrimSuffix(file, ".tsv"), func(t *testing.T) {
			scores := evaluate(New(evalMembers(t, file)), readEval(t, file))
			var cats []string
			for c := range scores {
				cats = append(cats, c)
			}
			sort.Slice(cats, func(i, j int) bool {
				if (cats[i] == "all") != (cats[j] == "all") {
					return cats[j] == "all"
				}
				return cats[i] < cats[j]
			})
			t.Logf("%-13s %9s %7s %10s %12s", "category", "sentences", "spans", "recall", "false flags")
			for _, c := range cats {
				s := scores[c]
				t.Logf("%-13s %9d %7d %10.3f %6d (%.3f)", c, s.sentences, s.spans, s.recall(), s.flagged, s.falseRate())
			}
			if file != "test.tsv" && testing.Verbose() {
				for _, c := range cats {
					for _, m := range scores[c].missed {
						t.Logf("missed  %s: %s", c, m)
					}
					for _, m := range scores[c].falseFlagged {
						t.Logf("flagged %s: %s", c, m)
					}
				}
			}
			for c, fl := range evalFloors[file] {
				s := scores[c]
				if s == nil {
					t.Errorf("category %s is missing from %s", c, file)
					continue
				}
				if s.recall() < fl.recall {
					t.Errorf("%s: recall %.3f is under its floor %.3f", c, s.recall(), fl.recall)
				}
				if s.falseRate() > fl.falseRate {
					t.Errorf("%s: false-flag rate %.3f is over its ceiling %.3f", c, s.falseRate(), fl.falseRate)
				}
			}
		})
	}
}

func TestEvalMarkup(t *testing.T) {
	s, err := parseEvalLine("unlisted\tar\tقال {أحمد} رقمه {p:079 1} و{e:a@b.co}")
	if err != nil {
		t.Fatal(err)
	}
	want := []evalSpan{{KindName, 4, 8}, {KindPhone, 14, 19}, {KindEmail, 21, 27}}
	if fmt.Sprint(s.spans) != fmt.Sprint(want) || s.text != "قال أحمد رقمه 079 1 وa@b.co" {
		t.Fatalf("parsed %q %v", s.text, s.spans)
	}
	for _, bad := range []string{"x\ty", "x\ty\t{open", "x\ty\tclose}", "x\ty\t{}", "x\ty\t{a{b}}"} {
		if _, err := parseEvalLine(bad); err == nil {
			t.Errorf("%q parsed without error", bad)
		}
	}
}
