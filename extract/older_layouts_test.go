package extract

import (
	"strings"
	"testing"
)

// Shapes of older news layouts (2011–2014 CMSs: VnExpress, Zing, Thanh
// Niên, iOne, Ngôi Sao, afamily and blogs of the time) written as pages of
// our own. They were found by running the extractor on real pages of those
// sites that cannot be kept here (their repositories give no licence):
// each comment says what went wrong before the fix. Most put everything
// that follows the text (related links, share buttons, comments and their
// pager) inside the article's own container, which the newer layouts of
// the real-world set do not.

const olURL = "http://vidu.vn/tin/phuong-tong-ket-cong-tac-nam-2012-661.html"

const olTitle = "Phường tổng kết công tác năm 2012"

var olP = []string{
	"Sáng nay, ủy ban nhân dân phường đã tổ chức hội nghị tổng kết công tác năm với sự tham dự của đông đảo cán bộ và nhân dân địa phương.",
	"Tại hội nghị, các đại biểu đã thảo luận nhiều vấn đề quan trọng, trong đó có kế hoạch chỉnh trang đô thị và nâng cấp hệ thống thoát nước.",
	"Chủ tịch phường cho biết, trong năm qua địa phương đã hoàn thành vượt mức nhiều chỉ tiêu kinh tế, xã hội, quốc phòng và an ninh.",
	"Bên cạnh những kết quả đạt được, hội nghị cũng chỉ ra một số tồn tại, hạn chế cần sớm khắc phục trong thời gian tới.",
	"Kết thúc hội nghị, nhiều tập thể và cá nhân có thành tích xuất sắc đã được biểu dương, khen thưởng.",
}

func olParas(ps ...string) string {
	var sb strings.Builder
	for _, p := range ps {
		sb.WriteString("<p>" + p + "</p>")
	}
	return sb.String()
}

func olPage(head, body string) string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + head + `</title></head><body>
<div class="menu"><a href="/">Trang chủ</a> <a href="/xa-hoi">Xã hội</a></div>
` + body + `
<div class="footer">Bản quyền thuộc về Báo Ví Dụ</div></body></html>`
}

// olDetail is an article container holding the title, the date line, the
// text, a right-aligned byline and then TAIL.
func olDetail(tail string) string {
	return `<div class="detail"><h1 class="title">` + olTitle + `</h1><p class="time">Thứ Tư, 26/12/2012 17:14</p>
` + olParas(olP...) + `<p style="text-align:right"><b>Minh Anh</b></p>
` + tail + `
</div>`
}

func olExtract(t *testing.T, page string) *Document {
	t.Helper()
	return rvExtract(t, olURL, page)
}

func olWant(t *testing.T, doc *Document, wantAuthor string) {
	t.Helper()
	if doc.Kind != KindArticle {
		t.Errorf("kind %s, want article", doc.Kind)
	}
	if doc.Title != olTitle {
		t.Errorf("title %q", doc.Title)
	}
	if want := strings.Join(olP, "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", doc.Body, want)
	}
	if doc.AuthorName != wantAuthor {
		t.Errorf("author %q, want %q", doc.AuthorName, wantAuthor)
	}
	if doc.Published != "2012-12-26T17:14:00+07:00" {
		t.Errorf("published %q", doc.Published)
	}
}

// What older layouts put after the text, inside the article's container:
// five or more links there made the page a listing, and the whole article
// was lost (its text, author and images: a listing keeps none).
func TestLinksAfterTheTextInTheArticleContainer(t *testing.T) {
	related := func(open, item, closing string) string {
		var sb strings.Builder
		sb.WriteString(open)
		for i, h := range []string{"Khánh thành cây cầu mới nối hai bờ sông", "Học sinh giỏi được khen thưởng dịp cuối năm",
			"Người dân hào hứng tham gia ngày hội đọc sách", "Chợ phiên vùng cao rộn ràng những ngày giáp Tết",
			"Ra mắt câu lạc bộ dưỡng sinh cho người cao tuổi"} {
			sb.WriteString(strings.NewReplacer("HREF", "/tin/bai-khac-"+string(rune('0'+i))+".html", "TEXT", h).Replace(item))
		}
		sb.WriteString(closing)
		return sb.String()
	}
	for name, tail := range map[string]string{
		// Zing: "Tin tức gần đây" and its list.
		"recent news under a heading": related(`<div class="more_news"><h3>Tin tức gần đây</h3><ul>`, `<li><a href="HREF">TEXT</a></li>`, `</ul></div>`),
		"a list of related articles":  related(`<ul>`, `<li><a href="HREF">TEXT</a></li>`, `</ul>`),
		// Thanh Niên: a paragraph a link.
		"related lines": related(``, `<p>&gt;&gt; <a href="HREF">TEXT</a></p>`, ``),
		// iOne: linked h4 headings.
		"related headings": `<h4 class="RelatedLeadSubject"><a href="/tin/0-bai-khac-0.html">Khánh thành cây cầu mới nối hai bờ sông</a></h4><h4 class="RelatedLeadSubject"><a href="/tin/1-bai-khac-1.html">Học sinh giỏi được khen thưởng dịp cuối năm</a></h4>`,
		// A blog's share box.
		"share links": `<ul class="sharebox"><li><a href="http://digg.com/x">Share this post on Digg</a></li><li><a href="http://del.icio.us/x">Del.icio.us</a></li><li><a href="http://technorati.com/x">Technorati</a></li><li><a href="http://twitter.com/x">Twitter</a></li><li><a href="http://facebook.com/x">Facebook</a></li></ul>`,
		// VnExpress: the comments' count as a link, their pager.
		"comments and their pager": `<div class="comments"><a href="#comments">Ý kiến bạn đọc ( 33 )</a><p>Bài viết rất hay, cảm ơn tác giả đã chia sẻ những thông tin bổ ích này với bạn đọc.</p><p class="cmt-meta">Nam - 7 ngày trước</p><a href="#more">Hiển thị thêm nội dung</a><ul class="pager"><li><a href="?p=1">1</a></li><li><a href="?p=2">2</a></li><li><a href="?p=3">3</a></li><li><a href="?p=4">4</a></li></ul></div>`,
		"comments under a heading": `<div class="comments"><h3>Ý kiến bạn đọc (33)</h3><p>Bài viết rất hay, cảm ơn tác giả đã chia sẻ những thông tin bổ ích này với bạn đọc.</p><p class="cmt-meta">Nam - 7 ngày trước</p><a href="#more">Hiển thị thêm nội dung</a><div class="pager"><a href="?p=1">1</a> <a href="?p=2">2</a> <a href="?p=3">3</a> <a href="?p=4">4</a></div></div>`,
	} {
		t.Run(name, func(t *testing.T) {
			olWant(t, olExtract(t, olPage(olTitle, olDetail(tail))), "Minh Anh")
		})
	}
}

// A listing is still a listing: teasers (a linked headline and its lead)
// one after the other, and a list of headlines under a category's
// introduction.
func TestListingsWithProseAreListings(t *testing.T) {
	var teasers, titles strings.Builder
	for i := range 6 {
		n := string(rune('0' + i))
		teasers.WriteString(`<div class="item"><h3><a href="/tin/bai-so-` + n + `.html">Hội nghị tổng kết công tác của chi bộ số ` + n + ` năm 2012</a></h3><p>` + olP[i%len(olP)] + `</p></div>`)
		titles.WriteString(`<li><a href="/tin/tu-lieu-` + n + `.html">Tư liệu lịch sử Đảng bộ tỉnh qua các thời kỳ, phần ` + n + `</a> (26/12/2012)</li>`)
	}
	for name, main := range map[string]string{
		"teasers": `<div class="list-news">` + teasers.String() + `</div>`,
		"titles after an introduction": `<div class="category"><h1>Tư liệu</h1><p>` + olP[0] + ` ` + olP[1] + `</p><p>` + olP[2] + ` ` + olP[3] + `</p><ul>` + titles.String() + `</ul>
<div class="pagination"><a href="?page=2">2</a> <a href="?page=3">3</a></div></div>`,
	} {
		t.Run(name, func(t *testing.T) {
			doc := rvExtract(t, "http://vidu.vn/tin/tu-lieu", olPage("Tư liệu - Báo Ví Dụ", main))
			if doc.Kind != KindListing {
				t.Errorf("kind %s, want listing (body %q)", doc.Kind, doc.Body)
			}
		})
	}
}

// A Unicode article under a menu whose labels hold only Latin-1 letters
// ("Tình yêu", "Quán xá", "Tiêu dùng", "Thành viên"): those labels read
// as VNI (a vowel and a VNI modifier), and every node of such letters with
// one was converted: "2. Áo khoác" in the text became "2. Áo khốc", "Hôn
// nhân" "Hơn nhân".
func TestUnicodeMenuOfLatinLettersIsNotVNI(t *testing.T) {
	paras := []string{
		"Mùa đông đã về, các bạn gái cần chuẩn bị những món đồ ấm áp và thời trang cho những buổi dạo phố.",
		"Những chiếc váy liền với gam màu tươi tắn, rực rỡ và nữ tính sẽ là lựa chọn đầu tiên cho một buổi tiệc cuối năm.",
		"2. Áo khoác",
		"Một chiếc áo khoác phù hợp sẽ làm nâng cao tính thời trang cho bộ đồ của bạn, lại giữ ấm cực tốt trong những ngày lạnh.",
		"Đôi giày cao gót màu đen có thể kết hợp với rất nhiều trang phục có màu sắc khác nhau mà vẫn nổi bật.",
	}
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Chọn trang phục mùa đông cho bạn gái</title></head><body>
<ul class="menu"><li><a href="/a">Tình yêu</a></li><li><a href="/b">Quán xá</a></li><li><a href="/c">Tiêu dùng</a></li><li><a href="/d">Giá vàng hôm nay</a></li><li><a href="/e">Thành viên</a></li><li><a href="/f">Hôn nhân</a></li></ul>
<div class="detail"><h1>Chọn trang phục mùa đông cho bạn gái</h1><span class="time">Thứ Hai, 24/12/2012 15:02</span>
<p class="sapo">` + paras[0] + `</p><p>` + paras[1] + `</p><p><strong>` + paras[2] + `</strong></p><p>` + paras[3] + `</p><p>` + paras[4] + `</p>
</div></body></html>`
	doc := rvExtract(t, "http://vidu.vn/thoi-trang/chon-trang-phuc-mua-dong-2012-1234.html", page)
	if want := strings.Join(paras, "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", doc.Body, want)
	}
}

// Ngôi Sao: the article's column is cut into "detailTop" and
// "detailBottom", and the <title> adds the section's words after a colon.
// The <h1> inside "detailBottom" was read as footer text (the site's name
// in a footer is not the title), no title was found, and the menu's links
// then made the page a listing.
func TestTitleInsideABottomNamedColumn(t *testing.T) {
	var menu strings.Builder
	for i := range 10 {
		menu.WriteString(`<li><a href="/m` + string(rune('0'+i)) + `">Mục số ` + string(rune('0'+i)) + ` của trang</a></li>`)
	}
	lead := "Hội nghị diễn ra trong không khí phấn khởi, đánh giá toàn diện kết quả một năm."
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + olTitle + `: Tin, Video clip, Hình ảnh Ví Dụ</title></head><body><ul class="nav">` + menu.String() + `</ul>
<div class="detailBottom"><div class="detailLeft"><div class="detailCT"><h1 class="Title">` + olTitle + `</h1><h2 class="Lead">` + lead + `</h2>` + olParas(olP[:4]...) + `</div></div></div></body></html>`
	doc := olExtract(t, page)
	if doc.Kind != KindArticle || doc.Title != olTitle {
		t.Errorf("kind %s, title %q; want an article titled %q", doc.Kind, doc.Title, olTitle)
	}
	if want := strings.Join(append([]string{lead}, olP[:4]...), "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", doc.Body, want)
	}
}

// Dates as older layouts print them. Before: Zing's "11:05 tối" (the
// evening) was read as 11:05 in the morning; Dân trí's metadata stating
// the day only (itemprop datePublished "2012-12-25") won over the time
// printed above the title; VnExpress's date line above the <h1>, inside
// the article's container, was never read, nor Zing's line of the
// section's name and the date ("Sống trẻ Giáo dục | Cập nhật …"), which
// stayed as the text's first paragraph.
func TestDatesOfOlderLayouts(t *testing.T) {
	paras := olParas(olP...)
	for name, c := range map[string]struct{ page, want string }{
		"the evening in words": {olPage(olTitle, `<div class="detail"><h1>`+olTitle+`</h1><p class="date">Cập nhật thứ hai, ngày 24/12/12 11:05 tối</p><div class="content">`+paras+`</div></div>`),
			"2012-12-24T23:05:00+07:00"},
		"the section's name beside the date line, at the head of the text": {olPage(olTitle, `<div class="detail"><h1>`+olTitle+`</h1><div class="content"><p>Sống trẻ Giáo dục | Cập nhật thứ sáu, ngày 30/11/12 04:00 chiều</p>`+paras+`</div></div>`),
			"2012-11-30T16:00:00+07:00"},
		"metadata without the time": {strings.Replace(olPage(olTitle, `<div class="box26"><div class="breadcrumb"><a href="/su-kien">Sự kiện</a></div><span class="fr">Thứ Ba, 25/12/2012 - 10:03</span></div>
<h1>`+olTitle+`</h1><div class="content">`+paras+`</div>`), "</title>", `</title><meta itemprop="datePublished" content="2012-12-25"/>`, 1),
			"2012-12-25T10:03:00+07:00"},
		"a date line above the title in the container": {olPage(olTitle+" - Ví Dụ", `<div class="content"><div class="cxtLeft"><div class="email-print"><span class="spanTime">Thứ năm, 20/12/2012, 10:18 GMT+7</span><a href="/email"><img src="/e.gif"></a><a href="/print"><img src="/p.gif"></a></div>
<h1 class="Title">`+olTitle+`</h1>`+paras+`<p align=right><strong>Minh Anh</strong></p></div></div>`),
			"2012-12-20T10:18:00+07:00"},
	} {
		t.Run(name, func(t *testing.T) {
			doc := olExtract(t, c.page)
			if doc.Published != c.want {
				t.Errorf("published %q, want %q", doc.Published, c.want)
			}
			if want := strings.Join(olP, "\n\n"); doc.Body != want {
				t.Errorf("body:\n got  %q\n want %q", doc.Body, want)
			}
		})
	}
}

// Bylines, sources and what follows them in older layouts. Before: a tag
// under the text ("Hà Nội", a link to its topic page) was taken for the
// author; a source line followed by share boxes and a rating stayed in
// the text with them ("Thích và chia sẻ bài này trên:", "Kết bạn với … trên
// Facebook…"), and "Theo Thanh Hà (Báo …/Reuters)" came out as the source
// "Thanh Hà (Báo …/Reuters" when read at all; a tag line ("Xem thêm:
// Giáng sinh") after "Theo Infonet" kept both in the text; "Theo
// Ngoisao" marked itemprop="author" inside the date line was not read.
func TestBylinesAndSourcesOfOlderLayouts(t *testing.T) {
	p4 := olParas(olP[:4]...)
	head := `<div class="detail"><h1>` + olTitle + `</h1><p class="time">Thứ Tư, 26/12/2012 17:14</p><div class="content">`
	for name, c := range map[string]struct{ main, author, source string }{
		"tags after the text": {`<div class="ArticleDetail"><h1 class="title">` + olTitle + `</h1><span class="ArticleDate">26/12/2012 17:14</span><div class="ArticleContent">` + p4 + `</div>
<ul class="the-article-tags"><li><a href="/topic/ha-noi.html">Hà Nội</a></li><li><a href="/topic/kinh-te.html">Kinh tế</a></li></ul></div>`, "", ""},
		"a source, a rating and share boxes": {head + p4 + `<div class="nguontin">Theo Thanh Hà (Báo Ví Dụ/Reuters)<div class="rate">(6816 bình chọn, 9/10 điểm)</div></div><div class="shareFB-green"><b>Thích và chia sẻ bài này trên:</b><br><a href="http://facebook.com/x"><img src="/fb.png"></a></div><div class="share-left-col2">Kết bạn với Ví Dụ trên Facebook để nhận tin nóng hổi</div></div></div>`,
			"Thanh Hà", "Báo Ví Dụ/Reuters"},
		"a source and the tags": {head + p4 + `<p class="pSource">Theo Infonet</p><ul class="share_buttons"><li><a href="http://facebook.com/x"><img alt="Facebook" src="/f.png"></a></li></ul><div class="tags"><p class="label">Xem thêm: <a href="/tag/giang-sinh">Giáng sinh</a></p></div></div></div>`,
			"", "Infonet"},
		"a source marked as the author in the date line": {`<div class="detail"><h1>` + olTitle + `</h1><p class="time"><span itemprop="author">Theo Ngoisao</span> | <span>Thứ Tư, 26/12/2012 17:14</span></p><div class="content">` + p4 + `</div></div>`,
			"", "Ngoisao"},
	} {
		t.Run(name, func(t *testing.T) {
			doc := olExtract(t, strings.Replace(olPage(olTitle, c.main), "</title>", `</title><meta property="og:type" content="article">`, 1))
			if want := strings.Join(olP[:4], "\n\n"); doc.Body != want {
				t.Errorf("body:\n got  %q\n want %q", doc.Body, want)
			}
			if doc.AuthorName != c.author || doc.Source != c.source {
				t.Errorf("author %q, source %q; want %q, %q", doc.AuthorName, doc.Source, c.author, c.source)
			}
		})
	}
}

// afamily (2014): the date in a span.post-time beside the breadcrumb, in
// a menu's bar (div.listmenu) above a hidden submenu, and the writer's
// name alone in p.post-meta between the title and the lead. Neither was
// read: the bar was taken for the menu, and the name for nothing.
func TestDateInTheMenuBarAndNameUnderTheTitle(t *testing.T) {
	lead := "Hội nghị diễn ra trong không khí phấn khởi, đánh giá toàn diện kết quả một năm."
	main := `<div class="listmenu"><span class="post-breadcrumb"><a class="lt-catname" href="javascript:void(0)">Xã hội</a></span><span class="post-time">05/03/2014 | 00:01</span></div><div id="submenu" style="display:none"><ul><li><a href="/s0">Mục con 0</a></li><li><a href="/s1">Mục con 1</a></li><li><a href="/s2">Mục con 2</a></li></ul></div>
<div class="main-content"><div class="post-content"><h1 class="post-title">` + olTitle + `</h1><p class="post-meta">Hạ Trắng</p><h2 class="post-sapo">` + lead + `</h2><div class="content">` + olParas(olP[:4]...) + `</div></div></div>`
	doc := olExtract(t, olPage(olTitle, main))
	if doc.Published != "2014-03-05T00:01:00+07:00" || doc.AuthorName != "Hạ Trắng" {
		t.Errorf("published %q, author %q; want 2014-03-05T00:01:00+07:00, Hạ Trắng", doc.Published, doc.AuthorName)
	}
	if want := strings.Join(append([]string{lead}, olP[:4]...), "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", doc.Body, want)
	}
}

// VietnamNet (2019): under the byline, still in the article's container,
// a related article's card with no link around it: its picture and
// headline link to the other article, its summary is a plain paragraph.
// The summary was kept as the article's last paragraph, and the byline,
// no longer last, was kept in the text and no author found.
func TestCardUnderTheBylineWithoutALinkAroundIt(t *testing.T) {
	main := `<div class="ArticleDetail"><h1 class="title">` + olTitle + `</h1><span class="ArticleDate">26/12/2012 17:14</span><div class="ArticleContent">` + olParas(olP[:4]...) +
		`<p><span class="bold">Ca Tiếu</span></p><div class="inner-article"><a href="/tin/123-bai-khac.html"><img src="/a.jpg" alt="Một bài khác"></a><h4 class="title"><a href="/tin/123-bai-khac.html">Cách tăng âm lượng chỉ đường trên điện thoại</a></h4><p class="summary">Tính năng chỉ đường bằng giọng nói giúp người dùng theo dõi đường đi thuận tiện hơn, nhưng tiếng ồn có thể khiến khó nghe.</p></div></div></div>`
	doc := olExtract(t, olPage(olTitle, main))
	if want := strings.Join(olP[:4], "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", doc.Body, want)
	}
	if doc.AuthorName != "Ca Tiếu" {
		t.Errorf("author %q", doc.AuthorName)
	}
}

// VnExpress (2012): the readers' comments inside the article's container,
// each its text and then a line "Nam - 7 ngày trước Thích | 724", their
// heading in a box of its own that the page does not keep with them. The
// comments were kept as the article's text, and the first commenter's
// name taken for its author.
func TestReadersCommentsWithoutTheirHeading(t *testing.T) {
	comment := func(id, text, name, ago, likes string) string {
		return `<div class="comment_ct_fb cmww"><div class="Normal" id="cmi_` + id + `"><P class=Normal>` + text + `</p></div>
<p class="Normal"><label class="fl Author">` + name + `</label> <label class="fl CommSep">&nbsp;-&nbsp;</label> <label class="fl CommDate">` + ago + `</label> <label class="cmntlike"><a class="fr alike"><span class="fl likecount0">Thích</span> <span class="fl">&nbsp;|&nbsp;</span> <span>` + likes + `</span></a></label></p></div>`
	}
	var paras strings.Builder
	for _, p := range olP {
		paras.WriteString(`<p class="Normal">` + p + `</p>`)
	}
	main := `<div class="content"><h1 class="Title">` + olTitle + `</h1><p class="time">Thứ Tư, 26/12/2012 17:14</p>` + paras.String() + `<p class="Normal" align="right"><strong>Minh Anh</strong></p>
<div class="box-item"><div class="othernews-header-fb"><a name="aComment">Ý kiến bạn đọc <label>( 33 )</label></a></div>
<div id="divOutComment"><div id="DivShowComment">` +
		comment("1", "Bài viết rất hay, cảm ơn tác giả đã chia sẻ những thông tin bổ ích này với bạn đọc, mong rằng phường sẽ làm tốt hơn nữa trong năm tới.", "Nam", "7 ngày trước", "724") +
		comment("2", "Tôi rất đồng tình với ý kiến của các đại biểu về việc chỉnh trang đô thị, nhất là hệ thống thoát nước mỗi khi trời mưa to kéo dài.", "vanlethi08", "7 ngày trước", "541") +
		comment("3", "Mong rằng những tồn tại, hạn chế sẽ sớm được khắc phục để người dân yên tâm sinh sống và làm ăn trên địa bàn phường.", "hoangpinimax", "6 ngày trước", "344") +
		`</div></div></div></div>`
	olWant(t, olExtract(t, olPage(olTitle, main)), "Minh Anh")
}

// iOne (2012): three related articles' headings (h4.RelatedLeadSubject)
// right under the lead, before the text, and "Theo dòng sự kiện:" with a
// list of linked headings after it. Two linked headings before the text
// made the page a listing; read as an article, the list's label stayed as
// its last paragraph.
func TestRelatedHeadingsUnderTheLead(t *testing.T) {
	lead := "Hội nghị diễn ra trong không khí phấn khởi, đánh giá toàn diện kết quả một năm."
	var rel, events strings.Builder
	for i, h := range []string{"Khánh thành cây cầu mới nối hai bờ sông", "Học sinh giỏi được khen thưởng dịp cuối năm", "Người dân hào hứng tham gia ngày hội đọc sách"} {
		rel.WriteString(`<H4 class=RelatedLeadSubject><A href="/tin-tuc/2012/12/` + string(rune('1'+i)) + `1111-bai-khac.html">` + h + `</A></H4>`)
	}
	for i := range 5 {
		events.WriteString(`<li><h4><a href="/tin-tuc/2012/12/` + string(rune('1'+i)) + `2222-su-kien.html">Chợ phiên vùng cao rộn ràng những ngày giáp Tết, phần ` + string(rune('1'+i)) + `</a></h4></li>`)
	}
	main := `<div class="content"><h1 class="Title">` + olTitle + `</h1><p class="time">Thứ Tư, 26/12/2012 17:14</p><h2 class="Lead">` + lead + `</h2>` + rel.String() + olParas(olP...) +
		`<p align="right"><strong>Minh Anh</strong></p><div class="event"><p>Theo dòng sự kiện:</p><ul>` + events.String() + `</ul></div></div>`
	doc := rvExtract(t, "http://ione.vidu.vn/tin-tuc/vui-la/anh/2012/12/41584-phuong-tong-ket.html", olPage(olTitle, main))
	if doc.Kind != KindArticle {
		t.Fatalf("kind %s, want article", doc.Kind)
	}
	if want := strings.Join(append([]string{lead}, olP...), "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", doc.Body, want)
	}
}

// Teen9x (2011, vBulletin's articles): a <title> that names the site first
// ("Teen9x News - X") and a byline box of the forum's meta ("by" and the
// poster's link, "Published on …  Số lần xem: 169", "0 Comments"). The
// <h1> was read as the site's name (the last part of the <title>), the
// page as a listing; with the title right, the box's "by", its date line
// and its comments' counter were each taken for the author in turn.
func TestSiteNamedFirstInTheTitleAndAForumsBylineBox(t *testing.T) {
	var menu strings.Builder
	for i := range 10 {
		menu.WriteString(`<li><a href="/m` + string(rune('0'+i)) + `">Mục số ` + string(rune('0'+i)) + ` của trang</a></li>`)
	}
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Vidutin News - ` + olTitle + `</title></head><body><ul class="nav">` + menu.String() + `</ul>
<div class="article_width" id="article_content"><div class="title"><h1 class="article_title"><span>` + olTitle + `</span></h1></div>
<div class="article_author_date_comment_container"><div class="article_username_container"> by <a class="username" href="/members/1-admin.html"><strong><img src="/u.png"></strong></a></div>
<div class="article_date">Published on 03-08-2011 01:00 AM Số lần xem: 169</div><div class="article_comment">0 Comments</div></div>
<div class="article_body">` + olParas(olP...) + `<p class="Normal" align="right"><strong><font color="#ff0080">Minh Anh</font></strong></p></div></div></body></html>`
	doc := rvExtract(t, "http://vidutin.net/content/5123-phuong-tong-ket-cong-tac-nam-2012.html", page)
	if doc.Kind != KindArticle || doc.Title != olTitle {
		t.Fatalf("kind %s, title %q; want an article titled %q", doc.Kind, doc.Title, olTitle)
	}
	if doc.AuthorName != "Minh Anh" {
		t.Errorf("author %q, want Minh Anh", doc.AuthorName)
	}
	if want := strings.Join(olP, "\n\n"); doc.Body != want {
		t.Errorf("body:\n got  %q\n want %q", doc.Body, want)
	}
}
