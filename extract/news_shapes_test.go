package extract

import (
	"strings"
	"testing"
)

// Shapes of news pages met in the real-world set (tuoitre-2, hanoimoi-1)
// and written here as pages of our own; each comment says what went
// wrong before the fix.

var nsP = []string{
	"Ngày 22-3, Chủ tịch UBND tỉnh đã quyết định thành lập đoàn thanh tra liên ngành thanh tra toàn diện việc chặt hạ, thay thế cây xanh trên các tuyến phố trong thời gian gần đây.",
	"Theo quyết định, đoàn thanh tra có lãnh đạo Công an tỉnh, Sở Tài chính, Sở Xây dựng và đại diện Ủy ban kiểm tra Tỉnh ủy; chậm nhất trong 30 ngày phải báo cáo kết quả cho UBND tỉnh.",
	"Trao đổi với phóng viên, lãnh đạo Sở Xây dựng cho biết đơn vị sẽ phối hợp chặt chẽ với đoàn thanh tra và nghiêm túc kiểm điểm những thiếu sót trong quá trình thực hiện.",
}

const nsSapo = "Trao đổi với báo chí, ông Hoàng Nam Sơn, phó giám đốc Sở Xây dựng nói \"chúng tôi sẽ kiểm điểm nghiêm túc\" trước những ý kiến của người dân."

// A title wrapped in a link that leads nowhere (`javascript:;`) lost to a
// heading of the same words in the "send to a friend" box at the bottom:
// the lead between the real title and the text was then dropped, and with
// the real title found, the readers'-details popup after the text was
// taken as more of the article.
func TestTitleInSelfLinkKeepsLead(t *testing.T) {
	title := "Thanh tra vụ chặt cây xanh trong 30 ngày"
	main := `<div class="block-feature"><h1 class="title-2"><a id="object_title" href="javascript:;">` + title + ` </a></h1>
<div class="tool-bar"><span class="date">23/03/2015 08:06 GMT+7</span><ul class="list-tool"><li><a href="https://www.facebook.com/sharer/sharer.php?u=x" title="Facebook">f</a></li></ul></div>
<p class="txt-head">` + nsSapo + `</p></div>
<div class="left-side"><div class="fck">` + fpParas(nsP...) + `<p><strong>XUÂN LONG</strong></p></div>
<div class="wrapPopup" id="infoForm"><div class="popup"><header><h1>Thông tin bạn đọc</h1></header>
<form method="POST" action="/comment/send"><ul>
<li><label for="cm-email">Email (*)</label><input type="text" id="cm-email"><p class="warning">Vui lòng nhập email. Email không đúng định dạng, xin nhập lại.</p></li>
<li><label for="cm-name">Họ &amp; tên (*)</label><input type="text" id="cm-name"><p class="warning">Vui lòng nhập Họ &amp; Tên của bạn đọc gửi ý kiến.</p></li>
<li><p>Phần có gắn (*) là thông tin bắt buộc nhập trước khi gửi ý kiến của bạn.</p></li></ul></form></div></div>
</div>
<div class="sendmail"><h2 class="title-post" title="` + title + `">` + title + `</h2><form><input type="text" name="to"><textarea></textarea></form></div>`
	doc := fpExtract(t, fpPage(title+" - Chính trị - Xã hội - Báo Tỉnh", main))
	if doc.Title != title {
		t.Errorf("title %q", doc.Title)
	}
	want := strings.Join(append([]string{nsSapo}, nsP...), "\n\n")
	if doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
}

// A heading in a link to another article is still a headline, not this
// page's title.
func TestTitleLinkingElsewhereIsNotTheTitle(t *testing.T) {
	title := "Thanh tra vụ chặt cây xanh trong 30 ngày"
	main := `<h1 class="title"><a href="/tin-tuc/xay-dung-dang/bai-khac-99.html">Một bài viết khác của chuyên mục</a></h1>
<h2 class="title">` + title + `</h2><div class="content">` + fpParas(nsP...) + `</div>`
	doc := fpExtract(t, fpPage(title+" - Báo Tỉnh", main))
	if doc.Title != title {
		t.Errorf("title %q", doc.Title)
	}
}

// A title printed in two parts set apart by style only (two block spans,
// no space between them) ran together ("Phường Hai Bà Trưng:Mong …"); the
// page's metadata names the same words with their space.
func TestTitleInStyledParts(t *testing.T) {
	title := "Phường Hai Bà Trưng: Mong sớm đưa khu “đất vàng” vào sử dụng"
	main := fpCrumb + `<h1 class="sc-longform-header-title"><span class="sub">Phường Hai Bà Trưng:</span><span class="sub">Mong sớm đưa khu “đất vàng” vào sử dụng</span></h1>
<div class="content">` + fpParas(nsP...) + `</div>`
	head := `<meta property="og:title" content="` + title + `">`
	doc := fpExtract(t, pageIn(fpChrome, title, head+main))
	if doc.Title != title {
		t.Errorf("title %q, want %q", doc.Title, title)
	}
}

// Breadcrumbs whose separators are pictures or icon fonts: with no space
// around them the items ran together ("Xây dựng ĐảngHội nghị…", taken
// whole for the category); in an element called "path" with a home icon
// and icon separators no breadcrumb was found.
func TestBreadcrumbPictureSeparators(t *testing.T) {
	title := "Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 20"
	for _, c := range []struct {
		crumb string
		want  []string
	}{
		{`<div class="breadcrumb"><a href="/"><img src="/images/home.png" alt=""></a> <img src="/images/arrow.gif" alt=""> <a href="/tin-tuc/xay-dung-dang">Xây dựng Đảng</a></div>`,
			[]string{"Xây dựng Đảng"}},
		{`<div class="breadcrumb"><a href="/"><img src="/images/home.png" alt="Trang chủ"></a><img src="/images/arrow.gif"><a href="/tin-tuc/xay-dung-dang">Xây dựng Đảng</a><img src="/images/arrow.gif"><span>` + title + `</span></div>`,
			[]string{"Xây dựng Đảng"}},
		{`<div class="path"><a href="/"><i class="fa fa-home"></i></a> <i class="fa fa-angle-right"></i> <a href="/tin-tuc">Tin tức</a> <i class="fa fa-angle-right"></i> <a href="/tin-tuc/xay-dung-dang">Xây dựng Đảng</a></div>`,
			[]string{"Tin tức", "Xây dựng Đảng"}},
		{`<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a> » <a href="/tin-tuc/xay-dung-dang">Xây dựng Đảng</a></div>`,
			[]string{"Tin tức", "Xây dựng Đảng"}},
	} {
		doc := fpExtract(t, fpArticle(c.crumb, title, fpParas(fpP...)))
		if strings.Join(doc.Breadcrumb, " / ") != strings.Join(c.want, " / ") || doc.Category != c.want[len(c.want)-1] {
			t.Errorf("%s:\n breadcrumb %q, category %q; want %q", c.crumb, doc.Breadcrumb, doc.Category, c.want)
		}
	}
}
