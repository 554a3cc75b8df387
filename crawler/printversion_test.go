package crawler

import (
	"net/url"
	"testing"
)

func TestPrintPage(t *testing.T) {
	for in, want := range map[string]string{
		"http://x.vn/tin-tuc/bai-1.html?print=1":                                                   "http://x.vn/tin-tuc/bai-1.html",
		"http://x.vn/tin-tuc/1563-hoi-nong-dan?tmpl=component&print=1&layout=default":              "http://x.vn/tin-tuc/1563-hoi-nong-dan",
		"http://x.vn/index.php?option=com_content&view=article&id=5&tmpl=component&print=1":        "http://x.vn/index.php?id=5&option=com_content&view=article",
		"http://x.vn/News.aspx?ID=12&Print=True":                                                   "http://x.vn/News.aspx?ID=12",
		"http://x.vn/chi-tiet?id=7&view=print":                                                     "http://x.vn/chi-tiet?id=7",
		"http://x.vn/tin-tuc/bai-1.html":                                                           "",
		"http://x.vn/tin-tuc/bai-1.html?id=3":                                                      "",
		"http://x.vn/tin-tuc/bai-1.html?print=0":                                                   "",
		"http://x.vn/search?q=print":                                                               "",
		"http://x.vn/index.php?option=com_content&view=article&id=5&tmpl=component&layout=default": "",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := printPage(u)
		if ok != (want != "") || got != want {
			t.Errorf("printPage(%s) = %q, %v; want %q", in, got, ok, want)
		}
		if ok && !mayBePrintPage(in) {
			t.Errorf("mayBePrintPage(%s) = false for a print version", in)
		}
	}
}
