package sqlstore

// CachedStatements counts the prepared statements a database keeps for
// one side (read or write), for the statement cache's tests.
func CachedStatements(db *DB, write bool) int {
	c := db.readStmts
	if write {
		c = db.writeStmts
	}
	if c == nil {
		return 0
	}
	n := 0
	c.stmts.Range(func(any, any) bool { n++; return true })
	return n
}
