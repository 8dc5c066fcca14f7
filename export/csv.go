package export

import (
	"encoding/csv"
	"io"
)

// WriteCSV writes one table as CSV (RFC 4180) with a UTF-8 byte order mark,
// so spreadsheet programs open Arabic text correctly.
func WriteCSV(w io.Writer, tb Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(tb.Columns); err != nil {
		return err
	}
	rec := make([]string, 0, len(tb.Columns))
	for _, row := range tb.Rows {
		rec = rec[:0]
		for _, c := range row {
			rec = append(rec, safeCell(c.Text))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell keeps a spreadsheet from running text as a formula (CSV
// injection): names and topics are typed by people.
func safeCell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r' || (s[0] == '-' && !numeric(s))) {
		return "'" + s
	}
	return s
}

func numeric(s string) bool {
	if len(s) < 2 {
		return false
	}
	for _, r := range s[1:] {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}
