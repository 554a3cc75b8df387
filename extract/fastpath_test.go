package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"

	"tulieu/vntext"
)

// The fast paths of text.go, fields.go, date.go and prefilter.go are held
// to the plain definitions they replace, kept here.

func cleanTextSlow(s string) string {
	s = vntext.NFC(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case isZeroWidth(r):
			continue
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2007':
			space = true
			continue
		case r == utf8.RuneError || r < 0x20 || r == 0x7f:
			if r == utf8.RuneError {
				b.WriteRune(r)
			}
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func tokensSlow(s string) []string {
	s = vntext.NFC(strings.ToLower(s))
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r))
	})
}

func sameTextSlow(a, b string) bool {
	ta, tb := tokensSlow(a), tokensSlow(b)
	if len(ta) == 0 || len(ta) != len(tb) {
		return false
	}
	for i := range ta {
		if ta[i] != tb[i] && foldRunes(ta[i]) != foldRunes(tb[i]) {
			return false
		}
	}
	return true
}

func foldKeySlow(s string) string { return strings.Join(tokensSlow(foldRunes(s)), " ") }

// fastPathSamples are texts for the comparisons: edge cases, Vietnamese
// in NFC and NFD, and the lines of the golden pages.
func fastPathSamples(t testing.TB) []string {
	base := []string{
		"", " ", "  ", "a", " a", "a ", "a  b", "\ta\nb\r", "a\u00a0b", "a\u202f\u2007b", "a\u200bb", "\u200b", "\ufeffx",
		"\x00a\x7fb\x1f", "\xff", "a \xff b", "\xff ", " \xff", "a\xffb", "\xe1\xbb", "x\xe1\xbby", "\uFFFD", "a \uFFFD b",
		"\u0085x\u2028y\u3000z", "Đảng bộ Khối", "ĐẢNG BỘ KHỐI", "đảng bộ khối", "Thanh Hóa", "Thanh Hoá", "THANH HÓA",
		"Trang chủ » Tin tức » Tiêu đề", "TRANG CHỦ / Tin", "Home > News", "home>News", "Bạn đang ở: Trang chủ / Tin",
		"BẠN ĐANG Ở ĐÂY: Trang chủ", "Vị trí: Trang chủ", "vị trí hiện tại Trang chủ » A", "You are here: Home / X",
		"Ngày 28/02/2020", "ngày 15 tháng 10 năm 2025", "NGÀY 15 THÁNG 10 NĂM 2025", "2025-10-22T19:25:52+07:00",
		"08:00 | 07/03/2020", "Thứ Bảy, 23/11/2024, 17:25 (GMT+7)", "16/10/2020 02:48:00 AM", "12-5-2021", "11 - 11 - 2023",
		"1.2.2020", "12h00 (GMT-99)", "99/99/9999", "123", "1/2/3", "2020", "12/2020", "Số 45/2020/NĐ-CP", "05-CT/TW",
		"ſtyle", "Kelvin \u212a", "\u212aelvin", "ſ", "Ǆ ǅ ǆ", "İstanbul ı", "ΣΊΣΥΦΟΣ ς", "Ǳ", "ﬁ ﬂ", "Straße STRASSE",
		"Tác giả: Lê Hà", "TÁC GIẢ: LÊ HÀ", "Theo dangcongsan.vn", "(Nguồn: TTXVN)", "Minh Hằng (Theo dangcongsan.vn)",
		"Bài và ảnh: Quốc Hương", "Ảnh: Cao Trung Hiếu", "Đồng chí Nguyễn Văn A", "Bản quyền © 2008", "Copyright 2020",
		"Tags:", "Từ khóa:", "NHẬT XUÂN và 1 tác giả khác", "Thanh Hóa, ngày 07 tháng 3 năm 2022", "TTXVN", "VOV",
		"a.b", "x.pdf", "/documents/20182/1234567/KH+CCHC+2020.pdf/abc", "/tai-ve/quyet-dinh-45", "download.aspx",
		"Lượt xem: 345", "Chia sẻ", "In bài viết", "Gửi email", "A- A+ In", "Cập nhật: 12-5-2021 | Lượt xem: 345",
		"x1  2y  ---  Ư", "...", "!!!", "a-b_c.d", "3,5 tỷ", "Ơ ơ Ư ư Ă ă Â â Ê ê Ô ô Đ đ", "Ⅻ ½ ² ٣ ০", "日本語 テキスト",
		"Ελληνικά", "Русский текст", "ÆØÅ æøå Œ œ Ÿ", "Ǎǎ Ǖǖ Ȁȁ Ḁḁ Ṩṩ Ỳỳ ỹ Ỹ", "a\u0301b", "e\u0302\u0301", "\u0301start",
	}
	files, _ := filepath.Glob("testdata/pages/*.html")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil || !utf8.Valid(b) {
			continue
		}
		for _, l := range strings.FieldsFunc(string(b), func(r rune) bool { return r == '<' || r == '>' || r == '\n' }) {
			if len(l) < 400 {
				base = append(base, l)
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range base {
		add(s)
		add(norm.NFD.String(s))
		add(strings.ToUpper(s))
		add(strings.ToLower(s))
		add(strings.TrimSpace(s))
		add(" " + s + " ")
		add(cleanTextSlow(s))
	}
	return out
}

func TestCleanTextMatchesSlow(t *testing.T) {
	for _, s := range fastPathSamples(t) {
		if got, want := cleanText(s), cleanTextSlow(s); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestTokensMatchSlow(t *testing.T) {
	for _, s := range fastPathSamples(t) {
		got, want := Tokens(s), tokensSlow(s)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) || (got == nil) != (want == nil) {
			t.Errorf("Tokens(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestFoldKeyMatchesSlow(t *testing.T) {
	for _, s := range fastPathSamples(t) {
		if got, want := foldKey(s), foldKeySlow(s); got != want {
			t.Errorf("foldKey(%q) = %q, want %q", s, got, want)
		}
		if got, want := fold(s), foldRunes(s); got != want {
			t.Errorf("fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestSameTextMatchesSlow(t *testing.T) {
	ss := fastPathSamples(t)
	for i, a := range ss {
		// each with its neighbours, variants of it among them
		for j := max(0, i-8); j < min(len(ss), i+8); j++ {
			if got, want := sameText(a, ss[j]), sameTextSlow(a, ss[j]); got != want {
				t.Errorf("sameText(%q, %q) = %v, want %v", a, ss[j], got, want)
			}
		}
		for _, b := range []string{norm.NFD.String(a), strings.ToUpper(a), foldRunes(a), a + " x", "x " + a, strings.ReplaceAll(a, " ", ",")} {
			if got, want := sameText(a, b), sameTextSlow(a, b); got != want {
				t.Errorf("sameText(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestDatePrefilters holds ParseDate's tests before its regexps: no
// match of isoDateRe, viDateRe or dmyRe without four digits, of isoDateRe
// without "-", of viDateRe without "à"/"À", of dmyRe without "/", "." or
// "-".
func TestDatePrefilters(t *testing.T) {
	for _, s := range fastPathSamples(t) {
		iso, vi, dmy := isoDateRe.Regexp.MatchString(s), viDateRe.Regexp.MatchString(s), dmyRe.Regexp.MatchString(s)
		if !hasDigits(s, 4) && (iso || vi || dmy) {
			t.Errorf("%q: a date with fewer than four digits", s)
		}
		if iso && !strings.Contains(s, "-") {
			t.Errorf("%q: isoDateRe matches without '-'", s)
		}
		if vi && !strings.Contains(s, "à") && !strings.Contains(s, "À") {
			t.Errorf("%q: viDateRe matches without 'à'", s)
		}
		if dmy && !strings.ContainsAny(s, "/.-") {
			t.Errorf("%q: dmyRe matches without a separator", s)
		}
	}
}

func checkFilteredRes(t testing.TB, s string) {
	for _, re := range allFilteredRes {
		if !re.mayMatch(s) && re.Regexp.MatchString(s) {
			t.Errorf("%s: filter says no match in %q, regexp finds %q", re, s, re.Regexp.FindString(s))
		}
	}
}

func TestFilteredReNeverMissesAMatch(t *testing.T) {
	matched := map[*filteredRe]int{}
	for _, s := range fastPathSamples(t) {
		checkFilteredRes(t, s)
		for _, re := range allFilteredRes {
			if re.Regexp.MatchString(s) {
				matched[re]++
			}
		}
	}
	// Each expression's own matches, cut out of the samples, in other
	// cases and forms.
	for _, s := range fastPathSamples(t) {
		for _, re := range allFilteredRes {
			for _, m := range re.Regexp.FindAllString(s, 4) {
				for _, v := range []string{m, strings.ToUpper(m), strings.ToLower(m), norm.NFD.String(m), " " + m, m + "\xff",
					strings.ReplaceAll(strings.ReplaceAll(m, "s", "ſ"), "k", "\u212a")} {
					checkFilteredRes(t, v)
				}
			}
		}
	}
	if n := len(matched); n < len(allFilteredRes)/2 {
		t.Errorf("only %d of %d expressions matched a sample", n, len(allFilteredRes))
	}
}

func TestFirstRunesOfSmallExpressions(t *testing.T) {
	for expr, want := range map[string]struct{ yes, no []string }{
		`(?i)^(trang chủ|home)\s*»`: {[]string{"Trang chủ »", "HOME»"}, []string{"xhome »", " Trang chủ »", ""}},
		`(?i)^style`:                {[]string{"ſtyle", "STYLE"}, []string{"tyle"}},
		`(?i)kelvin`:                {[]string{"\u212aelvin", "x KELVIN"}, []string{"elvin"}},
		`^(.+?)\s*\(\s*(?:theo|nguồn)\s*:?\s*([^()]+?)\s*\)\.?$`: {[]string{"A (theo B)"}, []string{"A theo B"}},
		`\b(\d{1,2})h`: {[]string{"12h"}, []string{"h"}},
		`x*`:           {[]string{"", "y"}, nil},
		`^`:            {[]string{"", "y"}, nil},
		`(?s).x`:       {[]string{"ax"}, nil},
	} {
		re := mustRe(expr)
		for _, s := range want.yes {
			if !re.MatchString(s) || !re.mayMatch(s) {
				t.Errorf("%s: no match in %q", expr, s)
			}
		}
		for _, s := range want.no {
			if re.MatchString(s) || regexp.MustCompile(expr).MatchString(s) {
				t.Errorf("%s: a match in %q", expr, s)
			}
		}
	}
}

func FuzzFastPaths(f *testing.F) {
	for _, s := range []string{"Trang chủ » Tin", "Ngày 28/02/2020", "a \xff b", "Đảng bộ\u00a0Khối", "ſtyle \u212a", "e\u0302\u0301"} {
		f.Add(s, "Trang chủ")
	}
	f.Fuzz(func(t *testing.T, s, o string) {
		if got, want := cleanText(s), cleanTextSlow(s); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", s, got, want)
		}
		if got, want := strings.Join(Tokens(s), "\x00"), strings.Join(tokensSlow(s), "\x00"); got != want {
			t.Errorf("Tokens(%q) = %q, want %q", s, got, want)
		}
		if got, want := foldKey(s), foldKeySlow(s); got != want {
			t.Errorf("foldKey(%q) = %q, want %q", s, got, want)
		}
		if got, want := sameText(s, o), sameTextSlow(s, o); got != want {
			t.Errorf("sameText(%q, %q) = %v, want %v", s, o, got, want)
		}
		checkFilteredRes(t, s)
	})
}

func TestLowerIndexHeadEnd(t *testing.T) {
	// No rune outside ASCII lowers into ASCII but to "i" and "k".
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l < utf8.RuneSelf && l != 'i' && l != 'k' {
			t.Errorf("%U lowers to %q", r, l)
		}
	}
	var samples []string
	for _, s := range fastPathSamples(t) {
		samples = append(samples, s, s+"</head>", s+"</HEAD", "</HeAd"+s)
	}
	samples = append(samples, "", "</head", "</hea", "<</head>", "İİ</head>", "\u212a\u212a</head>", "\xff\xfe</head>", "\xc3</HEAD>",
		"<meta charset=utf-8></head>", "\xe1\xbb</head>\xe1", "Ǆ</head>", "ẞ</head>", "Ⱥ</head>", "\u0130\xff</HEAD></head>")
	for _, s := range samples {
		b := []byte(s)
		if got, want := lowerIndexHeadEnd(b), bytes.Index(bytes.ToLower(b), []byte("</head")); got != want {
			t.Errorf("lowerIndexHeadEnd(%q) = %d, want %d", s, got, want)
		}
		for _, lit := range []string{"<meta", "</head"} {
			lower := bytes.ToLower(b)
			if len(lower) != len(b) || bytes.ContainsFunc(b, func(r rune) bool { return utf8.RuneLen(unicode.ToLower(r)) != utf8.RuneLen(r) }) {
				continue // an index in the lowered copy is not one in b
			}
			want := bytes.Index(lower, []byte(lit))
			if got := indexFoldASCII(b, lit); got != want {
				t.Errorf("indexFoldASCII(%q, %q) = %d, want %d", s, lit, got, want)
			}
		}
	}
}

func TestMetaCharsetFromFirstMeta(t *testing.T) {
	slow := func(body []byte) string {
		head := body
		if len(head) > 64<<10 {
			head = head[:64<<10]
		}
		if i := bytes.Index(bytes.ToLower(head), []byte("</head")); i >= 0 {
			head = head[:i]
		}
		m := metaCharsetRe.Regexp.FindSubmatch(head)
		if m == nil {
			return ""
		}
		return string(m[1])
	}
	files, _ := filepath.Glob("testdata/*/*.html")
	var bodies [][]byte
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			bodies = append(bodies, b)
		}
	}
	for _, s := range []string{"", "<meta charset=x>", "<META\tCHARSET='Windows-1258'>", "<meta\ncharset = \"utf-8\"", "<metacharset=x><meta charset=y>",
		"<meta name=a><meta http-equiv=content-type content='text/html; charset=windows-1252'>", "İ<meta charset=a></head><meta charset=b>",
		"\xff\xff<meta charset=a>", "<meta ſ charſet=x>", "<meta charſet=x>", "</head><meta charset=x>", "<MeTa CharSet=iso-8859-1 >"} {
		bodies = append(bodies, []byte(s))
	}
	for _, b := range bodies {
		if got, want := metaCharset(b), slow(b); got != want {
			t.Errorf("metaCharset(%.60q) = %q, want %q", b, got, want)
		}
	}
}

func TestLegacyTablesMatchDefinitions(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		wantB, wantOK := byte(r), r < 0x100
		if b, ok := win1252Byte[r]; ok {
			wantB, wantOK = b, true
		}
		if !wantOK {
			wantB = 0
		}
		if b, ok := latinByte(r); b != wantB || ok != wantOK {
			t.Errorf("latinByte(%U) = %#x, %v; want %#x, %v", r, b, ok, wantB, wantOK)
		}
	}
	for c := 0; c < 256; c++ {
		if got, want := tcvn3Sig(byte(c)), tcvn3[c] != 0 && !viLatin1(rune(c)); got != want {
			t.Errorf("tcvn3Sig(%#x) = %v", c, got)
		}
		for _, prev := range []rune{0, 'a', 'e', 'i', 'o', 'u', 'y', 'A', 'E', 'I', 'O', 'U', 'Y', 'b', 'z', ' ', 'á', 'ê', 0x100 + 'a', 0xE1, utf8.RuneError} {
			want := false
			if strings.ContainsRune("aeiouyAEIOUY", prev) {
				_, t1 := vniTone[byte(c)]
				_, t2 := vniCirc[byte(c)]
				_, t3 := vniBreve[byte(c)]
				want = t1 || t2 || t3
			}
			switch c {
			case 0xF1, 0xD1, 0xF6, 0xD6, 0xEE, 0xCE, 0xE6, 0xC6:
				want = true
			}
			if got := vniSig(prev, byte(c)); got != want {
				t.Errorf("vniSig(%q, %#x) = %v, want %v", prev, c, got, want)
			}
		}
	}
}

func TestCrumbMayStartRunes(t *testing.T) {
	in := func(r rune) bool { return strings.ContainsRune("tThHbBvVyYđĐ", r) }
	// The runes the two expressions can start with are those.
	for r := rune(0); r < 0x3000; r++ {
		if (crumbLabelRe.first.has(r) || crumbStartRe.first.has(r)) && !in(r) {
			t.Errorf("%q starts a match but not crumbMayStart's", r)
		}
	}
	if !crumbLabelRe.anchored || !crumbStartRe.anchored {
		t.Fatal("crumbLabelRe and crumbStartRe are anchored")
	}
	// NFC makes none of them out of another rune, alone or with a mark.
	first := func(s string) rune { r, _ := utf8.DecodeRuneInString(norm.NFC.String(s)); return r }
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		if f := first(string(r)); in(f) && f != r {
			t.Errorf("NFC(%U) starts with %q", r, f)
		}
		if r < 0x10000 {
			for _, m := range []rune{0x0300, 0x0301, 0x0303, 0x0309, 0x0323, 0x0302, 0x0306, 0x031B} {
				if f := first(string(r) + string(m)); in(f) && !in(r) {
					t.Errorf("NFC(%U %U) starts with %q", r, m, f)
				}
			}
		}
	}
}

func TestCrumbMayStartOnPages(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.html")
	checked, skipped := 0, 0
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		text, _, err := Decode(b, "")
		if err != nil {
			continue
		}
		root, err := html.Parse(strings.NewReader(text + "<div>\u200b Trang chủ » x</div><span>\u00a0Bạn đang ở: Home / y</span><p>t\u0323 » z</p>"))
		if err != nil {
			continue
		}
		for _, n := range findAll(root, func(n *html.Node) bool { return isBlock(n) || n.DataAtom == atom.Span }) {
			want := crumbStartRe.Regexp.MatchString(crumbLabelRe.Regexp.ReplaceAllString(cleanText(textOf(n)), ""))
			if !crumbMayStart(n) {
				skipped++
				if want {
					t.Errorf("%s: crumbMayStart false on %q", p, textOf(n))
				}
			}
			checked++
		}
	}
	if skipped == 0 || checked == skipped {
		t.Errorf("checked %d, skipped %d", checked, skipped)
	}
}
