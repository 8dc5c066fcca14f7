package peercircle

// How a person is named to whom: the one rule.
//
// A person has up to three names: the full name the organisation knows them
// by, the name they chose to be shown (Person.DisplayName), and a name they
// chose for one group (Membership.DisplayName). 001 says people decide the
// words used about them, so the chosen names win wherever they apply; and a
// name chosen for one group stays in that group, since it may be the only
// name its members know (a community group meeting under first names or a
// pseudonym). Every page, export, PDF and message names people through
// NameFor, so the same person reads the same to the same reader everywhere:
// the group page and Sheet 3 both say "هدى" for Huda Saleh, who chose it.

// Audience is who reads a name.
type Audience uint8

const (
	// InGroup is the group itself: its members and facilitators, and the
	// pages and records of its life (the group page, rota, meetings, the
	// live session, check-in, Sheet 2, messages about its meetings). People
	// are named as they chose for the group, else as they chose, else by
	// their full name.
	InGroup Audience = iota
	// InOrganisation is everyone beyond one group: Sheet 3 and roll-ups,
	// dashboards, exports and PDFs, buddies, supervision and training,
	// messages between staff, a greeting. People are named as they chose,
	// else by their full name; a name chosen for one group never leaves it.
	InOrganisation
	// OnRecord is where identity must be certain: account administration
	// (the people pages, invitations, grants) and audit trails. People are
	// named by their full name, which is unique enough to act on.
	OnRecord
)

// Names are the names a person has, as stored: the full name, the one
// they chose, and the one chosen for the group in question ("" outside a
// group). Stores that read names with a query fill it from the columns.
type Names struct {
	Full    string
	Chosen  string
	InGroup string
}

// For returns the name to show to a reader of audience a. It never returns
// "" for a person with a full name. An erased person's name is the erased
// marker, which pages and exports show as a label in the reader's language.
func (n Names) For(a Audience) string {
	switch a {
	case InGroup:
		if n.InGroup != "" {
			return n.InGroup
		}
		fallthrough
	case InOrganisation:
		if n.Chosen != "" {
			return n.Chosen
		}
	}
	return n.Full
}

// Names returns the person's names outside any group.
func (p *Person) Names() Names {
	return Names{Full: p.FullName, Chosen: p.DisplayName}
}

// NameFor names the person to a reader outside any one group (see
// Audience); InGroup without a membership is the same as InOrganisation.
func (p *Person) NameFor(a Audience) string { return p.Names().For(a) }

// NameFor names a member to a reader of audience a: the name chosen for
// this group counts only InGroup.
func (m *Membership) NameFor(p *Person, a Audience) string {
	n := p.Names()
	n.InGroup = m.DisplayName
	return n.For(a)
}
