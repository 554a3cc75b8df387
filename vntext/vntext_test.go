package vntext

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func nfd(s string) string { return norm.NFD.String(s) }

func TestNFC(t *testing.T) {
	for _, s := range []string{"", "abc", "Thanh Hóa", "Đảng ủy", "người", "khuỷu tay"} {
		if got := NFC(nfd(s)); got != s {
			t.Errorf("NFC(NFD(%q)) = %q", s, got)
		}
		if got := NFC(s); got != s {
			t.Errorf("NFC(%q) = %q", s, got)
		}
	}
}

func TestNormalizeTone(t *testing.T) {
	cases := []struct{ in, want string }{
		// Old style -> new style.
		{"hoà", "hòa"},
		{"thuý", "thúy"},
		{"khoẻ", "khỏe"},
		{"HOÀ", "HÒA"},
		{"Hoá", "Hóa"},
		{"Thanh Hoá", "Thanh Hóa"},
		{"hoà bình", "hòa bình"},
		{"Hoà Bình", "Hòa Bình"},
		{"loé", "lóe"},
		{"tuỳ", "tùy"},
		{"Thuỵ Điển", "Thụy Điển"},
		{"xoã", "xõa"},
		{"hOà", "hÒa"},
		{"\u00D0oà", "\u00D0òa"},
		// Misplaced marks that are simply wrong.
		{"hóan", "hoán"},
		{"múon", "muón"},
		{"ngòai", "ngoài"},

		{"thủơ", "thuở"},
		{"qúy", "quý"},
		{"gíá", "gíá"}, // two marks: untouched
		{"gìa", "già"},
		{"mìa", "mìa"},
		{"khủyu", "khuỷu"},
		{"Khủyu", "Khuỷu"},
		{"tòan thể", "toàn thể"},
		// Already correct: unchanged.
		{"hòa", "hòa"},
		{"hoàn", "hoàn"},
		{"quý", "quý"},
		{"quà", "quà"},
		{"quốc", "quốc"},
		{"giá", "giá"},
		{"gì", "gì"},
		{"gìn giữ", "gìn giữ"},
		{"giường", "giường"},
		{"thuở", "thuở"},
		{"người", "người"},
		{"khuya", "khuya"},
		{"khuyến", "khuyến"},
		{"huỳnh", "huỳnh"},
		{"mái", "mái"},
		{"cháu", "cháu"},
		{"mía", "mía"},
		{"múa", "múa"},
		{"túi", "túi"},
		{"rượu", "rượu"},
		{"cứu", "cứu"},
		{"khuấy", "khuấy"},
		{"xoáy", "xoáy"},
		{"ngoẹo", "ngoẹo"},
		{"hoặc", "hoặc"},
		{"tuần", "tuần"},
		{"Đảng ủy", "Đảng ủy"},
		{"Nghệ An", "Nghệ An"},
		{"ở", "ở"},
		{"yêu", "yêu"},
		{"uyển", "uyển"},
		// Not Vietnamese syllables: unchanged.
		{"café", "café"},
		{"résumé", "résumé"},
		{"naïve", "naïve"},
		{"COVID-19", "COVID-19"},
		{"", ""},
		{"x\u0301", "x\u0301"},
		{"2020", "2020"},
		{"Hà Nội, 07/03/2020.", "Hà Nội, 07/03/2020."},
		// Mixed sentence.
		{"Sức khoẻ và hoà bình cho Thanh Hoá!", "Sức khỏe và hòa bình cho Thanh Hóa!"},
	}
	for _, c := range cases {
		if got := NormalizeTone(c.in); got != c.want {
			t.Errorf("NormalizeTone(%q) = %q, want %q", c.in, got, c.want)
		}
		// NFD input gives the same (NFC) output.
		if got := NormalizeTone(nfd(c.in)); got != NFC(c.want) {
			t.Errorf("NormalizeTone(NFD(%q)) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Thanh Hóa", "Thanh Hoa"},
		{"Thanh Hoá", "Thanh Hoa"},
		{"Đảng ủy", "Dang uy"},
		{"đồng chí", "dong chi"},
		{"ĐẢNG BỘ", "DANG BO"},
		{"người Việt", "nguoi Viet"},
		{"thuở", "thuo"},
		{"ăn ở", "an o"},
		{"café", "cafe"},
		{"abc 123", "abc 123"},
		{"\u00D0ảng", "Dang"},
		{"\u00F0ảng", "dang"},
		{"", ""},
		{"Hà Nội — 2020", "Ha Noi — 2020"},
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Fold(nfd(c.in)); got != c.want {
			t.Errorf("Fold(NFD(%q)) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTokens(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Thanh Hóa, ngày 07/03/2020.", []string{"thanh", "hóa", "ngày", "07", "03", "2020"}},
		{nfd("ĐẢNG ỦY"), []string{"đảng", "ủy"}},
		{"  ", nil},
		{"COVID-19 (SARS)", []string{"covid", "19", "sars"}},
	}
	for _, c := range cases {
		got := Tokens(c.in)
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Every Vietnamese toned syllable in this sample must survive a round
// trip through every placement of its mark.
func TestNormalizeToneMovesBack(t *testing.T) {
	text := "Ban Chấp hành Đảng bộ tỉnh Thanh Hóa họp bàn về công tác xây dựng " +
		"Đảng, chỉnh đốn Đảng, sức khỏe, hòa bình, thủy lợi, khuya, người, thuở, quý, " +
		"giữ gìn, giá cả, ngoài, khuỷu, huỳnh, tùy, lóe, xõa, hoạch, khoảng, thuyết, " +
		"Nguyễn, quyền, quyết, giường, nghĩa, hướng, chiến, triển, tưởng, xuyên, huyện, " +
		"khuyến, tuyển, thuế, uống, muốn, cuối, tươi, gửi, giữa, mười, lưỡi, bưởi, ngoại, " +
		"hoài, quạ, quẹo, oải, yểm, ủy, ĐẢNG ỦY, HÒA, QUÝ, GIÀ, khuỵu, ngoằn, nghèo, chuyện"
	for _, w := range strings.Fields(text) {
		w = strings.Trim(w, ",")
		parts := []rune(w)
		toneAt, tone := -1, rune(0)
		for i, r := range parts {
			if sp, ok := decompose(r); ok {
				toneAt, tone = i, sp.tone
				parts[i] = sp.base
			}
		}
		if toneAt < 0 {
			continue
		}
		// Put the mark on every vowel in turn.
		for i, r := range parts {
			if !isVowel(unicode.ToLower(r)) {
				continue
			}
			moved := append([]rune(nil), parts...)
			moved[i] = compose[split{r, tone}]
			if got := NormalizeTone(string(moved)); got != w {
				t.Errorf("NormalizeTone(%q) = %q, want %q", string(moved), got, w)
			}
		}
	}
}

var fuzzSeeds = []string{
	"", "hoà", "thuý", "khoẻ", "HOÀ", "Thanh Hoá", "quý", "giá", "gì", "người",
	"khuya", "Đảng ủy", "x\u0301", "\u0301", "a\u0301\u0300", "qu", "gi", "q", "ươ\u0309",
	"café", "COVID-19", "\xff\xfe", "ngh", "ngoẹo khuỷu", "Ð", strings.Repeat("ố", 40),
}

func FuzzNormalizeTone(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
		f.Add(nfd(s))
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeTone(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 output %q for %q", got, s)
		}
		if !norm.NFC.IsNormalString(got) && utf8.ValidString(s) {
			t.Fatalf("output %q not NFC", got)
		}
		if again := NormalizeTone(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, again)
		}
		// Moving marks never changes the letters or their number.
		if Fold(got) != Fold(s) && utf8.ValidString(s) {
			t.Fatalf("Fold changed: %q -> %q", s, got)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(NFC(s)) {
			t.Fatalf("rune count changed: %q -> %q", s, got)
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
		f.Add(nfd(s))
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if again := Fold(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, again)
		}
		if Fold(nfd(s)) != got && utf8.ValidString(s) {
			t.Fatalf("NFD changes fold: %q", s)
		}
		if strings.ContainsAny(got, "đĐ") {
			t.Fatalf("đ left in %q", got)
		}
		for _, r := range got {
			if r >= 0x0300 && r <= 0x036F {
				t.Fatalf("mark %U left in %q", r, got)
			}
		}
	})
}

func FuzzTokens(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokens(s) {
			if tok == "" {
				t.Fatal("empty token")
			}
			if strings.ToLower(tok) != tok {
				t.Fatalf("token %q not lower-case", tok)
			}
		}
	})
}

func BenchmarkNormalizeTone(b *testing.B) {
	s := strings.Repeat("Ban Chấp hành Đảng bộ tỉnh Thanh Hoá họp bàn về sức khoẻ và hoà bình. ", 20)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		NormalizeTone(s)
	}
}

func BenchmarkFold(b *testing.B) {
	s := strings.Repeat("Ban Chấp hành Đảng bộ tỉnh Thanh Hoá họp bàn về sức khoẻ và hoà bình. ", 20)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Fold(s)
	}
}

// FuzzNFC: the fast check never calls a string NFC that the norm package
// would change, and NFC gives what the norm package gives.
func FuzzNFC(f *testing.F) {
	for _, s := range []string{"", "Thanh Hóa", "Thanh Ho\u0301a", "Đảng bộ “Khối” – 2026…", "e\u0301\u0323", "\u2000\u2001 x",
		"\xc3", "\xe0\x80\x80", "A\u030a", "\u1ea0\u0300", "한국어", "ﬁ", "Å", "\u212b", "\u0344"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := norm.NFC.String(s)
		if isNFC(s) && want != s {
			t.Fatalf("isNFC(%q) but NFC gives %q", s, want)
		}
		if got := NFC(s); got != want {
			t.Fatalf("NFC(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestNFCStable: every precomposed Vietnamese letter is known as stable,
// so composed Vietnamese text takes the fast path; combining marks and
// singletons (U+2000, U+0344) are not.
func TestNFCStable(t *testing.T) {
	for _, b := range baseVowels {
		for _, tone := range append(tones[:], 0) {
			c := string(b)
			if tone != 0 {
				c = norm.NFC.String(c + string(tone))
			}
			if !isNFC(c) {
				t.Errorf("%q (%U) not known as NFC", c, []rune(c))
			}
		}
	}
	if !isNFC("Đảng bộ Khối các cơ quan tỉnh Thanh Hóa – “tư liệu”…") {
		t.Error("composed Vietnamese text with punctuation not known as NFC")
	}
	for _, s := range []string{"o\u0301", "\u2000", "\u0344", "\u212b", "x\xff"} {
		if isNFC(s) {
			t.Errorf("isNFC(%q)", s)
		}
	}
}

func TestSortKeyOrdersAsADictionary(t *testing.T) {
	words := []string{"an", "ăn", "ân", "bà", "Ba", "dương", "Đào", "đi", "em", "êm", "o", "ô", "ơ", "u", "ư", "Ứng", "ưa", "Trần"}
	want := []string{"an", "ăn", "ân", "bà", "Ba", "dương", "Đào", "đi", "em", "êm", "o", "ô", "ơ", "Trần", "u", "ư", "ưa", "Ứng"}
	got := slices.Clone(words)
	slices.SortStableFunc(got, func(a, b string) int { return cmp.Compare(SortKey(a), SortKey(b)) })
	if !slices.Equal(got, want) {
		t.Errorf("sorted %q\n want %q", got, want)
	}
}
