package crawler

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A review of the frontier's start gate (start URLs first, nothing else
// until their links are queued): each test's comment tells what happened
// before its fix (the gate held every server's pages, and until the start
// page's images were archived).

// twoSitesForGate crawls two sites in one run (--site A --site B). Site A's
// start URL is slow to come: aHome answers it (a pause, a timeout). Site
// B answers at once, its home page linking bLinks articles. It returns
// when site A's home page first answered and when site B's last article
// was done.
func twoSitesForGate(t *testing.T, bLinks int, aHome func(w http.ResponseWriter, r *http.Request, hit int) int, opts Options) (aFirst, lastB time.Time) {
	t.Helper()
	var a reviewServer
	srvA := httptest.NewServer(a.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
			return 404
		case "/":
			return aHome(w, r, hit)
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
			var sb strings.Builder
			for i := range bLinks {
				fmt.Fprintf(&sb, `<a href="/b-%d.html">Bài viết số %d của khối B về công tác Đảng</a> `, i, i)
			}
			fmt.Fprintf(w, `<html><body>%s</body></html>`, sb.String())
			return 200
		}
		article(w, "Khối B "+r.URL.Path)
		return 200
	}))
	defer srvB.Close()
	opts.Sites = []string{srvA.URL + "/", srvB.URL + "/"}
	if _, _, err := crawlInto(t, opts); err != nil {
		t.Logf("crawl: %v", err)
	}
	for _, e := range a.exchanges() {
		if e.path == "/" && (aFirst.IsZero() || e.end.Before(aFirst)) {
			aFirst = e.end
		}
	}
	n := 0
	for _, e := range b.exchanges() {
		if strings.HasPrefix(e.path, "/b-") {
			n++
			if e.end.After(lastB) {
				lastB = e.end
			}
		}
	}
	if n != bLinks {
		t.Fatalf("site B: %d of its %d articles fetched", n, bLinks)
	}
	return aFirst, lastB
}

// TestStartURLPausedStallsTheOtherSite: `tulieu crawl --site A --site
// B` (or serve --recrawl-every with two sites), site A's home page
// answering 503 Retry-After (a maintenance window, a rate limiter). Since
// ee37610 the frontier hands out nothing but start URLs while any start
// URL is in progress, and a start URL waiting out its Retry-After (up to
// 10 min, --retries times) is in progress: site B, whose home page was
// read at once, fetches none of its articles until site A's pause is
// over. The frontier's own rule (no server takes every place while
// another waits) exists so that one paused site does not stall the
// others; the start gate undoes it. Before ee37610 site B was crawled
// during site A's pause.
//
// Fix: gate per server: count the start URLs in progress by
// queued.server (starts map[string]int) and keep back only the URLs of a
// server whose start URL is still in progress (or at least not those of
// a server with no start URL in progress); the budget night (one host)
// keeps its order.
func TestStartURLPausedStallsTheOtherSite(t *testing.T) {
	const pause = 3 * time.Second
	aFirst, lastB := twoSitesForGate(t, 4, func(w http.ResponseWriter, r *http.Request, hit int) int {
		if hit == 1 {
			w.Header().Set("Retry-After", "3")
			http.Error(w, "bảo trì", http.StatusServiceUnavailable)
			return 503
		}
		fmt.Fprint(w, `<html><body><a href="/a-1.html">Bài viết số 1 của khối A</a></body></html>`)
		return 200
	}, Options{Parallel: 1, Delay: 50 * time.Millisecond, Timeout: 2 * time.Second, RetryBase: 10 * time.Millisecond})
	if d := lastB.Sub(aFirst); d > pause*2/3 {
		t.Errorf("site B's articles were done %v after site A's home page asked for a %v pause: site B waited for site A's start URL", d.Round(time.Millisecond), pause)
	}
}

// TestStartURLDownStallsTheOtherSite: the same with site A's home page
// not answering (a server down behind its proxy: each try runs into
// --timeout, then --retries backoffs): site B's articles wait for every
// try of site A's home page, --timeout x (--retries+1) plus the backoff
// (2 min with the defaults, every night site A is down). The fix is
// TestStartURLPausedStallsTheOtherSite's.
func TestStartURLDownStallsTheOtherSite(t *testing.T) {
	start := time.Now()
	_, lastB := twoSitesForGate(t, 4, func(w http.ResponseWriter, r *http.Request, hit int) int {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return 0
	}, Options{Parallel: 1, Delay: 50 * time.Millisecond, Timeout: 1 * time.Second, MaxRetries: 1, RetryBase: 10 * time.Millisecond})
	// Site A's home page: two tries of 1 s each. Site B needs well
	// under a second for its home page and four articles.
	if d := lastB.Sub(start); d > 1500*time.Millisecond {
		t.Errorf("site B's articles were done %v after the crawl began: site B waited for site A's home page to time out (twice)", d.Round(time.Millisecond))
	}
}

// TestStartGateWaitsForTheHomePageImages: the start gate is documented
// as "nothing else until their links are queued" (README, Order), but a
// start URL is released only once its requisites are archived
// (pageHandler.handle keeps its place until thenRequisites returns, and
// frontier.done decrements starts only then). With --listing-images (or
// a home page that reads as a static page: its requisites are fetched
// too), the home page's images, fetched one after another, from a CDN
// that answers slowly, hold back every page of the crawl: the articles
// the home page links wait for the last thumbnail (a CDN taking 2 s an
// image and a home page of 40 thumbnails: more than a minute with the
// crawl doing nothing else, every night). Before ee37610 the articles
// were fetched while the thumbnails came.
//
// Fix: end the start's hold on the frontier once its links are queued
// (decrement starts in markHandled, or in handle's deferred function
// before thenRequisites, keeping its place in the window as now), not
// when its place is given back.
func TestStartGateWaitsForTheHomePageImages(t *testing.T) {
	const images, slow = 5, 300 * time.Millisecond
	var cdn reviewServer
	srvCDN := httptest.NewServer(cdn.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return 404
		}
		time.Sleep(slow)
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("\xff\xd8\xff\xe0 a thumbnail " + r.URL.Path))
		return 200
	}))
	defer srvCDN.Close()
	var site reviewServer
	srv := httptest.NewServer(site.handler(func(w http.ResponseWriter, r *http.Request, hit int) int {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
			return 404
		case "/":
			var sb strings.Builder
			for i := range images {
				fmt.Fprintf(&sb, `<div class="item"><img src="%s/anh-%d.jpg"><a href="/bai-%d.html">Bài viết số %d về công tác xây dựng Đảng</a></div>`, srvCDN.URL, i, i, i)
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><title>Trang chủ</title></head><body>%s</body></html>`, sb.String())
			return 200
		}
		article(w, "Bài "+r.URL.Path)
		return 200
	}))
	defer srv.Close()
	if _, _, err := crawlInto(t, Options{Sites: []string{srv.URL + "/"}, ListingImages: true, Parallel: 2,
		Delay: 10 * time.Millisecond, Timeout: 2 * time.Second, RetryBase: 10 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	var lastImage, firstArticle time.Time
	for _, e := range cdn.exchanges() {
		if strings.HasPrefix(e.path, "/anh-") && e.end.After(lastImage) {
			lastImage = e.end
		}
	}
	for _, e := range site.exchanges() {
		if strings.HasPrefix(e.path, "/bai-") && (firstArticle.IsZero() || e.start.Before(firstArticle)) {
			firstArticle = e.start
		}
	}
	if lastImage.IsZero() || firstArticle.IsZero() {
		t.Fatalf("images until %v, articles from %v", lastImage, firstArticle)
	}
	if !firstArticle.Before(lastImage) {
		t.Errorf("the first article was asked %v after the home page's last thumbnail was archived: the crawl waited for the %d thumbnails (%v each) before fetching the pages the home page links", firstArticle.Sub(lastImage).Round(time.Millisecond), images, slow)
	}
}
