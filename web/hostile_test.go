package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/index"
	"tulieu/store"
)

// TestHostileRequests: whatever a request holds, the server answers it
// with a 4xx (or a page that escapes it) and goes on serving.
func TestHostileRequests(t *testing.T) {
	srv, id := newTestServer(t)
	long := strings.Repeat("đảng ", 20000) // 100 KB
	cases := []struct {
		path string
		want int // 0: any 4xx
	}{
		{"/search?q=" + url.QueryEscape(`<script>alert(1)</script>`), 200},
		{"/search?q=" + url.QueryEscape(`"><img src=x onerror=alert(1)>`), 400}, // an unclosed quote
		{"/search?q=" + url.QueryEscape(`x"><img src=x onerror=alert(1)>"`), 200},
		{"/search?q=%C4%91%E1%BA%A3ng&offset=9223372036854775800", 400},
		{"/search?q=%C4%91%E1%BA%A3ng&offset=9223372036854775807&limit=9223372036854775807", 400},
		{"/search?q=x&offset=-1", 400},
		{"/search?q=x&limit=100000", 400},
		{"/search?q=x&sort=%00", 400},
		{"/search?q=x&from=2020-13-45", 400},
		{"/search?q=" + url.QueryEscape(long[:3000]), 400},
		{"/api/search?q=" + url.QueryEscape(long[:3000]), 400},
		{"/search?q=" + url.QueryEscape(long), 0},
		{"/api/search?q=%C4%91&offset=9223372036854775800", 400},
		{"/api/search?q=%C4%91&limit=-1", 400},
		{"/api/search?q=%22", 400},
		{"/api/search?q=-x", 400},
		{"/api/search?q=nam:abc", 400},
		{"/article/..%2F..%2Fetc%2Fpasswd", 404},
		{"/article/" + strings.Repeat("a", 5000), 404},
		{"/article/%00", 404},
		{"/article/" + id + "/diff?a=x&b=1", 400},
		{"/article/" + id + "/diff?a=99&b=1", 400},
		{"/article/" + id + "/archived?v=-3", 404},
		{"/api/articles/..%2Fx", 404},
		{"/api/articles/" + id + "/versions", 200},
		{"/archive?capture=abc", 400},
		{"/archive?capture=-1", 400},
		{"/archive?capture=999999", 404},
		{"/archive?url=" + url.QueryEscape("file:///etc/passwd"), 404},
		{"/archive?url=x&at=yesterday", 400},
		{"/raw", 400},
		{"/raw?url=" + url.QueryEscape("http://danguykhoithanhhoa.org.vn/../../x"), 404},
		{"/export?format=exe", 400},
		{"/export?q=%22&format=csv", 400},
		{"/static/../web.go", 404},
		{"/nope", 404},
	}
	for _, c := range cases {
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatalf("GET %.120s: %v", c.path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		code, body := resp.StatusCode, string(b)
		if c.want == 0 && (code < 400 || code >= 500) || c.want != 0 && code != c.want {
			t.Errorf("GET %.120s: %d, want %d: %.300s", c.path, code, c.want, body)
		}
		// JSON carries text as it is (served as JSON, never sniffed);
		// HTML must escape it.
		html := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html")
		if html && (strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x")) {
			t.Errorf("GET %.120s: the request's markup came back unescaped", c.path)
		}
	}
	// Still serving.
	if code, _ := get(t, srv.URL+"/healthz"); code != 200 {
		t.Fatalf("healthz after the hostile requests: %d", code)
	}
}

// TestSecurityHeaders: every page forbids scripts, framing and sniffing;
// an archived copy is a sandbox.
func TestSecurityHeaders(t *testing.T) {
	srv, id := newTestServer(t)
	for _, p := range []string{"/", "/search?q=x", "/article/" + id, "/api/search?q=x", "/nope"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %s", p, csp, d)
			}
		}
		if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") && !strings.Contains(csp, "sandbox") {
			t.Errorf("%s: CSP %q allows scripts or inline code", p, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", p, resp.Header)
		}
	}
}

// TestHostCheck: bound to loopback, the server answers only requests that
// name a loopback host, so a rebound DNS name cannot read it.
func TestHostCheck(t *testing.T) {
	ix, st := openTestParts(t)
	srv := httptest.NewServer(New(ix, st, Options{Loopback: true}))
	defer srv.Close()
	for host, want := range map[string]int{"evil.example": 421, "evil.example:80": 421, "127.0.0.1.nip.io": 421,
		"localhost": 200, "localhost:8080": 200, "127.0.0.1:9": 200, "[::1]:8080": 200, "app.localhost": 200} {
		if resp, _ := getAs(t, srv.URL+"/healthz", host); resp.StatusCode != want {
			t.Errorf("Host %q: %d, want %d", host, resp.StatusCode, want)
		}
	}
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "[::1]:80": true, "localhost:1": true,
		"0.0.0.0:8080": false, ":8080": false, "192.0.2.1:80": false} {
		if got := IsLoopbackAddr(addr); got != want {
			t.Errorf("IsLoopbackAddr(%q) = %v", addr, got)
		}
	}
}

// TestAuthToken: with a token, every request but /healthz needs it, as a
// bearer token or a basic-auth password; the instance token works too.
func TestAuthToken(t *testing.T) {
	ix, st := openTestParts(t)
	srv := httptest.NewServer(New(ix, st, Options{AuthToken: "s3cret-token-123", InstanceToken: "inst-token-456", DataDir: "/d"}))
	defer srv.Close()
	do := func(path, auth string) int {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	checks := []struct {
		path, auth string
		want       int
	}{
		{"/healthz", "", 200},
		{"/", "", 401},
		{"/api/search?q=x", "", 401},
		{"/api/search?q=x", "Bearer wrong", 401},
		{"/api/search?q=x", "Bearer s3cret-token-123", 200},
		{"/", BasicAuthHeader("ai-cung-duoc", "s3cret-token-123"), 200},
		{"/", BasicAuthHeader("x", "wrong"), 401},
		{"/api/search?q=x", "Bearer inst-token-456", 200},
		{"/api/instance", "Bearer s3cret-token-123", 403}, // the access token is not the instance's
		{"/api/instance", "Bearer inst-token-456", 200},
	}
	for _, c := range checks {
		if got := do(c.path, c.auth); got != c.want {
			t.Errorf("GET %s with %q: %d, want %d", c.path, c.auth, got, c.want)
		}
	}
}

// blockingSearcher holds every search until released.
type blockingSearcher struct {
	Searcher
	started chan struct{}
	release chan struct{}
}

func (b *blockingSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	b.started <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return b.Searcher.Search(ctx, req)
}

// TestSearchCap: searches past the cap wait in a queue; past the queue
// they are answered 503 with Retry-After at once. A search past its
// deadline is answered 503 too. Nothing piles up.
func TestSearchCap(t *testing.T) {
	ix, st := openTestParts(t)
	bs := &blockingSearcher{Searcher: ix, started: make(chan struct{}, 10), release: make(chan struct{})}
	srv := httptest.NewServer(New(bs, st, Options{MaxSearches: 1, SearchQueue: 1, QueueWait: 5 * time.Second}))
	defer srv.Close()
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for range 2 { // one runs, one waits
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _ := get(t, srv.URL+"/api/search?q=x")
			codes <- code
		}()
	}
	<-bs.started
	// Let the second one reach the queue.
	time.Sleep(200 * time.Millisecond)
	resp, err := http.Get(srv.URL + "/api/search?q=y")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var e api.Error
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || json.Unmarshal(b, &e) != nil || e.Error == "" {
		t.Errorf("a search past the queue: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	close(bs.release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Errorf("a queued search: %d", c)
		}
	}

	// A search that outlives its deadline.
	slow := &blockingSearcher{Searcher: ix, started: make(chan struct{}, 10), release: make(chan struct{})}
	srv2 := httptest.NewServer(New(slow, st, Options{SearchTimeout: 100 * time.Millisecond}))
	defer srv2.Close()
	if code, body := get(t, srv2.URL+"/api/search?q=x"); code != 503 {
		t.Errorf("a search past its deadline: %d %s", code, body)
	}
}

// panicSearcher panics, as a bug deep in a library might.
type panicSearcher struct{ Searcher }

func (panicSearcher) Search(context.Context, index.Request) (*index.Result, error) { panic("boom") }

// TestPanicIsAnAnswer: a panic in a handler is a 500, and the server goes
// on.
func TestPanicIsAnAnswer(t *testing.T) {
	ix, st := openTestParts(t)
	srv := httptest.NewServer(New(panicSearcher{ix}, st, Options{}))
	defer srv.Close()
	// Under /api/ the error is JSON, as every API error is.
	var e api.Error
	if code, body := get(t, srv.URL+"/api/search?q=x"); code != 500 || json.Unmarshal([]byte(body), &e) != nil || e.Error == "" {
		t.Errorf("panicking search: %d %q", code, body)
	}
	if code, body := get(t, srv.URL+"/search?q=x"); code != 500 || strings.Contains(body, "boom") {
		t.Errorf("panicking search page: %d %q", code, body)
	}
	if code, _ := get(t, srv.URL+"/healthz"); code != 200 {
		t.Errorf("after a panic: %d", code)
	}
}

// TestMetrics: Prometheus text with requests by route and status, the
// latency histogram and the index's size.
func TestMetrics(t *testing.T) {
	srv, _ := newTestServer(t)
	get(t, srv.URL+"/search?q=thanh+hoa")
	get(t, srv.URL+"/api/search?q=%22")
	get(t, srv.URL+"/random/path/1")
	code, body := get(t, srv.URL+"/metrics")
	if code != 200 {
		t.Fatalf("metrics: %d", code)
	}
	for _, want := range []string{
		`tulieu_http_requests_total{code="200",route="GET /search"} 1`,
		`tulieu_http_requests_total{code="400",route="GET /api/search"} 1`,
		`tulieu_http_request_duration_seconds_bucket{route="GET /search",le="+Inf"} 1`,
		`tulieu_index_documents 2`,
		`tulieu_http_requests_total{code="404",route="/"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "/random/path") {
		t.Error("a raw path became a label")
	}
}

// FuzzRequest: whatever the query string, parsing it and searching never
// panics, and the answer is a 200 or a 4xx.
func FuzzRequest(f *testing.F) {
	for _, s := range []string{"q=thanh+hoa", "q=%22x", "offset=9223372036854775807&limit=5&q=a", "q=tieude:(",
		"q=nam:2019..2021&sort=oldest&facets=1&deleted=1", "from=2020-01-01&to=2019-01-01", "q=a+OR+-b", "q=%CC%81%CC%81"} {
		f.Add(s)
	}
	ix, st := openTestParts(f)
	h := New(ix, st, Options{})
	f.Fuzz(func(t *testing.T, raw string) {
		for _, p := range []string{"/api/search?", "/search?"} {
			req := httptest.NewRequest("GET", "/", nil)
			req.URL.RawQuery = raw
			req.URL.Path = strings.TrimSuffix(p, "?")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 && (w.Code < 400 || w.Code >= 500) {
				t.Fatalf("%s%q: %d %s", p, raw, w.Code, w.Body.String())
			}
		}
	})
}

// openEmptyParts opens a new real catalog and index, closed when the test
// ends.
func openEmptyParts(t testing.TB) (*index.Index, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := index.Open(t.TempDir()+"/index", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, st
}

// openTestParts opens a small real index and catalog holding one article.
func openTestParts(t testing.TB) (*index.Index, *store.Store) {
	t.Helper()
	ix, st := openEmptyParts(t)
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/x-1.html", store.Content{Kind: store.KindArticle,
		Title: "Thanh Hóa", Body: "Đảng bộ tỉnh Thanh Hóa.", BodyHTML: "<p>Đảng bộ tỉnh Thanh Hóa.</p>"}, time.Now())
	return ix, st
}

// archiveArticle saves c as the page at u, seen at at, and gives the
// index what the crawl gives it of the article.
func archiveArticle(t testing.TB, st *store.Store, ix *index.Index, u string, c store.Content, at time.Time) *store.Article {
	t.Helper()
	ctx := context.Background()
	_, a, err := st.SaveArticle(ctx, u, c, 0, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(ctx, index.Document{ID: a.ID, URL: a.URL, Title: a.Title, Body: a.Body, Author: a.Author, AuthorName: a.AuthorName,
		Breadcrumb: a.Breadcrumb, Category: a.Category, Published: a.Published, Status: a.Status}); err != nil {
		t.Fatal(err)
	}
	return a
}
