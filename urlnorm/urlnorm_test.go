package urlnorm

import (
	"net/url"
	"testing"
)

func TestNormalize(t *testing.T) {
	base, _ := url.Parse("http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/")
	cases := []struct{ in, want string }{
		{"bai-viet-661.html", "http://danguykhoithanhhoa.org.vn/tin-tuc/tin-tuc-chung/bai-viet-661.html"},
		{"HTTP://DangUyKhoiThanhHoa.org.vn:80/a/../b.html#top", "http://danguykhoithanhhoa.org.vn/b.html"},
		{"/x?utm_source=fb&b=2&a=1&fbclid=zz&PHPSESSID=abc", "http://danguykhoithanhhoa.org.vn/x?a=1&b=2"},
		{"/x;jsessionid=ABC123", "http://danguykhoithanhhoa.org.vn/x"},
		// ASP.NET's cookieless session and forms segments.
		{"/(S(abc123xyz))/tin-tuc/bai-1.aspx", "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-1.aspx"},
		{"/(A(x1)S(y2)F(z3))/tin-tuc/", "http://danguykhoithanhhoa.org.vn/tin-tuc/"},
		{"/(S(abc))", "http://danguykhoithanhhoa.org.vn/"},
		{"/tin-tuc/(ghi-chu)/a.html", "http://danguykhoithanhhoa.org.vn/tin-tuc/%28ghi-chu%29/a.html"},
		// Tabs and line breaks inside a link, which browsers drop.
		{"/tin-tuc/hoi-nghi-\r\nban-chap-hanh.html", "http://danguykhoithanhhoa.org.vn/tin-tuc/hoi-nghi-ban-chap-hanh.html"},
		{"/tin-tuc/\tbai.html", "http://danguykhoithanhhoa.org.vn/tin-tuc/bai.html"},
		{"https://example.org:443", "https://example.org/"},
		{"/tong-quan/chuc-nang-nhiem-vu/21/", "http://danguykhoithanhhoa.org.vn/tong-quan/chuc-nang-nhiem-vu/21/"},
		{"/tìm kiếm?q=thanh hoá", "http://danguykhoithanhhoa.org.vn/t%C3%ACm%20ki%E1%BA%BFm?q=thanh+ho%C3%A1"},
	}
	for _, c := range cases {
		got, err := Normalize(base, c.in)
		if err != nil || got != c.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"mailto:a@b.c", "tel:0237", "javascript:void(0)", "ftp://x/y", "", "http://"} {
		if got, err := Normalize(base, bad); err == nil {
			t.Errorf("Normalize(%q) = %q, want an error", bad, got)
		}
	}
}
