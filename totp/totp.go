// Package totp computes and checks time-based one-time passwords (RFC 6238,
// on RFC 4226's HOTP): the six-digit codes of an authenticator app, with
// HMAC-SHA1 and 30-second steps, the parameters every such app supports.
package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

const (
	// Step is the time step of a code (RFC 6238's default X).
	Step = 30 * time.Second
	// Digits is the length of a code.
	Digits = 6
	// Skew is how many steps either side of now a code is still taken,
	// for a phone whose clock is a little off.
	Skew = 1
	// SecretBytes is the secret's length: 160 bits, as RFC 4226 recommends.
	SecretBytes = 20
)

// enc is the base32 apps expect: RFC 4648 alphabet, no padding.
var enc = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a new random secret.
func NewSecret() []byte {
	b := make([]byte, SecretBytes)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return b
}

// Encode writes a secret as people type it into an app: base32 in groups of
// four.
func Encode(secret []byte) string {
	s := enc.EncodeToString(secret)
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// Decode reads a secret written by Encode (spaces and case do not matter).
func Decode(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	return enc.DecodeString(strings.TrimRight(s, "="))
}

// StepAt is the number of the time step t falls in.
func StepAt(t time.Time) int64 { return t.Unix() / int64(Step/time.Second) }

// Code is the HOTP value of secret at counter, with digits digits.
func Code(secret []byte, counter int64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// ErrWrong is a code that matches no step in the window.
var ErrWrong = errors.New("totp: wrong code")

// Check looks for code among the steps around now and returns the step it
// matched. A caller refuses a replay by keeping the last step used and
// passing it as after: only later steps count.
func Check(secret []byte, code string, now time.Time, after int64) (int64, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != Digits {
		return 0, ErrWrong
	}
	cur := StepAt(now)
	for s := cur - Skew; s <= cur+Skew; s++ {
		if s <= after {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(Code(secret, s, Digits)), []byte(code)) == 1 {
			return s, nil
		}
	}
	return 0, ErrWrong
}

// URI is the otpauth:// address an app reads from a QR code (the Key URI
// format of Google Authenticator, which the other apps follow).
func URI(secret []byte, issuer, account string) string {
	v := url.Values{}
	v.Set("secret", enc.EncodeToString(secret))
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", fmt.Sprint(Digits))
	v.Set("period", fmt.Sprint(int(Step/time.Second)))
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	return "otpauth://totp/" + label + "?" + v.Encode()
}
