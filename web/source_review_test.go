package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tulieu/store"
)

// TestArticlePageShowsSource: an article the site credits to another
// publication ("Minh Hiếu" then "(Nguồn: Báo Thanh Hóa)") is extracted with
// author_name "Minh Hiếu" and source "Báo Thanh Hóa"; the credit line is
// taken out of the body. `tulieu show` prints "Source: Báo Thanh Hóa", the
// md/html exports print "Nguồn: Báo Thanh Hóa", the diff page has a label
// for it; the article page's metadata and citation name it too. They never
// named the source (from a review): a researcher citing from the page
// attributed a republished article to the site alone.
func TestArticlePageShowsSource(t *testing.T) {
	ix, st := openEmptyParts(t)
	a := archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/tin-tuc/hoc-tap-1102.html", store.Content{
		Kind: store.KindArticle, Title: "Học tập, quán triệt Kết luận Hội nghị Trung ương 4 khóa XIII",
		Body: "Ngày 15/01, Đảng ủy Khối tổ chức hội nghị.", BodyHTML: "<p>Ngày 15/01, Đảng ủy Khối tổ chức hội nghị.</p>",
		Author: "Minh Hiếu", AuthorName: "Minh Hiếu", Source: "Báo Thanh Hóa",
		Category: "Tin tức chung", Breadcrumb: []string{"Tin tức chung"}, Published: "2022-01-15T17:25:00+07:00",
	}, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	srv := httptest.NewServer(New(ix, st, Options{}))
	t.Cleanup(srv.Close)
	code, body := get(t, srv.URL+"/article/"+a.ID)
	if code != 200 {
		t.Fatalf("GET /article/%s: %d", a.ID, code)
	}
	// The original's address is a link (it was plain text).
	if !strings.Contains(body, `<dd><a href="http://danguykhoithanhhoa.org.vn/tin-tuc/hoc-tap-1102.html" rel="noreferrer nofollow">`) {
		t.Errorf("the article page's Trang gốc is not a link to the original")
	}
	meta, cite := "", ""
	if i := strings.Index(body, "<h1>"); i >= 0 {
		meta, _, _ = strings.Cut(body[i:], "</p>")
	}
	if i := strings.Index(body, `id="citation">`); i >= 0 {
		cite, _, _ = strings.Cut(body[i:], "</p>")
	}
	if !strings.Contains(meta, "Nguồn: Báo Thanh Hóa") || !strings.Contains(cite, "Nguồn: Báo Thanh Hóa") {
		t.Errorf("the article page does not name the source \"Báo Thanh Hóa\" in its metadata and its citation (`tulieu show` and the md/html exports do):\n  meta: %s\n  citation: %s", meta, cite)
	}
}
