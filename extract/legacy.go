package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Legacy Vietnamese font encodings. Before Unicode, Vietnamese text was
// typed in 8-bit "font encodings" and shown with matching fonts: TCVN3
// (TCVN 5712:1993 VN3, the ".VnTime"/".VnArial" fonts, also called ABC)
// and VNI ("VNI-Times"). A browser without those fonts, or a page declared
// windows-1252/iso-8859-1, shows them as Latin-1 soup ("ViÖt Nam",
// "Vieät Nam"). The functions here map such text to Unicode.

// tcvn3 maps the bytes of TCVN 5712:1993 VN3 to Unicode (0 = the byte
// keeps its windows-1252 meaning). VN3 has no precomposed capitals with
// tone marks: the ".VnTimeH" fonts draw capitals at the same positions.
var tcvn3 = [256]rune{
	0xA1: 'Ă', 0xA2: 'Â', 0xA3: 'Ê', 0xA4: 'Ô', 0xA5: 'Ơ', 0xA6: 'Ư', 0xA7: 'Đ',
	0xA8: 'ă', 0xA9: 'â', 0xAA: 'ê', 0xAB: 'ô', 0xAC: 'ơ', 0xAD: 'ư', 0xAE: 'đ',
	// a: grave, hook, tilde, acute, dot below (the standard's order)
	0xB5: 'à', 0xB6: 'ả', 0xB7: 'ã', 0xB8: 'á', 0xB9: 'ạ',
	0xBB: 'ằ', 0xBC: 'ẳ', 0xBD: 'ẵ', 0xBE: 'ắ', 0xC6: 'ặ',
	0xC7: 'ầ', 0xC8: 'ẩ', 0xC9: 'ẫ', 0xCA: 'ấ', 0xCB: 'ậ',
	0xCC: 'è', 0xCE: 'ẻ', 0xCF: 'ẽ', 0xD0: 'é', 0xD1: 'ẹ',
	0xD2: 'ề', 0xD3: 'ể', 0xD4: 'ễ', 0xD5: 'ế', 0xD6: 'ệ',
	0xD7: 'ì', 0xD8: 'ỉ', 0xDC: 'ĩ', 0xDD: 'í', 0xDE: 'ị',
	0xDF: 'ò', 0xE1: 'ỏ', 0xE2: 'õ', 0xE3: 'ó', 0xE4: 'ọ',
	0xE5: 'ồ', 0xE6: 'ổ', 0xE7: 'ỗ', 0xE8: 'ố', 0xE9: 'ộ',
	0xEA: 'ờ', 0xEB: 'ở', 0xEC: 'ỡ', 0xED: 'ớ', 0xEE: 'ợ',
	0xEF: 'ù', 0xF1: 'ủ', 0xF2: 'ũ', 0xF3: 'ú', 0xF4: 'ụ',
	0xF5: 'ừ', 0xF6: 'ử', 0xF7: 'ữ', 0xF8: 'ứ', 0xF9: 'ự',
	0xFA: 'ỳ', 0xFB: 'ỷ', 0xFC: 'ỹ', 0xFD: 'ý', 0xFE: 'ỵ',
}

// Combining marks used to build letters.
const (
	mGrave = '\u0300'
	mAcute = '\u0301'
	mCirc  = '\u0302'
	mTilde = '\u0303'
	mBreve = '\u0306'
	mHook  = '\u0309'
	mDot   = '\u0323'
)

// VNI (VNI Windows) writes a letter as a base letter followed by one
// modifier byte; a few letters are single bytes.
var (
	vniSingle = map[byte]rune{
		0xF1: 'đ', 0xD1: 'Đ', 0xF6: 'ư', 0xD6: 'Ư', 0xF4: 'ơ', 0xD4: 'Ơ',
		0xEE: 'ỵ', 0xCE: 'Ỵ', 0xE6: 'ỉ', 0xC6: 'Ỉ', 0xF3: 'ĩ', 0xD3: 'Ĩ', 0xF2: 'ị', 0xD2: 'Ị',
		// ì í Ì Í are themselves
	}
	// tone modifiers, after any vowel
	vniTone = map[byte]rune{
		0xF9: mAcute, 0xD9: mAcute, 0xF8: mGrave, 0xD8: mGrave, 0xFB: mHook, 0xDB: mHook,
		0xF5: mTilde, 0xD5: mTilde, 0xEF: mDot, 0xCF: mDot,
	}
	// circumflex (+ tone) modifiers, after a, e, o
	vniCirc = map[byte]rune{
		0xE2: 0, 0xC2: 0, 0xE1: mAcute, 0xC1: mAcute, 0xE0: mGrave, 0xC0: mGrave,
		0xE5: mHook, 0xC5: mHook, 0xE3: mTilde, 0xC3: mTilde, 0xE4: mDot, 0xC4: mDot,
	}
	// breve (+ tone) modifiers, after a
	vniBreve = map[byte]rune{
		0xEA: 0, 0xCA: 0, 0xE9: mAcute, 0xC9: mAcute, 0xE8: mGrave, 0xC8: mGrave,
		0xFA: mHook, 0xDA: mHook, 0xFC: mTilde, 0xDC: mTilde, 0xEB: mDot, 0xCB: mDot,
	}
)

// win1252Byte maps the runes windows-1252 decodes 0x80–0x9F to back to
// their bytes.
var win1252Byte = func() map[rune]byte {
	m := map[rune]byte{}
	dec := charmap.Windows1252.NewDecoder()
	for b := 0x80; b < 0xA0; b++ {
		if out, err := dec.Bytes([]byte{byte(b)}); err == nil {
			if r, _ := utf8.DecodeRune(out); r != utf8.RuneError && r >= 0x100 {
				m[r] = byte(b)
			}
		}
	}
	return m
}()

// latinByte is the single byte a rune of Latin-1/windows-1252 text stands
// for; ok is false for runes outside those code pages.
func latinByte(r rune) (byte, bool) {
	if r < 0x100 {
		return byte(r), true
	}
	if r < rune(len(win1252Table)) && win1252Table[r] != 0 {
		return win1252Table[r], true
	}
	return 0, false
}

// win1252Table is win1252Byte as a table (0: not there; its bytes are
// 0x80–0x9F), for the look-up of every rune of a page in legacyPrescan;
// its runes are all below U+2200 (™ is U+2122).
var win1252Table = func() *[0x2200]byte {
	var t [0x2200]byte
	for r, b := range win1252Byte {
		if r >= rune(len(t)) || b == 0 {
			panic("extract: win1252Table too small")
		}
		t[r] = b
	}
	return &t
}()

// FromTCVN3 converts text read as Latin-1/windows-1252 (one rune per
// byte) from TCVN3 to Unicode NFC. Runes outside Latin-1/windows-1252 are
// kept.
func FromTCVN3(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for _, r := range s {
		if c, ok := latinByte(r); ok && c >= 0x80 && tcvn3[c] != 0 {
			b.WriteRune(tcvn3[c])
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

var vniVowel = map[rune]bool{}

func init() {
	for _, r := range "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY" {
		vniVowel[r] = true
	}
}

// FromVNI converts text read as Latin-1/windows-1252 from VNI Windows to
// Unicode NFC.
func FromVNI(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		c, ok := latinByte(r)
		if !ok || c < 0x80 {
			out = append(out, r)
			continue
		}
		if n := len(out); n > 0 {
			prev := out[n-1]
			base, hasTone := splitTone(prev)
			lower := unicode.ToLower(base)
			if tone, ok := vniTone[c]; ok && vniVowel[base] && !hasTone {
				out[n-1] = compose(base, tone)
				continue
			}
			if tone, ok := vniCirc[c]; ok && !hasTone && (lower == 'a' || lower == 'e' || lower == 'o') {
				out[n-1] = compose(compose(base, mCirc), tone)
				continue
			}
			if tone, ok := vniBreve[c]; ok && !hasTone && lower == 'a' {
				out[n-1] = compose(compose(base, mBreve), tone)
				continue
			}
		}
		if v, ok := vniSingle[c]; ok {
			out = append(out, v)
			continue
		}
		out = append(out, r)
	}
	return norm.NFC.String(string(out))
}

// splitTone returns r without its tone mark and whether it had one.
func splitTone(r rune) (rune, bool) {
	d := []rune(norm.NFD.String(string(r)))
	var keep []rune
	tone := false
	for _, m := range d {
		switch m {
		case mGrave, mAcute, mTilde, mHook, mDot:
			tone = true
		default:
			keep = append(keep, m)
		}
	}
	if !tone {
		return r, false
	}
	c := []rune(norm.NFC.String(string(keep)))
	if len(c) != 1 {
		return r, true
	}
	return c[0], true
}

func compose(r, mark rune) rune {
	if mark == 0 {
		return r
	}
	c := []rune(norm.NFC.String(string(r) + string(mark)))
	if len(c) != 1 {
		return r
	}
	return c[0]
}

// ---------------------------------------------------------------------
// Detection

var (
	onsetRe   = `(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?`
	nucleusRe = `(a|ă|â|e|ê|i|o|ô|ơ|u|ư|y|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|iêu|yêu|oai|oao|oay|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu)`
	codaRe    = `(c|ch|m|n|ng|nh|p|t)?`
	syllable  = mustRe(`^` + onsetRe + nucleusRe + codaRe + `$`)
)

// vietSyllable reports whether w (one word) is a well-formed Vietnamese
// syllable: onset, vowel nucleus, coda, at most one tone mark.
func vietSyllable(w string) bool {
	w = strings.ToLower(w)
	var keep []rune
	tones := 0
	for _, m := range norm.NFD.String(w) {
		switch m {
		case mGrave, mAcute, mTilde, mHook, mDot:
			tones++
		default:
			keep = append(keep, m)
		}
	}
	return tones <= 1 && syllable.MatchString(norm.NFC.String(string(keep)))
}

// tcvn3Sig are TCVN3 bytes that, read as Latin-1, are not letters of
// Vietnamese Unicode text (à á â ã è é ê ì í ò ó ô õ ù ú ý are).
func tcvn3Sig(c byte) bool { return tcvn3SigTab[c] }

var tcvn3SigTab = func() (t [256]bool) {
	for c := range t {
		t[c] = tcvn3[c] != 0 && !viLatin1(rune(c))
	}
	return t
}()

// viLatin1: the letters of Vietnamese Unicode text inside Latin-1.
func viLatin1(r rune) bool {
	switch unicode.ToLower(r) {
	case 'à', 'á', 'â', 'ã', 'è', 'é', 'ê', 'ì', 'í', 'ò', 'ó', 'ô', 'õ', 'ù', 'ú', 'ý':
		return true
	}
	return false
}

// legacyPrescan is a cheap first look: the number of runes that only a
// legacy encoding explains, and of letters only Vietnamese Unicode has.
func legacyPrescan(text string) (sig, uni int) {
	prev := rune(0)
	for _, r := range text {
		if r >= 0x80 {
			if c, ok := latinByte(r); ok {
				if tcvn3Sig(c) || vniSig(prev, c) {
					sig++
				}
			} else if r >= 0x1EA0 && r <= 0x1EF9 || r == 'ă' || r == 'đ' || r == 'ơ' || r == 'ư' || r == 'Ă' || r == 'Đ' || r == 'Ơ' || r == 'Ư' {
				uni++
			}
		}
		prev = r
	}
	return
}

// vniSig: a VNI modifier right after an ASCII vowel ("Vieät"), or a
// single-byte VNI letter that is not a Vietnamese Unicode letter.
func vniSig(prev rune, c byte) bool {
	t := vniSigTab[c]
	return t&vniLetterSig != 0 || t&vniModifier != 0 && prev < utf8.RuneSelf && asciiVowel[prev]
}

// vniSigTab classes the bytes for vniSig: a modifier (vniTone, vniCirc or
// vniBreve), a single-byte letter that only VNI has.
var vniSigTab = func() (t [256]uint8) {
	for c := range t {
		if _, ok := vniTone[byte(c)]; ok {
			t[c] |= vniModifier
		}
		if _, ok := vniCirc[byte(c)]; ok {
			t[c] |= vniModifier
		}
		if _, ok := vniBreve[byte(c)]; ok {
			t[c] |= vniModifier
		}
		switch c {
		case 0xF1, 0xD1, 0xF6, 0xD6, 0xEE, 0xCE, 0xE6, 0xC6:
			t[c] |= vniLetterSig
		}
	}
	return t
}()

const (
	vniModifier  = 1
	vniLetterSig = 2
)

// asciiVowel: the ASCII vowels, y included, either case.
var asciiVowel = func() (t [utf8.RuneSelf]bool) {
	for _, c := range "aeiouyAEIOUY" {
		t[c] = true
	}
	return t
}()

// Legacy encodings DetectLegacy reports.
const (
	LegacyNone  = ""
	LegacyTCVN3 = "tcvn3"
	LegacyVNI   = "vni"
)

// DetectLegacy decides whether text (as read with Latin-1/windows-1252)
// is Vietnamese in TCVN3 or VNI. It counts the words with non-ASCII
// letters: a legacy encoding is reported only when most such words
// convert to well-formed Vietnamese syllables, several hold bytes that
// only that encoding explains, and the text does not already hold
// Vietnamese Unicode. hint (the text was set in a .VnTime or VNI font)
// lowers the required counts.
func DetectLegacy(text string, hint bool) string {
	if len(text) > 1<<20 {
		text = text[:1<<20]
	}
	var goodT, badT, sigT, goodV, badV, sigV, uni, words int
	minGood, minSig := 6, 3
	if hint {
		minGood, minSig = 2, 1
	}
	if ps, pu := legacyPrescan(text); ps < minSig || pu > 5*ps {
		return LegacyNone
	}
	// syllables[w] caches, for a word w, whether it reads as a syllable
	// in TCVN3 (bit 1) and in VNI (bit 2), and that it was looked at (bit
	// 4): a page repeats its words, and the conversions and vietSyllable
	// were most of the time of a legacy page's decoding.
	syllables := map[string]uint8{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		if r < 0x80 {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		}
		if _, ok := latinByte(r); ok {
			return r == 0xA0 || r == 0x2013 || r == 0x2014 || r == 0x201C || r == 0x201D || r == 0x2018 || r == 0x2019 || r == 0x2026
		}
		return !unicode.IsLetter(r) && !unicode.IsMark(r)
	}) {
		nonASCII, foreign := false, false
		sT, sV := false, false
		prev := rune(0)
		for _, r := range w {
			if r >= 0x80 {
				nonASCII = true
				if c, ok := latinByte(r); ok {
					sT = sT || tcvn3Sig(c)
					sV = sV || vniSig(prev, c)
				} else {
					foreign = true
				}
			}
			prev = r
		}
		if !nonASCII {
			continue
		}
		words++
		if foreign {
			uni++
			continue
		}
		if utf8.RuneCountInString(w) < 2 && !sT && !sV {
			continue
		}
		syl, ok := syllables[w]
		if !ok {
			syl = 4
			if vietSyllable(FromTCVN3(w)) {
				syl |= 1
			}
			if vietSyllable(FromVNI(w)) {
				syl |= 2
			}
			syllables[w] = syl
		}
		if syl&1 != 0 {
			goodT++
			if sT {
				sigT++
			}
		} else {
			badT++
		}
		if syl&2 != 0 {
			goodV++
			if sV {
				sigV++
			}
		} else {
			badV++
		}
		if words > 20000 {
			break
		}
	}
	okT := goodT >= minGood && sigT >= minSig && goodT*100 >= 85*(goodT+badT) && uni*5 < goodT
	okV := goodV >= minGood && sigV >= minSig && goodV*100 >= 85*(goodV+badV) && uni*5 < goodV
	switch {
	case okT && okV:
		if sigV > sigT {
			return LegacyVNI
		}
		return LegacyTCVN3
	case okT:
		return LegacyTCVN3
	case okV:
		return LegacyVNI
	}
	return LegacyNone
}

// RepairLegacy converts a document's text typed in a legacy Vietnamese
// font encoding (TCVN3, VNI; see DetectLegacy) to Unicode, and names the
// encoding ("" when there is none). A document may mix the two: a form
// typed in .VnTime and filled in later in Unicode, a quotation pasted in.
// Only its lines without Vietnamese Unicode letters are read as legacy
// text (decided on them together, so that the Unicode lines neither hide
// the legacy ones nor are converted with them: converting turns their
// Latin-1 letters, ó, à, ê…, into other ones).
func RepairLegacy(text string) (string, string) {
	lines := strings.SplitAfter(text, "\n")
	legacy := make([]bool, len(lines))
	var candidates strings.Builder
	for i, l := range lines {
		if _, uni := legacyPrescan(l); uni == 0 {
			legacy[i] = true
			if candidates.Len() < 1<<20 { // all DetectLegacy reads
				candidates.WriteString(l)
			}
		}
	}
	enc := DetectLegacy(candidates.String(), false)
	if enc == LegacyNone {
		return text, enc
	}
	for i, l := range lines {
		if legacy[i] {
			lines[i] = convertLegacy(l, enc)
		}
	}
	return strings.Join(lines, ""), enc
}

func convertLegacy(s, enc string) string {
	switch enc {
	case LegacyTCVN3:
		return FromTCVN3(s)
	case LegacyVNI:
		return FromVNI(s)
	}
	return s
}

var (
	legacyFontRe = mustRe(`(?i)(^|[\s,'"])(\.vn[a-z]|vni[- ]|vn-?times|abc|tcvn)`)
	fontFamilyRe = mustRe(`(?i)font-family\s*:\s*([^;]+)`)
	upperFontRe  = mustRe(`(?i)^\.vn\w*h$`)
	legacyFaceRe = mustRe(`(?i)(face\s*=|font-family\s*:)\s*["']?\s*(\.vn|vni)`)
	tagTextRe    = mustRe(`(?is)<script.*?</script>|<style.*?</style>|<[^>]*>`)
)

// legacyFont returns the face of a legacy Vietnamese font set on n, or "".
func legacyFont(n *html.Node) string {
	face := attr(n, "face")
	if m := fontFamilyRe.FindStringSubmatch(attr(n, "style")); m != nil {
		face += "," + m[1]
	}
	if face == "" || !legacyFontRe.MatchString(face) {
		return ""
	}
	for _, f := range strings.Split(face, ",") {
		f = strings.Trim(strings.TrimSpace(f), `'"`)
		if legacyFontRe.MatchString(f) {
			return f
		}
	}
	return face
}

// fixLegacyTree converts, in a parsed page, the text set in legacy fonts
// (<font face=".VnTime">, style="font-family: VNI-Times") and, when the
// page's text outside Vietnamese Unicode reads as TCVN3 or VNI, its text
// nodes that only hold Latin-1 runes: all of them in a page with no
// Vietnamese Unicode, those with a byte only the encoding explains in a
// page that mixes the two (a body pasted from a .VnTime document, its font
// named in a stylesheet, under a Unicode menu and title), so that Unicode
// text of Latin-1 letters ("Thanh Hóa") is not read as TCVN3 ("Thanh
// Húa"). Text in a ".VnTimeH"-style capitals font is upper-cased.
func fixLegacyTree(root *html.Node) {
	// whole page
	var all strings.Builder // the text of the nodes without Vietnamese Unicode
	mixed := false          // some nodes have Vietnamese Unicode
	var texts []*html.Node
	var walk func(n *html.Node, d int)
	walk = func(n *html.Node, d int) {
		if d > maxDepth || len(texts) > maxNodes {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				texts = append(texts, c)
				if _, uni := legacyPrescan(c.Data); uni > 0 {
					mixed = true
				} else if all.Len() < 1<<20 {
					all.WriteString(c.Data)
					all.WriteByte(' ')
				}
			case html.ElementNode:
				if c.DataAtom == atom.Script || c.DataAtom == atom.Style {
					continue
				}
				walk(c, d+1)
			}
		}
	}
	walk(root, 0)
	if enc := DetectLegacy(all.String(), false); enc != LegacyNone {
		// In a page that mixes the two, a node is legacy text when it
		// holds a byte no Unicode letter explains, or a word only the
		// encoding reads, or when it is in the same paragraph as such a
		// node (a Word paste cut into spans: "caùc" alone reads as
		// either).
		var weak []*html.Node
		legacyBlocks := map[*html.Node]bool{}
		for _, t := range texts {
			if !latinOnly(t.Data) {
				continue
			}
			if !mixed {
				t.Data = convertLegacy(t.Data, enc)
				continue
			}
			if sure, maybe := legacyByte(t.Data, enc); sure || readsOnlyAsLegacy(t.Data, enc) {
				t.Data = convertLegacy(t.Data, enc)
				legacyBlocks[blockOf(t)] = true
			} else if maybe {
				weak = append(weak, t)
			}
		}
		for _, t := range weak {
			if legacyBlocks[blockOf(t)] {
				t.Data = convertLegacy(t.Data, enc)
			}
		}
		upperLegacyCaps(root)
		return
	}
	// elements set in a legacy font
	var fonts func(n *html.Node, d int)
	fonts = func(n *html.Node, d int) {
		if d > maxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if f := legacyFont(c); f != "" {
				var ts []*html.Node
				var sb strings.Builder
				collectText(c, &ts, &sb, 0)
				if enc := DetectLegacy(sb.String(), true); enc != LegacyNone {
					up := upperFontRe.MatchString(f)
					for _, t := range ts {
						if latinOnly(t.Data) {
							t.Data = convertLegacy(t.Data, enc)
							if up {
								t.Data = strings.ToUpper(t.Data)
							}
						}
					}
					continue
				}
			}
			fonts(c, d+1)
		}
	}
	fonts(root, 0)
}

func collectText(n *html.Node, ts *[]*html.Node, sb *strings.Builder, d int) {
	if d > maxDepth {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			*ts = append(*ts, c)
			if sb.Len() < 1<<20 {
				sb.WriteString(c.Data)
				sb.WriteByte(' ')
			}
		case html.ElementNode:
			if c.DataAtom != atom.Script && c.DataAtom != atom.Style {
				collectText(c, ts, sb, d+1)
			}
		}
	}
}

// upperLegacyCaps upper-cases text set in a ".VnTimeH"-style font.
func upperLegacyCaps(root *html.Node) {
	for _, n := range findAll(root, func(n *html.Node) bool { return upperFontRe.MatchString(legacyFont(n)) }) {
		var ts []*html.Node
		var sb strings.Builder
		collectText(n, &ts, &sb, 0)
		for _, t := range ts {
			t.Data = strings.ToUpper(t.Data)
		}
	}
}

// legacyByte says whether s, read as Latin-1, holds a byte that only the
// encoding enc explains (see DetectLegacy) and that is no letter of
// Vietnamese Unicode text (sure), or one the encoding explains at all
// (maybe). A VNI modifier that is such a letter (á after a vowel: "oá" is
// VNI's "ố") is no proof: Unicode text of Latin-1 letters holds it as
// often ("khoác", "hoá"), and a menu of such labels ("Tình yêu", "Quán
// xá") over a Unicode article read as VNI turned "Áo khoác" in the text
// into "Áo khốc".
func legacyByte(s, enc string) (sure, maybe bool) {
	prev := rune(0)
	for _, r := range s {
		if c, ok := latinByte(r); ok && r >= 0x80 {
			switch enc {
			case LegacyTCVN3:
				sure = sure || tcvn3Sig(c)
				maybe = maybe || tcvn3[c] != 0
			case LegacyVNI:
				v := vniSig(prev, c)
				sure = sure || v && !viLatin1(r)
				maybe = maybe || v
			}
			if sure {
				return true, true
			}
		}
		prev = r
	}
	return sure, maybe
}

// readsOnlyAsLegacy says whether s, in a page that mixes Unicode and
// legacy text, is legacy text although its bytes are all letters of
// Vietnamese Unicode too: a word of it is no Vietnamese syllable as read
// ("caùc", "Leâ") and one converted, and none reads as a syllable that
// conversion would turn into another ("khoác", a Unicode word, would
// become "khốc").
func readsOnlyAsLegacy(s, enc string) bool {
	legacy := false
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !strings.ContainsFunc(w, func(r rune) bool { return r >= utf8.RuneSelf }) {
			continue
		}
		asRead, converted := vietSyllable(w), vietSyllable(convertLegacy(w, enc))
		switch {
		case asRead && converted && convertLegacy(w, enc) != w:
			return false
		case !asRead && converted:
			legacy = true
		}
	}
	return legacy
}

// blockOf is the paragraph-like element that holds the text node t.
func blockOf(t *html.Node) *html.Node {
	for p := t.Parent; p != nil; p = p.Parent {
		switch p.DataAtom {
		case atom.P, atom.Div, atom.Li, atom.Td, atom.Th, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Body:
			return p
		}
	}
	return nil
}

// latinOnly: every rune of s is one windows-1252/Latin-1 can hold.
func latinOnly(s string) bool {
	for _, r := range s {
		if _, ok := latinByte(r); !ok {
			return false
		}
	}
	return true
}

// legacyBytes checks a single-byte page for TCVN3/VNI: its text (tags,
// scripts and styles left out) read as windows-1252. It returns the
// encoding and the whole page read as windows-1252.
func legacyBytes(body []byte) (string, string) {
	s, err := charmap.Windows1252.NewDecoder().String(string(body))
	if err != nil {
		return LegacyNone, ""
	}
	hint := legacyFaceRe.Match(body[:min(len(body), 1<<20)])
	// Character references decoded: a page saved by FrontPage or Word as
	// windows-1252 writes the Vietnamese letters past Latin-1 as
	// "&#7885;" and keeps ó, à, ò as bytes, which read alone look like
	// TCVN3; with the references, the text is Unicode Vietnamese.
	text := html.UnescapeString(tagTextRe.ReplaceAllString(s[:min(len(s), 2<<20)], " "))
	enc := DetectLegacy(text, false)
	if enc == LegacyNone && hint {
		enc = DetectLegacy(text, true)
	}
	return enc, s
}
