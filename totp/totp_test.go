package totp

import (
	"strings"
	"testing"
	"time"
)

// RFC 6238 appendix B, SHA-1: the seed "12345678901234567890" and 8-digit
// codes at the listed times.
func TestRFC6238Vectors(t *testing.T) {
	seed := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		if got := Code(seed, StepAt(time.Unix(tc.unix, 0)), 8); got != tc.want {
			t.Errorf("T=%d: %s, want %s", tc.unix, got, tc.want)
		}
		// Six digits are the last six of the eight.
		if got := Code(seed, StepAt(time.Unix(tc.unix, 0)), 6); got != tc.want[2:] {
			t.Errorf("T=%d six digits: %s", tc.unix, got)
		}
	}
}

// RFC 4226 appendix D: HOTP of the same seed for counters 0..9.
func TestRFC4226Vectors(t *testing.T) {
	seed := []byte("12345678901234567890")
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := Code(seed, int64(i), 6); got != w {
			t.Errorf("counter %d: %s, want %s", i, got, w)
		}
	}
}

func TestCheckWindowAndReplay(t *testing.T) {
	secret := NewSecret()
	now := time.Date(2026, 12, 4, 10, 0, 15, 0, time.UTC)
	cur := StepAt(now)
	for _, tc := range []struct {
		name  string
		step  int64
		after int64
		ok    bool
	}{
		{"this step", cur, 0, true},
		{"the step before (a phone a little slow)", cur - 1, 0, true},
		{"the step after (a phone a little fast)", cur + 1, 0, true},
		{"two steps before", cur - 2, 0, false},
		{"two steps after", cur + 2, 0, false},
		{"replayed: the step already used", cur, cur, false},
		{"an earlier step than the one used", cur - 1, cur, false},
		{"a later step than the one used", cur + 1, cur, true},
	} {
		got, err := Check(secret, Code(secret, tc.step, Digits), now, tc.after)
		if (err == nil) != tc.ok || (tc.ok && got != tc.step) {
			t.Errorf("%s: step %d, %v", tc.name, got, err)
		}
	}
	if _, err := Check(secret, "12345", now, 0); err == nil {
		t.Error("a five-digit code was taken")
	}
	spaced := Code(secret, cur, Digits)
	if _, err := Check(secret, spaced[:3]+" "+spaced[3:], now, 0); err != nil {
		t.Error("a code typed with a space was refused")
	}
}

func TestEncodeDecodeAndURI(t *testing.T) {
	secret := NewSecret()
	text := Encode(secret)
	if len(strings.ReplaceAll(text, " ", "")) != 32 {
		t.Fatalf("a 160-bit secret is 32 base32 letters: %q", text)
	}
	back, err := Decode(strings.ToLower(text))
	if err != nil || string(back) != string(secret) {
		t.Fatalf("decode: %v", err)
	}
	uri := URI(secret, "PeerCircle", "rana@example.org")
	if !strings.HasPrefix(uri, "otpauth://totp/PeerCircle:rana@example.org?") || !strings.Contains(uri, "secret="+strings.ReplaceAll(text, " ", "")) {
		t.Fatalf("uri %s", uri)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("123456", int64(0))
	f.Add(" 12 34 56 ", int64(5))
	f.Add("abcdef", int64(-1))
	secret := []byte("12345678901234567890")
	now := time.Unix(1111111111, 0)
	f.Fuzz(func(t *testing.T, code string, after int64) {
		step, err := Check(secret, code, now, after)
		if err != nil {
			return
		}
		if step <= after || step < StepAt(now)-Skew || step > StepAt(now)+Skew {
			t.Fatalf("%q matched step %d (after %d)", code, step, after)
		}
	})
}
