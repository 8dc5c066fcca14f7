package i18n

import (
	"fmt"
	"testing"
	"time"
)

func TestPluralRules(t *testing.T) {
	tests := []struct {
		lang  string
		rule  pluralRule
		cases map[uint64]category
	}{
		{"en", pluralEnglish, map[uint64]category{
			0: other, 1: one, 2: other, 3: other, 10: other, 11: other,
			99: other, 100: other, 101: other, 102: other, 111: other,
		}},
		{"fr", pluralFrench, map[uint64]category{
			0: one, 1: one, 2: other, 3: other, 10: other, 11: other,
			99: other, 100: other, 101: other, 102: other, 111: other,
			1_000_000: many, 2_000_000: many, 1_000_001: other,
		}},
		{"ar", pluralArabic, map[uint64]category{
			0: zero, 1: one, 2: two, 3: few, 10: few, 11: many,
			99: many, 100: other, 101: other, 102: other, 103: few,
			111: many, 1000: other, 1011: many,
		}},
	}
	for _, tt := range tests {
		for n, want := range tt.cases {
			name := fmt.Sprintf("in %s %d takes the %s form", languageNames[tt.lang], n, want)
			t.Run(name, func(t *testing.T) {
				if got := tt.rule(n); got != want {
					t.Errorf("got %s, want %s", got, want)
				}
			})
		}
	}
}

func TestPluralOperand(t *testing.T) {
	tests := []struct {
		name string
		args []any
		want uint64
		ok   bool
	}{
		{"the first integer is the count", []any{"Amal", 3, 5}, 3, true},
		{"negative counts use their size", []any{int64(-2)}, 2, true},
		{"the most negative int64 does not overflow", []any{int64(-1 << 63)}, 1 << 63, true},
		{"unsigned integers count", []any{uint8(7)}, 7, true},
		{"floats are not counts", []any{2.5}, 0, false},
		{"weekdays are not counts", []any{time.Tuesday}, 0, false},
		{"no arguments means no count", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := pluralOperand(tt.args)
			if got != tt.want || ok != tt.ok {
				t.Errorf("pluralOperand(%v) = %d, %v; want %d, %v", tt.args, got, ok, tt.want, tt.ok)
			}
		})
	}
}
