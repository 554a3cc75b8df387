package index

import (
	"strings"
	"testing"
	"unicode/utf8"
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
