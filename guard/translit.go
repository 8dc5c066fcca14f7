package guard

import "unicode/utf8"

// Spelling without spelling rules: how the guard knows that دينا, Dina,
// Deena and Dinna are one name, and Youssef, Yousef, Yusuf and يوسف another.
//
// A word of either script becomes a string of sound units. Consonants fall
// into the classes that transliteration confuses (ت ط ث t th → T; س ص s →
// S; ق ك k q c → K; ح ه h → H; ذ ز ظ z dh → Z; ج j g dj → J; ...). Latin
// digraphs are read first (kh sh ch th dh gh ph dj ck; ou oo ee), c before e, i or y is S, and doubled letters count once. Vowels
// differ by script: Arabic writes long vowels (ا و ي ى), a final ة or ه,
// and ع or hamza, and leaves short vowels out; Latin writes every vowel.
//
// Two words are compared by alignment (cost): a Latin vowel facing nothing
// in an Arabic word is a short vowel and costs nothing, unless it ends the
// word; an Arabic long vowel facing nothing costs a full letter; ع and
// hamza may face a vowel or nothing; a final ة or ه may face a vowel, an h
// or nothing. Between two Latin words vowels cost half a letter (Hesham,
// Hisham), the usual alternations (a/e, e/i, o/u) nothing. Consonants cost
// a letter. The cost of the cheapest alignment is the distance; a word is
// another spelling of a registered one when the distance stays under a bound
// that grows with the word's length (maxCost).
//
// The consonant skeleton (skeleton: the consonant classes only, without the
// semivowels after the first letter and without a final h) is the same for
// two spellings whose distance is 0, so it indexes the registered words;
// small misspellings are found through skeletons one deletion apart.

// Sound units. Upper-case letters are consonant classes; a, e, i, u are
// Latin vowels; the rest are Arabic vowel letters.
const (
	uAlif  = '1' // ا medial or final, ى (long a)
	uWaw   = '2' // و after the first letter (long u, or w)
	uYa    = '3' // ي after the first letter (long i, or y)
	uSeat  = '4' // ع, ء, ئ, ؤ, or ا starting a word (a vowel or nothing)
	uFinal = '5' // ة or ه ending a word (a vowel, an h, or nothing)
)

func isLatinVowel(u byte) bool { return u == 'a' || u == 'e' || u == 'i' || u == 'u' }

func isArabicVowel(u byte) bool { return u >= uAlif && u <= uFinal }

func isConsonant(u byte) bool { return u >= 'A' && u <= 'Z' }

// arabicClass is the unit of an Arabic consonant.
var arabicClass = map[rune]byte{
	'ب': 'B', 'پ': 'B', 'ت': 'T', 'ط': 'T', 'ث': 'T', 'ج': 'J', 'ح': 'H', 'ه': 'H', 'خ': 'X',
	'د': 'D', 'ض': 'D', 'ذ': 'Z', 'ز': 'Z', 'ظ': 'Z', 'ر': 'R', 'س': 'S', 'ص': 'S', 'ش': 'C',
	'غ': 'G', 'ف': 'F', 'ڤ': 'F', 'ق': 'K', 'ك': 'K', 'گ': 'J', 'ل': 'L', 'م': 'M', 'ن': 'N',
}

// arabicUnits returns the units of a canonical Arabic word (see canonical:
// ة is already ه and ى is ي).
func arabicUnits(w string, buf []byte) []byte {
	out := buf[:0]
	n := utf8.RuneCountInString(w)
	i := 0
	// عبد followed by the article (عبدالله, عبدالرحمن): the article's alif
	// is not pronounced.
	for _, r := range w {
		last := i == n-1
		switch {
		case r == 'ا':
			if i == 0 {
				out = append(out, uSeat)
			} else {
				out = append(out, uAlif)
			}
		case r == 'ع' || r == 'ء' || r == 'ئ' || r == 'ؤ':
			out = append(out, uSeat)
		case r == 'و':
			if i == 0 {
				out = append(out, 'W')
			} else {
				out = append(out, uWaw)
			}
		case r == 'ي':
			if i == 0 {
				out = append(out, 'Y')
			} else {
				out = append(out, uYa)
			}
		case r == 'ه' && last && i > 0:
			out = append(out, uFinal)
		default:
			c, ok := arabicClass[r]
			if !ok {
				continue
			}
			out = append(out, c)
		}
		i++
	}
	return collapse(out)
}

// latinUnits returns the units of a canonical Latin word (lower case, no
// accents); other characters are skipped.
func latinUnits(w string, buf []byte) []byte {
	out := buf[:0]
	at := func(i int) byte {
		if i < len(w) {
			return w[i]
		}
		return 0
	}
	for i := 0; i < len(w); i++ {
		c, n := w[i], at(i+1)
		two := true
		switch {
		case c == 'k' && n == 'h':
			out = append(out, 'X')
		case (c == 's' || c == 'c') && n == 'h':
			out = append(out, 'C')
		case c == 't' && n == 'h':
			out = append(out, 'T')
		case c == 'd' && n == 'h':
			out = append(out, 'Z')
		case c == 'g' && n == 'h':
			out = append(out, 'G')
		case c == 'p' && n == 'h':
			out = append(out, 'F')
		case c == 'd' && n == 'j':
			out = append(out, 'J')
		case c == 'c' && n == 'k':
			out = append(out, 'K')
		case (c == 'o' && n == 'u') || (c == 'o' && n == 'o'):
			out = append(out, 'u')
		case c == 'e' && n == 'e':
			out = append(out, 'i')
		default:
			two = false
		}
		if two {
			i++
			continue
		}
		switch c {
		case 'a':
			out = append(out, 'a')
		case 'e':
			out = append(out, 'e')
		case 'i':
			out = append(out, 'i')
		case 'o', 'u':
			out = append(out, 'u')
		case 'y':
			if i == 0 || (len(out) > 0 && isLatinVowel(out[len(out)-1]) && isVowelLetter(n)) {
				out = append(out, 'Y')
			} else {
				out = append(out, 'i')
			}
		case 'w':
			out = append(out, 'W')
		case 'b', 'p':
			out = append(out, 'B')
		case 't':
			out = append(out, 'T')
		case 'd':
			out = append(out, 'D')
		case 'z':
			out = append(out, 'Z')
		case 's':
			out = append(out, 'S')
		case 'c':
			if n == 'e' || n == 'i' || n == 'y' {
				out = append(out, 'S')
			} else {
				out = append(out, 'K')
			}
		case 'j', 'g':
			out = append(out, 'J')
		case 'k', 'q':
			out = append(out, 'K')
		case 'x':
			out = append(out, 'K', 'S')
		case 'h':
			out = append(out, 'H')
		case 'f', 'v':
			out = append(out, 'F')
		case 'l':
			out = append(out, 'L')
		case 'm':
			out = append(out, 'M')
		case 'n':
			out = append(out, 'N')
		case 'r':
			out = append(out, 'R')
		}
	}
	return collapse(out)
}

func isVowelLetter(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'
}

// collapse counts doubled units once (Haddad, Youssef, Mohammed).
func collapse(u []byte) []byte {
	if len(u) < 2 {
		return u
	}
	j := 1
	for i := 1; i < len(u); i++ {
		if u[i] != u[j-1] {
			u[j] = u[i]
			j++
		}
	}
	return u[:j]
}

// skeleton is the consonant classes of units: semivowels only first, no
// final h, doubles once.
func skeleton(u []byte, buf []byte) []byte {
	out := buf[:0]
	for i, c := range u {
		if !isConsonant(c) || ((c == 'W' || c == 'Y') && i > 0) {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == c {
			continue
		}
		out = append(out, c)
	}
	if n := len(out); n > 1 && out[n-1] == 'H' && (u[len(u)-1] == 'H') {
		out = out[:n-1]
	}
	return out
}

// costs are in half letters, so they stay integers.
const (
	cFree = 0
	cHalf = 1
	cFull = 2
)

// subCost is the cost of aligning unit x of a word with unit y of another;
// ar tells for each whether it is Arabic. Arabic words are always x when the
// scripts differ. lastX and lastY tell whether the units end their words.
func subCost(x, y byte, arX, arY bool, lastX, lastY bool) int {
	if x == y {
		return cFree
	}
	switch {
	case arX && !arY: // Arabic against Latin
		switch x {
		case uAlif:
			switch y {
			case 'a', 'e':
				return cFree
			case 'i', 'u':
				return cHalf
			}
		case uWaw:
			switch y {
			case 'u', 'W':
				return cFree
			case 'a', 'e', 'i':
				return cHalf
			}
		case uYa:
			switch y {
			case 'i', 'e', 'Y':
				return cFree
			case 'a':
				if lastX {
					return cFree // ى folded to ي: Layla
				}
				return cHalf
			case 'u':
				return cHalf
			}
		case uSeat:
			if isLatinVowel(y) || y == 'Y' || y == 'W' {
				return cFree // ئ ؤ written y, w: Ayesha
			}
		case uFinal:
			if isLatinVowel(y) || y == 'H' {
				return cFree
			}
		case 'W':
			if y == 'u' {
				return cFree
			}
		case 'Y':
			if y == 'i' || y == 'e' {
				return cFree
			}
		}
		return cFull
	case !arX && !arY: // Latin against Latin
		if isLatinVowel(x) && isLatinVowel(y) {
			if (x == 'a' && y == 'e') || (x == 'e' && y == 'a') || (x == 'e' && y == 'i') || (x == 'i' && y == 'e') {
				return cFree
			}
			return cHalf
		}
		if (x == 'W' && y == 'u') || (x == 'u' && y == 'W') || (x == 'Y' && y == 'i') || (x == 'i' && y == 'Y') {
			return cFree
		}
		return cFull
	default: // Arabic against Arabic
		long := func(u byte) bool { return u == uAlif || u == uFinal || u == uYa }
		if lastX && lastY && long(x) && long(y) {
			return cFree // final ا ة ى written for one another
		}
		return cFull
	}
}

// gapCost is the cost of unit u of a word facing nothing in the other word;
// ar tells whether u is Arabic and other whether the other word is.
func gapCost(u byte, ar, other bool, first, last bool, vowelEnd bool) int {
	switch {
	case ar && !other:
		switch u {
		case uSeat, uFinal:
			return cFree
		}
		return cFull
	case !ar && other: // a Latin unit the Arabic word does not write
		if isLatinVowel(u) {
			// Arabic writes a vowel that starts or ends a word (ا ع ي ة)
			if last || first {
				return cFull
			}
			return cFree
		}
		if u == 'H' && last && vowelEnd {
			return cFree // Sarah, Abdullah: the h of a final vowel
		}
		if u == 'H' && !last {
			return cHalf
		}
		return cFull
	case !ar && !other:
		if isLatinVowel(u) {
			return cHalf
		}
		if u == 'H' && last {
			return cFree
		}
		return cFull
	default:
		return cFull
	}
}

// distance is the cheapest alignment of x and y (in half letters), or more
// than limit when it exceeds limit (the search stops early then).
func distance(x []byte, arX bool, y []byte, arY bool, limit int) int {
	if !arX && arY {
		x, y, arX, arY = y, x, arY, arX
	}
	n, m := len(x), len(y)
	if n > 24 || m > 24 {
		return limit + 1
	}
	var prev, cur [25]int
	prev[0] = 0
	// does the Arabic word (x, when the scripts differ) end in a vowel?
	vowelEnd := n > 0 && (x[n-1] == uFinal || x[n-1] == uAlif || x[n-1] == uYa || x[n-1] == uWaw)
	for j := 1; j <= m; j++ {
		prev[j] = prev[j-1] + gapCost(y[j-1], arY, arX, j == 1, j == m, vowelEnd)
	}
	for i := 1; i <= n; i++ {
		cur[0] = prev[0] + gapCost(x[i-1], arX, arY, i == 1, i == n, false)
		best := cur[0]
		for j := 1; j <= m; j++ {
			v := prev[j-1] + subCost(x[i-1], y[j-1], arX, arY, i == n, j == m)
			if d := prev[j] + gapCost(x[i-1], arX, arY, i == 1, i == n, false); d < v {
				v = d
			}
			if d := cur[j-1] + gapCost(y[j-1], arY, arX, j == 1, j == m, vowelEnd); d < v {
				v = d
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > limit {
			return limit + 1
		}
		prev = cur
	}
	return prev[m]
}

// maxCost is the largest distance (in half letters) at which a word of n
// letters is still another spelling of a name: none of a full letter for
// short words, one letter from six letters, a letter and a half from nine.
func maxCost(n int) int {
	switch {
	case n <= 5:
		return cHalf
	case n <= 8:
		return cFull
	default:
		return cFull + cHalf
	}
}
