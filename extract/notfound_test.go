package extract

import (
	"strings"
	"testing"
)

// TestNotFoundPage: a portal's "Không tìm thấy trang" notice sent with a
// 200 is a soft 404; an article whose title merely says something was not
// found is not, nor is a short page about something else.
func TestNotFoundPage(t *testing.T) {
	notice := `<html><head><title>Không tìm thấy trang - Cổng thông tin điện tử Đảng bộ tỉnh</title></head><body>
<div class="menu"><a href="/">Trang chủ</a> <a href="/gioi-thieu.html">Giới thiệu</a></div>
<div class="main"><h1>Không tìm thấy trang</h1>
<p>Xin lỗi, trang bạn yêu cầu không tồn tại hoặc đã bị xóa khỏi hệ thống. Đường dẫn có thể đã bị thay đổi.</p>
<p>Vui lòng quay lại trang chủ hoặc sử dụng chức năng tìm kiếm để tìm thông tin bạn cần.</p></div></body></html>`
	article := `<html><head><title>Không tìm thấy trang nhật ký của liệt sĩ sau 50 năm tìm kiếm</title></head><body>
<h1>Không tìm thấy trang nhật ký của liệt sĩ sau 50 năm tìm kiếm</h1><p class="date">Ngày 12/06/2020</p>` +
		strings.Repeat("<p>Gia đình liệt sĩ Nguyễn Văn A đã đi khắp các tỉnh miền Trung để tìm những trang nhật ký còn sót lại, gặp gỡ đồng đội cũ và các cơ quan lưu trữ của tỉnh.</p>", 8) + `</body></html>`
	short := `<html><head><title>Liên hệ</title></head><body><h1>Liên hệ</h1><p>Văn phòng Đảng ủy Khối, số 1 đường Đại lộ Lê Lợi, thành phố Thanh Hóa.</p></body></html>`
	for _, c := range []struct {
		name, html string
		want       bool
	}{{"the notice", notice, true}, {"an article about a search", article, false}, {"a short page", short, false}} {
		d, err := Extract("http://dangbo.example/tin-tuc/bai-cu-1.html", []byte(c.html), "text/html; charset=utf-8", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := NotFoundPage(d); got != c.want {
			t.Errorf("%s (title %q, %d bytes of body): NotFoundPage = %v, want %v", c.name, d.Title, len(d.Body), got, c.want)
		}
	}
}
