package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/sqlstore"
)

// seedOptions choose a generated organisation: the small demo, or a
// generated one at a scale (national: 300 sites, 10 000 people, five years).
type seedOptions struct {
	Scale string
	Seed  uint64
	AsOf  string
}

func seedFlags(fs *flag.FlagSet, o *seedOptions) {
	names := []string{"demo"}
	for n := range demo.Scales {
		names = append(names, n)
	}
	sort.Strings(names[1:])
	fs.StringVar(&o.Scale, "scale", "demo", "what to generate: "+strings.Join(names, ", ")+
		" (national: 5 regions, 300 sites, 600 groups, 10 000 people, five years of meetings)")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the generated organisation: the same seed and --as-of give the same data")
	fs.StringVar(&o.AsOf, "as-of", "", "the generated data's today, YYYY-MM-DD (default: today)")
}

// asOf returns the data set's today.
func (o *seedOptions) asOf() (time.Time, error) {
	if o.AsOf == "" {
		now := time.Now().UTC()
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse("2006-01-02", o.AsOf)
	if err != nil {
		return t, fmt.Errorf("--as-of must be a date like 2025-03-15")
	}
	return t, nil
}

// generate fills an empty database with the chosen organisation.
func (o *seedOptions) generate(ctx context.Context, store *sqlstore.Store, out io.Writer) error {
	if o.Scale == "demo" {
		fmt.Fprintln(out, "creating the demo organisation ...")
		_, err := demo.Seed(ctx, store)
		return err
	}
	scale, ok := demo.Scales[o.Scale]
	if !ok {
		return fmt.Errorf("--scale %q: unknown scale", o.Scale)
	}
	asOf, err := o.asOf()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "generating the %s organisation (seed %d, as of %s) ...\n", scale.Name, o.Seed, asOf.Format("2006-01-02"))
	st, err := demo.National(ctx, store, demo.NationalOptions{Scale: scale, Seed: o.Seed, AsOf: asOf,
		Progress: func(step string, rows int64, took time.Duration) {
			fmt.Fprintf(out, "  %-14s %9d rows  %6.1fs\n", step, rows, took.Seconds())
		}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  %-14s %9d rows  %6.1fs  digest %s\n", "total", st.Total, st.Took.Seconds(), st.Digest[:16])
	tables := make([]string, 0, len(st.Rows))
	for t := range st.Rows {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	var parts []string
	for _, t := range tables {
		parts = append(parts, fmt.Sprintf("%s %d", t, st.Rows[t]))
	}
	fmt.Fprintf(out, "  rows: %s\n", strings.Join(parts, ", "))
	return nil
}

const seedUsage = `Usage: peercircle seed [flags]

Generates an organisation into an empty database and exits: the small demo, or
the national-scale data set the benchmark uses (5 regions, 300 sites, 600
groups, 10 000 people, five years of meetings with attendance and summaries).
Every account's password is the demo password. The database is migrated first.

Examples:
  peercircle seed --scale national --seed 1 --data-dir ./national
  peercircle seed --scale national --database postgres://peercircle@db/peercircle

Flags:
`

func runSeed(ctx context.Context, args []string, e *env) int {
	var c Config
	var o seedOptions
	fs := flag.NewFlagSet("peercircle seed", flag.ContinueOnError)
	storageFlags(fs, &c)
	seedFlags(fs, &o)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, seedUsage)
		fs.PrintDefaults()
	}
	if err := parse(fs, args, e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	s, closeStore, err := c.openStore(ctx)
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	defer closeStore()
	if err := o.generate(ctx, s, e.stdout); err != nil {
		fmt.Fprintln(e.stderr, "peercircle:", err)
		return 1
	}
	return 0
}
