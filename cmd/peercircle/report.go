package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/export"
	"github.com/peercircle/peercircle/i18n"
)

const reportUsage = `Usage: peercircle report (--site S | --area A | --region R | --organisation) --quarter 2027Q1 --format F [flags]

Writes a quarterly report (Sheet 3 of a site) or a roll-up (an area, a
region or the whole organisation) as csv, xlsx, pdf (Sheet 3 only) or dhis2
(dataValueSets JSON, with the mapping set under Report settings). A site,
area or region is named by its number or its name. With --out the file is
written next to its final place and renamed when complete, so a failed run
never leaves a half-written file.

Examples:
  peercircle report --site 1 --quarter 2027Q1 --format pdf --out sheet3.pdf
  peercircle report --site "Marka Health Centre" --quarter 2027Q1 --format csv
  peercircle report --region 1 --quarter 2027Q1 --format xlsx --lang ar --out region.xlsx

Flags:
`

func runReport(ctx context.Context, args []string, e *env) int {
	var c Config
	fs := flag.NewFlagSet("peercircle report", flag.ContinueOnError)
	storageFlags(fs, &c)
	var site, area, region, quarter, format, out, lang string
	var org bool
	fs.StringVar(&site, "site", "", "the site: its number or name")
	fs.StringVar(&area, "area", "", "an area to roll up: its number or name")
	fs.StringVar(&region, "region", "", "a region to roll up: its number or name")
	fs.BoolVar(&org, "organisation", false, "roll up the whole organisation")
	fs.StringVar(&quarter, "quarter", "", "the quarter, like 2027Q1 (required)")
	fs.StringVar(&format, "format", "csv", "csv, xlsx, pdf or dhis2")
	fs.StringVar(&out, "out", "-", "file to write; - for standard output")
	fs.StringVar(&lang, "lang", "en", "language of headings and labels: en, ar or fr")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, reportUsage)
		fs.PrintDefaults()
	}
	if err := parse(fs, args, e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageErr := func(msg string) int {
		fmt.Fprintln(e.stderr, "peercircle report:", msg)
		return 2
	}
	levels := 0
	for _, set := range []bool{site != "", area != "", region != "", org} {
		if set {
			levels++
		}
	}
	switch {
	case levels != 1:
		return usageErr("give exactly one of --site, --area, --region or --organisation")
	case format != "csv" && format != "xlsx" && format != "pdf" && format != "dhis2":
		return usageErr("--format must be csv, xlsx, pdf or dhis2")
	case lang != "en" && lang != "ar" && lang != "fr":
		return usageErr("--lang must be en, ar or fr")
	}
	q, err := peercircle.ParseQuarter(i18n.ParseDigits(quarter))
	if err != nil {
		return usageErr(err.Error())
	}
	s, closeStore, err := c.openStore(ctx)
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	defer closeStore()
	fail := func(err error) int {
		fmt.Fprintln(e.stderr, "peercircle:", describe(err))
		return 1
	}
	bundle, err := i18n.Load()
	if err != nil {
		return fail(err)
	}
	t := export.Labeler(bundle.Localizer(lang).T)
	tree, err := s.Tree(ctx)
	if err != nil {
		return fail(err)
	}
	dhis2 := func(sites []export.SiteFigures, k int) (func(io.Writer) error, error) {
		text, err := s.Setting(ctx, peercircle.SettingDHIS2, "")
		if err != nil {
			return nil, err
		}
		m, err := export.ParseDHIS2Mapping(text)
		if err != nil {
			return nil, err
		}
		set, err := export.BuildDataValueSet(m, sites, q, tree.Organisation.QuarterStartMonth, k)
		if err != nil {
			return nil, err
		}
		return func(w io.Writer) error { return export.WriteDHIS2(w, set) }, nil
	}
	var write func(io.Writer) error
	if site != "" {
		id, err := findNode(site, "site", func(yield func(int64, string) bool) {
			for _, st := range tree.Sites {
				if !yield(st.ID, st.Name) {
					return
				}
			}
		})
		if err != nil {
			return usageErr(err.Error())
		}
		sh, err := s.Sheet3(ctx, id, q)
		if err != nil {
			return fail(err)
		}
		rep, err := s.Report(ctx, id, q)
		if err != nil {
			return fail(err)
		}
		if rep.Frozen() {
			sh = rep.Snapshot // what was submitted, as on the page
		}
		switch format {
		case "csv":
			write = func(w io.Writer) error { return export.WriteCSV(w, export.Sheet3Tables(sh, rep, t)[0]) }
		case "xlsx":
			write = func(w io.Writer) error { return export.WriteXLSX(w, export.Sheet3Tables(sh, rep, t), lang == "ar") }
		case "pdf":
			var zone *time.Location
			for _, st := range tree.Sites {
				if st.ID == id {
					zone = st.Location()
				}
			}
			write = func(w io.Writer) error { return export.WriteSheet3PDF(w, sh, rep, bundle.Localizer(lang), zone) }
		case "dhis2":
			if write, err = dhis2([]export.SiteFigures{{SiteID: id, SiteName: sh.SiteName, Figures: &sh.Total}}, sh.K); err != nil {
				return fail(err)
			}
		}
	} else {
		level, id := peercircle.LevelOrganisation, int64(0)
		var err error
		switch {
		case area != "":
			level = peercircle.LevelArea
			id, err = findNode(area, "area", func(yield func(int64, string) bool) {
				for _, a := range tree.Areas {
					if !yield(a.ID, a.Name) {
						return
					}
				}
			})
		case region != "":
			level = peercircle.LevelRegion
			id, err = findNode(region, "region", func(yield func(int64, string) bool) {
				for _, r := range tree.Regions {
					if !yield(r.ID, r.Name) {
						return
					}
				}
			})
		}
		if err != nil {
			return usageErr(err.Error())
		}
		ru, err := s.RollUp(ctx, level, id, q, 0)
		if err != nil {
			return fail(err)
		}
		switch format {
		case "csv":
			write = func(w io.Writer) error { return export.WriteCSV(w, export.RollUpCSVTable(ru, t)) }
		case "xlsx":
			write = func(w io.Writer) error { return export.WriteXLSX(w, export.RollUpTables(ru, t), lang == "ar") }
		case "pdf":
			write = func(w io.Writer) error { return export.WriteRollUpPDF(w, ru, bundle.Localizer(lang)) }
		case "dhis2":
			var sites []export.SiteFigures
			for i := range ru.Sites {
				sites = append(sites, export.SiteFigures{SiteID: ru.Sites[i].Site.ID, SiteName: ru.Sites[i].Site.Name, Figures: &ru.Sites[i].Figures})
			}
			if write, err = dhis2(sites, ru.K); err != nil {
				return fail(err)
			}
		}
	}
	if out == "-" {
		if err := write(e.stdout); err != nil {
			return fail(err)
		}
		return 0
	}
	if err := export.WriteFileAtomic(out, write); err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", out)
	return 0
}

// findNode finds a site, area or region by number or by name (ignoring
// case); a name that fits several is refused.
func findNode(v, what string, all func(yield func(int64, string) bool)) (int64, error) {
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		for nid := range all {
			if nid == id {
				return id, nil
			}
		}
		return 0, fmt.Errorf("no %s number %d", what, id)
	}
	var found []int64
	for nid, name := range all {
		if strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(v)) {
			found = append(found, nid)
		}
	}
	switch len(found) {
	case 0:
		return 0, fmt.Errorf("no %s named %q", what, v)
	case 1:
		return found[0], nil
	}
	return 0, fmt.Errorf("%d %ss are named %q: give the number", len(found), what, v)
}
