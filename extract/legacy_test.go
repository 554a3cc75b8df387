package extract

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The five tones in the order the standards list them, as combining marks.
var toneMarks = []rune{mGrave, mHook, mTilde, mAcute, mDot}

// vowel builds a Vietnamese letter from a base vowel and a tone ("" for
// none) with Unicode composition, independently of the tables under test.
func vowel(base string, tone rune) string {
	if tone == 0 {
		return norm.NFC.String(base)
	}
	return norm.NFC.String(base + string(tone))
}

// TestTCVN3Letters checks every vowel with every tone, and the letters
// without tone, against the code points of TCVN 5712:1993 (VN3) written
// row by row: for each letter, the codes of grave, hook, tilde, acute,
// dot below.
func TestTCVN3Letters(t *testing.T) {
	rows := []struct {
		base  string
		plain byte // the letter without tone (0: ASCII)
		tones [5]byte
	}{
		{"a", 0, [5]byte{0xB5, 0xB6, 0xB7, 0xB8, 0xB9}},
		{"ă", 0xA8, [5]byte{0xBB, 0xBC, 0xBD, 0xBE, 0xC6}},
		{"â", 0xA9, [5]byte{0xC7, 0xC8, 0xC9, 0xCA, 0xCB}},
		{"e", 0, [5]byte{0xCC, 0xCE, 0xCF, 0xD0, 0xD1}},
		{"ê", 0xAA, [5]byte{0xD2, 0xD3, 0xD4, 0xD5, 0xD6}},
		{"i", 0, [5]byte{0xD7, 0xD8, 0xDC, 0xDD, 0xDE}},
		{"o", 0, [5]byte{0xDF, 0xE1, 0xE2, 0xE3, 0xE4}},
		{"ô", 0xAB, [5]byte{0xE5, 0xE6, 0xE7, 0xE8, 0xE9}},
		{"ơ", 0xAC, [5]byte{0xEA, 0xEB, 0xEC, 0xED, 0xEE}},
		{"u", 0, [5]byte{0xEF, 0xF1, 0xF2, 0xF3, 0xF4}},
		{"ư", 0xAD, [5]byte{0xF5, 0xF6, 0xF7, 0xF8, 0xF9}},
		{"y", 0, [5]byte{0xFA, 0xFB, 0xFC, 0xFD, 0xFE}},
	}
	latin := func(b byte) string { return string(rune(b)) } // a byte read as Latin-1
	for _, r := range rows {
		if r.plain != 0 {
			if got := FromTCVN3(latin(r.plain)); got != r.base {
				t.Errorf("TCVN3 %#x = %q, want %q", r.plain, got, r.base)
			}
		}
		for i, code := range r.tones {
			want := vowel(r.base, toneMarks[i])
			if got := FromTCVN3(latin(code)); got != want {
				t.Errorf("TCVN3 %#x = %q, want %q (%s + tone %d)", code, got, want, r.base, i)
			}
		}
	}
	caps := map[byte]string{0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ", 0xAE: "đ"}
	for b, want := range caps {
		if got := FromTCVN3(latin(b)); got != want {
			t.Errorf("TCVN3 %#x = %q, want %q", b, got, want)
		}
	}
	// The consonants and ASCII are themselves.
	if got := FromTCVN3("bcdghklmnpqrstvx BCDGHKLMNPQRSTVX 0123 ,.;"); got != "bcdghklmnpqrstvx BCDGHKLMNPQRSTVX 0123 ,.;" {
		t.Errorf("ASCII changed: %q", got)
	}
	// Text as it shows without the fonts.
	for in, want := range map[string]string{
		"Céng hoµ x· héi chñ nghÜa ViÖt Nam":     "Cộng hoà xã hội chủ nghĩa Việt Nam",
		"§éc lËp - Tù do - H¹nh phóc":            "Độc lập - Tự do - Hạnh phúc",
		"§¶ng bé tØnh Thanh Ho¸":                 "Đảng bộ tỉnh Thanh Hoá",
		"n\u00adíc, tr\u00adêng, ®\u00adîc, n¨m": "nước, trường, được, năm",
	} {
		if got := FromTCVN3(in); got != want {
			t.Errorf("FromTCVN3(%q) = %q, want %q", in, got, want)
		}
	}
}

// vniTones are the VNI modifier bytes for grave, hook, tilde, acute, dot,
// after any vowel; vniCircs after a/e/o for circumflex without tone and
// with each tone; vniBreves after a for breve. Lowercase forms; the
// capital forms are the same letters upper-cased.
var (
	vniTones  = []rune{'ø', 'û', 'õ', 'ù', 'ï'}
	vniCircs  = []rune{'â', 'à', 'å', 'ã', 'á', 'ä'}
	vniBreves = []rune{'ê', 'è', 'ú', 'ü', 'é', 'ë'}
	vniI      = []rune{'ì', 'æ', 'ó', 'í', 'ò'} // ì ỉ ĩ í ị are single bytes
)

// TestVNILetters checks every vowel with every tone, lower and upper case,
// and đ, against the VNI Windows rules.
func TestVNILetters(t *testing.T) {
	type kase struct{ in, want string }
	var cases []kase
	for _, upper := range []bool{false, true} {
		c := func(s string) string {
			if upper {
				return strings.ToUpper(s)
			}
			return s
		}
		cases = append(cases, kase{c("ñ"), c("đ")}, kase{c("ö"), c("ư")}, kase{c("ô"), c("ơ")})
		for _, b := range []string{"a", "e", "o", "u", "y"} {
			for i, m := range vniTones {
				if b == "y" && i == 4 {
					cases = append(cases, kase{c("î"), c(vowel("y", mDot))})
					continue
				}
				cases = append(cases, kase{c(b + string(m)), c(vowel(b, toneMarks[i]))})
			}
		}
		for i, m := range vniI {
			cases = append(cases, kase{c(string(m)), c(vowel("i", toneMarks[i]))})
		}
		for _, hb := range []struct{ enc, base string }{{"ö", "ư"}, {"ô", "ơ"}} {
			for i, m := range vniTones {
				cases = append(cases, kase{c(hb.enc + string(m)), c(vowel(hb.base, toneMarks[i]))})
			}
		}
		for _, b := range []string{"a", "e", "o"} {
			circ := norm.NFC.String(b + string(mCirc))
			cases = append(cases, kase{c(b + string(vniCircs[0])), c(circ)})
			for i, m := range vniCircs[1:] {
				cases = append(cases, kase{c(b + string(m)), c(vowel(circ, toneMarks[i]))})
			}
		}
		breve := norm.NFC.String("a" + string(mBreve))
		cases = append(cases, kase{c("a" + string(vniBreves[0])), c(breve)})
		for i, m := range vniBreves[1:] {
			cases = append(cases, kase{c("a" + string(m)), c(vowel(breve, toneMarks[i]))})
		}
	}
	if len(cases) < 2*(3+5*5+5+2*5+3*6+6) {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, k := range cases {
		if got := FromVNI(k.in); got != k.want {
			t.Errorf("FromVNI(%q) = %q, want %q", k.in, got, k.want)
		}
	}
	for in, want := range map[string]string{
		"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam": "Cộng hòa xã hội chủ nghĩa Việt Nam",
		"Ñoäc laäp - Töï do - Haïnh phuùc":         "Độc lập - Tự do - Hạnh phúc",
		"nöôùc, tröôøng, ñöôïc, naêm, baèng, maët": "nước, trường, được, năm, bằng, mặt",
		"VIEÄT NAM, ÑAÛNG":                         "VIỆT NAM, ĐẢNG",
	} {
		if got := FromVNI(in); got != want {
			t.Errorf("FromVNI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetectLegacy(t *testing.T) {
	viet := "Năm 2019, dưới sự lãnh đạo, chỉ đạo của Đảng bộ, Trung tâm Giáo dục Thường xuyên tỉnh đã đạt được một số kết quả nổi bật. Các đồng chí đại biểu dự Tọa đàm chụp ảnh lưu niệm tại cơ quan; cán bộ, đảng viên hoàn thành tốt nhiệm vụ."
	tcvn := encodeTCVN3Latin(t, viet)
	vni := encodeVNI(t, viet)
	for _, c := range []struct {
		name, text string
		hint       bool
		want       string
	}{
		{"tcvn3", tcvn, false, LegacyTCVN3},
		{"vni", vni, false, LegacyVNI},
		{"tcvn3 short with font hint", encodeTCVN3Latin(t, "Đảng bộ tỉnh Thanh Hóa"), true, LegacyTCVN3},
		{"vni short with font hint", encodeVNI(t, "Đảng bộ tỉnh Thanh Hóa"), true, LegacyVNI},
		{"unicode vietnamese", viet, false, LegacyNone},
		{"unicode vietnamese, font hint", viet, true, LegacyNone},
		{"unicode vietnamese, only latin-1 letters", "các là có và thì mà cà phê ở đó", true, LegacyNone},
		{"french", "Le café était fermé à cause de la grève; les élèves sont allés à la bibliothèque où ils ont lu des œuvres complètes de Molière, « très intéressantes », déjà célèbres.", false, LegacyNone},
		{"german", "Die Bürger müssen über die Änderungen der Straßenverkehrsordnung informiert werden, sagte der Bürgermeister. Öffentliche Verkehrsmittel fahren häufiger.", false, LegacyNone},
		{"spanish", "El niño comió una manzana en el jardín; después, la señora García leyó el periódico y habló con su hijo sobre la canción.", false, LegacyNone},
		{"copyright footer", "© 2024 Example Corp. All rights reserved ® · µ ¶ §2", false, LegacyNone},
		{"ascii", "Hello world, this is plain English text without any accents at all.", true, LegacyNone},
	} {
		if got := DetectLegacy(c.text, c.hint); got != c.want {
			t.Errorf("%s: DetectLegacy = %q, want %q (%q)", c.name, got, c.want, c.text)
		}
	}
	if got := FromTCVN3(tcvn); got != viet {
		t.Errorf("TCVN3 round trip:\n got %q\nwant %q", got, viet)
	}
	if got := FromVNI(vni); got != viet {
		t.Errorf("VNI round trip:\n got %q\nwant %q", got, viet)
	}
}

// TestLegacyPagesDecoded: a Western windows-1252 page and a Unicode
// Vietnamese page come out unchanged.
func TestLegacyNoFalsePositive(t *testing.T) {
	fr := "<html><head><meta charset=windows-1252><title>Caf\xe9</title></head><body><p>Le caf\xe9 \xe9tait ferm\xe9 \xe0 cause de la gr\xe8ve; les \xe9l\xe8ves sont all\xe9s \xe0 la biblioth\xe8que o\xf9 ils ont lu des \x9cuvres de Moli\xe8re, \xab tr\xe8s int\xe9ressantes \xbb.</p></body></html>"
	s, cs, err := Decode([]byte(fr), "")
	if err != nil || cs != "windows-1252" || !strings.Contains(s, "Le café était fermé") {
		t.Errorf("french page: %q %q %v", cs, s, err)
	}
	vi := `<html><body><font face=".VnTime"><p>Đảng bộ Khối các cơ quan tỉnh Thanh Hóa: các đồng chí đã hoàn thành nhiệm vụ.</p></font></body></html>`
	doc, err := Extract("http://x.vn/a-1.html", []byte(vi), "text/html; charset=utf-8", Options{})
	if err != nil || !strings.Contains(doc.Body, "các đồng chí đã hoàn thành") {
		t.Errorf("unicode text in a .VnTime font was changed: %q %v", doc.Body, err)
	}
}

var tcvn3Inverse = func() map[rune]byte {
	m := map[rune]byte{}
	for b, r := range tcvn3 {
		if r != 0 {
			m[r] = byte(b)
		}
	}
	return m
}()

// encodeTCVN3 encodes UTF-8 text in TCVN3 bytes (test pages).
func encodeTCVN3(t testing.TB, s string) []byte {
	var out []byte
	for _, r := range norm.NFC.String(s) {
		switch {
		case r < 0x80:
			out = append(out, byte(r))
		case tcvn3Inverse[r] != 0:
			out = append(out, tcvn3Inverse[r])
		default:
			t.Fatalf("cannot encode %q in TCVN3", r)
		}
	}
	return out
}

// encodeTCVN3Latin is TCVN3 read as Latin-1, as a browser shows it.
func encodeTCVN3Latin(t testing.TB, s string) string {
	var b strings.Builder
	for _, c := range encodeTCVN3(t, s) {
		b.WriteRune(rune(c))
	}
	return b.String()
}

// encodeVNI writes UTF-8 text as VNI read as Latin-1.
func encodeVNI(t testing.TB, s string) string {
	var b strings.Builder
	toneIdx := map[rune]int{mGrave: 0, mHook: 1, mTilde: 2, mAcute: 3, mDot: 4}
	for _, r := range norm.NFC.String(s) {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		up := unicode.IsUpper(r)
		c := func(x rune) rune {
			if up {
				return unicode.ToUpper(x)
			}
			return x
		}
		base, tone, circ, breve, horn := rune(0), rune(0), false, false, false
		for _, m := range norm.NFD.String(string(unicode.ToLower(r))) {
			switch m {
			case mGrave, mHook, mTilde, mAcute, mDot:
				tone = m
			case mCirc:
				circ = true
			case mBreve:
				breve = true
			case '\u031B':
				horn = true
			default:
				base = m
			}
		}
		ti := -1
		if tone != 0 {
			ti = toneIdx[tone]
		}
		switch {
		case base == 'đ':
			b.WriteRune(c('ñ'))
		case base == 'i' && ti >= 0:
			b.WriteRune(c(vniI[ti]))
		case base == 'y' && ti == 4:
			b.WriteRune(c('î'))
		case circ:
			b.WriteRune(c(base))
			b.WriteRune(c(vniCircs[ti+1]))
		case breve:
			b.WriteRune(c(base))
			b.WriteRune(c(vniBreves[ti+1]))
		case horn || ti >= 0:
			switch {
			case horn && base == 'u':
				b.WriteRune(c('ö'))
			case horn && base == 'o':
				b.WriteRune(c('ô'))
			default:
				b.WriteRune(c(base))
			}
			if ti >= 0 {
				b.WriteRune(c(vniTones[ti]))
			}
		default:
			t.Fatalf("cannot encode %q in VNI", r)
		}
	}
	return b.String()
}

// encodeVNIRegions encodes the parts of s between <!--vni--> and
// <!--/vni--> (markers removed).
func encodeVNIRegions(t testing.TB, s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "<!--vni-->")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.Index(s[i:], "<!--/vni-->")
		if j < 0 {
			t.Fatal("unclosed <!--vni-->")
		}
		b.WriteString(s[:i])
		b.WriteString(encodeVNI(t, s[i+len("<!--vni-->"):i+j]))
		s = s[i+j+len("<!--/vni-->"):]
	}
}

// TestRepairLegacyMixed: a document partly typed in a .VnTime font and
// partly in Unicode (a form letter filled in later, a quotation pasted
// in) has only its legacy lines converted. Converting the whole text
// turned the Unicode lines' Latin-1 letters (ó, à, ê, ô…) into other
// letters: "Thanh Hóa" became "Thanh Húa".
func TestRepairLegacyMixed(t *testing.T) {
	legacy := []string{
		"Cộng hoà xã hội chủ nghĩa Việt Nam",
		"Độc lập - Tự do - Hạnh phúc",
		"Đảng bộ tỉnh Thanh Hoá tổ chức hội nghị tổng kết công tác năm.",
		"Các đồng chí ủy viên Ban Chấp hành đã thảo luận và thống nhất.",
	}
	unicode := []string{
		"Kính gửi: Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh Thanh Hóa",
		"Thanh Hóa, ngày 05 tháng 11 năm 2024",
		"Hà Nội",
	}
	var lines, want []string
	for i, l := range legacy {
		lines = append(lines, encodeTCVN3Latin(t, l))
		want = append(want, l)
		if i < len(unicode) {
			lines = append(lines, unicode[i])
			want = append(want, unicode[i])
		}
	}
	got, enc := RepairLegacy(strings.Join(lines, "\n"))
	if enc != LegacyTCVN3 {
		t.Fatalf("encoding %q, want tcvn3", enc)
	}
	if got != strings.Join(want, "\n") {
		t.Errorf("repaired:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	// A whole document in one encoding is converted whole, as before.
	whole := encodeTCVN3Latin(t, strings.Join(legacy, "\n"))
	if got, enc := RepairLegacy(whole); enc != LegacyTCVN3 || got != strings.Join(legacy, "\n") {
		t.Errorf("whole legacy document: %q (%q)", got, enc)
	}
	// Unicode alone is left as it is.
	u := strings.Join(unicode, "\n")
	if got, enc := RepairLegacy(u); enc != LegacyNone || got != u {
		t.Errorf("unicode document: %q (%q)", got, enc)
	}
}

// TestMixedLegacyPage: a Unicode page (its menu, breadcrumb and title in
// Unicode) whose body was pasted from a .VnTime document with no font
// named in the markup (the font came from a stylesheet): the body reads
// as TCVN3 and is converted; the Unicode text, even where it only holds
// Latin-1 letters ("Thanh Hóa"), is left as it is. Before, the Unicode
// around it kept the page from being read as TCVN3 at all.
func TestMixedLegacyPage(t *testing.T) {
	paras := []string{
		"Năm 2019, dưới sự lãnh đạo, chỉ đạo của Đảng bộ, Trung tâm Giáo dục Thường xuyên tỉnh đã đạt được một số kết quả nổi bật.",
		"Các đồng chí đại biểu dự Tọa đàm chụp ảnh lưu niệm tại cơ quan; cán bộ, đảng viên hoàn thành tốt nhiệm vụ được giao.",
		"Hội nghị đã thống nhất các giải pháp trọng tâm cho năm tới, tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
	}
	var body strings.Builder
	for _, p := range paras {
		body.WriteString("<p class=\"vntime\">" + encodeTCVN3Latin(t, p) + "</p>\n")
	}
	page := `<html><head><meta charset="utf-8"><title>Tọa đàm tại Trung tâm GDTX</title><style>.vntime{font-family:".VnTime"}</style></head><body>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức</a></li><li><a href="/tong-quan">Thanh Hóa</a></li></ul>
<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/thanh-hoa">Thanh Hóa</a> / Tọa đàm tại Trung tâm GDTX</div>
<h1>Tọa đàm tại Trung tâm GDTX</h1><div class="content">` + body.String() + `</div></body></html>`
	doc, err := Extract("http://danguykhoithanhhoa.org.vn/tin-tuc/toa-dam-1.html", []byte(page), "text/html; charset=utf-8", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(paras, "\n\n"); doc.Body != want {
		t.Errorf("body:\n%s\nwant:\n%s", doc.Body, want)
	}
	if doc.Title != "Tọa đàm tại Trung tâm GDTX" || !slices.Equal(doc.Breadcrumb, []string{"Thanh Hóa"}) {
		t.Errorf("title %q, breadcrumb %q", doc.Title, doc.Breadcrumb)
	}
}
