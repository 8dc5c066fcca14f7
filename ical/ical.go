// Package ical writes iCalendar (RFC 5545) feeds of meetings: one VEVENT
// per meeting with a stable UID, a SEQUENCE that grows with every visible
// change, STATUS:CANCELLED for meetings that will not happen, and times in
// UTC (the wall-clock time was fixed in the site's zone when the meeting
// was planned, so UTC loses nothing and needs no VTIMEZONE). Calendar
// clients that subscribe to the feed update and cancel events from it.
package ical

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event statuses.
const (
	StatusConfirmed = "CONFIRMED"
	StatusCancelled = "CANCELLED"
)

// Event is one meeting.
type Event struct {
	UID         string // stable for the life of the meeting
	Sequence    int
	Stamp       time.Time // when the event last changed
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	URL         string
	Status      string // StatusConfirmed or StatusCancelled
}

// Digest identifies what a calendar shows of the event: everything but
// its SEQUENCE and DTSTAMP. Two digests differ when a client would have to
// update the event (a new name, place, time, status or link).
func (e *Event) Digest() string {
	h := sha256.New()
	for _, f := range []string{e.UID, e.Start.UTC().Format(utcLayout), e.End.UTC().Format(utcLayout), e.Summary, e.Location, e.Description, e.URL, e.Status} {
		io.WriteString(h, f)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Calendar is a feed.
type Calendar struct {
	Name    string        // shown by clients as the calendar's name
	Refresh time.Duration // how often clients should fetch again
	Events  []Event
}

const utcLayout = "20060102T150405Z"

// Encode writes the calendar with CRLF line ends and lines folded at 75
// octets without splitting a character.
func (c *Calendar) Encode(w io.Writer) error {
	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//PeerCircle//Meetings//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("X-WR-CALNAME", escape(c.Name))
	}
	if c.Refresh > 0 {
		d := duration(c.Refresh)
		writeFolded(bw, "REFRESH-INTERVAL;VALUE=DURATION:"+d)
		line("X-PUBLISHED-TTL", d)
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", escape(e.UID))
		line("DTSTAMP", e.Stamp.UTC().Format(utcLayout))
		line("DTSTART", e.Start.UTC().Format(utcLayout))
		line("DTEND", e.End.UTC().Format(utcLayout))
		line("SEQUENCE", strconv.Itoa(e.Sequence))
		status := e.Status
		if status == "" {
			status = StatusConfirmed
		}
		line("STATUS", status)
		line("SUMMARY", escape(e.Summary))
		if e.Location != "" {
			line("LOCATION", escape(e.Location))
		}
		if e.Description != "" {
			line("DESCRIPTION", escape(e.Description))
		}
		if e.URL != "" {
			line("URL", e.URL)
		}
		line("TRANSP", "OPAQUE")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return bw.Flush()
}

// escape escapes TEXT values (RFC 5545 3.3.11).
func escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// writeFolded writes a content line, folding it at 75 octets: each
// continuation starts with a space (RFC 5545 3.1).
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}

func duration(d time.Duration) string {
	if h := int(d.Hours()); h > 0 && d == time.Duration(h)*time.Hour {
		return "PT" + strconv.Itoa(h) + "H"
	}
	return "PT" + strconv.Itoa(int(d.Minutes())) + "M"
}
