package index

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"tulieu/internal/benchcorpus"
)

func TestMakeSnippet(t *testing.T) {
	pre := strings.Repeat("Một hai ba bốn năm sáu bảy tám chín mười. ", 20)
	post := strings.Repeat(" Mười chín tám bảy sáu năm bốn ba hai một.", 20)
	text := pre + "Hội nghị Ban Chấp hành\n\nĐảng bộ tỉnh Thanh Hóa" + post
	i := strings.Index(text, "Thanh")
	spans := []span{{i, i + len("Thanh")}, {i + len("Thanh "), i + len("Thanh Hóa")}}
	plain, html := makeSnippet(text, spans)
	if !strings.HasPrefix(plain, "…") || !strings.HasSuffix(plain, "…") {
		t.Errorf("no ellipses: %q", plain)
	}
	if !strings.Contains(plain, "Chấp hành Đảng bộ tỉnh Thanh Hóa Mười") {
		t.Errorf("plain: %q", plain)
	}
	if !strings.Contains(html, "<mark>Thanh</mark> <mark>Hóa</mark>") {
		t.Errorf("html: %q", html)
	}
	if n := utf8.RuneCountInString(plain); n > snippetBytes || n < 100 {
		t.Errorf("length %d: %q", n, plain)
	}
	// Cut at word boundaries.
	words := strings.Fields(strings.Trim(plain, "…"))
	for _, w := range words {
		if !strings.Contains(text, w) {
			t.Errorf("word %q cut", w)
		}
	}
	if !utf8.ValidString(plain) || !utf8.ValidString(html) {
		t.Error("invalid UTF-8")
	}
	// Short text, no spans.
	if p, h := makeSnippet("Ngắn  gọn", nil); p != "Ngắn gọn" || h != "Ngắn gọn" {
		t.Errorf("short: %q %q", p, h)
	}
	// Spans at both ends.
	p, h := makeSnippet("đảng", []span{{0, len("đảng")}})
	if p != "đảng" || h != "<mark>đảng</mark>" {
		t.Errorf("whole: %q %q", p, h)
	}
}

func FuzzMakeSnippet(f *testing.F) {
	f.Add("Đảng bộ tỉnh Thanh Hóa tổ chức hội nghị", 3, 9, 20, 25)
	f.Add(strings.Repeat("chi bộ ", 200), 0, 4, 700, 705)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int) {
		spans := matchSpansFrom(text, [][2]int{{a, b}, {c, d}})
		p, h := makeSnippet(text, spans)
		if utf8.ValidString(text) && (!utf8.ValidString(p) || !utf8.ValidString(h)) {
			t.Fatalf("invalid UTF-8: %q / %q", p, h)
		}
	})
}

// matchSpansFrom clamps arbitrary ranges the way matchSpans validates
// bleve's locations.
func matchSpansFrom(text string, rs [][2]int) []span {
	var out []span
	for _, r := range rs {
		s, e := r[0], r[1]
		if s < 0 || e > len(text) || s >= e {
			continue
		}
		for s < len(text) && !utf8.RuneStart(text[s]) {
			s++
		}
		for e < len(text) && !utf8.RuneStart(text[e]) {
			e++
		}
		if s >= e {
			continue
		}
		out = append(out, span{s, e})
	}
	if len(out) == 2 && out[1].start < out[0].start {
		out[0], out[1] = out[1], out[0]
	}
	if len(out) == 2 && out[1].start < out[0].end {
		out[0].end = max(out[0].end, out[1].end)
		out = out[:1]
	}
	return out
}

// checkFirstFolded fails when a word of text starts with a rune whose
// firstFolded byte is not the first byte of the word's folded term:
// termSpans would then pass over a word that matches.
func checkFirstFolded(t *testing.T, text string) {
	t.Helper()
	scanWords(text, func(start, end int, _ bool) {
		w := text[start:end]
		r, _ := utf8.DecodeRuneInString(w)
		if r >= firstFoldedLimit || firstFolded()[r] == 0 {
			return
		}
		if k := wordKeys.get(w); k != "" && k[0] != firstFolded()[r] {
			t.Fatalf("%q folds to %q, but firstFolded()[%q] is %q", w, k, r, firstFolded()[r])
		}
	})
}

// TestFirstFolded checks firstFolded on every word of generated articles
// and on words whose tone marks are decomposed, old-style, upper-case.
func TestFirstFolded(t *testing.T) {
	g := benchcorpus.New(9)
	for i := range 300 {
		a := g.Article(i)
		checkFirstFolded(t, a.Title+" "+a.Body+" "+a.Author)
		checkFirstFolded(t, norm.NFD.String(a.Body[:min(len(a.Body), 2000)]))
		checkFirstFolded(t, strings.ToUpper(a.Title))
	}
	checkFirstFolded(t, "Đảng ĐẢNG đảng Ủy ủy Ông Ơn Ước ƯỚC Ỷ Ý Ỳ Ð İstanbul ǅ ß Æ œ Ǆ ﬁ ½ ² ١٢ Ⅻ")
	if firstFolded()['Đ'] != 'd' || firstFolded()['Ủ'] != 'u' || firstFolded()['7'] != '7' {
		t.Errorf("firstFolded: Đ %q, Ủ %q, 7 %q", firstFolded()['Đ'], firstFolded()['Ủ'], firstFolded()['7'])
	}
}

func FuzzFirstFolded(f *testing.F) {
	f.Add("Đảng bộ Khối các cơ quan tỉnh Thanh Hóa")
	f.Add("HOÀ hoà THUÝ thuý o\u0301 Ö ǅ İ")
	f.Fuzz(func(t *testing.T, s string) {
		checkFirstFolded(t, s)
	})
}
