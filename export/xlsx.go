package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes tables as sheets of one workbook, right to left when rtl
// (Arabic). Rows go through excelize's stream writer, so a sheet of many
// thousand sessions does not sit in memory cell by cell.
func WriteXLSX(w io.Writer, tables []Table, rtl bool) error {
	f := excelize.NewFile()
	defer f.Close()
	used := map[string]bool{}
	for i, tb := range tables {
		name := sheetName(tb.Name, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if rtl {
			yes := true
			if err := f.SetSheetView(name, 0, &excelize.ViewOptions{RightToLeft: &yes}); err != nil {
				return err
			}
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
		if err != nil {
			return err
		}
		if err := sw.SetColWidth(1, max(1, len(tb.Columns)), 16); err != nil {
			return err
		}
		head := make([]any, len(tb.Columns))
		for j, c := range tb.Columns {
			head[j] = excelize.Cell{StyleID: bold, Value: c}
		}
		if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 45}); err != nil {
			return err
		}
		for r, row := range tb.Rows {
			vals := make([]any, len(row))
			for j, c := range row {
				if c.IsNum {
					vals[j] = c.Num
				} else {
					vals[j] = c.Text
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(cell, vals); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

// sheetName makes a valid, unique sheet name (31 characters, none of
// []:*?/\).
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, s)
	r := []rune(s)
	if len(r) > 28 {
		r = r[:28]
	}
	name := string(r)
	if name == "" {
		name = "Sheet"
	}
	for n := 2; used[name]; n++ {
		name = fmt.Sprintf("%s %d", string(r), n)
	}
	used[name] = true
	return name
}
