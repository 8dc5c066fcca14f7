package peercircle

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/peercircle/peercircle/i18n"
)

// NormalizePhone reads a phone number as people write it (spaces, dashes,
// dots, brackets, Arabic digits, a leading 00) and returns it in E.164:
// a plus, a country code and the number, 8 to 15 digits in all, never
// starting with 0. A number without its country code is refused with a
// message key: SMS and WhatsApp providers need the whole number.
func NormalizePhone(s string) (string, string) {
	s = strings.TrimSpace(i18n.ParseDigits(s))
	if s == "" {
		return "", ""
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/' || unicode.Is(unicode.Bidi_Control, r) || r == '\u00a0':
		default:
			return "", "phone.error.characters"
		}
	}
	n := b.String()
	if strings.HasPrefix(n, "00") {
		n = "+" + n[2:]
	}
	if !strings.HasPrefix(n, "+") {
		return "", "phone.error.country"
	}
	digits := n[1:]
	if len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return "", "phone.error.length"
	}
	return n, ""
}

// MessageSettings are how a person is reached outside the app: the phone
// number SMS and WhatsApp go to (E.164), and quiet hours ("22:00" to
// "07:00", in their site's zone) during which nothing is sent; a message
// due then waits for the end.
type MessageSettings struct {
	PersonID   int64
	Phone      string
	QuietStart string // HH:MM, "" for none
	QuietEnd   string
}

// Validate normalises the phone and checks the quiet hours.
func (m *MessageSettings) Validate() error {
	f := FieldErrors{}
	phone, key := NormalizePhone(m.Phone)
	if key != "" {
		f.Add("phone", key)
	}
	m.Phone = phone
	m.QuietStart, m.QuietEnd = strings.TrimSpace(i18n.ParseDigits(m.QuietStart)), strings.TrimSpace(i18n.ParseDigits(m.QuietEnd))
	if (m.QuietStart == "") != (m.QuietEnd == "") {
		f.Add("quiet_end", "prefs.error.quiet_both")
	}
	for field, v := range map[string]string{"quiet_start": m.QuietStart, "quiet_end": m.QuietEnd} {
		if v != "" {
			if _, ok := clockMinutes(v); !ok {
				f.Add(field, "schedule.error.time")
			}
		}
	}
	return f.Err()
}

// clockMinutes reads HH:MM as minutes after midnight.
func clockMinutes(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, m := int(s[0]-'0')*10+int(s[1]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
	for _, c := range []byte{s[0], s[1], s[3], s[4]} {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// AfterQuietHours returns when a message due at t may leave: t itself,
// or the end of the quiet hours t falls in (in loc). Quiet hours may run
// over midnight (22:00 to 07:00).
func (m *MessageSettings) AfterQuietHours(t time.Time, loc *time.Location) time.Time {
	start, ok1 := clockMinutes(m.QuietStart)
	end, ok2 := clockMinutes(m.QuietEnd)
	if !ok1 || !ok2 || start == end {
		return t
	}
	local := t.In(loc)
	now := local.Hour()*60 + local.Minute()
	var quiet bool
	if start < end {
		quiet = now >= start && now < end
	} else {
		quiet = now >= start || now < end
	}
	if !quiet {
		return t
	}
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	if start > end && now >= start {
		day = day.AddDate(0, 0, 1)
	}
	return day.Add(time.Duration(end) * time.Minute)
}

// MessageSettingsService keeps how people are reached outside the app.
type MessageSettingsService interface {
	MessageSettings(ctx context.Context, personID int64) (*MessageSettings, error)
	SaveMessageSettings(ctx context.Context, m *MessageSettings) error
	// MessageReceipt records a provider's delivery status for the message
	// it knows by providerID (on channel); ENOTFOUND for none.
	MessageReceipt(ctx context.Context, channel, providerID, status string) error
}
