package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tulieu/api"
	"tulieu/store"
	"tulieu/warc"
)

// These tests came from a review of the page and the API as researchers
// and script authors use them; each comment says what went wrong before
// the fix.

// These tests come from a review of the web page and its JSON API. Each
// says what a user sees today and what they should see.

// zzAddCapture archives one 200 response for u, fetched at at, and
// records its capture.
func zzAddCapture(t testing.TB, st *store.Store, u, contentType, kind string, body []byte, at time.Time) int64 {
	t.Helper()
	w, err := warc.NewWriter(st.WARCPath(), warc.WriterOptions{Software: "zz-review"})
	if err != nil {
		t.Fatal(err)
	}
	head := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", contentType, len(body))
	loc, err := w.WriteExchange(warc.Exchange{TargetURI: u, Date: at,
		Request:  []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
		Response: append([]byte(head), body...), PayloadDigest: warc.PayloadDigest(body)})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	id, err := st.AddCapture(context.Background(), &store.Capture{URL: u, FetchedAt: at, Status: 200,
		ContentType: contentType, Length: int64(len(body)), Kind: kind, RecordType: "response",
		WARCFile: loc.File, WARCOffset: loc.Offset, WARCLength: loc.Length, WARCRecordID: loc.RecordID})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestPermalinkNamesTheCurrentCapture: the article page's citation
// ends with a permalink that "keeps pointing at this version" (article.go).
// It names the capture by URL and time, but the time is written to the
// second (RFC 3339 without fraction) while captures are recorded to the
// microsecond: "nearest before at" then lies before the current capture,
// and the permalink opens the PREVIOUS capture (the old version of the
// article). A researcher who cites the page cites the wrong text. The same
// truncation sends the article's attachment links (/raw?url=&at=) to the
// previous capture of a changed document.
// Cause: archiveHref formats at with time.RFC3339 (seconds), and
// findCapture reads it as the exact instant (web/pages.go, web/archive.go).
func TestPermalinkNamesTheCurrentCapture(t *testing.T) {
	ctx := context.Background()
	ix, st := openEmptyParts(t)
	u := "http://danguykhoithanhhoa.org.vn/tin-tuc/bai-permalink.html"
	t1 := time.Date(2026, 10, 1, 8, 0, 0, 250_000_000, time.UTC)
	t2 := time.Date(2026, 10, 2, 8, 0, 0, 750_000_000, time.UTC) // a crawl a day later
	c1 := zzAddCapture(t, st, u, "text/html; charset=utf-8", store.KindArticle,
		[]byte("<html><body><p>Bản cũ của bài.</p></body></html>"), t1)
	c2 := zzAddCapture(t, st, u, "text/html; charset=utf-8", store.KindArticle,
		[]byte("<html><body><p>Bản mới của bài.</p></body></html>"), t2)
	var id string
	for i, body := range []string{"Bản cũ của bài.", "Bản mới của bài."} {
		c, at := c1, t1
		if i == 1 {
			c, at = c2, t2
		}
		_, a, err := st.SaveArticle(ctx, u, store.Content{Kind: store.KindArticle, Title: "Bài có hai bản",
			Body: body, BodyHTML: "<p>" + body + "</p>"}, c, at)
		if err != nil {
			t.Fatal(err)
		}
		id = a.ID
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	code, page := get(t, srv.URL+"/article/"+id)
	if code != 200 {
		t.Fatalf("article page: %d", code)
	}
	m := regexp.MustCompile(`id="citation">[^<]*?(http://[^\s<]*/archive\?[^\s<]*?)\.</p>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no permalink in the citation: %s", page)
	}
	permalink := html.UnescapeString(m[1])
	code, archived := get(t, permalink)
	if code != 200 {
		t.Fatalf("GET %s: %d", permalink, code)
	}
	if !strings.Contains(archived, "mã bản lưu "+strconv.FormatInt(c2, 10)+"<") || !strings.Contains(archived, "Bản mới") {
		t.Errorf("the citation's permalink %s opens capture %d (the previous version, %q); want capture %d, the version the page shows",
			permalink, c1, firstMatch(archived, `mã bản lưu \d+`), c2)
	}
}

func firstMatch(s, re string) string { return regexp.MustCompile(re).FindString(s) }

// TestLongFilterOnIDsAndExportIs400: /api/ids and /export with an
// author (or category) filter longer than the index takes (2 000 bytes)
// get no answer at all: the connection is dropped after the search fails
// (the server logs ERROR), where /api/search answers the same parameters
// 400 {"error": "an author or category filter is at most 2000 bytes
// long"}. `tulieu export --author …` against a running server reads
// /api/ids and reports a broken connection instead of the reason.
// Cause: handleAPIIDs and handleExport check only index.CheckQuery(q)
// before streaming; api.ParseSearch does not bound author/category, so the
// index's RequestError surfaces mid-stream and becomes
// panic(http.ErrAbortHandler) (web/exports.go).
func TestLongFilterOnIDsAndExportIs400(t *testing.T) {
	srv, _ := newTestServer(t)
	long := url.QueryEscape(strings.Repeat("Nguyễn Văn A ", 200)) // ~3 KB
	for _, p := range []string{
		"/api/ids?author=" + long,
		"/api/ids?q=%C4%91%E1%BA%A3ng&category=" + long,
		"/export?format=csv&author=" + long,
		"/export?format=jsonl&q=%C4%91%E1%BA%A3ng&category=" + long,
	} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Errorf("GET %.60s…: no answer, the connection was closed (%v); want 400 {\"error\"}", p, errors.Unwrap(err))
			continue
		}
		b, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e api.Error
		if resp.StatusCode != 400 || rerr != nil || json.Unmarshal(b, &e) != nil || e.Error == "" {
			t.Errorf("GET %.60s…: %d (read error %v) %.120q; want 400 {\"error\"} as /api/search gives", p, resp.StatusCode, rerr, b)
		}
	}
}

// TestPagePastTheLastResult: a page of results past the last one (an
// old link after the index shrank, a bookmarked page 3 of a narrowed
// search, offset typed by hand) says "2 kết quả phù hợp · hiển thị
// 101–100": a range that ends before it starts, no result, and a "← Trang
// trước" link to offset 90, which is past the end too. The user should be
// told that the page is past the last result and led back to results that
// exist.
// Cause: handleSearch sets First/Last/Prev from the requested offset
// without looking at Total (web/pages.go).
func TestPagePastTheLastResult(t *testing.T) {
	srv, _ := newTestServer(t)
	code, body := get(t, srv.URL+"/search?q="+url.QueryEscape("đảng")+"&offset=100")
	if code != 200 && (code < 400 || code >= 500) {
		t.Fatalf("GET /search?offset=100: %d", code)
	}
	if m := regexp.MustCompile(`hiển thị (\d+)–(\d+)`).FindStringSubmatch(body); m != nil {
		first, _ := strconv.Atoi(m[1])
		last, _ := strconv.Atoi(m[2])
		if first > last {
			t.Errorf("the page of results past the end says %q: a range that ends before it starts", m[0])
		}
	}
	if m := regexp.MustCompile(`id="prev" href="([^"]*)"`).FindStringSubmatch(body); m != nil {
		u, _ := url.Parse(html.UnescapeString(m[1]))
		if off, _ := strconv.Atoi(u.Query().Get("offset")); off >= 2 {
			t.Errorf("the previous-page link of a page past the end goes to offset %d, past the end too (total 2)", off)
		}
	}
}

// failingCatalog fails every listing of the catalog, as a catalog read
// error or a disk problem does in the middle of an export.
type failingCatalog struct{ *store.Store }

func (failingCatalog) EachArticle(context.Context, store.Filter, func(*store.Article) error) error {
	return errors.New("disk I/O error")
}

// TestMetricsCountFailedExports: an export that fails (its connection
// is cut, as it must be once the status line is gone) is not counted in
// /metrics at all: no tulieu_http_requests_total and no latency sample
// for "GET /export". An operator watching /metrics for failing exports
// (or failing /api/ids lists) sees nothing; the README promises "requests
// by route and status".
// Cause: metrics.wrap records after next.ServeHTTP returns, without a
// defer; the handler's panic(http.ErrAbortHandler), re-panicked by
// recoverPanics, unwinds past it (web/metrics.go).
func TestMetricsCountFailedExports(t *testing.T) {
	ix, st := openTestParts(t)
	srv := httptest.NewServer(New(ix, failingCatalog{st}, Options{}))
	defer srv.Close()
	if resp, err := http.Get(srv.URL + "/export?format=jsonl"); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	code, body := get(t, srv.URL+"/metrics")
	if code != 200 {
		t.Fatalf("metrics: %d", code)
	}
	if !regexp.MustCompile(`tulieu_http_requests_total\{code="[^"]*",route="GET /export"\}`).MatchString(body) {
		t.Errorf("/metrics does not count the failed export: no tulieu_http_requests_total for route \"GET /export\"")
	}
}

// TestAPIWrongMethodIsNot404: a script that POSTs (or PUTs, DELETEs)
// to an API route that exists is told {"error": "no such API route:
// /api/search"} with 404, which sends its author looking for a typo in
// the path. The route exists; the method is wrong: 405 with Allow: GET
// (what the page routes' mux would say).
// Cause: the catch-all "/api/" pattern in New matches every method, so
// it wins over "GET /api/search" for other methods (web/server.go).
func TestAPIWrongMethodIsNot404(t *testing.T) {
	srv, id := newTestServer(t)
	for _, p := range []string{"/api/search?q=x", "/api/articles/" + id, "/api/stats"} {
		resp, err := http.Post(srv.URL+p, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || strings.Contains(string(b), "no such API route") {
			t.Errorf("POST %s: %d %s; want 405 (the route exists, only GET is allowed)", p, resp.StatusCode, bytesTrim(b))
		}
	}
}

func bytesTrim(b []byte) string { return strings.TrimSpace(string(b)) }

// TestMisdirectedAPIAnswerIsJSON: the README says API errors are
// {"error": "…"} with a 4xx status, and the access-token check answers
// /api/ that way; the Host check (a server bound to loopback, asked under
// another name, e.g. through a local reverse proxy or an /etc/hosts alias)
// answers /api/… with text/plain "this server answers only to …", which a
// script's JSON decoder cannot read.
// Cause: guard uses http.Error for the 421 whatever the path
// (web/guard.go).
func TestMisdirectedAPIAnswerIsJSON(t *testing.T) {
	ix, st := openTestParts(t)
	srv := httptest.NewServer(New(ix, st, Options{Loopback: true}))
	defer srv.Close()
	resp, b := getAs(t, srv.URL+"/api/search?q=x", "tulieu.lan")
	var e api.Error
	if resp.StatusCode != http.StatusMisdirectedRequest || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
		json.Unmarshal(b, &e) != nil || e.Error == "" {
		t.Errorf("GET /api/search with Host tulieu.lan: %d %s %q; want 421 with an {\"error\"} JSON body",
			resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
}

// TestBrowseHeadingMatchesTheList: with no query, a reader who picks
// "Sắp xếp: Cũ nhất" (sort=oldest) gets the oldest articles first under a
// heading that says "— mới nhất trước" (newest first); and / with a query
// (/?q=…, e.g. an OpenSearch or bookmark URL) heads its relevance-ranked
// matches "Kho lưu trữ có N bài viết và trang — mới nhất trước", giving the number
// of matches as the size of the archive.
// Cause: handleSearch sets Browse for any home request and for any
// empty query whatever the sort, and search.html's Browse heading is fixed
// text (web/pages.go, web/templates/search.html).
func TestBrowseHeadingMatchesTheList(t *testing.T) {
	srv, _ := newTestServer(t)
	code, body := get(t, srv.URL+"/search?sort=oldest")
	if code != 200 {
		t.Fatalf("GET /search?sort=oldest: %d", code)
	}
	old := strings.Index(body, "Nhận diện âm mưu") // 2019
	newer := strings.Index(body, "60 năm")         // 2020
	if old < 0 || newer < 0 || old > newer {
		t.Fatalf("sort=oldest does not list the 2019 article first")
	}
	if strings.Contains(firstMatch(body, `id="total">[^<]*`), "mới nhất trước") {
		t.Errorf("GET /search?sort=oldest lists the oldest first under the heading %q", firstMatch(body, `id="total">[^<]*`))
	}
	_, body = get(t, srv.URL+"/?q="+url.QueryEscape("hòa bình"))
	if h := firstMatch(body, `id="total">[^<]*`); strings.Contains(h, "Kho lưu trữ có") {
		t.Errorf("GET /?q=hòa+bình (1 match of 2 articles) is headed %q", h)
	}
}

// TestFailedFetchCaptureIsNot500: every fetch that got no response
// (a timeout, a refused connection) is a row of the captures table with
// no WARC record (crawler/recorder.go failed). /archive?capture=N and
// /raw?capture=N of such an id (capture ids are consecutive numbers, so
// anyone walking them meets one) answer 500 "Không đọc được bản lưu" and
// log an ERROR, as if the archive were damaged. There is nothing archived
// under that id: a 404 "Kho lưu trữ không có bản lưu này", as for an id
// that does not exist. (The README: hostile input, bad ids included, is a
// 4xx, never a 500.)
// Cause: findCapture/captureOr404 accept any capture row; handleArchive
// and handleRaw then try to open its (absent) record (web/archive.go).
func TestFailedFetchCaptureIsNot500(t *testing.T) {
	ix, st := openTestParts(t)
	id, err := st.AddCapture(context.Background(), &store.Capture{URL: "http://danguykhoithanhhoa.org.vn/x-2.html",
		FetchedAt: time.Now(), Error: "Get \"http://danguykhoithanhhoa.org.vn/x-2.html\": context deadline exceeded"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	for _, p := range []string{"/archive?capture=", "/raw?capture="} {
		if code, _ := get(t, srv.URL+p+strconv.FormatInt(id, 10)); code != 404 {
			t.Errorf("GET %s%d (a fetch that timed out, nothing archived): %d; want 404", p, id, code)
		}
	}
}

// TestHitMetaHasNoDanglingSeparator: a result with a date and an author
// but no category read "12/03/2020 ·  · Lê Hoa", one with a date only
// "12/03/2020 · ".
func TestHitMetaHasNoDanglingSeparator(t *testing.T) {
	ix, st := openEmptyParts(t)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/a-1.html", store.Content{Kind: store.KindArticle,
		Title: "Hội nghị chi bộ", Body: "Chi bộ họp.", Published: "2020-03-12", Author: "Lê Hoa"}, at)
	archiveArticle(t, st, ix, "http://danguykhoithanhhoa.org.vn/a-2.html", store.Content{Kind: store.KindArticle,
		Title: "Hội nghị đảng bộ", Body: "Đảng bộ họp.", Published: "2020-03-13"}, at)
	srv := httptest.NewServer(New(ix, st, Options{}))
	defer srv.Close()
	_, body := get(t, srv.URL+"/search?q=h%E1%BB%99i+ngh%E1%BB%8B")
	for _, m := range regexp.MustCompile(`<div class="meta">([^<]*)</div>`).FindAllStringSubmatch(body, -1) {
		meta := html.UnescapeString(m[1])
		if strings.HasSuffix(strings.TrimSpace(meta), "·") || strings.Contains(meta, "·  ·") {
			t.Errorf("a result's line reads %q", meta)
		}
	}
}
