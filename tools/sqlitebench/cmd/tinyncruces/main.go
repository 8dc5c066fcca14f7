// Command tinyncruces is the smallest PeerCircle-like program on the ncruces
// driver: it opens the write pool on the file named by its argument, runs a
// first query and prints the SQLite version and the microseconds that took.
// The benchmark builds it with CGO_ENABLED=0 to weigh the binary and times
// its whole run to measure a cold start.
package main

import (
	"fmt"
	"os"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver"

	"github.com/peercircle/peercircle/tools/sqlitebench/sqlsetup"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: tinyncruces DBFILE")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(path string) error {
	start := time.Now()
	db, err := sqlsetup.OpenWriter("sqlite3", path)
	if err != nil {
		return err
	}
	defer db.Close()
	var version string
	if err := db.QueryRow("SELECT sqlite_version()").Scan(&version); err != nil {
		return err
	}
	fmt.Println(version, time.Since(start).Microseconds())
	return nil
}
