//go:build knowndefects

package crawler

// Quirks of real Vietnamese government and party websites (ASP.NET
// WebForms, DotNetNuke, Liferay, old IIS, Joomla, WordPress), reproduced
// on small local sites, from a review: the defects found and not mended
// yet, each test failing until it is. They are built only with -tags
// knowndefects (go test -tags knowndefects ./crawler), so that the suite
// stays green while they wait; the issue tracker lists them too. The
// helpers they use are in quirks_review_test.go.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"tulieu/store"
)

// TestRemovedArticleRedirectsElsewhere: how these portals take an
// article down. Many answer its address, from then on, with a redirect to
// the home page (Response.Redirect("/")), and ASP.NET sites with
// customErrors with a redirect to /Error.aspx?aspxerrorpath=/tin-tuc/…
// answering 200. What happens the night after: the redirect to the home
// page ends as "already visited" and the article is simply not spoken of:
// it stays live in the catalog, counted neither deleted, unchanged nor an
// error, night after night; the error page is recorded as a new article
// of its own (one per removed article, the aspxerrorpath differs), and
// the article taken down stays live too. What should happen: a known
// article whose address now redirects to the site's home page, or to an
// error page, is taken down: a tombstone (counted in deleted), as a 404
// makes it; and the error page is no article.
func TestRemovedArticleRedirectsElsewhere(t *testing.T) {
	var gone atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><h2>Tin mới</h2><ul>`)
			for i := 1; i <= 3; i++ {
				if i == 1 || !gone.Load() {
					fmt.Fprintf(w, `<li><a href="/tin-tuc/bai-%d.html">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
				}
			}
			fmt.Fprint(w, `</ul></body></html>`)
		case "/tin-tuc/bai-2.html":
			if gone.Load() {
				http.Redirect(w, r, "/", http.StatusFound)
				return
			}
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		case "/tin-tuc/bai-3.html":
			if gone.Load() {
				http.Redirect(w, r, "/Error.aspx?aspxerrorpath=/tin-tuc/bai-3.html", http.StatusFound)
				return
			}
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		case "/Error.aspx":
			fmt.Fprint(w, `<html><head><title>Lỗi - Cổng thông tin điện tử Đảng bộ tỉnh</title></head><body><h1>Đã có lỗi xảy ra</h1>
<p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa khỏi hệ thống. Đường dẫn có thể đã bị thay đổi hoặc bài viết đã được gỡ bỏ theo quyết định của ban biên tập.</p>
<p>Vui lòng quay lại trang chủ hoặc sử dụng chức năng tìm kiếm để tìm thông tin bạn cần. Xin cảm ơn bạn đã truy cập cổng thông tin.</p></body></html>`)
		default:
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	crawlOnce(t, dir, srv.URL+"/", Options{})
	gone.Store(true)
	night2 := crawlOnce(t, dir, srv.URL+"/", Options{})
	st := openStore(t, dir)
	var live []string
	for _, p := range []string{"/tin-tuc/bai-2.html", "/tin-tuc/bai-3.html"} {
		if a, err := st.Article(context.Background(), srv.URL+p); err == nil && a.Status == store.StatusLive {
			live = append(live, p)
		}
	}
	arts := quirkArticles(t, st)
	if len(live) > 0 || night2.Deleted != 2 || len(arts) != 3 {
		t.Errorf("two articles taken down, their addresses now redirecting to / and to /Error.aspx: still live %v; night 2 deleted=%d unchanged=%d errors=%d new=%d; catalog %v; want both tombstones (deleted=2) and no error page recorded",
			live, night2.Deleted, night2.Unchanged, night2.Errors, night2.New, quirkKeys(arts))
	}
}
