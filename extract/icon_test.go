package extract

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TestIconImage: which pictures are icons (left out of the article's
// images, and no reason to read a table as a layout table).
func TestIconImage(t *testing.T) {
	base, _ := url.Parse("http://danguykhoithanhhoa.org.vn/tin-tuc/a-1.html")
	for _, c := range []struct {
		html string
		icon bool
	}{
		{`<img src="/a.jpg">`, false},
		{`<img src="/a.jpg" width="16" height="16">`, true},
		{`<img src="/pixel.gif" width="1">`, true},
		{`<a href="/uploads/kh.pdf"><img src="/images/pdf.png"></a>`, true},
		{`<a href="/uploads/kh.docx"><span><img src="/images/word.png" width="48"></span></a>`, true},
		{`<a href="/uploads/bao-cao.pdf"><img src="/uploads/bia-bao-cao.jpg" width="600"></a>`, false},
		{`<a href="/tin-tuc/a-2.html"><img src="/images/a-2.jpg"></a>`, false},
		{`<table><tr><td><img src="/images/pdf.png"></td></tr></table>`, false},
	} {
		doc, err := html.Parse(strings.NewReader(c.html))
		if err != nil {
			t.Fatal(err)
		}
		var img *html.Node
		var find func(n *html.Node)
		find = func(n *html.Node) {
			if n.DataAtom == atom.Img {
				img = n
			}
			for k := n.FirstChild; k != nil; k = k.NextSibling {
				find(k)
			}
		}
		find(doc)
		if got := iconImage(base, img); got != c.icon {
			t.Errorf("iconImage(%s) = %v, want %v", c.html, got, c.icon)
		}
	}
}
