// Package peercircle holds the domain of PeerCircle: the nouns of a peer
// support group programme (organisation tree, people, roles, groups, sessions,
// summaries, reports), their rules, and the service interfaces that storage
// implements. It imports nothing from the outside world; packages named for an
// outside thing (sqlstore, web, ...) depend on it, never the other way round.
package peercircle

import "time"

// Clock is the source of the current time. Services take one so tests can move
// time forward (idle time-outs, quarter boundaries) without sleeping.
type Clock func() time.Time

// SystemClock is the real clock, in UTC.
func SystemClock() time.Time { return time.Now().UTC() }
