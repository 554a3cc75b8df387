package extract

import (
	"strings"
	"testing"
	"time"
)

// TestPathologicalInputs guards against quadratic passes.
func TestPathologicalInputs(t *testing.T) {
	in := map[string]string{
		"titles":  strings.Repeat(`<h2 class="title">Tiêu đề bài viết số một hai ba</h2><p>Nội dung đoạn văn, có dấu phẩy, đủ dài để được chấm điểm.</p>`, 2500),
		"links":   strings.Repeat(`<a href="/a-1.html">Liên kết bài viết số một hai ba bốn</a> `, 20000),
		"crumbs":  strings.Repeat(`<div>Trang chủ / Tin / Bài</div>`, 2500),
		"footers": strings.Repeat(`<div class="footer"><p>Địa chỉ ABC</p></div>`, 2500),
		"nested":  strings.Repeat(`<div class="content"><p>Nội dung, nội dung, nội dung dài dài dài dài.</p>`, 150),
		"times":   strings.Repeat(`<time datetime="2020-01-01">x</time><span class="author">Lê Hà</span>`, 2500),
	}
	for name, s := range in {
		start := time.Now()
		if _, err := Extract("http://x.vn/a-1.html", []byte(s), "", Options{Profiles: DefaultProfiles()}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(s))
		}
	}
}
