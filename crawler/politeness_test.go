package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"tulieu/store"
	"tulieu/warc"
)

// article is a page the extractor takes for an article.
func article(w http.ResponseWriter, title string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<html><head><title>%[1]s</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / %[1]s</div>
<h1>%[1]s</h1><div class="date">Ngày 28/02/2020</div><div class="content"><p>%[2]s</p><p>%[2]s</p></div></body></html>`, title,
		"Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của đông đủ các đồng chí ủy viên và đại biểu khách mời.")
}

type logged struct {
	mu   sync.Mutex
	hits map[string][]time.Time
}

func (l *logged) hit(p string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.hits == nil {
		l.hits = map[string][]time.Time{}
	}
	l.hits[p] = append(l.hits[p], time.Now())
	return len(l.hits[p])
}

func (l *logged) times(p string) []time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]time.Time(nil), l.hits[p]...)
}

func runCrawl(t *testing.T, site string, opts Options) (*Summary, *store.Store) {
	t.Helper()
	opts.Sites = []string{site}
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	sum, st, err := crawlInto(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum, st
}

// crawlInto runs one crawl into a new archive (catalog and WARC files in
// a temporary data directory) and returns it with the crawl's result.
func crawlInto(t *testing.T, opts Options) (*Summary, *store.Store, error) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sum, err := New(st, w, nil).Run(ctx, opts)
	return sum, st, err
}

func TestCrawlDelayFromRobots(t *testing.T) {
	var l logged
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n")
		case "/":
			fmt.Fprint(w, `<html><body><a href="/a.html">Bài viết thứ nhất về công tác Đảng</a> <a href="/b.html">Bài viết thứ hai về công tác Đảng</a> <a href="/private/x.html">riêng tư</a></body></html>`)
		default:
			article(w, "Bài "+r.URL.Path)
		}
	}))
	defer srv.Close()
	sum, _ := runCrawl(t, srv.URL+"/", Options{Parallel: 4})
	if sum.New != 2 {
		t.Fatalf("summary %+v", sum)
	}
	var starts []time.Time
	for _, p := range []string{"/", "/a.html", "/b.html"} {
		starts = append(starts, l.times(p)...)
	}
	if len(l.times("/private/x.html")) != 0 {
		t.Error("robots.txt disallows /private/ but it was fetched")
	}
	if len(l.times("/robots.txt")) != 1 {
		t.Errorf("robots.txt fetched %d times", len(l.times("/robots.txt")))
	}
	// Three requests with Crawl-delay 1 s between their starts, even with
	// four allowed in flight.
	first, last := starts[0], starts[0]
	for _, s := range starts {
		if s.Before(first) {
			first = s
		}
		if s.After(last) {
			last = s
		}
	}
	if last.Sub(first) < 1900*time.Millisecond {
		t.Errorf("3 requests took %v: Crawl-delay 1 s not obeyed", last.Sub(first))
	}
}

func TestRetryAfterAndBackoff(t *testing.T) {
	var l logged
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/busy.html">Một trang đang bận trả lời 503</a> <a href="/flaky.html">Một trang lúc được lúc không</a> <a href="/broken.html">Một trang luôn luôn hỏng</a></body></html>`)
		case "/busy.html":
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				http.Error(w, "bận", http.StatusServiceUnavailable)
				return
			}
			article(w, "Trang bận")
		case "/flaky.html":
			if n < 3 {
				http.Error(w, "lỗi", http.StatusInternalServerError)
				return
			}
			article(w, "Trang chập chờn")
		case "/broken.html":
			http.Error(w, "hỏng", http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 2, RetryBase: 50 * time.Millisecond, MaxRetries: 3})
	if sum.New != 2 || sum.Errors != 1 {
		t.Fatalf("summary %+v: want the busy and flaky pages saved and the broken one an error", sum)
	}
	busy := l.times("/busy.html")
	if len(busy) != 2 || busy[1].Sub(busy[0]) < 950*time.Millisecond {
		t.Errorf("503 with Retry-After 1: %d tries, %v apart", len(busy), busy)
	}
	if n := len(l.times("/flaky.html")); n != 3 {
		t.Errorf("flaky page tried %d times, want 3", n)
	}
	if n := len(l.times("/broken.html")); n != 4 {
		t.Errorf("broken page tried %d times, want 1 + 3 retries", n)
	}
	caps, _ := st.Captures(context.Background(), srv.URL+"/broken.html")
	if len(caps) != 4 || caps[3].Status != http.StatusBadGateway {
		t.Errorf("every failure is recorded with its reason: %+v", caps)
	}
}

// trapSite serves a calendar whose every day links to the next (and, with
// fresh, to an article of its own), 30 articles on the home page, a
// listing paginated over 120 pages of 3 new articles each, and a "next
// page" that repeats the same 3 articles forever.
func trapSite(l *logged, fresh bool) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/lich":
			day, err := time.Parse("2006-01-02", r.URL.Query().Get("ngay"))
			if err != nil {
				day = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			next := day.AddDate(0, 0, 1).Format("2006-01-02")
			fmt.Fprintf(w, `<html><body><p>Lịch công tác ngày %s</p><a href="/lich?ngay=%s">Ngày hôm sau</a>`, day.Format("02/01/2006"), next)
			// Every day also links to the home page's first article.
			fmt.Fprint(w, ` <a href="/bai-1.html">Bài số 1</a>`)
			if fresh {
				fmt.Fprintf(w, ` <a href="/lich-bai-%s.html">Bài của ngày</a>`, day.Format("20060102"))
			}
			fmt.Fprint(w, `</body></html>`)
		case "/tin":
			n, _ := strconv.Atoi(r.URL.Query().Get("trang"))
			n = max(n, 1)
			fmt.Fprint(w, `<html><body>`)
			for i := range 3 {
				fmt.Fprintf(w, `<a href="/tin-%d.html">Tin %d</a> `, 3*n+i, 3*n+i)
			}
			if n < 120 {
				fmt.Fprintf(w, `<a href="/tin?trang=%d">Trang sau</a>`, n+1)
			}
			fmt.Fprint(w, `</body></html>`)
		case "/lap":
			n, _ := strconv.Atoi(r.URL.Query().Get("trang"))
			fmt.Fprintf(w, `<html><body><a href="/bai-2.html">2</a> <a href="/bai-3.html">3</a> <a href="/bai-4.html">4</a> <a href="/lap?trang=%d">Trang sau</a></body></html>`, n+1)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/lich">Lịch công tác</a> <a href="/tin">Tin</a> <a href="/lap">Lặp</a> <a href="/chuoi-1.html">Chuỗi</a>`)
			for i := 1; i <= 30; i++ {
				fmt.Fprintf(w, `<a href="/bai-%d.html">Bài số %d</a> `, i, i)
			}
			fmt.Fprint(w, `</body></html>`)
		default:
			if n, ok := strings.CutPrefix(r.URL.Path, "/chuoi-"); ok {
				// Articles reached only from the one before.
				k, _ := strconv.Atoi(strings.TrimSuffix(n, ".html"))
				if k < 40 {
					fmt.Fprintf(w, `<html><body><h1>Chuỗi bài %d</h1><p>Đảng bộ Khối tổ chức hội nghị lần thứ %d để bàn về công tác xây dựng Đảng và phát triển kinh tế - xã hội của tỉnh trong thời gian tới.</p><p>Hội nghị thống nhất các giải pháp trọng tâm.</p><a href="/chuoi-%d.html">Bài sau</a></body></html>`, k, k, k+1)
					return
				}
			}
			article(w, "Bài "+r.URL.Path)
		}
	}))
}

// TestChainsCutByYield: a chain of same-shape pages goes on while its
// pages bring something new: a listing's 120 pages of new articles are all
// followed (120 here, far past maxBarren); an endless calendar and a "next page" that repeats the same
// articles stop after maxBarren pages that bring nothing.
func TestChainsCutByYield(t *testing.T) {
	var l logged
	srv := trapSite(&l, false)
	defer srv.Close()
	sum, _ := runCrawl(t, srv.URL+"/", Options{Parallel: 4, MaxDepth: 1000})
	if n := len(l.times("/lich")); n != 1+maxBarren { // "/lich" itself, then the barren days
		t.Errorf("calendar fetched %d times, want %d", n, 1+maxBarren)
	}
	if n := len(l.times("/lap")); n > 1+maxBarren+1 {
		t.Errorf("a next page repeating the same articles fetched %d times", n)
	}
	if n := len(l.times("/tin")); n != 120 {
		t.Errorf("a listing of 120 pages of new articles: %d pages fetched", n)
	}
	if n := len(l.times("/chuoi-40.html")); n != 1 {
		t.Errorf("a chain of 40 articles, each reached from the one before, stopped before its end")
	}
	if want := int64(30 + 3*120 + 40); sum.New != want {
		t.Errorf("%d articles archived, want %d (summary %+v)", sum.New, want, sum)
	}
}

// TestCalendarTrap: a chain whose every page brings something new is
// still bounded by MaxPerPattern.
func TestCalendarTrap(t *testing.T) {
	var l logged
	srv := trapSite(&l, true)
	defer srv.Close()
	sum, _ := runCrawl(t, srv.URL+"/", Options{Parallel: 2, MaxPerPattern: 20, MaxDepth: 1000})
	if n := len(l.times("/lich")); n != 21 { // "/lich" itself, then 20 of "/lich?ngay=9-9-9"
		t.Errorf("calendar fetched %d times, want 21 (summary %+v)", n, sum)
	}
	if n := len(l.times("/tin")); n != 21 { // "/tin", then 20 of "/tin?trang=9"
		t.Errorf("the listing's chain of pages is bounded too: %d", n)
	}
	if sum.New < 30 {
		t.Errorf("%d of the 30 same-shape articles archived: only chains are bounded", sum.New)
	}
}

func TestURLPattern(t *testing.T) {
	for in, want := range map[string]string{
		"http://h/lich?ngay=2019-01-01":          "h/lich?ngay=9-9-9",
		"http://h/tin-tuc/bai-viet-661.html":     "h/tin-tuc/bai-viet-9.html",
		"http://h/tong-quan/chuc-nang/21?page=3": "h/tong-quan/chuc-nang/9?page=9",
		"http://h/2019/01/01/":                   "h/9/9/9/",
	} {
		u, _ := url.Parse(in)
		if got := urlPattern(u); got != want {
			t.Errorf("urlPattern(%s) = %s, want %s", in, got, want)
		}
	}
	if d, ok := retryAfter("120", time.Now()); !ok || d != 2*time.Minute {
		t.Errorf("Retry-After seconds: %v %v", d, ok)
	}
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	if d, ok := retryAfter("Sun, 29 Nov 2026 00:00:30 GMT", now); !ok || d != 30*time.Second {
		t.Errorf("Retry-After date: %v %v", d, ok)
	}
	if _, ok := retryAfter("soon", now); ok {
		t.Error("Retry-After garbage accepted")
	}
	for i := 1; i <= 5; i++ {
		d := backoff(time.Second, i)
		if lo, hi := time.Second<<(i-1)/2, time.Second<<(i-1); d < lo || d > hi {
			t.Errorf("backoff(%d) = %v, want in [%v, %v]", i, d, lo, hi)
		}
	}
}

func TestSitemapFeedsAndOutlinks(t *testing.T) {
	var l logged
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprintf(w, "User-agent: *\nDisallow:\nSitemap: %s/sitemap.xml\n", srvURL)
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/only-in-sitemap.html</loc></url><url><loc>http://elsewhere.example/x</loc></url></urlset>`, srvURL)
		case "/rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Tin</title><item><title>Mới</title><link>%s/only-in-feed.html</link></item></channel></rss>`, srvURL)
		case "/":
			fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" title="Tin mới" href="/rss"></head><body>
<a href="http://thanhhoa.gov.vn/">Cổng thông tin tỉnh</a> <a href="https://dangcongsan.vn/a?utm_source=x">Báo Đảng</a></body></html>`)
		default:
			article(w, "Bài "+r.URL.Path)
		}
	}))
	srvURL = srv.URL
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 2})
	if sum.New != 2 {
		t.Fatalf("want the sitemap's and the feed's articles, got %+v", sum)
	}
	caps, _ := st.Captures(context.Background(), srv.URL+"/")
	out, _ := st.Outlinks(context.Background(), caps[0].ID)
	if len(out) != 2 || out[0] != "http://thanhhoa.gov.vn/" || out[1] != "https://dangcongsan.vn/a" {
		t.Errorf("outlinks %v", out)
	}
}

func TestParseFeed(t *testing.T) {
	atom := `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="http://h/a"/><link rel="edit" href="http://h/edit"/></entry></feed>`
	if got, ok := parseFeed([]byte(atom)); !ok || len(got) != 1 || got[0] != "http://h/a" {
		t.Errorf("atom: %v %v", got, ok)
	}
	idx := `<?xml version="1.0"?><sitemapindex><sitemap><loc> http://h/s1.xml </loc></sitemap></sitemapindex>`
	if got, ok := parseFeed([]byte(idx)); !ok || len(got) != 1 || got[0] != "http://h/s1.xml" {
		t.Errorf("sitemap index: %v %v", got, ok)
	}
	if _, ok := parseFeed([]byte(`<html><head><title>rss</title></head><body><feed></body></html>`)); ok {
		t.Error("an HTML page is not a feed")
	}
	if got := feedLinks([]byte(`<head><link type='application/atom+xml' href='/atom.xml'><link rel="stylesheet" href="/s.css"></head>`)); len(got) != 1 || got[0] != "/atom.xml" {
		t.Errorf("feed links %v", got)
	}
}

func TestRedirects(t *testing.T) {
	var l logged
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/chain-1">Một chuỗi chuyển hướng dài</a> <a href="/loop-a">Một vòng chuyển hướng lặp</a> <a href="/away">Chuyển sang trang khác</a></body></html>`)
		case "/chain-1":
			http.Redirect(w, r, "/chain-2", http.StatusMovedPermanently)
		case "/chain-2":
			http.Redirect(w, r, "/chain-3", http.StatusFound)
		case "/chain-3":
			http.Redirect(w, r, "/bai-viet.html", http.StatusSeeOther)
		case "/loop-a":
			http.Redirect(w, r, "/loop-b", http.StatusFound)
		case "/loop-b":
			http.Redirect(w, r, "/loop-a", http.StatusFound)
		case "/away":
			http.Redirect(w, r, "http://elsewhere.example/", http.StatusFound)
		default:
			article(w, "Bài viết cuối chuỗi")
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 2, RetryBase: 10 * time.Millisecond})
	if sum.New != 1 {
		t.Fatalf("the chain's end must be saved: %+v", sum)
	}
	ctx := context.Background()
	for _, p := range []string{"/chain-1", "/chain-2", "/chain-3", "/bai-viet.html"} {
		if caps, _ := st.Captures(ctx, srv.URL+p); len(caps) != 1 {
			t.Errorf("hop %s archived %d times, want once", p, len(caps))
		}
	}
	if n := len(l.times("/loop-a")); n > 2 {
		t.Errorf("redirect loop fetched /loop-a %d times: not detected, or retried", n)
	}
	if n := len(l.times("/away")); n != 1 {
		t.Errorf("off-site redirect fetched %d times, want once", n)
	}
	if sum.Errors > 1 {
		t.Errorf("errors %d: only the loop is an error", sum.Errors)
	}
}

// An article page without a breadcrumb takes its category from the
// category page that lists it, and keeps it on a re-crawl that does not
// pass through that page.
func TestCategoryFromListing(t *testing.T) {
	var listingGone atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case r.URL.Path == "/chuyen-muc/tu-lieu" && listingGone.Load():
			http.NotFound(w, r)
			return
		}
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/chuyen-muc/tu-lieu">Chuyên mục Tư liệu của Đảng bộ Khối</a></body></html>`)
		case "/chuyen-muc/tu-lieu":
			fmt.Fprint(w, crumbListing("Tư liệu"))
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
	if err != nil || a.Category != "Tư liệu" || len(a.Breadcrumb) != 1 {
		t.Fatalf("category from the listing: %v %+v", err, a)
	}
	// Re-crawl with the listing gone: the articles are re-checked from the
	// catalog, keep their category, and are not "changed".
	listingGone.Store(true)
	w, _ := warc.NewWriter(st.WARCPath(), warc.WriterOptions{})
	defer w.Close()
	sum2, err := New(st, w, nil).Run(context.Background(), Options{Sites: []string{srv.URL + "/"}, Parallel: 1, Timeout: 2 * time.Second})
	if err != nil || sum2.Unchanged != 3 || sum2.Changed != 0 {
		t.Fatalf("re-crawl without the listing: %v %+v", err, sum2)
	}
	if a, _ := st.Article(context.Background(), srv.URL+"/tin-tuc/bai-2.html"); a.Category != "Tư liệu" {
		t.Errorf("category lost on re-crawl: %+v", a)
	}
}

// Pages in a legacy charset reach the extractor as the server sent them:
// colly must not convert them on the way (it would, from the header),
// and a charset nobody knows must not lose the page.
func TestLegacyAndBogusCharsets(t *testing.T) {
	enc := charmap.Windows1258.NewEncoder()
	title := "Hội nghị tổng kết công tác Đảng năm 2019"
	body := "Đảng bộ Khối các cơ quan tỉnh Thanh Hóa tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2019 và triển khai nhiệm vụ năm 2020."
	page := fmt.Sprintf(`<html><head><title>%[1]s</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / %[1]s</div><h1>%[1]s</h1><div class="date">Ngày 28/02/2020</div><div class="content"><p>%[2]s</p><p>%[2]s</p></div></body></html>`, title, body)
	legacy, err := enc.String(cp1258Form(page))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><a href="/cp1258.html">Trang mã windows-1258 cũ</a> <a href="/bogus.html">Trang khai báo bảng mã lạ</a></body></html>`)
		case "/cp1258.html":
			w.Header().Set("Content-Type", "text/html; charset=windows-1258")
			fmt.Fprint(w, legacy)
		case "/bogus.html":
			w.Header().Set("Content-Type", "text/html; charset=x-no-such-charset")
			fmt.Fprint(w, page)
		}
	}))
	defer srv.Close()
	sum, st := runCrawl(t, srv.URL+"/", Options{Parallel: 1})
	if sum.New != 2 {
		t.Fatalf("summary %+v", sum)
	}
	for _, p := range []string{"/cp1258.html", "/bogus.html"} {
		a, err := st.Article(context.Background(), srv.URL+p)
		if err != nil || a.Title != title || !strings.Contains(a.Body, body) {
			t.Errorf("%s: %v title %q body %.80q", p, err, a.Title, a.Body)
		}
	}
}

// cp1258Form writes Vietnamese the way windows-1258 can hold it: vowels
// with their shape marks precomposed (â, ơ, ư...), tone marks combining.
func cp1258Form(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		var base, tones []rune
		for _, d := range norm.NFD.String(string(r)) {
			switch d {
			case 0x300, 0x301, 0x303, 0x309, 0x323:
				tones = append(tones, d)
			default:
				base = append(base, d)
			}
		}
		b.WriteString(norm.NFC.String(string(base)))
		b.WriteString(string(tones))
	}
	return b.String()
}

// TestEveryRequestWaitsItsTurn: redirect hops are requests like any other.
// Every request to the host (robots.txt, the start page, each hop of a
// redirect chain, its target) starts at least the delay after the one
// before, and a hop to a path robots.txt disallows is not requested.
func TestEveryRequestWaitsItsTurn(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		starts, paths = append(starts, time.Now()), append(paths, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /rieng/\n")
		case "/":
			fmt.Fprint(w, `<html><body><a href="/cu/bai-1.html">Bài viết cũ về công tác Đảng</a> <a href="/an.html">Bài viết đã chuyển vào khu riêng</a></body></html>`)
		case "/cu/bai-1.html":
			http.Redirect(w, r, "/tam/bai-1.html", http.StatusMovedPermanently)
		case "/tam/bai-1.html":
			http.Redirect(w, r, "/moi/bai-1.html", http.StatusFound)
		case "/an.html":
			http.Redirect(w, r, "/rieng/bai-2.html", http.StatusMovedPermanently)
		default:
			article(w, "Bài "+r.URL.Path)
		}
	}))
	defer srv.Close()
	const delay = 150 * time.Millisecond
	runCrawl(t, srv.URL+"/", Options{Parallel: 4, Delay: delay})
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < len(starts); i++ {
		// Starts are seen by the server, a connection later than the
		// crawler's: their spacing jitters by that connection's setup.
		if gap := starts[i].Sub(starts[i-1]); gap < delay-25*time.Millisecond {
			t.Errorf("%s started %v after %s: less than the delay %v", paths[i], gap.Round(time.Millisecond), paths[i-1], delay)
		}
	}
	for _, p := range paths {
		if strings.HasPrefix(p, "/rieng/") {
			t.Errorf("a redirect led to %s, which robots.txt disallows, and it was fetched", p)
		}
	}
	if !slices.Contains(paths, "/moi/bai-1.html") {
		t.Errorf("the redirect chain was not followed to its end: %v", paths)
	}
}

// TestParallelIsPerHost: with two sites and --parallel 1, each site has
// one request in flight at a time, and the two sites are crawled side by
// side rather than one request at a time in all.
func TestParallelIsPerHost(t *testing.T) {
	var total, peakTotal atomic.Int64
	site := func(name string) (*httptest.Server, *atomic.Int64) {
		var inFlight, peak atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, all := inFlight.Add(1), total.Add(1)
			defer inFlight.Add(-1)
			defer total.Add(-1)
			for _, p := range []*atomic.Int64{&peak} {
				for v := p.Load(); n > v && !p.CompareAndSwap(v, n); v = p.Load() {
				}
			}
			for v := peakTotal.Load(); all > v && !peakTotal.CompareAndSwap(v, all); v = peakTotal.Load() {
			}
			time.Sleep(40 * time.Millisecond)
			switch r.URL.Path {
			case "/robots.txt":
				http.NotFound(w, r)
			case "/":
				var links strings.Builder
				for i := range 6 {
					fmt.Fprintf(&links, `<a href="/bai-%d.html">Bài viết số %d của %s về công tác Đảng</a> `, i, i, name)
				}
				fmt.Fprintf(w, `<html><body>%s</body></html>`, links.String())
			default:
				article(w, name+" "+r.URL.Path)
			}
		}))
		return srv, &peak
	}
	a, peakA := site("Khối A")
	defer a.Close()
	b, peakB := site("Khối B")
	defer b.Close()
	sum, _, err := crawlInto(t, Options{Sites: []string{a.URL + "/", b.URL + "/"}, Parallel: 1, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 12 {
		t.Errorf("%d articles from the two sites, want 12", sum.New)
	}
	if peakA.Load() != 1 || peakB.Load() != 1 {
		t.Errorf("at most %d and %d requests in flight at the two sites, want 1 each (--parallel 1 per host)", peakA.Load(), peakB.Load())
	}
	if peakTotal.Load() != 2 {
		t.Errorf("at most %d requests in flight in all, want 2: one per host, the hosts side by side", peakTotal.Load())
	}
}

// TestDelayAfterSlowAnswers: the delay separates the requests that really
// start, and a request does not start until the delay has passed since
// the last one to the server ended. Before, each request booked its turn
// before it queued for one of the server's slots, so after slow answers
// the requests queued behind them (pages and their images alike) started
// the moment the slots came free, back to back.
func TestDelayAfterSlowAnswers(t *testing.T) {
	const delay = 150 * time.Millisecond
	type exchange struct {
		path       string
		start, end time.Time
	}
	var mu sync.Mutex
	var seen []exchange
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := exchange{path: r.URL.Path, start: time.Now()}
		defer func() {
			e.end = time.Now()
			mu.Lock()
			seen = append(seen, e)
			mu.Unlock()
		}()
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/":
			fmt.Fprint(w, `<html><body>`)
			for i := range 4 {
				fmt.Fprintf(w, `<a href="/bai-%d.html">Bài viết số %d về công tác xây dựng Đảng</a> `, i, i)
			}
			fmt.Fprint(w, `</body></html>`)
		case strings.HasSuffix(r.URL.Path, ".jpg"):
			time.Sleep(250 * time.Millisecond)
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write([]byte("\xff\xd8\xff\xe0 not really a jpeg"))
		default:
			time.Sleep(250 * time.Millisecond)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><title>Bài %[1]s</title></head><body><h1>Bài %[1]s</h1><div class="content">
<p>Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của đông đủ các đồng chí ủy viên.</p>
<p><img src="%[1]s.jpg" alt="Ảnh hội nghị"></p>
<p>Các đại biểu đã thảo luận và thống nhất các nội dung quan trọng của chương trình công tác năm.</p></div></body></html>`, strings.TrimSuffix(r.URL.Path, ".html"))
		}
	}))
	defer srv.Close()
	sum, _ := runCrawl(t, srv.URL+"/", Options{Parallel: 2, Delay: delay})
	if sum.New != 4 {
		t.Fatalf("summary %+v", sum)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) < 10 {
		t.Fatalf("%d requests, want the robots.txt, the listing, 4 articles and 4 images", len(seen))
	}
	slices.SortFunc(seen, func(a, b exchange) int { return a.start.Compare(b.start) })
	const slack = 10 * time.Millisecond // clock granularity
	for i, e := range seen {
		if i > 0 {
			if gap := e.start.Sub(seen[i-1].start); gap < delay-slack {
				t.Errorf("%s started %v after %s started, want at least %v", e.path, gap, seen[i-1].path, delay)
			}
		}
		for _, q := range seen {
			// q ended well before e began (not in the moment e was
			// already on its way): e must have waited the delay after it.
			if q.end.Before(e.start.Add(-50*time.Millisecond)) && e.start.Sub(q.end) < delay-slack {
				t.Errorf("%s started %v after %s ended, want at least %v", e.path, e.start.Sub(q.end), q.path, delay)
			}
		}
	}
}

func TestServerKey(t *testing.T) {
	for _, c := range []struct{ u, want string }{
		{"http://Example.vn/a", "example.vn"},
		{"https://example.vn/b", "example.vn"},
		{"http://example.vn:80/", "example.vn"},
		{"https://example.vn:443/", "example.vn"},
		{"http://example.vn:443/", "example.vn:443"},
		{"http://127.0.0.1:8081/", "127.0.0.1:8081"},
		{"http://[::1]:8081/", "[::1]:8081"},
	} {
		u, err := url.Parse(c.u)
		if err != nil {
			t.Fatal(err)
		}
		if got := serverKey(u); got != c.want {
			t.Errorf("serverKey(%s) = %q, want %q", c.u, got, c.want)
		}
	}
}
