package sqlstore

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"plain", "CREATE TABLE a (x INT);\n-- a comment;\nCREATE INDEX i ON a(x);\n",
			[]string{"CREATE TABLE a (x INT);", "CREATE INDEX i ON a(x);"}},
		{"sqlite trigger", "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n    INSERT INTO b VALUES (1);\n    DELETE FROM c;\nEND;\nCREATE TABLE d (y INT);\n",
			[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n    INSERT INTO b VALUES (1);\n    DELETE FROM c;\nEND;", "CREATE TABLE d (y INT);"}},
		{"dollar-quoted function", "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    PERFORM g();\n    RETURN NULL;\nEND\n$$;\nCREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();\n",
			[]string{"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    PERFORM g();\n    RETURN NULL;\nEND\n$$;", "CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();"}},
		{"last statement without a semicolon", "SELECT 1;\nSELECT 2", []string{"SELECT 1;", "SELECT 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitStatements(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestDialectMigrations checks that each database applies its own file of
// a pair, under the pair's version, and every other file.
func TestDialectMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/0001_a.sql":          {Data: []byte("CREATE TABLE a (x {{id}});")},
		"migrations/0002_b.postgres.sql": {Data: []byte("-- postgres")},
		"migrations/0002_b.sqlite.sql":   {Data: []byte("-- sqlite")},
		"migrations/0003_c.sql":          {Data: []byte("SELECT 1;")},
	}
	for _, dialect := range []string{"sqlite", "postgres"} {
		ms, err := loadMigrations(fsys, Dialect{Name: dialect, Types: map[string]string{"id": "ID"}})
		if err != nil {
			t.Fatal(err)
		}
		var versions []string
		for _, m := range ms {
			versions = append(versions, m.Version)
			if m.Version == "0002_b.sql" && m.SQL != "-- "+dialect {
				t.Errorf("%s applies %q as 0002_b.sql", dialect, m.SQL)
			}
		}
		if want := []string{"0001_a.sql", "0002_b.sql", "0003_c.sql"}; !reflect.DeepEqual(versions, want) {
			t.Errorf("%s: versions %q, want %q", dialect, versions, want)
		}
	}
}
