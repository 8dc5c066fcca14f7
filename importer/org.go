// Package importer reads a programme's spreadsheets (CSV files, with
// headers in English, Arabic or French) into records the store imports.
// It never evaluates a formula: a cell is its text. Files are bounded in
// size and rows; every problem comes back per row and column as a message
// key, so the reader sees it in their language.
package importer

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
)

// Limits on one file.
const (
	MaxBytes = 20 << 20 // 20 MB
	MaxRows  = 100000
	maxCell  = 2000
)

// FileError is a problem with a file as a whole: too large, not a table,
// no header, a column missing. Key and Args say it in the reader's
// language; Err is what lay beneath, if anything.
type FileError struct {
	Key  string
	Args []any
	Err  error
}

func (e *FileError) Error() string {
	msg := "importer: " + e.Key
	if len(e.Args) > 0 {
		msg += fmt.Sprint(e.Args...)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *FileError) Unwrap() error { return e.Err }

// ErrTooLarge is a file over MaxBytes or MaxRows.
var ErrTooLarge = &FileError{Key: "import.error.too_large"}

func fileError(key string, err error, args ...any) error {
	return &FileError{Key: key, Args: args, Err: err}
}

// Column is one column of a template: its canonical name and its header
// in each language.
type Column struct {
	Name    string
	Headers map[string]string // lang → header
}

// OrgColumns are the organisation-tree template's columns.
var OrgColumns = []Column{
	{"type", map[string]string{"en": "Type", "ar": "النوع", "fr": "Type"}},
	{"key", map[string]string{"en": "Key", "ar": "المفتاح", "fr": "Clé"}},
	{"name", map[string]string{"en": "Name", "ar": "الاسم", "fr": "Nom"}},
	{"parent", map[string]string{"en": "Parent key", "ar": "مفتاح الأعلى", "fr": "Clé du parent"}},
	{"time_zone", map[string]string{"en": "Time zone", "ar": "المنطقة الزمنية", "fr": "Fuseau horaire"}},
	{"site_kind", map[string]string{"en": "Site kind", "ar": "نوع المركز", "fr": "Type de site"}},
}

// typeWords are the words a file may use for a row's type, in each
// language, as the catalogues say them.
var typeWords = map[string]string{
	"region": peercircle.ImportRegion, "area": peercircle.ImportArea, "site": peercircle.ImportSite,
	"الإقليم": peercircle.ImportRegion, "إقليم": peercircle.ImportRegion, "المنطقة": peercircle.ImportArea, "منطقة": peercircle.ImportArea,
	"المركز": peercircle.ImportSite, "مركز": peercircle.ImportSite,
	"région": peercircle.ImportRegion, "zone": peercircle.ImportArea,
}

// siteKindWords are the words for a site's kind.
var siteKindWords = map[string]string{
	"health_centre": peercircle.SiteHealthCentre, "health centre": peercircle.SiteHealthCentre, "community_centre": peercircle.SiteCommunityCentre,
	"community centre": peercircle.SiteCommunityCentre, "other": peercircle.SiteOther, "other place": peercircle.SiteOther,
	"مركز صحي": peercircle.SiteHealthCentre, "مركز مجتمعي": peercircle.SiteCommunityCentre, "مكان آخر": peercircle.SiteOther,
	"centre de santé": peercircle.SiteHealthCentre, "centre communautaire": peercircle.SiteCommunityCentre, "autre lieu": peercircle.SiteOther,
}

// ReadOrg reads an organisation-tree CSV file. It returns the records,
// the header of each canonical column as the file wrote it (for error
// messages), and the rows' own problems (unknown type, unknown site
// kind, a cell too long). The file's problems (too large, no known
// header, broken CSV) are the error.
func ReadOrg(r io.Reader) ([]peercircle.OrgRecord, map[string]string, []peercircle.RowError, error) {
	var recs []peercircle.OrgRecord
	names, errs, err := readTable(r, OrgColumns, []string{"type", "key", "name"}, func(row int, cell func(string) string, fail func(col, key string)) {
		o := peercircle.OrgRecord{Row: row, Key: cell("key"), Name: cell("name"), Parent: cell("parent"), TimeZone: cell("time_zone")}
		t := strings.ToLower(cell("type"))
		if o.Type = typeWords[t]; o.Type == "" {
			o.Type = "?" + t // the store reports it against the column
		}
		if k := strings.ToLower(i18n.ParseDigits(cell("site_kind"))); k != "" {
			if o.SiteKind = siteKindWords[k]; o.SiteKind == "" {
				fail("site_kind", "error.choice")
				return
			}
		}
		recs = append(recs, o)
	})
	return recs, names, errs, err
}

// readTable reads a CSV file whose header names cols (in any language, or
// by canonical name), with the required columns, and calls each for every
// row that is not blank. each reads cells by canonical name and reports a
// row's problem with fail. It returns the header of each column as the
// file wrote it, and the rows' problems (a cell too long, what each
// reported); the file's own problems are the error.
func readTable(r io.Reader, cols []Column, required []string, each func(row int, cell func(string) string, fail func(col, key string))) (map[string]string, []peercircle.RowError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxBytes {
		return nil, nil, ErrTooLarge
	}
	next, err := tableRows(data)
	if err != nil {
		return nil, nil, err
	}
	head, err := next()
	if err != nil {
		return nil, nil, fileError("import.error.no_header", err)
	}
	index := map[string]int{}
	names := map[string]string{}
	for i, h := range head {
		h = strings.TrimSpace(h)
		for _, c := range cols {
			for _, text := range c.Headers {
				if strings.EqualFold(h, text) || strings.EqualFold(h, c.Name) {
					if _, dup := index[c.Name]; !dup {
						index[c.Name], names[c.Name] = i, h
					}
				}
			}
		}
	}
	for _, need := range required {
		if _, ok := index[need]; !ok {
			return nil, nil, fileError("import.error.missing_column", nil, headerNames(cols, need))
		}
	}
	var errs []peercircle.RowError
	row := 1
	for {
		rec, err := next()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			return nil, nil, fileError("import.error.broken_row", err, row)
		}
		if row-1 > MaxRows {
			return nil, nil, ErrTooLarge
		}
		blank := true
		for _, v := range rec {
			if strings.TrimSpace(v) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		cell := func(col string) string {
			i, ok := index[col]
			if !ok || i >= len(rec) {
				return ""
			}
			v := strings.TrimSpace(rec[i])
			if utf8.RuneCountInString(v) > maxCell {
				errs = append(errs, peercircle.RowError{Row: row, Column: col, Key: "error.too_long"})
				return ""
			}
			return v
		}
		each(row, cell, func(col, key string) { errs = append(errs, peercircle.RowError{Row: row, Column: col, Key: key}) })
	}
	return names, errs, nil
}

// tableRows reads a file's rows one at a time (io.EOF after the last): an
// XLSX workbook's first sheet, or CSV text in UTF-8.
func tableRows(data []byte) (func() ([]string, error), error) {
	if IsXLSX(data) {
		return xlsxRows(data)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 BOM from spreadsheet programs
	if !utf8.Valid(data) {
		return nil, fileError("import.error.not_text", nil)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	return cr.Read, nil
}

// WriteOrg writes an organisation tree as an organisation-tree file with
// headers in lang, keyed by the records' ids (R-1, A-1, S-1): the export
// that imports back to the same tree.
func WriteOrg(w io.Writer, t *peercircle.Tree, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header(OrgColumns, lang)); err != nil {
		return err
	}
	id := func(prefix string, n int64) string { return prefix + "-" + fmt.Sprint(n) }
	for _, r := range t.Regions {
		if err := cw.Write([]string{"region", id("R", r.ID), r.Name, "", r.TimeZone, ""}); err != nil {
			return err
		}
	}
	for _, a := range t.Areas {
		if err := cw.Write([]string{"area", id("A", a.ID), a.Name, id("R", a.RegionID), "", ""}); err != nil {
			return err
		}
	}
	for _, s := range t.Sites {
		if err := cw.Write([]string{"site", id("S", s.ID), s.Name, id("A", s.AreaID), s.TimeZone, s.Kind}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// headerNames is a column's header in every language, for a message that
// names a missing column.
func headerNames(cols []Column, name string) string {
	for _, c := range cols {
		if c.Name == name {
			return c.Headers["en"] + " / " + c.Headers["ar"] + " / " + c.Headers["fr"]
		}
	}
	return name
}
