package peercircle

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
