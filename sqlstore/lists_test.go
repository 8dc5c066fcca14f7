package sqlstore

import (
	"slices"
	"strings"
	"testing"
)

// Lists of any length make a handful of statements: a list is padded with
// its last argument to a power of two, at least four, in a slice of its
// own (the caller's list, and what follows it, are left as they were).
func TestListsOfAnyLengthMakeAHandfulOfStatements(t *testing.T) {
	lengths := map[int]bool{}
	for n := 1; n <= 600; n++ {
		all := make([]any, n+1)
		for i := range all {
			all[i] = i + 1
		}
		in, args := padList(all[:n])
		k := strings.Count(in, "?")
		if k != len(args) || k < 4 || k&(k-1) != 0 || k >= 2*max(n, 4) {
			t.Fatalf("a list of %d: %d placeholders, %d arguments", n, k, len(args))
		}
		if !slices.Equal(args[:n], all[:n]) || slices.ContainsFunc(args[n:], func(a any) bool { return a != n }) {
			t.Fatalf("a list of %d padded as %v", n, args)
		}
		if all[n] != n+1 {
			t.Fatalf("a list of %d wrote over what follows it in the caller's slice: %v", n, all[n])
		}
		lengths[k] = true
	}
	if len(lengths) > 9 {
		t.Errorf("lists of 1 to 600 make %d different statements", len(lengths))
	}
	if in, args := padList(nil); in != "" || len(args) != 0 {
		t.Errorf("an empty list: %q, %v", in, args)
	}
	for _, n := range []int{0, 1, 5, 100} {
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = int64(10 * (i + 1))
		}
		in, args := inIDs(ids)
		if want := map[int]int{0: 0, 1: 4, 5: 8, 100: 128}[n]; len(args) != want || strings.Count(in, "?") != want {
			t.Errorf("ids of %d: %d arguments, %q", n, len(args), in)
			continue
		}
		for i, a := range args {
			if want := ids[min(i, n-1)]; a != want {
				t.Errorf("ids of %d: argument %d is %v, want %d", n, i, a, want)
			}
		}
	}
}
