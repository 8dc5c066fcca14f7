package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver"
)

// Both pools keep the plans statements were prepared with, so cached
// statements are not prepared again when other values are bound.
func TestConnectionsKeepTheirPlans(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "peercircle.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, pool := range map[string]*sql.DB{"write": db.WritePool(), "read": db.ReadPool()} {
		conn, err := pool.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		err = conn.Raw(func(c any) error {
			on, err := c.(driver.Conn).Raw().Config(sqlite3.DBCONFIG_ENABLE_QPSG)
			if err == nil && !on {
				t.Errorf("the %s pool's connection has the query planner stability guarantee off", name)
			}
			return err
		})
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
}
