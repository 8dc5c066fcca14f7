// Package password hashes, verifies and vets the passwords people use to
// sign in to PeerCircle.
//
// Hashes are argon2id in the PHC string format, so the cost parameters travel
// with each hash: they can be raised later without breaking old accounts, and
// NeedsRehash tells the sign-in handler when to store a fresh hash. Check
// applies the NIST SP 800-63B rules: a length window counted in characters
// (not bytes, because many members type Arabic passwords), no composition
// rules, and a refusal of passwords that attackers try first.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The current cost parameters are OWASP's minimum for argon2id. They are
// modest on purpose: a small site's server has to hash at every sign-in, and
// anything stored with less is upgraded through NeedsRehash.
const (
	memoryKiB = 19 * 1024 // 19 MiB
	timeCost  = 2
	lanes     = 1
	keyLen    = 32
	saltLen   = 16
)

// Bounds for parameters read back from a stored hash. They keep a corrupted
// or hostile row from making one sign-in allocate gigabytes or spin for
// minutes, while leaving ample room to raise the current parameters.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTimeCost  = 64
	maxLanes     = 64
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
)

// ErrMalformed is wrapped by Verify's error when the stored string is not an
// argon2id hash this package can read, so callers can tell a corrupt account
// row (log it, fail closed) from a wrong password (ok == false, nil error).
var ErrMalformed = errors.New("password: malformed hash")

// params are the argon2id costs as recorded in an encoded hash.
type params struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
}

var current = params{memory: memoryKiB, time: timeCost, threads: lanes}

// Hash returns an argon2id hash of pw in PHC string format with a fresh
// random salt, ready to store in the account row. It does not call Check:
// the caller decides which rules apply (for example none for a migration).
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: reading random salt: %w", err)
	}
	return encode(current, salt, derive(pw, salt, current, keyLen)), nil
}

// Verify reports whether pw matches the encoded hash. A wrong password is
// (false, nil); an encoded string that cannot be read is (false, error)
// wrapping ErrMalformed, never a panic. The comparison takes constant time.
func Verify(encoded, pw string) (ok bool, err error) {
	p, salt, want, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := derive(pw, salt, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NeedsRehash reports whether encoded was made with weaker parameters than
// the current ones, so the sign-in handler, which has the plain password in
// hand just after a successful Verify, can store a new hash. A string that
// cannot be read also needs rehashing: keeping it helps no one.
func NeedsRehash(encoded string) bool {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return true
	}
	return p.memory < current.memory ||
		p.time < current.time ||
		p.threads < current.threads ||
		len(salt) < saltLen ||
		len(key) < keyLen
}

// dummySalt is fixed: VerifyDummy's output is thrown away, so only the cost
// of the computation matters, not its secrecy.
var dummySalt = make([]byte, saltLen)

// VerifyDummy spends the same work as Verify against a current hash and
// discards the result. Sign-in calls it when no account matches the given
// name, so response times do not reveal which addresses have accounts.
func VerifyDummy(pw string) {
	derive(pw, dummySalt, current, keyLen)
}

func derive(pw string, salt []byte, p params, n uint32) []byte {
	return argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, n)
}

var b64 = base64.RawStdEncoding.Strict()

func encode(p params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decode parses "$argon2id$v=19$m=M,t=T,p=P$salt$key" strictly: fields in
// that order, decimal numbers without signs or leading zeros, unpadded
// standard base64, and every value within bounds.
func decode(encoded string) (params, []byte, []byte, error) {
	var p params
	fail := func(format string, args ...any) (params, []byte, []byte, error) {
		return p, nil, nil, fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
	}

	fields := strings.Split(encoded, "$")
	if len(fields) != 6 || fields[0] != "" {
		return fail("want 5 fields separated by $")
	}
	if fields[1] != "argon2id" {
		return fail("algorithm %q is not argon2id", fields[1])
	}

	v, ok := strings.CutPrefix(fields[2], "v=")
	if !ok {
		return fail("missing version")
	}
	if n, err := parseUint(v, 32); err != nil || n != argon2.Version {
		return fail("unsupported version %q", v)
	}

	costs := strings.Split(fields[3], ",")
	if len(costs) != 3 {
		return fail("want m, t and p parameters")
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		s, ok := strings.CutPrefix(costs[i], name+"=")
		if !ok {
			return fail("parameter %d is not %s", i+1, name)
		}
		n, err := parseUint(s, 32)
		if err != nil {
			return fail("parameter %s: %v", name, err)
		}
		vals[i] = n
	}
	m, t, threads := vals[0], vals[1], vals[2]
	switch {
	case threads < 1 || threads > maxLanes:
		return fail("p=%d out of range", threads)
	case t < 1 || t > maxTimeCost:
		return fail("t=%d out of range", t)
	case m < 8*threads || m > maxMemoryKiB:
		// argon2 needs at least 8 KiB per lane.
		return fail("m=%d out of range", m)
	}
	p = params{memory: uint32(m), time: uint32(t), threads: uint8(threads)}

	salt, err := b64.DecodeString(fields[4])
	if err != nil {
		return fail("salt: %v", err)
	}
	if len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return fail("salt is %d bytes", len(salt))
	}
	key, err := b64.DecodeString(fields[5])
	if err != nil {
		return fail("hash: %v", err)
	}
	if len(key) < minKeyLen || len(key) > maxKeyLen {
		return fail("hash is %d bytes", len(key))
	}
	return p, salt, key, nil
}

// parseUint accepts only canonical decimal: strconv alone would also take
// "007", and two spellings of one hash would make stored values surprising.
func parseUint(s string, bits int) (uint64, error) {
	if len(s) > 1 && s[0] == '0' {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return strconv.ParseUint(s, 10, bits)
}
