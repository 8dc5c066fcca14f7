package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/peercircle/peercircle"
)

// The organisation tree (regions, areas, sites) is read by most pages and
// every report, and changes a few times a year. Each instance keeps the
// tree it read last with the tree's version, a counter in the settings
// table that every change to the tree increments in its own transaction.
// A request then reads one row instead of the whole tree; a change made by
// any instance (or a command run beside them) is seen on the next request.
// On the national data set the tree was a sixth of Sheet 3's time.

// treeVersionKey is the settings row holding the tree's version.
const treeVersionKey = "org.tree_version"

type treeCache struct {
	mu      sync.Mutex
	version string
	tree    *peercircle.Tree
}

// BumpTreeVersion marks the organisation tree changed, inside the
// transaction that changes it. The store's own methods do it; code that
// writes the tree's tables directly (the data generator) must too.
func BumpTreeVersion(tx *Tx) error {
	_, err := tx.Exec(`INSERT INTO settings (key, value) VALUES (?, '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)`, treeVersionKey)
	return err
}

// writeTree runs fn in a write transaction that also bumps the tree's version.
func (s *Store) writeTree(ctx context.Context, fn func(tx *Tx) error) error {
	return s.DB.Write(ctx, func(tx *Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return BumpTreeVersion(tx)
	})
}

// Tree returns the whole organisation tree. Every caller gets the same
// tree until it changes, which it must not change (peercircle.Tree): a copy
// per call was 3 000 sites per request on a country's data set.
// TestNoPageChangesTheSharedTree (web) visits every route as every role
// and finds the tree as it was.
func (s *Store) Tree(ctx context.Context) (*peercircle.Tree, error) {
	c := s.tree
	if c == nil {
		t, _, err := s.loadTree(ctx)
		return t, err
	}
	var version string
	err := s.DB.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", treeVersionKey).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	c.mu.Lock()
	if c.tree != nil && c.version == version {
		t := c.tree
		c.mu.Unlock()
		return t, nil
	}
	c.mu.Unlock()
	t, version, err := s.loadTree(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.tree, c.version = t, version
	c.mu.Unlock()
	return t, nil
}
