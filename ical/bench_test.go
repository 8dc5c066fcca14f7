package ical

import (
	"io"
	"strconv"
	"testing"
	"time"
)

// BenchmarkEncodeMemberFeed encodes a member's feed: two groups' meetings
// from a month back to the planning horizon (about 30 events), with Arabic
// names that need folding on character boundaries.
func BenchmarkEncodeMemberFeed(b *testing.B) {
	start := time.Date(2026, time.May, 12, 11, 0, 0, 0, time.UTC)
	cal := &Calendar{Name: "PeerCircle", Refresh: 6 * time.Hour}
	for i := range 30 {
		st := start.AddDate(0, 0, 7*i)
		e := Event{UID: "session-" + strconv.Itoa(1000+i) + "@peercircle", Sequence: i % 3, Stamp: st.AddDate(0, -1, 0),
			Start: st, End: st.Add(2 * time.Hour), Summary: "مجموعة دعم الأقران للعاملين في مركز صحي جبل النزهة",
			Location: "Training room, Jabal Al-Nuzha Health Centre, Amman", URL: "https://peercircle.example.org/groups/12",
			Status: StatusConfirmed}
		if i%7 == 3 {
			e.Status, e.Description = StatusCancelled, "Cancelled: public holiday"
		}
		cal.Events = append(cal.Events, e)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := cal.Encode(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
