package crawler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tulieu/urlnorm"
)

// These tests came from a review of the crawler's politeness; each
// comment says what went wrong before the fix.

// robotsSite serves robots with the given body and status; "/" links to
// the given paths; everything else is an article.
func robotsSite(l *logged, robotsStatus int, robots string, links ...string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			w.WriteHeader(robotsStatus)
			fmt.Fprint(w, robots)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body>`)
			for i, p := range links {
				fmt.Fprintf(w, `<a href="%s">Bài viết số %d về công tác xây dựng Đảng</a> `, p, i)
			}
			fmt.Fprint(w, `</body></html>`)
		default:
			article(w, "Bài "+r.URL.Path)
		}
	}))
}

// RFC 9309 §2.3.1.4: a robots.txt answered with a 5xx means the whole
// site is disallowed (for a while). The crawler gets disallowAll from
// robotstxt.FromStatusAndBytes but then calls FindGroup on it, which
// returns an empty (allow-everything) group.
func TestRobots5xxDisallowsAll(t *testing.T) {
	var l logged
	srv := robotsSite(&l, http.StatusServiceUnavailable, "down for maintenance", "/a.html", "/b.html")
	defer srv.Close()
	crawlInto(t, Options{Sites: []string{srv.URL + "/"}, Timeout: 2 * time.Second, Delay: 0, RetryBase: 10 * time.Millisecond})
	if n := len(l.times("/robots.txt")); n != 1+DefaultMaxRetries {
		t.Errorf("robots.txt asked %d times; want once and %d tries again", n, DefaultMaxRetries)
	}
	for _, p := range []string{"/", "/a.html", "/b.html"} {
		if n := len(l.times(p)); n != 0 {
			t.Errorf("robots.txt answered 503, yet %s was fetched %d times", p, n)
		}
	}
}

// RFC 9309 §2.2: crawlers MUST use the parseable rules. One line the
// robotstxt parser rejects (a "10s" Crawl-delay, an empty Crawl-delay, a
// Crawl-delay or Disallow before the first User-agent) makes FromBytes
// fail, and load then treats the whole site as open: the Disallow rules
// that were perfectly readable are ignored.
func TestRobotsOneOddLineOpensTheSite(t *testing.T) {
	for name, robots := range map[string]string{
		"crawl-delay with a unit":         "User-agent: *\nDisallow: /private/\nCrawl-delay: 10s\n",
		"empty crawl-delay":               "User-agent: *\nDisallow: /private/\nCrawl-delay:\n",
		"crawl-delay before a user-agent": "Crawl-delay: 1\nUser-agent: *\nDisallow: /private/\n",
	} {
		t.Run(name, func(t *testing.T) {
			var l logged
			srv := robotsSite(&l, http.StatusOK, robots, "/a.html", "/private/secret.html")
			defer srv.Close()
			// The Crawl-delay is obeyed (capped, so that the test
			// does not wait it out between its three pages).
			runCrawl(t, srv.URL+"/", Options{Parallel: 2, MaxPause: 300 * time.Millisecond})
			if n := len(l.times("/private/secret.html")); n != 0 {
				t.Errorf("robots.txt %q disallows /private/, yet it was fetched", robots)
			}
		})
	}
}

// RFC 9309 §2.2.2: a rule's path with non-ASCII characters is compared in
// its percent-encoded form (and percent-encodings compare regardless of
// hex case). allowed() tests u.EscapedPath() ("/t%C3%ACm-ki%E1%BA%BFm/…")
// against the raw rule ("/tìm-kiếm/"), so a Vietnamese Disallow never
// matches.
func TestRobotsVietnameseDisallow(t *testing.T) {
	for name, rule := range map[string]string{
		"utf-8":                  "/tìm-kiếm/",
		"lower-case percent-hex": "/t%c3%acm-ki%e1%ba%bfm/",
	} {
		t.Run(name, func(t *testing.T) {
			var l logged
			srv := robotsSite(&l, http.StatusOK, "User-agent: *\nDisallow: "+rule+"\n", "/a.html", "/tìm-kiếm/kết-quả.html")
			defer srv.Close()
			runCrawl(t, srv.URL+"/", Options{Parallel: 2})
			if n := len(l.times("/tìm-kiếm/kết-quả.html")); n != 0 {
				t.Errorf("robots.txt \"Disallow: %s\", yet /tìm-kiếm/kết-quả.html was fetched %d times", rule, n)
			}
			if len(l.times("/a.html")) != 1 {
				t.Errorf("/a.html not fetched")
			}
		})
	}
}

// A huge Retry-After in seconds overflows time.Duration in retryAfter
// (secs * time.Second) and comes out negative: the page is retried at
// once and the host is not paused, instead of waiting MaxPause.
func TestRetryAfterHugeSeconds(t *testing.T) {
	d, ok := retryAfter("9999999999", time.Now())
	if !ok || d < 0 {
		t.Errorf("retryAfter(\"9999999999\") = %v, %v: a negative wait", d, ok)
	}
	var l logged
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/":
			fmt.Fprint(w, `<html><body><a href="/busy.html">Một trang đang bận trả lời 429</a></body></html>`)
		case "/busy.html":
			if n == 1 {
				w.Header().Set("Retry-After", "9999999999")
				http.Error(w, "quá nhiều", http.StatusTooManyRequests)
				return
			}
			article(w, "Trang bận")
		}
	}))
	defer srv.Close()
	const maxPause = 600 * time.Millisecond
	runCrawl(t, srv.URL+"/", Options{Parallel: 1, MaxPause: maxPause, RetryBase: 10 * time.Millisecond})
	busy := l.times("/busy.html")
	if len(busy) != 2 {
		t.Fatalf("busy page tried %d times", len(busy))
	}
	if gap := busy[1].Sub(busy[0]); gap < maxPause-50*time.Millisecond {
		t.Errorf("429 with a huge Retry-After retried %v later; want the MaxPause cap %v", gap, maxPause)
	}
}

// A huge Crawl-delay overflows in the robotstxt parser (float seconds to
// Duration) and comes out negative; load only applies a Crawl-delay that is
// greater than --delay, so the host gets no delay at all rather than the
// MaxPause cap.
func TestHugeCrawlDelayCapped(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 99999999999\nDisallow: /private/\n")
		case "/":
			fmt.Fprint(w, `<html><body><a href="/a.html">Bài viết thứ nhất về công tác Đảng</a> <a href="/b.html">Bài viết thứ hai về công tác Đảng</a></body></html>`)
		default:
			article(w, "Bài "+r.URL.Path)
		}
	}))
	defer srv.Close()
	const maxPause = 300 * time.Millisecond
	runCrawl(t, srv.URL+"/", Options{Parallel: 4, MaxPause: maxPause})
	mu.Lock()
	defer mu.Unlock()
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	for i := 2; i < len(starts); i++ { // after robots.txt and "/": the Crawl-delay applies
		if gap := starts[i].Sub(starts[i-1]); gap < maxPause-50*time.Millisecond {
			t.Errorf("request %d started %v after the one before: a Crawl-delay above the cap must be capped at %v, not ignored", i, gap, maxPause)
		}
	}
}

// sitemaps.org: a sitemap may be gzipped (sitemap.xml.gz). The crawler
// only parses the body as XML: the URLs of a gzipped sitemap named in
// robots.txt are never found.
func TestGzipSitemap(t *testing.T) {
	var l logged
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprintf(w, "User-agent: *\nDisallow:\nSitemap: %s/sitemap.xml.gz\n", srvURL)
		case "/sitemap.xml.gz":
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			fmt.Fprintf(zw, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/only-in-sitemap.html</loc></url></urlset>`, srvURL)
			zw.Close()
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(b.Bytes())
		case "/":
			fmt.Fprint(w, `<html><body><p>Trang chủ</p></body></html>`)
		default:
			article(w, "Bài "+r.URL.Path)
		}
	}))
	srvURL = srv.URL
	defer srv.Close()
	runCrawl(t, srv.URL+"/", Options{Parallel: 2})
	if len(l.times("/sitemap.xml.gz")) != 1 {
		t.Fatalf("the sitemap was not fetched")
	}
	if n := len(l.times("/only-in-sitemap.html")); n != 1 {
		t.Errorf("the article listed only in the gzipped sitemap was fetched %d times, want 1", n)
	}
}

// Normalize reads the query with url.Query, which silently drops every
// pair it cannot parse (one with a ';', a bad %-escape), and rebuilds the
// path from its decoded form, turning an encoded slash (%2F, as in a
// Vietnamese document number "45/NQ-TW") into a real one: two different
// pages are merged into one URL, and the URL fetched is not the one linked.
func TestNormalizeMergesDistinctURLs(t *testing.T) {
	for _, pair := range [][2]string{
		{"http://h/xem.asp?id=1;2", "http://h/xem.asp?id=3;4"},
		{"http://h/tim?q=100%", "http://h/tim?q=50%"},
		{"http://h/van-ban/nghi-quyet-45%2FNQ-TW.html", "http://h/van-ban/nghi-quyet-45/NQ-TW.html"},
	} {
		a, _ := urlnorm.Normalize(nil, pair[0])
		b, _ := urlnorm.Normalize(nil, pair[1])
		if a == b {
			t.Errorf("urlnorm.Normalize(%s) = urlnorm.Normalize(%s) = %s: two pages merged", pair[0], pair[1], a)
		}
	}
}

// A robots.txt that answers 503 with "Retry-After: 1" once (a restart, a
// cache warming up) ended the night: nothing fetched, exit 4. It is asked
// again after the pause, and the night goes on.
func TestRobotsShortOutageIsWaitedOut(t *testing.T) {
	var l logged
	var robotsAsked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.hit(r.URL.Path)
		if r.URL.Path == "/robots.txt" {
			if robotsAsked.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				http.Error(w, "đang khởi động lại", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprint(w, "User-agent: *\nDisallow: /admin/\n")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(reviewArticle))
	}))
	defer srv.Close()
	sum := crawlOnce(t, t.TempDir(), srv.URL+"/", Options{RetryBase: 10 * time.Millisecond})
	if sum.Status != "completed" || len(l.times("/")) != 1 || robotsAsked.Load() != 2 {
		t.Errorf("%+v, home page fetched %d times, robots.txt asked %d times; want robots.txt asked again after its pause and the night completed",
			sum, len(l.times("/")), robotsAsked.Load())
	}
}
