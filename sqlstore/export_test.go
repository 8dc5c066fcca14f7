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

// KeptViews counts the roll-ups the store keeps to serve again.
func KeptViews(s *Store) int {
	if s.views == nil {
		return 0
	}
	s.views.mu.Lock()
	defer s.views.mu.Unlock()
	return len(s.views.views)
}
