package peercircle

import (
	"context"
	"time"
)

// Importing a programme from its spreadsheets (issue 15): a programme that
// adopts PeerCircle arrives with lists (health centres, staff, groups). The
// importer package reads the files; the store checks every row against
// what is already there and writes a file in one transaction. Rows are
// matched by a key the file gives, so running the same file twice changes
// nothing.

// Kinds of rows in an organisation-tree file.
const (
	ImportRegion = "region"
	ImportArea   = "area"
	ImportSite   = "site"
)

// OrgRecord is one row of an organisation-tree file: a region, an area
// (Parent: its region's key) or a site (Parent: its area's key).
type OrgRecord struct {
	Row      int // the row in the file, counting the header as row 1
	Type     string
	Key      string
	Name     string
	Parent   string
	TimeZone string // regions: required; sites: the region's when empty
	SiteKind string // sites: health_centre (default), community_centre, other
}

// ImportPerson is the kind of a people file's rows.
const ImportPerson = "person"

// PersonRecord is one row of a people file: a person keyed by the file
// (a staff number), at a site given by its key from the organisation file.
// A username or an e-mail makes an account the person is invited to when
// the admin chooses; without them the person takes part without one.
type PersonRecord struct {
	Row         int
	Key         string
	FullName    string
	DisplayName string
	Email       string
	Username    string
	Site        string
	Lang        string
	// Roles are granted at the person's site (organiser, supervisor,
	// trainer) or its area (coordinator); an import adds roles and never
	// takes one away, and never makes an administrator.
	Roles []string
}

// Kinds of rows in a groups file and a memberships file.
const (
	ImportGroup      = "group"
	ImportMembership = "membership"
	ImportGrant      = "grant"
)

// ImportableRoles are the roles a people file may give.
var ImportableRoles = []string{RoleOrganiser, RoleCoordinator, RoleSupervisor, RoleTrainer}

// GroupRecord is one row of a groups file: a group keyed by the file, at
// a site given by its key, with its schedule (a preset on a weekday, or a
// recurrence rule) and its facilitators (people keys).
type GroupRecord struct {
	Row          int
	Key          string
	Site         string
	Name         string
	Kind         string
	Purpose      string
	Membership   string
	Lang         string
	Preset       string // schedule.Preset…; "" without a schedule
	Rule         string // RRULE text, made from the preset's words or given
	FirstDate    string // YYYY-MM-DD
	Time         string // HH:MM
	Minutes      int
	Facilitators []string
}

// MembershipRecord is one row of a memberships file: a person (people
// key) in a group (groups key) as a member or a facilitator.
type MembershipRecord struct {
	Row    int
	Group  string
	Person string
	Role   string
}

// RowError is a problem with one cell of a file: its row (header = 1),
// the column as the file names it, and a message key with arguments.
type RowError struct {
	Row    int
	Column string
	Key    string
	Args   []any
}

// ImportResult counts what an import did, or would do in a dry run, by
// kind of record; Errors are the rows that were not (or would not be)
// imported.
type ImportResult struct {
	Rows      int
	Created   map[string]int
	Updated   map[string]int
	Unchanged map[string]int
	Errors    []RowError
	Written   bool // false for a dry run, or when errors stopped the file
}

// NewImportResult returns an empty result.
func NewImportResult() *ImportResult {
	return &ImportResult{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{}}
}

// ImportOptions choose how a file is imported.
type ImportOptions struct {
	// DryRun checks every row and writes nothing.
	DryRun bool
	// CleanRows imports the rows without errors even when others have
	// some; otherwise one error stops the whole file.
	CleanRows bool
	// Lang is the language of a group whose row gives none: the
	// language of the person importing.
	Lang string
	// Progress, when set, is told how many rows were done, now and then
	// and at the end (a page shows it as a progress bar).
	Progress func(done, total int)
}

// Report tells opt's Progress that done of total rows are done: every
// 100 rows and at the last.
func (opt ImportOptions) Report(done, total int) {
	if opt.Progress != nil && (done%100 == 0 || done == total) {
		opt.Progress(done, total)
	}
}

// ImportService writes imported files. ImportOrg checks the rows (keys
// unique in the file, parents known in the file or from an earlier
// import, names, zones, site kinds), then, unless it is a dry run or a
// row has an error and CleanRows is off, writes them all in one
// transaction: a key seen before updates its record, an unchanged row
// changes nothing. Errors about the file as a whole come back as error;
// errors about rows are in the result.
type ImportService interface {
	ImportOrg(ctx context.Context, recs []OrgRecord, opt ImportOptions) (*ImportResult, error)
	// ImportPeople imports a people file the same way: keys unique in the
	// file, the site known from an organisation import, each person
	// valid. A key seen before updates the person's names, site and
	// language; an import never changes the username or e-mail of an
	// account someone already uses (the sign-in identity rules, issue 10)
	// and says so against the column. Nobody is invited by an import.
	ImportPeople(ctx context.Context, recs []PersonRecord, opt ImportOptions) (*ImportResult, error)
	// ImportGroups imports a groups file: the site and the facilitators
	// known from earlier imports, each group valid, its schedule
	// compiling. A key seen before updates the group and its schedule;
	// facilitators are added, never removed. Meetings are planned from
	// the schedules after the file is written.
	ImportGroups(ctx context.Context, recs []GroupRecord, opt ImportOptions) (*ImportResult, error)
	// ImportMemberships imports a memberships file: a person in a group
	// (both known from earlier imports) as an active member or a
	// facilitator. A membership that exists keeps its history; only its
	// role changes, and someone who left is not brought back.
	ImportMemberships(ctx context.Context, recs []MembershipRecord, opt ImportOptions) (*ImportResult, error)
	// ImportedPeople lists the people an import made, by key, so the
	// admin can invite those with an e-mail when they choose.
	ImportedPeople(ctx context.Context, keys []string) ([]*Person, error)
	// SaveUpload keeps a file uploaded on the import page, sealed, for
	// UploadKept; Upload returns it to the person who uploaded it, and
	// ENOTFOUND to anyone else or after that time.
	SaveUpload(ctx context.Context, u *ImportUpload) error
	Upload(ctx context.Context, id, personID int64) (*ImportUpload, error)
}

// UploadKept is how long an uploaded file waits to be imported after its
// dry run.
const UploadKept = time.Hour

// ImportUpload is a file uploaded on the import page.
type ImportUpload struct {
	ID        int64
	PersonID  int64
	Kind      string
	Name      string
	Data      []byte
	CreatedAt time.Time
}
