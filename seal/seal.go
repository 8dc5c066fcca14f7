// Package seal encrypts PeerCircle's confidential text at rest: case notes,
// complaints, support requests, contact details and GROW worksheets.
//
// The key lives outside the database (a file or an environment variable), so
// a copied database or backup alone reveals nothing of what members wrote.
// Each sealed value is bound to a context string naming its place, such as
// "summary:42:key_issues", so a ciphertext copied into another row or column
// does not open there.
//
// A sealed value is
//
//	version (1 byte) | key id (1 byte) | nonce (12 bytes) | AES-256-GCM ciphertext and tag
//
// The version and key id are authenticated along with the context. The key
// id lets a Keyring open values sealed under older keys after a rotation.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

const (
	version   byte = 1
	nonceSize      = 12
	tagSize        = 16
	headerLen      = 2 + nonceSize
	// Overhead is how many bytes sealing adds to a non-empty plaintext, for
	// sizing database columns.
	Overhead = headerLen + tagSize
)

// Open's failures are deliberately coarse: telling a caller (or an attacker
// who controls a row) which check failed would only help forge values.
var (
	// ErrOpen means the value was not sealed by this key for this context,
	// or was altered since: wrong key, wrong context, tampering, truncation
	// or an unknown format version.
	ErrOpen = errors.New("seal: cannot open sealed value")
	// ErrUnknownKey means the value names a key id that is not loaded,
	// typically an older key left out after a rotation.
	ErrUnknownKey = errors.New("seal: value was sealed with an unknown key")
)

// Key is one AES-256-GCM key with its id. It is safe for concurrent use. Its
// String method never prints the key material, so a Key that reaches a log
// line by mistake leaks only its id.
type Key struct {
	id   byte
	raw  []byte
	aead cipher.AEAD
}

// GenerateKey returns a fresh random key with the given id. Use a new id for
// each rotation so values sealed under the old key can still be found.
func GenerateKey(id byte) *Key {
	raw := make([]byte, KeySize)
	rand.Read(raw) // never fails since Go 1.24; it crashes the program instead.
	k, err := newKey(id, raw)
	if err != nil {
		panic(err) // unreachable: raw has the right length
	}
	return k
}

// ParseKey reads a key in the form that Export writes (standard base64 of
// the id byte followed by the 32 key bytes), as given through an environment
// variable. Surrounding white space is ignored. Errors never quote s, so they
// are safe to log.
func ParseKey(s string) (*Key, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("seal: key is not valid base64")
	}
	if len(b) != 1+KeySize {
		return nil, fmt.Errorf("seal: key decodes to %d bytes, want %d (id and %d-byte key)", len(b), 1+KeySize, KeySize)
	}
	return newKey(b[0], b[1:])
}

func newKey(id byte, raw []byte) (*Key, error) {
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &Key{id: id, raw: append([]byte(nil), raw...), aead: aead}, nil
}

// ID returns the key id recorded in every value this key seals.
func (k *Key) ID() byte { return k.id }

// Export returns the key in the one-line form that ParseKey and key files
// use. It is the only way to see the key material, so that printing it is
// always a deliberate act (backing up the key, moving it to a secret store).
func (k *Key) Export() string {
	return base64.StdEncoding.EncodeToString(append([]byte{k.id}, k.raw...))
}

// String identifies the key without revealing it.
func (k *Key) String() string { return fmt.Sprintf("seal.Key(id=%d)", k.id) }

// GoString keeps %#v from printing the key material.
func (k *Key) GoString() string { return k.String() }

// LogValue keeps slog from printing the key material.
func (k *Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// Seal encrypts plaintext and binds it to context. Empty plaintext seals to
// nil, so an optional field left blank needs no ciphertext; anyone able to
// write the row could blank the field anyway. With random 96-bit nonces one
// key should seal no more than about four billion values; rotate before then.
func (k *Key) Seal(plaintext []byte, context string) []byte {
	if len(plaintext) == 0 {
		return nil
	}
	out := make([]byte, headerLen, headerLen+len(plaintext)+tagSize)
	out[0] = version
	out[1] = k.id
	rand.Read(out[2:headerLen])
	return k.aead.Seal(out, out[2:headerLen], plaintext, aad(out[:2], context))
}

// Open decrypts a value sealed by this key for this context. A nil or empty
// value opens to nil. Every other failure wraps ErrOpen, or ErrUnknownKey
// when the value names another key id.
func (k *Key) Open(sealed []byte, context string) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, nil
	}
	id, err := keyID(sealed)
	if err != nil {
		return nil, err
	}
	if id != k.id {
		return nil, fmt.Errorf("%w: key id %d", ErrUnknownKey, id)
	}
	return k.open(sealed, context)
}

func (k *Key) open(sealed []byte, context string) ([]byte, error) {
	nonce := sealed[2:headerLen]
	pt, err := k.aead.Open(nil, nonce, sealed[headerLen:], aad(sealed[:2], context))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// SealString is Seal for text fields.
func (k *Key) SealString(plaintext, context string) []byte {
	return k.Seal([]byte(plaintext), context)
}

// OpenString is Open for text fields; a nil value opens to "".
func (k *Key) OpenString(sealed []byte, context string) (string, error) {
	pt, err := k.Open(sealed, context)
	return string(pt), err
}

// keyID checks the envelope's shape and returns the key id it names.
func keyID(sealed []byte) (byte, error) {
	if len(sealed) < Overhead+1 {
		return 0, fmt.Errorf("%w: too short", ErrOpen)
	}
	if sealed[0] != version {
		return 0, fmt.Errorf("%w: unknown version %d", ErrOpen, sealed[0])
	}
	return sealed[1], nil
}

// aad authenticates the header along with the context, so neither can be
// changed without Open failing. The header has a fixed length, so the
// concatenation is unambiguous.
func aad(header []byte, context string) []byte {
	return append(append(make([]byte, 0, len(header)+len(context)), header...), context...)
}
