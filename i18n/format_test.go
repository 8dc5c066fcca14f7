package i18n

import (
	"math"
	"testing"
	"time"
)

func TestNumber(t *testing.T) {
	b := MustLoad(t)
	tests := []struct {
		name string
		lang string
		n    int64
		want string
	}{
		{"English zero", "en", 0, "0"},
		{"English below a thousand is not grouped", "en", 999, "999"},
		{"English groups thousands with commas", "en", 1234, "1,234"},
		{"English groups millions", "en", 1234567, "1,234,567"},
		{"English negatives use a minus", "en", -1234, "-1,234"},
		{"the smallest int64 formats", "en", math.MinInt64, "-9,223,372,036,854,775,808"},
		{"French groups with a narrow no-break space", "fr", 1234, "1\u202f234"},
		{"French groups millions", "fr", 1234567, "1\u202f234\u202f567"},
		{"Arabic uses Arabic-Indic digits", "ar", 1234, "١٬٢٣٤"},
		{"Arabic zero", "ar", 0, "٠"},
		{"Arabic every digit", "ar", 1234567890, "١٬٢٣٤٬٥٦٧٬٨٩٠"},
		{"Arabic negatives carry a letter mark", "ar", -5, "\u061c-٥"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Localizer(tt.lang).Number(tt.n); got != tt.want {
				t.Errorf("Number(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

func TestDecimal(t *testing.T) {
	b := MustLoad(t)
	tests := []struct {
		name   string
		lang   string
		f      float64
		places int
		want   string
	}{
		{"English pads to the places asked", "en", 1234.5, 2, "1,234.50"},
		{"English rounds", "en", 2.346, 2, "2.35"},
		{"zero places drops the separator", "en", 1234.5, 0, "1,234"},
		{"negative places gives the shortest form", "en", 3.5, -1, "3.5"},
		{"a value rounding to zero has no minus", "en", -0.001, 2, "0.00"},
		{"negative decimals keep their minus", "en", -1.5, 1, "-1.5"},
		{"French uses a comma", "fr", 1234.5, 2, "1\u202f234,50"},
		{"Arabic uses the Arabic decimal separator", "ar", 1234.5, 2, "١٬٢٣٤٫٥٠"},
		{"Arabic shortest form", "ar", 0.25, -1, "٠٫٢٥"},
		{"not a number is said so", "en", math.NaN(), 2, "NaN"},
		{"infinity is a symbol", "en", math.Inf(1), 2, "∞"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.Localizer(tt.lang).Decimal(tt.f, tt.places); got != tt.want {
				t.Errorf("Decimal(%v, %d) = %q, want %q", tt.f, tt.places, got, tt.want)
			}
		})
	}
}

func TestDates(t *testing.T) {
	b := MustLoad(t)
	amman := MustLocation(t, "Asia/Amman")
	meeting := time.Date(2026, 12, 8, 14, 0, 0, 0, amman) // a Tuesday
	mayDay := time.Date(2026, 5, 1, 9, 5, 0, 0, amman)    // a Friday
	// 22:30 UTC on Tuesday is 01:30 on Wednesday in Amman (UTC+3).
	lateUTC := time.Date(2026, 12, 8, 22, 30, 0, 0, time.UTC)

	tests := []struct {
		name string
		lang string
		got  func(l *Localizer) string
		want string
	}{
		{"English long date", "en", func(l *Localizer) string { return l.Date(meeting) }, "Tuesday 8 December 2026"},
		{"English short date", "en", func(l *Localizer) string { return l.ShortDate(meeting) }, "8 Dec 2026"},
		{"English time", "en", func(l *Localizer) string { return l.Time(meeting) }, "14:00"},
		{"English time pads the hour", "en", func(l *Localizer) string { return l.Time(mayDay) }, "09:05"},
		{"English date and time", "en", func(l *Localizer) string { return l.DateTime(meeting) }, "Tuesday 8 December 2026 at 14:00"},
		{"French long date", "fr", func(l *Localizer) string { return l.Date(meeting) }, "mardi 8 décembre 2026"},
		{"French short date", "fr", func(l *Localizer) string { return l.ShortDate(meeting) }, "8 déc. 2026"},
		{"French writes the first as 1er", "fr", func(l *Localizer) string { return l.Date(mayDay) }, "vendredi 1er mai 2026"},
		{"French date and time", "fr", func(l *Localizer) string { return l.DateTime(meeting) }, "mardi 8 décembre 2026 à 14:00"},
		{"Arabic long date uses Levantine month names", "ar", func(l *Localizer) string { return l.Date(meeting) }, "الثلاثاء، ٨ كانون الأول ٢٠٢٦"},
		{"Arabic short date", "ar", func(l *Localizer) string { return l.ShortDate(meeting) }, "٨ كانون الأول ٢٠٢٦"},
		{"Arabic time uses Arabic-Indic digits", "ar", func(l *Localizer) string { return l.Time(meeting) }, "١٤:٠٠"},
		{"Arabic date and time", "ar", func(l *Localizer) string { return l.DateTime(meeting) }, "الثلاثاء، ٨ كانون الأول ٢٠٢٦ في ١٤:٠٠"},
		{"Arabic first of May", "ar", func(l *Localizer) string { return l.Date(mayDay) }, "الجمعة، ١ أيار ٢٠٢٦"},
		{"a time converted to Amman is formatted there", "en", func(l *Localizer) string { return l.DateTime(lateUTC.In(amman)) }, "Wednesday 9 December 2026 at 01:30"},
		{"a time left in UTC is formatted in UTC", "en", func(l *Localizer) string { return l.DateTime(lateUTC) }, "Tuesday 8 December 2026 at 22:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got(b.Localizer(tt.lang)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMonthsAndWeekdays(t *testing.T) {
	b := MustLoad(t)
	levantine := []string{"كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
		"تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"}
	t.Run("Arabic months are the Levantine names", func(t *testing.T) {
		ar := b.Localizer("ar")
		for i, want := range levantine {
			if got := ar.Month(time.Month(i + 1)); got != want {
				t.Errorf("Month(%d) = %q, want %q", i+1, got, want)
			}
		}
	})
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"English Friday", b.Localizer("en").Weekday(time.Friday), "Friday"},
		{"French Sunday is lower case", b.Localizer("fr").Weekday(time.Sunday), "dimanche"},
		{"Arabic Friday", b.Localizer("ar").Weekday(time.Friday), "الجمعة"},
		{"English August", b.Localizer("en").Month(time.August), "August"},
		{"French August", b.Localizer("fr").Month(time.August), "août"},
		{"an impossible month does not panic", b.Localizer("ar").Month(13), "%!Month(13)"},
		{"an impossible weekday does not panic", b.Localizer("fr").Weekday(7), "%!Weekday(7)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
