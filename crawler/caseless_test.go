package crawler

import (
	"net/url"
	"testing"
)

func TestCaselessHosts(t *testing.T) {
	var c caselessHosts
	c.note("Cong.ThanhHoa.gov.vn", "Microsoft-IIS/10.0")
	c.note("nginx.example.vn", "nginx/1.24")
	c.note("httpapi.example.vn", "Microsoft-HTTPAPI/2.0")
	c.note("short.example.vn", "IIS")
	for host, want := range map[string]bool{
		"cong.thanhhoa.gov.vn": true, "CONG.THANHHOA.GOV.VN": true,
		"nginx.example.vn": false, "httpapi.example.vn": false, "short.example.vn": false, "unknown.vn": false,
	} {
		if got := c.has(host); got != want {
			t.Errorf("has(%q) = %v, want %v", host, got, want)
		}
	}
	u, _ := url.Parse("http://cong.thanhhoa.gov.vn/Tin-Tuc/B%C3%A0i-1.aspx?ID=5&Lang=VI")
	if got, want := caselessKey(u), "http://cong.thanhhoa.gov.vn/tin-tuc/b%C3%A0i-1.aspx?ID=5&Lang=VI"; got != want {
		t.Errorf("caselessKey = %q, want %q (the path folded, the query as it is)", got, want)
	}
}
