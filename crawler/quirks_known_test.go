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
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"tulieu/store"
)

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

func TestIISCaseInsensitivePaths(t *testing.T) {
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
				fmt.Fprintf(w, `<li><a href="/Tin-Tuc/Bai-%d.aspx">Bài viết số %d về công tác xây dựng Đảng</a></li>`, i, i)
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
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 2})
	if arts := quirkArticles(t, st); len(arts) != 3 {
		t.Errorf("IIS serves one article under two letter cases: %d recorded (new=%d): %v; want 3", len(arts), sum.New, quirkKeys(arts))
	}
}

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
