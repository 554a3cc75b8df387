package extract

import (
	"strings"
	"testing"
)

// TestDateWhereverPrinted: the publication date printed after the body,
// inside the text or below it, with dots or dashes and a label, is found,
// and the header's "today" line is never taken for it.
func TestDateWhereverPrinted(t *testing.T) {
	page := `<html><head><title>Hội nghị sơ kết công tác Đảng quý I - Cổng Mẫu</title></head><body>
<div class="header"><div class="today">Thứ Bảy, 06/12/2026</div><a href="/">Cổng Mẫu</a></div>
<div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức</div>
<h1>Hội nghị sơ kết công tác Đảng quý I</h1>
<div class="content"><p>Sáng nay, Đảng ủy Khối tổ chức hội nghị sơ kết công tác xây dựng Đảng quý I, đánh giá kết quả và đề ra nhiệm vụ trọng tâm quý II năm 2026.</p>
<p>Hội nghị thống nhất các giải pháp nâng cao chất lượng sinh hoạt chi bộ, đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.</p>
<p>Các đại biểu đã thảo luận, đóng góp nhiều ý kiến tâm huyết, trách nhiệm vào dự thảo kế hoạch của Ban Thường vụ.</p>
<p style="text-align:right"><b>Minh Hà</b></p>DATE_IN</div>DATE_OUT
<div class="footer">Cổng Mẫu, 1 đường Lê Lợi</div></body></html>`
	for _, tc := range []struct{ in, out, want string }{
		{"<p>Cập nhật: 7.3.2026</p>", "", "2026-03-07"},
		{"", `<div class="meta-bottom">Ngày đăng: 07-03-2026 09:40</div>`, "2026-03-07T09:40:00+07:00"},
		{"<p>Đăng lúc 9:40 7/3/2026</p>", "", "2026-03-07T09:40:00+07:00"},
	} {
		p := strings.Replace(strings.Replace(page, "DATE_IN", tc.in, 1), "DATE_OUT", tc.out, 1)
		doc, err := Extract("https://x.example.vn/tin-tuc/hoi-nghi-123.html", []byte(p), "text/html", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Published != tc.want {
			t.Errorf("%s%s: published %q, want %q", tc.in, tc.out, doc.Published, tc.want)
		}
		if strings.Contains(doc.Body, "2026") && strings.Contains(doc.Body, "Cập nhật") || strings.Contains(doc.Body, "Đăng lúc") {
			t.Errorf("the date line stayed in the body: %q", doc.Body)
		}
	}
}
