package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/peercircle/peercircle/sqlstore"
	"github.com/peercircle/peercircle/sqlstore/storetest"
)

// Every foreign key into a table rows are deleted from leads an index.
// Deleting a row makes the database find the rows that point at it (to
// cascade, set null or refuse); without an index that is a scan of the
// whole referencing table for every row deleted. Planning ahead drops a
// meeting the schedule no longer has, and twenty-odd tables point at
// meetings: on the country data set each such delete read the whole of
// several large tables. The tables rows are deleted from are those the
// store's code deletes from, and those a delete cascades to.
func TestForeignKeysIntoDeletedRowsLeadAnIndex(t *testing.T) {
	deleted := deletedTables(t)
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		var keys, indexed string
		switch s.DB.Dialect.Name {
		case "sqlite":
			keys = `SELECT m.name || '.' || f."from" || ' ' || f."table" || ' ' || f.on_delete FROM sqlite_master m, pragma_foreign_key_list(m.name) f
				WHERE m.type = 'table' AND f.seq = 0`
			indexed = `SELECT m.name || '.' || i.name FROM sqlite_master m, pragma_index_list(m.name) l, pragma_index_info(l.name) i
				WHERE m.type = 'table' AND i.seqno = 0
				UNION SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
				WHERE m.type = 'table' AND p.pk = 1 AND lower(p.type) = 'integer'`
		default:
			keys = `SELECT c.conrelid::regclass::text || '.' || a.attname || ' ' || c.confrelid::regclass::text || ' ' ||
					CASE c.confdeltype WHEN 'c' THEN 'CASCADE' ELSE 'OTHER' END FROM pg_constraint c
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
				WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`
			indexed = `SELECT i.indrelid::regclass::text || '.' || a.attname FROM pg_index i
				JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
				JOIN pg_class t ON t.oid = i.indrelid WHERE t.relnamespace = 'public'::regnamespace`
		}
		list := func(q string) []string {
			rows, err := s.DB.Query(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					t.Fatal(err)
				}
				out = append(out, k)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		have := list(indexed)
		fks := list(keys)
		if len(fks) < 20 || len(have) < 20 {
			t.Fatalf("%d foreign keys, %d indexed columns: the catalog queries find too little", len(fks), len(have))
		}
		// A delete reaches the tables it cascades to.
		for grew := true; grew; {
			grew = false
			for _, fk := range fks {
				f := strings.Fields(fk)
				child, _, _ := strings.Cut(f[0], ".")
				if f[2] == "CASCADE" && deleted[f[1]] && !deleted[child] {
					deleted[child], grew = true, true
				}
			}
		}
		var missing []string
		for _, fk := range fks {
			f := strings.Fields(fk)
			if deleted[f[1]] && !slices.Contains(have, f[0]) && !slices.Contains(missing, f[0]) {
				missing = append(missing, f[0]+" → "+f[1])
			}
		}
		slices.Sort(missing)
		if len(missing) > 0 {
			t.Errorf("%d foreign keys into tables rows are deleted from lead no index:\n%s", len(missing), strings.Join(missing, "\n"))
		}
	})
}

// deletedTables are the tables the store's code deletes rows from.
func deletedTables(t *testing.T) map[string]bool {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	del := regexp.MustCompile(`DELETE FROM ([a-z_]+)`)
	out := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range del.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = true
		}
	}
	if !out["sessions"] || len(out) < 20 {
		t.Fatalf("found deletes from %v only", out)
	}
	return out
}
