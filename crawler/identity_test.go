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
}

func TestIdentityKeys(t *testing.T) {
	// "Bài" with its grave accent combining (NFD), percent-encoded.
	u, _ := url.Parse("http://cong.thanhhoa.gov.vn/Tin-Tuc/Ba%CC%80i-1.aspx?ID=5&Lang=VI")
	same, caseless := identityKeys(u)
	if want := "//cong.thanhhoa.gov.vn/Tin-Tuc/B%C3%A0i-1.aspx?ID=5&Lang=VI"; same != want {
		t.Errorf("same = %q, want %q (the path in NFC)", same, want)
	}
	if want := "//cong.thanhhoa.gov.vn/tin-tuc/b%C3%A0i-1.aspx?ID=5&Lang=VI"; caseless != want {
		t.Errorf("caseless = %q, want %q (the path folded, the query as it is)", caseless, want)
	}
	ids := newIdentities()
	nfc, _ := url.Parse("http://x.vn/B%C3%A0i-1.aspx")
	nfd, _ := url.Parse("http://x.vn/Ba%CC%80i-1.aspx")
	lower, _ := url.Parse("http://x.vn/b%C3%A0i-1.aspx")
	if ids.add(nfc, nfc.String(), false) {
		t.Error("the first URL was seen before")
	}
	if !ids.add(nfd, nfd.String(), false) {
		t.Error("the NFD spelling of a URL seen is not known for it")
	}
	if ids.add(lower, lower.String(), false) {
		t.Error("another case is another page on a case-sensitive host")
	}
	upper, _ := url.Parse("http://x.vn/B%C3%80I-1.ASPX")
	if !ids.add(upper, upper.String(), true) {
		t.Error("another case is the same page on a case-insensitive host")
	}
	for _, twin := range []string{"https://x.vn/B%C3%A0i-1.aspx", "http://www.x.vn/B%C3%A0i-1.aspx", "https://WWW.X.VN/B%C3%A0i-1.aspx"} {
		tu, _ := url.Parse(twin)
		if !ids.add(tu, twin, false) {
			t.Errorf("%s, the same site's twin (scheme, www.), is not known for the page", twin)
		}
	}
	other, _ := url.Parse("http://x.vn:8080/B%C3%A0i-1.aspx")
	if ids.add(other, other.String(), false) {
		t.Error("another port is another site")
	}
}
