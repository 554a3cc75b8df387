package extract

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// splitPage is an article cut in two: its first paragraph, an inline
// "TIN MỚI" box, and the other paragraphs in a wrapper whose markup names
// it for the sticky share bar it also holds (wrapperClass), which the
// scorer reads as not-content.
func splitPage(wrapperClass string, rest int, ldBody bool) (string, []string) {
	return splitPageWrapped(wrapperClass, rest, ldBody, "%s")
}

// splitPageWrapped is splitPage with each later paragraph wrapped as
// wrap says (a format with one %s), as block editors do.
func splitPageWrapped(wrapperClass string, rest int, ldBody bool, wrap string) (string, []string) {
	paras := []string{"Sáng 7/3, Ủy ban nhân dân tỉnh tổ chức hội nghị sơ kết công tác quý I, đánh giá kết quả thực hiện các chỉ tiêu kinh tế, xã hội và bàn giải pháp tháo gỡ khó khăn cho doanh nghiệp trên địa bàn."}
	for i := range rest {
		paras = append(paras, fmt.Sprintf("Đoạn %d: theo báo cáo của Sở Kế hoạch và Đầu tư, tổng vốn đầu tư phát triển toàn xã hội trong quý ước đạt hơn %d nghìn tỷ đồng, tăng so với cùng kỳ năm trước; thu ngân sách nhà nước đạt khá, các dự án trọng điểm được đẩy nhanh tiến độ.", i+2, 10+i))
	}
	var b strings.Builder
	b.WriteString(`<html><head><title>Sơ kết kinh tế quý I - Báo Mẫu</title>`)
	if ldBody {
		fmt.Fprintf(&b, `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Sơ kết kinh tế quý I","articleBody":%q}</script>`, strings.Join(paras, " "))
	}
	b.WriteString(`</head><body><div class="header"><a href="/">Báo Mẫu</a></div><div class="main"><div class="article">`)
	b.WriteString(`<h1 class="title-detail">Sơ kết kinh tế quý I</h1><div class="date">07/03/2026 09:40</div>`)
	fmt.Fprintf(&b, `<div class="lead-text"><p><b>%s</b></p></div>`, paras[0])
	b.WriteString(`<div class="box-tinmoi"><h3>TIN MỚI</h3><ul>`)
	for i := range 6 {
		fmt.Fprintf(&b, `<li><a href="/tin-%d.html">Tin mới số %d về tình hình kinh tế xã hội của tỉnh trong tuần qua</a></li>`, i, i)
	}
	fmt.Fprintf(&b, `</ul></div><div class="%s"><div class="share-bar"><a href="#">Facebook</a> <a href="#">Zalo</a></div><div class="inner">`, wrapperClass)
	for _, p := range paras[1:] {
		fmt.Fprintf(&b, wrap, "<p>"+p+"</p>")
	}
	b.WriteString(`</div></div></div><div class="sidebar"><h3>Đọc nhiều</h3><ul><li><a href="/a.html">Một tin đọc nhiều nhất trong tuần của báo</a></li></ul></div></div><div class="footer">Báo Mẫu, 1 đường Lê Lợi</div></body></html>`)
	return b.String(), paras
}

// TestNoCatastrophicCut: whatever the wrapper of the continuation is
// called, with or without the page's articleBody, the body is the whole
// article, not its first paragraph.
func TestNoCatastrophicCut(t *testing.T) {
	for _, wrapper := range []string{"sticky-share-wrapper", "content-tool-scroll", "detail-body"} {
		for _, ld := range []bool{false, true} {
			for _, wrap := range []string{"%s", `<div class="block-paragraph"><div class="block-inner">%s</div></div>`, `<section><div class="b"><div class="c">%s</div></div></section>`} {
				page, paras := splitPageWrapped(wrapper, 11, ld, wrap)
				doc, err := Extract("https://bao.example.vn/so-ket-kinh-te-quy-i-123.html", []byte(page), "text/html", Options{})
				if err != nil {
					t.Fatal(err)
				}
				p, r, f1 := TokenPRF(strings.Join(paras, "\n\n"), doc.Body)
				if f1 < 0.97 {
					t.Errorf("wrapper %q, articleBody %v, paragraphs as %q: body P %.3f R %.3f F1 %.3f:\n%s", wrapper, ld, wrap, p, r, f1, doc.Body)
				}
			}
		}
	}
}

// TestRecheckRecovers: the second look, given the first paragraph alone
// (as the scorer chose on a real news site whose layout is not here),
// finds the whole article across the widget, with or without the page's
// articleBody, and leaves the related box, the sidebar and the footer out;
// given the right content, it changes nothing.
func TestRecheckRecovers(t *testing.T) {
	for _, ld := range []bool{false, true} {
		page, paras := splitPageWrapped("detail-body", 11, ld, `<div class="block-paragraph">%s</div>`)
		x := prepare(t, page)
		right := x.content
		lead := findAll(x.a.body, func(n *html.Node) bool { return attr(n, "class") == "lead-text" })[0]
		x.content = []*html.Node{lead}
		x.recheckContent()
		chosen := x.content
		x.buildBlocks()
		x.filterBlocks()
		x.findDate()
		x.findAuthor()
		x.assemble()
		got := strings.Join(strings.Fields(x.doc.Body), " ")
		for _, p := range paras {
			if !strings.Contains(got, p) {
				t.Errorf("articleBody %v: the second look misses %q", ld, p[:40])
			}
		}
		for _, junk := range []string{"TIN MỚI", "Đọc nhiều", "Facebook", "đường Lê Lợi"} {
			if strings.Contains(got, junk) {
				t.Errorf("articleBody %v: the second look took in %q", ld, junk)
			}
		}
		if len(chosen) == 1 && chosen[0] == lead {
			t.Errorf("articleBody %v: the second look kept the lead alone", ld)
		}
		x.content = right
		x.recheckContent()
		if len(x.content) != len(right) || x.content[0] != right[0] {
			t.Errorf("articleBody %v: the second look changed a right choice", ld)
		}
	}
}

// prepare runs an extraction up to the choice of content.
func prepare(t *testing.T, page string) *extraction {
	t.Helper()
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://bao.example.vn/so-ket-kinh-te-quy-i-123.html")
	x := &extraction{root: root, pageURL: base, doc: &Document{}}
	x.pm = collectMeta(x.root, x.pageURL)
	x.gq = goquery.NewDocumentFromNode(x.root)
	x.a = analyze(x.root)
	x.units = x.collectUnits()
	x.breadcrumb()
	x.findTitle()
	x.findContent()
	return x
}
