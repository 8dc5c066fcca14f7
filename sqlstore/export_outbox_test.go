package sqlstore

import "github.com/peercircle/peercircle"

// NotifyTx writes a bell notice (and its outbox message) inside a caller's
// transaction, for the outbox's tests.
func (s *Store) NotifyTx(tx *Tx, n *peercircle.Notification) error { return s.notifyTx(tx, n) }
