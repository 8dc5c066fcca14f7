package peercircle

import (
	"context"
	"strings"
	"time"
)

// Who may change which field of which person (issue 10, item 1; written
// out for people in docs/privacy.md). The sign-in identity of an account
// (its username and e-mail: a password-reset link goes to the e-mail) is
// what an attacker needs to take the account over, so it is guarded more
// than the names:
//
//   - The owner changes their display name and language at once, and
//     their own e-mail only by re-entering their password; the old address
//     is told, with a link to undo the change.
//   - The owner's full name (what the organisation knows them by) is
//     changed by the people who manage them: admins, and the organisers of
//     the person's home site.
//   - A manager changes the username or e-mail of another person only when
//     every role that person holds is one the manager holds over the same
//     scope (admins hold every role everywhere; a site's organisers count
//     as holding the member role in their site's groups, since they run
//     those memberships). A facilitator, a coordinator, a supervisor or an
//     admin is therefore out of an organiser's reach.
//   - Even then, the e-mail of an account that has signed up (has a
//     password) changes only when its owner confirms the proposal.
//   - Only admins change a person's status.
//   - Any change of username or e-mail ends the account's other sessions
//     and voids its password-reset and invitation links.

// Person fields, for the field-level rules.
const (
	FieldFullName    = "full_name"
	FieldDisplayName = "display_name"
	FieldLang        = "lang"
	FieldUsername    = "username"
	FieldEmail       = "email"
	FieldStatus      = "status"
)

// PersonFields lists every field the rules cover.
var PersonFields = []string{FieldFullName, FieldDisplayName, FieldLang, FieldUsername, FieldEmail, FieldStatus}

// Edit says how a change to one field of a person may be made.
type Edit int

// The ways a field may change.
const (
	EditRefused      Edit = iota // not by this person
	EditDirect                   // saved at once
	EditWithPassword             // the owner, re-entering their password
	EditProposal                 // a proposal that takes effect when the owner confirms it
)

func (e Edit) String() string {
	return [...]string{"refused", "direct", "with_password", "proposal"}[e]
}

// PersonTarget is what the field rules need to know about the person being
// changed: who they are, where they belong and every role they hold.
// Grant scopes are completed upwards by the caller where it can
// (GrantScope); an incomplete scope only ever refuses more.
type PersonTarget struct {
	PersonID   int64
	Status     string
	Home       Scope // scope of the home site; zero when none
	Grants     []Grant
	GroupRoles []GroupRole
}

// GrantScope returns the scope a grant applies to, completed upwards from
// the tree: a site grant names its area and region too.
func (t *Tree) GrantScope(g Grant) Scope {
	switch g.ScopeKind {
	case ScopeSite:
		if sc, ok := t.SiteScope(g.ScopeID); ok {
			return sc
		}
		return Scope{SiteID: g.ScopeID}
	case ScopeArea:
		for _, a := range t.Areas {
			if a.ID == g.ScopeID {
				return Scope{RegionID: a.RegionID, AreaID: a.ID}
			}
		}
		return Scope{AreaID: g.ScopeID}
	case ScopeRegion:
		return Scope{RegionID: g.ScopeID}
	case ScopeGroup:
		return Scope{GroupID: g.ScopeID}
	}
	return Scope{}
}

// managesPerson reports whether p manages the target: admins everyone,
// organisers the people whose home site they organise.
func (p *Principal) managesPerson(t PersonTarget) bool {
	return p.holds(RoleAdmin, Scope{}) || (t.Home.SiteID != 0 && p.holds(RoleOrganiser, t.Home))
}

// coversRoles reports whether p holds, over the same scope, every role the
// target holds: only then may p touch the target's sign-in identity.
// Grants are compared exactly: holding a role at a wider scope covers a
// narrower one (a region's coordinator covers an area's), never the other
// way, and no role stands in for another.
func (p *Principal) coversRoles(t PersonTarget, tree *Tree) bool {
	if p.holds(RoleAdmin, Scope{}) {
		return true
	}
	for _, g := range t.Grants {
		if tree == nil {
			tree = &Tree{}
		}
		sc := tree.GrantScope(g)
		if g.ScopeKind == ScopeOrganisation {
			// Only an organisation-wide grant covers an organisation-wide one.
			if !p.holdsAtOrganisation(g.Role) {
				return false
			}
			continue
		}
		if !p.holds(g.Role, sc) {
			return false
		}
	}
	for _, gr := range t.GroupRoles {
		sc := Scope{GroupID: gr.GroupID, SiteID: gr.SiteID}
		if p.inGroup(sc, gr.Role) {
			continue
		}
		if gr.Role == RoleMember && gr.SiteID != 0 && p.holds(RoleOrganiser, Scope{SiteID: gr.SiteID}) {
			continue
		}
		return false
	}
	return true
}

func (p *Principal) holdsAtOrganisation(role string) bool {
	for _, g := range p.Grants {
		if g.Role == role && g.ScopeKind == ScopeOrganisation {
			return true
		}
	}
	return false
}

// PersonEdit says how p may change one field of the target person. It is
// the field-level half of the policy (Can is the record-level half); the
// web access-matrix tests hold every field to it.
func PersonEdit(p *Principal, t PersonTarget, field string, tree *Tree) Edit {
	if p == nil || p.PersonID == 0 || t.PersonID == 0 {
		return EditRefused
	}
	self := p.PersonID == t.PersonID
	manager := p.managesPerson(t)
	admin := p.holds(RoleAdmin, Scope{})
	switch field {
	case FieldDisplayName:
		if self || manager {
			return EditDirect
		}
	case FieldLang:
		if self {
			return EditDirect
		}
	case FieldFullName:
		if manager {
			return EditDirect
		}
	case FieldStatus:
		if admin && !self {
			return EditDirect
		}
	case FieldEmail:
		if self {
			if t.Status == PersonActive {
				return EditWithPassword
			}
			return EditRefused
		}
		if manager && p.coversRoles(t, tree) {
			if t.Status == PersonInvited || t.Status == PersonNoLogin {
				// Nobody has signed in to it yet: there is no owner to ask.
				return EditDirect
			}
			return EditProposal
		}
	case FieldUsername:
		if !self && manager && p.coversRoles(t, tree) {
			return EditDirect
		}
	}
	return EditRefused
}

// PersonChange is what saving a person's form amounts to under the field
// rules: the record to save (with refused and proposed fields left as
// they were) and the e-mail to propose to the owner, if any.
type PersonChange struct {
	Person        *Person
	ProposedEmail string
	// Identity reports that the username or e-mail changes now, which ends
	// the account's other sessions and voids its links.
	Identity bool
}

// PlanPersonChange applies the field rules to a form's values: next holds
// the values asked for in every field the form sent (fields it did not
// send are absent). A field whose value changes but which p may not change
// refuses the whole form (EINVALID with "people.field_refused" on that
// field): nothing is saved. An owner's e-mail is refused here too, since
// it needs the password (ChangeOwnEmail).
func PlanPersonChange(p *Principal, t PersonTarget, tree *Tree, old *Person, next map[string]string) (*PersonChange, error) {
	cur := *old
	ch := &PersonChange{Person: &cur}
	f := FieldErrors{}
	for _, field := range PersonFields {
		v, sent := next[field]
		if !sent {
			continue
		}
		was := fieldValue(old, field)
		if field == FieldUsername || field == FieldEmail {
			v = NormaliseLogin(v)
		}
		if field == FieldFullName || field == FieldDisplayName {
			if strings.TrimSpace(v) == was {
				continue
			}
		}
		if v == was {
			continue
		}
		switch PersonEdit(p, t, field, tree) {
		case EditDirect:
			setField(&cur, field, v)
			if field == FieldUsername || field == FieldEmail {
				ch.Identity = true
			}
		case EditProposal:
			ch.ProposedEmail = v
		default:
			f.Add(field, "people.field_refused")
		}
	}
	if len(f) > 0 {
		return nil, &Error{Code: EINVALID, Key: "people.field_refused", Fields: f, Message: "field refused"}
	}
	if ch.ProposedEmail != "" {
		probe := Person{FullName: "x", Email: ch.ProposedEmail, Status: PersonActive}
		if err := probe.Validate(); err != nil {
			return nil, err
		}
	}
	return ch, nil
}

func fieldValue(p *Person, field string) string {
	switch field {
	case FieldFullName:
		return p.FullName
	case FieldDisplayName:
		return p.DisplayName
	case FieldLang:
		return p.Lang
	case FieldUsername:
		return p.Username
	case FieldEmail:
		return p.Email
	case FieldStatus:
		return p.Status
	}
	return ""
}

func setField(p *Person, field, v string) {
	switch field {
	case FieldFullName:
		p.FullName = v
	case FieldDisplayName:
		p.DisplayName = v
	case FieldLang:
		p.Lang = v
	case FieldUsername:
		p.Username = v
	case FieldEmail:
		p.Email = v
	case FieldStatus:
		p.Status = v
	}
}

// EmailChangeValid is how long an e-mail proposal waits for the owner, and
// how long the old address can undo an owner's own change.
const EmailChangeValid = 14 * 24 * time.Hour

// EmailChange is a proposed new e-mail for a person, waiting for the owner
// to confirm it.
type EmailChange struct {
	ID         int64
	PersonID   int64
	OldEmail   string
	NewEmail   string
	ProposedBy int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// IdentityService changes sign-in identities under the field rules above.
// Every change of e-mail ends the account's other sessions (all of them
// when keepSession is "") and voids its reset and invitation links.
//
// ProposeEmail returns EINVALID for a bad address and ECONFLICT when the
// address is taken; it replaces any earlier proposal and tells the owner
// in the app. PendingEmail returns ENOTFOUND when nothing waits.
// ChangeOwnEmail returns EINVALID with field "current_password" when the
// password is wrong; it returns a single-use token for the old address to
// undo the change. UndoEmail returns EINVALID "auth.link_expired" for an
// unknown, used or expired token.
type IdentityService interface {
	ProposeEmail(ctx context.Context, personID, by int64, email string) (*EmailChange, error)
	PendingEmail(ctx context.Context, personID int64) (*EmailChange, error)
	ConfirmEmail(ctx context.Context, personID, changeID int64, keepSession string) error
	DeclineEmail(ctx context.Context, personID, changeID int64) error
	ChangeOwnEmail(ctx context.Context, personID int64, password, email, keepSession string) (undoToken, oldEmail string, err error)
	UndoEmail(ctx context.Context, token string) (*Person, error)
}
