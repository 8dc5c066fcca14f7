package web

import "github.com/peercircle/peercircle/i18n"

// peercircleDigits accepts numbers typed on Arabic keyboards.
func peercircleDigits(s string) string { return i18n.ParseDigits(s) }
