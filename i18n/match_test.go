package i18n

import (
	"slices"
	"testing"
)

func TestMatch(t *testing.T) {
	offered := []string{"en", "ar", "fr"}
	tests := []struct {
		name      string
		header    string
		supported []string
		want      string
	}{
		{"an empty header gets English", "", offered, "en"},
		{"a plain language is matched", "ar", offered, "ar"},
		{"a Jordanian Arabic browser gets Arabic", "ar-JO", offered, "ar"},
		{"a Canadian French browser gets French", "fr-CA,fr;q=0.9,en;q=0.8", offered, "fr"},
		{"a British browser gets English", "en-GB,en;q=0.9,ar;q=0.8", offered, "en"},
		{"an unsupported language falls back to English", "de-DE,de;q=0.9", offered, "en"},
		{"an unsupported first choice gives way to the next", "de, ar;q=0.5", offered, "ar"},
		{"higher quality beats header order", "en;q=0.5, ar;q=0.9", offered, "ar"},
		{"equal quality keeps header order", "fr;q=0.8, ar;q=0.8", offered, "fr"},
		{"a wildcard alone gets the first supported", "*", offered, "en"},
		{"a named language beats a weaker wildcard", "*;q=0.5, fr", offered, "fr"},
		{"a wildcard skips languages the header names", "fr;q=0.5, *", offered, "en"},
		{"q=0 rules a language out of the wildcard", "en;q=0, *", offered, "ar"},
		{"q=0 on a language rules out its regions", "ar;q=0, *", []string{"ar-JO", "fr"}, "fr"},
		{"case and underscores are tolerated", "AR_jo", offered, "ar"},
		{"spaces around parameters are tolerated", " fr ; q = 0.7 , ar;q=0.6", offered, "fr"},
		{"q=1.000 is valid", "ar;q=1.000", offered, "ar"},
		{"a malformed quality drops that entry", "ar;q=abc, fr", offered, "fr"},
		{"a quality above one drops that entry", "ar;q=2, fr;q=0.1", offered, "fr"},
		{"infinity is not a quality", "ar;q=Inf, fr;q=0.1", offered, "fr"},
		{"a tiny quality still counts", "ar;q=0.001, fr;q=0", offered, "ar"},
		{"garbage gets English", "%%%,,,;;;=", offered, "en"},
		{"a tag with bad characters is skipped", "a<r>, fr", offered, "fr"},
		{"an exact region beats another region of the language", "ar-LB", []string{"ar-JO", "ar-LB"}, "ar-LB"},
		{"a language matches a supported region", "ar", []string{"en", "ar-JO"}, "ar-JO"},
		{"the supported spelling is returned", "fr", []string{"EN", "FR"}, "FR"},
		{"without English the first supported is the default", "de", []string{"fr", "ar"}, "fr"},
		{"with nothing supported the answer is English", "ar", nil, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Match(tt.header, tt.supported); got != tt.want {
				t.Errorf("Match(%q, %q) = %q, want %q", tt.header, tt.supported, got, tt.want)
			}
		})
	}
}

func FuzzMatch(f *testing.F) {
	for _, seed := range []string{
		"", "ar", "ar-JO", "fr-CA,fr;q=0.9,en;q=0.8", "*", "*;q=0",
		"en;q=0, *", "ar;q=abc", "ar;q=1.0000", ";;;", ",,,", "-", "a-",
		"ar;q=0.5;q=0.9", "x-private", "zh-Hant-TW;q=0.3", "\xff\xfe",
		"ar;q=", "=;q", "ar;;q=0.1", "ar-JO-x-aaaaaaaaa",
	} {
		f.Add(seed)
	}
	supportedSets := [][]string{{"en", "ar", "fr"}, {"fr", "ar-JO"}, {""}, nil}
	f.Fuzz(func(t *testing.T, header string) {
		for _, supported := range supportedSets {
			got := Match(header, supported)
			if len(supported) == 0 {
				if got != "en" {
					t.Fatalf("Match(%q, nil) = %q, want en", header, got)
				}
				continue
			}
			if !slices.Contains(supported, got) {
				t.Fatalf("Match(%q, %q) = %q, not a supported language", header, supported, got)
			}
		}
	})
}
