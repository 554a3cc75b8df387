package extract

import (
	"strings"
	"testing"
)

// From a review of the session's changes: each test's comment tells what
// happened before its fix.

// TestFollowUsRuleKeepsTheTextsLastParagraph: followUsRe matches the
// folded text, and folding takes the tones off: "Mọi" (every) folds to
// "moi", as "Mời" (please) does, and "Đăng ký … qua ứng dụng" is how a
// government article says where a procedure is done. So a short last
// paragraph of the article itself, "Mọi thủ tục … qua ứng dụng Thanh Hóa
// Smart." or "Đăng ký tạm trú … qua ứng dụng VNeID.", is dropped from the
// body as a newspaper's "follow us on Zalo" line (before Version 5 it was
// kept). A user sees the article's closing sentence missing; it should stay.
func TestFollowUsRuleKeepsTheTextsLastParagraph(t *testing.T) {
	for _, last := range []string{
		"Mọi thủ tục hành chính của tỉnh nay đều được thực hiện trực tuyến qua ứng dụng Thanh Hóa Smart.",
		"Đăng ký tạm trú, tạm vắng hiện được thực hiện trực tuyến qua ứng dụng VNeID.",
		"Mọi người dân có thể gửi phản ánh qua kênh tiếp nhận của Tỉnh ủy.",
	} {
		doc := rvExtract(t, rvURL, rvArticle("", "<p>"+last+"</p>"))
		if !strings.HasSuffix(doc.Body, last) {
			t.Errorf("the article's last paragraph %q was dropped; body ends ...%q", last, doc.Body[max(0, len(doc.Body)-100):])
		}
	}
}

// TestSignatureUnderASourceLine: the new originLine rule takes any
// right-aligned last line of one to three capitalised words that is not a
// person's name for a publication when a "Theo …"/"Nguồn: …" line stands
// above it. A party site's signature "Ban Tuyên giáo" (an office: bold,
// right-aligned, under "Theo Báo Nhân Dân") was the author before (the
// orgSignature rule); now it is taken as the source, then overwritten by
// the line above, and vanishes: no author, not in the body. A one-word
// byline in capitals ("THÀNH", which isPublication itself says is a
// Vietnamese name, not an acronym) under "Nguồn: Báo Thanh Hóa" likewise
// disappears (before, it stayed in the body). The writer should stay the
// author (or at least stay somewhere), and the line above be the source.
func TestSignatureUnderASourceLine(t *testing.T) {
	right := func(src, sig string) string {
		return `<p style="text-align:right"><strong>` + src + `</strong></p>
<p style="text-align:right"><strong>` + sig + `</strong></p>`
	}
	for _, c := range []struct{ src, sig, source string }{
		{"Theo Báo Nhân Dân", "Ban Tuyên giáo", "Báo Nhân Dân"},
		{"Nguồn: Báo Thanh Hóa", "THÀNH", "Báo Thanh Hóa"},
	} {
		doc := rvExtract(t, rvURL, rvArticle("", right(c.src, c.sig)))
		if doc.Author != c.sig && !strings.HasSuffix(doc.Body, c.sig) {
			t.Errorf("%q under %q: author %q, source %q, body ends ...%q; the signature is lost (want author %q)",
				c.sig, c.src, doc.Author, doc.Source, doc.Body[max(0, len(doc.Body)-60):], c.sig)
		}
		if doc.Source == c.sig {
			t.Errorf("%q under %q: taken for the source", c.sig, c.src)
		}
	}
}
