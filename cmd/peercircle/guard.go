package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/peercircle/peercircle/guard"
)

const guardUsage = `Usage: peercircle guard --names FILE < text

Checks a text before it is shared: for the names in FILE (one protected
name per line) in any spelling or script, for people on no list (after a
title, with a kunya, next to a verb of speech), and for personal
identifiers (e-mail addresses, also written out, phone numbers, ID and file
numbers). Prints one JSON object per finding:

  {"kind":"name|email|phone|number","text":"…","start":N,"end":N,"reason":"guard.reason.…","cue":"…"}

with offsets in characters of the input; reason is a message key that says
why (cue, when present, is the word that led to it). Exits 1 when it found
anything, 0 when the text is clean, 2 on bad usage.

Flags:
`

// maxGuardInput bounds what the command reads: a note, not a database dump.
const maxGuardInput = 16 << 20

func runGuard(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("peercircle guard", flag.ContinueOnError)
	namesFile := fs.String("names", "", "file with one protected name per line (required)")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, guardUsage)
		fs.PrintDefaults()
	}
	if err := parse(fs, args, e.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *namesFile == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "peercircle guard: --names FILE is required and the text comes on standard input")
		fs.Usage()
		return 2
	}
	names, err := readNames(*namesFile)
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle guard:", err)
		return 2
	}
	text, err := io.ReadAll(io.LimitReader(e.stdin, maxGuardInput+1))
	if err != nil {
		fmt.Fprintln(e.stderr, "peercircle guard: reading standard input:", err)
		return 2
	}
	if len(text) > maxGuardInput {
		fmt.Fprintf(e.stderr, "peercircle guard: the text is over %d MB; check it in parts\n", maxGuardInput>>20)
		return 2
	}
	findings := guard.New(names).Check(string(text))
	out := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, f := range findings {
		if err := enc.Encode(f); err != nil {
			return 2
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(e.stderr, "peercircle guard:", err)
		return 2
	}
	if len(findings) > 0 {
		return 1
	}
	return 0
}

// readNames reads one name per line, skipping blank lines; a byte-order
// mark and Windows line ends are tolerated.
func readNames(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the names file: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	var names []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			names = append(names, line)
		}
	}
	return names, nil
}
