package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/i18n"
	"github.com/peercircle/peercircle/importer"
)

const importUsage = `Usage: peercircle import [flags] FILE...

Imports a programme from its spreadsheets: the organisation tree (regions,
areas, sites), people (--kind people), groups with their schedules and
facilitators (--kind groups) or memberships (--kind memberships), from CSV
or XLSX files with headers in English, Arabic or French (see docs/import.md;
--template writes one). Import them in that order: each refers to keys the
ones before made. Every row is checked first and the errors are listed per
row and column in --lang; nothing is written unless the whole file is clean,
or --clean-rows is given. Each file is written in one transaction. Rows are
matched by their key: importing the same file again changes nothing.

Flags:
`

func runImport(ctx context.Context, args []string, e *env) int {
	var c Config
	fs := flag.NewFlagSet("peercircle import", flag.ContinueOnError)
	storageFlags(fs, &c)
	var dryRun, cleanRows bool
	var lang, template, kind, format string
	fs.StringVar(&kind, "kind", importer.KindOrg, "what the files hold: org (regions, areas, sites), people, groups or memberships")
	fs.BoolVar(&dryRun, "dry-run", false, "check every row and write nothing")
	fs.BoolVar(&cleanRows, "clean-rows", false, "import the rows without errors even when others have some")
	fs.StringVar(&lang, "lang", "en", "language of the messages (and of groups whose row gives none): en, ar or fr")
	fs.StringVar(&template, "template", "", "write the template of --kind with headers in en, ar or fr to standard output, and exit")
	fs.StringVar(&format, "format", importer.FormatCSV, "the template's format: csv or xlsx")
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
	if !slices.Contains(peercircle.Languages, lang) {
		return usageErr("--lang must be en, ar or fr")
	}
	if !slices.Contains(importer.Kinds, kind) {
		return usageErr("--kind must be org, people, groups or memberships")
	}
	if template != "" {
		if !slices.Contains(peercircle.Languages, template) {
			return usageErr("--template must be en, ar or fr")
		}
		if format != importer.FormatCSV && format != importer.FormatXLSX {
			return usageErr("--format must be csv or xlsx")
		}
		if err := importer.WriteTemplate(e.stdout, kind, template, format); err != nil {
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
		opt := peercircle.ImportOptions{DryRun: dryRun, CleanRows: cleanRows, Lang: lang}
		opt.Progress = func(done, total int) {
			if done == 0 || total == 0 {
				fmt.Fprintln(e.stdout, L.T("import.cli.checking", path, L.Number(int64(total))))
			}
		}
		out, err := importer.Import(ctx, s, kind, f, opt)
		f.Close()
		if err != nil {
			msg := describe(err)
			if fe, ok := errors.AsType[*importer.FileError](err); ok {
				msg = L.T(fe.Key, fe.Args...)
			}
			fmt.Fprintf(e.stderr, "peercircle import: %s: %s\n", path, msg)
			code = 1
			continue
		}
		res := out.Result
		for _, re := range out.Errors {
			fmt.Fprintln(e.stdout, L.T("import.cli.row_error", L.Number(int64(re.Row)), out.Column(re.Column), L.T(re.Key, re.Args...)))
		}
		for _, k := range out.Kinds {
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
		if len(out.Errors) > 0 && code == 0 && !res.Written {
			code = 1
		}
	}
	return code
}
