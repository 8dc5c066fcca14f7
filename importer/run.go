package importer

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/peercircle/peercircle"
)

// Outcome is what importing one file did: the store's result, the row
// problems of reading and of importing in row order, the file's header
// of each column (to name columns as the file does), the kinds of record
// the file holds (for the counts), and the keys of its people (for the
// invitations the admin may choose to send).
type Outcome struct {
	Result  *peercircle.ImportResult
	Errors  []peercircle.RowError
	Headers map[string]string
	Kinds   []string
	People  []string
}

// Column returns the file's own header for a canonical column.
func (o *Outcome) Column(name string) string {
	if h := o.Headers[name]; h != "" {
		return h
	}
	return name
}

// Import reads a file of a kind (KindOrg, ...) and imports it. A file
// whose rows could not all be read is only checked, unless opt.CleanRows.
// The file's own problems (too large, no header, not a table) are the
// error, as is a store failure.
func Import(ctx context.Context, svc peercircle.ImportService, kind string, r io.Reader, opt peercircle.ImportOptions) (*Outcome, error) {
	o := &Outcome{}
	var rowErrs []peercircle.RowError
	var err error
	check := func() peercircle.ImportOptions {
		if len(rowErrs) > 0 && !opt.CleanRows {
			opt.DryRun = true
		}
		return opt
	}
	switch kind {
	case KindOrg:
		o.Kinds = []string{peercircle.ImportRegion, peercircle.ImportArea, peercircle.ImportSite}
		var recs []peercircle.OrgRecord
		if recs, o.Headers, rowErrs, err = ReadOrg(r); err == nil {
			o.Result, err = svc.ImportOrg(ctx, recs, check())
		}
	case KindPeople:
		o.Kinds = []string{peercircle.ImportPerson, peercircle.ImportGrant}
		var recs []peercircle.PersonRecord
		if recs, o.Headers, rowErrs, err = ReadPeople(r); err == nil {
			for _, p := range recs {
				o.People = append(o.People, p.Key)
			}
			o.Result, err = svc.ImportPeople(ctx, recs, check())
		}
	case KindGroups:
		o.Kinds = []string{peercircle.ImportGroup}
		var recs []peercircle.GroupRecord
		if recs, o.Headers, rowErrs, err = ReadGroups(r); err == nil {
			o.Result, err = svc.ImportGroups(ctx, recs, check())
		}
	case KindMemberships:
		o.Kinds = []string{peercircle.ImportMembership}
		var recs []peercircle.MembershipRecord
		if recs, o.Headers, rowErrs, err = ReadMemberships(r); err == nil {
			o.Result, err = svc.ImportMemberships(ctx, recs, check())
		}
	default:
		return nil, fmt.Errorf("importer: no kind of file %q", kind)
	}
	if err != nil {
		return nil, err
	}
	o.Errors = append(rowErrs, o.Result.Errors...)
	sort.SliceStable(o.Errors, func(i, j int) bool { return o.Errors[i].Row < o.Errors[j].Row })
	return o, nil
}
