package crawler

// Quirks of real Vietnamese government and party websites (ASP.NET
// WebForms, DotNetNuke, Liferay, old IIS, Joomla, WordPress), reproduced
// on small local sites, from a review. Each test's comment tells what
// happened before its fix (in the present tense of the review) and what
// should happen, which the test holds (all mended: the last six, kept
// in quirks_known_test.go under -tags knowndefects until then, on
// 2026-12-07).

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"tulieu/store"
	"tulieu/warc"
)

// quirkArticle writes an article page titled title, whose text starts with
// the title (every article has its own text), and extra HTML after it.
func quirkArticle(w http.ResponseWriter, title string, extra string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<html><head><meta charset="utf-8"><title>%[1]s</title></head><body>
<div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / %[1]s</div>
<h1>%[1]s</h1><div class="date">Ngày 28/02/2020</div>
<div class="content"><p>%[1]s: Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của đông đủ các đồng chí ủy viên và đại biểu khách mời.</p>
<p>Các đồng chí đã thảo luận và thống nhất các nội dung quan trọng về công tác xây dựng Đảng trong thời gian tới.</p></div>
%[2]s</body></html>`, title, extra)
}

// quirkArticles lists the catalog's articles and static pages: URL -> kind.
func quirkArticles(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	rows, err := st.DB().QueryContext(context.Background(), `SELECT url, kind FROM articles`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var u, k string
		if err := rows.Scan(&u, &k); err != nil {
			t.Fatal(err)
		}
		out[u] = k
	}
	return out
}

// quirkKeys is the sorted keys of m, for messages.
func quirkKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// quirkRequests counts the requests the server saw, robots.txt aside.
func quirkRequests(l *logged) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for p, ts := range l.hits {
		if p != "/robots.txt" {
			n += len(ts)
		}
	}
	return n
}

// TestRelativeLinkPathTrap: the classic IIS/URL-rewrite spider trap. An
// article at /tin-tuc/chi-tiet/12 links its related articles relatively
// and without a leading slash ("chi-tiet/13"), and the rewrite rule routes
// on the last number of the path, so /tin-tuc/chi-tiet/chi-tiet/13,
// /tin-tuc/chi-tiet/chi-tiet/chi-tiet/14… all answer 200 with an article.
// What happens: every level is a path of a new shape (urlPattern differs
// by its length), so no chain ever starts, and each page is an article
// ("something new"): the crawl goes down to --max-depth (100) and records
// the same six articles again under every nested URL. What should happen:
// a path whose segment repeats ("/chi-tiet/chi-tiet/", Heritrix's
// PathologicalPath rule) is a trap, not fetched or not followed; each
// article archived once, the crawl costs a handful of requests.
func TestRelativeLinkPathTrap(t *testing.T) {
	var l logged
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h2>Tin mới</h2><ul>`)
			for i := 1; i <= 6; i++ {
				fmt.Fprintf(w, `<li><a href="/tin-tuc/chi-tiet/%d">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		case strings.HasPrefix(r.URL.Path, "/tin-tuc/chi-tiet/"):
			segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
			n, err := strconv.Atoi(segs[len(segs)-1])
			if err != nil || n < 1 || n > 6 {
				http.NotFound(w, r)
				return
			}
			next := n%6 + 1
			quirkArticle(w, fmt.Sprintf("Bài viết số %d về công tác xây dựng Đảng", n),
				fmt.Sprintf(`<div class="tin-khac"><h3>Tin khác</h3><a href="chi-tiet/%d">Bài viết số %d về công tác xây dựng Đảng</a></div>`, next, next))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 4, MaxPages: 120})
	arts := quirkArticles(t, st)
	if len(arts) != 6 || quirkRequests(&l) > 30 {
		t.Errorf("6 articles, linked relatively as chi-tiet/N: %d recorded, %d requests (summary new=%d fetched=%d); want each once and a bounded crawl; e.g. %v",
			len(arts), quirkRequests(&l), sum.New, sum.Fetched, quirkKeys(arts)[:min(4, len(arts))])
	}
}

// TestCookielessSessionSegment: ASP.NET cookieless sessions put the
// session id in the path, "/(S(abc123))/tin-tuc/bai-1.aspx": a request
// without one is redirected to a new one, and the pages link relatively
// so every link carries it. What happens: the id is kept in the URL
// (Normalize drops ";jsessionid=" and PHPSESSID but not "(S(…))"), so
// the articles are recorded under the first night's session, and the
// next night (a new session) records them all again as new articles, and
// so on every night. What should happen: the "(S(…))" segment (and its
// "(A(…))", "(F(…))" kin) is a session id and is left out of the URL the
// article is recorded under, as ";jsessionid=" is.
func TestCookielessSessionSegment(t *testing.T) {
	var l logged
	session := "(S(aaaaaaaaaaaaaaaaaaaaaaaa))"
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, "/(S(")
		if !ok {
			http.Redirect(w, r, "/"+session+r.URL.Path, http.StatusFound)
			return
		}
		_, p, _ := strings.Cut(rest, "))")
		switch {
		case p == "/" || p == "/default.aspx":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h2>Tin mới</h2><ul>`)
			for i := 1; i <= 3; i++ {
				fmt.Fprintf(w, `<li><a href="tin-tuc/bai-%d.aspx">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		case strings.HasPrefix(p, "/tin-tuc/bai-"):
			quirkArticle(w, "Bài viết "+p, "")
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(handler)
	defer srv.Close()
	dir := t.TempDir()
	first := crawlOnce(t, dir, srv.URL+"/", Options{})
	session = "(S(bbbbbbbbbbbbbbbbbbbbbbbb))" // the next night, a new session
	second := crawlOnce(t, dir, srv.URL+"/", Options{})
	st := openStore(t, dir)
	arts := quirkArticles(t, st)
	if first.New != 3 || second.New != 0 || len(arts) != 3 {
		t.Errorf("3 articles behind a cookieless session id: night 1 new=%d, night 2 new=%d, catalog holds %d: %v; want 3, 0, 3 (the session id is no part of an article's address)",
			first.New, second.New, len(arts), quirkKeys(arts))
	}
}

// TestMetaRefreshHomePage: many old provincial sites answer "/" with a
// bare page that moves on by <meta http-equiv="refresh"
// content="0;url=/Portal/Default.aspx"> (an index.html left by the
// hosting company, a DNN or SharePoint portal behind it). What happens:
// the refresh target is neither a link nor a redirect, so nothing is
// queued: the night "completes" with the home page and nothing else, and
// every article is missed, with no error. What should happen: a meta
// refresh is followed as a redirect is (Heritrix and wget both extract
// it), and the portal's articles are archived.
func TestMetaRefreshHomePage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><meta http-equiv="Refresh" content="0; URL=/Portal/Default.aspx"><title>Đảng bộ tỉnh</title></head><body></body></html>`)
		case "/Portal/Default.aspx":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h2>Tin mới</h2><ul>`)
			for i := 1; i <= 3; i++ {
				fmt.Fprintf(w, `<li><a href="/Portal/tin-tuc/bai-%d.aspx">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		default:
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 2})
	if arts := quirkArticles(t, st); sum.New != 3 {
		t.Errorf("home page refreshes to the portal: %d articles archived (%v, fetched %d, status %s); want the portal's 3",
			sum.New, quirkKeys(arts), sum.Fetched, sum.Status)
	}
}

// quirkSoft404 is what many of these portals answer, with a 200, for a page
// that does not exist or no longer does: the site's chrome around a
// "Không tìm thấy trang" notice.
func quirkSoft404(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>Không tìm thấy trang - Cổng thông tin điện tử Đảng bộ tỉnh</title></head><body>
<div class="menu"><a href="/">Trang chủ</a> <a href="/gioi-thieu.html">Giới thiệu</a> <a href="/lien-he.html">Liên hệ</a></div>
<div class="main"><h1>Không tìm thấy trang</h1>
<p>Xin lỗi, trang bạn yêu cầu không tồn tại hoặc đã bị xóa khỏi hệ thống. Đường dẫn có thể đã bị thay đổi hoặc bài viết đã được gỡ bỏ theo quyết định của ban biên tập.</p>
<p>Vui lòng quay lại trang chủ hoặc sử dụng chức năng tìm kiếm để tìm thông tin bạn cần. Xin cảm ơn bạn đã truy cập cổng thông tin.</p></div>
<div class="footer">Cổng thông tin điện tử Đảng bộ tỉnh. Địa chỉ: số 1 đường Đại lộ Lê Lợi, thành phố Thanh Hóa.</div></body></html>`)
}

// TestSoftNotFoundRecordedAsPages: a portal that answers every missing
// page with 200 and a "Không tìm thấy trang" page (DNN, Joomla with SEF,
// most hand-made ASP.NET portals). The home page links three articles and
// four old articles since removed. What happens: each dead link's notice
// is recorded in the catalog as a static page of its own (four copies of
// "Không tìm thấy trang", searchable, exported, counted in pages_new).
// What should happen: a page whose title and heading say "không tìm thấy"
// / "không tồn tại" is a soft 404: a broken link, not a page of the
// archive.
func TestSoftNotFoundRecordedAsPages(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h2>Tin mới</h2><ul>`)
			for i := 1; i <= 3; i++ {
				fmt.Fprintf(w, `<li><a href="/tin-tuc/bai-%d.html">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
			}
			for i := 1; i <= 4; i++ {
				fmt.Fprintf(w, `<li><a href="/tin-tuc/bai-cu-%d.html">Bài viết cũ số %d về công tác tuyên giáo</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		case strings.HasPrefix(r.URL.Path, "/tin-tuc/bai-") && !strings.Contains(r.URL.Path, "cu"):
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		default:
			quirkSoft404(w)
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 4})
	arts := quirkArticles(t, st)
	var junk []string
	for u := range arts {
		if !strings.Contains(u, "/tin-tuc/bai-") || strings.Contains(u, "bai-cu") {
			junk = append(junk, u+" ("+arts[u]+")")
		}
	}
	if sum.New != 3 || len(junk) > 0 {
		t.Errorf("3 articles and 4 dead links answered by a soft 404: new=%d pages_new=%d; recorded besides the articles: %v; want the 3 articles and no notice recorded",
			sum.New, sum.PagesNew, junk)
	}
}

// TestSoftNotFoundReplacesArticle: an article archived one night is
// taken down the next, and the portal answers its address with 200 and
// its "Không tìm thấy trang" notice. What happens: the notice reads as a
// static page, and is recorded as the article's new version: the
// article's current text becomes the error notice, it changes kind from
// article to page and stays live; nothing says it was taken down. What
// should happen: as for a maintenance page sent as 200 (README: "an
// article whose page one night reads as nothing … stays an article"), or
// as a 404: the article keeps its text (or becomes a tombstone), it is
// not replaced by the notice.
func TestSoftNotFoundReplacesArticle(t *testing.T) {
	var removed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h2>Tin mới</h2><ul>`)
			for i := 1; i <= 3; i++ {
				fmt.Fprintf(w, `<li><a href="/tin-tuc/bai-%d.html">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		case r.URL.Path == "/tin-tuc/bai-2.html" && removed.Load():
			quirkSoft404(w)
		case strings.HasPrefix(r.URL.Path, "/tin-tuc/bai-"):
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		default:
			quirkSoft404(w)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	crawlOnce(t, dir, srv.URL+"/", Options{})
	removed.Store(true)
	crawlOnce(t, dir, srv.URL+"/", Options{})
	st := openStore(t, dir)
	a, err := st.Article(context.Background(), srv.URL+"/tin-tuc/bai-2.html")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Title, "Không tìm thấy") || a.Kind != store.KindArticle {
		t.Errorf("an article answered by a soft 404 the next night: now kind %q, status %q, title %q, %d versions; want the article kept (or a tombstone), not replaced by the notice",
			a.Kind, a.Status, a.Title, a.Versions)
	}
}

// TestRelativeSitemapInRobots: robots.txt written by hand on these
// sites often names its sitemap relatively ("Sitemap: /sitemap.xml"),
// with a BOM, CRLF line ends and Vietnamese comments. What happens: the
// line is read, but enqueue normalizes it with no base, which fails ("URL
// has no host"), and it is dropped without a word: the articles only the
// sitemap lists (older ones no listing reaches any more) are never
// archived. What should happen: the sitemap URL is resolved against the
// robots.txt URL (as Google and Bing do), or at least the skip is logged.
func TestRelativeSitemapInRobots(t *testing.T) {
	var l logged
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "\ufeff# Tệp robots.txt của Cổng thông tin điện tử Đảng bộ tỉnh\r\nUser-agent: *\r\nDisallow: /quan-tri/ # khu vực quản trị\r\nSitemap: /sitemap.xml\r\n")
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/tin-tuc/bai-cu-trong-sitemap.html</loc></url><url><loc>`+"http://"+r.Host+`/tin-tuc/bai-cu-2.html</loc></url></urlset>`)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><a href="/tin-tuc/bai-moi.html">Bài viết mới nhất về công tác xây dựng Đảng</a> <a href="/quan-tri/dang-nhap.aspx">Quản trị</a></body></html>`)
		default:
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		}
	}))
	defer srv.Close()
	runCrawl(t, srv.URL+"/", Options{Parallel: 2})
	if len(l.times("/quan-tri/dang-nhap.aspx")) != 0 {
		t.Error("robots.txt with a BOM, CRLF and Vietnamese comments: its Disallow was not obeyed")
	}
	if len(l.times("/sitemap.xml")) != 1 || len(l.times("/tin-tuc/bai-cu-2.html")) != 1 {
		t.Errorf("robots.txt names its sitemap as /sitemap.xml: sitemap fetched %d times, the article it alone lists %d times; want both once",
			len(l.times("/sitemap.xml")), len(l.times("/tin-tuc/bai-cu-2.html")))
	}
}

// TestNewlineInsideHref: pages edited in FrontPage or Dreamweaver, and
// CMS editors that wrap long attributes, leave a line break (or a tab)
// inside an href: <a href="/tin-tuc/hoi-nghi-ban-chap-hanh-⏎dang-bo-tinh.html">
// (⏎ a line break). Browsers remove tabs and line breaks from URLs
// (WHATWG URL parser) and follow the link. What happens: url.Parse
// refuses the control character, the link is dropped without a word, and
// the article is never archived. What should happen: tabs and line
// breaks are removed from a link before it is parsed, as browsers do.
func TestNewlineInsideHref(t *testing.T) {
	var l logged
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><h2>Tin mới</h2><ul><li><a href=\"/tin-tuc/bai-ngan.html\">Bài viết ngắn về công tác xây dựng Đảng</a></li>"+
				"<li><a href=\"/tin-tuc/hoi-nghi-ban-chap-hanh-\r\ndang-bo-tinh-lan-thu-nhat.html\">Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ nhất</a></li>"+
				"<li><a href=\"/tin-tuc/\tbai-co-tab.html\">Bài viết có dấu tab trong đường dẫn</a></li></ul></body></html>")
		default:
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		}
	}))
	defer srv.Close()
	sum, _ := runCrawl(t, srv.URL+"/", Options{Parallel: 2})
	if n := len(l.times("/tin-tuc/hoi-nghi-ban-chap-hanh-dang-bo-tinh-lan-thu-nhat.html")) + len(l.times("/tin-tuc/bai-co-tab.html")); n != 2 || sum.New != 3 {
		t.Errorf("two links with a line break or a tab inside the href: %d of them fetched, %d articles (requests: %v); want both and 3 articles", n, sum.New, quirkKeys(l.hits))
	}
}

// quirkVirtualHosts serves handler for any host name, over http and https,
// through one proxy (forward requests for http://, CONNECT tunnels for
// https://): a site's www. and bare names, on both schemes, on one
// machine. handler is told the scheme the request came by.
func quirkVirtualHosts(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, scheme string)) *url.URL {
	t.Helper()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler(w, r, "https")
	}))
	t.Cleanup(tlsSrv.Close)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			handler(w, r, "http")
			return
		}
		up, err := net.DialTimeout("tcp", tlsSrv.Listener.Addr().String(), 2*time.Second)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			up.Close()
			return
		}
		conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		done := make(chan struct{}, 2)
		go func() { io.Copy(up, buf.Reader); up.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
		go func() { io.Copy(conn, up); conn.Close(); done <- struct{}{} }()
		<-done
		<-done
		up.Close()
	}))
	t.Cleanup(proxy.Close)
	u, _ := url.Parse(proxy.URL)
	return u
}

// TestMonthDayCalendarTrap: the "Lịch công tác" / "Tin theo ngày"
// calendar of most of these portals is two shapes: a month view
// (?nam=2024&thang=5) linking the previous and next month and each of its
// days, and a day view (?nam=2024&ngay=7&thang=5) linking the previous
// and next day and its month. No article anywhere. What happens: every
// month page links thirty day pages of the other shape, never seen
// before, which counts as "something new", so the month chain is never
// barren and runs to --max-depth in both directions (some 200 months and
// 6000 day pages a night). What should happen (README: "an endless
// calendar … costs a handful of requests"): pages that only lead to more
// calendar pages are barren, and the calendar costs tens of requests, not
// the crawl's whole budget.
func TestMonthDayCalendarTrap(t *testing.T) {
	var l logged
	var cal atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		q := r.URL.Query()
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/lich-cong-tac.aspx?nam=2024&thang=5">Lịch công tác</a><ul>`)
			for i := 1; i <= 5; i++ {
				fmt.Fprintf(w, `<li><a href="/tin-tuc/bai-%d.html">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		case "/lich-cong-tac.aspx":
			cal.Add(1)
			y, _ := strconv.Atoi(q.Get("nam"))
			m, _ := strconv.Atoi(q.Get("thang"))
			month := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			if d := q.Get("ngay"); d != "" {
				day, _ := strconv.Atoi(d)
				date := month.AddDate(0, 0, day-1)
				prev, next := date.AddDate(0, 0, -1), date.AddDate(0, 0, 1)
				fmt.Fprintf(w, `<html><body><h1>Lịch công tác ngày %s</h1><p>Chưa có lịch công tác.</p>
<a href="?nam=%d&ngay=%d&thang=%d">Ngày trước</a> <a href="?nam=%d&ngay=%d&thang=%d">Ngày sau</a> <a href="?nam=%d&thang=%d">Cả tháng</a></body></html>`,
					date.Format("02/01/2006"), prev.Year(), prev.Day(), int(prev.Month()), next.Year(), next.Day(), int(next.Month()), date.Year(), int(date.Month()))
				return
			}
			prev, next := month.AddDate(0, -1, 0), month.AddDate(0, 1, 0)
			fmt.Fprintf(w, `<html><body><h1>Lịch công tác tháng %d/%d</h1><a href="?nam=%d&thang=%d">Tháng trước</a> <a href="?nam=%d&thang=%d">Tháng sau</a><table><tr>`,
				m, y, prev.Year(), int(prev.Month()), next.Year(), int(next.Month()))
			for d := month; d.Month() == month.Month(); d = d.AddDate(0, 0, 1) {
				fmt.Fprintf(w, `<td><a href="?nam=%d&ngay=%d&thang=%d">%d</a></td>`, y, d.Day(), m, d.Day())
			}
			fmt.Fprint(w, `</tr></table></body></html>`)
		default:
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		}
	}))
	defer srv.Close()
	sum, _ := runCrawl(t, srv.URL+"/", Options{Parallel: 4, MaxPages: 400})
	if n := cal.Load(); n > 100 || sum.New != 5 {
		t.Errorf("a month/day calendar with no article: %d calendar pages fetched (of %d requests, max-pages 400), %d articles; want a bounded calendar (tens of pages) and the 5 articles",
			n, quirkRequests(&l), sum.New)
	}
}

// TestCookieThenRedirectToItself: the anti-bot gateways of many
// Vietnamese hosting companies (nginx testcookie, a "kiểm tra trình
// duyệt" step) and ASP.NET portals that pick the language on the first
// visit answer a request without their cookie with Set-Cookie and a 302
// to the very same URL; asked again with the cookie, they serve the page
// (browsers, curl -L -b, wget all get through). What happens: colly's
// cookie jar keeps the cookie, but checkRedirect takes the hop back to
// the URL just asked for as a redirect loop: the home page is an error,
// nothing else is found, and the run says "completed" with 0 articles.
// What should happen: a redirect back to a URL of the chain is followed
// when the answer set a cookie (the next request is not the same one);
// a loop is still a loop when it repeats.
func TestCookieThenRedirectToItself(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if c, err := r.Cookie("ngon_ngu"); err != nil || c.Value != "vi" {
			http.SetCookie(w, &http.Cookie{Name: "ngon_ngu", Value: "vi", Path: "/"})
			http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
			return
		}
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><ul><li><a href="/tin-tuc/bai-1.html">Bài viết số 1 về công tác xây dựng Đảng</a></li><li><a href="/tin-tuc/bai-2.html">Bài viết số 2 về công tác xây dựng Đảng</a></li></ul></body></html>`)
			return
		}
		quirkArticle(w, "Bài viết "+r.URL.Path, "")
	}))
	defer srv.Close()
	sum := crawlOnce(t, t.TempDir(), srv.URL+"/", Options{})
	if sum.New != 2 {
		t.Errorf("a site that sets a cookie and redirects to the same URL: status %s, new=%d, errors=%d, fetched=%d; want its 2 articles",
			sum.Status, sum.New, sum.Errors, sum.Fetched)
	}
}

// TestOnclickOnlyLinks: DNN and hand-made ASP.NET portals print their
// news tiles and "Xem tiếp" buttons as
// <div onclick="window.location='/tin-tuc/bai-7.aspx'"> or
// <a href="javascript:void(0)" onclick="location.href='…'"> and a
// <select onchange="window.location=this.value"> of categories, with no
// plain <a href> to the article. What happened: only a/area hrefs were
// links, so those articles were never found (the javascript: hrefs are
// rightly not fetched). Now a same-site URL in an onclick's location
// assignment (Heritrix extracts URI-looking strings from on* attributes)
// and in the <option value> of a jump menu is followed: the articles are
// archived.
func TestOnclickOnlyLinks(t *testing.T) {
	var l logged
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h2>Tin mới</h2><ul>
<li><a href="/tin-tuc/bai-1.aspx">Bài viết số 1 về công tác xây dựng Đảng</a></li>
<li><a href="/tin-tuc/bai-2.aspx">Bài viết số 2 về công tác xây dựng Đảng</a></li></ul>
<div class="tile" onclick="window.location='/tin-tuc/bai-3.aspx'"><img src="/anh/3.jpg"><span>Bài viết số 3 về công tác xây dựng Đảng</span></div>
<a href="javascript:void(0)" onclick="location.href='/tin-tuc/bai-4.aspx';return false;">Bài viết số 4 về công tác xây dựng Đảng</a>
<a href="javascript:__doPostBack('ctl00$ContentPane$pager','Page$2')">Trang 2</a>
<select onchange="window.location=this.value"><option value="">-- Chuyên mục --</option><option value="/chuyen-muc/tu-lieu.aspx">Tư liệu lịch sử</option></select>
<select onchange="window.open(this.value)"><option>Liên kết website</option><option value="http://thanhhoa.gov.vn/">Cổng TTĐT tỉnh</option></select>
</body></html>`)
		case "/chuyen-muc/tu-lieu.aspx":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h2>Tư liệu lịch sử</h2><ul><li><a href="/tin-tuc/bai-5.aspx">Bài viết số 5 về lịch sử Đảng bộ tỉnh</a></li><li><a href="/tin-tuc/bai-6.aspx">Bài viết số 6 về lịch sử Đảng bộ tỉnh</a></li></ul></body></html>`)
		default:
			quirkArticle(w, "Bài viết "+r.URL.Path, "")
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 2})
	for p := range l.hits {
		if strings.Contains(p, "javascript") || strings.Contains(p, "doPostBack") {
			t.Errorf("junk URL fetched: %s", p)
		}
	}
	if sum.New != 6 {
		t.Errorf("6 articles, 2 of them linked only by onclick and 2 only through a category jump menu: %d archived (%v)", sum.New, quirkKeys(quirkArticles(t, st)))
	}
}

// TestIISCaseInsensitivePaths: IIS answers /Tin-Tuc/Bai-1.aspx and
// /tin-tuc/bai-1.aspx with the same page, and ASP.NET portals link both
// (the menu built from the page names "Tin-Tuc", editors typing the
// lower-case one in the "Tin liên quan" box), with no canonical link.
// What happened: the two spellings were two URLs, each fetched and
// recorded as an article of its own: three articles became six, every
// night, and search showed each twice. Now, on a server that says it is
// IIS (Server: Microsoft-IIS/…), whose paths are case-insensitive, a URL
// spelt otherwise than one queued before is that one (caselessHosts):
// each article once, and the next night, whose home page links the other
// spelling, records nothing new.
func TestIISCaseInsensitivePaths(t *testing.T) {
	var lowerHome atomic.Bool // the second night's home page links the lower-case spelling
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "Microsoft-IIS/8.5")
		w.Header().Set("X-Powered-By", "ASP.NET")
		p := strings.ToLower(r.URL.Path)
		switch {
		case p == "/robots.txt":
			http.NotFound(w, r)
		case p == "/" || p == "/default.aspx":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><div class="menu"><a href="/Default.aspx">Trang chủ</a> <a href="/Tin-Tuc.aspx">Tin tức</a></div><h2>Tin mới</h2><ul>`)
			for i := 1; i <= 3; i++ {
				link := fmt.Sprintf("/Tin-Tuc/Bai-%d.aspx", i)
				if lowerHome.Load() {
					link = strings.ToLower(link)
				}
				fmt.Fprintf(w, `<li><a href="%s">Bài viết số %d về công tác xây dựng Đảng</a></li>`, link, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		case p == "/tin-tuc.aspx":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h2>Tin tức</h2><ul>`)
			for i := 1; i <= 3; i++ {
				fmt.Fprintf(w, `<li><a href="/tin-tuc/bai-%d.aspx">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		case strings.HasPrefix(p, "/tin-tuc/bai-"):
			quirkArticle(w, "Bài viết "+p, "")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	opts := Options{Parallel: 2}
	sum, st := runCrawl(t, srv.URL+"/", opts)
	if arts := quirkArticles(t, st); len(arts) != 3 {
		t.Errorf("IIS serves one article under two letter cases: %d recorded (new=%d): %v; want 3", len(arts), sum.New, quirkKeys(arts))
	}
	lowerHome.Store(true)
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	opts.Sites, opts.Timeout = []string{srv.URL + "/"}, 2*time.Second
	again, err := New(st, w, nil).Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if arts := quirkArticles(t, st); len(arts) != 3 || again.New != 0 {
		t.Errorf("the next night, the home page linking the other spelling: %d articles (new=%d): %v; want 3, none new", len(arts), again.New, quirkKeys(arts))
	}
}

// TestPrintVersionWithoutCanonical: Joomla (?tmpl=component&print=1),
// DNN and most hand-made portals link every article to its "Bản in"
// (?print=1) and to anchors in itself (#binh-luan); the print page shows
// the same title, date and text, without the site's chrome and without a
// canonical link. What happened: the fragment was rightly dropped, but
// the print page was recorded as a second article, with the same text:
// every article twice in the catalog, in search and in exports. Now a link
// to a print version (print=1, Joomla's tmpl=component&print=1, view=print
// on the same path: printPage) is followed as the article's own address:
// each article once, and one fetch for it.
func TestPrintVersionWithoutCanonical(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><h2>Tin mới</h2><ul>`)
			for i := 1; i <= 2; i++ {
				fmt.Fprintf(w, `<li><a href="/tin-tuc/bai-%d.html">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
		default:
			title := "Bài viết " + r.URL.Path
			if r.URL.Query().Get("print") == "1" {
				quirkArticle(w, title, "")
				return
			}
			quirkArticle(w, title, `<div class="tools"><a href="#binh-luan">Bình luận</a> <a href="?print=1" target="_blank">Bản in</a> <a href="#top">Đầu trang</a></div><a name="binh-luan"></a>`)
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 2})
	if arts := quirkArticles(t, st); len(arts) != 2 {
		t.Errorf("2 articles, each with a print version (?print=1) that names no canonical: %d recorded (new=%d): %v; want 2", len(arts), sum.New, quirkKeys(arts))
	}
}

// TestWwwAndHttpsTwins: a provincial portal answers on
// http://dangbo.example, http://www.dangbo.example and both on https,
// without redirecting one to another (the certificate was added later,
// the www. name was the old one), and its pages link all four: relative
// links in the news list, absolute "http://www." ones in the menu
// written years ago, "https://" ones pasted by editors in "Tin liên
// quan". No canonical link. What happened: the scope rightly took all
// four, but they were four URLs: each article was fetched and recorded up
// to four times, as different articles. Now the www. and bare names and
// the two schemes of a site are one site for identity (identityKeys: the
// first spelling queued is fetched, the catalog's first on the nights
// after): each article once.
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
// What happened: raw and percent-encoded spellings were rightly one URL,
// and a raw NFD link was folded to NFC with the page's text by the
// extractor; but a percent-encoded NFD link (as copied from an address
// bar, or printed by a CMS that stores the slug encoded) was not: the NFC
// and NFD forms were two URLs, and the article was recorded twice. Now
// the two forms are one identity (identityKeys: the path in NFC, as the
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
// answering 200. What happened the night after: the redirect to the home
// page ended as "already visited" and the article was simply not spoken
// of: it stayed live in the catalog, counted neither deleted, unchanged
// nor an error, night after night; the error page was recorded as a new
// article of its own (one per removed article, the aspxerrorpath
// differs), and the article taken down stayed live too. Now a known
// article whose address redirects to the site's home page, or to an
// error page, is taken down at the run's end (takeDownRedirected): a
// tombstone (counted in deleted), as a 404 makes it; and the error page is
// no article.
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
