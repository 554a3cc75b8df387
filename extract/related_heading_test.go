package extract

import (
	"slices"
	"strings"
	"testing"
)

// Shapes found by running the extractor on real pages that cannot be kept
// here (a broker's WordPress report page, and the government and party
// papers of the real-world set), written again as pages of our own. Each
// comment says what went wrong before the fix.

const rhURL = "https://baomau.vn/thoi-su/hoi-nghi-tong-ket-cong-tac-nam-2026-12345.html"

var rhBody = []string{
	"Sáng 7/12, Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2026 và triển khai nhiệm vụ năm 2027 với sự tham dự của đại diện các tổ chức cơ sở đảng trực thuộc.",
	"Báo cáo tại hội nghị nêu rõ, năm qua các cấp ủy đã bám sát chủ trương của cấp trên, đổi mới nội dung sinh hoạt chi bộ, nâng cao chất lượng công tác kiểm tra, giám sát và kết nạp được nhiều đảng viên mới.",
	"Phát biểu chỉ đạo, đồng chí Bí thư Đảng ủy Khối đề nghị các đơn vị tiếp tục quán triệt nghị quyết, tập trung cải cách hành chính và phát huy vai trò nêu gương của cán bộ, đảng viên.",
	"Dịp này, nhiều tập thể và cá nhân có thành tích xuất sắc trong công tác xây dựng Đảng năm 2026 đã được khen thưởng, động viên kịp thời.",
}

// rhPage is an article whose text is followed by BOX, with CRUMBS as the
// name of its JSON-LD breadcrumb's second item and HEADLINE as its JSON-LD
// headline.
func rhPage(box, crumb, headline string) string {
	var paras strings.Builder
	for _, p := range rhBody {
		paras.WriteString("<p>" + p + "</p>\n")
	}
	return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Hội nghị tổng kết công tác năm 2026 - Báo Mẫu</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
{"@type":"NewsArticle","headline":"` + headline + `","datePublished":"2026-12-07T09:30:00+07:00"},
{"@type":"BreadcrumbList","itemListElement":[{"@type":"ListItem","position":1,"name":"Trang chủ","item":"https://baomau.vn/"},{"@type":"ListItem","position":2,"name":"` + crumb + `","item":"https://baomau.vn/thoi-su/"}]}]}</script>
</head><body>
<header><a href="/">Báo Mẫu</a><nav><a href="/thoi-su/">Thời sự</a> <a href="/kinh-te/">Kinh tế</a></nav></header>
<main><article>
<h1>Hội nghị tổng kết công tác năm 2026</h1>
<p class="date">Thứ Hai, 07/12/2026 09:30</p>
<section class="content">
` + paras.String() + `</section>
` + box + `
</article></main>
<footer>Báo Mẫu, số 1 đường Mẫu, Thanh Hóa</footer>
</body></html>`
}

func rhBox(class, heading string) string {
	return `<section class="` + class + `">
<h3 class="section-title">` + heading + `</h3>
<div class="news-list">
<div class="news-item"><h3><a href="/thoi-su/hoi-nghi-so-ket-12300.html">Hội nghị sơ kết sáu tháng đầu năm 2026</a></h3><p>Đảng ủy Khối tổ chức hội nghị sơ kết công tác sáu tháng đầu năm.</p></div>
<div class="news-item"><h3><a href="/thoi-su/hoc-tap-nghi-quyet-12200.html">Học tập, quán triệt nghị quyết mới</a></h3><p>Các chi bộ tổ chức học tập nghị quyết.</p></div>
<div class="news-item"><h3><a href="/thoi-su/ket-nap-dang-vien-12100.html">Kết nạp đảng viên mới năm 2026</a></h3><p>Nhiều quần chúng ưu tú được kết nạp.</p></div>
</div>
</section>`
}

// TestHeadingOfOtherArticlesIsNoByline: the heading of the box of other
// articles under the text, title-cased as headings often are, read as a
// person's name and became the author: "Bài Viết Cùng Chủ Đề" (a phrase
// the list of such headings lacked), any heading in a box named as related
// posts ("Góc Nhìn Khác" in section.related-posts), and the
// English one of a broker's WordPress theme ("You Might Be Interested").
func TestHeadingOfOtherArticlesIsNoByline(t *testing.T) {
	for name, box := range map[string]string{
		"a heading the list lacked":           rhBox("box-bottom", "Bài Viết Cùng Chủ Đề"),
		"any heading of a related box":        rhBox("related-posts", "Góc Nhìn Khác"),
		"an English heading of a related box": rhBox("more-posts", "You Might Be Interested"),
	} {
		t.Run(name, func(t *testing.T) {
			doc := rvExtract(t, rhURL, rhPage(box, "Thời sự", "Hội nghị tổng kết công tác năm 2026"))
			if doc.Kind != KindArticle || doc.Body != strings.Join(rhBody, "\n\n") {
				t.Fatalf("kind %s, body %q", doc.Kind, doc.Body)
			}
			if doc.Author != "" || doc.AuthorName != "" {
				t.Errorf("author %q (%q): the box's heading, not a person; want none", doc.Author, doc.AuthorName)
			}
		})
	}
}

// TestEntitiesInJSONLD: CMSs and WordPress's SEO plugins write HTML
// entities into the JSON-LD's strings ("Ch&#237;nh s&#225;ch mới",
// "Thời sự &#8211; Chính trị"). The breadcrumb took them as printed, and
// with it the article's category, which search's facets and filters show:
// two real pages of the real-world set (a government paper and a party
// committee's paper) had "Ch&#237;nh s&#225;ch mới" and "X&#227; hội".
func TestEntitiesInJSONLD(t *testing.T) {
	doc := rvExtract(t, rhURL, rhPage("", "Ch&#237;nh s&#225;ch &#8211; Đời sống", "Hội nghị tổng kết công tác năm 2026"))
	if want := []string{"Chính sách – Đời sống"}; !slices.Equal(doc.Breadcrumb, want) {
		t.Errorf("breadcrumb %q, want %q", doc.Breadcrumb, want)
	}
	if doc.Category != "Chính sách – Đời sống" {
		t.Errorf("category %q, want the breadcrumb's section, decoded", doc.Category)
	}
}

// TestCreditOnTwoLines: GenK's older pages end the text with the credit
// right-aligned in italics, the writer and the site the article was taken
// from on one line and the publication it first appeared in on the next
// ("Theo Minh Nguyễn/Vcamp.vn" / "Forbes"). Both lines stayed in the body
// as its last paragraphs, with no author and no source; on one line alone
// the writer and the site were taken together for the source. The
// writer's own name under a source ("Theo Báo Thanh Hóa" / "Minh Anh",
// "Nguồn: dangcongsan.vn" / "BBT") stays the author, and the source line
// above it, which stayed in the body as its last paragraph, is the source.
func TestCreditOnTwoLines(t *testing.T) {
	right := func(lines ...string) string {
		var sb strings.Builder
		for _, l := range lines {
			sb.WriteString(`<div style="text-align:right"><i>` + l + "</i></div>\n")
		}
		return sb.String()
	}
	for _, c := range []struct {
		name, tail, author, source string
	}{
		{"the writer/the site, then the first publication", right("Theo Minh Nguyễn/Vcamp.vn", "Forbes"), "Minh Nguyễn", "Vcamp.vn"},
		{"the writer/the site alone", right("Theo Minh Nguyễn/Vcamp.vn"), "Minh Nguyễn", "Vcamp.vn"},
		{"a newspaper's name under the credit", right("Theo Minh Nguyễn/Vcamp.vn", "Báo Nhân Dân"), "Minh Nguyễn", "Vcamp.vn"},
		{"the writer under a source", right("Theo Báo Thanh Hóa", "Minh Anh"), "Minh Anh", "Báo Thanh Hóa"},
		{"the newsroom under a source", right("Nguồn: dangcongsan.vn", "BBT"), "BBT", "dangcongsan.vn"},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := strings.Replace(rhPage("", "Thời sự", "Hội nghị tổng kết công tác năm 2026"), "</section>", c.tail+"</section>", 1)
			doc := rvExtract(t, rhURL, page)
			if doc.Author != c.author || doc.Source != c.source {
				t.Errorf("author %q, source %q; want %q, %q", doc.Author, doc.Source, c.author, c.source)
			}
			if !strings.HasSuffix(doc.Body, rhBody[len(rhBody)-1]) {
				t.Errorf("the body does not end with the text's last paragraph: ...%q", doc.Body[max(0, len(doc.Body)-120):])
			}
		})
	}
}

// TestFollowUsWidgetCutInTwo: 24h's "Kết bạn với Tin tức 24h trên
// Facebook" <br> (a script) "để nhận tin nóng hổi", inside the text's
// container: the first half was dropped as a widget, the second stayed as
// the body's last paragraph. (A newspaper's one-sentence invitation to
// follow it, "Mời bạn đọc theo dõi … trên Zalo", stays in the body: the
// same words close a party committee's own article about its Zalo page,
// see extract/session_review_test.go.)
func TestFollowUsWidgetCutInTwo(t *testing.T) {
	tail := `<div class="share-left-col2"><span class="tag-txt-FB">Kết bạn với Báo Mẫu trên <b><a href="http://www.facebook.com/baomau">Facebook</a></b><br />
<script type="text/javascript">document.write('<fb:like></fb:like>');</script>
để nhận tin nóng hổi</span></div>`
	page := strings.Replace(rhPage("", "Thời sự", "Hội nghị tổng kết công tác năm 2026"), "</section>", tail+"</section>", 1)
	if doc := rvExtract(t, rhURL, page); doc.Body != strings.Join(rhBody, "\n\n") {
		t.Errorf("body ends ...%q; want the text alone", doc.Body[max(0, len(doc.Body)-150):])
	}
}
