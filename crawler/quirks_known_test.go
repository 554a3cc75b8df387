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
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"golang.org/x/text/unicode/norm"

	"tulieu/store"
)

// TestWwwAndHttpsTwins: a provincial portal answers on
// http://dangbo.example, http://www.dangbo.example and both on https,
// without redirecting one to another (the certificate was added later,
// the www. name was the old one), and its pages link all four: relative
// links in the news list, absolute "http://www." ones in the menu
// written years ago, "https://" ones pasted by editors in "Tin liên
// quan". No canonical link. What happens: the scope rightly takes all
// four, but they are four URLs: each article is fetched and recorded up
// to four times, as different articles. What should happen: the www. and
// bare names and the two schemes of a site in scope are one site for
// identity (the form of the start URL, or the first one seen): each
// article once.
func TestWwwAndHttpsTwins(t *testing.T) {
	var l logged
	proxy := quirkVirtualHosts(t, func(w http.ResponseWriter, r *http.Request, scheme string) {
		l.hit(scheme + "://" + r.Host + r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><div class="menu"><a href="http://www.dangbo.example/">Trang chủ</a> <a href="http://www.dangbo.example/tin-tuc/bai-2.html">Bài viết số 2 về công tác xây dựng Đảng</a></div>
<h2>Tin mới</h2><ul><li><a href="/tin-tuc/bai-1.html">Bài viết số 1 về công tác xây dựng Đảng</a></li><li><a href="/tin-tuc/bai-2.html">Bài viết số 2 về công tác xây dựng Đảng</a></li><li><a href="/tin-tuc/bai-3.html">Bài viết số 3 về công tác xây dựng Đảng</a></li></ul></body></html>`)
		default:
			quirkArticle(w, "Bài viết "+r.URL.Path, `<div class="tin-lien-quan"><h3>Tin liên quan</h3><a href="https://dangbo.example/tin-tuc/bai-1.html">Bài viết số 1 về công tác xây dựng Đảng</a> <a href="https://www.dangbo.example/tin-tuc/bai-3.html">Bài viết số 3 về công tác xây dựng Đảng</a></div>`)
		}
	})
	sum, st := runCrawl(t, "http://dangbo.example/", Options{Parallel: 2, Proxy: proxy, TLS: &tls.Config{InsecureSkipVerify: true}})
	arts := quirkArticles(t, st)
	if len(arts) != 3 {
		t.Errorf("3 articles linked as http/https and www./bare: %d recorded (new=%d, errors=%d): %v; want each once",
			len(arts), sum.New, sum.Errors, quirkKeys(arts))
	}
}

// TestVietnameseSlugNFCAndNFD: a WordPress or Joomla portal with
// Vietnamese slugs. The CMS prints its links in precomposed Unicode
// (NFC), percent-encoded or raw; an editor who types with Unikey's
// "Unicode tổ hợp" (decomposed, NFD), or pastes from a Mac, links the
// same article with the tone marks as combining characters; the server
// (WordPress's sanitize_title, IIS routing to a slug looked up in the
// database with a Vietnamese collation) answers both with the article.
// What happens: raw and percent-encoded spellings are rightly one URL,
// and a raw NFD link is folded to NFC with the page's text by the
// extractor; but a percent-encoded NFD link (as copied from an address
// bar, or printed by a CMS that stores the slug encoded) is not: the NFC
// and NFD forms are two URLs, and the article is recorded twice.
// What should happen: the two forms are one identity (NFC, as the
// catalog already folds category names "in any Unicode form"): each
// article once.
func TestVietnameseSlugNFCAndNFD(t *testing.T) {
	slug := "/tin-tức/hội-nghị-ban-chấp-hành-đảng-bộ-tỉnh"
	nfd := norm.NFD.String(slug)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := norm.NFC.String(r.URL.Path)
		switch p {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><body><h2>Tin mới</h2><ul><li><a href="%s">Hội nghị Ban Chấp hành Đảng bộ tỉnh</a></li><li><a href="%s">Hội nghị Ban Chấp hành Đảng bộ tỉnh (bản mã hoá)</a></li></ul>
<div class="noi-bat"><a href="%s">Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ nhất</a></div></body></html>`,
				slug, (&url.URL{Path: slug}).EscapedPath(), (&url.URL{Path: nfd}).EscapedPath())
		case slug:
			quirkArticle(w, "Hội nghị Ban Chấp hành Đảng bộ tỉnh", "")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 2})
	if arts := quirkArticles(t, st); len(arts) != 1 {
		t.Errorf("one article linked by its NFC slug (raw and percent-encoded) and its percent-encoded NFD slug: %d recorded (new=%d): %q; want 1", len(arts), sum.New, quirkKeys(arts))
	}
}

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
