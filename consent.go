package peercircle

import (
	"context"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Contact channels (001: "email, phone calls, text messages, WhatsApp").
const (
	ChannelNone     = ""
	ChannelEmail    = "email"
	ChannelPhone    = "phone"
	ChannelSMS      = "sms"
	ChannelWhatsApp = "whatsapp"
)

// Channels lists the contact channels in the order the form offers them.
var Channels = []string{ChannelEmail, ChannelPhone, ChannelSMS, ChannelWhatsApp}

// Contact is how a member prefers to hear about meetings. The address is
// confidential (DESIGN.md rule 2): stored sealed, never logged, never in
// notifications or exports.
type Contact struct {
	Channel string
	Address string // only set when loaded for the member or a facilitator
}

var phoneRE = regexp.MustCompile(`^\+?[0-9 ()-]{6,24}$`)

func (c *Contact) validate(f FieldErrors) error {
	c.Address = strings.TrimSpace(c.Address)
	switch c.Channel {
	case ChannelNone:
		c.Address = ""
	case ChannelEmail:
		if a, err := mail.ParseAddress(c.Address); err != nil || a.Address != c.Address {
			f.Add("contact_address", "error.email")
		}
	case ChannelPhone, ChannelSMS, ChannelWhatsApp:
		if !phoneRE.MatchString(c.Address) {
			f.Add("contact_address", "consent.error.phone")
		}
	default:
		f.Add("contact_channel", "error.choice")
	}
	if utf8.RuneCountInString(c.Address) > 200 {
		f.Add("contact_address", "error.too_long")
	}
	return nil
}

// Consent kinds: what a member may agree to (001: information about members
// is gathered only with their consent, explained, and never passed on
// without it).
const (
	// ConsentContact: the group's facilitators may contact me about
	// meetings with my preferred channel.
	ConsentContact = "contact"
	// ConsentShareContact: other members of the group may see how to reach
	// me.
	ConsentShareContact = "share_contact"
	// ConsentEvaluation: my anonymous feedback may be used to improve the
	// programme.
	ConsentEvaluation = "evaluation"
)

// ConsentKinds lists the kinds in the order the form shows them.
var ConsentKinds = []string{ConsentContact, ConsentShareContact, ConsentEvaluation}

// Consent is one record of agreeing to something, kept after it is
// withdrawn so the history shows what was agreed when.
type Consent struct {
	ID           int64
	MembershipID int64
	Kind         string
	GivenAt      time.Time
	WithdrawnAt  *time.Time
}

// Active reports whether the consent is in force.
func (c *Consent) Active() bool { return c.WithdrawnAt == nil }

// ConsentService records consents.
//
// GiveConsent returns EINVALID for an unknown kind and ECONFLICT when the
// consent is already in force; WithdrawConsent returns ENOTFOUND when
// there is none in force.
type ConsentService interface {
	GiveConsent(ctx context.Context, membershipID int64, kind string) error
	WithdrawConsent(ctx context.Context, membershipID int64, kind string) error
	Consents(ctx context.Context, membershipID int64) ([]*Consent, error)
}
