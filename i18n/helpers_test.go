package i18n

import (
	"io/fs"
	"testing"
	"testing/fstest"
	"time"
	_ "time/tzdata" // Asia/Amman even on machines without a zoneinfo database
)

// MustLoad loads the embedded catalogues or stops the test.
func MustLoad(tb testing.TB) *Bundle {
	tb.Helper()
	b, err := Load()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return b
}

// MustLoadFS loads catalogues from fsys or stops the test.
func MustLoadFS(tb testing.TB, fsys fs.FS) *Bundle {
	tb.Helper()
	b, err := LoadFS(fsys)
	if err != nil {
		tb.Fatalf("LoadFS: %v", err)
	}
	return b
}

// MustLocation loads a time zone or stops the test.
func MustLocation(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// files builds a MapFS from path → contents, to keep test tables short.
func files(m map[string]string) fstest.MapFS {
	fsys := make(fstest.MapFS, len(m))
	for name, data := range m {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// languageNames make subtest names read as sentences.
var languageNames = map[string]string{"en": "English", "ar": "Arabic", "fr": "French"}
