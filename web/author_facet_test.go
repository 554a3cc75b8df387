package web

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"tulieu/store"
)

// TestAuthorFacetLinksFindTheirCount: a researcher who clicks an author
// in the facets gets as many articles as the facet showed, and the page
// marks the facet as the active one. The link used to give the name as a
// plain author filter, which finds it within every byline and in every
// spelling: "Nguyễn Văn An (1)" listed three articles.
func TestAuthorFacetLinksFindTheirCount(t *testing.T) {
	ix, st := openEmptyParts(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i, author := range []string{"Nguyễn Văn An", "Nguyễn Văn An, Trần Thị Bình", "Nguyen Van An", "Trần Thị Bình"} {
		u := "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-" + strconv.Itoa(i) + ".html"
		archiveArticle(t, st, ix, u, store.Content{Kind: store.KindArticle, Title: "Hội nghị chi bộ số " + strconv.Itoa(i),
			Body: "Chi bộ họp bàn công tác xây dựng Đảng.", Author: author, Published: "2024-01-0" + strconv.Itoa(i+1)}, at)
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	page := func(path string) *goquery.Document {
		t.Helper()
		code, body := get(t, srv.URL+path)
		if code != 200 {
			t.Fatalf("GET %s: %d", path, code)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	links := page("/search?q=h%E1%BB%99i+ngh%E1%BB%8B").Find(`#facets a[href*="author="]`)
	if links.Length() != 4 {
		t.Fatalf("%d author facet links, want 4", links.Length())
	}
	links.Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		want, _ := strconv.Atoi(strings.TrimSpace(a.Parent().Find(".n").Text()))
		got := page(href)
		if n := got.Find("ol.hits > li").Length(); n != want {
			t.Errorf("facet %q counts %d articles; its link %s lists %d", a.Text(), want, href, n)
		}
		// The words only a screen reader hears ("đang lọc") aside.
		shown := got.Find("#facets li.active a").Clone()
		shown.Find(".visually-hidden").Remove()
		if active := shown.Text(); active != a.Text() {
			t.Errorf("after clicking %q the active facet is %q", a.Text(), active)
		}
	})
}
