package export

import (
	"testing"

	"tulieu/api"
)

// A static page at /tong-quan/chuc-nang-nhiem-vu/21 was exported as
// "21.md": its title names it now, the number keeps it apart.
func TestDocsFileNameOfANumberedPage(t *testing.T) {
	d := &docsWriter{names: map[string]bool{}, ext: ".md"}
	for _, c := range []struct{ url, title, published, want string }{
		{"http://danguykhoithanhhoa.org.vn/tong-quan/chuc-nang-nhiem-vu/21", "Chức năng, nhiệm vụ", "", "chuc-nang-nhiem-vu-21.md"},
		{"http://danguykhoithanhhoa.org.vn/tin-tuc/tu-lieu/cac-ky-dai-hoi-10.html", "Các kỳ đại hội", "2020-01-05", "2020-01-05-cac-ky-dai-hoi-10.md"},
		{"http://danguykhoithanhhoa.org.vn/gioi-thieu/22", "", "", "22.md"},
	} {
		r := &Record{Article: api.Article{ID: "abc", URL: c.url, Title: c.title, Published: c.published}}
		if got := d.fileName(r); got != c.want {
			t.Errorf("%s: %q, want %q", c.url, got, c.want)
		}
	}
}
