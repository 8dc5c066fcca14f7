package i18n

// category is a CLDR plural category. Catalogue files name them in plural
// objects; the rules below map a count to one of them.
type category uint8

const (
	zero category = iota
	one
	two
	few
	many
	other
	numCategories
)

// categoryNames are the spellings used in catalogue files, in CLDR order.
var categoryNames = [numCategories]string{"zero", "one", "two", "few", "many", "other"}

func (c category) String() string {
	if c < numCategories {
		return categoryNames[c]
	}
	return "unknown"
}

func categoryByName(name string) (category, bool) {
	for c, n := range categoryNames {
		if n == name {
			return category(c), true
		}
	}
	return 0, false
}

// pluralRule maps the absolute value of an integer count to its category.
// Only integer operands are supported: PeerCircle counts people, meetings
// and weeks, and the plural form is picked from the first integer argument,
// so the CLDR conditions on visible fraction digits (v, f, t) never apply.
type pluralRule func(n uint64) category

// pluralEnglish is CLDR's rule for en: "one" for exactly 1.
func pluralEnglish(n uint64) category {
	if n == 1 {
		return one
	}
	return other
}

// pluralFrench is CLDR's rule for fr: "one" for 0 and 1 (French says
// "0 membre"), and "many" for exact millions, where French needs "de"
// ("1 000 000 de membres").
func pluralFrench(n uint64) category {
	switch {
	case n <= 1:
		return one
	case n%1_000_000 == 0:
		return many
	default:
		return other
	}
}

// pluralArabic is CLDR's rule for ar, which uses all six categories. Note
// that 101 and 102 are "other", not "one" and "two": only 1 and 2 take the
// singular and dual.
func pluralArabic(n uint64) category {
	switch r := n % 100; {
	case n == 0:
		return zero
	case n == 1:
		return one
	case n == 2:
		return two
	case r >= 3 && r <= 10:
		return few
	case r >= 11:
		return many
	default:
		return other
	}
}

// pluralOperand finds the count that chooses a plural form: the first
// argument of an integer type. Other numeric types are skipped on purpose,
// so that a message like "{0} of {1} hours" with a float first argument
// still picks its form from a count.
func pluralOperand(args []any) (uint64, bool) {
	for _, a := range args {
		switch v := a.(type) {
		case int:
			return absInt(int64(v)), true
		case int8:
			return absInt(int64(v)), true
		case int16:
			return absInt(int64(v)), true
		case int32:
			return absInt(int64(v)), true
		case int64:
			return absInt(v), true
		case uint:
			return uint64(v), true
		case uint8:
			return uint64(v), true
		case uint16:
			return uint64(v), true
		case uint32:
			return uint64(v), true
		case uint64:
			return v, true
		}
	}
	return 0, false
}

// absInt returns |n| without overflowing on math.MinInt64.
func absInt(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}
