package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests came from a review of the politeness (the server's turn
// taken in the recorder, 6bf3c01) and what surrounds it; each comment
// says what went wrong before the fix.

// reviewExchange is one request as the server saw it.
type reviewExchange struct {
	path       string
	status     int
	start, end time.Time
}

// reviewServer records every exchange (start and end as the server saw them)
// and answers with h, which returns the status it sent.
type reviewServer struct {
	mu   sync.Mutex
	seen []reviewExchange
	hits map[string]int
}

func (s *reviewServer) handler(h func(w http.ResponseWriter, r *http.Request, hit int) int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := reviewExchange{path: r.URL.Path, start: time.Now()}
		s.mu.Lock()
		if s.hits == nil {
			s.hits = map[string]int{}
		}
		s.hits[r.URL.Path]++
		n := s.hits[r.URL.Path]
		s.mu.Unlock()
		e.status = h(w, r, n)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		e.end = time.Now()
		s.mu.Lock()
		s.seen = append(s.seen, e)
		s.mu.Unlock()
	})
}

// firstEnd is when the server first finished answering status (zero:
// never).
func (s *reviewServer) firstEnd(status int) time.Time {
	for _, e := range s.exchanges() {
		if e.status == status {
			return e.end
		}
	}
	return time.Time{}
}

// checkLeftAlone fails t for each exchange that started within pause
// after the server answered status (a 429 or 503 with Retry-After).
func (s *reviewServer) checkLeftAlone(t *testing.T, status int, pause time.Duration) {
	t.Helper()
	from := s.firstEnd(status)
	if from.IsZero() {
		t.Fatalf("the server never answered %d", status)
	}
	const slack = 100 * time.Millisecond
	for _, e := range s.exchanges() {
		if e.start.After(from) && e.start.Sub(from) < pause-slack {
			t.Errorf("%s started %v after a %d with Retry-After: %v; the server was to be left alone",
				e.path, e.start.Sub(from).Round(time.Millisecond), status, pause)
		}
	}
}

func (s *reviewServer) exchanges() []reviewExchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.seen)
	slices.SortFunc(out, func(a, b reviewExchange) int { return a.start.Compare(b.start) })
	return out
}

// TestRetryAfterPausesRequestsAlreadyWaiting: a 503 with Retry-After
// must pause the whole server ("the whole host pauses with it"). But a
// request that already took its turn in politeness.wait (it booked its
// start time, then sleeps until it) never looks at the pause set meanwhile:
// with --parallel 2 the second request starts one delay after the first
// one's 503, not after the Retry-After. The site's operator, who answered
// 503 "Retry-After: 2" (or 600 during a maintenance), sees the crawler's
// next request a second later anyway.
func TestRetryAfterPausesRequestsAlreadyWaiting(t *testing.T) {
	const pauseSecs = 2
	var s reviewServer
	srv := httptest.NewServer(s.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
			return 404
		case "/":
			fmt.Fprint(w, `<html><body><a href="/a.html">Bài viết thứ nhất về công tác Đảng</a> <a href="/b.html">Bài viết thứ hai về công tác Đảng</a></body></html>`)
			return 200
		}
		if hit == 1 {
			w.Header().Set("Retry-After", fmt.Sprint(pauseSecs))
			http.Error(w, "bảo trì", http.StatusServiceUnavailable)
			return 503
		}
		article(w, "Bài "+r.URL.Path)
		return 200
	}))
	defer srv.Close()
	sum, _ := runCrawl(t, srv.URL+"/", Options{Parallel: 2, Delay: 200 * time.Millisecond, RetryBase: 10 * time.Millisecond})
	if sum.New != 2 {
		t.Errorf("summary %+v: want both articles after the pause", sum)
	}
	s.checkLeftAlone(t, http.StatusServiceUnavailable, pauseSecs*time.Second)
}

// TestDelayAfterEndWithParallel: README promises that "at least 1 s
// passes between the starts of two requests and between the end of one
// and the start of the next". With --parallel 2 (the default) the second
// request books its start (the delay after the first one's start) before
// the first one ends, and politeness.wait never looks again: when an
// answer takes less than the delay (the usual case: 1 s delay, pages in
// a few hundred ms), the next request starts well under the delay after
// it ended. The operator sees requests a fraction of the delay after the
// previous answer, all night.
func TestDelayAfterEndWithParallel(t *testing.T) {
	const delay = 300 * time.Millisecond
	var s reviewServer
	srv := httptest.NewServer(s.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
			return 404
		case "/":
			var b strings.Builder
			for i := range 4 {
				fmt.Fprintf(&b, `<a href="/bai-%d.html">Bài viết số %d về công tác xây dựng Đảng</a> `, i, i)
			}
			fmt.Fprintf(w, `<html><body>%s</body></html>`, b.String())
			return 200
		}
		time.Sleep(delay / 2) // an answer quicker than the delay
		article(w, "Bài "+r.URL.Path)
		return 200
	}))
	defer srv.Close()
	sum, _ := runCrawl(t, srv.URL+"/", Options{Parallel: 2, Delay: delay})
	if sum.New != 4 {
		t.Fatalf("summary %+v", sum)
	}
	ex := s.exchanges()
	const slack = 30 * time.Millisecond
	for _, e := range ex {
		for _, q := range ex {
			// q ended before e started: e must start the delay after it.
			if q.end.Before(e.start) && e.start.Sub(q.end) < delay-slack {
				t.Errorf("%s started %v after %s ended, want at least the delay %v",
					e.path, e.start.Sub(q.end).Round(time.Millisecond), q.path, delay)
			}
		}
	}
}

// TestCrawlDelayAfterRobots: robots.txt is "a request like any other",
// and its Crawl-delay is the delay between requests. But the turn after
// robots.txt was booked with --delay before the Crawl-delay was read
// (raiseDelay changes the delay, not the time already booked), so the
// first page follows robots.txt after --delay, not after the Crawl-delay.
// An operator who asks "Crawl-delay: 10" sees robots.txt and the home
// page one second apart on every nightly run.
func TestCrawlDelayAfterRobots(t *testing.T) {
	// (And a slow robots.txt, turn_review_test.go's finding: the delay
	// read from it counted from its start, not its end.)
	for _, c := range []struct {
		latency  time.Duration
		parallel int
	}{{0, 2}, {700 * time.Millisecond, 1}} {
		var s reviewServer
		srv := httptest.NewServer(s.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
			switch r.URL.Path {
			case "/robots.txt":
				time.Sleep(c.latency)
				fmt.Fprint(w, "User-agent: *\nCrawl-delay: 1\n")
			default:
				article(w, "Trang chủ")
			}
			return 200
		}))
		runCrawl(t, srv.URL+"/", Options{Parallel: c.parallel, Delay: 100 * time.Millisecond})
		srv.Close()
		ex := s.exchanges()
		if len(ex) < 2 || ex[0].path != "/robots.txt" {
			t.Fatalf("exchanges %+v", ex)
		}
		if gap := ex[1].start.Sub(ex[0].end); gap < 950*time.Millisecond {
			t.Errorf("robots.txt answering in %v: %s started %v after it (Crawl-delay: 1) ended, want at least 1s", c.latency, ex[1].path, gap.Round(time.Millisecond))
		}
	}
}

// TestRobots429RetryAfter: a 429 or 503 "waits for its Retry-After, and
// the whole host pauses with it" (README). robots.txt is fetched by
// politeness.load, which never reads Retry-After: a 429 is taken as "no
// robots.txt" (RFC 9309 4xx) and the pages follow at once. A site behind a
// rate limiter that answers every path (robots.txt first) with 429
// Retry-After gets the home page one delay later.
func TestRobots429RetryAfter(t *testing.T) {
	const pauseSecs = 2
	var s reviewServer
	srv := httptest.NewServer(s.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Retry-After", fmt.Sprint(pauseSecs))
			http.Error(w, "quá nhiều yêu cầu", http.StatusTooManyRequests)
			return 429
		}
		article(w, "Trang chủ")
		return 200
	}))
	defer srv.Close()
	runCrawl(t, srv.URL+"/", Options{Parallel: 1, Delay: 100 * time.Millisecond, RetryBase: 10 * time.Millisecond, MaxRetries: -1})
	ex := s.exchanges()
	if len(ex) < 2 || ex[0].path != "/robots.txt" {
		t.Fatalf("exchanges %+v", ex)
	}
	if gap := ex[1].start.Sub(ex[0].end); gap < pauseSecs*time.Second-100*time.Millisecond {
		t.Errorf("%s started %v after robots.txt answered 429 Retry-After: %d", ex[1].path, gap.Round(time.Millisecond), pauseSecs)
	}
}

// TestQueuedRequestsTimeOut: the clients' time limit (then MaxPause plus
// twice the timeout) assumed a request waits for its server's turn at
// most MaxPause plus the exchange of the one request ahead. But every request queued for the server's slots waits its turn
// inside the client's time: with several start URLs on one site (colly
// lets Parallel x sites into the recorder) and a long delay (a
// Crawl-delay), the requests at the back of the queue time out before they
// are ever sent: "Client.Timeout exceeded" on a healthy site, counted as
// page errors (exit code 5 with --max-error-rate) and, because the
// request context has expired, recorded in no capture (recorder.failed
// takes an expired request context for an interrupted crawl). Real
// scale: --timeout 30s, MaxPause 10 min, so a Crawl-delay of 60 s and 12
// requests ahead (5 category start URLs x --parallel 2, a few images), or
// a Retry-After: 600 renewed once, is enough. Scaled down here: a delay
// at the MaxPause cap, a short --timeout, 14 start URLs, --retries 0.
// (Passes before 6bf3c01, which waited the turn outside the client.)
func TestQueuedRequestsTimeOut(t *testing.T) {
	var s reviewServer
	srv := httptest.NewServer(s.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return 404
		}
		article(w, "Bài "+r.URL.Path)
		return 200
	}))
	defer srv.Close()
	const delay = 500 * time.Millisecond
	var sites []string
	for i := range 14 {
		sites = append(sites, fmt.Sprintf("%s/chuyen-muc-%d/bai.html", srv.URL, i))
	}
	sum, st, err := crawlInto(t, Options{Sites: sites, Parallel: 1, Delay: delay, MaxPause: delay,
		Timeout: 200 * time.Millisecond, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors != 0 {
		t.Errorf("%d page errors (%d articles): a healthy site answering at once, want none", sum.Errors, sum.New)
	}
	var failed int
	st.DB().QueryRowContext(context.Background(), "SELECT count(*) FROM captures WHERE error != ''").Scan(&failed)
	if int64(failed) < sum.Errors {
		t.Errorf("%d page errors but %d failed captures: a failed attempt is not recorded", sum.Errors, failed)
	}
}

// TestRequisiteRetryAfterPausesTheServerThatAsked: an image of the site
// that redirects to a CDN, where the CDN answers 429 Retry-After. The
// requisite fetcher pauses the server of the URL it started from (the
// site, which asked nothing) instead of the one that answered (the CDN):
// the CDN gets the next image from another page right away, during the
// pause it asked for, while the site's pages are held back for nothing.
func TestRequisiteRetryAfterPausesTheServerThatAsked(t *testing.T) {
	const pauseSecs = 2
	var cdn reviewServer
	cdnSrv := httptest.NewServer(cdn.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
			return 404
		case r.URL.Path == "/a.jpg" && hit == 1:
			w.Header().Set("Retry-After", fmt.Sprint(pauseSecs))
			http.Error(w, "quá nhiều yêu cầu", http.StatusTooManyRequests)
			return 429
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("\xff\xd8\xff\xe0 ảnh"))
		return 200
	}))
	defer cdnSrv.Close()
	page := func(w http.ResponseWriter, title, img string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%[1]s</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> / Tin tức / %[1]s</div>
<h1>%[1]s</h1><div class="date">Ngày 28/02/2020</div><div class="content"><p>%[2]s</p><p><img src="%[3]s"></p><p>%[2]s</p></div></body></html>`, title,
			"Hội nghị Ban Chấp hành Đảng bộ Khối đã diễn ra tại Thanh Hóa với sự tham dự của đông đủ các đồng chí ủy viên và đại biểu khách mời.", img)
	}
	var site reviewServer
	srv := httptest.NewServer(site.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
			return 404
		case "/":
			fmt.Fprint(w, `<html><body><a href="/p1.html">Bài viết thứ nhất về công tác Đảng</a> <a href="/p2.html">Bài viết thứ hai về công tác Đảng</a></body></html>`)
			return 200
		case "/p1.html":
			page(w, "Bài thứ nhất", "/anh-cu.jpg")
			return 200
		case "/p2.html":
			time.Sleep(400 * time.Millisecond) // its image is asked after the CDN's 429
			page(w, "Bài thứ hai", cdnSrv.URL+"/b.jpg")
			return 200
		case "/anh-cu.jpg":
			http.Redirect(w, r, cdnSrv.URL+"/a.jpg", http.StatusMovedPermanently)
			return 301
		}
		http.NotFound(w, r)
		return 404
	}))
	defer srv.Close()
	sum, _ := runCrawl(t, srv.URL+"/", Options{Parallel: 2, Delay: 100 * time.Millisecond, RetryBase: 10 * time.Millisecond})
	if sum.New != 2 {
		t.Fatalf("summary %+v", sum)
	}
	cdn.checkLeftAlone(t, http.StatusTooManyRequests, pauseSecs*time.Second)
}

// TestOneSitePausedStallsTheOther: with two sites, --parallel is per
// host and colly's own limit is only Parallel x sites. The turn is now
// waited inside the recorder, that is inside colly's limit, so requests
// sleeping for one server's turn (its Retry-After pause) hold colly's
// places, and the other site's requests cannot even start (before this
// change the turn was waited in OnRequest, outside colly's limit). One
// site answering 503 Retry-After: 600 stalls the crawl of every other
// site for ten minutes, each time it does; with plain delays the sites
// are no longer crawled side by side. (Passes before 6bf3c01.)
func TestOneSitePausedStallsTheOther(t *testing.T) {
	checkPausedSiteLeavesOthers(t, 6, 6, 100*time.Millisecond)
}

// checkPausedSiteLeavesOthers crawls two sites, site A (aLinks articles)
// answering its first article 503 Retry-After: 3, site B (bLinks) not:
// site B's articles must be done well before site A's pause ends.
func checkPausedSiteLeavesOthers(t *testing.T, aLinks, bLinks int, delay time.Duration) {
	t.Helper()
	const pauseSecs = 3
	var mu sync.Mutex
	var asked time.Time
	links := func(w http.ResponseWriter, prefix string, n int) {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `<a href="/%s-%d.html">Bài viết số %d của khối %s về công tác Đảng</a> `, prefix, i, i, prefix)
		}
		fmt.Fprintf(w, `<html><body>%s</body></html>`, b.String())
	}
	var a reviewServer
	srvA := httptest.NewServer(a.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
			return 404
		case "/":
			links(w, "a", aLinks)
			return 200
		}
		mu.Lock()
		first := asked.IsZero()
		if first {
			asked = time.Now()
		}
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", fmt.Sprint(pauseSecs))
			http.Error(w, "bảo trì", http.StatusServiceUnavailable)
			return 503
		}
		article(w, "Khối A "+r.URL.Path)
		return 200
	}))
	defer srvA.Close()
	var b reviewServer
	srvB := httptest.NewServer(b.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
			return 404
		case "/":
			time.Sleep(600 * time.Millisecond)
			links(w, "b", bLinks)
			return 200
		}
		article(w, "Khối B "+r.URL.Path)
		return 200
	}))
	defer srvB.Close()
	sum, _, err := crawlInto(t, Options{Sites: []string{srvA.URL + "/", srvB.URL + "/"}, Parallel: 1,
		Delay: delay, Timeout: 2 * time.Second, RetryBase: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors != 0 {
		t.Errorf("summary %+v", sum)
	}
	mu.Lock()
	from := asked
	mu.Unlock()
	var lastB time.Time
	for _, e := range b.exchanges() {
		if strings.HasPrefix(e.path, "/b-") && e.end.After(lastB) {
			lastB = e.end
		}
	}
	if d := lastB.Sub(from); d > 2*time.Second {
		t.Errorf("site B's %d articles were done %v after site A asked for a %ds pause: site B waited for site A's pause", bLinks, d.Round(time.Millisecond), pauseSecs)
	}
}
