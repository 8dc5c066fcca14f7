package seal

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// mustKey returns a key with the given id whose bytes are all fill, so tests
// can build two keys that share an id but not their material.
func mustKey(tb testing.TB, id, fill byte) *Key {
	tb.Helper()
	k, err := newKey(id, bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := GenerateKey(7)
	tests := []struct {
		name      string
		plaintext []byte
	}{
		{"one byte survives", []byte("x")},
		{"a sentence survives", []byte("We agreed to ask the area manager about night-shift cover.")},
		{"Arabic text survives", []byte("اتفقنا على طلب دعم إضافي من إدارة المنطقة")},
		{"binary data with zero bytes survives", []byte{0, 1, 2, 0, 255}},
		{"a long worksheet survives", bytes.Repeat([]byte("Goal, Reality, Options, Will. "), 2000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed := k.Seal(tt.plaintext, "summary:42:key_issues")
			if len(sealed) != len(tt.plaintext)+Overhead {
				t.Errorf("sealed length = %d, want %d", len(sealed), len(tt.plaintext)+Overhead)
			}
			if sealed[0] != version || sealed[1] != 7 {
				t.Errorf("header = % x, want version %d and key id 7", sealed[:2], version)
			}
			if len(tt.plaintext) > 8 && bytes.Contains(sealed, tt.plaintext[:8]) {
				t.Error("sealed value contains the plaintext")
			}
			got, err := k.Open(sealed, "summary:42:key_issues")
			if err != nil {
				t.Fatalf("Open() error = %v", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Open() = %q, want %q", got, tt.plaintext)
			}
		})
	}

	t.Run("strings survive through the string helpers", func(t *testing.T) {
		sealed := k.SealString("call me on the ward phone", "membership:3:contact")
		got, err := k.OpenString(sealed, "membership:3:contact")
		if err != nil || got != "call me on the ward phone" {
			t.Errorf("OpenString() = %q, %v", got, err)
		}
	})

	t.Run("empty plaintext seals to nil and nil opens to empty", func(t *testing.T) {
		if sealed := k.Seal(nil, "c"); sealed != nil {
			t.Errorf("Seal(nil) = %x, want nil", sealed)
		}
		if sealed := k.SealString("", "c"); sealed != nil {
			t.Errorf("SealString(\"\") = %x, want nil", sealed)
		}
		if got, err := k.OpenString(nil, "c"); err != nil || got != "" {
			t.Errorf("OpenString(nil) = %q, %v", got, err)
		}
		if got, err := k.Open([]byte{}, "c"); err != nil || got != nil {
			t.Errorf("Open(empty) = %q, %v", got, err)
		}
	})

	t.Run("sealing the same text twice gives different values", func(t *testing.T) {
		a, b := k.SealString("same", "c"), k.SealString("same", "c")
		if bytes.Equal(a, b) {
			t.Error("two seals are identical; the nonce is not fresh")
		}
	})
}

func TestOpenRefuses(t *testing.T) {
	k := mustKey(t, 1, 0xAA)
	const context = "summary:42:key_issues"
	sealed := k.SealString("the rota is unfair to night staff", context)

	tests := []struct {
		name    string
		key     *Key
		sealed  []byte
		context string
		want    error
	}{
		{"a value moved to another row", k, sealed, "summary:43:key_issues", ErrOpen},
		{"a value moved to another column", k, sealed, "summary:42:decisions", ErrOpen},
		{"a value opened with an empty context", k, sealed, "", ErrOpen},
		{"a value opened with another key of the same id", mustKey(t, 1, 0xBB), sealed, context, ErrOpen},
		{"a value opened with a key of another id", mustKey(t, 2, 0xAA), sealed, context, ErrUnknownKey},
		{"a value cut short by one byte", k, sealed[:len(sealed)-1], context, ErrOpen},
		{"a value shorter than the envelope", k, sealed[:Overhead], context, ErrOpen},
		{"a single byte", k, []byte{version}, context, ErrOpen},
		{"a value with an unknown version", k, withByte(sealed, 0, 2), context, ErrOpen},
		{"a value with a relabelled key id", k, withByte(sealed, 1, 9), context, ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run("it refuses "+tt.name, func(t *testing.T) {
			got, err := tt.key.Open(tt.sealed, tt.context)
			if !errors.Is(err, tt.want) {
				t.Errorf("Open() error = %v, want %v", err, tt.want)
			}
			if got != nil {
				t.Errorf("Open() returned %q alongside an error", got)
			}
		})
	}

	t.Run("it refuses a value with any single byte flipped", func(t *testing.T) {
		for i := range sealed {
			tampered := withByte(sealed, i, sealed[i]^0x01)
			if _, err := k.Open(tampered, context); err == nil {
				t.Errorf("Open() accepted a value with byte %d flipped", i)
			}
		}
	})
}

// withByte returns a copy of b with b[i] set to v.
func withByte(b []byte, i int, v byte) []byte {
	c := bytes.Clone(b)
	c[i] = v
	return c
}

func TestParseKey(t *testing.T) {
	good := mustKey(t, 5, 0x11).Export()
	tests := []struct {
		name    string
		s       string
		wantID  byte
		wantErr bool
	}{
		{"an exported key parses", good, 5, false},
		{"surrounding white space and a newline are ignored", "  " + good + "\n", 5, false},
		{"an empty string is refused", "", 0, true},
		{"text that is not base64 is refused", "not a key!", 0, true},
		{"a bare 32-byte key without an id is refused", b64(bytes.Repeat([]byte{0x11}, KeySize)), 0, true},
		{"a key with a byte too many is refused", b64(bytes.Repeat([]byte{0x11}, KeySize+2)), 0, true},
		{"unpadded base64 is refused", strings.TrimRight(b64(bytes.Repeat([]byte{0x11}, KeySize+2)), "="), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKey(tt.s)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseKey() error = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				if tt.s != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.s)) {
					t.Errorf("error %q quotes the key", err)
				}
				return
			}
			if k.ID() != tt.wantID {
				t.Errorf("ID() = %d, want %d", k.ID(), tt.wantID)
			}
		})
	}

	t.Run("a parsed key opens what the original sealed", func(t *testing.T) {
		orig := GenerateKey(3)
		parsed, err := ParseKey(orig.Export())
		if err != nil {
			t.Fatal(err)
		}
		got, err := parsed.OpenString(orig.SealString("hello", "c"), "c")
		if err != nil || got != "hello" {
			t.Errorf("OpenString() = %q, %v", got, err)
		}
	})
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func TestKeyNeverPrintsItsMaterial(t *testing.T) {
	k := mustKey(t, 4, 0x41) // 'A' bytes would show up in any dump
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("loaded", "key", k)
	outputs := map[string]string{
		"%v":     fmt.Sprintf("%v", k),
		"%+v":    fmt.Sprintf("%+v", k),
		"%#v":    fmt.Sprintf("%#v", k),
		"Sprint": fmt.Sprint(k),
		"slog":   logged.String(),
	}
	for verb, out := range outputs {
		t.Run("formatting with "+verb+" shows only the id", func(t *testing.T) {
			if strings.Contains(out, "AAAA") || strings.Contains(out, "65 65") || strings.Contains(out, "QUFB") {
				t.Errorf("output %q shows key material", out)
			}
			if !strings.Contains(out, "id=4") {
				t.Errorf("output %q does not name the key id", out)
			}
		})
	}
}

func FuzzOpen(f *testing.F) {
	k := mustKey(f, 1, 0xAA)
	f.Add(k.SealString("seed", "c"), "c")
	f.Add([]byte{version, 1}, "c")
	f.Add([]byte{}, "")
	f.Add(bytes.Repeat([]byte{1}, Overhead+1), "c")
	r, err := NewKeyring(k, mustKey(f, 2, 0xBB))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sealed []byte, context string) {
		// Random input must fail cleanly; only the genuine seed may open.
		got, err := k.Open(sealed, context)
		if err == nil && len(sealed) != 0 && (string(got) != "seed" || context != "c") {
			t.Fatalf("Open() accepted %x as %q", sealed, got)
		}
		if _, rerr := r.Open(sealed, context); (rerr == nil) != (err == nil) {
			t.Fatalf("Keyring.Open() error = %v, Key.Open() error = %v", rerr, err)
		}
		r.NeedsReseal(sealed)
	})
}

func BenchmarkSeal(b *testing.B) {
	k := GenerateKey(1)
	pt := bytes.Repeat([]byte("a"), 512)
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		k.Seal(pt, "summary:42:key_issues")
	}
}
