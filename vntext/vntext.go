package vntext

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Combining tone marks used in Vietnamese (the five non-level tones).
const (
	toneGrave = '\u0300' // huyền
	toneAcute = '\u0301' // sắc
	toneTilde = '\u0303' // ngã
	toneHook  = '\u0309' // hỏi
	toneDot   = '\u0323' // nặng
)

var tones = [...]rune{toneGrave, toneAcute, toneTilde, toneHook, toneDot}

// baseVowels are the twelve Vietnamese vowel letters without tone marks.
const baseVowels = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"

type split struct {
	base rune // vowel letter without tone mark, case kept
	tone rune // combining tone mark, 0 for none
}

var (
	// Toned precomposed vowels live in U+00C0–U+01FF and U+1EA0–U+1EFF;
	// these arrays map them to base + tone (zero split: not a toned vowel).
	decLatin [0x200 - 0xC0]split
	decExt   [0x1F00 - 0x1EA0]split
	compose  = map[split]rune{} // base + tone -> precomposed vowel
)

// decompose splits a toned precomposed vowel into base letter and tone.
func decompose(r rune) (split, bool) {
	var sp split
	switch {
	case r >= 0xC0 && r < 0x200:
		sp = decLatin[r-0xC0]
	case r >= 0x1EA0 && r < 0x1F00:
		sp = decExt[r-0x1EA0]
	}
	return sp, sp.tone != 0
}

func init() {
	for _, b := range baseVowels {
		for _, t := range tones {
			c := norm.NFC.String(string(b) + string(t))
			r, size := utf8.DecodeRuneInString(c)
			if size != len(c) {
				panic("vntext: no precomposed form for " + string(b) + string(t))
			}
			switch {
			case r >= 0xC0 && r < 0x200:
				decLatin[r-0xC0] = split{b, t}
			case r >= 0x1EA0 && r < 0x1F00:
				decExt[r-0x1EA0] = split{b, t}
			default:
				panic("vntext: unexpected code point for " + c)
			}
			compose[split{b, t}] = r
		}
	}
}

// NFC returns s in Unicode Normalization Form C (precomposed letters).
// Text that is already composed, as almost all Vietnamese text on the web
// is, is recognized by a table lookup per letter (isNFC) and returned as
// it is: checking each hit's body this way took a twentieth of a search
// page's time through the norm package's own check.
func NFC(s string) string {
	if isNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// Whole is s as a whole value is compared (a category, an author): NFC,
// trimmed, inner runs of spaces collapsed to one.
func Whole(s string) string {
	return strings.Join(strings.Fields(NFC(s)), " ")
}

// nfcStableLimit bounds the runes nfcStable knows: U+0000–U+20FF holds
// every Vietnamese letter, precomposed (Latin-1, Latin Extended-A and B,
// Latin Extended Additional) and the usual punctuation.
const nfcStableLimit = 0x2100

// nfcStable[r] says that rune r is NFC on its own (quick check Yes) and
// cannot combine with a rune before it (canonical class 0, not a
// backward-combining starter): a string of such runes is NFC, as the
// Unicode quick-check algorithm says. Made from the norm package's
// tables, so it follows its Unicode version; made at its first use, not
// at every command's start.
var nfcStable = sync.OnceValue(func() *[nfcStableLimit / 64]uint64 {
	var t [nfcStableLimit / 64]uint64
	for r := rune(0); r < nfcStableLimit; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		c := string(r)
		if norm.NFC.IsNormalString(c) && norm.NFC.PropertiesString(c).BoundaryBefore() {
			t[r/64] |= 1 << (r % 64)
		}
	}
	return &t
})

// isNFC reports whether s is surely NFC: valid UTF-8 of nfcStable runes.
// False means only that the norm package must decide.
func isNFC(s string) bool {
	stable := nfcStable()
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		switch {
		case c < utf8.RuneSelf:
			i++
			continue // ASCII: all stable
		case c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			r = rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
			i += 2
		case c >= 0xE0 && c <= 0xE2 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			r = rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			if r < 0x800 {
				return false // overlong
			}
			i += 3
		default:
			return false
		}
		if r >= nfcStableLimit || stable[r/64]&(1<<(r%64)) == 0 {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r)
}

// NormalizeTone returns s in NFC with the tone mark of every Vietnamese
// syllable placed by the convention documented in the package comment
// ("hoà" → "hòa", "thuý" → "thúy", "khoẻ" → "khỏe"). Case is kept
// letter by letter; words that are not a single well-formed Vietnamese
// syllable are left unchanged.
func NormalizeTone(s string) string {
	if isASCII(s) {
		return s
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	last := 0 // s[:last] has been copied into b
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i + size
		ascii := r < utf8.RuneSelf
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) {
				break
			}
			ascii = ascii && r < utf8.RuneSelf
			j += size
		}
		if ascii {
			i = j
			continue
		}
		if fixed, ok := normalizeSyllable(s[i:j]); ok {
			if last == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:i])
			b.WriteString(fixed)
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// normalizeSyllable returns the word w with its tone mark moved to the
// conventional vowel, and ok=true, if w is a Vietnamese syllable whose
// mark is misplaced. Otherwise it returns "", false.
func normalizeSyllable(w string) (string, bool) {
	type letter struct {
		split
		lower rune // lower-case base letter
	}
	var buf [12]letter
	parts := buf[:0]
	toneAt := -1
	vowels := 0
	for _, r := range w {
		var l letter
		if sp, ok := decompose(r); ok {
			if toneAt >= 0 {
				return "", false // two tone marks
			}
			toneAt = len(parts)
			l.split = sp
		} else {
			if unicode.IsMark(r) {
				return "", false // a mark that NFC could not attach: not ours
			}
			l.base = r
		}
		if l.base < utf8.RuneSelf {
			l.lower = l.base
			if 'A' <= l.lower && l.lower <= 'Z' {
				l.lower += 'a' - 'A'
			}
		} else {
			l.lower = unicode.ToLower(l.base)
		}
		if isVowel(l.lower) {
			vowels++
		}
		parts = append(parts, l)
	}
	if toneAt < 0 || vowels < 2 {
		return "", false // no mark, or it can only be where it is
	}
	n := len(parts)
	lower := func(k int) rune {
		if k < n {
			return parts[k].lower
		}
		return 0
	}

	// Initial consonant.
	start := 0
	switch lower(0) {
	case 'q':
		if lower(1) != 'u' || !isVowel(lower(2)) {
			return "", false
		}
		start = 2 // "qu" is a consonant: "quý", "quà"
	case 'g':
		switch {
		case lower(1) == 'i' && isVowel(lower(2)):
			start = 2 // "gi" is a consonant before a vowel: "giá"
		case lower(1) == 'h':
			start = 2
		default:
			start = 1
		}
	case 'n':
		switch {
		case lower(1) == 'g' && lower(2) == 'h':
			start = 3
		case lower(1) == 'g', lower(1) == 'h':
			start = 2
		default:
			start = 1
		}
	case 'c', 'k', 'p':
		start = 1
		if lower(1) == 'h' {
			start = 2
		}
	case 't':
		start = 1
		if lower(1) == 'h' || lower(1) == 'r' {
			start = 2
		}
	case 'b', 'd', 'đ', 'ð', 'h', 'l', 'm', 'r', 's', 'v', 'x':
		start = 1
	}
	// Vowel nucleus.
	end := start
	for end < n && isVowel(lower(end)) {
		end++
	}
	nv := end - start
	if nv == 0 || nv > 3 {
		return "", false
	}
	// Final consonant: "", c, ch, m, n, ng, nh, p, t.
	switch n - end {
	case 0:
	case 1:
		switch lower(end) {
		case 'c', 'm', 'n', 'p', 't':
		default:
			return "", false
		}
	case 2:
		switch {
		case lower(end) == 'c' && lower(end+1) == 'h':
		case lower(end) == 'n' && (lower(end+1) == 'g' || lower(end+1) == 'h'):
		default:
			return "", false
		}
	default:
		return "", false
	}

	target := -1
	for k := start; k < end; k++ {
		if hasDiacritic(lower(k)) {
			target = k // rightmost vowel with a diacritic
		}
	}
	if target < 0 {
		switch nv {
		case 1:
			target = start
		case 3:
			target = start + 1
		case 2:
			// "hòa", "khỏe", "thúy", "mái" but "hoàn", "toán".
			if end < n {
				target = start + 1
			} else {
				target = start
			}
		}
	}
	if target == toneAt {
		return "", false
	}
	tone := parts[toneAt].tone
	parts[toneAt].tone = 0
	parts[target].tone = tone
	var b strings.Builder
	b.Grow(len(w) + 2)
	for _, p := range parts {
		if p.tone != 0 {
			b.WriteRune(compose[p.split])
		} else {
			b.WriteRune(p.base)
		}
	}
	return b.String(), true
}

// isVowel reports whether r is a lower-case Vietnamese vowel letter
// without tone mark.
func isVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư':
		return true
	}
	return false
}

// hasDiacritic reports whether r is one of ă â ê ô ơ ư.
func hasDiacritic(r rune) bool {
	switch r {
	case 'ă', 'â', 'ê', 'ô', 'ơ', 'ư':
		return true
	}
	return false
}

// Fold removes every Vietnamese mark from s: tone marks and the vowel
// diacritics (breve, circumflex, horn), and maps đ to d and Đ to D (and
// the look-alikes ð, Ð) ("Thanh Hóa" → "Thanh Hoa", "Đảng ủy" → "Dang uy").
// Case is kept; NFD input gives the same result as NFC input. Any other combining
// diacritic in U+0300–U+036F is removed too, so Latin letters of other
// languages fold as well ("é" → "e"). The result is in NFC.
func Fold(s string) string {
	if isASCII(s) {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch f, ok := foldTable[r]; {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		case ok:
			b.WriteRune(f)
		case r >= 0x0300 && r <= 0x036F:
			// combining diacritic: drop
		case len(norm.NFD.PropertiesString(s[i:]).Decomposition()) > 0:
			return foldSlow(s) // some other decomposable letter
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	if !norm.NFC.IsNormalString(out) {
		out = norm.NFC.String(out)
	}
	return out
}

// foldSlow is Fold for text outside the precomputed Latin table.
func foldSlow(s string) string {
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if f, ok := foldTable[r]; ok {
			r = f
		} else if r >= 0x0300 && r <= 0x036F {
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// foldTable maps precomposed Latin letters (U+00C0–U+024F, U+1E00–U+1EFF)
// to their base letter, plus đ/Đ and their look-alikes Ð/ð (U+00D0/U+00F0,
// Eth), which Vietnamese text sometimes uses by mistake.
var foldTable = func() map[rune]rune {
	t := map[rune]rune{'đ': 'd', 'Đ': 'D', '\u00D0': 'D', '\u00F0': 'd'}
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if _, ok := t[r]; ok {
				continue
			}
			d := []rune(norm.NFD.String(string(r)))
			if len(d) < 2 || d[0] >= utf8.RuneSelf {
				continue
			}
			allMarks := true
			for _, m := range d[1:] {
				if m < 0x0300 || m > 0x036F {
					allMarks = false
				}
			}
			if allMarks {
				t[r] = d[0]
			}
		}
	}
	add(0x00C0, 0x024F)
	add(0x1E00, 0x1EFF)
	return t
}()

// Tokens splits s into runs of letters, combining marks and digits after
// NFC and lower-casing. Everything else (spaces, punctuation, symbols)
// separates tokens. It is meant for comparing texts word by word, e.g. for
// a token-level F1 score of extracted article bodies.
func Tokens(s string) []string {
	s = strings.ToLower(norm.NFC.String(s))
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r))
	})
}

// SortKey is a key that orders Vietnamese words as a dictionary does:
// by letters, where ă and â come after a, đ after d, ê after e, ô and ơ
// after o and ư after u, each letter's words after all of the one
// before it ("Dương" before "Đào", "an" before "ăn"); tone marks and case
// do not count (compare the words themselves to break a tie).
func SortKey(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 4)
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch r {
		case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323': // tone marks
		case '\u0306': // breve: ă
			b.WriteByte('{')
		case '\u0302': // circumflex: â, ê, ô
			if k := b.Len(); k > 0 && b.String()[k-1] == 'a' {
				b.WriteByte('|')
			} else {
				b.WriteByte('{')
			}
		case '\u031B': // horn: ơ, ư
			if k := b.Len(); k > 0 && b.String()[k-1] == 'o' {
				b.WriteByte('|')
			} else {
				b.WriteByte('{')
			}
		case 'đ':
			b.WriteString("d{")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
