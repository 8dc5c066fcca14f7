package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/importer"
)

const importUsage = `Usage: peercircle import [flags] FILE...

Imports a programme's organisation tree (regions, areas, sites), or with
--kind people its people, from CSV files with headers in English, Arabic or
French (see docs/import.md; --template writes one). Every row is checked first and the errors are listed per row and column in
--lang; nothing is written unless the whole file is clean, or --clean-rows is
given. Each file is written in one transaction. Rows are matched by their key:
importing the same file again changes nothing.

Flags:
`

func runImport(ctx context.Context, args []string, e *env) int {
	var c Config
	fs := flag.NewFlagSet("peercircle import", flag.ContinueOnError)
	storageFlags(fs, &c)
	var dryRun, cleanRows bool
	var lang, template, kind string
	fs.StringVar(&kind, "kind", "org", "what the files hold: org (regions, areas, sites) or people")
	fs.BoolVar(&dryRun, "dry-run", false, "check every row and write nothing")
	fs.BoolVar(&cleanRows, "clean-rows", false, "import the rows without errors even when others have some")
	fs.StringVar(&lang, "lang", "en", "language of the messages: en, ar or fr")
	fs.StringVar(&template, "template", "", "write the organisation template with headers in en, ar or fr to standard output, and exit")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, importUsage)
		fs.PrintDefaults()
	}
	if err := parse(fs, args, e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageErr := func(msg string) int {
		fmt.Fprintln(e.stderr, "peercircle import:", msg)
		return 2
	}
	if lang != "en" && lang != "ar" && lang != "fr" {
		return usageErr("--lang must be en, ar or fr")
	}
	if kind != "org" && kind != "people" {
		return usageErr("--kind must be org or people")
	}
	if template != "" {
		if template != "en" && template != "ar" && template != "fr" {
			return usageErr("--template must be en, ar or fr")
		}
		write := importer.Template
		if kind == "people" {
			write = importer.PeopleTemplate
		}
		if err := write(e.stdout, template); err != nil {
			fmt.Fprintln(e.stderr, "peercircle import:", err)
			return 1
		}
		return 0
	}
	if fs.NArg() == 0 {
		return usageErr("give at least one file")
	}
	bundle, err := i18n.Load()
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	L := bundle.Localizer(lang)
	s, closeStore, err := c.openStore(ctx)
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	defer closeStore()
	code := 0
	for _, path := range fs.Args() {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(e.stderr, "peercircle import:", err)
			code = 1
			continue
		}
		var (
			headers map[string]string
			rowErrs []peercircle.RowError
			res     *peercircle.ImportResult
			kinds   = []string{peercircle.ImportRegion, peercircle.ImportArea, peercircle.ImportSite}
		)
		// A file with row errors is only checked, unless --clean-rows.
		checking := func(rows int) peercircle.ImportOptions {
			fmt.Fprintln(e.stdout, L.T("import.cli.checking", path, L.Number(int64(rows))))
			return peercircle.ImportOptions{DryRun: dryRun || (len(rowErrs) > 0 && !cleanRows), CleanRows: cleanRows}
		}
		if kind == "people" {
			kinds = []string{peercircle.ImportPerson}
			var recs []peercircle.PersonRecord
			if recs, headers, rowErrs, err = importer.ReadPeople(f); err == nil {
				res, err = s.ImportPeople(ctx, recs, checking(len(recs)))
			}
		} else {
			var recs []peercircle.OrgRecord
			if recs, headers, rowErrs, err = importer.ReadOrg(f); err == nil {
				res, err = s.ImportOrg(ctx, recs, checking(len(recs)))
			}
		}
		f.Close()
		if err != nil {
			fmt.Fprintf(e.stderr, "peercircle import: %s: %s\n", path, describe(err))
			code = 1
			continue
		}
		all := append(rowErrs, res.Errors...)
		sort.SliceStable(all, func(i, j int) bool { return all[i].Row < all[j].Row })
		for _, re := range all {
			col := headers[re.Column]
			if col == "" {
				col = re.Column
			}
			fmt.Fprintln(e.stdout, L.T("import.cli.row_error", L.Number(int64(re.Row)), col, L.T(re.Key, re.Args...)))
		}
		for _, k := range kinds {
			fmt.Fprintln(e.stdout, L.T("import.cli.counts", L.T("import.kind."+k), L.Number(int64(res.Created[k])), L.Number(int64(res.Updated[k])), L.Number(int64(res.Unchanged[k]))))
		}
		switch {
		case res.Written:
			fmt.Fprintln(e.stdout, L.T("import.cli.written"))
		case dryRun:
			fmt.Fprintln(e.stdout, L.T("import.cli.dry_run"))
		default:
			fmt.Fprintln(e.stdout, L.T("import.cli.not_written"))
			code = 1
		}
		if len(all) > 0 && code == 0 && !res.Written {
			code = 1
		}
	}
	return code
}
