package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/guard"
)

func runMain(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestGuardCommand(t *testing.T) {
	dir := t.TempDir()
	names := filepath.Join(dir, "names.txt")
	if err := os.WriteFile(names, []byte("\uFEFFSara Khalil\r\n\n  هدى الزعبي  \n"), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("a text with a name and a phone prints both and exits 1", func(t *testing.T) {
		code, out, _ := runMain(t, "قالت للزعبي: call Sara on 079 123 4567\n", "guard", "--names", names)
		if code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
		var got []guard.Finding
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var f guard.Finding
			if err := json.Unmarshal([]byte(line), &f); err != nil {
				t.Fatalf("line %q is not JSON: %v", line, err)
			}
			got = append(got, f)
		}
		want := []guard.Finding{
			{Kind: "name", Text: "للزعبي", Start: 5, End: 11, Reason: guard.ReasonListed},
			{Kind: "name", Text: "Sara", Start: 18, End: 22, Reason: guard.ReasonListed},
			{Kind: "phone", Text: "079 123 4567", Start: 26, End: 38, Reason: guard.ReasonPhone},
		}
		if len(got) != len(want) {
			t.Fatalf("findings = %+v", got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("finding %d = %+v, want %+v", i, got[i], want[i])
			}
		}
		if !strings.Contains(out, `"kind":"name","text":"للزعبي","start":5,"end":11,"reason":"guard.reason.listed"}`) {
			t.Errorf("the JSON fields are not in the documented order: %s", out)
		}
	})

	t.Run("a clean text prints nothing and exits 0", func(t *testing.T) {
		code, out, _ := runMain(t, "We refreshed psychological first aid.", "guard", "--names", names)
		if code != 0 || out != "" {
			t.Fatalf("exit %d, output %q", code, out)
		}
	})

	t.Run("missing names flag is bad usage", func(t *testing.T) {
		code, _, errs := runMain(t, "Sara", "guard")
		if code != 2 || !strings.Contains(errs, "--names") {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
	})

	t.Run("an unreadable names file is bad usage", func(t *testing.T) {
		if code, _, _ := runMain(t, "Sara", "guard", "--names", filepath.Join(dir, "missing.txt")); code != 2 {
			t.Fatalf("exit %d", code)
		}
	})

	t.Run("extra arguments are bad usage", func(t *testing.T) {
		if code, _, _ := runMain(t, "Sara", "guard", "--names", names, "note.txt"); code != 2 {
			t.Fatalf("exit %d", code)
		}
	})

	t.Run("an unknown flag is bad usage", func(t *testing.T) {
		if code, _, _ := runMain(t, "Sara", "guard", "--names", names, "--strict"); code != 2 {
			t.Fatalf("exit %d", code)
		}
	})
}
