package extract

import (
	"slices"
	"strings"
	"testing"
)

// Detail pages of the CMSs behind provincial sites, reduced to the shape
// that matters (the whole pages are in testdata/cmsreview).

// A section's heading that wins on markup (an <h2>, the <title>, the
// breadcrumb's last item) gives way to the article's title in a plain
// span when the address's slug is that title's words.
func TestSlugTitleOverSectionHeading(t *testing.T) {
	title := "Hội nghị tập huấn nghiệp vụ hộ tịch cho công chức cấp xã năm 2020"
	main := `<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/tin-tuc">Tin tức</a> / <a href="/tin-tuc/tin-hoat-dong">Tin hoạt động</a></div>
<div class="module"><h2 class="c_title">Tin hoạt động</h2>
<div class="news-view"><span class="news_title">` + title + `</span><br><span class="news_date">Cập nhật lúc 15:30, 12/06/2020</span>
<div class="Normal">` + fpParas(fpP...) + `</div></div></div>`
	page := fpPage("Tin hoạt động - Sở Tư pháp tỉnh Thanh Hóa", main)
	doc := rvExtract(t, "https://stp.thanhhoa.gov.vn/tin-tuc/tin-hoat-dong/ArticleID/2135/Hoi-nghi-tap-huan-nghiep-vu-ho-tich-cho-cong-chuc-cap-xa-nam-2020", page)
	if doc.Title != title {
		t.Errorf("title %q, want %q", doc.Title, title)
	}
	if !slices.Contains(doc.Breadcrumb, "Tin hoạt động") {
		t.Errorf("breadcrumb %q lost the section", doc.Breadcrumb)
	}
}

// An address whose last part names the category (the article's id in the
// query) does not displace the article's heading with the category's.
func TestCategorySlugKeepsArticleHeading(t *testing.T) {
	title := "Chi bộ Sở Tài chính tổ chức sinh hoạt chuyên đề quý IV năm 2024"
	main := `<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/hoat-dong-cac-to-chuc-co-so-dang">Hoạt động các tổ chức cơ sở đảng</a></div>
<h2 class="title">Hoạt động các tổ chức cơ sở đảng</h2>
<h1 class="title">` + title + `</h1><div class="date">05/11/2024</div>
<div class="content">` + fpParas(fpP...) + `</div>`
	doc := rvExtract(t, "https://danguykhoi.thanhhoa.gov.vn/hoat-dong-cac-to-chuc-co-so-dang?id=55", fpPage(title+" - Đảng ủy Khối", main))
	if doc.Title != title {
		t.Errorf("title %q, want %q", doc.Title, title)
	}
}

// A <title> ending in a range of years keeps it: "2025 - 2030" is no site
// name after a separator.
func TestHeadTitleEndingInYearRange(t *testing.T) {
	title := "Nghị quyết Đại hội Đảng bộ Khối lần thứ VII, nhiệm kỳ 2025 - 2030"
	main := `<div class="content">` + fpParas(fpP...) + `</div>`
	doc := fpExtract(t, fpPage(title, main))
	if doc.Title != title {
		t.Errorf("title %q, want %q", doc.Title, title)
	}
}

// A box of labels above the text (Joomla's dl.article-info: "Chi tiết",
// "Danh mục: …", "Ngày đăng: …", "Lượt xem: …"; its <time> draws the
// content's choice up to the box) is not text; a wrapper of the text that
// is also called "…-info" keeps its short lines.
func TestHeadMetaBoxLabels(t *testing.T) {
	title := "Hội Nông dân tỉnh tập huấn kỹ năng tuyên truyền về chuyển đổi số trong nông nghiệp"
	box := `<dl class="article-info muted"><dt class="article-info-term">Chi tiết</dt>
<dd class="category-name">Danh mục: <a href="/tin-tuc/hoat-dong-hoi">Hoạt động Hội</a></dd>
<dd class="published"><time datetime="2023-09-21T08:15:32+07:00" itemprop="datePublished">Ngày đăng: 21 Tháng 9 2023</time></dd>
<dd class="hits">Lượt xem: 1287</dd></dl>`
	main := `<div class="item-page" itemscope itemtype="https://schema.org/Article"><h1 class="title">` + title + `</h1>` + box + `<div itemprop="articleBody">` + fpParas(fpP...) + `</div></div>`
	doc := fpExtract(t, fpPage(title, main))
	for _, label := range []string{"Chi tiết", "Danh mục", "Ngày đăng", "Lượt xem"} {
		if strings.Contains(doc.Body, label) {
			t.Errorf("body keeps %q: %q", label, fpShow(doc.Body))
		}
	}
	if !strings.HasPrefix(doc.Body, fpP[0]) {
		t.Errorf("body %q, want it to start with the first paragraph", fpShow(doc.Body))
	}

	short := "Phóng viên ghi nhận tại hội nghị."
	wrapped := `<h1 class="title">` + title + `</h1><div class="date">21/09/2023</div><div class="news-info"><p>` + short + `</p>` + fpParas(fpP...) + `</div>`
	doc = fpExtract(t, fpPage(title, wrapped))
	if !strings.Contains(doc.Body, short) {
		t.Errorf("a short line of a text wrapped in news-info was dropped: %q", fpShow(doc.Body))
	}
}

// A document's page whose text is its table of properties: the table is
// the body, its date of issue the date, its file an attachment; the box
// heading "Chi tiết văn bản" names no document. A table of other
// documents (three columns, links) is never taken for it.
func TestDocumentPropertiesTable(t *testing.T) {
	name := "Kế hoạch số 124-KH/ĐUK tổ chức đại hội đảng bộ cơ sở nhiệm kỳ 2025 - 2030"
	main := `<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/van-ban">Văn bản</a></div>
<div class="title-box"><h2>Chi tiết văn bản</h2></div>
<table class="table-vanban"><tr><td>Số ký hiệu</td><td>124-KH/ĐUK</td></tr>
<tr><td>Ngày ban hành</td><td>08/03/2024</td></tr>
<tr><td>Loại văn bản</td><td>Kế hoạch</td></tr>
<tr><td>Trích yếu</td><td>Kế hoạch tổ chức đại hội đảng bộ cơ sở nhiệm kỳ 2025 - 2030</td></tr>
<tr><td>Tệp đính kèm</td><td><a href="/Uploads/VanBan/124-KH-DUK.pdf">124-KH-DUK.pdf</a></td></tr></table>
<div class="title-box"><h2>Văn bản khác</h2></div>
<table><tr><th>Số ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th></tr>
<tr><td>123-HD/ĐUK</td><td>05/03/2024</td><td><a href="/van-ban/123-hd-duk-811">Hướng dẫn công tác nhân sự cấp ủy nhiệm kỳ 2025 - 2030</a></td></tr></table>`
	doc := rvExtract(t, "https://danguykhoi.thanhhoa.gov.vn/van-ban/124-kh-duk-812", fpPage(name, main))
	if doc.Title != name {
		t.Errorf("title %q, want %q", doc.Title, name)
	}
	if !strings.Contains(doc.Body, "Trích yếu | Kế hoạch tổ chức đại hội") || strings.Contains(doc.Body, "123-HD") {
		t.Errorf("body %q, want the table of properties only", doc.Body)
	}
	if !strings.HasPrefix(doc.Published, "2024-03-08") {
		t.Errorf("date %q, want 2024-03-08", doc.Published)
	}
	if len(doc.Attachments) != 1 || !strings.HasSuffix(doc.Attachments[0].URL, "/Uploads/VanBan/124-KH-DUK.pdf") {
		t.Errorf("attachments %v, want the PDF", doc.Attachments)
	}
	if doc.Kind != KindArticle {
		t.Errorf("kind %q, want article", doc.Kind)
	}
}
