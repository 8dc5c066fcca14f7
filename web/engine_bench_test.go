package web

import "testing"

// BenchmarkParseTemplates is the templates' part of start-up: every page
// parsed with the layout and the partials.
func BenchmarkParseTemplates(b *testing.B) {
	for b.Loop() {
		if _, err := newEngine(assets); err != nil {
			b.Fatal(err)
		}
	}
}
