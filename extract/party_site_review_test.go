package extract

// These tests came from a review of the extraction on page shapes that
// Vietnamese party and government sites use (a page in the chrome of
// danguykhoithanhhoa.org.vn: header, link box, visitor counter, recent
// articles, footer); each comment says what went wrong before the fix.

import (
	"strings"
	"testing"
)

const rvURL = "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/hoi-nghi-quan-triet-nghi-quyet-712.html"

// rvChrome wraps an article's main column (MAIN) in the site's chrome:
// header, link box, visitor counter, recent articles, footer.
const rvChrome = `<!DOCTYPE html>
<html lang="vi"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>HEADTITLE</title></head>
<body>
<div id="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="logo"></a></div><h2 class="sitename">Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</h2></div>
<div id="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/tong-quan">Tổng quan</a></li><li><a href="/tin-tuc/tin-tuc-chung">Tin tức chung</a></li><li><a href="/tin-tuc/tu-lieu">Tư liệu</a></li><li><a href="/van-ban">Văn bản</a></li><li><a href="/lien-he">Liên hệ</a></li></ul></div>
<div class="wrap">
<div class="col-left">
<div class="box-lienket"><div class="box-title">Liên kết website</div>
<select><option>Cổng thông tin điện tử tỉnh Thanh Hóa</option><option>Báo Thanh Hóa</option></select></div>
<div class="box-thongke"><div class="box-title">Thống kê truy cập</div>
<p>Đang online: 5</p><p>Hôm nay: 94</p><p>Tổng số truy cập: 188564</p></div>
</div>
<div class="col-main">
MAIN
<div class="box-recent"><div class="box-title">Các bài viết gần đây</div>
<ul>
<li><a href="/tin-tuc/tin-tuc-chung/hoi-nghi-ban-chap-hanh-dang-bo-khoi-lan-thu-20-690.html">Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 20</a></li>
<li><a href="/tin-tuc/tin-tuc-chung/tap-huan-nghiep-vu-cong-tac-dang-cho-cap-uy-co-so-689.html">Tập huấn nghiệp vụ công tác Đảng cho cấp ủy cơ sở</a></li>
<li><a href="/tin-tuc/tu-lieu/chu-tich-ho-chi-minh-voi-thanh-hoa-11.html">Chủ tịch Hồ Chí Minh với Thanh Hóa</a></li>
</ul></div>
</div>
</div>
<div id="footer"><ul><li>Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</li>
<li>Địa chỉ: Số 35 Hà Văn Mao, Phường Ba Đình, TP. Thanh Hóa, tỉnh Thanh Hóa</li>
<li>Điện thoại: 02373.851.762 ; Fax: 02373.851.762; Email: danguykhoith@gmail.com</li>
<li>Trưởng Ban biên tập: Đồng chí Đỗ Xuân Phong - Phó Bí thư Thường trực Đảng Ủy Khối</li>
<li>Đơn vị xây dựng: Trung tâm CNTT&amp;TT Thanh Hóa</li></ul></div>
</body></html>`

const rvCrumb = `<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/tin-tuc/tin-tuc-chung">Tin tức chung</a> / Hội nghị quán triệt Nghị quyết Trung ương 10 khóa XIII</div>`

const rvTitle = "Hội nghị quán triệt Nghị quyết Trung ương 10 khóa XIII"

var rvParas = []string{
	"Sáng ngày 05/11, Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị trực tuyến học tập, quán triệt, triển khai thực hiện Nghị quyết Hội nghị lần thứ mười Ban Chấp hành Trung ương Đảng khóa XIII đến cán bộ chủ chốt của các tổ chức cơ sở đảng trực thuộc.",
	"Tại hội nghị, các đại biểu được nghe báo cáo viên truyền đạt những nội dung cơ bản, cốt lõi của các văn bản, nghị quyết, kết luận của Hội nghị Trung ương 10, trong đó tập trung vào những điểm mới, yêu cầu cần quán triệt sâu sắc.",
	"Phát biểu kết luận hội nghị, đồng chí Bí thư Đảng ủy Khối đề nghị cấp ủy các tổ chức cơ sở đảng khẩn trương xây dựng chương trình hành động, kế hoạch thực hiện phù hợp với điều kiện thực tế của từng cơ quan, đơn vị.",
}

func rvPage(head, main string) string { return pageIn(rvChrome, head, main) }

// pageIn puts a page's <title> (HEADTITLE) and main column (MAIN) in a
// site's chrome.
func pageIn(chrome, head, main string) string {
	return strings.NewReplacer("HEADTITLE", head, "MAIN", main).Replace(chrome)
}

func rvParasHTML() string {
	var sb strings.Builder
	for _, p := range rvParas {
		sb.WriteString("<p style=\"text-align: justify;\">" + p + "</p>\n")
	}
	return sb.String()
}

func rvBody() string { return strings.Join(rvParas, "\n\n") }

func rvExtract(t *testing.T, url, page string) *Document {
	t.Helper()
	doc, err := Extract(url, []byte(page), "text/html; charset=utf-8", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// rvArticle is the site's chrome around a breadcrumb, an <h1> title,
// META (what the page prints between the title and the text) and the
// content div holding the three paragraphs of rvParas followed by TAIL.
func rvArticle(meta, tail string) string {
	main := rvCrumb + "\n<h1 class=\"title\">" + rvTitle + "</h1>\n" + meta + "\n<div class=\"content\">\n" + rvParasHTML() + tail + "\n</div>\n"
	return rvPage(rvTitle+" - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", main)
}

func rvTail(s string) string {
	if r := []rune(s); len(r) > 80 {
		return "…" + string(r[len(r)-80:])
	}
	return s
}

// A page that prints its title only in <title> ("X - Đảng ủy Khối…") and
// has a bold line in its text takes that line for the title: a bold
// sub-heading (which then leaves the body), or the bold byline at the end
// when a breadcrumb sits above the text (the byline is then lost as
// author too). The title is <title> minus the site's name.
func TestTitleOnlyInHeadTitle(t *testing.T) {
	lead := "Năm 2024, Đảng bộ Khối các cơ quan tỉnh tiếp tục đổi mới nội dung, phương thức lãnh đạo, nâng cao năng lực lãnh đạo và sức chiến đấu của các tổ chức cơ sở đảng, chất lượng đội ngũ cán bộ, đảng viên trong toàn Đảng bộ."
	crumb := `<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/tin-tuc/tin-tuc-chung">Tin tức chung</a></div>`
	for _, c := range []struct{ main, body, author string }{
		{`<div class="content"><p>` + lead + `</p><p><strong>Những kết quả nổi bật</strong></p>` + rvParasHTML() + `</div>`,
			lead + "\n\nNhững kết quả nổi bật\n\n" + rvBody(), ""},
		{crumb + `<div class="content">` + rvParasHTML() + `<p style="text-align:right"><b>Tin, ảnh: Nguyễn Văn An</b></p></div>`,
			rvBody(), "Nguyễn Văn An"},
		{crumb + `<div class="content">` + rvParasHTML() + `<p style="text-align:right"><b>Lê Hoa</b></p></div>`,
			rvBody(), "Lê Hoa"},
	} {
		doc := rvExtract(t, rvURL, rvPage(rvTitle+" - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", c.main))
		if doc.Title != rvTitle || doc.Body != c.body || doc.Author != c.author {
			t.Errorf("%s:\n title %q, author %q, body as expected: %v\n body %q", c.main[:min(len(c.main), 120)], doc.Title, doc.Author, doc.Body == c.body, doc.Body)
		}
	}
}

// Visitor counters printed at the end of the text ("Số lượt xem: 345",
// "Số lần đọc: 12", "Lượt truy cập: 20", "Xem: 345") stay in the body,
// where the number changes on every request and makes a new version of an
// unchanged article; after a byline, the counter also hides the byline.
func TestViewCounterInBody(t *testing.T) {
	for _, c := range []struct{ tail, author string }{
		{`<p>Số lượt xem: 345</p>`, ""},
		{`<p>Số lần đọc: 12</p>`, ""},
		{`<p>Lượt truy cập: 20</p>`, ""},
		{`<p>Xem: 345</p>`, ""},
		{`<p>Tổng số lượt xem: 345</p>`, ""},
		{`<p>Số lượt xem: 345 | Bản in | Gửi email</p>`, ""},
		{`<p style="text-align:right"><b>Lê Hoa</b></p><p>Số lượt xem: 345</p>`, "Lê Hoa"},
	} {
		doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, c.tail))
		if doc.Body != rvBody() || doc.Author != c.author {
			t.Errorf("%s:\n body ends %q, author %q (want %q)", c.tail, rvTail(doc.Body), doc.Author, c.author)
		}
		// The same page with another count must give the same document.
		other := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, strings.NewReplacer("345", "346", "12", "13", "20", "21").Replace(c.tail)))
		if other.Body != doc.Body {
			t.Errorf("%s: the body changes with the counter", c.tail)
		}
	}
}

// "Bài viết đã được xem 345 lần" (the article's view count) is read as a
// byline labelled "Bài viết": Author "đã được xem 345 lần".
func TestViewCountSentenceNotByline(t *testing.T) {
	doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, `<p>Bài viết đã được xem 345 lần</p>`))
	if doc.Author != "" || doc.AuthorName != "" || doc.Body != rvBody() {
		t.Errorf("author %q (%q), body ends %q; want no author and the paragraphs only", doc.Author, doc.AuthorName, rvTail(doc.Body))
	}
}

// A place and numeric date under the article ("Thanh Hóa, ngày
// 05/11/2024") is read as a byline and a date: Author "Thanh Hóa" (a
// place), and the real byline above it stays in the body. placeDateRe
// knows the place-date line only with the date in words.
func TestPlaceNumericDateNotAuthor(t *testing.T) {
	for _, c := range []struct{ tail, author string }{
		{`<p style="text-align:right">Thanh Hóa, ngày 05/11/2024</p>`, ""},
		{`<p style="text-align:right"><b>Lê Hoa</b><br>Thanh Hóa, ngày 05/11/2024</p>`, "Lê Hoa"},
	} {
		main := rvCrumb + "\n<h1 class=\"title\">" + rvTitle + "</h1>\n<div class=\"content\">" + rvParasHTML() + c.tail + "</div>"
		doc := rvExtract(t, rvURL, rvPage(rvTitle, main))
		if doc.Author != c.author || doc.Published != "2024-11-05" || doc.Body != rvBody() {
			t.Errorf("%s:\n author %q (want %q), published %q, body ends %q", c.tail, doc.Author, c.author, doc.Published, rvTail(doc.Body))
		}
	}
}

// A page with no title in its body is titled from <title>, which is cut
// as if the site's name always came last: "Đảng ủy Khối… - X" gives the
// site's name as the title, ":: X ::" (the site's own <title> style)
// keeps the colons, and a category beside the title ("Tin tức chung - X -
// Site", "X - Tin tức chung - Site") is kept in it.
func TestTitleFromHeadTitleAffixes(t *testing.T) {
	for _, head := range []string{
		"Đảng ủy Khối các cơ quan tỉnh Thanh Hóa - " + rvTitle,
		":: " + rvTitle + " ::",
		"Tin tức chung - " + rvTitle + " - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa",
		rvTitle + " - Tin tức chung - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa",
	} {
		doc := rvExtract(t, rvURL, rvPage(head, `<div class="content">`+rvParasHTML()+`</div>`))
		if doc.Title != rvTitle || doc.Body != rvBody() {
			t.Errorf("<title>%s</title>:\n title %q; body as expected: %v", head, doc.Title, doc.Body == rvBody())
		}
	}
}

// "Các tin đã đăng" / "Tin đã đăng:" heads the list of earlier articles
// (as "Các tin đã đưa" does), but is not known as a related-articles
// heading: it stays in the body and the byline above it is lost.
func TestTinDaDangHeading(t *testing.T) {
	for _, h := range []string{"Tin đã đăng:", "Các tin đã đăng"} {
		tail := `<p style="text-align:right"><b>Lê Hoa</b></p><p><b>` + h + `</b></p><ul><li><a href="/tin-tuc/tin-tuc-chung/a-700.html">Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 20 mở rộng</a> (01/11/2024)</li><li><a href="/tin-tuc/tin-tuc-chung/b-701.html">Tập huấn nghiệp vụ công tác Đảng cho cấp ủy cơ sở năm 2024</a> (28/10/2024)</li></ul>`
		doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, tail))
		if doc.Body != rvBody() || doc.Author != "Lê Hoa" {
			t.Errorf("%q: body ends %q, author %q; want the paragraphs only, Lê Hoa", h, rvTail(doc.Body), doc.Author)
		}
	}
}

// A reader-comment form inside the content container ("Ý kiến bạn đọc",
// "Họ và tên:", "Nội dung:", "Gửi ý kiến") is kept as body text.
func TestCommentFormInContent(t *testing.T) {
	tail := `<div class="binhluan"><p><b>Ý kiến bạn đọc</b></p><p>Họ và tên: <input type="text" name="ten"></p><p>Email: <input type="text" name="email"></p><p>Nội dung:</p><textarea name="nd"></textarea><p><input type="submit" value="Gửi"> Gửi ý kiến</p></div>`
	doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, tail))
	if doc.Body != rvBody() {
		t.Errorf("body ends %q; want the three paragraphs only", rvTail(doc.Body))
	}
}

// The news agency's name alone as the last line ("TTXVN", as articles
// taken from the Vietnam News Agency end) stays in the body, and no
// Source is given.
func TestAgencyLineAlone(t *testing.T) {
	doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, `<p style="text-align:right"><strong>TTXVN</strong></p>`))
	if doc.Body != rvBody() || doc.Source != "TTXVN" || doc.Author != "" {
		t.Errorf("body ends %q, source %q, author %q; want the three paragraphs, TTXVN, no author", rvTail(doc.Body), doc.Source, doc.Author)
	}
}

// AuthorName keeps the newsroom label of a contributor ("CTV Lê Hoa" gives
// "CTV Lê Hoa"), and of two writers followed by their unit ("Văn Phong -
// Tuấn Anh (Ban Tuyên giáo Đảng ủy Khối)") names only the first.
func TestAuthorNameLabelsAndUnit(t *testing.T) {
	for _, c := range []struct{ byline, name string }{
		{"CTV Lê Hoa", "Lê Hoa"},
		{"PV Minh Đức", "Minh Đức"},
		{"Văn Phong - Tuấn Anh (Ban Tuyên giáo Đảng ủy Khối)", "Văn Phong, Tuấn Anh"},
	} {
		doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, `<p style="text-align:right"><strong>`+c.byline+`</strong></p>`))
		if doc.Author != c.byline || doc.AuthorName != c.name {
			t.Errorf("%q: author %q, author_name %q; want %q", c.byline, doc.Author, doc.AuthorName, c.name)
		}
	}
}

// A byline of two names joined by "và" ("Lê Hoa và Minh Đức"),
// right-aligned and bold as the site signs its articles, stays in the
// body; personList reads "và" but isBylineText does not.
func TestBylineTwoNamesVa(t *testing.T) {
	doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, `<p style="text-align:right"><b>Lê Hoa và Minh Đức</b></p>`))
	if doc.Body != rvBody() || doc.Author != "Lê Hoa và Minh Đức" || doc.AuthorName != "Lê Hoa, Minh Đức" {
		t.Errorf("body ends %q, author %q (%q); want the paragraphs only, Lê Hoa và Minh Đức (Lê Hoa, Minh Đức)", rvTail(doc.Body), doc.Author, doc.AuthorName)
	}
}

// A breadcrumb whose items and separators are <span>s with no space
// between them ("<span>Trang chủ</span><span>/</span>…") is read as one
// item "Trang chủ/Tin tức - Sự kiện/Tin tức chung".
func TestBreadcrumbSpansNoSpace(t *testing.T) {
	crumb := `<div class="breadcrumb"><span><a href="/">Trang chủ</a></span><span>/</span><span><a href="/tin-tuc">Tin tức - Sự kiện</a></span><span>/</span><span><a href="/tin-tuc/tin-tuc-chung">Tin tức chung</a></span></div>`
	page := rvPage(rvTitle, crumb+"\n<h1 class=\"title\">"+rvTitle+"</h1>\n<div class=\"date\">05/11/2024</div>\n<div class=\"content\">"+rvParasHTML()+"</div>")
	doc := rvExtract(t, rvURL, page)
	want := []string{"Tin tức - Sự kiện", "Tin tức chung"}
	if strings.Join(doc.Breadcrumb, "|") != strings.Join(want, "|") || doc.Category != "Tin tức chung" {
		t.Errorf("breadcrumb %q, category %q; want %q, %q", doc.Breadcrumb, doc.Category, want, "Tin tức chung")
	}
}

// "Bạn đang ở: Trang chủ » Tin tức chung" in an element whose class does
// not say breadcrumb ("path") gives no breadcrumb: the plain-text search
// wants the line to start with "Trang chủ", though dropHome knows the
// label.
func TestBreadcrumbYouAreHere(t *testing.T) {
	for _, crumb := range []string{
		`<div class="path">Bạn đang ở: <a href="/">Trang chủ</a> » <a href="/tin-tuc/tin-tuc-chung">Tin tức chung</a></div>`,
		`<div class="path">Vị trí: <a href="/">Trang chủ</a> &gt; <a href="/tin-tuc/tin-tuc-chung">Tin tức chung</a></div>`,
	} {
		page := rvPage(rvTitle, crumb+"\n<h1 class=\"title\">"+rvTitle+"</h1>\n<div class=\"date\">05/11/2024</div>\n<div class=\"content\">"+rvParasHTML()+"</div>")
		doc := rvExtract(t, rvURL, page)
		if strings.Join(doc.Breadcrumb, "|") != "Tin tức chung" || doc.Category != "Tin tức chung" || doc.Body != rvBody() {
			t.Errorf("%s:\n breadcrumb %q, category %q; want [Tin tức chung]; body as expected: %v", crumb, doc.Breadcrumb, doc.Category, doc.Body == rvBody())
		}
	}
}

// A breadcrumb whose last item is the title cut short without an
// ellipsis ("Văn bản / Kế hoạch số 125-KH/ĐUK" for "Kế hoạch số
// 125-KH/ĐUK về tổ chức …") keeps it as the category.
func TestBreadcrumbShortTitleItem(t *testing.T) {
	title := "Kế hoạch số 125-KH/ĐUK về tổ chức Hội nghị học tập, quán triệt Nghị quyết Trung ương 10 khóa XIII"
	main := `<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/van-ban">Văn bản</a> / Kế hoạch số 125-KH/ĐUK</div>
<h1 class="title">` + title + `</h1><div class="date">Ngày đăng: 05/11/2024</div><div class="content">` + rvParasHTML() + `</div>`
	doc := rvExtract(t, rvURL, rvPage(title, main))
	if doc.Title != title || strings.Join(doc.Breadcrumb, "|") != "Văn bản" || doc.Category != "Văn bản" {
		t.Errorf("title %q, breadcrumb %q, category %q; want the title, [Văn bản], Văn bản", doc.Title, doc.Breadcrumb, doc.Category)
	}
}

// A metadata line that prints the date and the author with their labels,
// "Ngày xuất bản: … - Tác giả: …", "Ngày đăng: … | Người viết: …", as
// the portals of provincial agencies do, gives neither or only one of them;
// the spans of such a line run together give an author "Lê Hoa Lượt xem:
// 321"; "Đăng bởi: Quản trị viên | 05/11/2024" and "Ngày 05/11/2024 -
// Người đăng: admin" (the CMS account, no author) lose the date.
func TestLabelledMetaLine(t *testing.T) {
	for _, c := range []struct{ meta, author, date string }{
		{`<div class="info">Ngày xuất bản: 05/11/2024 - Tác giả: Lê Hoa</div>`, "Lê Hoa", "2024-11-05"},
		{`<div class="date">Ngày đăng: 05/11/2024 | Người viết: Lê Hoa</div>`, "Lê Hoa", "2024-11-05"},
		{`<div class="meta"><span>Ngày đăng: 05/11/2024</span> <span>Tác giả: Lê Hoa</span> <span>Lượt xem: 321</span></div>`, "Lê Hoa", "2024-11-05"},
		{`<div class="info">Đăng bởi: Quản trị viên | 05/11/2024</div>`, "", "2024-11-05"},
		{`<div class="info">Ngày 05/11/2024 - Người đăng: admin</div>`, "", "2024-11-05"},
	} {
		doc := rvExtract(t, rvURL, rvArticle(c.meta, ""))
		if doc.Author != c.author || doc.Published != c.date || doc.Body != rvBody() {
			t.Errorf("%s:\n author %q published %q (want %q, %q); body as expected: %v", c.meta, doc.Author, doc.Published, c.author, c.date, doc.Body == rvBody())
		}
	}
}

// A date line of digits alone inside the content ("05/11/2024" in italics
// above the text, "05/11/2024 08:30", "(05/11/2024)" under it) is dropped
// as "a number alone" (a counter) before the date-line rule can keep it,
// so the article has no date.
func TestDigitsOnlyDateLineInContent(t *testing.T) {
	for _, c := range []struct{ head, tail, date string }{
		{`<p><i>05/11/2024</i></p>`, ``, "2024-11-05"},
		{`<p>05/11/2024 08:30</p>`, ``, "2024-11-05T08:30:00+07:00"},
		{``, `<p style="text-align:right"><i>(05/11/2024)</i></p>`, "2024-11-05"},
		{``, `<p style="text-align:right"><b>Lê Hoa</b></p><p style="text-align:right"><i>05/11/2024</i></p>`, "2024-11-05"},
	} {
		main := rvCrumb + "\n<h1 class=\"title\">" + rvTitle + "</h1>\n<div class=\"content\">" + c.head + rvParasHTML() + c.tail + "</div>"
		doc := rvExtract(t, rvURL, rvPage(rvTitle, main))
		if doc.Published != c.date || doc.Body != rvBody() {
			t.Errorf("%s…%s:\n published %q (want %q), body as expected: %v", c.head, c.tail, doc.Published, c.date, doc.Body == rvBody())
		}
	}
}

// The date printed on one line with the article tools ("05/11/2024 | In
// bài viết | Gửi email", "Thứ Ba, 05/11/2024 A- A+ In") is neither a date
// line nor a widget: the article gets no date, and inside the content the
// line stays in the body.
func TestDateLineWithTools(t *testing.T) {
	for _, c := range []struct{ meta, head string }{
		{``, `<p>05/11/2024 | <a href="#">In bài viết</a> | <a href="#">Gửi email</a></p>`},
		{``, `<div class="tools"><span>Thứ Ba, 05/11/2024</span> <a href="#">A-</a> <a href="#">A+</a> <a href="#">In</a></div>`},
		{`<div class="tool">05/11/2024 <a href="#">In bài viết</a> <a href="#">Gửi email</a> <a href="#">Chia sẻ</a></div>`, ``},
	} {
		main := rvCrumb + "\n<h1 class=\"title\">" + rvTitle + "</h1>\n" + c.meta + "<div class=\"content\">" + c.head + rvParasHTML() + "</div>"
		doc := rvExtract(t, rvURL, rvPage(rvTitle, main))
		if doc.Published != "2024-11-05" || doc.Body != rvBody() {
			t.Errorf("%s%s:\n published %q, body starts %q", c.meta, c.head, doc.Published, doc.Body[:min(len(doc.Body), 60)])
		}
	}
}

// A byline that names the publication it was taken from in parentheses,
// "Minh Hằng (Theo dangcongsan.vn)", "Thu Hà (Nguồn: baothanhhoa.vn)",
// keeps the credit in Author and leaves Source empty.
func TestBylineWithParenSource(t *testing.T) {
	for _, c := range []struct{ tail, author, source string }{
		{`<p style="text-align:right"><b>Minh Hằng (Theo dangcongsan.vn)</b></p>`, "Minh Hằng", "dangcongsan.vn"},
		{`<p style="text-align:right"><b>Thu Hà</b> (Nguồn: baothanhhoa.vn)</p>`, "Thu Hà", "baothanhhoa.vn"},
	} {
		doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, c.tail))
		if doc.Author != c.author || doc.Source != c.source || doc.Body != rvBody() {
			t.Errorf("%s:\n author %q source %q (want %q, %q); body as expected: %v", c.tail, doc.Author, doc.Source, c.author, c.source, doc.Body == rvBody())
		}
	}
}

// A byline of a name and, on the next line, the unit in parentheses
// ("Nguyễn Thị Mai<br>(Văn phòng Đảng ủy Khối)") stays in the body, and
// the article has no author.
func TestTwoLineBylineParenUnit(t *testing.T) {
	for _, tail := range []string{
		`<p style="text-align:right">Nguyễn Thị Mai<br>(Văn phòng Đảng ủy Khối)</p>`,
		`<p style="text-align:right"><b>Nguyễn Thị Mai</b></p><p style="text-align:right"><i>(Văn phòng Đảng ủy Khối)</i></p>`,
	} {
		doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, tail))
		if doc.Body != rvBody() || doc.AuthorName != "Nguyễn Thị Mai" || !strings.HasPrefix(doc.Author, "Nguyễn Thị Mai") {
			t.Errorf("%s:\n body ends %q, author %q (%q); want the paragraphs only and Nguyễn Thị Mai", tail, rvTail(doc.Body), doc.Author, doc.AuthorName)
		}
	}
}

// A labelled byline printed under the date, between the title block and
// the content container ("Tin, ảnh: Nguyễn Văn An" in bold, no class),
// is lost: no author.
func TestTopBylineOutsideContent(t *testing.T) {
	doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div><p style="text-align:right"><b>Tin, ảnh: Nguyễn Văn An</b></p>`, ""))
	if doc.Author != "Nguyễn Văn An" || doc.Body != rvBody() {
		t.Errorf("author %q, body as expected: %v; want Nguyễn Văn An", doc.Author, doc.Body == rvBody())
	}
}

// A byline that credits the writer and the photographer ("Tin: Lê Hoa;
// Ảnh: Minh Đức", "Bài: Lê Hoa - Ảnh: Minh Đức") keeps the photographer
// in Author; the photographer did not write the article (a line "Ảnh: X"
// alone is never taken for the author).
func TestBylinePhotoCreditNotAuthor(t *testing.T) {
	for _, b := range []string{"Tin: Lê Hoa; Ảnh: Minh Đức", "Bài: Lê Hoa - Ảnh: Minh Đức", "Bài: Lê Hoa, ảnh: Minh Đức", "Lê Hoa (Ảnh: Minh Đức)"} {
		doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, `<p style="text-align:right"><b>`+b+`</b></p>`))
		if doc.Author != "Lê Hoa" || doc.AuthorName != "Lê Hoa" {
			t.Errorf("%q: author %q (%q); want Lê Hoa", b, doc.Author, doc.AuthorName)
		}
	}
}

// The same with a unit whose first word ends in a letter outside ASCII
// ("(Sở Nội vụ)", "(Xã Quảng Tiến)"): regexp's \b, ASCII only, saw no
// word end after "Sở" or "Xã", and the lines stayed in the body.
func TestTwoLineBylineParenUnitNonASCII(t *testing.T) {
	for _, unit := range []string{"(Sở Nội vụ)", "(Xã Quảng Tiến)", "(Chi bộ Văn phòng)", "(Sở)"} {
		tail := `<p style="text-align:right"><b>Nguyễn Thị Mai</b></p><p style="text-align:right"><i>` + unit + `</i></p>`
		doc := rvExtract(t, rvURL, rvArticle(`<div class="date">05/11/2024</div>`, tail))
		if doc.Body != rvBody() || doc.AuthorName != "Nguyễn Thị Mai" {
			t.Errorf("%s:\n body ends %q, author %q (%q); want the paragraphs only and Nguyễn Thị Mai", unit, rvTail(doc.Body), doc.Author, doc.AuthorName)
		}
	}
}
