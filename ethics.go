package peercircle

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// CodeOfEthics is one version of a group's code of ethics (001: "developed
// by the group members"; 000: the members' responsibilities). Each member
// acknowledges the version in force; a new version asks everyone again.
type CodeOfEthics struct {
	ID        int64
	GroupID   int64
	Version   int
	Body      string
	AuthorID  int64
	CreatedAt time.Time
}

// Validate checks the text of a new version.
func (c *CodeOfEthics) Validate() error {
	f := FieldErrors{}
	c.Body = strings.TrimSpace(c.Body)
	if c.Body == "" {
		f.Add("body", "error.required")
	} else if utf8.RuneCountInString(c.Body) > 10000 {
		f.Add("body", "error.too_long")
	}
	return f.Err()
}

// Principles returns the lines of the code, one principle a line, for
// showing as a list.
func (c *CodeOfEthics) Principles() []string {
	var out []string
	for _, l := range strings.Split(c.Body, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "-•*"))
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// EthicsStarter is the message key of the text a group starts from: the
// principles of 001 and Annex 1 for every group, with the members'
// responsibilities of 000 for staff groups.
func EthicsStarter(kind string) string {
	if kind == KindStaff {
		return "ethics.starter.staff"
	}
	return "ethics.starter.community"
}

// EthicsService stores codes of ethics and acknowledgements.
//
// SaveEthics adds a new version (EINVALID when Validate fails).
// CurrentEthics returns ENOTFOUND when the group has none yet.
// Acknowledge returns ENOTFOUND for an unknown version and ECONFLICT when
// the version is no longer in force. NotAcknowledged lists the person ids
// of current members who have not acknowledged the version in force.
type EthicsService interface {
	SaveEthics(ctx context.Context, c *CodeOfEthics) error
	CurrentEthics(ctx context.Context, groupID int64) (*CodeOfEthics, error)
	Acknowledge(ctx context.Context, versionID, personID int64) error
	Acknowledged(ctx context.Context, versionID, personID int64) (bool, error)
	// EthicsFor is CurrentEthics and Acknowledged in one: the version in
	// force and whether the person acknowledged it.
	EthicsFor(ctx context.Context, groupID, personID int64) (*CodeOfEthics, bool, error)
	NotAcknowledged(ctx context.Context, groupID int64) ([]int64, error)
}
