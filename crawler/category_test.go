package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/warc"
)

// crumbListing is a category page named title that lists the articles
// /tin-tuc/bai-1.html to bai-3.html.
func crumbListing(title string) string {
	teaser := func(i int) string {
		return fmt.Sprintf(`<div class="item"><h3><a href="/tin-tuc/bai-%d.html">Bài viết số %d về hoạt động của chi bộ cơ sở</a></h3><p>Tóm tắt bài viết.</p></div>`, i, i)
	}
	return `<html><head><title>` + title + `</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / <span>` + title + `</span></div><div class="list">` +
		teaser(1) + teaser(2) + teaser(3) + `</div></body></html>`
}

// writeCrumblessArticle writes an article page that prints no
// breadcrumb: its category can come only from a listing.
func writeCrumblessArticle(w io.Writer, path string) {
	fmt.Fprintf(w, `<html><head><title>Bài %[1]s</title></head><body><h1>Bài %[1]s</h1><div class="date">Ngày 28/02/2020</div><div class="content"><p>%[2]s</p><p>%[2]s</p></div></body></html>`,
		path, "Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của đông đủ các đồng chí ủy viên và đại biểu khách mời.")
}

// An article without a breadcrumb listed in two categories keeps the
// category it has in the catalog when the site lists the other category
// first on a later night: the order listings are reached in is not a
// change of the article (it made a new version of each, night after
// night).
func TestCategoryStableAcrossListingOrder(t *testing.T) {
	var swapped atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			a := `<a href="/chuyen-muc/tu-lieu">Chuyên mục Tư liệu của Đảng bộ Khối</a>`
			b := `<a href="/chuyen-muc/noi-bat">Chuyên mục Tin nổi bật của Đảng bộ Khối</a>`
			if swapped.Load() {
				a, b = b, a
			}
			fmt.Fprint(w, `<html><body>`+a+` `+b+`</body></html>`)
		case "/chuyen-muc/tu-lieu":
			fmt.Fprint(w, crumbListing("Tư liệu"))
		case "/chuyen-muc/noi-bat":
			fmt.Fprint(w, crumbListing("Tin nổi bật"))
		default:
			writeCrumblessArticle(w, r.URL.Path)
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 1})
	if sum.New != 3 {
		t.Fatalf("summary %+v", sum)
	}
	a, err := st.Article(context.Background(), srv.URL+"/tin-tuc/bai-2.html")
	if err != nil || a.Category != "Tư liệu" && a.Category != "Tin nổi bật" {
		t.Fatalf("category from a listing: %v %q", err, a.Category)
	}
	first := a.Category
	swapped.Store(true)
	w, _ := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	defer w.Close()
	sum2, err := New(st, w, nil).Run(context.Background(), Options{Sites: []string{srv.URL + "/"}, Parallel: 1, Timeout: 2 * time.Second})
	if err != nil || sum2.Unchanged != 3 || sum2.Changed != 0 {
		t.Errorf("re-crawl with the listings in the other order: %v %+v", err, sum2)
	}
	if a, _ := st.Article(context.Background(), srv.URL+"/tin-tuc/bai-2.html"); a.Category != first {
		t.Errorf("category changed with the listings' order: %q, was %q", a.Category, first)
	}
}
