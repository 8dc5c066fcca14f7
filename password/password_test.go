package password

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// cheap are the smallest parameters argon2id accepts, so tests that only
// exercise parsing do not pay 19 MiB per hash under the race detector.
var cheap = params{memory: 8, time: 1, threads: 1}

// mustEncode hashes pw with the given parameters and a fixed salt.
func mustEncode(tb testing.TB, p params, pw string) string {
	tb.Helper()
	salt := []byte("0123456789abcdef")
	return encode(p, salt, derive(pw, salt, p, keyLen))
}

func TestHashAndVerify(t *testing.T) {
	const pw = "correct horse battery staple"
	encoded, err := Hash(pw)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the hash uses the current parameters in PHC format", func(t *testing.T) {
		re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$`)
		m := re.FindStringSubmatch(encoded)
		if m == nil {
			t.Fatalf("Hash() = %q, not in the expected format", encoded)
		}
		if salt, _ := base64.RawStdEncoding.DecodeString(m[1]); len(salt) != 16 {
			t.Errorf("salt is %d bytes, want 16", len(salt))
		}
		if key, _ := base64.RawStdEncoding.DecodeString(m[2]); len(key) != 32 {
			t.Errorf("key is %d bytes, want 32", len(key))
		}
	})

	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"the right password verifies", pw, true},
		{"a wrong password does not verify", "correct horse battery stapler", false},
		{"a case change does not verify", "Correct horse battery staple", false},
		{"an empty password does not verify", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := Verify(encoded, tt.pw)
			if err != nil {
				t.Fatalf("Verify() error = %v", err)
			}
			if ok != tt.want {
				t.Errorf("Verify() = %v, want %v", ok, tt.want)
			}
		})
	}

	t.Run("two hashes of one password differ by their salt", func(t *testing.T) {
		again, err := Hash(pw)
		if err != nil {
			t.Fatal(err)
		}
		if again == encoded {
			t.Error("Hash() returned the same string twice")
		}
	})

	t.Run("a fresh hash needs no rehash", func(t *testing.T) {
		if NeedsRehash(encoded) {
			t.Error("NeedsRehash() = true for a hash made just now")
		}
	})
}

func TestVerifyRefusesMalformedStrings(t *testing.T) {
	good := mustEncode(t, cheap, "pw")
	salt := base64.RawStdEncoding.EncodeToString([]byte("0123456789abcdef"))
	key := base64.RawStdEncoding.EncodeToString(make([]byte, 32))
	tail := "$" + salt + "$" + key

	tests := []struct {
		name    string
		encoded string
	}{
		{"an empty string", ""},
		{"a bare dollar", "$"},
		{"a bcrypt hash", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i instead of argon2id", "$argon2i$v=19$m=8,t=1,p=1" + tail},
		{"a missing leading dollar", "argon2id$v=19$m=8,t=1,p=1" + tail},
		{"an extra field", "$argon2id$v=19$m=8,t=1,p=1" + tail + "$x"},
		{"a missing version", "$argon2id$m=8,t=1,p=1" + tail},
		{"version 16", "$argon2id$v=16$m=8,t=1,p=1" + tail},
		{"a version that is not a number", "$argon2id$v=x$m=8,t=1,p=1" + tail},
		{"parameters out of order", "$argon2id$v=19$t=1,m=8,p=1" + tail},
		{"a missing parameter", "$argon2id$v=19$m=8,t=1" + tail},
		{"an extra parameter", "$argon2id$v=19$m=8,t=1,p=1,k=1" + tail},
		{"a negative memory", "$argon2id$v=19$m=-8,t=1,p=1" + tail},
		{"a signed memory", "$argon2id$v=19$m=+8,t=1,p=1" + tail},
		{"a memory with a leading zero", "$argon2id$v=19$m=08,t=1,p=1" + tail},
		{"a memory beyond 32 bits", "$argon2id$v=19$m=4294967296,t=1,p=1" + tail},
		{"a memory above the 1 GiB bound", "$argon2id$v=19$m=1048577,t=1,p=1" + tail},
		{"less than 8 KiB of memory per lane", "$argon2id$v=19$m=15,t=2,p=2" + tail},
		{"zero iterations", "$argon2id$v=19$m=8,t=0,p=1" + tail},
		{"too many iterations", "$argon2id$v=19$m=8,t=65,p=1" + tail},
		{"zero lanes", "$argon2id$v=19$m=8,t=1,p=0" + tail},
		{"more than 64 lanes", "$argon2id$v=19$m=8192,t=1,p=256" + tail},
		{"an empty salt", "$argon2id$v=19$m=8,t=1,p=1$$" + key},
		{"a 4-byte salt", "$argon2id$v=19$m=8,t=1,p=1$AAAAAA$" + key},
		{"a salt that is not base64", "$argon2id$v=19$m=8,t=1,p=1$!!!!!!!!!!!!$" + key},
		{"a padded salt", "$argon2id$v=19$m=8,t=1,p=1$" + salt + "==$" + key},
		{"an empty hash", "$argon2id$v=19$m=8,t=1,p=1$" + salt + "$"},
		{"a 4-byte hash", "$argon2id$v=19$m=8,t=1,p=1$" + salt + "$AAAAAA"},
		{"a hash that is not base64", "$argon2id$v=19$m=8,t=1,p=1$" + salt + "$" + strings.Repeat("*", 43)},
		{"a hash with non-canonical trailing bits", good[:len(good)-1] + "B"},
		{"a good hash cut short", good[:len(good)/2]},
	}
	for _, tt := range tests {
		t.Run("it refuses "+tt.name, func(t *testing.T) {
			ok, err := Verify(tt.encoded, "pw")
			if ok {
				t.Error("Verify() = true")
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("Verify() error = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestDecodeReadsParametersBack(t *testing.T) {
	tests := []struct {
		name string
		p    params
	}{
		{"the smallest parameters", cheap},
		{"several lanes", params{memory: 64, time: 3, threads: 4}},
		{"a larger memory", params{memory: 1024, time: 1, threads: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" round-trip through the encoded string", func(t *testing.T) {
			encoded := mustEncode(t, tt.p, "pw")
			got, salt, key, err := decode(encoded)
			if err != nil {
				t.Fatalf("decode(%q) error = %v", encoded, err)
			}
			if got != tt.p {
				t.Errorf("decode() params = %+v, want %+v", got, tt.p)
			}
			if string(salt) != "0123456789abcdef" || len(key) != keyLen {
				t.Errorf("decode() salt = %q, key length %d", salt, len(key))
			}
			ok, err := Verify(encoded, "pw")
			if err != nil || !ok {
				t.Errorf("Verify() = %v, %v; want true, nil", ok, err)
			}
		})
	}

	t.Run("a key of another length still verifies", func(t *testing.T) {
		salt := []byte("saltsaltsalt")
		encoded := encode(cheap, salt, derive("pw", salt, cheap, 16))
		if ok, err := Verify(encoded, "pw"); err != nil || !ok {
			t.Errorf("Verify() = %v, %v; want true, nil", ok, err)
		}
	})
}

func TestNeedsRehash(t *testing.T) {
	tests := []struct {
		name    string
		encoded string
		want    bool
	}{
		{"current parameters need nothing", mustEncode(t, current, "pw"), false},
		{"stronger parameters need nothing", mustEncode(t, params{memory: 2 * memoryKiB, time: 3, threads: 2}, "pw"), false},
		{"less memory needs a rehash", mustEncode(t, params{memory: 4096, time: 4, threads: 1}, "pw"), true},
		{"fewer iterations need a rehash", mustEncode(t, params{memory: memoryKiB, time: 1, threads: 1}, "pw"), true},
		{"a short key needs a rehash", "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAA", true},
		{"a short salt needs a rehash", "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc$" + strings.Repeat("A", 43), true},
		{"a malformed string needs a rehash", "not a hash", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NeedsRehash(tt.encoded); got != tt.want {
				t.Errorf("NeedsRehash(%q) = %v, want %v", tt.encoded, got, tt.want)
			}
		})
	}
}

func TestVerifyDummyRunsWithoutAHash(t *testing.T) {
	// Timing is not asserted (too noisy on shared machines); this guards
	// that the path exists and works for any input, including empty.
	for _, pw := range []string{"", "a password", strings.Repeat("x", MaxLength)} {
		VerifyDummy(pw)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(mustEncode(f, cheap, "pw"))
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$$")
	f.Add("$$$$$")
	f.Add("")
	f.Fuzz(func(t *testing.T, encoded string) {
		p, salt, key, err := decode(encoded)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("decode() error %v does not wrap ErrMalformed", err)
			}
			if ok, verr := Verify(encoded, "pw"); ok || verr == nil {
				t.Fatalf("Verify() = %v, %v after decode() failed", ok, verr)
			}
			return
		}
		// Whatever parses must encode back to the same string: one hash,
		// one spelling.
		if again := encode(p, salt, key); again != encoded {
			t.Fatalf("encode(decode(%q)) = %q", encoded, again)
		}
		// Running argon2 is only affordable for small costs.
		if uint64(p.memory)*uint64(p.time) <= 1024 {
			if _, err := Verify(encoded, "pw"); err != nil {
				t.Fatalf("Verify() error = %v after decode() succeeded", err)
			}
		}
	})
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
