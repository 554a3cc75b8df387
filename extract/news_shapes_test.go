package extract

import (
	"slices"
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

// A metadata date whose offset the page contradicts (vnexpress-4, of
// 2018: "+08:00" in pubdate and JSON-LD for the "12:40 (GMT+7)" the page
// prints) was taken at its word: 11:40 in Vietnam, an hour early. The
// printed line wins when it says GMT+7 and shows the same day and clock;
// a printed time that differs, or says no zone, leaves the metadata be.
func TestMetadataOffsetContradictedByPrintedGMT7(t *testing.T) {
	page := func(meta, printed string) string {
		return `<html><head><title>Sét đánh bay mái nhà dân - Báo Tỉnh</title>
<meta name="pubdate" itemprop="datePublished" content="` + meta + `"></head><body>
<div class="header"><a href="/">Trang chủ</a></div>
<div class="main"><span class="time left">` + printed + `</span>
<h1 class="title_news_detail">Sét đánh bay mái nhà dân</h1>` + fpParas(nsP...) + `</div></body></html>`
	}
	for _, c := range []struct{ meta, printed, want string }{
		{"2018-09-29T12:40:25+08:00", "Thứ bảy, 29/9/2018, 12:40 (GMT+7)", "2018-09-29T12:40:25+07:00"},
		{"2018-09-29T12:40:25+08:00", "Thứ bảy, 29/9/2018, 11:40 (GMT+7)", "2018-09-29T11:40:25+07:00"},
		{"2018-06-29T15:25:08+00:00", "29/06/2018 15:25", "2018-06-29T22:25:08+07:00"},
		{"2018-09-29T12:40:25+07:00", "Thứ bảy, 29/9/2018, 12:40 (GMT+7)", "2018-09-29T12:40:25+07:00"},
	} {
		doc := rvExtract(t, "http://baotinh.vn/thoi-su/set-danh-bay-mai-3816808.html", page(c.meta, c.printed))
		if doc.Published != c.want {
			t.Errorf("metadata %s, page %q: published %q, want %q", c.meta, c.printed, doc.Published, c.want)
		}
	}
}

// A related article's card inside the text (znews-1: <a href><h2>title
// </h2><p>summary</p></a> in a table after the last paragraph) was kept:
// its heading and its summary are inside the link, and a link wrapped
// around blocks counted as no link text at all.
func TestRelatedCardInsideTheText(t *testing.T) {
	title := "Tung tin giả để phát tán virus độc hại"
	card := `<table align="center" class="article"><tbody><tr><td><div class="inner-article"><a href="/hang-loat-sao-bi-don-qua-doi-post720270.html">
<p class="cover" style="background-image:url(/eminem.jpg);"></p><h2 class="title">Hàng loạt ngôi sao bị đồn qua đời</h2>
<p class="summary">Mới đây, hàng loạt các nghệ sĩ lớn đều bị đồn qua đời qua một trang mạng xã hội có tiếng khiến dư luận thế giới xôn xao suốt nhiều ngày liền.</p></a></div></td></tr></tbody></table>`
	main := `<h1 class="the-article-title">` + title + `</h1><div class="the-article-body">` + fpParas(nsP...) + card + `</div>`
	doc := fpExtract(t, fpPage(title+" - Báo Tỉnh", main))
	if want := strings.Join(nsP, "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
}

// An ad slot's "loading..." after the byline (binhluan-1, WordPress:
// <p><strong>Văn Trình</strong></p><div class="SC_TBlock">loading...</div>)
// hid the byline: the last line of the text was the widget's.
func TestLoadingWidgetAfterByline(t *testing.T) {
	title := "Thủ tướng xin lỗi vì hành động phi thể thao của đội tuyển"
	main := `<h1 class="entry-title">` + title + `</h1><article id="content_detail"><div class="exp_content">` + fpParas(nsP...) +
		`<p><strong>Văn Trình</strong></p><div id="SC_TBlock_532045" class="SC_TBlock">loading...</div></div></article>`
	doc := fpExtract(t, fpPage(title+" - Báo Tỉnh", main))
	if doc.AuthorName != "Văn Trình" {
		t.Errorf("author %q", doc.AuthorName)
	}
	if want := strings.Join(nsP, "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", fpShow(doc.Body), fpShow(want))
	}
}

// A "share to your page" modal at the bottom repeats the title in an <h2>
// that links to the page itself, over the article's summary, inside its
// form (ipick-1): it was taken for the title over the <h1>, and the
// byline and the text under the <h1> were read as the page around it.
// A heading in a small form is a box's; a form that wraps the whole page
// (ASP.NET) takes nothing from its headings.
func TestHeadingInAShareFormIsNotTheTitle(t *testing.T) {
	title := "Thủ tướng cúi đầu xin lỗi vì tinh thần phi thể thao của đội bóng"
	article := `<article class="single-post"><header class="entry-header"><h1 class="entry-title">` + title + `</h1>
<div class="entry-meta"><div class="author-name"><div class="name"><a href="/user/nguyenthien" title="Nguyễn Thiện">Nguyễn Thiện <span class="count">(37)</span></a></div>
<div class="job"><span>Chuyên gia truyền thông</span></div></div></div></header>
<div class="entry-content">` + fpParas(nsP...) + `</div></article>`
	modal := `<div class="modal"><h4 class="modal-title">Thêm vào trang của bạn</h4><form method="POST" action="/share/save">
<label>Ghi chú</label><textarea name="content"></textarea>
<h2 class="entry-title"><a href="` + fpURL + `">` + title + `</a></h2><p>` + nsP[0] + `</p>
<button type="button">Lưu</button></form></div>`
	for _, c := range []struct{ name, page string }{
		{"a share form", fpPage(title+" - Báo Tỉnh", article+modal)},
		{"a form around the page", fpPage(title+" - Báo Tỉnh", `<form id="form1" method="post" action="./">`+article+`</form>`)},
	} {
		doc := fpExtract(t, c.page)
		if doc.Title != title {
			t.Errorf("%s: title %q", c.name, doc.Title)
		}
		if doc.AuthorName != "Nguyễn Thiện" {
			t.Errorf("%s: author %q", c.name, doc.AuthorName)
		}
		if want := strings.Join(nsP, "\n\n"); doc.Body != want {
			t.Errorf("%s: body:\n got  %q\n want %q", c.name, fpShow(doc.Body), fpShow(want))
		}
	}
}

// A gallery after the text, a list of pictures each with its caption
// (ipick-1: <ul class="gallery"><li><img><p class="title-image">…</p></li>):
// the captions were items of a list, kept as text and given to no picture.
func TestGalleryItemsAreFigures(t *testing.T) {
	title := "Đội tuyển bị chỉ trích vì lối chơi câu giờ ở phút cuối"
	caption := "Các cầu thủ chuyền bóng qua lại ở phần sân nhà trong những phút cuối trận."
	main := `<h1 class="entry-title">` + title + `</h1><article><div class="entry-content">` + fpParas(nsP...) + `</div>
<div class="gallery-image"><ul id="image-gallery" class="gallery list-unstyled">
<li data-src="/images/a.png"><img src="/images/a.png" /></li>
<li data-src="/images/b.png"><img src="/images/b.png" /><p class="title-image">` + caption + `</p></li></ul></div></article>`
	doc := fpExtract(t, fpPage(title+" - Báo Tỉnh", main))
	if len(doc.Images) != 2 || doc.Images[1].Caption != caption {
		t.Errorf("images %+v", doc.Images)
	}
	for _, p := range strings.Split(doc.Body, "\n\n") {
		if p != caption && !slices.Contains(nsP, p) {
			t.Errorf("body paragraph %q", p)
		}
	}
}
