package sqlstore

import (
	"context"
	"strings"

	"github.com/peercircle/peercircle"
	"github.com/peercircle/peercircle/guard"
)

// NamesOf returns the names the guard protects in a text about people
// outside a meeting: the members and facilitators of a group (0 for none)
// and the people given.
func (s *Store) NamesOf(ctx context.Context, groupID int64, people ...int64) ([]string, error) {
	var out []string
	err := s.DB.Read(ctx, func(tx *Tx) (err error) {
		out, err = namesOfTx(tx, groupID, people...)
		return err
	})
	return out, err
}

func namesOfTx(tx *Tx, groupID int64, people ...int64) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(full, display string) {
		for _, n := range []string{full, display} {
			// An erased person has no name left to protect (mydata.go).
			if n = strings.TrimSpace(n); n != "" && !seen[n] && !peercircle.IsErasedName(n) {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	if groupID != 0 {
		rows, err := tx.Query(`SELECT p.full_name, p.display_name FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.group_id = ?`, groupID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var full, display string
			if err := rows.Scan(&full, &display); err != nil {
				rows.Close()
				return nil, err
			}
			add(full, display)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, id := range people {
		var full, display string
		if err := tx.QueryRow("SELECT full_name, display_name FROM people WHERE id = ?", id).Scan(&full, &display); err != nil {
			return nil, notFound(err, "person")
		}
		add(full, display)
	}
	return out, nil
}

// guardNamesTx is the confidentiality guard at the point of saving a text
// about people outside a meeting: any finding in texts (field → text) whose
// key is not in allowed refuses the save (field, "guard.unconfirmed"). It
// returns how many findings the writer confirmed as "not a person", for
// the audit log, which never holds the words.
func guardNamesTx(names []string, texts map[string]string, allowed map[string][]string) (confirmed int, err error) {
	g := guard.New(names)
	f := peercircle.FieldErrors{}
	for field, text := range texts {
		fs := g.Check(text)
		left := guard.Unconfirmed(fs, allowed[field])
		if len(left) > 0 {
			f.Add(field, "guard.unconfirmed")
		}
		confirmed += len(fs) - len(left)
	}
	return confirmed, f.Err()
}
