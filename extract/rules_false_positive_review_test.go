package extract

import (
	"fmt"
	"strings"
	"testing"
)

// These tests come from a review of the rules of fd00c54 (a block wrapped
// in a link is a card; a list item holding an image is a figure; a
// heading in a small form loses; a metadata offset relabelled by a printed
// GMT+7; "loading"/"đang tải" lines are widgets), looking for real
// article content they lose on other pages. Each passes at fd00c54^ and
// failed at fd00c54: each test's comment tells what was lost before the
// rules were narrowed (a card is a link to another page of the site; a
// gallery is a list named so; a form's heading loses only when the page
// prints it outside the form too; "loading" is a whole line).

const zrTitle = "Đảng ủy Khối tổ chức Hội nghị sơ kết công tác xây dựng Đảng 9 tháng năm 2024"

// zrMissing reports the paragraphs of want missing from body.
func zrMissing(body string, want ...string) []string {
	var miss []string
	paras := strings.Split(body, "\n\n")
	for _, w := range want {
		found := false
		for _, p := range paras {
			if p == w {
				found = true
				break
			}
		}
		if !found {
			miss = append(miss, w)
		}
	}
	return miss
}

// A photo report whose pictures open in a lightbox: each picture and its
// caption sit in an <a href="full-size.jpg" class="fancybox"> (a common
// jQuery-fancybox gallery markup of WordPress/custom PHP themes), between
// the paragraphs. Every caption is now a "card" (a paragraph inside a link,
// all of it link text), and five of them count as five headline links: the
// page is taken for a listing and its body is empty (observed: Kind
// "listing", Body ""; expected: an article with the paragraphs and the
// captions, each picture captioned). Rule 1 (content.go inLink/card,
// fields.go case b.card).
func TestLightboxGalleryCaptionsAreNoCards(t *testing.T) {
	caps := []string{
		"Đồng chí Bí thư Đảng ủy Khối phát biểu chỉ đạo hội nghị.",
		"Các đại biểu tham dự hội nghị tại điểm cầu chính.",
		"Đại diện các tổ chức cơ sở đảng tham luận tại hội nghị.",
		"Lãnh đạo Đảng ủy Khối trao Giấy khen cho các tập thể.",
		"Quang cảnh hội nghị sơ kết tại hội trường Đảng ủy Khối.",
	}
	g := ""
	for i, c := range caps {
		g += fmt.Sprintf(`<a href="/uploads/2024/11/hoi-nghi-%d.jpg" class="fancybox" data-fancybox="gallery"><div class="item"><img src="/uploads/2024/11/thumb-hoi-nghi-%d.jpg" alt=""><p class="caption">%s</p></div></a>`+"\n", i, i, c)
	}
	doc := fpExtract(t, fpArticle(fpCrumb, zrTitle, fpParas(fpP[0])+g+fpParas(fpP[1:]...)))
	if doc.Kind != KindArticle {
		t.Errorf("kind %q, want article", doc.Kind)
	}
	if miss := zrMissing(doc.Body, append(append([]string{}, fpP...), caps...)...); len(miss) > 0 {
		t.Errorf("body misses %q\n body %q", miss, fpShow(doc.Body))
	}
	if len(doc.Images) != len(caps) {
		t.Fatalf("images %+v", doc.Images)
	}
	for i, im := range doc.Images {
		if im.Caption != caps[i] {
			t.Errorf("image %d caption %q, want %q", i, im.Caption, caps[i])
		}
	}
}

// The same lightbox with HTML5 figures (<a data-lightbox><figure><img>
// <figcaption>…</figcaption></figure></a>): the figcaptions are cards,
// dropped, and the pictures lose their captions (observed: Caption "";
// expected: the figcaption). Rule 1.
func TestLightboxFigureCaptionsAreNoCards(t *testing.T) {
	caps := []string{"Đồng chí Bí thư Đảng ủy Khối phát biểu chỉ đạo hội nghị.", "Các đại biểu tham dự hội nghị tại điểm cầu chính."}
	fig := ""
	for i, c := range caps {
		fig += fmt.Sprintf(`<a href="/uploads/2024/11/anh-%d.jpg" data-lightbox="bai-viet"><figure class="image"><img src="/uploads/2024/11/anh-%d-w600.jpg" alt=""><figcaption>%s</figcaption></figure></a>`+"\n", i, i, c)
	}
	doc := fpExtract(t, fpArticle(fpCrumb, zrTitle, fpParas(fpP[0])+fig+fpParas(fpP[1:]...)))
	if len(doc.Images) != len(caps) {
		t.Fatalf("images %+v", doc.Images)
	}
	for i, im := range doc.Images {
		if im.Caption != caps[i] {
			t.Errorf("image %d caption %q, want %q", i, im.Caption, caps[i])
		}
	}
}

// A party committee's article ends with the document it announces, the
// whole paragraph a link to the PDF (<a href="….pdf"><p>Kế hoạch số …</p>
// </a>, as a DNN HTML module's editor leaves it). The paragraph is a
// "card" and leaves the body, though it names the document the article
// is about (observed: body ends at the third paragraph; expected: the
// document's line last). Rule 1.
func TestParagraphLinkedToAttachedDocument(t *testing.T) {
	line := "Kế hoạch số 45-KH/ĐUK ngày 05/11/2024 của Ban Thường vụ Đảng ủy Khối về tổ chức các hoạt động kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2025)"
	content := fpParas(fpP...) + `<a href="/Portals/0/VanBan/2024/KH-45-KH-DUK.pdf" target="_blank"><p>` + line + `</p></a>`
	doc := fpExtract(t, fpArticle(fpCrumb, zrTitle, content))
	if miss := zrMissing(doc.Body, append(append([]string{}, fpP...), line)...); len(miss) > 0 {
		t.Errorf("body misses %q\n body %q", miss, fpShow(doc.Body))
	}
}

// A news template that reuses its listing partial for the lead: the sapo
// is a link to the article itself (<a href="this page"><div class="sapo">
// …</div></a>). The lead is a "card" and is dropped (observed: body
// starts with the first paragraph; expected: the lead first, as doc.go
// says the lead is part of the body). Rule 1.
func TestLeadWrappedInLinkToItself(t *testing.T) {
	lead := "Ngày 05/11, Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị sơ kết công tác xây dựng Đảng 9 tháng, triển khai nhiệm vụ trọng tâm 3 tháng cuối năm 2024."
	content := `<a href="` + fpURL + `"><div class="sapo">` + lead + `</div></a>` + fpParas(fpP...)
	doc := fpExtract(t, fpArticle(fpCrumb, zrTitle, content))
	if want := strings.Join(append([]string{lead}, fpP...), "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
}

// An article lists the party members awarded the 50-year badge, each
// item a portrait, the name and the cell (<ul><li><img><p>Đồng chí …</p>
// <p>Đảng viên Chi bộ …</p></li>…). The items are now loose paragraphs,
// so the last one, a name alone, is read as the byline at the tail:
// observed Author "Đồng chí Trịnh Xuân Bình" and the name gone from the
// body; expected no author and every member in the body. Rule 2 (list():
// an <li> with an image is emitted as figure blocks).
func TestPortraitListLastNameIsNoByline(t *testing.T) {
	list := `<p>Danh sách đảng viên được trao Huy hiệu 50 năm tuổi Đảng đợt này:</p><ul class="ds-dangvien">
<li><img src="/uploads/2024/11/dv-1.jpg" alt=""><p>Đồng chí Lê Văn Thành</p><p>Đảng viên Chi bộ Sở Tài chính</p></li>
<li><img src="/uploads/2024/11/dv-2.jpg" alt=""><p>Đồng chí Nguyễn Thị Hoa</p><p>Đảng viên Chi bộ Sở Y tế</p></li>
<li><img src="/uploads/2024/11/dv-3.jpg" alt=""><p>Đồng chí Trịnh Xuân Bình</p></li>
</ul>`
	doc := fpExtract(t, fpArticle(fpCrumb, "Trao Huy hiệu Đảng cho đảng viên Đảng bộ Khối các cơ quan tỉnh", fpParas(fpP...)+list))
	if doc.Author != "" {
		t.Errorf("author %q, want none", doc.Author)
	}
	if !strings.Contains(doc.Body, "Trịnh Xuân Bình") {
		t.Errorf("body lost the last member: %q", rvTail(doc.Body))
	}
}

// A hotline article lists its channels, each with its icon (CSS-sized,
// no width attribute): <li><img src="icon-email.png"> Email: …</li>.
// As loose paragraphs the "Email: …", "Zalo: …", "Facebook: …" items are
// taken for share widgets and dropped (observed: only "Điện thoại: …"
// left; expected: all four channels). Rule 2, with widgetRe.
func TestIconListItemsAreNoWidgets(t *testing.T) {
	items := []string{
		"Điện thoại: 069.2610.225",
		"Email: duongdaynong@congan.thanhhoa.gov.vn",
		"Zalo: 0912.345.678 (Trực ban Công an tỉnh)",
		"Facebook: Công an tỉnh Thanh Hóa",
	}
	icons := []string{"phone", "email", "zalo", "facebook"}
	list := `<p>Người dân có thể phản ánh qua các kênh sau:</p><ul class="kenh-lien-he">`
	for i, it := range items {
		list += `<li><img src="/uploads/images/icon-` + icons[i] + `.png" alt=""> ` + it + `</li>`
	}
	list += `</ul>`
	last := "Mọi phản ánh của người dân sẽ được tiếp nhận, xử lý kịp thời, đúng quy định của pháp luật và giữ bí mật thông tin về người phản ánh."
	doc := fpExtract(t, fpArticle(fpCrumb, "Công an tỉnh công bố đường dây nóng tiếp nhận phản ánh của người dân", fpParas(fpP...)+list+fpParas(last)))
	if miss := zrMissing(doc.Body, append(items, last)...); len(miss) > 0 {
		t.Errorf("body misses %q\n body %q", miss, rvTail(doc.Body))
	}
}

// A timeline of milestones with a photo each (<li><img><p>15/10/1990</p>
// <p>Thành lập …</p></li>): the date of a milestone is now a paragraph
// alone, a "date line" in the last blocks, and is dropped, so the body
// says what happened but not when (observed: "15/10/1990" missing;
// expected: both milestones with their dates). Rule 2.
func TestTimelineListKeepsItsDates(t *testing.T) {
	list := `<p>Những mốc son của Đảng bộ Khối:</p><ul class="timeline">
<li><img src="/uploads/2024/11/moc-1.jpg" alt=""><p>15/10/1990</p><p>Thành lập Đảng bộ Khối các cơ quan tỉnh theo Quyết định của Ban Thường vụ Tỉnh ủy.</p></li>
<li><img src="/uploads/2024/11/moc-2.jpg" alt=""><p>20/7/2005</p><p>Đảng bộ Khối được tặng thưởng Huân chương Lao động hạng Nhất.</p></li>
</ul>`
	doc := fpExtract(t, fpArticle(fpCrumb, "Đảng bộ Khối các cơ quan tỉnh 34 năm xây dựng và trưởng thành", fpParas(fpP...)+list))
	for _, d := range []string{"15/10/1990", "20/7/2005"} {
		if !strings.Contains(doc.Body, d) {
			t.Errorf("body lost %q: %q", d, rvTail(doc.Body))
		}
	}
}

// An old custom-PHP (or ASP.NET with the chrome outside its form) detail
// page whose comment form wraps the whole article: <form name=
// "frmComment"> title, date, text, "Ý kiến bạn đọc" box </form>, in a
// site whose <title> is only the site's name. The form holds less than
// half the page's nodes, so the title heading loses 5 points and the
// site's name wins; the date, looked for near the title, goes with it
// (observed: Title "Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", Published
// ""; expected: the heading and 2024-11-05T08:30). Rule 3 (findTitle).
func TestTitleInCommentFormAroundTheArticle(t *testing.T) {
	comment := `<div class="comment"><div class="box-title">Ý kiến bạn đọc</div>Họ tên: <input type="text" name="hoten"> Email: <input type="text" name="email"><br><textarea name="noidung"></textarea><br><input type="submit" value="Gửi ý kiến"></div>`
	for _, c := range []struct{ name, form, heading string }{
		{"php h2", `<form name="frmComment" method="post" action="/binh-luan.php?id=1234">`, `<h2>` + zrTitle + `</h2>`},
		{"php div.title", `<form name="frmComment" method="post" action="/binh-luan.php?id=1234">`, `<div class="title">` + zrTitle + `</div>`},
		{"aspnet h3", `<form name="aspnetForm" method="post" action="./ChiTiet.aspx?id=1234" id="aspnetForm">`, `<h3 class="news-title">` + zrTitle + `</h3>`},
	} {
		main := c.form + c.heading + `<div class="date">Thứ Ba, 05/11/2024 08:30</div><div class="content">` + fpParas(fpP...) + `</div>` + comment + `</form>`
		doc := fpExtract(t, fpPage("Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", main))
		if doc.Title != zrTitle {
			t.Errorf("%s: title %q", c.name, doc.Title)
		}
		if doc.Published != "2024-11-05T08:30:00+07:00" {
			t.Errorf("%s: published %q", c.name, doc.Published)
		}
	}
}

// "Đăng tải" (to post, publish) folds to "dang tai", the new widget word
// for "đang tải" (loading), and so does "đang tại" (while serving in):
// a bold sub-heading "Đăng tải toàn văn dự thảo …:" over the draft's
// download link on a government portal, a
// sub-heading of an article on fake news, and a short paragraph "Đang tại
// ngũ, …" (any line of 12 words or fewer) are dropped as widgets
// (observed: missing from the body; expected: kept). Rule 5 (widgetRe).
func TestDangTaiIsNoLoadingWidget(t *testing.T) {
	for _, c := range []struct{ name, title, content, want string }{
		{"draft heading", "Lấy ý kiến nhân dân về dự thảo Nghị quyết sửa đổi, bổ sung Hiến pháp năm 2013",
			fpParas(fpP...) + `<p><strong>Đăng tải toàn văn dự thảo sửa đổi Hiến pháp:</strong></p><p><a href="/Portals/0/du-thao-sua-doi-hien-phap.pdf">Tải về tại đây</a></p>`,
			"Đăng tải toàn văn dự thảo sửa đổi Hiến pháp:"},
		{"fake news sub-heading", "Xử phạt nhiều trường hợp đăng tải thông tin sai sự thật trên mạng xã hội",
			fpParas(fpP[0]) + `<h3>Đăng tải thông tin sai sự thật, bị phạt 7,5 triệu đồng</h3>` + fpParas(fpP[1:]...),
			"Đăng tải thông tin sai sự thật, bị phạt 7,5 triệu đồng"},
		{"short paragraph", "Kết nạp đảng viên là quân nhân đang tại ngũ",
			fpParas(fpP[0], "Đang tại ngũ, anh Lê Văn Nam được kết nạp vào Đảng.") + fpParas(fpP[1:]...),
			"Đang tại ngũ, anh Lê Văn Nam được kết nạp vào Đảng."},
	} {
		doc := fpExtract(t, fpArticle(fpCrumb, c.title, c.content))
		if miss := zrMissing(doc.Body, c.want); len(miss) > 0 {
			t.Errorf("%s: body misses %q\n body %q", c.name, miss, rvTail(doc.Body))
		}
	}
}

// A long report whose table of contents jumps to named anchors wrapped
// around its section headings (<a name="phan1"><h3>I. Kết quả đạt được
// </h3></a>, as Dreamweaver/FrontPage "named anchors" and old editors leave
// them): an <a> without href is no link, but inLink now counts the text of
// every block inside any <a> as link text, so the headings are 100 % "link"
// and the link-density filter (≤ 25 words) drops them (observed: the
// section headings missing; expected: kept). Rule 1 (content.go: inLink
// counts <a> without href).
func TestNamedAnchorAroundHeadingIsNoLink(t *testing.T) {
	h1, h2 := "I. Kết quả đạt được", "1. Về công tác chính trị, tư tưởng"
	content := fpParas(fpP[0]) + `<a name="phan1"><h3>` + h1 + `</h3></a>` + `<a name="_Toc153"><p><strong>` + h2 + `</strong></p></a>` + fpParas(fpP[1:]...)
	doc := fpExtract(t, fpArticle(fpCrumb, "Báo cáo sơ kết công tác xây dựng Đảng 9 tháng năm 2024", content))
	if miss := zrMissing(doc.Body, h1, h2); len(miss) > 0 {
		t.Errorf("body misses %q", miss)
	}
}
