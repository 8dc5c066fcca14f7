package main

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/demo"
	"github.com/peercircle/peercircle/seal"
	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/sqlite"
)

// demoDir makes a data directory holding the demo organisation.
func demoDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "peercircle.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	key, err := seal.LoadOrCreateKeyFile(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := seal.NewKeyring(key)
	if _, err := demo.Seed(context.Background(), sqlstore.New(db, keys)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReportCommand(t *testing.T) {
	dir := demoDir(t)
	amman, _ := time.LoadLocation("Asia/Amman")
	last := peercircle.QuarterOf(time.Now().In(amman), 1).Prev().Prev().String() // accepted in the demo

	t.Run("Sheet 3 as CSV on standard output, the site named by name", func(t *testing.T) {
		code, out, errs := run(t, "", "report", "--data-dir", dir, "--site", "jabal al-nuzha health centre", "--quarter", last, "--format", "csv")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
		if err != nil || len(recs) < 3 || recs[len(recs)-1][2] != "Total" {
			t.Fatalf("csv = %q, %v", recs, err)
		}
	})
	t.Run("a PDF written to a file, in Arabic", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sheet3.pdf")
		code, _, errs := run(t, "", "report", "--data-dir", dir, "--site", "1", "--quarter", last, "--format", "pdf", "--lang", "ar", "--out", path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		b, _ := os.ReadFile(path)
		if !strings.HasPrefix(string(b), "%PDF") {
			t.Fatal("not a PDF")
		}
		if _, err := exec.LookPath("pdftotext"); err == nil {
			txt, _ := exec.Command("pdftotext", path, "-").Output()
			if !strings.Contains(string(txt), "التقرير الربعي") {
				t.Fatalf("pdftotext: %s", txt)
			}
		}
	})
	t.Run("a region's roll-up as XLSX", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "region.xlsx")
		if code, _, errs := run(t, "", "report", "--data-dir", dir, "--region", "Central Jordan", "--quarter", last, "--format", "xlsx", "--out", path); code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Fatalf("stat: %v", err)
		}
	})
	t.Run("bad input gets a clear message and leaves no file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "out.json")
		for _, tc := range []struct {
			args []string
			code int
			msg  string
		}{
			{[]string{"--site", "1", "--quarter", "2099Q1"}, 1, "has not started yet"},
			{[]string{"--site", "Atlantis", "--quarter", last}, 2, `no site named "Atlantis"`},
			{[]string{"--site", "1", "--quarter", "2027-1"}, 2, "write it like 2027Q1"},
			{[]string{"--site", "1", "--quarter", last, "--format", "dhis2", "--out", path}, 1, "no mapping"},
			{[]string{"--area", "1", "--quarter", last, "--format", "docx"}, 2, "must be csv, xlsx, pdf or dhis2"},
			{[]string{"--quarter", last}, 2, "exactly one of"},
		} {
			code, _, errs := run(t, "", append([]string{"report", "--data-dir", dir}, tc.args...)...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("%v: exit %d, %q", tc.args, code, errs)
			}
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatal("a failed export left a file")
		}
		left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*part*"))
		if len(left) > 0 {
			t.Fatalf("temporary files left: %v", left)
		}
	})
}
