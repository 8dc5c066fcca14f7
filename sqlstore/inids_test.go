package sqlstore

import (
	"strings"
	"testing"
)

func TestInIDsMakesAFewQueriesForListsOfAnyLength(t *testing.T) {
	texts := map[string]bool{}
	for n := 1; n <= 100; n++ {
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		in, args := inIDs(ids)
		if strings.Count(in, "?") != len(args) || len(args) < n || len(args) < 4 {
			t.Fatalf("%d ids: %q with %d arguments", n, in, len(args))
		}
		for i, a := range args {
			want := int64(min(i+1, n)) // padded with the last id
			if a.(int64) != want {
				t.Fatalf("%d ids: argument %d is %v, want %d", n, i, a, want)
			}
		}
		texts[in] = true
	}
	if len(texts) != 6 { // 4, 8, 16, 32, 64, 128
		t.Fatalf("%d distinct lists for 1 to 100 ids", len(texts))
	}
}
