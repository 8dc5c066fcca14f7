package seal

import (
	"crypto/hmac"
	"crypto/sha256"
)

// MAC returns a keyed hash of data bound to context (HMAC-SHA256 under a
// key derived from the current key). It is for looking things up without
// storing them: the same input gives the same MAC while the key stays, and
// without the key, which lives outside the database, a MAC cannot be
// matched to a guess (an address, a short code) by trying them all.
// Rotating the key changes every MAC, so use it only for short-lived
// records such as throttling counters.
func (r *Keyring) MAC(data []byte, context string) []byte {
	return r.current.MAC(data, context)
}

// MAC is Keyring.MAC with this key.
func (k *Key) MAC(data []byte, context string) []byte {
	derive := hmac.New(sha256.New, k.raw)
	derive.Write([]byte("peercircle mac v1"))
	m := hmac.New(sha256.New, derive.Sum(nil))
	m.Write([]byte(context))
	m.Write([]byte{0})
	m.Write(data)
	return m.Sum(nil)
}
