package extract

import "testing"

// A short news item (a notice of a few lines) under a dated article
// address is an article, not a static page; a static page with a date
// line at a page's address stays a page.
func TestShortDatedItemIsAnArticle(t *testing.T) {
	page := func(body string) []byte {
		return []byte(`<html><head><meta charset="utf-8"><title>Thông báo lịch sinh hoạt chi bộ tháng 12</title></head><body>
<div class="header">Đảng ủy Khối các cơ quan tỉnh Thanh Hóa</div>
<div class="duongdan"><a href="/">Trang chủ</a> / <a href="/tin-tuc/tin-tuc-chung">Tin tức chung</a> / Thông báo lịch sinh hoạt chi bộ tháng 12</div>
<div class="news-detail"><h1 class="title-detail">Thông báo lịch sinh hoạt chi bộ tháng 12</h1>
<div class="date-detail">Ngày 05/12/2026</div><div class="content-detail">` + body + `</div></div>
<div class="footer">Địa chỉ: Số 35 Hà Văn Mao, TP. Thanh Hóa</div></body></html>`)
	}
	body := `<p>Các chi bộ trực thuộc sinh hoạt thường kỳ vào ngày 10/12/2026.</p><p>Đề nghị các đồng chí bí thư chuẩn bị nội dung.</p><p>Văn phòng Đảng ủy Khối.</p>`
	doc, err := Extract("http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/thong-bao-lich-sinh-hoat-chi-bo-thang-12-700.html", page(body), "text/html", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != KindArticle || doc.Published == "" {
		t.Errorf("a short dated notice at an article's address: kind %q, published %q; want an article", doc.Kind, doc.Published)
	}
	doc, err = Extract("http://danguykhoithanhhoa.org.vn/tong-quan/lich-sinh-hoat/21", page(body), "text/html", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind == KindArticle {
		t.Errorf("the same short text at a static page's address: kind %q; want a page", doc.Kind)
	}
}
