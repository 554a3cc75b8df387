package extract

import (
	"bytes"
	"mime"
	"strings"
	stdunicode "unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"

	"tulieu/vntext"
)

var metaCharsetRe = mustRe(`(?is)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)`)

// Decode converts an HTML body to UTF-8 and reports the charset it used
// (a WHATWG name such as "utf-8" or "windows-1258").
//
// The charset is taken, in order, from the HTTP Content-Type header, a
// byte-order mark, a <meta charset> or <meta http-equiv="Content-Type">
// anywhere in the head, and finally from sniffing the bytes (valid UTF-8 →
// utf-8, otherwise windows-1258, the legacy Vietnamese Windows code page).
// A declaration the bytes prove wrong is overridden: invalid UTF-8 declared
// as utf-8, or well-formed multi-byte UTF-8 declared as a single-byte
// Latin charset (a common server misconfiguration).
//
// The error is non-nil only when the text cannot be decoded at all.
//
// A single-byte page whose text reads as a legacy Vietnamese font encoding
// (TCVN3/.VnTime or VNI, see DetectLegacy) is converted from it, and the
// charset is reported as "x-tcvn3" or "x-vni".
//
// The text is returned in Unicode NFC, so windows-1258's combining tone
// marks (and NFD UTF-8) come out precomposed.
func Decode(body []byte, contentType string) (string, string, error) {
	s, cs, err := decode(body, contentType)
	if err != nil {
		return "", "", err
	}
	return vntext.NFC(s), cs, nil
}

func decode(body []byte, contentType string) (string, string, error) {
	// BOM first when present: it is unambiguous.
	if bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}) {
		return toValidUTF8(string(body[3:])), "utf-8", nil
	}
	if len(body) >= 2 && (body[0] == 0xFF && body[1] == 0xFE || body[0] == 0xFE && body[1] == 0xFF) {
		enc := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
		name := "utf-16le"
		if body[0] == 0xFE {
			enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
			name = "utf-16be"
		}
		out, err := enc.NewDecoder().Bytes(body)
		if err != nil {
			return "", "", err
		}
		return toValidUTF8(string(out)), name, nil
	}

	var candidates []string
	if contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
			candidates = append(candidates, params["charset"])
		} else if i := strings.Index(strings.ToLower(contentType), "charset="); i >= 0 {
			candidates = append(candidates, strings.Trim(contentType[i+8:], `"' ;`))
		}
	}
	if m := metaCharset(body); m != "" {
		candidates = append(candidates, m)
	}
	validUTF8 := utf8.Valid(body)
	if !validUTF8 {
		// A page cut at the body size limit may end inside a letter: the
		// rest is UTF-8 all the same, and the letter's first bytes go.
		if whole := withoutCutRune(body); len(whole) < len(body) && utf8.Valid(whole) {
			body, validUTF8 = whole, true
		}
	}
	nonASCII := hasNonASCII(body)

	for _, label := range candidates {
		enc, name := lookupCharset(label)
		if enc == nil {
			continue
		}
		switch {
		case name == "utf-8":
			if !validUTF8 {
				continue // proven wrong
			}
			return string(body), "utf-8", nil
		case name == "utf-16le" || name == "utf-16be":
			// A meta tag cannot honestly declare UTF-16 (it would not be
			// readable as ASCII); ignore it.
			continue
		case isSingleByteLatin(name) && validUTF8 && nonASCII:
			// Multi-byte UTF-8 sequences are vanishingly unlikely in real
			// Latin-1/Windows-125x text: the declaration is wrong.
			continue
		}
		if isSingleByteLatin(name) && nonASCII {
			if leg, s := legacyBytes(body); leg != LegacyNone {
				return convertLegacy(s, leg), "x-" + leg, nil
			}
		}
		out, err := enc.NewDecoder().Bytes(body)
		if err != nil {
			continue
		}
		return toValidUTF8(string(out)), name, nil
	}
	if validUTF8 {
		return string(body), "utf-8", nil
	}
	if leg, s := legacyBytes(body); leg != LegacyNone {
		return convertLegacy(s, leg), "x-" + leg, nil
	}
	out, err := charmap.Windows1258.NewDecoder().Bytes(body)
	if err != nil {
		return toValidUTF8(string(body)), "utf-8", nil
	}
	return string(out), "windows-1258", nil
}

// withoutCutRune is b without the first bytes of a UTF-8 sequence cut
// short at its end, if it ends so.
func withoutCutRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if b[i] >= 0xC0 && !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			return b
		}
	}
	return b
}

func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func isSingleByteLatin(name string) bool {
	return strings.HasPrefix(name, "windows-125") || strings.HasPrefix(name, "iso-8859") ||
		name == "macintosh" || name == "ibm866" || name == "koi8-r" || name == "koi8-u"
}

func lookupCharset(label string) (encoding.Encoding, string) {
	label = strings.ToLower(strings.TrimSpace(label))
	switch label {
	case "":
		return nil, ""
	case "utf8", "unicode-1-1-utf-8":
		label = "utf-8"
	case "cp1258", "windows1258", "win-1258", "x-cp1258", "vn":
		label = "windows-1258"
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, ""
	}
	name, err := htmlindex.Name(enc)
	if err != nil {
		return nil, ""
	}
	return enc, name
}

// metaCharset finds a charset declared by a meta tag in the head (or, when
// there is no </head>, in the first 64 KiB).
func metaCharset(body []byte) string {
	head := body
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	if i := lowerIndexHeadEnd(head); i >= 0 {
		head = head[:i]
	}
	// Every match starts at a "<meta" (any case): regexp, which has no
	// literal prefix to skip to under (?i), need not read what comes
	// before the first one; a match there is the same match, the
	// expression looking at nothing before it.
	j := indexFoldASCII(head, "<meta")
	if j < 0 {
		return ""
	}
	m := metaCharsetRe.FindSubmatch(head[j:])
	if m == nil {
		return ""
	}
	return string(m[1])
}

// lowerIndexHeadEnd is bytes.Index(bytes.ToLower(head), []byte("</head")),
// without the copy (TestLowerIndexHeadEnd). The index is one in the
// lowered copy, which metaCharset has always cut head at: a rune lowered
// to a different length (İ, the Kelvin sign, an invalid byte made
// U+FFFD) before it moves it.
func lowerIndexHeadEnd(head []byte) int {
	// No rune outside ASCII lowers to one of "</head" (İ lowers to "i",
	// the Kelvin sign to "k"): the match in the copy is an ASCII
	// "</head", any case, in head.
	i := indexFoldASCII(head, "</head")
	if i < 0 {
		return -1
	}
	o := 0 // the length of bytes.ToLower(head[:i])
	for k := 0; k < i; {
		if head[k] < utf8.RuneSelf {
			k++
			o++
			continue
		}
		r, size := utf8.DecodeRune(head[k:i])
		o += utf8.RuneLen(stdunicode.ToLower(r)) // U+FFFD for an invalid byte: 3
		k += size
	}
	return o
}

// indexFoldASCII is the index of the first instance of lit in b, ASCII
// letters in any case; -1 when there is none. lit is lowercase ASCII
// that starts with a sign, not a letter, and holds no "k" or "s" (whose
// case folding goes beyond ASCII).
func indexFoldASCII(b []byte, lit string) int {
	for i := 0; ; i++ {
		j := bytes.IndexByte(b[i:], lit[0])
		if j < 0 {
			return -1
		}
		i += j
		if i+len(lit) > len(b) {
			return -1
		}
		ok := true
		for k := 1; k < len(lit); k++ {
			if c := b[i+k]; c != lit[k] && !('a' <= lit[k] && lit[k] <= 'z' && c == lit[k]-('a'-'A')) {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
}
