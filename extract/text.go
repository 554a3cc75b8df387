package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"tulieu/vntext"
)

// cleanText normalizes text for output: NFC, no zero-width characters,
// every run of white space (including no-break spaces) collapsed to one
// space, trimmed.
func cleanText(s string) string {
	s = vntext.NFC(s)
	if isCleanText(s) {
		return s // most texts: nothing to drop or collapse, nothing to copy
	}
	// The rune-by-rune rules of cleanTextSlow (TestCleanTextMatchesSlow),
	// with ASCII taken byte by byte and other runes copied as they are
	// spelt, not re-encoded.
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case asciiSpace[c]:
				space = true
				continue
			case c < 0x20 || c == 0x7f:
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isZeroWidth(r):
			i += size
			continue
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2007':
			space = true
			i += size
			continue
		case r == utf8.RuneError:
			// Written as is, spaces before it kept pending (as
			// cleanTextSlow does); an invalid byte becomes U+FFFD.
			b.WriteString("\uFFFD")
			i += size
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// isCleanText reports whether cleanText would return s as it is: single
// ASCII spaces between words, none at either end, and nothing to drop.
func isCleanText(s string) bool {
	prevSpace := true // a space at the start is dropped
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c < 0x20 || c == 0x7f:
			return false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError || isZeroWidth(r) || unicode.IsSpace(r) || r == '\u202f' || r == '\u2007' {
				return false
			}
			i += size - 1
			prevSpace = false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

func isZeroWidth(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u200f':
		return true
	}
	return false
}

// Tokens splits s into lowercased runs of letters, marks and digits after
// NFC: the unit of the body precision/recall scores.
func Tokens(s string) []string {
	return splitTokens(vntext.NFC(strings.ToLower(s)))
}

// splitTokens is strings.FieldsFunc(s, func(r rune) bool { return
// !isTokenRune(r) }), an empty (non-nil) slice when s has no token, as
// FieldsFunc gives; ASCII is classed by a table (TestTokensMatchSlow).
func splitTokens(s string) []string {
	n := 0
	for i := 0; i < len(s); {
		start, end := nextToken(s, i)
		if start < 0 {
			break
		}
		n++
		i = end
	}
	out := make([]string, 0, n)
	for i := 0; i < len(s); {
		start, end := nextToken(s, i)
		if start < 0 {
			break
		}
		out = append(out, s[start:end])
		i = end
	}
	return out
}

// nextToken finds the first token (a maximal run of isTokenRune runes) of
// s at or after byte i: its bounds, or -1, -1 when there is none. Invalid
// UTF-8 decodes to U+FFFD, which is no token rune, as in FieldsFunc.
func nextToken(s string, i int) (int, int) {
	start := -1
	for i < len(s) {
		c := s[i]
		tok := false
		size := 1
		if c < utf8.RuneSelf {
			tok = asciiToken[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			tok = isTokenRune(r)
		}
		if tok {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			return start, i
		}
		i += size
	}
	if start < 0 {
		return -1, -1
	}
	return start, len(s)
}

func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// asciiToken[c]: isTokenRune(c) for ASCII c (letters and digits).
var asciiToken = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = isTokenRune(rune(c))
	}
	return t
}()

// wordCount is len(strings.Fields(s)), without building the slice: it
// runs on every block of every page, several times.
func wordCount(s string) int {
	n, inWord := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		var space bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if !space && !inWord {
			n++
		}
		inWord = !space
	}
	return n
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// fold lowercases and strips diacritics (đ→d) for keyword matching.
// Text of Latin letters, Vietnamese included, takes the table of
// foldedLatin, rune by rune (NFD was most of fold's cost, and fold was
// 3 % of a crawl's CPU); anything else goes through NFD (foldSlow), with
// the same result (TestFoldFastMatchesSlow, FuzzFold).
func fold(s string) string {
	if isFoldedASCII(s) {
		return s // lowercase ASCII folds to itself
	}
	return foldRunes(s)
}

// foldRunes is fold without its shortcut for folded ASCII (the tests
// compare the two).
func foldRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		case r < rune(len(foldedLatin)) && foldedLatin[r] != 0:
			r = foldedLatin[r]
		case r >= 0x0300 && r <= 0x036F:
			continue // a combining mark: fold drops it
		default:
			return foldSlow(s)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isFoldedASCII: s is ASCII without capitals, which fold keeps as it is.
func isFoldedASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// foldedLatin maps each precomposed Latin letter of U+00C0–U+024F and
// U+1E00–U+1EFF (all of Vietnamese) whose lower case folds to one ASCII
// letter, as foldSlow folds it, to that letter: "Ố" → 'o', 'Đ' → 'd'.
var foldedLatin = func() []rune {
	t := make([]rune, 0x1F00)
	for _, span := range [][2]rune{{0x00C0, 0x024F}, {0x1E00, 0x1EFF}} {
		for r := span[0]; r <= span[1]; r++ {
			if f := []rune(foldSlow(string(r))); len(f) == 1 && f[0] < utf8.RuneSelf {
				t[r] = f[0]
			}
		}
	}
	return t
}()

// foldSlow is fold by its definition: lower case, NFD, every nonspacing
// mark dropped, đ → d.
func foldSlow(s string) string {
	s = norm.NFD.String(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r == 'đ' {
			r = 'd'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sameText compares two strings ignoring case, diacritics placement
// differences, punctuation and spacing.
func sameText(a, b string) bool {
	// Tokens(a) and Tokens(b) walked side by side, without building
	// them: false at the first pair that differs, or when one list ends
	// before the other; true when both end together after at least one
	// pair (TestSameTextMatchesSlow).
	a, b = vntext.NFC(strings.ToLower(a)), vntext.NFC(strings.ToLower(b))
	pairs := 0
	for i, j := 0, 0; ; {
		as, ae := nextToken(a, i)
		bs, be := nextToken(b, j)
		if as < 0 || bs < 0 {
			return as < 0 && bs < 0 && pairs > 0
		}
		if ta, tb := a[as:ae], b[bs:be]; ta != tb && fold(ta) != fold(tb) {
			return false
		}
		pairs++
		i, j = ae, be
	}
}

// commonTokens is |A∩B| on token multisets.
func commonTokens(a, b []string) int {
	m := make(map[string]int, len(a))
	for _, t := range a {
		m[t]++
	}
	common := 0
	for _, t := range b {
		if m[t] > 0 {
			m[t]--
			common++
		}
	}
	return common
}

// tokenOverlap is |A∩B| / max(|A|,|B|) on token multisets.
func tokenOverlap(a, b string) float64 {
	ta, tb := Tokens(fold(a)), Tokens(fold(b))
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	common := commonTokens(ta, tb)
	n := len(ta)
	if len(tb) > n {
		n = len(tb)
	}
	return float64(common) / float64(n)
}

func isUpperStart(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// startsWithDigit: s begins with a decimal digit.
func startsWithDigit(s string) bool { return s != "" && '0' <= s[0] && s[0] <= '9' }

// letterWords counts the words of s that hold a letter: numbers, dates
// and signs alone are not counted.
func letterWords(s string) int {
	n, counted := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		var space, letter bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			letter = 'a' <= c|0x20 && c|0x20 <= 'z'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space, letter = unicode.IsSpace(r), unicode.IsLetter(r)
			i += size
		}
		if space {
			counted = false
			continue
		}
		if letter && !counted {
			n++
			counted = true
		}
	}
	return n
}
