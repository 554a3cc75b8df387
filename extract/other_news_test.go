package extract

import (
	"fmt"
	"strings"
	"testing"
)

// otherNewsBox is a box of other articles as news sites print one under
// an article: a heading, then a list whose items are a picture, a linked
// heading and a lead.
func otherNewsBox(class, path string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `<div class="%s"><h2>Các tin khác</h2><ul>`, class)
	for i := range 10 {
		fmt.Fprintf(&sb, `<li><a href="%[1]s/bai-anh-so-%[2]d"><img src="/i/t%[2]d.jpg"></a><h3><a href="%[1]s/bai-anh-so-%[2]d">Những khoảnh khắc mùa thu số %[2]d trên phố cổ Hà Nội</a></h3><p>Bạn đọc gửi về những bức ảnh ghi lại vẻ đẹp của mùa thu với lá vàng và nắng nhẹ, kỳ %[2]d.</p></li>`, path, i)
	}
	sb.WriteString(`</ul></div>`)
	return sb.String()
}

var photoCaptions = []string{
	"Hồ Gươm trong sương sớm, những hàng liễu rủ bóng xuống mặt nước tĩnh lặng của buổi đầu thu.",
	"Gánh hàng hoa cúc họa mi len lỏi qua những con phố nhỏ của khu phố cổ vào sáng cuối tuần.",
	"Lá vàng rơi trên con đường Phan Đình Phùng, nơi được nhiều người gọi là con đường đẹp nhất Hà Nội.",
	"Những người bán cốm làng Vòng đã có mặt từ sáng sớm bên hồ Thiền Quang, chờ khách quen ghé mua.",
}

// A photo story (a dated title, a lead, pictures with their captions, the
// photographer's name) above a box of other articles whose items are
// linked headings. At an address without a number (a slug, as WordPress
// and many news sites write them) it read as a listing, the ten linked
// headings taken for a category's teasers: the story was archived as a
// listing, never searchable. The box is named as other articles'
// ("othernews", "other-news", "tin-khac"); the story has no linked
// heading of its own.
func TestPhotoStoryAboveOtherNewsIsAnArticle(t *testing.T) {
	var photos strings.Builder
	for i, c := range photoCaptions {
		fmt.Fprintf(&photos, `<table class="tplCaption"><tr><td><img src="/i/p%d.jpg" width="680" height="450"></td></tr><tr><td><p class="Image">%s</p></td></tr></table>`, i, c)
	}
	for _, c := range []struct{ url, class string }{
		{"https://baoanh.vidu.vn/photo/goc-anh-ban-doc/mua-thu-ha-noi-qua-ong-kinh-ban-doc", "othernews"},
		{"https://baoanh.vidu.vn/photo/goc-anh-ban-doc/mua-thu-ha-noi-qua-ong-kinh-ban-doc", "other-news"},
		{"https://dangbo.vidu.vn/mua-thu-ha-noi-qua-ong-kinh-ban-doc/", "tin-khac"},
		{"https://dangbo.vidu.vn/tin-tuc/phong-su-anh/mua-thu-ha-noi-712.html", "othernews"},
	} {
		page := `<html><head><meta charset="utf-8"><title>Mùa thu Hà Nội qua ống kính bạn đọc</title></head><body>
<div id="header"><a href="/">Báo Ảnh</a><ul class="menu"><li><a href="/thoi-su">Thời sự</a></li><li><a href="/photo">Ảnh</a></li></ul></div>
<div class="main"><div class="block_timer">Thứ bảy, 12/10/2013 08:30 GMT+7</div>
<h1 class="title_news">Mùa thu Hà Nội qua ống kính bạn đọc</h1>
<div class="short_intro">Những ngày đầu thu, bạn đọc Nguyễn Minh gửi tới tòa soạn loạt ảnh về Hà Nội dịu dàng trong nắng.</div>
<div class="fck_detail">` + photos.String() + `<p style="text-align:right;"><strong>Nguyễn Minh</strong></p></div>
` + otherNewsBox(c.class, "/photo/goc-anh-ban-doc") + `</div>
<div id="footer">© Báo Ảnh</div></body></html>`
		doc, err := Extract(c.url, []byte(page), "text/html; charset=utf-8", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Kind != KindArticle || doc.Published != "2013-10-12T08:30:00+07:00" || len(doc.Images) != len(photoCaptions) ||
			!strings.Contains(doc.Body, photoCaptions[3]) || strings.Contains(doc.Body, "khoảnh khắc mùa thu số") {
			t.Errorf("%s, box %q: kind %s (want article), published %q, %d images (want %d), body %q",
				c.url, c.class, doc.Kind, doc.Published, len(doc.Images), len(photoCaptions), doc.Body)
		}
	}
}

// A category's page stays a listing with the same box under it: its
// newest article is a linked heading of its own (with its date and lead),
// or, without one, the box's items are what the page lists, under its
// heading; a date printed by the newest article does not make it one.
func TestCategoryWithOtherNewsBoxIsAListing(t *testing.T) {
	featured := `<div class="featured"><h2><a href="/tin-tuc/xay-dung-dang/hoi-nghi-quan-triet">Hội nghị quán triệt Nghị quyết Trung ương 10 khóa XIII</a></h2><div class="date">05/11/2024</div>
<p class="summary">Sáng ngày 05/11, Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị trực tuyến học tập, quán triệt, triển khai thực hiện Nghị quyết Hội nghị lần thứ mười Ban Chấp hành Trung ương Đảng khóa XIII.</p></div>`
	unlinked := `<div class="featured"><a href="/tin-tuc/xay-dung-dang/hoi-nghi-quan-triet"><img src="/i/hn.jpg"></a><div class="date">05/11/2024</div>
<p class="summary">Sáng ngày 05/11, Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị trực tuyến học tập, quán triệt, triển khai thực hiện Nghị quyết Hội nghị lần thứ mười Ban Chấp hành Trung ương Đảng khóa XIII.</p></div>`
	const crumb = `<div class="breadcrumb"><a href="/">Trang chủ</a> / Xây dựng Đảng</div>`
	for _, lead := range []string{featured, unlinked, ""} {
		for _, class := range []string{"other-news", "othernews", "tin-khac"} {
			for _, trail := range []string{crumb, ""} {
				main := trail + `<div class="category"><h1 class="cat-title">Xây dựng Đảng</h1>` + lead + otherNewsBox(class, "/tin-tuc/xay-dung-dang") + `</div>`
				doc := rvExtract(t, "https://dangbo.vidu.vn/tin-tuc/xay-dung-dang/", rvPage("Xây dựng Đảng", main))
				if doc.Kind != KindListing {
					t.Errorf("box %q, lead %.40q, breadcrumb %v: kind %s, want listing (title %q, published %q)", class, lead, trail != "", doc.Kind, doc.Title, doc.Published)
				}
			}
		}
	}
}
