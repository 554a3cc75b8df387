package extract

import (
	"fmt"
	"strings"
	"testing"
)

// These tests come from a review of the extraction rules added since
// 4546b7f (title by the address's slug, head meta boxes, a document's
// table of properties as the content, more generic headings, a <title>
// whose last part starts with a digit, letter words for the page kind,
// scripted links), looking for pages they took wrongly. Each test's
// comment tells what happened before its fix: a head box drops only label
// lines and only when all its lines are labels (labelLine); a table of
// properties is the content only when the content is next to nothing or
// the footer, and never a sidebar's or one above the title; a <title>'s
// last part starting with a digit is kept unless the page names its site
// so; a table of figures under a header of words counts as text.

const extRuleSapo = "Hơn 300 đảng viên dự hội nghị trực tuyến tại 45 điểm cầu trong tỉnh."

// 1. A real sapo of a dozen words printed in the article's info box with
// the date (<div class="article-info"><span class="date">…</span><h2
// class="sapo">…</h2></div>): the sapo is the article's lead, not a
// label about it. headMetaBox drops it, as the box holds none of the
// long paragraphs after it.
func TestExtRuleSapoInArticleInfoKept(t *testing.T) {
	main := fpCrumb + `
<h1 class="title">Đảng ủy Khối tổ chức hội nghị quán triệt Nghị quyết Trung ương 10</h1>
<div class="article-info"><span class="date">Thứ Ba, 05/11/2024 08:30</span>
<h2 class="sapo">` + extRuleSapo + `</h2></div>
<div class="content">` + fpParas(fpP...) + `</div>`
	doc := fpExtract(t, fpPage("Đảng ủy Khối tổ chức hội nghị quán triệt Nghị quyết Trung ương 10 - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", main))
	if !strings.HasPrefix(doc.Body, extRuleSapo) {
		t.Errorf("the sapo is lost: body = %q", fpShow(doc.Body))
	}
	if doc.Published != "2024-11-05T08:30:00+07:00" {
		t.Errorf("published = %q", doc.Published)
	}
}

// 2. A short notice whose lines (each under 20 words) are printed in a
// div.news-info that wraps the whole text: the box is the text, but
// since it holds no paragraph of 20 words, headMetaBox takes its first
// lines for labels and drops them; only the last line is left.
func TestExtRuleShortNoticeInNewsInfoKept(t *testing.T) {
	lines := []string{
		"Địa điểm: Trụ sở Tiếp công dân tỉnh, số 35 Hà Văn Mao.",
		"Người tiếp: đồng chí Phó Bí thư Thường trực Đảng ủy Khối.",
		"Nội dung: tiếp nhận kiến nghị, phản ánh của đảng viên và nhân dân.",
		"Đề nghị các cơ quan, đơn vị thông báo rộng rãi để công dân biết.",
	}
	main := fpCrumb + `
<h1 class="title">Thông báo lịch tiếp công dân tháng 11 năm 2024</h1>
<div class="news-info">
<div class="date">Thứ Ba, 05/11/2024 08:30</div>
` + fpParas(lines...) + `</div>`
	doc := fpExtract(t, fpPage("Thông báo lịch tiếp công dân tháng 11 năm 2024 - Đảng ủy Khối các cơ quan tỉnh Thanh Hóa", main))
	for _, l := range lines {
		if !strings.Contains(doc.Body, l) {
			t.Errorf("line %q of the notice is lost: body = %q", l, doc.Body)
		}
	}
}

const extRuleDocRows = `<tr><td>Số ký hiệu</td><td>1234/QĐ-UBND</td></tr>
<tr><td>Ngày ban hành</td><td>01/11/2024</td></tr>
<tr><td>Loại văn bản</td><td>Quyết định</td></tr>
<tr><td>Cơ quan ban hành</td><td>UBND tỉnh Thanh Hóa</td></tr>
<tr><td>Người ký</td><td>Nguyễn Văn A</td></tr>
<tr><td>Trích yếu</td><td>Về việc phê duyệt kế hoạch chuyển đổi số năm 2025</td></tr>`

// 3. A short dated notice (under 400 runes) on a portal whose left
// column shows the newest document as a label | value table ("Văn bản
// mới"): propertiesTable takes the first such table anywhere in the
// page, so the sidebar's table replaces the notice's text and its "Ngày
// ban hành" becomes the notice's date.
func TestExtRuleSidebarDocumentTableNotContent(t *testing.T) {
	text := []string{
		"Sở Nội vụ thông báo cán bộ, công chức được nghỉ Tết Nguyên đán Ất Tỵ từ ngày 25/01/2025 đến hết ngày 02/02/2025.",
		"Các phòng bố trí người trực theo quy định.",
	}
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Thông báo lịch nghỉ Tết Nguyên đán Ất Tỵ 2025 - Sở Nội vụ</title></head><body>
<div id="menu"><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức</a> <a href="/van-ban">Văn bản</a></div>
<div class="left"><div class="box"><div class="box-title">Văn bản mới</div><table>` + extRuleDocRows + `</table></div></div>
<div class="main"><div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/tin-tuc">Tin tức</a></div>
<h1 class="title">Thông báo lịch nghỉ Tết Nguyên đán Ất Tỵ 2025</h1><div class="date">05/01/2025</div>
<div class="content"><p>` + text[0] + `</p><p>` + text[1] + `</p></div></div>
<div id="footer">Sở Nội vụ tỉnh Thanh Hóa</div></body></html>`
	doc := rvExtract(t, "https://snv.thanhhoa.gov.vn/tin-tuc/thong-bao-lich-nghi-tet-nguyen-dan-at-ty-2025.html", page)
	if want := strings.Join(text, "\n\n"); doc.Body != want {
		t.Errorf("body = %q, want the notice's text %q", doc.Body, want)
	}
	if doc.Published != "2025-01-05" {
		t.Errorf("published = %q, want 2025-01-05 (the notice's date, not the sidebar document's)", doc.Published)
	}
}

// 4. "X - 24h": a site whose name starts with a digit, named as such by
// og:site_name too. The new exception in headTitle ("nhiệm kỳ 2025 -
// 2030" goes on) keeps the site's name in the title of a page without a
// heading.
func TestExtRuleHeadTitleSiteNameWithDigit(t *testing.T) {
	const want = "Giá vàng hôm nay 5/11 tiếp tục tăng mạnh"
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + want + ` - 24h</title><meta property="og:site_name" content="24h"></head><body>
<div id="menu"><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức</a></div>
<div class="content">` + fpParas(fpP...) + `</div></body></html>`
	doc := rvExtract(t, "https://www.24h.com.vn/gia-vang/gia-vang-hom-nay-5-11-tiep-tuc-tang-manh-c425a1234.html", page)
	if doc.Title != want {
		t.Errorf("title = %q, want %q", doc.Title, want)
	}
}

// 5. A static page that is a table of figures ("Dân số tỉnh qua các
// năm": a header row and ten rows of numbers): real content, but
// letterWords counts only the header's words, so the page falls to
// "other" (empty pages, forms).
func TestExtRuleFiguresTableIsContent(t *testing.T) {
	rows := ""
	for y := 2015; y <= 2024; y++ {
		rows += fmt.Sprintf("<tr><td>%d</td><td>3.%03d.128</td><td>1,%d</td><td>%d,%d</td></tr>\n", y, y%1000, y%10, 35+y%5, y%10)
	}
	main := `<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/gioi-thieu">Giới thiệu</a></div>
<h1 class="title">Dân số tỉnh qua các năm</h1>
<div class="content"><table><tr><th>Năm</th><th>Dân số (người)</th><th>Tỷ lệ tăng (%)</th><th>Thành thị (%)</th></tr>
` + rows + `</table></div>`
	doc := rvExtract(t, "https://danguykhoi.thanhhoa.gov.vn/gioi-thieu/dan-so-tinh-qua-cac-nam.html", fpPage("Dân số tỉnh qua các năm", main))
	if doc.Kind == KindOther || doc.Kind == KindListing {
		t.Errorf("kind = %s, want a page of content (page or article); body = %q", doc.Kind, fpShow(doc.Body))
	}
	if !strings.Contains(doc.Body, "2024") {
		t.Errorf("body lost the figures: %q", fpShow(doc.Body))
	}
}
