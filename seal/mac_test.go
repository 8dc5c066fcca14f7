package seal

import (
	"bytes"
	"testing"
)

func TestMAC(t *testing.T) {
	k := GenerateKey(1)
	other := GenerateKey(1)
	a := k.MAC([]byte("192.0.2.7"), "complaint:addr")
	t.Run("the same input under the same key gives the same MAC", func(t *testing.T) {
		if !bytes.Equal(a, k.MAC([]byte("192.0.2.7"), "complaint:addr")) {
			t.Fatal("MAC is not deterministic")
		}
	})
	t.Run("another input, context or key gives another MAC", func(t *testing.T) {
		for name, m := range map[string][]byte{
			"input":   k.MAC([]byte("192.0.2.8"), "complaint:addr"),
			"context": k.MAC([]byte("192.0.2.7"), "signin:addr"),
			"key":     other.MAC([]byte("192.0.2.7"), "complaint:addr"),
			// The separator keeps context and data from running together.
			"split": k.MAC([]byte("addr192.0.2.7"), "complaint:"),
		} {
			if bytes.Equal(a, m) {
				t.Errorf("changing the %s gave the same MAC", name)
			}
		}
	})
	t.Run("the MAC does not contain the input", func(t *testing.T) {
		if bytes.Contains(a, []byte("192.0.2.7")) || len(a) != 32 {
			t.Fatalf("MAC = %x", a)
		}
	})
	t.Run("a keyring uses its current key", func(t *testing.T) {
		r, err := NewKeyring(k, GenerateKey(2))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.MAC([]byte("192.0.2.7"), "complaint:addr"), a) {
			t.Fatal("keyring MAC differs from its current key's")
		}
	})
}
