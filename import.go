package peercircle

import "context"

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
}
