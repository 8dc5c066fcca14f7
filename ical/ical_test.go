package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
)

// TestFeedParsesBackWithAnIndependentParser encodes meetings and reads
// them back with emersion/go-ical: UIDs, sequences, statuses, UTC times,
// and text with the characters RFC 5545 escapes, in Arabic, folded.
func TestFeedParsesBackWithAnIndependentParser(t *testing.T) {
	amman, _ := time.LoadLocation("Asia/Amman")
	start := time.Date(2026, 1, 13, 14, 0, 0, 0, amman)
	long := strings.Repeat("مجموعة دعم الأقران للعاملين في مركز صحي جبل النزهة، ", 4)
	c := &Calendar{Name: "PeerCircle: Nuzha, staff group", Refresh: 6 * time.Hour, Events: []Event{
		{UID: "session-1@peercircle", Sequence: 0, Stamp: start.Add(-72 * time.Hour), Start: start, End: start.Add(2 * time.Hour),
			Summary: long, Location: "Training room; 2nd floor, door B\\left", Description: "Line one\nLine two", URL: "https://pc.example/groups/1"},
		{UID: "session-2@peercircle", Sequence: 3, Stamp: start, Start: start.AddDate(0, 0, 14), End: start.AddDate(0, 0, 14).Add(2 * time.Hour),
			Summary: "Staff group", Status: StatusCancelled},
	}}
	var buf bytes.Buffer
	if err := c.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets", i+1, len(l))
		}
	}
	if strings.Contains(strings.ReplaceAll(buf.String(), "\r\n", ""), "\n") {
		t.Error("a bare LF in the output")
	}
	cal, err := goical.NewDecoder(&buf).Decode()
	if err != nil {
		t.Fatalf("the independent parser refused the feed: %v\n%s", err, buf.String())
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	for i, want := range c.Events {
		e := evs[i]
		if uid, _ := e.Props.Get(goical.PropUID).Text(); uid != want.UID {
			t.Errorf("UID %q, want %q", uid, want.UID)
		}
		if seq := e.Props.Get(goical.PropSequence).Value; seq != map[int]string{0: "0", 1: "3"}[i] {
			t.Errorf("SEQUENCE %q", seq)
		}
		st, err := e.DateTimeStart(nil)
		if err != nil || !st.Equal(want.Start) {
			t.Errorf("DTSTART %v (%v), want %v", st, err, want.Start)
		}
		if sum, _ := e.Props.Get(goical.PropSummary).Text(); sum != want.Summary {
			t.Errorf("SUMMARY %q, want %q", sum, want.Summary)
		}
		status, _ := e.Status()
		wantStatus := goical.EventConfirmed
		if want.Status == StatusCancelled {
			wantStatus = goical.EventCancelled
		}
		if status != wantStatus {
			t.Errorf("STATUS %q, want %q", status, wantStatus)
		}
	}
	if loc, _ := evs[0].Props.Get(goical.PropLocation).Text(); loc != c.Events[0].Location {
		t.Errorf("LOCATION %q", loc)
	}
	if d, _ := evs[0].Props.Get(goical.PropDescription).Text(); d != "Line one\nLine two" {
		t.Errorf("DESCRIPTION %q", d)
	}
	if name := cal.Props.Get("X-WR-CALNAME"); name == nil || name.Value != `PeerCircle: Nuzha\, staff group` {
		t.Errorf("X-WR-CALNAME %+v", name)
	}
}

func FuzzEncodeParsesBack(f *testing.F) {
	f.Add("Staff group", "Room 2; door B", "a\nb")
	f.Add("مجموعة الأمل, الثلاثاء", `back\slash`, "")
	f.Fuzz(func(t *testing.T, summary, location, desc string) {
		if !utf8Valid(summary + location + desc) {
			return
		}
		c := &Calendar{Events: []Event{{UID: "x@y", Start: time.Unix(1e9, 0), End: time.Unix(1e9+3600, 0), Stamp: time.Unix(1e9, 0),
			Summary: summary, Location: location, Description: desc}}}
		var buf bytes.Buffer
		if err := c.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		cal, err := goical.NewDecoder(&buf).Decode()
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		got, _ := cal.Events()[0].Props.Get(goical.PropSummary).Text()
		want := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(summary)
		if got != want {
			t.Fatalf("summary %q came back as %q", want, got)
		}
	})
}

func utf8Valid(s string) bool {
	for _, r := range s {
		if r == 0xFFFD || (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}
