package peercircle

import (
	"context"
	"strings"
	"unicode/utf8"
)

// Agenda segment kinds. A template's segments (agenda_segments.kind) carry
// one of these, so the live session knows which panel a segment needs: the
// check-in round and the Circle of Emotions in the welcome, the agenda board
// in the case discussion or sharing, the closing round and feedback at the end.
const (
	SegmentWelcome = "welcome" // welcome, check-in, Circle of Emotions (000); welcome and purpose (001)
	SegmentTopic   = "topic"   // refreshing an assigned topic, or a speaker
	SegmentCases   = "cases"   // case discussion, sharing experience (000)
	SegmentSharing = "sharing" // sharing between members (001)
	SegmentBreak   = "break"   // a break with refreshments (001)
	SegmentClosing = "closing" // closing reflections and feedback; the closing round (001)
	SegmentOther   = "other"
)

// SegmentKinds lists the segment kinds in their usual order in a meeting.
var SegmentKinds = []string{SegmentWelcome, SegmentTopic, SegmentCases, SegmentSharing, SegmentBreak, SegmentClosing, SegmentOther}

// AgendaSegment is one timed part of a meeting's agenda. Name is a name the
// group typed; NameKey names a catalogue message for the shipped templates,
// so they read in each person's language.
type AgendaSegment struct {
	Kind    string
	Name    string
	NameKey string
	Minutes int
}

// StaffAgenda is the fixed two-hour agenda of a staff peer support group
// (000): the default when a group has no template of its own.
var StaffAgenda = []AgendaSegment{
	{Kind: SegmentWelcome, NameKey: "agenda.staff.welcome", Minutes: 30},
	{Kind: SegmentTopic, NameKey: "agenda.staff.topic", Minutes: 20},
	{Kind: SegmentCases, NameKey: "agenda.staff.cases", Minutes: 60},
	{Kind: SegmentClosing, NameKey: "agenda.staff.closing", Minutes: 10},
}

// Built-in templates, shipped in every database by migration: the
// staff-group agenda of 000 and a community-group agenda from 001.
const (
	TemplateStaffKey     = "agenda.template.staff"
	TemplateCommunityKey = "agenda.template.community"
)

// AgendaTemplate is a named agenda: segments with minutes. Built-in
// templates have no site and a NameKey (translated); sites add their own.
type AgendaTemplate struct {
	ID       int64
	SiteID   int64 // 0 for built-in templates every site may use
	Name     string
	NameKey  string
	Segments []AgendaSegment
}

// Minutes returns the template's total length.
func (t *AgendaTemplate) Minutes() int {
	n := 0
	for _, s := range t.Segments {
		n += s.Minutes
	}
	return n
}

// BuiltIn reports whether the template ships with PeerCircle.
func (t *AgendaTemplate) BuiltIn() bool { return t.SiteID == 0 }

// Validate checks a template: a name, one to twelve segments of 1-240
// minutes, twelve hours at most in all.
func (t *AgendaTemplate) Validate() error {
	f := FieldErrors{}
	t.Name = strings.TrimSpace(t.Name)
	if t.NameKey == "" {
		validateName(f, "name", t.Name)
	}
	if len(t.Segments) == 0 || len(t.Segments) > 12 {
		f.Add("segments", "agendas.error.segments")
	}
	for i := range t.Segments {
		s := &t.Segments[i]
		s.Name = strings.TrimSpace(s.Name)
		if !contains(SegmentKinds, s.Kind) {
			f.Add("segments", "error.choice")
		}
		if s.Name == "" && s.NameKey == "" {
			f.Add("segments", "agendas.error.segment_name")
		}
		if utf8.RuneCountInString(s.Name) > 120 {
			f.Add("segments", "error.too_long")
		}
		if s.Minutes < 1 || s.Minutes > 240 {
			f.Add("segments", "agendas.error.minutes")
		}
	}
	if t.Minutes() > int(MaxSessionLength.Minutes()) {
		f.Add("segments", "agendas.error.too_long_total")
	}
	return f.Err()
}

// AgendaService stores agenda templates. SaveTemplate creates (ID 0) or
// replaces a site's template and returns EINVALID when Validate fails and
// EFORBIDDEN for a built-in template. Templates lists the built-in ones
// and the site's own.
type AgendaService interface {
	SaveTemplate(ctx context.Context, t *AgendaTemplate) error
	Template(ctx context.Context, id int64) (*AgendaTemplate, error)
	Templates(ctx context.Context, siteID int64) ([]*AgendaTemplate, error)
}
