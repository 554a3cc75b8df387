package extract

import (
	"strings"
	"testing"
)

// These tests came from a review of the rules added for the party-site
// shapes (party_site_review_test.go), looking for what they took wrongly
// on other pages (view counters, cuts at reader-comment headings, news
// agencies, numeric place-date lines, titles taken from <title>,
// breadcrumbs, bylines, grid tables); each comment says what went wrong
// before the fix.

const fpURL = "https://danguykhoi.thanhhoa.gov.vn/tin-tuc/xay-dung-dang/bai-viet-1234.html"

const fpChrome = `<!DOCTYPE html>
<html lang="vi"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>HEADTITLE</title></head>
<body>
<div id="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="logo"></a></div><h2 class="sitename">Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</h2></div>
<div id="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc/xay-dung-dang">Xây dựng Đảng</a></li><li><a href="/tin-tuc/van-hoa">Văn hóa</a></li><li><a href="/tin-tuc/chuyen-doi-so">Chuyển đổi số</a></li><li><a href="/van-ban">Văn bản</a></li><li><a href="/lien-he">Liên hệ</a></li></ul></div>
<div class="wrap">
<div class="col-left">
<div class="box-thongke"><div class="box-title">Thống kê truy cập</div>
<p>Đang online: 5</p><p>Hôm nay: 94</p><p>Tổng số truy cập: 188564</p></div>
</div>
<div class="col-main">
MAIN
<div class="box-recent"><div class="box-title">Các bài viết gần đây</div>
<ul>
<li><a href="/tin-tuc/xay-dung-dang/hoi-nghi-ban-chap-hanh-dang-bo-khoi-lan-thu-20-690.html">Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 20</a></li>
<li><a href="/tin-tuc/xay-dung-dang/tap-huan-nghiep-vu-cong-tac-dang-689.html">Tập huấn nghiệp vụ công tác Đảng cho cấp ủy cơ sở</a></li>
<li><a href="/tin-tuc/van-hoa/chu-tich-ho-chi-minh-voi-thanh-hoa-11.html">Chủ tịch Hồ Chí Minh với Thanh Hóa</a></li>
</ul></div>
</div>
</div>
<div id="footer"><ul><li>Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</li>
<li>Địa chỉ: Số 35 Hà Văn Mao, Phường Ba Đình, TP. Thanh Hóa, tỉnh Thanh Hóa</li>
<li>Điện thoại: 02373.851.762; Email: danguykhoith@gmail.com</li></ul></div>
</body></html>`

func fpPage(head, main string) string { return pageIn(fpChrome, head, main) }

func fpExtract(t *testing.T, page string) *Document {
	t.Helper()
	return rvExtract(t, fpURL, page)
}

func fpParas(ps ...string) string {
	var sb strings.Builder
	for _, p := range ps {
		sb.WriteString("<p style=\"text-align: justify;\">" + p + "</p>\n")
	}
	return sb.String()
}

const fpCrumb = `<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/tin-tuc/xay-dung-dang">Xây dựng Đảng</a></div>`

// fpArticle: breadcrumb, <h1> title, a date line, the content div.
func fpArticle(crumb, title, content string) string {
	main := crumb + "\n<h1 class=\"title\">" + title + "</h1>\n<div class=\"date\">Thứ Ba, 05/11/2024 08:30</div>\n<div class=\"content\">\n" + content + "\n</div>\n"
	return fpPage(title+" - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", main)
}

var fpP = []string{
	"Sáng ngày 05/11, Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị trực tuyến học tập, quán triệt, triển khai thực hiện Nghị quyết Hội nghị lần thứ mười Ban Chấp hành Trung ương Đảng khóa XIII đến cán bộ chủ chốt của các tổ chức cơ sở đảng trực thuộc.",
	"Tại hội nghị, các đại biểu được nghe báo cáo viên truyền đạt những nội dung cơ bản, cốt lõi của các văn bản, nghị quyết, kết luận của Hội nghị Trung ương 10, trong đó tập trung vào những điểm mới, yêu cầu cần quán triệt sâu sắc.",
	"Phát biểu kết luận hội nghị, đồng chí Bí thư Đảng ủy Khối đề nghị cấp ủy các tổ chức cơ sở đảng khẩn trương xây dựng chương trình hành động, kế hoạch thực hiện phù hợp với điều kiện thực tế của từng cơ quan, đơn vị.",
}

func fpShow(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:100]) + " … " + string(r[len(r)-100:])
	}
	return s
}

// 1. A sub-heading "Ý kiến bạn đọc" inside an article that compiles the
// readers' letters on a draft: the letters that follow are the article.
func TestReaderOpinionSubheading(t *testing.T) {
	title := "Góp ý dự thảo Báo cáo chính trị Đại hội Đảng bộ tỉnh lần thứ XX"
	p := []string{
		"Thực hiện chủ trương của Ban Thường vụ Tỉnh ủy, từ ngày 01/10 đến 31/10/2024, dự thảo Báo cáo chính trị trình Đại hội Đảng bộ tỉnh lần thứ XX được đăng tải để cán bộ, đảng viên và nhân dân đóng góp ý kiến.",
		"Sau một tháng, Ban biên tập đã nhận được hơn 300 ý kiến góp ý gửi qua thư điện tử, qua đường bưu điện và trực tiếp tại các hội nghị; dưới đây là một số ý kiến tiêu biểu.",
		"Ông Lê Văn Minh, đảng viên Chi bộ khu phố 3, phường Ba Đình cho rằng dự thảo cần làm rõ hơn những hạn chế, yếu kém trong công tác cải cách hành chính và trách nhiệm của người đứng đầu.",
		"Bà Nguyễn Thị Hà, giáo viên Trường THCS Điện Biên đề nghị bổ sung các giải pháp cụ thể để phát triển nguồn nhân lực chất lượng cao, nhất là trong lĩnh vực giáo dục và y tế.",
	}
	content := fpParas(p[0], p[1]) + "<h3><strong>Ý kiến bạn đọc</strong></h3>\n" + fpParas(p[2], p[3])
	doc := fpExtract(t, fpArticle(fpCrumb, title, content))
	want := strings.Join([]string{p[0], p[1], "Ý kiến bạn đọc", p[2], p[3]}, "\n\n")
	if doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
}

// 2. "Bình luận" as the heading of the commentary part of a news-and-
// commentary article ("Tin và bình luận"): the commentary is the article.
func TestCommentarySubheading(t *testing.T) {
	title := "Kinh tế tỉnh tăng trưởng 9,2% trong 10 tháng đầu năm"
	p := []string{
		"Theo số liệu của Cục Thống kê tỉnh, tổng sản phẩm trên địa bàn tỉnh 10 tháng đầu năm 2024 ước tăng 9,2% so với cùng kỳ, đứng thứ ba cả nước và dẫn đầu khu vực Bắc Trung Bộ.",
		"Trong đó, khu vực công nghiệp - xây dựng tăng 12,5%, khu vực dịch vụ tăng 7,8%, khu vực nông, lâm nghiệp và thủy sản tăng 3,4%; thu ngân sách nhà nước đạt 95% dự toán năm.",
		"Kết quả trên cho thấy sự chỉ đạo quyết liệt của cấp ủy, chính quyền các cấp trong tháo gỡ khó khăn cho doanh nghiệp, đẩy nhanh giải ngân vốn đầu tư công và thu hút các dự án lớn.",
		"Tuy vậy, để hoàn thành mục tiêu cả năm, tỉnh cần tiếp tục cải thiện môi trường đầu tư, nâng cao chất lượng nguồn nhân lực và giải quyết dứt điểm các vướng mắc về giải phóng mặt bằng.",
	}
	content := fpParas(p[0], p[1]) + "<p><strong>Bình luận</strong></p>\n" + fpParas(p[2], p[3])
	doc := fpExtract(t, fpArticle(fpCrumb, title, content))
	want := strings.Join([]string{p[0], p[1], "Bình luận", p[2], p[3]}, "\n\n")
	if doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
}

// 3. An article on the party's web portal with a sub-heading and a short
// paragraph about its visits: text of the article, not a view counter.
func TestVisitsSubheading(t *testing.T) {
	title := "Trang thông tin điện tử Đảng bộ Khối: kênh tuyên truyền hiệu quả"
	p := []string{
		"Sau 5 năm đi vào hoạt động, Trang thông tin điện tử Đảng bộ Khối đã đăng tải hơn 4.500 tin, bài phản ánh kịp thời hoạt động của các tổ chức cơ sở đảng và gương người tốt, việc tốt trong các cơ quan.",
		"Số lượt truy cập tăng gần 40% so với năm 2023.",
		"Bạn đọc quan tâm nhiều nhất đến các chuyên mục Xây dựng Đảng, Học tập và làm theo Bác, Văn bản chỉ đạo; nhiều bài viết được các trang thông tin của Trung ương và của tỉnh trích đăng lại.",
		"Thời gian tới, Ban biên tập tiếp tục đổi mới nội dung, hình thức, tăng cường tin, bài có chiều sâu, ứng dụng các công nghệ mới để thu hút bạn đọc, nhất là đoàn viên, thanh niên.",
	}
	content := fpParas(p[0]) + "<p><strong>Lượt truy cập tăng mạnh</strong></p>\n" + fpParas(p[1], p[2], p[3])
	doc := fpExtract(t, fpArticle(fpCrumb, title, content))
	want := strings.Join([]string{p[0], "Lượt truy cập tăng mạnh", p[1], p[2], p[3]}, "\n\n")
	if doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
}

// 4. "(ST)" ("sưu tầm", collected) or "(TH)" ("tổng hợp", compiled) under
// an article: an editor's note, not a news agency named "ST".
func TestCollectedMarkIsNoAgency(t *testing.T) {
	title := "Những câu chuyện về Bác Hồ với công tác xây dựng Đảng"
	for _, mark := range []string{"(ST)", "ST", "(TH)"} {
		content := fpParas(fpP...) + "<p style=\"text-align: right;\"><strong>" + mark + "</strong></p>"
		doc := fpExtract(t, fpArticle(fpCrumb, title, content))
		if doc.Source != "" {
			t.Errorf("%s: source %q, want none", mark, doc.Source)
		}
	}
}

// 5. A last paragraph that opens with "Trước đó, ngày 4/11, …" is text
// of the article, not a document's place and date line.
func TestLastParagraphOpensWithNumericDate(t *testing.T) {
	title := "Đoàn công tác Tỉnh ủy làm việc với Đảng ủy Khối"
	last := "Trước đó, ngày 4/11, đoàn công tác đã khảo sát thực tế tại Chi bộ Sở Tài chính và Chi bộ Văn phòng UBND tỉnh, ghi nhận nhiều cách làm hay trong sinh hoạt chi bộ định kỳ."
	content := fpParas(fpP[0], fpP[1], fpP[2], last)
	doc := fpExtract(t, fpArticle(fpCrumb, title, content))
	want := strings.Join([]string{fpP[0], fpP[1], fpP[2], last}, "\n\n")
	if doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
	if !strings.HasPrefix(doc.Published, "2024-11-05") {
		t.Errorf("date %q, want 2024-11-05", doc.Published)
	}
}

// 6. The last breadcrumb item is the article's category ("Chuyển đổi số",
// "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh") and the
// title starts with the same words: the category stays in the breadcrumb.
func TestCategoryStartsTitle(t *testing.T) {
	for _, c := range []struct{ cat, href, title string }{
		{"Chuyển đổi số", "/tin-tuc/chuyen-doi-so", "Chuyển đổi số trong công tác tham mưu, giúp việc của cấp ủy"},
		{"Học tập và làm theo Bác", "/tin-tuc/hoc-tap-va-lam-theo-bac", "Học tập và làm theo Bác ở Chi bộ Sở Tài chính"},
	} {
		crumb := `<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/tin-tuc">Tin tức</a> / <a href="` + c.href + `">` + c.cat + `</a></div>`
		doc := fpExtract(t, fpArticle(crumb, c.title, fpParas(fpP...)))
		if doc.Title != c.title {
			t.Errorf("title %q", doc.Title)
		}
		if got := strings.Join(doc.Breadcrumb, " / "); got != "Tin tức / "+c.cat {
			t.Errorf("breadcrumb %q, want %q", got, "Tin tức / "+c.cat)
		}
	}
}

// 7. A page titled only in <title>, whose title starts with a word that is
// also a menu item ("Văn hóa - nền tảng tinh thần của xã hội", "Xây dựng
// Đảng - nhiệm vụ then chốt"): the title is kept whole.
func TestHeadTitleStartsWithMenuLabel(t *testing.T) {
	for _, title := range []string{
		"Văn hóa - nền tảng tinh thần của xã hội",
		"Xây dựng Đảng - nhiệm vụ then chốt",
	} {
		main := fpCrumb + `<div class="content">` + fpParas(fpP...) + `</div>`
		doc := fpExtract(t, fpPage(title+" - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", main))
		if doc.Title != title {
			t.Errorf("title %q, want %q", doc.Title, title)
		}
	}
}

// 8. An old CMS page whose <title> is its section ("Tin tức sự kiện" is
// generic, "Hoạt động cơ sở" is not) and whose title is a bold line at the
// top of the text: that line is the title.
func TestBoldTitleUnderSectionHeadTitle(t *testing.T) {
	title := "Chi bộ Sở Tài chính tổ chức sinh hoạt chuyên đề quý IV năm 2024"
	main := fpCrumb + `<div class="content"><p><strong>` + title + `</strong></p><p><em>05/11/2024</em></p>` + fpParas(fpP...) + `</div>`
	doc := fpExtract(t, fpPage("Hoạt động cơ sở - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", main))
	if doc.Title != title {
		t.Errorf("title %q, want %q", doc.Title, title)
	}
	want := strings.Join(fpP, "\n\n")
	if doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
}

// 9. A timeline in the text, its dates on lines of their own: they are
// text of the article, not its date (the page prints its own date).
func TestTimelineDateLines(t *testing.T) {
	title := "Những mốc son trong cuộc đời hoạt động cách mạng của Chủ tịch Hồ Chí Minh"
	content := `<p>Nhân kỷ niệm 134 năm Ngày sinh Chủ tịch Hồ Chí Minh, Trang thông tin điện tử Đảng bộ Khối giới thiệu những mốc son trong cuộc đời hoạt động cách mạng của Người.</p>
<p><strong>19/5/1890</strong></p>
<p>Chủ tịch Hồ Chí Minh sinh ra tại làng Hoàng Trù, xã Kim Liên, huyện Nam Đàn, tỉnh Nghệ An, trong một gia đình nhà nho yêu nước, thân sinh là cụ Nguyễn Sinh Sắc.</p>
<p><strong>05/6/1911</strong></p>
<p>Từ Bến cảng Nhà Rồng, người thanh niên Nguyễn Tất Thành lên con tàu Amiral Latouche-Tréville ra đi tìm đường cứu nước, mở đầu hành trình ba mươi năm bôn ba khắp năm châu.</p>
<p><strong>03/02/1930</strong></p>
<p>Nguyễn Ái Quốc chủ trì Hội nghị hợp nhất các tổ chức cộng sản, thành lập Đảng Cộng sản Việt Nam, bước ngoặt vĩ đại của cách mạng Việt Nam.</p>`
	main := fpCrumb + "\n<h1 class=\"title\">" + title + "</h1>\n<div class=\"content\">\n" + content + "\n</div>\n<div class=\"post-info\">Ngày đăng: 19/05/2024</div>"
	doc := fpExtract(t, fpPage(title+" - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", main))
	if !strings.HasPrefix(doc.Published, "2024-05-19") {
		t.Errorf("date %q, want 2024-05-19", doc.Published)
	}
}

// 11. An article laid out (FrontPage style) in a table of three rows of a
// narrow spacer cell and a cell holding a part of the text: its
// paragraphs are the body, not one table row per part.
func TestLayoutTableGrid(t *testing.T) {
	title := "Hội nghị quán triệt Nghị quyết Trung ương 10 khóa XIII"
	q := []string{
		"Đồng chí Bí thư Đảng ủy Khối nhấn mạnh, việc học tập, quán triệt nghị quyết phải gắn với tự soi, tự sửa, với trách nhiệm nêu gương của người đứng đầu và việc giải quyết những vấn đề bức xúc ở từng cơ quan.",
		"Các đồng chí báo cáo viên cũng lưu ý những nhiệm vụ trọng tâm trong thời gian tới, nhất là việc chuẩn bị đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng.",
		"Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến tại 35 điểm cầu, với sự tham dự của hơn 1.200 cán bộ chủ chốt, đảng viên của các tổ chức cơ sở đảng trực thuộc.",
	}
	row := func(a, b string) string {
		return `<tr><td width="10">&nbsp;</td><td><p>` + a + `</p><p>` + b + `</p></td></tr>` + "\n"
	}
	table := `<table width="100%" border="0" cellpadding="0" cellspacing="0">` + "\n" + row(fpP[0], q[0]) + row(fpP[1], q[1]) + row(fpP[2], q[2]) + `</table>`
	doc := fpExtract(t, fpArticle(fpCrumb, title, table))
	want := strings.Join([]string{fpP[0], q[0], fpP[1], q[1], fpP[2], q[2]}, "\n\n")
	if doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
}

// 12. The last picture of a report and its caption naming two leaders
// ("Đồng chí Đỗ Trọng Hưng và đồng chí Lại Thế Nguyên"): a caption, not
// a byline with two authors.
func TestLastCaptionTwoLeaders(t *testing.T) {
	title := "Hội nghị quán triệt Nghị quyết Trung ương 10 khóa XIII"
	caption := "Đồng chí Đỗ Trọng Hưng và đồng chí Lại Thế Nguyên"
	content := fpParas(fpP...) + `<p style="text-align: center;"><img src="/uploads/2024/11/hoi-nghi-3.jpg" width="600" height="400" alt=""></p>
<p style="text-align: center;"><em>` + caption + `</em></p>`
	doc := fpExtract(t, fpArticle(fpCrumb, title, content))
	if doc.Author != "" || doc.AuthorName != "" {
		t.Errorf("author %q (name %q), want none", doc.Author, doc.AuthorName)
	}
	if len(doc.Images) != 1 || doc.Images[0].Caption != caption {
		t.Errorf("images %+v, want one captioned %q", doc.Images, caption)
	}
}

// 13. The lead picture printed between the title and the text, outside
// the content, with its caption or credit labelled "Ảnh:": neither the
// caption nor the photographer is the author.
func TestLeadPhotoCreditIsNoAuthor(t *testing.T) {
	title := "Hội nghị quán triệt Nghị quyết Trung ương 10 khóa XIII"
	for _, credit := range []string{"Ảnh: Quang cảnh hội nghị", "Ảnh: Lê Hợi"} {
		main := fpCrumb + "\n<h1 class=\"title\">" + title + "</h1>\n<div class=\"date\">Thứ Ba, 05/11/2024 08:30</div>\n" +
			`<div class="anh-dai-dien"><img src="/uploads/2024/11/hoi-nghi.jpg" width="600" height="400" alt=""><div>` + credit + `</div></div>` +
			"\n<div class=\"content\">\n" + fpParas(fpP...) + "\n</div>\n"
		doc := fpExtract(t, fpPage(title+" - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", main))
		if doc.Author != "" {
			t.Errorf("%s: author %q, want none", credit, doc.Author)
		}
	}
}
