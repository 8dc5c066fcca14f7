package sqlstore

import (
	"database/sql"
	"errors"
	"strconv"
	"sync"

	"github.com/peercircle/peercircle"
)

// namesVersionKey is the settings row holding the version of people's
// names, moved by triggers on every change to a name and every person
// deleted (migration 1306).
const namesVersionKey = "people.names_version"

// maxNames bounds the names memo: a national organisation's facilitators
// are a few thousand.
const maxNames = 50_000

// namesMemo keeps people's names as the organisation shows them, as read
// at one version of the names. A report names every facilitator of a
// region's quarter (hundreds of people); with the memo it reads the
// version instead, and the names of people it has not met. Another
// instance's change moves the version, so no instance shows a name that
// has changed.
type namesMemo struct {
	mu      sync.Mutex
	version string
	names   map[int64]string
}

// namesMemo is the store's memo of names, or nil for a store that counts
// everything from the raw rows (the reference the tests compare with).
func (s *Store) namesMemo() *namesMemo {
	if s.CountRaw {
		return nil
	}
	return s.names
}

// of returns how the given people are named beyond their groups
// (peercircle.InOrganisation), reading in tx those the memo lacks: Sheet 3
// and the roll-ups credit facilitators with the name they chose, as the
// group page does. A memo may be nil: then every name is read.
func (m *namesMemo) of(tx *Tx, ids map[int64]bool) (map[int64]string, error) {
	var version string
	if err := tx.QueryRow("SELECT value FROM settings WHERE key = ?", namesVersionKey).Scan(&version); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	out := make(map[int64]string, len(ids))
	missing := make([]any, 0, len(ids))
	if m != nil {
		// Names read at an older version are kept but for those of the
		// people renamed since, when the log still reaches back to it.
		m.mu.Lock()
		was := m.version
		m.mu.Unlock()
		var changed map[int64]bool
		ok := false
		if was != version {
			var err error
			if changed, ok, err = namesChangedSince(tx, was); err != nil {
				return nil, err
			}
		}
		m.mu.Lock()
		switch {
		case m.names == nil || (m.version != version && (!ok || m.version != was)):
			m.version, m.names = version, map[int64]string{}
		case m.version != version:
			for id := range changed {
				delete(m.names, id)
			}
			m.version = version
		}
		for id := range ids {
			if n, ok := m.names[id]; ok {
				out[id] = n
			} else {
				missing = append(missing, id)
			}
		}
		m.mu.Unlock()
	} else {
		for id := range ids {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	read := map[int64]string{}
	for list := missing; len(list) > 0; {
		n := min(len(list), 500)
		in, args := padList(list[:n])
		rows, err := tx.Query("SELECT id, full_name, display_name FROM people WHERE id IN ("+in+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var n peercircle.Names
			if err := rows.Scan(&id, &n.Full, &n.Chosen); err != nil {
				rows.Close()
				return nil, err
			}
			read[id] = n.For(peercircle.InOrganisation)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		list = list[n:]
	}
	for id, n := range read {
		out[id] = n
	}
	if m != nil {
		m.mu.Lock()
		if m.version == version { // not moved on by a newer read meanwhile
			if len(m.names)+len(read) > maxNames {
				m.names = map[int64]string{}
			}
			for id, n := range read {
				m.names[id] = n
			}
		}
		m.mu.Unlock()
	}
	return out, nil
}

// namesChangedSince returns the people whose names changed after version
// from (a value of the names' version), as logged by migration 1309; ok is
// false when the log does not reach back to it (its oldest changes are
// dropped, or from is not a version it logged). "" is the version before
// any name changed.
func namesChangedSince(tx *Tx, from string) (changed map[int64]bool, ok bool, err error) {
	var v int64
	if from != "" {
		if v, err = strconv.ParseInt(from, 10, 64); err != nil {
			return nil, false, nil
		}
	}
	rows, err := tx.Query("SELECT version, person_id FROM name_changes WHERE version > ? ORDER BY version", v)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	changed = map[int64]bool{}
	next := v + 1
	for rows.Next() {
		var version, id int64
		if err := rows.Scan(&version, &id); err != nil {
			return nil, false, err
		}
		if version != next {
			return nil, false, rows.Err()
		}
		next++
		changed[id] = true
	}
	return changed, next > v+1, rows.Err()
}
