package seal

import (
	"errors"
	"testing"
)

func TestKeyring(t *testing.T) {
	old, cur := mustKey(t, 1, 0x01), mustKey(t, 2, 0x02)
	r, err := NewKeyring(cur, old)
	if err != nil {
		t.Fatal(err)
	}
	const context = "complaint:8:body"
	byOld := old.SealString("sealed before the rotation", context)
	byCur := r.SealString("sealed after the rotation", context)

	t.Run("new values are sealed with the current key", func(t *testing.T) {
		if byCur[1] != cur.ID() || r.Current() != cur {
			t.Errorf("sealed with key id %d, want %d", byCur[1], cur.ID())
		}
	})

	tests := []struct {
		name   string
		sealed []byte
		want   string
	}{
		{"a value sealed by an older key opens", byOld, "sealed before the rotation"},
		{"a value sealed by the current key opens", byCur, "sealed after the rotation"},
		{"nil opens to empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.OpenString(tt.sealed, context)
			if err != nil || got != tt.want {
				t.Errorf("OpenString() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}

	t.Run("a value sealed by a key left out of the ring is refused", func(t *testing.T) {
		stray := mustKey(t, 3, 0x03).SealString("x", context)
		if _, err := r.Open(stray, context); !errors.Is(err, ErrUnknownKey) {
			t.Errorf("Open() error = %v, want ErrUnknownKey", err)
		}
	})

	t.Run("a ring key still checks the context", func(t *testing.T) {
		if _, err := r.Open(byOld, "complaint:9:body"); !errors.Is(err, ErrOpen) {
			t.Errorf("Open() error = %v, want ErrOpen", err)
		}
	})

	t.Run("only values under older keys need resealing", func(t *testing.T) {
		if !r.NeedsReseal(byOld) || r.NeedsReseal(byCur) || r.NeedsReseal(nil) {
			t.Error("NeedsReseal() picked the wrong values")
		}
	})

	t.Run("two keys with one id are refused", func(t *testing.T) {
		if _, err := NewKeyring(cur, old, mustKey(t, 1, 0x09)); err == nil {
			t.Error("NewKeyring() accepted a duplicate id")
		}
		if _, err := NewKeyring(cur, mustKey(t, 2, 0x09)); err == nil {
			t.Error("NewKeyring() accepted an older key with the current id")
		}
	})
}
