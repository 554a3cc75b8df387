package crawler

import (
	"net/url"
	"testing"
)

func TestScope(t *testing.T) {
	u, _ := url.Parse("http://danguykhoithanhhoa.org.vn/")
	sc := newScope([]*url.URL{u})
	for in, want := range map[string]bool{
		"http://danguykhoithanhhoa.org.vn/a":     true,
		"http://www.danguykhoithanhhoa.org.vn/a": true,
		"http://thanhhoa.gov.vn/":                false,
		"http://evil.danguykhoithanhhoa.org.vn/": false,
	} {
		if sc.contains(in) != want {
			t.Errorf("scope contains %s: want %v", in, want)
		}
	}
}
