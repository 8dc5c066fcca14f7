// Package export writes PeerCircle's quarterly reports and roll-ups in the
// formats other people's tools read: CSV, XLSX (a sheet per level, right to
// left in Arabic), a PDF of Sheet 3, and DHIS2 dataValueSets JSON. It only
// ever sees figures, topics and facilitators: no confidential text reaches
// an export, and counts about fewer than k people are written as "fewer
// than k" (or left out of DHIS2).
package export

import (
	"strings"

	"github.com/peercircle/peercircle"
)

// Labeler translates a message key; *i18n.Localizer's T fits.
type Labeler func(key string, args ...any) string

// Cell is one value of a table: text, or a number spreadsheets can sum.
type Cell struct {
	Text  string
	Num   float64
	IsNum bool
}

func text(s string) Cell { return Cell{Text: s} }

// Table is one sheet of an export.
type Table struct {
	Name    string // sheet name (at most 31 characters in XLSX)
	Columns []string
	Rows    [][]Cell
}

// figureCell writes one figure, or "fewer than k" when it is about too few
// people to show.
func figureCell(f *peercircle.Figures, key string, k int, t Labeler) Cell {
	v, _ := f.Value(key)
	if v.None {
		return text(peercircle.NoFigure)
	}
	if v.Hidden(k) {
		return text(t("report.fewer_than", k))
	}
	return Cell{Text: v.Text(), Num: v.N, IsNum: true}
}

func tallies(ts []peercircle.Tally) string {
	parts := make([]string, len(ts))
	for i, x := range ts {
		parts[i] = x.Name + " (" + itoa(x.Count) + ")"
	}
	return strings.Join(parts, "; ")
}

func itoa(n int) string {
	return peercircle.FigureValue{N: float64(n)}.Text()
}

// figureColumns are the column headings of the figures, in FigureKeys order.
func figureColumns(t Labeler) []string {
	out := make([]string, len(peercircle.FigureKeys))
	for i, k := range peercircle.FigureKeys {
		out[i] = t("report.figure." + k)
	}
	return out
}

// figureRow is the figures of one row, then its lists.
func figureRow(f *peercircle.Figures, k int, t Labeler) []Cell {
	var row []Cell
	for _, key := range peercircle.FigureKeys {
		row = append(row, figureCell(f, key, k, t))
	}
	row = append(row, text(t("report.compliance."+f.Compliance())), text(strings.Join(f.DatesHeld, "; ")),
		text(tallies(f.Topics)), text(facilitators(f, t)))
	return row
}

func facilitators(f *peercircle.Figures, t Labeler) string {
	named := make([]peercircle.Tally, len(f.Facilitators))
	for i, x := range f.Facilitators {
		// An erased person's name is a marker the pages show as a label in
		// the reader's language (docs/privacy.md); exports do the same.
		if peercircle.IsErasedName(x.Name) {
			x.Name = t("mydata.erased_name")
		}
		named[i] = x
	}
	s := tallies(named)
	if f.UnlistedFacilitations > 0 {
		if s != "" {
			s += "; "
		}
		s += t("report.unlisted_facilitations", f.UnlistedFacilitations)
	}
	return s
}

func listColumns(t Labeler) []string {
	return []string{t("report.compliance"), t("report.dates_held"), t("report.topics"), t("report.facilitators")}
}

// Sheet3Tables is a site's Sheet 3 as tables: the figures per group and in
// total, then the review (state and comments).
func Sheet3Tables(sh *peercircle.Sheet3, r *peercircle.Report, t Labeler) []Table {
	main := Table{Name: t("report.sheet3"), Columns: append(append([]string{t("report.site"), t("report.quarter"), t("report.group"), t("report.group_kind")},
		figureColumns(t)...), listColumns(t)...)}
	for _, g := range sh.Groups {
		row := []Cell{text(sh.SiteName), text(sh.Quarter.String()), text(g.Name), text(t("group.kind." + g.Kind))}
		main.Rows = append(main.Rows, append(row, figureRow(&g.Figures, sh.K, t)...))
	}
	total := []Cell{text(sh.SiteName), text(sh.Quarter.String()), text(t("report.total")), text("")}
	main.Rows = append(main.Rows, append(total, figureRow(&sh.Total, sh.K, t)...))
	tables := []Table{main}
	if r != nil {
		review := Table{Name: t("report.review"), Columns: []string{t("report.state"), t("report.no_meetings"), t("report.comment"), t("report.review_comment")}}
		noMeetings := ""
		if r.NoMeetings {
			noMeetings = r.NoMeetingsReason
		}
		review.Rows = append(review.Rows, []Cell{text(t("review.state." + r.State)), text(noMeetings), text(r.Comment), text(r.ReviewComment)})
		tables = append(tables, review)
	}
	return tables
}

// RollUpTables is a roll-up as one sheet per level: the whole scope, its
// regions, its areas, its sites.
func RollUpTables(ru *peercircle.RollUp, t Labeler) []Table {
	var out []Table
	cols := func(first ...string) []string {
		return append(append(first, figureColumns(t)...), listColumns(t)...)
	}
	top := Table{Name: t("report.level." + ru.Level), Columns: cols(t("report.name"), t("report.quarter"))}
	top.Rows = append(top.Rows, append([]Cell{text(ru.Name), text(ru.Quarter.String())}, figureRow(&ru.Total, ru.K, t)...))
	out = append(out, top)
	node := func(level string, rows []peercircle.NodeRow) {
		if len(rows) == 0 {
			return
		}
		tb := Table{Name: t("report.level." + level + "s"), Columns: cols(t("report.name"), t("report.sites"), t("report.submitted"), t("report.accepted"), t("report.late"))}
		for _, n := range rows {
			row := []Cell{text(n.Name), num(n.Sites), num(n.Submitted), num(n.Accepted), num(n.Late)}
			tb.Rows = append(tb.Rows, append(row, figureRow(&n.Figures, ru.K, t)...))
		}
		out = append(out, tb)
	}
	if ru.Level == peercircle.LevelOrganisation {
		node(peercircle.LevelRegion, ru.Regions)
	}
	if ru.Level != peercircle.LevelArea {
		node(peercircle.LevelArea, ru.Areas)
	}
	sites := Table{Name: t("report.level.sites"), Columns: cols(t("report.site"), t("report.state"), t("report.due"), t("report.late"), t("report.attention"))}
	for _, s := range ru.Sites {
		var reasons []string
		for _, a := range s.Attention {
			reasons = append(reasons, t("report.attention."+a))
		}
		late := ""
		if s.Late {
			late = t("common.yes")
		} else if s.SubmittedLate != "" {
			late = t("report.submitted_late", s.SubmittedLate)
		}
		row := []Cell{text(s.Site.Name), text(t("review.state." + s.ReportState)), text(s.Due), text(late), text(strings.Join(reasons, "; "))}
		sites.Rows = append(sites.Rows, append(row, figureRow(&s.Figures, ru.K, t)...))
	}
	return append(out, sites)
}

// RollUpCSVTable puts every level of a roll-up in one table, with the level
// in the first column, for CSV (which has one table per file).
func RollUpCSVTable(ru *peercircle.RollUp, t Labeler) Table {
	tb := Table{Name: t("report.level." + ru.Level), Columns: append(append([]string{t("report.level"), t("report.name"), t("report.quarter"), t("report.state")},
		figureColumns(t)...), listColumns(t)...)}
	add := func(level, name, state string, f *peercircle.Figures) {
		row := []Cell{text(t("report.level." + level)), text(name), text(ru.Quarter.String()), text(state)}
		tb.Rows = append(tb.Rows, append(row, figureRow(f, ru.K, t)...))
	}
	add(ru.Level, ru.Name, "", &ru.Total)
	if ru.Level == peercircle.LevelOrganisation {
		for i := range ru.Regions {
			add(peercircle.LevelRegion, ru.Regions[i].Name, "", &ru.Regions[i].Figures)
		}
	}
	if ru.Level != peercircle.LevelArea {
		for i := range ru.Areas {
			add(peercircle.LevelArea, ru.Areas[i].Name, "", &ru.Areas[i].Figures)
		}
	}
	for i := range ru.Sites {
		add(peercircle.LevelSite, ru.Sites[i].Site.Name, t("review.state."+ru.Sites[i].ReportState), &ru.Sites[i].Figures)
	}
	return tb
}

func num(n int) Cell { return Cell{Text: itoa(n), Num: float64(n), IsNum: true} }
