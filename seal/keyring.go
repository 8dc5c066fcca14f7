package seal

import "fmt"

// Keyring seals with the current key and opens with whichever key a value
// names, so keys can be rotated without re-encrypting every row at once: load
// the new key as current and the old ones beside it, re-seal in the
// background (NeedsReseal finds the rows), then drop the old keys.
type Keyring struct {
	current *Key
	byID    map[byte]*Key
}

// NewKeyring returns a keyring that seals with current and also opens values
// sealed by older. Two keys with one id are refused: Open could not tell
// which one a value needs.
func NewKeyring(current *Key, older ...*Key) (*Keyring, error) {
	r := &Keyring{current: current, byID: map[byte]*Key{current.id: current}}
	for _, k := range older {
		if _, dup := r.byID[k.id]; dup {
			return nil, fmt.Errorf("seal: two keys with id %d", k.id)
		}
		r.byID[k.id] = k
	}
	return r, nil
}

// Current returns the key new values are sealed with.
func (r *Keyring) Current() *Key { return r.current }

// Seal seals with the current key; see Key.Seal.
func (r *Keyring) Seal(plaintext []byte, context string) []byte {
	return r.current.Seal(plaintext, context)
}

// Open opens a value sealed by any key in the ring; see Key.Open.
func (r *Keyring) Open(sealed []byte, context string) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, nil
	}
	id, err := keyID(sealed)
	if err != nil {
		return nil, err
	}
	k, ok := r.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: key id %d", ErrUnknownKey, id)
	}
	return k.open(sealed, context)
}

// SealString is Seal for text fields.
func (r *Keyring) SealString(plaintext, context string) []byte {
	return r.Seal([]byte(plaintext), context)
}

// OpenString is Open for text fields; a nil value opens to "".
func (r *Keyring) OpenString(sealed []byte, context string) (string, error) {
	pt, err := r.Open(sealed, context)
	return string(pt), err
}

// NeedsReseal reports whether a stored value was sealed by a key other than
// the current one, for the job that re-seals rows after a rotation. It reads
// only the header and does not check that the value opens.
func (r *Keyring) NeedsReseal(sealed []byte) bool {
	return len(sealed) >= 2 && sealed[1] != r.current.id
}
