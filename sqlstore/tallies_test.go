package sqlstore

import (
	"testing"

	"github.com/peercircle/peercircle"
)

// A merged list of tallies is kept with the roll-up it belongs to, so it
// holds its tallies, not the room made for every tally merged into it.
func TestMergedTalliesHoldNoSpareRoom(t *testing.T) {
	groups := make([][]peercircle.Tally, 300)
	n := 0
	for i := range groups {
		groups[i] = []peercircle.Tally{{Key: "burnout", Count: 1}, {Key: "grief", Count: 2}, {Key: "shifts", Count: i}}
		n += len(groups[i])
	}
	m := newTallies(n)
	for _, g := range groups {
		m.add(g)
	}
	out := m.list()
	if len(out) != 3 || out[0].Count+out[1].Count+out[2].Count != 300+600+299*300/2 {
		t.Fatalf("merged %v, want three tallies summing every group's", out)
	}
	if cap(out) > 2*len(out)+smallTallies {
		t.Fatalf("the list of %d tallies keeps room for %d", len(out), cap(out))
	}
	// A list without spare room is returned as it is.
	few := newTallies(2)
	few.add(groups[0][:2])
	if got := few.list(); cap(got) != 2 {
		t.Fatalf("a full list of 2 was copied or grown: cap %d", cap(got))
	}
}
