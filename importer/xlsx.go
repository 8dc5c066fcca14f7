package importer

import (
	"bytes"
	"encoding/csv"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/peercircle/peercircle/export"
)

// Formats a file may come in, and the templates are written in.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// IsXLSX reports whether data looks like an XLSX workbook (a zip archive);
// anything else is read as CSV text.
func IsXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// Bounds on what a workbook may unpack to: a small file must not expand
// into gigabytes (a zip bomb).
const (
	maxUnzipped    = 200 << 20
	maxUnzippedXML = 100 << 20
)

// xlsxRows reads the rows of a workbook's first sheet. Each cell is the
// text the spreadsheet program saved for it: a formula's last value as
// that program computed it; nothing is computed here.
func xlsxRows(data []byte) (func() ([]string, error), error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		return nil, fileError("import.error.workbook", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError("import.error.workbook", nil)
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fileError("import.error.workbook", err)
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) > MaxRows+1 {
			return nil, ErrTooLarge
		}
		cols, err := it.Columns()
		if err != nil {
			return nil, fileError("import.error.broken_row", err, len(rows)+1)
		}
		rows = append(rows, cols)
	}
	if err := it.Error(); err != nil {
		return nil, fileError("import.error.workbook", err)
	}
	return func() ([]string, error) {
		if len(rows) == 0 {
			return nil, io.EOF
		}
		r := rows[0]
		rows = rows[1:]
		return r, nil
	}, nil
}

// writeTable writes a header and rows as CSV, or as a one-sheet workbook
// (right to left for Arabic headers).
func writeTable(w io.Writer, format, lang, sheet string, head []string, rows [][]string) error {
	if format == FormatXLSX {
		t := export.Table{Name: sheet, Columns: head}
		for _, r := range rows {
			cells := make([]export.Cell, len(r))
			for i, v := range r {
				cells[i] = export.Cell{Text: v}
			}
			t.Rows = append(t.Rows, cells)
		}
		return export.WriteXLSX(w, []export.Table{t}, lang == "ar")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(head); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// header is a template's header row in lang.
func header(cols []Column, lang string) []string {
	var head []string
	for _, c := range cols {
		head = append(head, c.Headers[lang])
	}
	return head
}
